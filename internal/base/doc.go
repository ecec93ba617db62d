// Package base holds, in its subpackages, the bottom-layer helpers that
// the domain packages (capacity, shifts, tenant, ...) import: atomic file
// writes, string tables, memory footprints and property-test seeds. They
// import nothing of this module outside internal/base, so any package may
// use them without an import pointing up. Test references and generators,
// which import the domain, live in internal/testkit instead.
package base
