// Package testkit holds, in its subpackages, the top-layer helpers that
// import the domain packages: the minute-bitmap reference and the
// straightforward baseline of the capacity computation, the lean direct
// computation of one answer (what an engine's build and first query are
// measured against), and generators of
// random and benchmark tenants. Only tests and the benchmark suite import
// them; nothing below them may. Bottom-layer helpers live in
// internal/base instead.
package testkit
