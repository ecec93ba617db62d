// Package bitmap is the slow, obviously correct reference for interval
// arithmetic: a set of instants kept as one boolean per tick over a bounded
// range. Tests compare the real engines against it.
package bitmap

import "github.com/opendispatch/dispatch/interval"

// Bitmap holds a set of ticks in [Origin, Origin+Step*len(Bits)). Tick i
// stands for the half-open span [Origin+i*Step, Origin+(i+1)*Step): with
// Step = 60 and minute-aligned spans it is a minute bitmap.
type Bitmap struct {
	Origin, Step int64
	Bits         []bool
}

// New returns an empty bitmap of n ticks of length step from origin.
func New(origin, step int64, n int) Bitmap {
	return Bitmap{Origin: origin, Step: step, Bits: make([]bool, n)}
}

// Clone returns an independent copy of m.
func (m Bitmap) Clone() Bitmap {
	c := m
	c.Bits = append([]bool(nil), m.Bits...)
	return c
}

// tick returns the index of the tick holding x, clamped to [0, len].
func (m Bitmap) tick(x int64) int {
	i := (x - m.Origin) / m.Step
	if x < m.Origin {
		return 0
	}
	if i > int64(len(m.Bits)) {
		return len(m.Bits)
	}
	return int(i)
}

// SetSpan sets every tick of [start, end) to v. start and end must be
// multiples of Step from Origin.
func (m Bitmap) SetSpan(start, end int64, v bool) {
	for i := m.tick(start); i < m.tick(end); i++ {
		m.Bits[i] = v
	}
}

// FromSet returns the bitmap of s over the given range.
func FromSet(s interval.Set, origin, step int64, n int) Bitmap {
	m := New(origin, step, n)
	for sp := range s.All() {
		m.SetSpan(sp.Start, sp.End, true)
	}
	return m
}

// Set converts m back to a normalized interval set, span by span.
func (m Bitmap) Set() interval.Set {
	var spans []interval.Span
	for i := 0; i < len(m.Bits); {
		if !m.Bits[i] {
			i++
			continue
		}
		j := i
		for j < len(m.Bits) && m.Bits[j] {
			j++
		}
		spans = append(spans, interval.Span{Start: m.Origin + int64(i)*m.Step, End: m.Origin + int64(j)*m.Step})
		i = j
	}
	return interval.New(spans...)
}

// Combine returns the tick-by-tick result of op on m and o, which must have
// the same shape.
func (m Bitmap) Combine(o Bitmap, op func(a, b bool) bool) Bitmap {
	c := m.Clone()
	for i := range c.Bits {
		c.Bits[i] = op(m.Bits[i], o.Bits[i])
	}
	return c
}

// Count returns the number of set ticks in [start, end), times Step: the
// measure of the set there.
func (m Bitmap) Count(start, end int64) int64 {
	var n int64
	for i := m.tick(start); i < m.tick(end); i++ {
		if m.Bits[i] {
			n++
		}
	}
	return n * m.Step
}

// Has reports whether the tick holding x is set.
func (m Bitmap) Has(x int64) bool {
	if x < m.Origin {
		return false
	}
	i := (x - m.Origin) / m.Step
	return i < int64(len(m.Bits)) && m.Bits[i]
}

// EarliestFit is the brute-force form of interval.Set.EarliestFit: it tries
// every tick of [start, end) as an arrival and checks every tick of the job.
func (m Bitmap) EarliestFit(start, end, d int64) (int64, bool) {
	for a := start; a < end; a += m.Step {
		ok := m.Has(a)
		for x := a; ok && x < a+d; x += m.Step {
			ok = m.Has(x)
		}
		if ok {
			return a, true
		}
	}
	return 0, false
}
