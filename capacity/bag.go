package capacity

import (
	"cmp"
	"math"
	"slices"

	"github.com/opendispatch/dispatch/interval"
)

// bag is a multiset of spans sorted by start, for sums of overlaps where
// overlapping members count twice: pending appointments, and those a
// capacity rule counts.
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
	if !slices.IsSortedFunc(b.spans, cmpSpan) { // appended in order, often
		slices.SortFunc(b.spans, cmpSpan)
	}
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
	// A search written out: slices.BinarySearchFunc calls its
	// comparison for each step, and a query calls first for every
	// timeslot.
	x, spans := s-b.maxLen, b.spans
	lo, hi := 0, len(spans)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if spans[m].Start < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
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

// busy is the appointments a technician is assigned to, as positions in
// Engine.appts sorted by the appointments' (start, end, position): 4
// bytes an assignment where a span would take 16, and the position names
// the appointment (for warnings). Its union is Bz(t). Callers pass the
// engine's appointments; an appointment's span must not change while it
// is in a busy list (remove it, change it, add it back).
type busy struct {
	pos      []int32
	maxLen   int64 // no member is longer; bounds the backward scan
	unsorted bool  // pushed out of order; init sorts
}

func busyOrder(appts []appt) func(p, q int32) int {
	return func(p, q int32) int { return busyCompare(appts, p, q) }
}

// busyCompare orders positions p and q by start, end, then position.
// It compares field by field: cmp.Or computed all three comparisons
// first, and a build compares once per assignment.
func busyCompare(appts []appt, p, q int32) int {
	a, b := &appts[p], &appts[q]
	switch {
	case a.start != b.start:
		return cmp.Compare(a.start, b.start)
	case a.end != b.end:
		return cmp.Compare(a.end, b.end)
	}
	return cmp.Compare(p, q)
}

// push appends position p, to be put in order by init.
func (b *busy) push(appts []appt, p int32) {
	a := &appts[p]
	if n := len(b.pos); n > 0 && !b.unsorted {
		// Starts decide nearly always; busyCompare only on a tie.
		if q := b.pos[n-1]; appts[q].start > a.start || appts[q].start == a.start && busyCompare(appts, q, p) > 0 {
			b.unsorted = true
		}
	}
	b.pos = append(b.pos, p)
	b.maxLen = max(b.maxLen, a.end-a.start)
}

// init sorts the positions pushed, unless they came in order.
func (b *busy) init(appts []appt) {
	if b.unsorted {
		slices.SortFunc(b.pos, busyOrder(appts))
		b.unsorted = false
	}
}

func (b *busy) add(appts []appt, p int32) {
	i, _ := slices.BinarySearchFunc(b.pos, p, busyOrder(appts))
	b.pos = slices.Insert(b.pos, i, p)
	b.maxLen = max(b.maxLen, appts[p].end-appts[p].start)
}

// remove deletes position p and reports whether it was there.
func (b *busy) remove(appts []appt, p int32) bool {
	i, ok := slices.BinarySearchFunc(b.pos, p, busyOrder(appts))
	if ok {
		b.pos = slices.Delete(b.pos, i, i+1)
	}
	return ok
}

// first returns the index of the first member that may meet [s, …).
func (b *busy) first(appts []appt, s int64) int {
	if s < math.MinInt64+b.maxLen {
		return 0
	}
	i, _ := slices.BinarySearchFunc(b.pos, s-b.maxLen, func(p int32, x int64) int { return cmp.Compare(appts[p].start, x) })
	return i
}

// unionIn returns the union of the members' spans, clipped to [s, e).
func (b *busy) unionIn(appts []appt, s, e int64) interval.Set {
	var u interval.Builder
	for i := b.first(appts, s); i < len(b.pos) && appts[b.pos[i]].start < e; i++ {
		a := &appts[b.pos[i]]
		u.AddRange(max(a.start, s), min(a.end, e))
	}
	return u.Set()
}

// appendUnion appends the union of the members' spans to dst, normalized:
// one pass, the members being in start order.
func (b *busy) appendUnion(dst []interval.Span, appts []appt) []interval.Span {
	n := len(dst)
	for _, p := range b.pos {
		a := &appts[p]
		switch {
		case a.start >= a.end:
		case len(dst) > n && a.start <= dst[len(dst)-1].End:
			dst[len(dst)-1].End = max(dst[len(dst)-1].End, a.end)
		default:
			dst = append(dst, interval.Span{Start: a.start, End: a.end})
		}
	}
	return dst
}
