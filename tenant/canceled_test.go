package tenant_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/tenant"
)

// TestCanceledRoundTrip: an appointment's canceled flag loads into the
// engine, saves canonically ("canceled": true, left out when false) and
// survives a reload; a canceled appointment with an Assigned record is
// refused with the record's path.
func TestCanceledRoundTrip(t *testing.T) {
	in := replace(t,
		`"zip": "80202"}]`, `"zip": "80202", "canceled": true}]`,
		`"assignedOn": "2026-03-02T09:00:00-07:00", "status": "Assigned"}`,
		`"assignedOn": "2026-03-02T09:00:00-07:00", "unassignedOn": "2026-03-03T09:00:00-07:00", "status": "Unassigned"}`)
	ten, err := tenant.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	a, techs, ok := ten.Engine.Appointment(5001)
	if !ok || !a.Canceled || len(techs) != 0 {
		t.Fatalf("appointment 5001: %+v, technicians %v; want canceled with none", a, techs)
	}
	var once, twice bytes.Buffer
	if err := ten.Save(&once); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(once.String(), `"canceled": true`) {
		t.Fatalf("the saved file lacks the canceled flag:\n%s", once.String())
	}
	again, err := tenant.Parse(once.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if a, _, _ := again.Engine.Appointment(5001); !a.Canceled {
		t.Error("the reloaded appointment is not canceled")
	}
	again.Save(&twice)
	if !bytes.Equal(once.Bytes(), twice.Bytes()) {
		t.Errorf("not a fixed point:\n%s\n%s", once.String(), twice.String())
	}

	// Live appointments say nothing of it: the default is false.
	live, _ := tenant.Parse(load(t, "testdata/tiny.json"))
	var b bytes.Buffer
	live.Save(&b)
	if strings.Contains(b.String(), "canceled") {
		t.Error("a live appointment is saved with a canceled member")
	}

	_, err = tenant.Parse(replace(t, `"zip": "80202"}]`, `"zip": "80202", "canceled": true}]`))
	want := "assignments[0].status: capacity: appointment 5001 is canceled; its records must be Unassigned"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a canceled appointment with an Assigned record: %v, want %q", err, want)
	}
	if _, err := tenant.Parse(replace(t, `"zip": "80202"}]`, `"zip": "80202", "canceled": "yes"}]`)); err == nil || !strings.Contains(err.Error(), "appointments[0].canceled") {
		t.Errorf("a canceled flag that is not a boolean: %v", err)
	}
}
