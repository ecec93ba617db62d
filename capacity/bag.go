package capacity

import (
	"cmp"
	"math"
	"slices"

	"github.com/opendispatch/dispatch/interval"
)

// bag is a multiset of spans sorted by start, for sums of overlaps where
// overlapping members count twice (pending appointments) and for unions
// rebuilt piecewise (a technician's assigned appointments).
type bag struct {
	spans  []interval.Span // sorted by (Start, End)
	maxLen int64           // no member is longer; bounds the backward scan
}

func cmpSpan(a, b interval.Span) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	return cmp.Compare(a.End, b.End)
}

// init sorts spans appended directly and sets maxLen. It copies the spans
// to an array of their length: appending leaves up to half an array
// unused, which a bag of a few spans per technician or per unit keeps for
// the engine's life.
func (b *bag) init() {
	if cap(b.spans) > len(b.spans) {
		b.spans = append(make([]interval.Span, 0, len(b.spans)), b.spans...)
	}
	slices.SortFunc(b.spans, cmpSpan)
	for _, sp := range b.spans {
		b.maxLen = max(b.maxLen, sp.Len())
	}
}

func (b *bag) add(sp interval.Span) {
	i, _ := slices.BinarySearchFunc(b.spans, sp, cmpSpan)
	b.spans = slices.Insert(b.spans, i, sp)
	b.maxLen = max(b.maxLen, sp.Len())
}

// remove deletes one copy of sp and reports whether there was one.
func (b *bag) remove(sp interval.Span) bool {
	i, ok := slices.BinarySearchFunc(b.spans, sp, cmpSpan)
	if ok {
		b.spans = slices.Delete(b.spans, i, i+1)
	}
	return ok
}

// first returns the index of the first member that may meet [s, …): every
// member starting before s − maxLen ends by s.
func (b *bag) first(s int64) int {
	if s < math.MinInt64+b.maxLen {
		return 0 // s − maxLen would wrap around
	}
	i, _ := slices.BinarySearchFunc(b.spans, s-b.maxLen, func(sp interval.Span, x int64) int { return cmp.Compare(sp.Start, x) })
	return i
}

// overlap returns Σ |m ∩ [s, e)| over the members m.
func (b *bag) overlap(s, e int64) int64 {
	var n int64
	for i := b.first(s); i < len(b.spans) && b.spans[i].Start < e; i++ {
		if lo, hi := max(b.spans[i].Start, s), min(b.spans[i].End, e); lo < hi {
			n += hi - lo
		}
	}
	return n
}

// unionIn returns the union of the members, clipped to [s, e).
func (b *bag) unionIn(s, e int64) interval.Set {
	var u interval.Builder
	for i := b.first(s); i < len(b.spans) && b.spans[i].Start < e; i++ {
		u.AddRange(max(b.spans[i].Start, s), min(b.spans[i].End, e))
	}
	return u.Set()
}
