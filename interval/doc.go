// Package interval implements normalized sets of half-open spans of int64
// instants (Unix seconds in this project) and their algebra.
//
// # Invariants
//
// A [Set] is always normalized: its spans are sorted by start, pairwise
// disjoint, never touching (the end of one span is strictly before the start
// of the next) and never empty. Two sets hold the same instants exactly when
// their span lists are equal, so [Set.Equal] is a slice comparison. The zero
// Set is the empty set and is ready to use.
//
// Spans are half-open, [start, end): a span holds start and every instant up
// to but not including end. A span with start >= end is empty. Half-open
// spans compose without ±1 arithmetic: [8, 10) and [10, 12) touch and merge
// into [8, 12).
//
// Lengths (Span.Len, Set.Measure, MeasureIn, LongestRun, EarliestFit's
// d) are int64 and exact when they fit one: a length beyond math.MaxInt64,
// such as [Universe]'s or that of a span from a large negative to a large
// positive instant, wraps around as int64 arithmetic does, and is not
// checked, to keep the hot paths to plain subtraction. Instants of the
// years 1900–2199, which every boundary of this project enforces, lie
// within ±2^33 seconds, far from it.
//
// # Complexity
//
// Union, intersection and difference are linear merges of their inputs.
// [Set.Contains] and [Set.Clip] locate spans by binary search, O(log n).
// The Append variants ([AppendUnion], [AppendIntersect], [AppendDifference])
// write into a caller's buffer so hot paths can run without allocating.
//
// # Concurrency
//
// A Set is immutable once built: every method returns a new Set and never
// modifies its receiver, so a Set may be shared freely between goroutines.
// A [Builder] is not safe for concurrent use.
//
// The package knows nothing of time zones or dispatch: it is plain interval
// arithmetic on integers.
package interval
