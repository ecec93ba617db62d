package sim_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/sim"
)

// TestMergeImpossibleCounts: a part whose counts no simulation writes (a
// negative count, more on-time arrivals than routine jobs) is refused
// with what is wrong and where, not summarised: the exact intervals'
// Beta and Gamma quantiles panicked on them ("cephes: parameter out of
// bounds") where the Student-t intervals before them had not.
func TestMergeImpossibleCounts(t *testing.T) {
	s := sim.Default()
	s.Replications, s.Days, s.WarmupDays, s.Variants = 2, 3, 1, nil
	d := demoData(t)
	var parts [][]byte
	for i := range 2 {
		p := simulate(t, s, d, sim.Options{Shard: i, Shards: 2, Workers: 1})
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, b)
	}
	for _, tc := range []struct {
		name string
		edit func(r *sim.Run)
		want string
	}{
		{"on time above routine", func(r *sim.Run) { r.OnTime = r.RoutineJobs + 1000 }, "onTime is"},
		{"lost negative", func(r *sim.Run) { r.Lost = -1000 }, "lost is -1000: a count cannot be negative"},
		{"lost by reason negative", func(r *sim.Run) { r.LostBy[0] = -1000 }, "lostBy." + sim.Reason(0).String() + " is -1000"},
		{"emergencies lost above calls", func(r *sim.Run) { r.EmergencyLost = r.EmergencyCalls + 1000 }, "emergencyLost is"},
		{"waited above reached", func(r *sim.Run) { r.EmergencyWaited = r.EmergencyJobs + 1000 }, "emergencyWaited is"},
		{"booked above calls", func(r *sim.Run) { r.Booked = r.Calls + 1000 }, "booked is"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []*sim.Result
			for i, b := range parts {
				r, err := sim.ParseResult(b)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					tc.edit(r.Runs[0])
				}
				rs = append(rs, r)
			}
			_, err := sim.Merge(rs...)
			if err == nil || !strings.Contains(err.Error(), "run 0 (baseline, replication 0): "+tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestOptimizeImpossibleValues: a partial optimiser result whose figures
// no simulation writes (a share above 100%, a negative count of lost
// calls or of trials) is refused with the run and the figure, not judged:
// the exact bounds' quantiles panicked on them.
func TestOptimizeImpossibleValues(t *testing.T) {
	spec, d := lossStudy(t, 2, 5, 1, 0, 3, 4, 8)
	p, err := sim.Optimize(spec, d, sim.OptimizeOptions{Workers: 1, Shard: 0, Shards: 2})
	if err != nil {
		t.Fatal(err)
	}
	index := func(key string) int {
		for i, m := range p.Metrics {
			if m.Key == key {
				return i
			}
		}
		t.Fatalf("no metric %s", key)
		return -1
	}
	for _, tc := range []struct {
		key   string
		value float64
		want  string
	}{
		{"lostShare", 150, "lostShare is 150, not a share from 0 to 100%"},
		{"emergencyLostShare", -5, "emergencyLostShare is -5, not a share from 0 to 100%"},
		{"lost", -3, "lost is -3: a count cannot be negative"},
		{"calls", -10, "calls is -10: a count cannot be negative"},
	} {
		b, _ := json.Marshal(p)
		var o sim.Optimization
		if err := json.Unmarshal(b, &o); err != nil {
			t.Fatal(err)
		}
		for i := range o.Runs {
			o.Runs[i].Values[index(tc.key)] = sim.MetricValue(tc.value)
		}
		_, err := sim.MergeOptimization(spec, d, &o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s = %g: got %v, want %q", tc.key, tc.value, err, tc.want)
		}
	}
}

// TestOffCentreNote: where a report shows an interval off its mean as
// mean ± its longer side (no loss seen in any replication: "0.00 ±h"
// with h the upper bound), the text and HTML say what ± is; both said
// "half-width" alone, which such a row is not.
func TestOffCentreNote(t *testing.T) {
	q := sim.Queue{Servers: 12, Erlangs: 2, Days: 8, WarmupDays: 1, Replications: 5, Seed: 1}
	s, d, err := q.Study()
	if err != nil {
		t.Fatal(err)
	}
	res := simulate(t, s, d, sim.Options{})
	lost := kpi(res.Summary.Variants[0], "lost")
	if lost.Mean != 0 || lost.Low != 0 || lost.High <= 0 {
		t.Fatalf("lost calls %+v: want none seen and an upper bound above 0", lost)
	}
	var text, html strings.Builder
	if err := sim.WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	if err := sim.WriteHTML(&html, res); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(text.String()), " ")
	for _, want := range []string{"± is then its longer side", "none seen: from 0 up to the ± shown"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the text report does not say %q", want)
		}
		if !strings.Contains(html.String(), want) {
			t.Errorf("the HTML report does not say %q", want)
		}
	}
}
