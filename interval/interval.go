package interval

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"unsafe"
)

// Span is the half-open interval [Start, End). A span with Start >= End is
// empty.
type Span struct {
	Start, End int64
}

// Len returns the length of s, End − Start, or 0 when s is empty.
func (s Span) Len() int64 {
	if s.End <= s.Start {
		return 0
	}
	return s.End - s.Start
}

// Empty reports whether s holds no instant.
func (s Span) Empty() bool { return s.Start >= s.End }

// Contains reports whether x lies in [Start, End).
func (s Span) Contains(x int64) bool { return s.Start <= x && x < s.End }

// String formats s as "[start, end)".
func (s Span) String() string { return fmt.Sprintf("[%d, %d)", s.Start, s.End) }

// Set is a normalized set of half-open spans. The zero Set is the empty set.
// Sets are immutable values; see the package documentation for the
// invariant.
type Set struct {
	// spans is sorted by Start, disjoint, non-touching and free of empty
	// spans: spans[i].Start < spans[i].End < spans[i+1].Start.
	spans []Span
}

// New returns the set holding every instant of the given spans. The input
// may be unsorted, overlapping, touching or empty; it is not modified.
// New runs in O(n log n).
func New(spans ...Span) Set {
	var b Builder
	for _, s := range spans {
		b.Add(s)
	}
	return b.Set()
}

// From returns the set holding the single span [start, end), or the empty
// set when start >= end.
func From(start, end int64) Set {
	if start >= end {
		return Set{}
	}
	return Set{spans: []Span{{start, end}}}
}

// FromNormalized returns a set backed by spans, which must already be
// normalized (sorted, disjoint, non-touching, non-empty). It does not copy:
// the caller must not modify spans afterwards. It panics if spans is not
// normalized, because a broken invariant would silently corrupt every later
// operation.
func FromNormalized(spans []Span) Set {
	if err := checkNormalized(spans); err != nil {
		panic("interval.FromNormalized: " + err.Error())
	}
	return Set{spans: spans}
}

func checkNormalized(spans []Span) error {
	for i, s := range spans {
		if s.Start >= s.End {
			return fmt.Errorf("span %d %v is empty", i, s)
		}
		if i > 0 && spans[i-1].End >= s.Start {
			return fmt.Errorf("span %d %v overlaps or touches span %d %v", i, s, i-1, spans[i-1])
		}
	}
	return nil
}

// Valid reports whether s satisfies the normalization invariant. It is
// always true for sets built by this package; tests use it.
func (s Set) Valid() bool { return checkNormalized(s.spans) == nil }

// IsEmpty reports whether s holds no instant.
func (s Set) IsEmpty() bool { return len(s.spans) == 0 }

// Len returns the number of spans in s.
func (s Set) Len() int { return len(s.spans) }

// At returns the i-th span of s in ascending order. It panics if i is out
// of range.
func (s Set) At(i int) Span { return s.spans[i] }

// Spans returns a copy of the spans of s in ascending order.
func (s Set) Spans() []Span { return slices.Clone(s.spans) }

// All returns an iterator over the spans of s in ascending order.
func (s Set) All() iter.Seq[Span] {
	return func(yield func(Span) bool) {
		for _, sp := range s.spans {
			if !yield(sp) {
				return
			}
		}
	}
}

// Measure returns the total length of s: the number of instants it holds.
func (s Set) Measure() int64 {
	var n int64
	for _, sp := range s.spans {
		n += sp.End - sp.Start
	}
	return n
}

// Bounds returns the smallest span holding s, and false when s is empty.
func (s Set) Bounds() (Span, bool) {
	if len(s.spans) == 0 {
		return Span{}, false
	}
	return Span{s.spans[0].Start, s.spans[len(s.spans)-1].End}, true
}

// Equal reports whether s and t hold the same instants.
func (s Set) Equal(t Set) bool { return slices.Equal(s.spans, t.spans) }

// String formats s as "{[a, b) [c, d)}".
func (s Set) String() string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, sp := range s.spans {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(sp.String())
	}
	sb.WriteByte('}')
	return sb.String()
}

// search returns the index of the first span whose End is after x: the span
// holding x, or the first span after x. O(log n).
func (s Set) search(x int64) int {
	lo, hi := 0, len(s.spans)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.spans[m].End <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Contains reports whether x lies in s. O(log n).
func (s Set) Contains(x int64) bool {
	i := s.search(x)
	return i < len(s.spans) && s.spans[i].Start <= x
}

// ContainsSpan reports whether every instant of sp lies in s. An empty span
// is contained in every set. O(log n).
func (s Set) ContainsSpan(sp Span) bool {
	if sp.Empty() {
		return true
	}
	i := s.search(sp.Start)
	return i < len(s.spans) && s.spans[i].Start <= sp.Start && sp.End <= s.spans[i].End
}

// Overlaps reports whether s and the span sp share an instant. O(log n).
func (s Set) Overlaps(sp Span) bool {
	if sp.Empty() {
		return false
	}
	i := s.search(sp.Start)
	return i < len(s.spans) && s.spans[i].Start < sp.End
}

// SpanAt returns the span of s holding x, and false when x is not in s.
// O(log n).
func (s Set) SpanAt(x int64) (Span, bool) {
	i := s.search(x)
	if i < len(s.spans) && s.spans[i].Start <= x {
		return s.spans[i], true
	}
	return Span{}, false
}

// Clip returns s ∩ [start, end). It shares no memory with s.
// O(log n + k) for k spans in the result.
func (s Set) Clip(start, end int64) Set {
	return Set{spans: s.AppendClip(nil, start, end)}
}

// AppendClip appends the spans of s ∩ [start, end) to dst.
func (s Set) AppendClip(dst []Span, start, end int64) []Span {
	if start >= end {
		return dst
	}
	for i := s.search(start); i < len(s.spans) && s.spans[i].Start < end; i++ {
		sp := s.spans[i]
		dst = append(dst, Span{max(sp.Start, start), min(sp.End, end)})
	}
	return dst
}

// MeasureIn returns |s ∩ [start, end)| without allocating. O(log n + k).
func (s Set) MeasureIn(start, end int64) int64 {
	var n int64
	if start >= end {
		return 0
	}
	for i := s.search(start); i < len(s.spans) && s.spans[i].Start < end; i++ {
		sp := s.spans[i]
		n += min(sp.End, end) - max(sp.Start, start)
	}
	return n
}

// Complement returns within − s: the instants of the bounding span within
// that are not in s.
func (s Set) Complement(within Span) Set {
	if within.Empty() {
		return Set{}
	}
	return Set{spans: appendDifference(nil, []Span{within}, s.spans)}
}

// Bytes returns the memory s's spans occupy: 16 bytes for each span its
// storage has room for. It is the figure to add up when accounting for
// the memory of structures built from sets.
func (s Set) Bytes() int64 { return int64(cap(s.spans)) * int64(unsafe.Sizeof(Span{})) }

// Compact returns s backed by storage of exactly its size. The merging
// operations size their result for the worst case; a set kept for long
// (an engine's per-technician state) is worth compacting.
func (s Set) Compact() Set {
	if cap(s.spans) == len(s.spans) {
		return s
	}
	if len(s.spans) == 0 {
		return Set{}
	}
	out := make([]Span, len(s.spans))
	copy(out, s.spans)
	return Set{spans: out}
}

// Union returns s ∪ t. O(|s| + |t|).
func (s Set) Union(t Set) Set {
	return Set{spans: appendUnion(make([]Span, 0, len(s.spans)+len(t.spans)), s.spans, t.spans)}
}

// Intersect returns s ∩ t. O(|s| + |t|).
func (s Set) Intersect(t Set) Set {
	if len(s.spans) == 0 || len(t.spans) == 0 {
		return Set{}
	}
	return Set{spans: appendIntersect(make([]Span, 0, len(s.spans)+len(t.spans)-1), s.spans, t.spans)}
}

// Difference returns s − t. O(|s| + |t|).
func (s Set) Difference(t Set) Set {
	if len(s.spans) == 0 {
		return Set{}
	}
	return Set{spans: appendDifference(make([]Span, 0, len(s.spans)+len(t.spans)), s.spans, t.spans)}
}

// AppendUnion writes a ∪ b into dst[:0], reusing its storage, and returns
// the result. The result aliases dst, so dst must not be used or modified
// afterwards, and dst must not share memory with a or b.
func AppendUnion(dst []Span, a, b Set) Set { return Set{spans: appendUnion(dst[:0], a.spans, b.spans)} }

// AppendIntersect writes a ∩ b into dst[:0]; see [AppendUnion] for aliasing.
func AppendIntersect(dst []Span, a, b Set) Set {
	return Set{spans: appendIntersect(dst[:0], a.spans, b.spans)}
}

// AppendDifference writes a − b into dst[:0]; see [AppendUnion] for
// aliasing.
func AppendDifference(dst []Span, a, b Set) Set {
	return Set{spans: appendDifference(dst[:0], a.spans, b.spans)}
}

// push appends sp to the normalized dst, merging it with the last span when
// they overlap or touch. sp must not start before the last span's start.
func push(dst []Span, sp Span) []Span {
	if n := len(dst); n > 0 && sp.Start <= dst[n-1].End {
		if sp.End > dst[n-1].End {
			dst[n-1].End = sp.End
		}
		return dst
	}
	return append(dst, sp)
}

func appendUnion(dst, a, b []Span) []Span {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || (i < len(a) && a[i].Start <= b[j].Start) {
			dst = push(dst, a[i])
			i++
		} else {
			dst = push(dst, b[j])
			j++
		}
	}
	return dst
}

func appendIntersect(dst, a, b []Span) []Span {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		lo, hi := max(a[i].Start, b[j].Start), min(a[i].End, b[j].End)
		if lo < hi {
			// Spans of a normalized input never touch, so neither do the
			// pieces of their intersection: append without merging.
			dst = append(dst, Span{lo, hi})
		}
		if a[i].End < b[j].End {
			i++
		} else {
			j++
		}
	}
	return dst
}

func appendDifference(dst, a, b []Span) []Span {
	j := 0
	for _, sp := range a {
		start := sp.Start
		for j < len(b) && b[j].End <= start {
			j++
		}
		for k := j; k < len(b) && b[k].Start < sp.End; k++ {
			if b[k].Start > start {
				dst = append(dst, Span{start, b[k].Start})
			}
			start = max(start, b[k].End)
			if start >= sp.End {
				break
			}
		}
		if start < sp.End {
			dst = append(dst, Span{start, sp.End})
		}
	}
	return dst
}

// EarliestFit returns the earliest instant a with start <= a < end such that
// [a, a+d) lies inside s, and false when there is none. With d <= 0 it is
// the earliest instant of s in [start, end). The fitted job may run past
// end: only its arrival a is bounded by the window. O(log n + k) for the k
// spans of s that meet [start, end).
func (s Set) EarliestFit(start, end, d int64) (int64, bool) {
	if start >= end {
		return 0, false
	}
	for i := s.search(start); i < len(s.spans) && s.spans[i].Start < end; i++ {
		a := max(s.spans[i].Start, start)
		if d <= 0 || s.spans[i].End-a >= d {
			return a, true
		}
	}
	return 0, false
}

// LongestRun returns the largest d for which [Set.EarliestFit] (start, end,
// d) succeeds: the longest stretch of s that begins inside [start, end),
// measured to its true end even past end. It returns 0 when s has no
// instant in [start, end). O(log n + k).
func (s Set) LongestRun(start, end int64) int64 {
	var best int64
	if start >= end {
		return 0
	}
	for i := s.search(start); i < len(s.spans) && s.spans[i].Start < end; i++ {
		best = max(best, s.spans[i].End-max(s.spans[i].Start, start))
	}
	return best
}

// Builder accumulates spans in any order and produces a normalized [Set].
// The zero Builder is empty and ready to use. A Builder is not safe for
// concurrent use.
type Builder struct {
	spans  []Span
	sorted bool // spans are known to be sorted by Start
}

// Add adds the span [sp.Start, sp.End). Empty spans are ignored.
func (b *Builder) Add(sp Span) {
	if sp.Empty() {
		return
	}
	if len(b.spans) == 0 {
		b.sorted = true
	} else if b.sorted && sp.Start < b.spans[len(b.spans)-1].Start {
		b.sorted = false
	}
	b.spans = append(b.spans, sp)
}

// AddRange adds the span [start, end).
func (b *Builder) AddRange(start, end int64) { b.Add(Span{start, end}) }

// AddSet adds every span of s.
func (b *Builder) AddSet(s Set) {
	for _, sp := range s.spans {
		b.Add(sp)
	}
}

// Reset empties b, keeping its storage.
func (b *Builder) Reset() { b.spans = b.spans[:0] }

// Set returns the normalized set of everything added so far and resets b.
// The returned set owns its storage; b may be reused.
func (b *Builder) Set() Set {
	if len(b.spans) == 0 {
		return Set{}
	}
	if !b.sorted {
		slices.SortFunc(b.spans, func(x, y Span) int {
			switch {
			case x.Start < y.Start:
				return -1
			case x.Start > y.Start:
				return 1
			}
			return 0
		})
	}
	out := make([]Span, 0, len(b.spans))
	for _, sp := range b.spans {
		out = push(out, sp)
	}
	b.spans = b.spans[:0]
	return Set{spans: slices.Clip(out)}
}

// Universe is the span of every representable instant, for complements
// without a natural bound. Its length does not fit an int64 (see the
// package documentation): Universe.Len() wraps to -1.
var Universe = Span{math.MinInt64, math.MaxInt64}
