// Package edge holds outside-in tests of the embedding API: the exported
// functions and methods of capacity, tenant, hours, shifts, zones and
// interval called as a Go service calls them, with whatever its own
// callers give it — zero values, nil pointers, instants far outside the
// supported years, reversed ranges, unknown ids, invalid UTF-8 —, with
// every slice it passes in or gets back mutated afterwards, and from many
// goroutines at once. It has no code of its own: see its tests.
package edge
