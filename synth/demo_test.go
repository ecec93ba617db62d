package synth_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"testing"

	"github.com/opendispatch/dispatch/internal/base/atomicfile"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

var update = flag.Bool("update", false, "rewrite testdata/tenants/demo.json from synth.Demo")

const demoPath = "../testdata/tenants/demo.json"

// canonicalDemo is synth.Demo in the canonical file form.
func canonicalDemo(t *testing.T) []byte {
	var raw bytes.Buffer
	if err := synth.Demo().Write(&raw); err != nil {
		t.Fatal(err)
	}
	ten, err := tenant.Parse(raw.Bytes())
	if err != nil {
		t.Fatalf("the demo tenant does not load: %v", err)
	}
	var out bytes.Buffer
	if err := ten.Save(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestDemoFile keeps testdata/tenants/demo.json equal to synth.Demo: run
// `go test ./synth -run DemoFile -update` after changing the demo.
func TestDemoFile(t *testing.T) {
	want := canonicalDemo(t)
	if *update {
		if err := atomicfile.Write(demoPath, 0o644, func(w io.Writer) error { _, err := w.Write(want); return err }); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not synth.Demo's output; run go test ./synth -run DemoFile -update", demoPath)
	}
}

// TestDemoControls: the demo uses every capacity control of DESIGN §4a —
// a service and maintenance group sharing the HVAC technicians with a 15%
// emergency reserve, priority job types, an installs cap, a drive buffer
// (a job type's own among them) and three adjustments: a positive one, a
// negative one and one on the group — and each adjustment matches a
// window (no warning).
func TestDemoControls(t *testing.T) {
	ten, err := tenant.Build(synth.Demo())
	if err != nil {
		t.Fatal(err)
	}
	if len(ten.Warnings) != 0 {
		t.Errorf("warnings: %v", ten.Warnings)
	}
	d := ten.Engine.Data()
	if len(d.BusinessUnitGroups) != 1 || len(d.BusinessUnitGroups[0].BusinessUnitIDs) != 2 || d.BusinessUnitGroups[0].ReservePercentage == nil ||
		*d.BusinessUnitGroups[0].ReservePercentage != 15 {
		t.Errorf("groups %+v: want one of two units with a 15%% reserve", d.BusinessUnitGroups)
	}
	// The group shares technicians: its maintenance unit has none of its
	// own but work in the book, done by the service unit's technicians.
	units := map[int64]int{}
	for _, tc := range d.Technicians {
		units[tc.BusinessUnitID]++
	}
	maint := d.BusinessUnitGroups[0].BusinessUnitIDs[1]
	work := 0
	for _, a := range d.Appointments {
		if a.BusinessUnitID == maint {
			work++
		}
	}
	if units[maint] != 0 || work == 0 {
		t.Errorf("maintenance unit %d: %d technicians and %d appointments; want none of its own and some work", maint, units[maint], work)
	}
	priority, buffered := 0, 0
	for _, j := range d.JobTypes {
		if j.Priority {
			priority++
		}
		if j.TravelBufferMinutes != nil {
			buffered++
		}
	}
	if priority < 2 || buffered == 0 || d.TravelBufferMinutes == 0 || len(d.CapacityRules) == 0 {
		t.Errorf("priority job types %d, job types with their own buffer %d, tenant buffer %d, rules %d", priority, buffered, d.TravelBufferMinutes, len(d.CapacityRules))
	}
	var pos, neg, group bool
	for _, a := range d.CapacityAdjustments {
		pos = pos || a.Minutes > 0
		neg = neg || a.Minutes < 0
		group = group || a.BusinessUnitGroupID != 0
		if a.Reason == "" || a.CreatedBy == nil || a.CreatedOn.IsZero() {
			t.Errorf("adjustment %d lacks its reason, author or time", a.ID)
		}
	}
	if !pos || !neg || !group {
		t.Errorf("adjustments %+v: want a positive one, a negative one and one on a group", d.CapacityAdjustments)
	}
}
