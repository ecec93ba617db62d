package interval_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/opendispatch/dispatch/interval"
)

// randomSet returns a set of exactly n spans with random gaps and lengths.
func randomSet(r *rand.Rand, n int) interval.Set {
	spans := make([]interval.Span, n)
	var x int64
	for i := range spans {
		x += 1 + r.Int64N(600)
		l := 1 + r.Int64N(600)
		spans[i] = interval.Span{Start: x, End: x + l}
		x += l
	}
	return interval.FromNormalized(spans)
}

var sink interval.Set

func BenchmarkOps(b *testing.B) {
	ops := []struct {
		name  string
		f     func(dst []interval.Span, a, b interval.Set) interval.Set
		alloc func(a, b interval.Set) interval.Set
	}{
		{"union", interval.AppendUnion, interval.Set.Union},
		{"intersect", interval.AppendIntersect, interval.Set.Intersect},
		{"difference", interval.AppendDifference, interval.Set.Difference},
	}
	for _, n := range []int{10, 1000, 100000} {
		r := rand.New(rand.NewPCG(1, uint64(n)))
		x, y := randomSet(r, n), randomSet(r, n)
		for _, op := range ops {
			b.Run(fmt.Sprintf("op=%s/spans=%d/alloc", op.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					sink = op.alloc(x, y)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/span")
			})
			b.Run(fmt.Sprintf("op=%s/spans=%d/append", op.name, n), func(b *testing.B) {
				buf := make([]interval.Span, 0, 2*n)
				b.ReportAllocs()
				for b.Loop() {
					sink = op.f(buf, x, y)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/span")
			})
		}
	}
}

func BenchmarkContains(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 2))
	s := randomSet(r, 100000)
	bounds, _ := s.Bounds()
	var hits int
	b.ReportAllocs()
	for b.Loop() {
		if s.Contains(bounds.Start + r.Int64N(bounds.Len())) {
			hits++
		}
	}
	_ = hits
}
