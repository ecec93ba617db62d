package capacity_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// TestZeroValuesAreActive: a technician and a shift left at their zero
// values are active, as the tenant file's defaults are, and have capacity;
// Inactive, set on either, takes it away.
func TestZeroValuesAreActive(t *testing.T) {
	if !(capacity.Technician{}).IsActive() || !(shifts.Shift{}).IsActive() {
		t.Fatal("zero Technician or Shift is not active")
	}
	req := capacity.Request{StartsOnOrAfter: at("2027-03-09", "00:00"), EndsOnOrBefore: at("2027-03-10", "00:00")}
	capacityOf := func(d capacity.Data) (minutes int64, ids []int64) {
		t.Helper()
		e, err := capacity.New(d)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Capacity(req)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Availabilities {
			for _, s := range a.Timeslots {
				minutes += s.CapacityMinutes
				ids = append(ids, s.TechnicianIDs...)
			}
		}
		slices.Sort(ids)
		return minutes, slices.Compact(ids)
	}
	for _, tc := range []struct {
		name        string
		edit        func(*capacity.Data)
		wantMinutes int64
		wantIDs     []int64
	}{
		{"defaults", func(*capacity.Data) {}, 4 * 120, []int64{101}}, // four two-hour windows, 08–16
		{"inactive technician", func(d *capacity.Data) { d.Technicians[0].Inactive = true }, 0, nil},
		{"inactive shift", func(d *capacity.Data) { d.Shifts[0].Inactive = true }, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := oneTech()
			tc.edit(&d)
			minutes, ids := capacityOf(d)
			if minutes != tc.wantMinutes || !slices.Equal(ids, tc.wantIDs) {
				t.Errorf("got %d minutes, technicians %v; want %d, %v", minutes, ids, tc.wantMinutes, tc.wantIDs)
			}
		})
	}
}

// TestNoClock: an engine built without WithClock answers queries and takes
// the changes that stamp nothing, and refuses every change that would
// stamp a record with ErrNoClock — never a silent 1970 — changing
// nothing.
func TestNoClock(t *testing.T) {
	e, err := capacity.New(oneTech())
	if err != nil {
		t.Fatal(err)
	}
	before := e.Data()
	day := "2027-03-09"
	for _, tc := range []struct {
		name string
		do   func() error
	}{
		{"assign", func() error { _, _, err := e.Assign(5003, []int64{101}, nil); return err }},
		{"unassign", func() error { _, err := e.Unassign(5001, []int64{101}, nil); return err }},
		{"cancel", func() error { _, err := e.CancelAppointment(5001); return err }},
		{"create shifts", func() error {
			_, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.TimeOff, Start: at(day, "12:00"), End: at(day, "13:00")})
			return err
		}},
		{"update shift", func() error {
			c := before.Shifts[0].Change()
			c.Title = "Late"
			_, err := e.UpdateShift(1, c)
			return err
		}},
		{"deactivate shift", func() error { _, err := e.DeactivateShift(1); return err }},
		{"reactivate shift", func() error { _, err := e.ReactivateShift(1); return err }},
		{"add adjustment without createdOn", func() error {
			return e.AddAdjustment(capacity.Adjustment{ID: 1, Date: hours.MustParseDate(day), From: hours.MustParseClock("08:00"), To: hours.MustParseClock("10:00"), Minutes: 30})
		}},
	} {
		if err := tc.do(); !errors.Is(err, capacity.ErrNoClock) {
			t.Errorf("%s: got %v, want ErrNoClock", tc.name, err)
		}
	}
	after := e.Data()
	if !slices.EqualFunc(before.Shifts, after.Shifts, shifts.Shift.Equal) || !slices.EqualFunc(before.Appointments, after.Appointments, capacity.Appointment.Equal) ||
		!slices.EqualFunc(before.Assignments, after.Assignments, capacity.Assignment.Equal) || len(after.CapacityAdjustments) != 0 {
		t.Errorf("refused changes changed the engine: %+v, then %+v", before, after)
	}
	// What stamps nothing works.
	if err := e.AddAppointment(capacity.Appointment{ID: 6000, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, "15:00"), End: at(day, "16:00")}); err != nil {
		t.Errorf("AddAppointment: %v", err)
	}
	if err := e.AddTechnician(capacity.Technician{ID: 102, BusinessUnitID: 1}); err != nil {
		t.Errorf("AddTechnician: %v", err)
	}
	created := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	if err := e.AddAdjustment(capacity.Adjustment{ID: 2, Date: hours.MustParseDate(day), From: hours.MustParseClock("08:00"), To: hours.MustParseClock("10:00"),
		Minutes: 30, CreatedOn: created}); err != nil {
		t.Errorf("AddAdjustment with createdOn: %v", err)
	}
	if _, err := e.Capacity(capacity.Request{StartsOnOrAfter: at(day, "00:00"), EndsOnOrBefore: at("2027-03-10", "00:00")}); err != nil {
		t.Errorf("Capacity: %v", err)
	}
	if got := e.Adjustments()[0].CreatedOn; !got.Equal(created) || got.Location() != e.Location() {
		t.Errorf("createdOn %v, want %v in %v", got, created, e.Location())
	}
}

// TestTimesInTenantZone: whatever location times come in, the engine
// returns them in the tenant's, as the same instants, so they print as
// the dispatcher reads them.
func TestTimesInTenantZone(t *testing.T) {
	e, err := capacity.New(oneTech(), capacity.WithClock(func() time.Time { return time.Date(2027, 3, 8, 16, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 3, 9, 22, 0, 0, 0, time.UTC) // 15:00 in Denver
	a := capacity.Appointment{ID: 6000, JobTypeID: 10, BusinessUnitID: 1, Start: start, End: start.Add(time.Hour),
		ArrivalWindowStart: start, ArrivalWindowEnd: start.Add(2 * time.Hour)}
	if err := e.AddAppointment(a); err != nil {
		t.Fatal(err)
	}
	recs, _, err := e.Assign(6000, []int64{101}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, _ := e.Appointment(6000)
	sh, _ := e.Shifts().Get(1)
	res, err := e.Capacity(capacity.Request{StartsOnOrAfter: start.Add(-12 * time.Hour), EndsOnOrBefore: start.Add(12 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	ts := res.Availabilities[0].Timeslots[0]
	for _, x := range []struct {
		name string
		t    time.Time
		want string
	}{
		{"appointment start", got.Start, "2027-03-09T15:00:00-07:00"},
		{"arrival window end", got.ArrivalWindowEnd, "2027-03-09T17:00:00-07:00"},
		{"assignedOn", recs[0].AssignedOn, "2027-03-08T09:00:00-07:00"},
		{"shift start", sh.Start, "2027-03-09T08:00:00-07:00"},
		{"timeslot start", ts.Start, "2027-03-09T08:00:00-07:00"},
		{"response range", res.StartsOnOrAfter, "2027-03-09T03:00:00-07:00"},
	} {
		if s := x.t.Format(time.RFC3339); s != x.want || x.t.Location() != e.Location() {
			t.Errorf("%s: %s in %v, want %s in %v", x.name, s, x.t.Location(), x.want, e.Location())
		}
	}
	if !got.Equal(a) {
		t.Errorf("Appointment(6000) = %+v, want the instants of %+v", got, a)
	}
}

// TestDataInstantYears: records built in code are held to the years a
// file's are, with paths.
func TestDataInstantYears(t *testing.T) {
	d := oneTech()
	d.Appointments[0].End = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := capacity.New(d)
	want := "appointments[0].end: capacity: hours: date-time 2300-01-01T00:00:00Z is outside the supported years 1900–2199"
	if err == nil || err.Error() != want {
		t.Errorf("New = %v, want %q", err, want)
	}
}

// TestTechnicianWithoutUnit: a technician whose BusinessUnitID is 0, the
// zero value, is told its business unit is missing — not that unit 0 is
// unknown — in New, AddTechnician and UpdateTechnician; another id the
// tenant lacks is still unknown.
func TestTechnicianWithoutUnit(t *testing.T) {
	d := oneTech()
	d.Technicians = append(d.Technicians, capacity.Technician{ID: 102, Name: "Bo"}, capacity.Technician{ID: 103, Name: "Cy", BusinessUnitID: 9})
	_, err := capacity.New(d)
	want := "technicians[1].businessUnitId: capacity: business unit is missing\n" +
		"technicians[2].businessUnitId: capacity: unknown business unit 9"
	if err == nil || err.Error() != want || !errors.Is(err, capacity.ErrInvalid) {
		t.Errorf("New = %v\nwant %s (ErrInvalid)", err, want)
	}
	e := build(t, oneTech())
	if err := e.AddTechnician(capacity.Technician{ID: 102, Name: "Bo"}); err == nil || err.Error() != "businessUnitId: capacity: business unit is missing" {
		t.Errorf("AddTechnician without unit = %v", err)
	}
	ana, _ := e.Technician(101)
	ana.BusinessUnitID = 0
	if err := e.UpdateTechnician(ana); err == nil || err.Error() != "businessUnitId: capacity: business unit is missing" {
		t.Errorf("UpdateTechnician without unit = %v", err)
	}
}

// TestAppointmentWithoutReferences: an appointment whose job type or
// business unit is 0 (unset) is told they are missing, one that names
// ids nobody has that they are unknown — by New and by AddAppointment.
func TestAppointmentWithoutReferences(t *testing.T) {
	d := oneTech()
	d.Appointments = append(d.Appointments[:1:1], d.Appointments[0], d.Appointments[0])
	d.Appointments[1].ID, d.Appointments[1].JobTypeID, d.Appointments[1].BusinessUnitID = 6001, 0, 0
	d.Appointments[2].ID, d.Appointments[2].JobTypeID, d.Appointments[2].BusinessUnitID = 6002, 77, 9
	d.Assignments = d.Assignments[:1]
	_, err := capacity.New(d)
	want := "appointments[1].jobTypeId: capacity: job type is missing\n" +
		"appointments[1].businessUnitId: capacity: business unit is missing\n" +
		"appointments[2].jobTypeId: capacity: unknown job type 77\n" +
		"appointments[2].businessUnitId: capacity: unknown business unit 9"
	if err == nil || err.Error() != want || !errors.Is(err, capacity.ErrInvalid) {
		t.Errorf("New = %v\nwant %s (ErrInvalid)", err, want)
	}
	e := build(t, oneTech())
	a := oneTech().Appointments[0]
	a.ID, a.JobTypeID, a.BusinessUnitID = 6001, 0, 0
	err = e.AddAppointment(a)
	want = "jobTypeId: capacity: job type is missing\nbusinessUnitId: capacity: business unit is missing"
	if err == nil || err.Error() != want {
		t.Errorf("AddAppointment without references = %v\nwant %s", err, want)
	}
}
