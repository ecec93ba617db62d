package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/interval"
)

// randomSet returns up to n random spans in [0, 1000) on a coarse grid,
// so that starts tie often.
func randomSet(g *rand.Rand, n int) interval.Set {
	var sp []interval.Span
	for range g.IntN(n + 1) {
		a := int64(g.IntN(100)) * 10
		sp = append(sp, interval.Span{Start: a, End: a + int64(1+g.IntN(20))*10})
	}
	return interval.New(sp...)
}

// TestEmergencyIndexProperty drives an emergency index and the search it
// replaces — every technician asked in order — through random books:
// technicians with random urgent and open time on a coarse grid (ties are
// common), searches at increasing times with random wait bounds and
// durations, the answer booked, and other lists booking the same
// technicians behind the index's back.
func TestEmergencyIndexProperty(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 500))
	props.Property("the index finds what asking everyone finds", prop.ForAll(
		func(seed uint64) string {
			g := rand.New(rand.NewPCG(seed, 7))
			n := 1 + g.IntN(10)
			r := &rep{techs: make([]techRun, n)}
			list := make([]int32, n)
			for i := range n {
				list[i] = int32(i)
				r.techs[i].urgent = spansOf(randomSet(g, 6))
				r.techs[i].open = spansOf(randomSet(g, 6).Union(r.techs[i].urgent.set()))
			}
			x := newEmIndex(list)
			now := int64(0)
			for step := range 40 {
				now += int64(g.IntN(4)) * 10
				end := now + 1 + int64(g.IntN(40))*10
				if g.IntN(4) == 0 {
					end = math.MaxInt64 / 2
				}
				d := int64(1+g.IntN(6)) * 10
				pos, at := x.earliest(r, now, end, d)
				best, bestAt := int32(-1), int64(math.MaxInt64)
				for p, ti := range list {
					if a, ok := r.techs[ti].urgentFit(now, min(end, bestAt), d); ok && a < bestAt {
						best, bestAt = int32(p), a
					}
				}
				if pos != best || (best >= 0 && at != bestAt) {
					return fmt.Sprintf("step %d, now %d, end %d, d %d: index %d at %d, everyone asked %d at %d", step, now, end, d, pos, at, best, bestAt)
				}
				if pos >= 0 {
					t := &r.techs[list[pos]]
					t.urgent.subtract(at, at+d)
					t.open.subtract(at, at+d)
					x.booked(r, pos, now)
				}
				if g.IntN(3) == 0 { // another list books someone
					t := &r.techs[g.IntN(n)]
					a := now + int64(g.IntN(30))*10
					t.urgent.subtract(a, a+30)
					t.open.subtract(a, a+30)
				}
			}
			return ""
		},
		gen.UInt64(),
	))
	proptest.Run(t, props)
}

// TestSpansProperty checks the in-place operations of spans against
// interval.Set's.
func TestSpansProperty(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 2000))
	props.Property("subtract, dropBefore and the queries agree with interval.Set", prop.ForAll(
		func(seed uint64) string {
			g := rand.New(rand.NewPCG(seed, 9))
			set := randomSet(g, 12)
			s := spansOf(set)
			for range 10 {
				a := int64(g.IntN(1100)) - 50
				b := a + int64(g.IntN(300))
				set = set.Difference(interval.From(a, b))
				s.subtract(a, b)
				if !s.set().Equal(set) {
					return fmt.Sprintf("subtract [%d, %d): got %v, want %v", a, b, s.set(), set)
				}
				x, y, d := int64(g.IntN(1000)), int64(g.IntN(1000)), int64(g.IntN(200))
				if got, want := s.measureIn(x, y), set.MeasureIn(x, y); got != want {
					return fmt.Sprintf("measureIn(%d, %d) = %d, want %d", x, y, got, want)
				}
				ga, gok := s.earliestFit(x, y, d)
				wa, wok := set.EarliestFit(x, y, d)
				if ga != wa || gok != wok {
					return fmt.Sprintf("earliestFit(%d, %d, %d) = %d %v, want %d %v", x, y, d, ga, gok, wa, wok)
				}
				gs, gok := s.spanAt(x)
				ws, wok := set.SpanAt(x)
				if gs != ws || gok != wok {
					return fmt.Sprintf("spanAt(%d) = %v %v, want %v %v", x, gs, gok, ws, wok)
				}
			}
			// dropBefore keeps everything from t on.
			tt := int64(g.IntN(1000))
			s.dropBefore(tt)
			if !s.set().Clip(tt, math.MaxInt64).Equal(set.Clip(tt, math.MaxInt64)) {
				return fmt.Sprintf("dropBefore(%d) lost time after it", tt)
			}
			return ""
		},
		gen.UInt64(),
	))
	proptest.Run(t, props)
}

func (s spans) set() interval.Set { return interval.New(slices.Clone(s)...) }
