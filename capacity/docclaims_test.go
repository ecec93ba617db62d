package capacity_test

import (
	"slices"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// The tests of this file hold the engine (and the toolchain) to claims
// its documentation makes, which a newcomer reading go doc relies on.

// TestJobTypeUnitsNotRead holds the engine to what JobType.BusinessUnitIDs
// documents: beyond validation it reads them nowhere. A job type of unit
// 1 only is still answered with unit 2's technician, booked for unit 2,
// and assigning unit 2's technician to that booking warns of nothing.
func TestJobTypeUnitsNotRead(t *testing.T) {
	d := oneTech()
	day := "2027-03-09"
	d.BusinessUnits = append(d.BusinessUnits, capacity.BusinessUnit{ID: 2, Name: "Plumbing"})
	d.JobTypes[0].BusinessUnitIDs = []int64{1}
	d.Technicians = append(d.Technicians, capacity.Technician{ID: 201, Name: "Cara", BusinessUnitID: 2})
	d.Shifts = append(d.Shifts, shifts.Shift{ID: 2, TechnicianID: 201, Type: shifts.Normal, Start: at(day, "08:00"), End: at(day, "17:00")})
	e, err := capacity.New(d, capacity.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.Capacity(capacity.Request{StartsOnOrAfter: at(day, "08:00"), EndsOnOrBefore: at(day, "10:00"), JobTypeID: 10, SkillBasedAvailability: true})
	if err != nil {
		t.Fatal(err)
	}
	if ids := resp.Availabilities[0].Timeslots[0].TechnicianIDs; !slices.Contains(ids, 201) {
		t.Errorf("technicians for job type 10 (units [1]): %v, want unit 2's 201 among them", ids)
	}
	if err := e.AddAppointment(capacity.Appointment{ID: 7001, JobTypeID: 10, BusinessUnitID: 2, Start: at(day, "12:00"), End: at(day, "13:00")}); err != nil {
		t.Fatalf("AddAppointment of job type 10 (units [1]) for unit 2: %v", err)
	}
	if ws, err := e.CheckAssignment(7001, []int64{201}); err != nil || len(ws) != 0 {
		t.Errorf("CheckAssignment of unit 2's technician: %v, %v; want no warnings", ws, err)
	}
	if ws, err := e.CheckAssignment(7001, []int64{101}); err != nil || len(ws) != 1 || ws[0].Code != capacity.WarnOtherBusinessUnit {
		t.Errorf("CheckAssignment of unit 1's technician: %v, %v; want otherBusinessUnit (the appointment's unit, not the job type's)", ws, err)
	}
}

// TestAssignedToInactiveCountsNowhere holds WarnInactive's doc: an
// appointment assigned to an inactive technician is no longer pending,
// and the technician is busy in no slot, so its minutes count nowhere
// until the technician is reactivated.
func TestAssignedToInactiveCountsNowhere(t *testing.T) {
	d := oneTech()
	day := "2027-03-09"
	d.Technicians = append(d.Technicians, capacity.Technician{ID: 102, Name: "Bo", BusinessUnitID: 1})
	d.Shifts = append(d.Shifts, shifts.Shift{ID: 2, TechnicianID: 102, Type: shifts.Normal, Start: at(day, "08:00"), End: at(day, "17:00")})
	e, err := capacity.New(d, capacity.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	slot := func() capacity.Timeslot {
		r, err := e.Capacity(capacity.Request{StartsOnOrAfter: at(day, "12:00"), EndsOnOrBefore: at(day, "14:00")})
		if err != nil {
			t.Fatal(err)
		}
		return r.Availabilities[0].Timeslots[0]
	}
	if err := e.AddAppointment(capacity.Appointment{ID: 7001, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, "12:00"), End: at(day, "13:00")}); err != nil {
		t.Fatal(err)
	}
	if err := e.DeactivateTechnician(102); err != nil {
		t.Fatal(err)
	}
	if s := slot(); s.PendingMinutes != 60 || s.BookedMinutes != 0 {
		t.Fatalf("before the assignment: pending %d, booked %d; want 60, 0", s.PendingMinutes, s.BookedMinutes)
	}
	_, ws, err := e.Assign(7001, []int64{102}, nil)
	if err != nil || len(ws) != 1 || ws[0].Code != capacity.WarnInactive {
		t.Fatalf("Assign to the inactive technician: %v, %v; want one inactiveTechnician warning", ws, err)
	}
	if s := slot(); s.PendingMinutes != 0 || s.BookedMinutes != 0 || s.CapacityMinutes != 120 {
		t.Errorf("assigned to the inactive technician: pending %d, booked %d, capacity %d; want 0, 0, 120 (its minutes count nowhere)", s.PendingMinutes, s.BookedMinutes, s.CapacityMinutes)
	}
	if err := e.ReactivateTechnician(102); err != nil {
		t.Fatal(err)
	}
	if s := slot(); s.PendingMinutes != 0 || s.BookedMinutes != 60 {
		t.Errorf("reactivated: pending %d, booked %d; want 0, 60", s.PendingMinutes, s.BookedMinutes)
	}
}

// TestTimeDateAcrossChanges holds the package doc's Time section (and
// hours' "Time zones" and design §3, which say the same): a
// local time a DST change skips or repeats is resolved by hours'
// rule (a skipped time moves forward by the gap, a repeated one takes
// the earlier instant), and time.Date resolves them by the zone's side of
// UTC. Should the toolchain change time.Date, this says the doc is stale.
func TestTimeDateAcrossChanges(t *testing.T) {
	berlin, err := hours.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		loc            *time.Location
		local          string
		ours, timeDate string // UTC
	}{
		{denver, "2027-03-14T02:30", "2027-03-14T09:30:00Z", "2027-03-14T08:30:00Z"}, // skipped: 03:30 MDT; time.Date 01:30 MST
		{denver, "2027-11-07T01:30", "2027-11-07T07:30:00Z", "2027-11-07T07:30:00Z"}, // repeated: both MDT, the earlier
		{berlin, "2027-03-28T02:30", "2027-03-28T01:30:00Z", "2027-03-28T01:30:00Z"}, // skipped: both 03:30 CEST
		{berlin, "2027-10-31T02:30", "2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z"}, // repeated: CEST, the earlier; time.Date CET
	} {
		got, err := hours.ParseInstantIn(tc.local, tc.loc)
		if err != nil {
			t.Fatal(err)
		}
		lt, _ := time.ParseInLocation("2006-01-02T15:04", tc.local, time.UTC)
		td := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), 0, 0, tc.loc)
		d, c := hours.DateOf(lt.Date()), hours.Clock(lt.Hour()*60+lt.Minute())
		if g, l := got.UTC().Format(time.RFC3339), time.Unix(hours.Local(tc.loc, d, c), 0).UTC().Format(time.RFC3339); g != tc.ours || l != tc.ours {
			t.Errorf("%s in %v: ParseInstantIn %s, Local %s; want %s", tc.local, tc.loc, g, l, tc.ours)
		}
		if g := td.UTC().Format(time.RFC3339); g != tc.timeDate {
			t.Errorf("%s in %v: time.Date gives %s, the doc says %s", tc.local, tc.loc, g, tc.timeDate)
		}
	}
}
