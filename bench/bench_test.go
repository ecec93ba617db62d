package bench_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/opendispatch/dispatch/bench"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/testkit/benchdata"
	"github.com/opendispatch/dispatch/internal/testkit/straight"
)

// BenchmarkSuite runs the whole suite under go test -bench: select parts
// with -bench 'Suite/Capacity/.*/techs=1000/'. With -short it leaves out
// the enterprise profile, whose tenants take most of a smoke run's time
// (scripts/test.sh runs every benchmark once with -short); the same
// benchmarks run on the smaller profiles.
func BenchmarkSuite(b *testing.B) {
	var profiles []string
	for _, p := range bench.Profiles() {
		if !testing.Short() || p != "enterprise" {
			profiles = append(profiles, p)
		}
	}
	for _, bm := range bench.Suite(profiles...) {
		b.Run(bm.Name, bm.F)
	}
}

func TestSuiteNames(t *testing.T) {
	seen := map[string]bool{}
	for _, bm := range bench.Suite() {
		if seen[bm.Name] || strings.ContainsAny(bm.Name, " \t") {
			t.Errorf("bad or repeated benchmark name %q", bm.Name)
		}
		seen[bm.Name] = true
	}
	for _, want := range []string{"Capacity/impl=engine/techs=1000/days=14/jobtype=60min", "Capacity/impl=floor/techs=10000/days=14/jobtype=none",
		"AssignRequery/techs=100/days=1", "Build/techs=10/days=14",
		"CapacityControls/impl=engine/techs=1000/days=14/units=all", "CapacityControls/impl=straight/techs=1000/days=14/units=group",
		"AdjustRequery/techs=1000/days=1", "HTTPCapacity/techs=10/days=14", "SimReplication/techs=10/days=14",
		"Lifecycle/op=reschedule/techs=1000/days=1", "Lifecycle/op=book-assign-cancel/techs=1000/days=1", "Lifecycle/op=assign-overlap/techs=1000/days=1",
		"Lifecycle/op=shift-update/techs=1000/days=1", "Lifecycle/op=shift-deactivate/techs=1000/days=1", "Lifecycle/op=shift-create-delete/techs=1000/days=1",
		"Lifecycle/op=tech-move/techs=1000/days=1", "Lifecycle/op=tech-deactivate/techs=1000/days=1", "Lifecycle/op=tech-add/techs=1000/days=1",
		"AddTechnician/impl=engine/techs=1000",
		"BuildFirstQuery/impl=engine/techs=1000/days=14/jobtype=60min", "BuildFirstQuery/impl=lean/techs=10000/days=14/jobtype=none", "AddTechnician/impl=build/techs=1000", "CapacityOutOfOrder/techs=1000/days=14/jobtype=60min",
		"SimMMcc/techs=100/A=90/days=30", "SimMMcc/techs=10/A=9.5/days=30", "SimMMc/techs=10/A=9.5/days=30", "SimMMc/techs=300/A=285/days=30"} {
		if !seen[want] {
			t.Errorf("suite lacks %s", want)
		}
	}
}

// The tenant the control benchmarks run on uses every control, and the
// engine agrees with the straightforward baseline on it.
func TestControlledTenant(t *testing.T) {
	for _, prof := range []string{"small", "medium"} {
		d := benchdata.Controlled(prof)
		e, err := capacity.New(d)
		if err != nil {
			t.Fatal(err)
		}
		reasons := map[string]int{}
		for _, units := range [][]int64{nil, {1}} {
			req := benchdata.FullRequest(e, benchdata.HourJobType(benchdata.File(prof)))
			req.BusinessUnitIDs = units
			got, err := e.Capacity(req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(straight.Capacity(&d, req), got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(capacity.Response{}, "Zone")); diff != "" {
				t.Fatalf("%s, units %v: engine vs straight (-want +got):\n%s", prof, units, diff)
			}
			for _, a := range got.Availabilities {
				for _, ts := range a.Timeslots {
					for _, r := range ts.UnavailableBecause.Strings() {
						reasons[strings.SplitAfter(r, ":")[0]]++
					}
				}
			}
		}
		t.Logf("%s: %d adjustments, %d rules; reasons %v", prof, len(d.CapacityAdjustments), len(d.CapacityRules), reasons)
		for _, want := range []string{"reserveHeld", "capacityRule:", "poolExhausted"} {
			if reasons[want] == 0 {
				t.Errorf("%s: no timeslot is unavailable for %s", prof, want)
			}
		}
	}
}
