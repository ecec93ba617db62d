package api_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/tenant"
)

// lifecycleOps are the operations FuzzLifecycle sends a body and an id
// to: the lifecycle extension, the adjustments extension and the
// contract's changes (an operation that takes no body ignores it, one
// that takes no id ignores that).
var lifecycleOps = []struct {
	name string
	do   func(s api.Service, id int64, body []byte) (any, error)
}{
	{"appointment.create", func(s api.Service, _ int64, b []byte) (any, error) { return s.CreateAppointment(b) }},
	{"appointment.reschedule", func(s api.Service, id int64, b []byte) (any, error) {
		a, w, err := s.RescheduleAppointment(id, b)
		return []any{a, w}, err
	}},
	{"appointment.cancel", func(s api.Service, id int64, _ []byte) (any, error) { return s.CancelAppointment(id) }},
	{"shift.update", func(s api.Service, id int64, b []byte) (any, error) { return s.UpdateShift(id, b) }},
	{"shift.deactivate", func(s api.Service, id int64, _ []byte) (any, error) { return s.SetShiftActive(id, false) }},
	{"shift.reactivate", func(s api.Service, id int64, _ []byte) (any, error) { return s.SetShiftActive(id, true) }},
	{"shift.delete", func(s api.Service, id int64, _ []byte) (any, error) { return s.DeleteShift(id) }},
	{"technician.add", func(s api.Service, _ int64, b []byte) (any, error) { return s.AddTechnician(b) }},
	{"technician.update", func(s api.Service, id int64, b []byte) (any, error) { return s.UpdateTechnician(id, b) }},
	{"technician.deactivate", func(s api.Service, id int64, _ []byte) (any, error) { return s.SetTechnicianActive(id, false) }},
	{"technician.reactivate", func(s api.Service, id int64, _ []byte) (any, error) { return s.SetTechnicianActive(id, true) }},
	{"adjust", func(s api.Service, _ int64, b []byte) (any, error) {
		return s.CreateAdjustment(b, &capacity.Actor{Name: "fuzz"})
	}},
	{"unadjust", func(s api.Service, id int64, _ []byte) (any, error) {
		return s.RemoveAdjustment(strconv.FormatInt(id, 10))
	}},
	{"assign", func(s api.Service, _ int64, b []byte) (any, error) {
		a, w, err := s.Assign(b, &capacity.Actor{Name: "fuzz"})
		return []any{a, w}, err
	}},
	{"unassign", func(s api.Service, _ int64, b []byte) (any, error) {
		return s.Unassign(b, &capacity.Actor{Name: "fuzz"})
	}},
	{"shifts", func(s api.Service, _ int64, b []byte) (any, error) { return s.CreateShifts(b) }},
}

// FuzzLifecycle applies one operation with a fuzzed id and body to the
// small tenant of package tenant's tests (technician 101, appointment
// 5001, shift 1, job type 10, business unit 1; on Monday 2026-03-09).
// Whatever the input: no panic; a refusal is a 400, 404 or 409 with at
// least one problem, each with a field and a message, and changes nothing
// (the tenant saves to the same bytes); what is accepted answers with
// something JSON can write, and leaves a tenant whose file saves, loads
// back and saves to the same bytes.
func FuzzLifecycle(f *testing.F) {
	file, err := os.ReadFile(filepath.Join("..", "tenant", "testdata", "tiny.json"))
	if err != nil {
		f.Fatal(err)
	}
	op := func(name string) uint8 {
		for i, o := range lifecycleOps {
			if o.name == name {
				return uint8(i)
			}
		}
		f.Fatalf("no operation %q", name)
		return 0
	}
	for _, s := range []struct {
		op   string
		id   int64
		body string
	}{
		{"appointment.create", 0, `{"id": 9001, "jobTypeId": 10, "businessUnitId": 1, "start": "2026-03-09T13:00:00-06:00", "end": "2026-03-09T14:00:00-06:00", "arrivalWindowStart": "2026-03-09T12:00:00-06:00", "arrivalWindowEnd": "2026-03-09T16:00:00-06:00", "zip": "80202", "jobId": 77}`},
		{"appointment.create", 0, `{"id": 5001, "jobTypeId": 10, "businessUnitId": 1, "start": "2026-03-09T13:00:00-06:00", "end": "2026-03-09T14:00:00-06:00"}`},
		{"appointment.reschedule", 5001, `{"start": "2026-03-09T15:00:00-06:00", "end": "2026-03-09T16:00:00-06:00"}`},
		{"appointment.reschedule", 5001, `{"start": "2026-03-09T15:00:00-06:00", "end": "2026-03-09T14:00:00-06:00"}`},
		{"appointment.cancel", 5001, ``},
		{"shift.update", 1, `{"note": "stays late", "end": "2026-03-09T18:00:00-06:00", "active": false}`},
		{"shift.update", 1, `{"start": "2026-03-09T19:00:00-06:00"}`},
		{"shift.deactivate", 1, ``},
		{"shift.delete", 1, ``},
		{"technician.add", 0, `{"id": 120, "name": "Kim Lee", "businessUnitId": 1, "skills": ["HVAC"], "zoneIds": [1], "home": {"latitude": 39.7, "longitude": -105}}`},
		{"technician.update", 101, `{"skills": [], "home": null, "businessUnitId": 1}`},
		{"technician.deactivate", 101, ``},
		{"adjust", 0, `{"date": "2026-03-09", "from": "08:00", "to": "10:00", "minutes": 90, "reason": "overbook", "businessUnitId": 1}`},
		{"adjust", 0, `{"date": "2026-03-09", "from": "08:00", "to": "09:00", "minutes": -30, "reason": "r"}`},
		{"unadjust", 1, ``},
		{"assign", 0, `{"jobAppointmentId": 5001, "technicianIds": [101]}`},
		{"unassign", 0, `{"jobAppointmentId": 5001, "technicianIds": [101]}`},
		{"shifts", 0, `{"technicianIds": [101], "shiftType": "Normal", "title": "Overtime", "start": "2026-03-10T08:00:00-06:00", "end": "2026-03-10T12:00:00-06:00"}`},
	} {
		f.Add(op(s.op), s.id, []byte(s.body))
	}
	clock := capacity.WithClock(func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) })
	f.Fuzz(func(t *testing.T, opIndex uint8, id int64, body []byte) {
		o := lifecycleOps[int(opIndex)%len(lifecycleOps)]
		ten, err := tenant.Parse(file, clock)
		if err != nil {
			t.Fatal(err)
		}
		save := func() []byte {
			var b bytes.Buffer
			if err := ten.Save(&b); err != nil {
				t.Fatalf("%s %d %q: the tenant does not save: %v", o.name, id, body, err)
			}
			return b.Bytes()
		}
		before := save()
		out, err := o.do(api.Service{T: ten}, id, body)
		after := save()
		if err != nil {
			if st := api.Status(err); st != 400 && st != 404 && st != 409 {
				t.Fatalf("%s %d %q: status %d: %v", o.name, id, body, st, err)
			}
			ps := api.Problems(err)
			if len(ps) == 0 {
				t.Fatalf("%s %d %q: an error without problems: %v", o.name, id, body, err)
			}
			for _, p := range ps {
				if p.Field == "" || p.Message == "" {
					t.Fatalf("%s %d %q: a problem without its field or message: %+v (%v)", o.name, id, body, p, err)
				}
			}
			if !bytes.Equal(before, after) {
				t.Fatalf("%s %d %q: refused (%v), yet the tenant changed", o.name, id, body, err)
			}
			return
		}
		if _, err := json.Marshal(out); err != nil {
			t.Fatalf("%s %d %q: the answer does not marshal: %v", o.name, id, body, err)
		}
		again, err := tenant.Parse(after, clock)
		if err != nil {
			t.Fatalf("%s %d %q: accepted, but the tenant it leaves does not load: %v", o.name, id, body, err)
		}
		var b bytes.Buffer
		again.Save(&b)
		if !bytes.Equal(b.Bytes(), after) {
			t.Fatalf("%s %d %q: the tenant it leaves does not load back to itself", o.name, id, body)
		}
	})
}
