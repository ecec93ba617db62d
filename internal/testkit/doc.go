// Package testkit holds, in its subpackages, the top-layer helpers that
// import the domain packages: the minute-bitmap reference and the
// straightforward baseline of the capacity computation, and generators of
// random and benchmark tenants. Only tests and the benchmark suite import
// them; nothing below them may. Bottom-layer helpers live in
// internal/base instead.
package testkit
