package capacity_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// paths returns the paths of the problems of err, a validate.Errors.
func paths(t *testing.T, err error) []string {
	t.Helper()
	var list validate.Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %v is not a validate.Errors", err)
	}
	var out []string
	for _, e := range list {
		out = append(out, e.Path)
	}
	return out
}

// TestTextLimits: the free text of a tenant — names and skills of units,
// job types, groups, rules and technicians, adjustment reasons, shift
// titles and notes — holds at most validate.MaxText characters, and no
// control character but tab (line feed and carriage return too in
// reasons and notes), as the HTTP API's requests do. Validate and New
// refuse the rest, each problem at its path; text at the limit passes.
func TestTextLimits(t *testing.T) {
	long, limit := strings.Repeat("é", validate.MaxText+1), strings.Repeat("é", validate.MaxText)
	d := oneTech()
	d.BusinessUnits[0].Name = "HVAC\x00"
	d.JobTypes[1].Name = long
	d.JobTypes[2].Skills = []string{"gas", "EPA\n608"}
	d.Technicians[0].Name = "Ana\aRuiz"
	d.Technicians[0].Skills = []string{limit, long}
	d.BusinessUnitGroups = []capacity.BusinessUnitGroup{{ID: 1, Name: long, BusinessUnitIDs: []int64{1}}}
	d.CapacityAdjustments = []capacity.Adjustment{{ID: 1, Date: hours.MustParseDate("2027-03-09"),
		From: 8 * 60, To: 17 * 60, Minutes: 30, Reason: "a\x1bb", CreatedBy: &capacity.Actor{ID: 1, Name: long}}}
	d.CapacityRules = []capacity.Rule{{ID: 1, Name: "x\u0085", JobTypeIDs: []int64{10}, MaxPercentage: 50}}
	d.Shifts[0].Title, d.Shifts[0].Note = "on\tcall\r", long
	d.Assignments[1].AssignedBy = &capacity.Actor{ID: 2, Name: "Dispatcher\u009b"}
	want := []string{
		"businessUnits[0].name", "jobTypes[1].name", "jobTypes[2].skills[1]", "businessUnitGroups[0].name",
		"capacityAdjustments[0].reason", "capacityAdjustments[0].createdBy.name", "capacityRules[0].name", "technicians[0].name", "technicians[0].skills[1]",
		"shifts[0].title", "shifts[0].note", "assignments[1].assignedBy.name",
	}
	err := d.Validate()
	if got := paths(t, err); !slices.Equal(got, want) {
		t.Errorf("Validate's problems at\n%q\nwant\n%q\n(%v)", got, want, err)
	}
	if !errors.Is(err, capacity.ErrInvalid) || !errors.Is(err, shifts.ErrInvalid) {
		t.Errorf("Validate's error %v does not wrap capacity.ErrInvalid and shifts.ErrInvalid", err)
	}
	if _, nerr := capacity.New(d, capacity.WithClock(testClock)); nerr == nil || nerr.Error() != err.Error() {
		t.Errorf("New: %v, want Validate's %v", nerr, err)
	}
	// The same text, fit: at the limit, tabs anywhere, line breaks in the
	// multi-line fields.
	d = oneTech()
	d.Technicians[0].Name, d.Technicians[0].Skills = limit, []string{"tab\there", limit}
	d.CapacityAdjustments = []capacity.Adjustment{{ID: 1, Date: hours.MustParseDate("2027-03-09"),
		From: 8 * 60, To: 17 * 60, Minutes: 30, Reason: "line one\r\nline\ttwo " + limit[:200]}}
	d.Shifts[0].Title, d.Shifts[0].Note = limit, "a\nb\r\n\tc"
	if err := d.Validate(); err != nil {
		t.Errorf("fit text refused: %v", err)
	}
	if _, err := capacity.New(d, capacity.WithClock(testClock)); err != nil {
		t.Errorf("New refuses fit text: %v", err)
	}
}

// TestTextLimitsOfUpdates: the engine's updates that take text refuse
// what Validate refuses, at the field's own path, and change nothing.
func TestTextLimitsOfUpdates(t *testing.T) {
	long := strings.Repeat("x", validate.MaxText+1)
	e, err := capacity.New(oneTech(), capacity.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	before := e.Data()
	day := "2027-03-11"
	adj := capacity.Adjustment{ID: 7, Date: hours.MustParseDate(day), From: 8 * 60, To: 17 * 60, Minutes: 30}
	for _, tt := range []struct {
		name, path string
		sentinel   error
		f          func() error
	}{
		{"AddTechnician name", "name", capacity.ErrInvalid, func() error {
			return e.AddTechnician(capacity.Technician{ID: 102, Name: "Bo\x00", BusinessUnitID: 1})
		}},
		{"AddTechnician skill", "skills[0]", capacity.ErrInvalid, func() error {
			return e.AddTechnician(capacity.Technician{ID: 102, Name: "Bo", BusinessUnitID: 1, Skills: []string{long}})
		}},
		{"UpdateTechnician name", "name", capacity.ErrInvalid, func() error {
			return e.UpdateTechnician(capacity.Technician{ID: 101, Name: long, BusinessUnitID: 1})
		}},
		{"UpdateTechnician skill", "skills[1]", capacity.ErrInvalid, func() error {
			return e.UpdateTechnician(capacity.Technician{ID: 101, Name: "Ana", BusinessUnitID: 1, Skills: []string{"a", "b\r"}})
		}},
		{"CreateShifts title", "title", shifts.ErrInvalid, func() error {
			_, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.Normal, Title: "a\nb",
				Start: at(day, "08:00"), End: at(day, "12:00")})
			return err
		}},
		{"CreateShifts note", "note", shifts.ErrInvalid, func() error {
			_, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.Normal, Note: long,
				Start: at(day, "08:00"), End: at(day, "12:00")})
			return err
		}},
		{"UpdateShift note", "note", shifts.ErrInvalid, func() error {
			c := before.Shifts[0].Change()
			c.Note = "\x00"
			_, err := e.UpdateShift(1, c)
			return err
		}},
		{"AddAdjustment reason", "reason", capacity.ErrInvalid, func() error {
			a := adj
			a.Reason = long
			return e.AddAdjustment(a)
		}},
		{"AddAdjustment createdBy", "createdBy.name", capacity.ErrInvalid, func() error {
			a := adj
			a.CreatedBy = &capacity.Actor{ID: 1, Name: "\x00"}
			return e.AddAdjustment(a)
		}},
		{"Assign by", "by.name", capacity.ErrInvalid, func() error {
			_, _, err := e.Assign(5003, []int64{101}, &capacity.Actor{ID: 1, Name: long})
			return err
		}},
		{"Unassign by", "by.name", capacity.ErrInvalid, func() error {
			_, err := e.Unassign(5001, []int64{101}, &capacity.Actor{ID: 1, Name: "a\nb"})
			return err
		}},
		{"AddGroup name", "name", capacity.ErrInvalid, func() error {
			return e.AddGroup(capacity.BusinessUnitGroup{ID: 3, Name: "g\a", BusinessUnitIDs: []int64{1}})
		}},
		{"AddRule name", "name", capacity.ErrInvalid, func() error {
			return e.AddRule(capacity.Rule{ID: 3, Name: long, JobTypeIDs: []int64{10}, MaxPercentage: 50})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.f()
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("error %v, want one wrapping %v", err, tt.sentinel)
			}
			if got := paths(t, err); !slices.Equal(got, []string{tt.path}) {
				t.Errorf("problems at %q, want %q (%v)", got, tt.path, err)
			}
		})
	}
	after := e.Data()
	if len(after.Technicians) != 1 || after.Technicians[0].Name != before.Technicians[0].Name ||
		len(after.Shifts) != len(before.Shifts) || !after.Shifts[0].Equal(before.Shifts[0]) ||
		len(after.Assignments) != len(before.Assignments) ||
		len(after.CapacityAdjustments)+len(after.BusinessUnitGroups)+len(after.CapacityRules) != 0 {
		t.Errorf("a refused update changed the engine: %+v", after)
	}
}
