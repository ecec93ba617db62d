package capacity_test

import (
	"slices"
	"testing"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/shifts"
)

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
