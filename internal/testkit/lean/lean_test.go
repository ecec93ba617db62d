package lean_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/testkit/benchdata"
	"github.com/opendispatch/dispatch/internal/testkit/lean"
	"github.com/opendispatch/dispatch/synth"
)

// TestAgreesWithEngine: on every synthetic profile (the enterprise one
// not under -short), the lean computation and the engine give the same
// response, field by field — every timeslot's bounds, technician list,
// figures, flags and reasons — for a full request without a job type
// and with the 60-minute one.
func TestAgreesWithEngine(t *testing.T) {
	for _, p := range synth.Profiles {
		if testing.Short() && p.Technicians > 1000 {
			continue
		}
		d := lean.Scoped(benchdata.Tenant(p.Name).Engine.Data())
		e, err := capacity.New(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, jt := range []int64{0, benchdata.HourJobType(benchdata.File(p.Name))} {
			req := benchdata.FullRequest(e, jt)
			want, err := e.Capacity(req)
			if err != nil {
				t.Fatal(err)
			}
			got := lean.Capacity(&d, req)
			if got.Zone != want.Zone {
				t.Errorf("%s, job type %d: zone %v, want %v", p.Name, jt, got.Zone, want.Zone)
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(capacity.Response{}, "Zone")); diff != "" {
				t.Fatalf("%s, job type %d: lean vs engine (-engine +lean):\n%s", p.Name, jt, diff)
			}
			var slots, ids, unavailable int
			for _, a := range got.Availabilities {
				for _, ts := range a.Timeslots {
					slots++
					ids += len(ts.TechnicianIDs)
					if !ts.IsAvailable {
						unavailable++
					}
				}
			}
			t.Logf("%s, job type %d: %d days, %d timeslots, %d technician ids, %d unavailable", p.Name, jt, len(got.Availabilities), slots, ids, unavailable)
			if slots == 0 || ids == 0 {
				t.Errorf("%s, job type %d: an empty answer proves nothing", p.Name, jt)
			}
		}
	}
}

// The lean computation refuses what it does not compute.
func TestScope(t *testing.T) {
	e := benchdata.Tenant("small").Engine
	d := e.Data()
	req := benchdata.FullRequest(e, 0)
	req.BusinessUnitIDs = []int64{1}
	defer func() {
		if recover() == nil {
			t.Error("a request naming a unit did not panic")
		}
	}()
	lean.Capacity(&d, req)
}
