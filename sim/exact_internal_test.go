package sim

import (
	"math"
	"testing"
)

// TestExactImpossibleCounts: kpi.exact and kpi.exactDiff give no
// interval, rather than a panic of gonum's quantiles, for counts no
// simulation writes (Run.check
// and the optimiser refuse them before; this is the second line).
func TestExactImpossibleCounts(t *testing.T) {
	lost, _ := metricIndex("lost")
	share, _ := metricIndex("lostShare")
	for _, c := range []struct {
		k      int
		xs, ts []float64
	}{
		{lost, []float64{-3, -2}, nil},
		{share, []float64{150, 120}, []float64{10, 10}},
		{share, []float64{-50, 10}, []float64{10, 10}},
		{share, []float64{5, 10}, []float64{-10, 10}},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s %v of %v: panic %v", optMetrics[c.k].key, c.xs, c.ts, r)
				}
			}()
			if lo, hi, ok := optMetrics[c.k].exact(c.xs, c.ts, 0.025); ok {
				t.Errorf("%s %v of %v: [%g, %g], want none", optMetrics[c.k].key, c.xs, c.ts, lo, hi)
			}
			// The paired difference's exact interval, against a
			// possible baseline and as the baseline.
			ok := make([]float64, len(c.xs))
			for _, pair := range [][2][]float64{{c.xs, ok}, {ok, c.xs}} {
				if lo, hi, _, fine := optMetrics[c.k].exactDiff(pair[0], pair[1], c.ts, c.ts, 0.0125); fine {
					t.Errorf("%s difference %v − %v of %v: [%g, %g], want none", optMetrics[c.k].key, pair[0], pair[1], c.ts, lo, hi)
				}
			}
		}()
	}
}

// TestExactShareAgainstBinomial: the exact interval of a share is
// Clopper and Pearson's, checked against a bisection on the binomial
// distribution itself rather than gonum's Beta quantiles: its lower bound
// is the rate at which the pooled hits or more have probability alpha,
// its upper the rate at which they or fewer do; no hits has lower bound
// 0, all hits upper bound 100.
func TestExactShareAgainstBinomial(t *testing.T) {
	share, _ := metricIndex("lostShare")
	k := optMetrics[share]
	// binom returns P(X <= x) for X ~ Binomial(n, p).
	binom := func(x, n int, p float64) float64 {
		s := 0.0
		for i := 0; i <= x; i++ {
			lg := func(v int) float64 { r, _ := math.Lgamma(float64(v) + 1); return r }
			s += math.Exp(lg(n) - lg(i) - lg(n-i) + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
		}
		return s
	}
	const alpha = 0.025
	for _, c := range []struct{ hits, trials []float64 }{
		{[]float64{1, 2}, []float64{10, 12}},
		{[]float64{0, 0, 1}, []float64{30, 25, 20}},
		{[]float64{0, 0}, []float64{40, 40}},
		{[]float64{9, 10}, []float64{9, 10}},
		{[]float64{5, 7, 6}, []float64{12, 15, 11}},
	} {
		xs := make([]float64, len(c.hits))
		x, n := 0, 0
		for i := range xs {
			xs[i] = 100 * c.hits[i] / c.trials[i]
			x += int(c.hits[i])
			n += int(c.trials[i])
		}
		lo, hi, ok := k.exact(xs, c.trials, alpha)
		wantLo, wantHi := 0.0, 100.0
		if x > 0 {
			wantLo = 100 * bisect(func(p float64) float64 { return alpha - (1 - binom(x-1, n, p)) }, 0, 1)
		}
		if x < n {
			wantHi = 100 * bisect(func(p float64) float64 { return binom(x, n, p) - alpha }, 0, 1)
		}
		if !ok || math.Abs(lo-wantLo) > 1e-6 || math.Abs(hi-wantHi) > 1e-6 {
			t.Errorf("%v hits of %v: [%.6f, %.6f] %v, want [%.6f, %.6f]", c.hits, c.trials, lo, hi, ok, wantLo, wantHi)
		}
	}
}

// bisect finds x in (lo, hi) where f, decreasing, crosses 0: 200 halvings,
// for the slow references of the exact intervals.
func bisect(f func(float64) float64, lo, hi float64) float64 {
	for range 200 {
		m := (lo + hi) / 2
		if f(m) > 0 {
			lo = m
		} else {
			hi = m
		}
	}
	return (lo + hi) / 2
}
