package sim

import (
	"github.com/opendispatch/dispatch/interval"
)

// spans is a replication's mutable copy of an interval set: normalized
// (sorted, disjoint, not touching, not empty) like interval.Set, but
// changed in place, so that booking a job allocates nothing once the slice
// has grown. It is owned by one replication and never shared.
type spans []interval.Span

func spansOf(s interval.Set) spans {
	out := make(spans, s.Len(), s.Len()+8)
	for i := range out {
		out[i] = s.At(i)
	}
	return out
}

// search returns the index of the first span whose End is after x.
func (s spans) search(x int64) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m].End <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// spanAt returns the span holding x.
func (s spans) spanAt(x int64) (interval.Span, bool) {
	i := s.search(x)
	if i < len(s) && s[i].Start <= x {
		return s[i], true
	}
	return interval.Span{}, false
}

// measureIn returns |s ∩ [start, end)|.
func (s spans) measureIn(start, end int64) int64 {
	var n int64
	if start >= end {
		return 0
	}
	for i := s.search(start); i < len(s) && s[i].Start < end; i++ {
		n += min(s[i].End, end) - max(s[i].Start, start)
	}
	return n
}

// earliestFit is interval.Set.EarliestFit.
func (s spans) earliestFit(start, end, d int64) (int64, bool) {
	if start >= end {
		return 0, false
	}
	for i := s.search(start); i < len(s) && s[i].Start < end; i++ {
		a := max(s[i].Start, start)
		if d <= 0 || s[i].End-a >= d {
			return a, true
		}
	}
	return 0, false
}

// next returns the first instant of s at or after t, or false.
func (s spans) next(t int64) (int64, bool) {
	i := s.search(t)
	if i == len(s) {
		return 0, false
	}
	return max(s[i].Start, t), true
}

// subtract removes [a, b) from s in place.
func (s *spans) subtract(a, b int64) {
	if a >= b {
		return
	}
	v := *s
	i := v.search(a)
	if i == len(v) || v[i].Start >= b {
		return
	}
	// Spans i..j-1 meet [a, b).
	j := i
	for j < len(v) && v[j].Start < b {
		j++
	}
	first, last := v[i], v[j-1]
	var keep [2]interval.Span
	n := 0
	if first.Start < a {
		keep[n] = interval.Span{Start: first.Start, End: a}
		n++
	}
	if last.End > b {
		keep[n] = interval.Span{Start: b, End: last.End}
		n++
	}
	switch d := n - (j - i); {
	case d > 0: // one span split in two
		v = append(v, interval.Span{})
		copy(v[j+1:], v[j:])
	case d < 0:
		v = append(v[:i+n], v[j:]...)
	}
	copy(v[i:], keep[:n])
	*s = v
}

// dropBefore removes the spans that end at or before t, in place, once
// there are eight of them: what lies in the past is never asked again,
// and searches stay short.
func (s *spans) dropBefore(t int64) {
	v := *s
	if len(v) < 8 || v[7].End > t {
		return
	}
	k := v.search(t)
	n := copy(v, v[k:])
	*s = v[:n]
}
