package sim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/sim"
)

// inverseErlangB is the smallest c whose Erlang B loss at load a is at
// most target, computed exactly by the recursion.
func inverseErlangB(a, target float64) int {
	b := 1.0
	for c := 1; ; c++ {
		b = a * b / (float64(c) + a*b)
		if b <= target {
			return c
		}
	}
}

// lossStudy is the optimiser's question on M/M/c/c: how many technicians
// around the clock keep the share of emergencies lost at most target%,
// from servers upwards (the lever adds 0…extra).
func lossStudy(t testing.TB, a, target float64, servers, extra, first, most int) (sim.OptimizeSpec, capacity.Data) {
	q := sim.Queue{Servers: servers, Erlangs: a, Days: 8, WarmupDays: 1, Replications: 2, Seed: 7}
	s, d, err := q.Study()
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	return sim.OptimizeSpec{
		Name:         fmt.Sprintf("Erlang B inverse at A = %g, loss <= %g%%", a, target),
		Scenario:     s,
		Targets:      []sim.Target{{KPI: "emergencyLostShare", AtMost: &target}},
		Levers:       []sim.Lever{{Technicians: &sim.TechniciansLever{Like: 1, Weekdays: all, From: "00:00", To: "24:00", Min: 0, Max: extra}}},
		Replications: sim.Looks{First: first, Max: most},
	}, d
}

// TestOptimizeErlangInverse checks the optimiser against a case with a
// known answer: reduced to M/M/c/c, the cheapest staffing whose loss is at
// most a target is the smallest c with Erlang B(c, A) ≤ target, the exact
// inverse of Erlang B.
//
// The targets are chosen so that the test is sound: the true losses of
// the answer and of one technician fewer are each at least 15% away from
// the target (checked below), so that at the optimiser's replication
// budget both decisions are clear-cut rather than a coin toss on a
// boundary. Where a round target lies too close it is replaced by the
// geometric mean of the two losses around it, which puts both 1.2–1.4
// times away.
func TestOptimizeErlangInverse(t *testing.T) {
	cases := []struct {
		a, target float64 // percent
		race      bool    // small enough for the race detector
	}{
		{2, 5, true},
		{5, 1, false},
		{8, 0, false},  // 0: the geometric mean around c* = 12
		{20, 0, false}, // around c* = 26
	}
	for _, tc := range cases {
		if raceEnabled && !tc.race {
			continue
		}
		a, target := tc.a, tc.target
		if target == 0 {
			c := map[float64]int{8: 12, 20: 26}[a]
			target = 100 * math.Sqrt(erlangB(c-1, a)*erlangB(c, a))
		}
		want := inverseErlangB(a, target/100)
		lo, hi := erlangB(want, a)*100, erlangB(want-1, a)*100
		if target/lo < 1.15 || hi/target < 1.15 {
			t.Fatalf("A = %g, target %g%%: B(%d) = %.3f%% and B(%d) = %.3f%% are too close to the target for a sound test", a, target, want, lo, want-1, hi)
		}
		t.Run(fmt.Sprintf("A=%g/loss<=%.3g%%", a, target), func(t *testing.T) {
			servers := max(1, want-5)
			spec, d := lossStudy(t, a, target, servers, 10, 8, 64)
			res, err := sim.Optimize(spec, d, sim.OptimizeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Complete || res.Best < 0 {
				t.Fatalf("no answer: %+v", res.Configurations)
			}
			best := res.Configurations[res.Best]
			got := servers + best.Values[0]
			for _, c := range res.Configurations {
				if c.Status != "unexamined" {
					t.Logf("c = %d: %s after %d replications (%s)", servers+c.Values[0], c.Status, c.Replications, c.Why)
				}
			}
			t.Logf("answer c = %d (exact inverse %d: B = %.3f%%, B(c−1) = %.3f%%), %d replications, runners-up %v", got, want, lo, hi, res.Replications, res.RunnersUp)
			if got != want {
				t.Errorf("the optimiser answers %d technicians, the exact inverse of Erlang B is %d", got, want)
			}
			if len(res.RunnersUp) != 0 {
				t.Errorf("runners-up %v on a clear-cut case", res.RunnersUp)
			}
		})
	}
}

// TestOptimizeDeterminism: the answer and its report do not depend on the
// number of workers, the batch, or sharding (shards of each round merged,
// round after round).
func TestOptimizeDeterminism(t *testing.T) {
	spec, d := lossStudy(t, 3, 5, 2, 6, 4, 16)
	encode := func(o *sim.Optimization) []byte {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one, err := sim.Optimize(spec, d, sim.OptimizeOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := encode(one)
	for _, opt := range []sim.OptimizeOptions{{Workers: 3}, {Workers: 2, Batch: 5}} {
		got, err := sim.Optimize(spec, d, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want, encode(got)) {
			t.Fatalf("options %+v change the result", opt)
		}
	}
	var state *sim.Optimization
	for round := 0; ; round++ {
		if round > 50 {
			t.Fatal("sharded rounds do not finish")
		}
		var parts []*sim.Optimization
		for i := range 3 {
			p, err := sim.Optimize(spec, d, sim.OptimizeOptions{Workers: 2, Batch: 4, Shard: i, Shards: 3, Prior: state})
			if err != nil {
				t.Fatal(err)
			}
			var back sim.Optimization // as shards on other machines would
			if err := json.Unmarshal(encode(p), &back); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, &back)
		}
		if state != nil {
			parts = append(parts, state)
		}
		m, err := sim.MergeOptimization(spec, d, parts...)
		if err != nil {
			t.Fatal(err)
		}
		if m.Complete {
			if !bytes.Equal(want, encode(m)) {
				t.Fatalf("sharded rounds give another result:\n%.400s\n%.400s", want, encode(m))
			}
			t.Logf("%d rounds of 3 shards", round+1)
			break
		}
		state = m
	}
}

// TestOptimizeSpecErrors: optimize-scenario files are read strictly, and
// every problem is reported at once with its path.
func TestOptimizeSpecErrors(t *testing.T) {
	_, err := sim.ParseOptimizeSpec([]byte(`{"scenario": {"days": 0, "variants": [{"name": "x", "changes": []}]},
		"targets": [{"kpi": "happiness", "atMost": 1}, {"kpi": "bookingRate"}],
		"levers": [{"technicians": {"like": 1, "from": "07:00", "to": "25:00", "min": 3, "max": 1}}, {}],
		"confidence": 2, "replications": {"first": 1}}`))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"scenario.days:", "scenario.variants: sim: the optimiser makes its own variants",
		`targets[0].kpi: sim: unknown figure "happiness"`, "targets[1]: sim: give exactly one of atMost and atLeast",
		"levers[0].technicians: hours:", "levers[0].technicians: sim: min 3 and max 1", "levers[1]: sim: a lever sets exactly one of",
		"confidence: sim: 2 is outside", "replications: sim: first 1",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := sim.ParseOptimizeSpec([]byte(`{"scenario": {}, "targets": [], "levers": [], "Confidence": 0.9}`)); err == nil || !strings.Contains(err.Error(), "Confidence") {
		t.Errorf("a key in the wrong case: %v", err)
	}
	spec, d := lossStudy(t, 2, 5, 1, 3, 4, 8)
	spec.Levers[0].Technicians.Like = 99
	if _, err := sim.Optimize(spec, d, sim.OptimizeOptions{}); err == nil || !strings.Contains(err.Error(), "levers[0].technicians.like: sim: unknown technician 99") {
		t.Errorf("unknown technician: %v", err)
	}
}

// FuzzParseOptimizeSpec: any input gives a spec or an error, never a
// panic, and a spec that parses validates.
func FuzzParseOptimizeSpec(f *testing.F) {
	f.Add([]byte(`{"scenario": {}, "targets": [{"kpi": "bookingRate", "atLeast": 90}], "levers": [{"technicians": {"like": 101, "from": "07:00", "to": "17:00", "min": 0, "max": 3}}]}`))
	f.Add([]byte(`{"scenario": {"days": 14}, "targets": [{"kpi": "emergencyLostShare", "atMost": 1}], "levers": [{"reservePercentage": {"businessUnit": 1, "min": 0, "max": 30, "step": 10}}], "confidence": 0.9}`))
	for _, name := range []string{"around-the-clock.json", "staffing.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "optimize", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := sim.ParseOptimizeSpec(data)
		if err == nil {
			if err := s.Validate(); err != nil {
				t.Fatalf("parsed but does not validate: %v", err)
			}
		}
	})
}
