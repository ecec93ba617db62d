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
)

// TestCensoredQuantileProperty checks the percentiles of emergencies with
// lost ones counted against a reference that puts every lost emergency at
// +∞ (never reached), and the rule the figures promise: for every T below
// the maximum wait, the p-percentile is at most T exactly when at least a
// share p of all emergencies were reached within T. Reached figures lie
// mostly within [0, limit]; responses (wait and drive) and some waits (the
// job before ran long) exceed it.
func TestCensoredQuantileProperty(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 500))
	props.Property("censored percentiles count lost emergencies as never reached", prop.ForAll(func(seed uint64) string {
		rng := rand.New(rand.NewPCG(seed, 3))
		limit := int64(rng.IntN(6)) * 3600 // 0 is the loss system
		n, lost := rng.IntN(40), int64(rng.IntN(12))
		response := rng.IntN(2) == 0
		xs := make([]int64, n)
		for i := range xs {
			xs[i] = rng.Int64N(limit + 1)
			if response || rng.IntN(10) == 0 {
				xs[i] += rng.Int64N(3600) // the drive, or the job before running long
			}
		}
		for _, p := range []float64{0.5, 0.9} {
			got := censoredQuantile(slices.Clone(xs), lost, limit, p)
			// The reference: lost ones at +∞, nearest rank.
			all := slices.Clone(xs)
			for range lost {
				all = append(all, math.MaxInt64)
			}
			want := quantile(all, p)
			total := int64(n) + lost
			// The summary's censoring flag, from a Run's counts alone, says
			// exactly when the percentile fell on a lost emergency.
			flagged := 0
			for _, k := range kpis {
				r := &Run{EmergencyJobs: int64(n), EmergencyLost: lost}
				if censoredKPIs[k.key] != p {
					continue
				}
				flagged++
				if k.censored(r) != (total > 0 && want == math.MaxInt64) {
					return fmt.Sprintf("%s: censored %v, the reference says %v", k.key, k.censored(r), want == math.MaxInt64)
				}
			}
			if flagged == 0 {
				return fmt.Sprintf("no KPI is a censored percentile at p = %v", p)
			}
			switch {
			case total == 0:
				if got != 0 {
					return "no emergency, percentile not 0"
				}
				continue
			case want == math.MaxInt64:
				if got <= limit || slices.ContainsFunc(xs, func(x int64) bool { return x >= got }) {
					return "a lost emergency's figure is not above the limit and every reached one"
				}
			case got != want:
				return "a percentile falling on a reached emergency differs from the reference"
			}
			need := int64(math.Ceil(float64(total)*p - 1e-9))
			for _, T := range []int64{0, limit - 1, limit / 2, rng.Int64N(limit + 1)} {
				if T < 0 || T >= limit {
					continue
				}
				within := int64(0)
				for _, x := range xs {
					if x <= T {
						within++
					}
				}
				if (got <= T) != (within >= need) {
					return "P ≤ T disagrees with the share reached within T"
				}
			}
		}
		return ""
	}, gen.UInt64()))
	props.TestingRun(t)
}

// TestCensoredQuantileExample: 10 emergencies, 2 lost, limit 4 hours: the
// median is a reached one's, the 90th percentile a lost one's — a minute
// over the limit for waits, a minute over the longest for responses.
func TestCensoredQuantileExample(t *testing.T) {
	waits := []int64{0, 60, 120, 600, 900, 1800, 3600, 7200}
	if got := censoredQuantile(slices.Clone(waits), 2, 4*3600, 0.5); got != 900 {
		t.Errorf("median %d, want 900", got)
	}
	if got := censoredQuantile(slices.Clone(waits), 2, 4*3600, 0.9); got != 4*3600+60 {
		t.Errorf("90th percentile %d, want %d (the limit and a minute)", got, 4*3600+60)
	}
	responses := append(slices.Clone(waits), 5*3600)
	if got := censoredQuantile(responses, 2, 4*3600, 0.9); got != 5*3600+60 {
		t.Errorf("90th percentile of responses %d, want %d (the longest and a minute)", got, 5*3600+60)
	}
	if got := censoredQuantile(slices.Clone(waits), 0, 4*3600, 0.9); got != 7200 {
		t.Errorf("90th percentile without losses %d, want 7200", got)
	}
}
