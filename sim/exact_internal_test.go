package sim

import "testing"

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
