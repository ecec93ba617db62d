package sim_test

import (
	"math"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/sim"
)

// relaxationHours is the heavy-traffic relaxation time of M/M/c with a
// mean service time of one hour, 1/(√c − √A)².
func relaxationHours(c int, a float64) float64 {
	d := math.Sqrt(float64(c)) - math.Sqrt(a)
	return 1 / (d * d)
}

// TestQueueWarmup pins the warm-up Queue.Study picks: WarmupDays 0 leaves
// out four relaxation times rounded up to whole days (at least one), a
// negative WarmupDays none, a positive one itself; an M/M/c queue without
// a steady state (A ≥ c) has no default, and too few days for the default
// say so.
func TestQueueWarmup(t *testing.T) {
	for _, tc := range []struct {
		q    sim.Queue
		want int
	}{
		{sim.Queue{Servers: 10, Erlangs: 9.5, Days: 60, Patient: true}, 26}, // τ = 156.0 h
		{sim.Queue{Servers: 20, Erlangs: 18, Days: 60, Patient: true}, 4},   // τ = 19.0 h
		{sim.Queue{Servers: 100, Erlangs: 95, Days: 60, Patient: true}, 3},  // τ = 15.6 h
		{sim.Queue{Servers: 300, Erlangs: 285, Days: 60, Patient: true}, 1}, // τ = 5.2 h
		{sim.Queue{Servers: 10, Erlangs: 9.5, Days: 60}, 1},                 // M/M/c/c: τ = 1 h
		{sim.Queue{Servers: 10, Erlangs: 9.5, Days: 60, WarmupDays: 2, Patient: true}, 2},
		{sim.Queue{Servers: 10, Erlangs: 9.5, Days: 60, WarmupDays: -1, Patient: true}, 0},
		{sim.Queue{Servers: 10, Erlangs: 12, Days: 60, WarmupDays: -1, Patient: true}, 0},
	} {
		tc.q.Replications = 2
		s, _, err := tc.q.Study()
		if err != nil {
			t.Errorf("%+v: %v", tc.q, err)
			continue
		}
		if s.WarmupDays != tc.want {
			t.Errorf("%+v: warm-up %d days, want %d (relaxation %.1f hours)", tc.q, s.WarmupDays, tc.want, tc.q.RelaxationHours())
		}
	}
	for _, tc := range []struct {
		q    sim.Queue
		want string
	}{
		{sim.Queue{Servers: 10, Erlangs: 10, Days: 60, Patient: true}, "no steady state"},
		{sim.Queue{Servers: 10, Erlangs: 9.5, Days: 26, Patient: true}, "is 26 days"},
		{sim.Queue{Servers: 10, Erlangs: 9.5, Days: 3, WarmupDays: 3, Patient: true}, "warm-up days fewer than the days"},
		// A relaxation time beyond any int (4·10²³ hours) is too long a warm-up.
		{sim.Queue{Servers: 100000, Erlangs: 100000 - 1e-9, Days: 366, Patient: true}, "is 2147483647 days"},
	} {
		tc.q.Replications = 2
		if _, _, err := tc.q.Study(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got error %v, want one saying %q", tc.q, err, tc.want)
		}
	}
	if r := (sim.Queue{Servers: 10, Erlangs: 10, Patient: true}).RelaxationHours(); !math.IsInf(r, 1) {
		t.Errorf("relaxation of M/M/10 at A = 10: got %g hours, want +Inf", r)
	}
}

// The default warm-up is the fewest whole days, at least one, that cover
// four relaxation times, for every stable M/M/c queue; and a study needs
// one day more.
func TestQueueWarmupProperty(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 200))
	props.Property("the default warm-up is ⌈4τ⌉ days, at least 1", prop.ForAll(
		func(c int, rho float64) bool {
			q := sim.Queue{Servers: c, Erlangs: rho * float64(c), Days: 1000, Patient: true, Replications: 2}
			tau := relaxationHours(c, q.Erlangs)
			if math.Abs(q.RelaxationHours()-tau) > 1e-9*tau {
				t.Logf("%+v: relaxation %g hours, want %g", q, q.RelaxationHours(), tau)
				return false
			}
			w := max(1, int(math.Ceil(4*tau/24)))
			q.Days = w
			if _, _, err := q.Study(); err == nil {
				t.Logf("%+v: %d days accepted with a warm-up of %d", q, q.Days, w)
				return false
			}
			q.Days = w + 1
			s, _, err := q.Study()
			if err != nil {
				t.Logf("%+v: %v", q, err)
				return false
			}
			enough := float64(s.WarmupDays*24) >= 4*tau
			least := s.WarmupDays == 1 || float64((s.WarmupDays-1)*24) < 4*tau
			if !enough || !least {
				t.Logf("%+v: warm-up %d days for 4τ = %.1f hours", q, s.WarmupDays, 4*tau)
			}
			return enough && least
		},
		gen.IntRange(1, 40),
		gen.Float64Range(0.05, 0.97),
	))
	proptest.Run(t, props)
}
