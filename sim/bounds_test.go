package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/tenant"
)

// weightVector draws 168 hour weights from a mix that favours extremes:
// zeros, subnormals, tiny and huge values, up to the largest float.
func weightVector(g *rand.Rand) []float64 {
	pool := []float64{0, 5e-324, 1e-300, 1e-12, 1, 1e12, 1e300, 1e306, math.MaxFloat64}
	w := make([]float64, 168)
	zero := g.IntN(3) == 0
	for i := range w {
		switch {
		case zero:
			w[i] = 0
		case g.IntN(4) == 0:
			w[i] = pool[g.IntN(len(pool))]
		default:
			w[i] = g.Float64() * math.Pow(10, float64(g.IntN(40)-20))
		}
	}
	if g.IntN(2) == 0 {
		w[g.IntN(168)] = pool[g.IntN(len(pool))]
	}
	return w
}

// TestHourRatesProperty: for any weight vector, hourRates either refuses
// it with an error or returns finite, non-negative rates with a positive
// peak that add up to the week's calls — never Inf or NaN, which would
// stall the thinning of arrivals (review 5, finding 3).
func TestHourRatesProperty(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 2000))
	props.Property("rates are finite, positive at the peak and sum to the week", prop.ForAll(
		func(seed uint64, perDay float64) string {
			w := weightVector(rand.New(rand.NewPCG(seed, 3)))
			rates, err := hourRates(w, perDay)
			sum := 0.0
			for _, x := range w {
				sum += x
			}
			if err != nil {
				if sum > 0 && !math.IsInf(sum, 0) {
					return "refused a finite, positive profile: " + err.Error()
				}
				return ""
			}
			peak, total := 0.0, 0.0
			for _, r := range rates {
				if !(r >= 0) || math.IsInf(r, 0) {
					return "a rate is not finite"
				}
				peak = math.Max(peak, r)
				total += r
			}
			if !(peak > 0) {
				return "no positive rate"
			}
			if want := perDay * 7 / 3600; math.Abs(total-want) > 1e-9*want {
				return "rates do not add up to the week's calls"
			}
			return ""
		},
		gen.UInt64(), gen.Float64Range(1e-3, 1e8),
	))
	proptest.Run(t, props)
}

// TestExtremeHourWeightsRun runs the demo with the most extreme weights
// a scenario accepts — one hour at the cap beside subnormal ones — and
// checks that it ends with calls only in that hour.
func TestExtremeHourWeightsRun(t *testing.T) {
	s := Default()
	s.Variants = nil
	s.Days, s.WarmupDays, s.Replications = 8, 1, 2
	s.Demand.HourOfWeek = make([]float64, 168)
	for i := range s.Demand.HourOfWeek {
		s.Demand.HourOfWeek[i] = 5e-324
	}
	s.Demand.HourOfWeek[24+10] = 1e12 // Monday 10:00
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := Simulate(s, demoDataInternal(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	calls := int64(0)
	for _, r := range res.Runs {
		calls += r.Calls
	}
	if calls == 0 {
		t.Fatalf("no calls with a finite peak of %v calls a day in one hour", s.Demand.CallsPerDay*7)
	}
}

func demoDataInternal(t testing.TB) capacity.Data {
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	return ten.Engine.Data()
}
