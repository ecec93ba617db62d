package sim_test

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/opendispatch/dispatch/sim"
)

// TestExactIntervalNoEvents: a share no replication saw an event in has
// an interval of positive width, the exact one of its pooled trials — not
// "0 [0, 0]", which claims a certainty that five replications of a rare
// loss do not give. M/M/12/12 at A = 2 loses 10⁻⁴% of its calls, so no
// replication loses one; the share's upper bound is Clopper and
// Pearson's 1 − 0.025^(1/N) over the N emergencies of every replication,
// and the count's Garwood's −ln(0.025)/n over n replications.
func TestExactIntervalNoEvents(t *testing.T) {
	q := sim.Queue{Servers: 12, Erlangs: 2, Days: 8, WarmupDays: 1, Replications: 5, Seed: 1}
	s, d, err := q.Study()
	if err != nil {
		t.Fatal(err)
	}
	res := simulate(t, s, d, sim.Options{})
	var calls int64
	for _, r := range res.Runs {
		if r.EmergencyLost != 0 {
			t.Fatalf("replication %d lost %d calls: pick a lighter load", r.Replication, r.EmergencyLost)
		}
		calls += r.EmergencyCalls
	}
	v := res.Summary.Variants[0]
	share, lost := kpi(v, "emergencyLostShare"), kpi(v, "emergencyLost")
	wantShare := 100 * -math.Expm1(math.Log(0.025)/float64(calls))
	if share.Low != 0 || math.Abs(share.High-wantShare) > 1e-9*wantShare {
		t.Errorf("share lost with no loss in %d calls: [%g, %g], want [0, %g]", calls, share.Low, share.High, wantShare)
	}
	if b := 100 * erlangB(12, 2); share.High < b {
		t.Errorf("share lost: [%g, %g] misses Erlang B's %g", share.Low, share.High, b)
	}
	wantLost := -math.Log(0.025) / 5
	if lost.Low != 0 || math.Abs(lost.High-wantLost) > 1e-9 {
		t.Errorf("emergencies lost, none in 5 replications: [%g, %g], want [0, %g]", lost.Low, lost.High, wantLost)
	}
	// A figure that is no share or count keeps Student t's interval.
	if e := kpi(v, "utilisation"); !(e.Low < e.Mean && e.Mean < e.High) {
		t.Errorf("utilisation %+v: want Student t's interval around the mean", e)
	}
}

// TestRareLossCoverage: at a rare loss, M/M/8/8 at A = 2 (B = 0.086%,
// about 0.3 calls lost a replication), the interval of the share lost
// covers Erlang B in at least 90% of 200 studies of 5 replications. With
// Student t's interval alone it covered 65% (in 35% no replication lost
// a call: "0 [0, 0]"); the 200 studies of this test, 128 (64%).
func TestRareLossCoverage(t *testing.T) {
	studies := 200
	if raceEnabled {
		studies = 40
	}
	b := 100 * erlangB(8, 2)
	covered := 0
	for i := range studies {
		q := sim.Queue{Servers: 8, Erlangs: 2, Days: 8, WarmupDays: 1, Replications: 5, Seed: uint64(i + 1)}
		s, d, err := q.Study()
		if err != nil {
			t.Fatal(err)
		}
		e := kpi(simulate(t, s, d, sim.Options{Workers: 1}).Summary.Variants[0], "emergencyLostShare")
		if e.Low <= b && b <= e.High {
			covered++
		}
	}
	t.Logf("covered Erlang B's %.4f%% in %d of %d studies", b, covered, studies)
	if covered < studies*9/10 {
		t.Errorf("the share lost covered Erlang B's %.4f%% in %d of %d studies, want at least 90%%", b, covered, studies)
	}
}

// TestOptimizeRareLoss: the optimiser at the boundary of a rare loss.
// At A = 2, 7 servers lose 0.344% of calls, above a target of 0.33%, so
// the answer is 8; over two measured days (96 calls a replication, 0.33
// lost) the replications of 7 servers are mostly 0. Student t's bound
// alone declared 7 feasible on all-zero replications (with certainty)
// and on one loss in 16 replications (5 expected): in 15% of seeds at
// looks 8…64 and 50% at 4…16 (the coverage experiment), in 3 and 10 of
// the 20 seeds here. The bound of the pooled events (Clopper–Pearson at
// the test's level) does not.
func TestOptimizeRareLoss(t *testing.T) {
	if raceEnabled {
		t.Skip("20 optimisations: the race detector makes them slow")
	}
	for _, looks := range [][2]int{{8, 64}, {4, 16}} {
		t.Run(fmt.Sprintf("looks=%d…%d", looks[0], looks[1]), func(t *testing.T) {
			wrong := 0
			for seed := range uint64(20) {
				spec, d := lossStudy(t, 2, 0.33, 3, 0, 10, looks[0], looks[1])
				spec.Scenario.Days = 3
				spec.Scenario.Seed = seed + 1
				res, err := sim.Optimize(spec, d, sim.OptimizeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if res.Best < 0 {
					continue // undecided: a runner-up, not a wrong answer
				}
				if got := 3 + res.Configurations[res.Best].Values[0]; got < 8 {
					wrong++
					t.Errorf("seed %d: the answer is %d servers, whose loss %.3f%% misses the target 0.33%%", seed+1, got, 100*erlangB(got, 2))
				}
			}
			t.Logf("%d of 20 answers miss the target", wrong)
		})
	}
}

// TestBreakdownExactIntervals: the per-day and breakdown tables' lost
// calls have the headline's intervals — Student t's widened to contain
// Garwood's exact interval of the pooled losses — not "0 [0, 0]" for a
// reason or a day no replication lost a call on. With no loss in 5
// replications every such interval is [0, −ln(0.025)/5]; with losses,
// each contains both Student t's interval of the replications' counts
// and Garwood's of their sum.
func TestBreakdownExactIntervals(t *testing.T) {
	none := -math.Log(0.025) / 5
	q := sim.Queue{Servers: 12, Erlangs: 2, Days: 8, WarmupDays: 1, Replications: 5, Seed: 1}
	s, d, err := q.Study()
	if err != nil {
		t.Fatal(err)
	}
	v := simulate(t, s, d, sim.Options{}).Summary.Variants[0]
	for name, c := range lossCIs(v) {
		if c.Mean != 0 || c.Low != 0 || math.Abs(c.High-none) > 1e-9 {
			t.Errorf("%s, no loss in 5 replications: %+v, want 0 in [0, %g]", name, c, none)
		}
	}

	q = sim.Queue{Servers: 3, Erlangs: 2, Days: 8, WarmupDays: 1, Replications: 5, Seed: 1}
	if s, d, err = q.Study(); err != nil {
		t.Fatal(err)
	}
	res := simulate(t, s, d, sim.Options{})
	v = res.Summary.Variants[0]
	lost := 0.0
	for di, day := range v.Days {
		xs := make([]float64, len(res.Runs))
		for i, r := range res.Runs {
			xs[i] = float64(r.Days[di].LostBy.Total())
		}
		lost += day.Lost.Mean
		tLo, tHi := studentT(xs)
		gLo, gHi := garwood(floats.Sum(xs), 0.025)
		gLo, gHi = gLo/float64(len(xs)), gHi/float64(len(xs))
		if !(day.Lost.Low <= min(tLo, gLo)+1e-9 && day.Lost.High >= max(tHi, gHi)-1e-9) {
			t.Errorf("day %s lost %+v: want it to contain Student t's [%g, %g] and Garwood's [%g, %g]", day.Date, day.Lost, tLo, tHi, gLo, gHi)
		}
		if math.Abs(day.Lost.Low-min(tLo, gLo)) > 1e-9 || math.Abs(day.Lost.High-max(tHi, gHi)) > 1e-9 {
			t.Errorf("day %s lost %+v: want the hull [%g, %g] of the two, no wider", day.Date, day.Lost, min(tLo, gLo), max(tHi, gHi))
		}
	}
	if lost == 0 {
		t.Fatal("M/M/3/3 at A = 2 lost no call: the second case tests nothing")
	}
}

// lossCIs returns every lost-call interval of v's per-day and breakdown
// tables, by a name saying where it is.
func lossCIs(v sim.VariantSummary) map[string]sim.CI {
	out := map[string]sim.CI{}
	for _, d := range v.Days {
		out["day "+d.Date] = d.Lost
	}
	for table, rows := range map[string][]sim.LossRow{"job type": v.Losses.ByJobType, "unit": v.Losses.ByBusinessUnit, "zone": v.Losses.ByZone, "day": v.Losses.ByDay} {
		for _, r := range rows {
			out[fmt.Sprintf("%s %s lost", table, r.Label)] = r.Lost
			for why, c := range r.LostBy {
				out[fmt.Sprintf("%s %s lost (%s)", table, r.Label, sim.Reason(why))] = c
			}
		}
	}
	return out
}

// studentT is the 95% Student t interval of xs's mean.
func studentT(xs []float64) (lo, hi float64) {
	m, sd := stat.MeanStdDev(xs, nil)
	hw := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975) * sd / math.Sqrt(float64(len(xs)))
	return m - hw, m + hw
}
