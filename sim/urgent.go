package sim

import (
	"math"
	"math/bits"
)

// emIndex answers "which technician of a list can start an emergency
// earliest, ties to the lowest id?" without asking every technician.
//
// Each technician of the list has a lower bound on the first instant it
// may start one: the first instant of its urgent time at or after the
// time the bound was taken. Urgent time only shrinks as jobs are booked
// and the clock only moves forward, so a bound once true stays a lower
// bound for ever, however other lists book the technician: bounds are
// refreshed lazily, when the search meets them. Technicians whose bound
// has passed are "available" and kept in a bit set, visited in list
// (= id) order; the others wait in a min-heap by (bound, position). A
// search visits the available ones until one can start at once — with
// first come, first served by lowest id the list's busy technicians are
// at its front and leave the set when booked — and then only the heap's
// technicians whose bound does not exceed the best start found.
//
// The result is exactly that of asking every technician in id order
// (TestEmergencyIndex compares them on random books).
type emIndex struct {
	list  []int32  // technician indexes, ascending
	avail []uint64 // bit set over list positions
	heap  []emEntry
	stash []emEntry
}

type emEntry struct {
	lb  int64
	pos int32
}

func newEmIndex(list []int32) *emIndex {
	x := &emIndex{list: list, avail: make([]uint64, (len(list)+63)/64)}
	for p := range list {
		x.avail[p/64] |= 1 << (p % 64)
	}
	return x
}

func (e emEntry) less(o emEntry) bool { return e.lb < o.lb || e.lb == o.lb && e.pos < o.pos }

// push and pop keep heap as a 4-ary min-heap.
func (x *emIndex) push(e emEntry) {
	x.heap = append(x.heap, e)
	h := x.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !e.less(h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

func (x *emIndex) pop() emEntry {
	h := x.heap
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	x.heap = h
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for k := c + 1; k < min(c+4, n); k++ {
			if h[k].less(h[m]) {
				m = k
			}
		}
		if !h[m].less(last) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = last
	return top
}

// bound returns the first instant of technician ti's urgent time at or
// after now, or MaxInt64.
func bound(r *rep, ti int32, now int64) int64 {
	if a, ok := r.techs[ti].urgent.next(now); ok {
		return a
	}
	return math.MaxInt64
}

// earliest returns the list position and start of the technician who can
// start an emergency of d seconds earliest in [now, end), ties to the
// lowest position, or -1.
func (x *emIndex) earliest(r *rep, now, end, d int64) (int32, int64) {
	for len(x.heap) > 0 && x.heap[0].lb <= now {
		p := x.pop().pos
		x.avail[p/64] |= 1 << (p % 64)
	}
	best, bestAt := int32(-1), int64(math.MaxInt64)
	// Available technicians in position order: the first that can start
	// now is the answer.
	for wi, word := range x.avail {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			p := int32(wi*64 + b)
			t := &r.techs[x.list[p]]
			i := t.urgent.search(now)
			if i == len(t.urgent) || t.urgent[i].Start > now {
				lb := int64(math.MaxInt64)
				if i < len(t.urgent) {
					lb = t.urgent[i].Start
				}
				x.avail[wi] &^= 1 << b
				x.push(emEntry{lb, p})
				continue
			}
			if a, ok := t.urgentFitFrom(i, now, min(end, bestAt), d); ok && a < bestAt {
				best, bestAt = p, a
				if a == now {
					return best, bestAt
				}
			}
		}
	}
	// Then those whose bound is not past the best start so far.
	x.stash = x.stash[:0]
	for len(x.heap) > 0 {
		e := x.heap[0]
		if e.lb >= end || e.lb > bestAt || e.lb == bestAt && e.pos > best {
			break
		}
		x.pop()
		ti := x.list[e.pos]
		if lb := bound(r, ti, now); lb > e.lb {
			x.push(emEntry{lb, e.pos}) // tighter: look again in order
			continue
		}
		limit := min(end, bestAt)
		if bestAt < math.MaxInt64 {
			limit = min(end, bestAt+1) // an equal start wins on a lower position
		}
		if a, ok := r.techs[ti].urgentFit(now, limit, d); ok && (a < bestAt || a == bestAt && e.pos < best) {
			best, bestAt = e.pos, a
		}
		x.stash = append(x.stash, e)
	}
	for _, e := range x.stash {
		x.push(e)
	}
	return best, bestAt
}

// booked updates the entry of the technician at position p after a
// booking at now.
func (x *emIndex) booked(r *rep, p int32, now int64) {
	if x.avail[p/64]&(1<<(p%64)) == 0 {
		return // in the heap: its bound is still a lower bound
	}
	if lb := bound(r, x.list[p], now); lb > now {
		x.avail[p/64] &^= 1 << (p % 64)
		x.push(emEntry{lb, p})
	}
}
