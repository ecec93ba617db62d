package capacity_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// crew is the tenant of the lifecycle examples: Tuesday 2027-03-09 in
// Denver, business hours 08:00–17:00, arrival windows 08–10, 10–12, 12–14
// and 14–16. Ana (101, HVAC unit 1, skill HVAC) and Ben (102, Plumbing
// unit 2, skill Plumbing) work 08:00–17:00 (shifts 1 and 2). Appointment
// 5001, an AC repair (job type 10, 60 minutes, needs HVAC), is Ana's at
// 10:00–11:00; 5002, a leak repair for Plumbing (job type 20, 60
// minutes, needs Plumbing), waits unassigned at 13:00–14:00. The clock
// reads 2027-03-08 09:00 UTC.
func crew() *capacity.Engine {
	var bh hours.BusinessHours
	for _, d := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"} {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d, TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: bh, ArrivalWindows: []hours.ArrivalWindow{
		{ID: 1, From: "08:00", To: "10:00"}, {ID: 2, From: "10:00", To: "12:00"},
		{ID: 3, From: "12:00", To: "14:00"}, {ID: 4, From: "14:00", To: "16:00"},
	}})
	if err != nil {
		panic(err)
	}
	day := "2027-03-09"
	e, err := capacity.New(capacity.Data{
		Schedule:      sched,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "HVAC"}, {ID: 2, Name: "Plumbing"}},
		JobTypes: []capacity.JobType{
			{ID: 10, Name: "AC repair", DurationMinutes: 60, Skills: []string{"HVAC"}},
			{ID: 20, Name: "Leak repair", DurationMinutes: 60, Skills: []string{"Plumbing"}},
		},
		Technicians: []capacity.Technician{
			{ID: 101, Name: "Ana", BusinessUnitID: 1, Skills: []string{"HVAC"}},
			{ID: 102, Name: "Ben", BusinessUnitID: 2, Skills: []string{"Plumbing"}},
		},
		Shifts: []shifts.Shift{
			{ID: 1, TechnicianID: 101, Type: shifts.Normal, Start: at(day, "08:00"), End: at(day, "17:00")},
			{ID: 2, TechnicianID: 102, Type: shifts.Normal, Start: at(day, "08:00"), End: at(day, "17:00")},
		},
		Appointments: []capacity.Appointment{
			{ID: 5001, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, "10:00"), End: at(day, "11:00")},
			{ID: 5002, JobTypeID: 20, BusinessUnitID: 2, Start: at(day, "13:00"), End: at(day, "14:00")},
		},
		Assignments: []capacity.Assignment{{ID: 1, AppointmentID: 5001, TechnicianID: 101, Status: capacity.Assigned}},
	}, capacity.WithClock(func() time.Time { return time.Date(2027, 3, 8, 9, 0, 0, 0, time.UTC) }))
	if err != nil {
		panic(err)
	}
	return e
}

// tuesday prints, for an hour's job (job type 10, skills not asked), each
// window's start hour, the technicians who fit, and its capacity, booked
// and pending minutes.
func tuesday(e *capacity.Engine) {
	resp, err := e.Capacity(capacity.Request{
		StartsOnOrAfter: time.Date(2027, 3, 9, 0, 0, 0, 0, denver),
		EndsOnOrBefore:  time.Date(2027, 3, 10, 0, 0, 0, 0, denver),
		JobTypeID:       10,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var parts []string
	for _, a := range resp.Availabilities {
		for _, ts := range a.Timeslots {
			parts = append(parts, fmt.Sprintf("%s %v %d/%d/%d", ts.Start.In(resp.Zone).Format("15"),
				ts.TechnicianIDs, ts.CapacityMinutes, ts.BookedMinutes, ts.PendingMinutes))
		}
	}
	fmt.Println(strings.Join(parts, "  "))
}

// A new appointment waits, pending, until someone is assigned: its hour
// counts against the pool of its unit. Assigning Ana books it; unassigning
// her puts it back to pending, her record kept as history.
func ExampleEngine_AddAppointment() {
	e := crew()
	err := e.AddAppointment(capacity.Appointment{ID: 5003, JobTypeID: 10, BusinessUnitID: 1,
		Start: at("2027-03-09", "14:00"), End: at("2027-03-09", "15:00"),
		ArrivalWindowStart: at("2027-03-09", "14:00"), ArrivalWindowEnd: at("2027-03-09", "16:00")})
	fmt.Println(err)
	tuesday(e)
	_, _, err = e.Assign(5003, []int64{101}, nil)
	fmt.Println(err)
	tuesday(e)
	recs, err := e.Unassign(5003, []int64{101}, nil)
	fmt.Println(len(recs), err)
	tuesday(e)
	// Output:
	// <nil>
	// 08 [101 102] 240/0/0  10 [101 102] 240/60/0  12 [101 102] 240/0/60  14 [101 102] 240/0/60
	// <nil>
	// 08 [101 102] 240/0/0  10 [101 102] 240/60/0  12 [101 102] 240/0/60  14 [101 102] 240/60/0
	// 0 <nil>
	// 08 [101 102] 240/0/0  10 [101 102] 240/60/0  12 [101 102] 240/0/60  14 [101 102] 240/0/60
}

// Ben works a Wednesday too: one shift per technician named, stamped by
// the engine's clock and returned in the tenant's zone.
func ExampleEngine_CreateShifts() {
	e := crew()
	created, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{102}, Type: shifts.Normal, Title: "Day",
		Start: time.Date(2027, 3, 10, 8, 0, 0, 0, denver), End: time.Date(2027, 3, 10, 12, 0, 0, 0, denver)})
	for _, sh := range created {
		fmt.Println(sh.ID, sh.TechnicianID, sh.Start.Format(time.RFC3339), sh.End.Sub(sh.Start), sh.ModifiedOn.Format(time.RFC3339), err)
	}
	work, booked := e.Load(102, time.Date(2027, 3, 10, 0, 0, 0, 0, denver), time.Date(2027, 3, 11, 0, 0, 0, 0, denver))
	fmt.Println(work, booked)
	// Output:
	// 3 102 2027-03-10T08:00:00-07:00 4h0m0s 2027-03-08T02:00:00-07:00 <nil>
	// 4h0m0s 0s
}

// A technician who leaves is deactivated, not deleted: its records stay
// as history, and it is no longer eligible.
func ExampleEngine_DeactivateTechnician() {
	e := crew()
	fmt.Println(e.DeactivateTechnician(102))
	ben, _ := e.Technician(102)
	fmt.Println(ben.Name, "active:", ben.IsActive())
	tuesday(e)
	fmt.Println(e.DeactivateTechnician(999))
	// Output:
	// <nil>
	// Ben active: false
	// 08 [101] 120/0/0  10 [101] 120/60/0  12 [101] 120/0/60  14 [101] 120/0/0
	// id: capacity: unknown technician 999
}

// Moving Ana's 10:00 repair to 15:00 frees the 10–12 window and books
// 14–16; she stays assigned. Moving it to 16:30 would run past her shift:
// the move is made, and the warning says so.
func ExampleEngine_RescheduleAppointment() {
	e := crew()
	tuesday(e)
	ws, err := e.RescheduleAppointment(5001, capacity.Reschedule{
		Start: at("2027-03-09", "15:00"), End: at("2027-03-09", "16:00"),
		ArrivalWindowStart: at("2027-03-09", "14:00"), ArrivalWindowEnd: at("2027-03-09", "16:00"),
	})
	fmt.Println(ws, err)
	tuesday(e)
	ws, _ = e.RescheduleAppointment(5001, capacity.Reschedule{Start: at("2027-03-09", "16:30"), End: at("2027-03-09", "17:30")})
	for _, w := range ws {
		fmt.Println(w)
	}
	// Output:
	// 08 [101 102] 240/0/0  10 [101 102] 240/60/0  12 [101 102] 240/0/60  14 [101 102] 240/0/0
	// [] <nil>
	// 08 [101 102] 240/0/0  10 [101 102] 240/0/0  12 [101 102] 240/0/60  14 [101 102] 240/60/0
	// outsideWorkingTime: appointment 5001 (2027-03-09 16:30–17:30) lies outside the working time of technician 101 (Ana) for 30 minutes of its 60 minutes
}

// Canceling an appointment frees its time and keeps its assignment as
// history: the record returned is Unassigned, stamped by the clock. The
// appointment stays, canceled, so that saved records reload to the same
// state; it can no longer be assigned.
func ExampleEngine_CancelAppointment() {
	e := crew()
	recs, err := e.CancelAppointment(5001)
	for _, r := range recs {
		fmt.Println(r.AppointmentID, r.TechnicianID, r.Status, r.UnassignedOn.Format(time.RFC3339), err)
	}
	a, assigned, _ := e.Appointment(5001)
	fmt.Println("canceled:", a.Canceled, "assigned:", assigned)
	tuesday(e)
	_, _, err = e.Assign(5001, []int64{101}, nil)
	fmt.Println(err)
	// Canceling the waiting leak repair takes its pending minutes away.
	if _, err := e.CancelAppointment(5002); err != nil {
		fmt.Println(err)
	}
	tuesday(e)
	// Output:
	// 5001 101 Unassigned 2027-03-08T02:00:00-07:00 <nil>
	// canceled: true assigned: []
	// 08 [101 102] 240/0/0  10 [101 102] 240/0/0  12 [101 102] 240/0/60  14 [101 102] 240/0/0
	// jobAppointmentId: capacity: appointment 5001 is canceled
	// 08 [101 102] 240/0/0  10 [101 102] 240/0/0  12 [101 102] 240/0/0  14 [101 102] 240/0/0
}

// A shift is changed by editing its fields: Ben's shift now starts at
// 12:00, so the morning windows lose his capacity. ModifiedOn is the
// engine's clock.
func ExampleEngine_UpdateShift() {
	e := crew()
	sh, _ := e.Shifts().Get(2)
	c := sh.Change()
	c.Start = at("2027-03-09", "12:00")
	c.Title = "Late start"
	sh, err := e.UpdateShift(2, c)
	fmt.Println(sh.Title, sh.Start.Format("15:04"), sh.ModifiedOn.Format(time.RFC3339), err)
	tuesday(e)
	// Output:
	// Late start 12:00 2027-03-08T02:00:00-07:00 <nil>
	// 08 [101] 120/0/0  10 [101] 120/60/0  12 [101 102] 240/0/60  14 [101 102] 240/0/0
}

// A deactivated shift gives no time until it is reactivated; a deleted
// one is gone.
func ExampleEngine_DeactivateShift() {
	e := crew()
	sh, _ := e.DeactivateShift(2)
	fmt.Println("active:", sh.IsActive())
	tuesday(e)
	sh, _ = e.ReactivateShift(2)
	fmt.Println("active:", sh.IsActive())
	tuesday(e)
	// Output:
	// active: false
	// 08 [101] 120/0/0  10 [101] 120/60/0  12 [101] 120/0/60  14 [101] 120/0/0
	// active: true
	// 08 [101 102] 240/0/0  10 [101 102] 240/60/0  12 [101 102] 240/0/60  14 [101 102] 240/0/0
}

// Ana takes 12:00–14:00 off; the time off is then deleted.
func ExampleEngine_DeleteShift() {
	e := crew()
	created, _ := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.TimeOff, Title: "Dentist",
		Start: at("2027-03-09", "12:00"), End: at("2027-03-09", "14:00")})
	tuesday(e)
	deleted, err := e.DeleteShift(created[0].ID)
	fmt.Println(deleted.ID, deleted.Title, err)
	tuesday(e)
	_, err = e.DeleteShift(created[0].ID)
	fmt.Println(err)
	// Output:
	// 08 [101 102] 240/0/0  10 [101 102] 240/60/0  12 [102] 120/0/60  14 [101 102] 240/0/0
	// 3 Dentist <nil>
	// 08 [101 102] 240/0/0  10 [101 102] 240/60/0  12 [101 102] 240/0/60  14 [101 102] 240/0/0
	// id: capacity: unknown shift 3
}

// A new technician is active from the start (the zero Technician is
// active) and has capacity once it has a shift.
func ExampleEngine_AddTechnician() {
	e := crew()
	err := e.AddTechnician(capacity.Technician{ID: 103, Name: "Cy", BusinessUnitID: 1, Skills: []string{"HVAC"}})
	fmt.Println(err)
	_, err = e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{103}, Type: shifts.Normal, Title: "Day",
		Start: at("2027-03-09", "12:00"), End: at("2027-03-09", "17:00")})
	fmt.Println(err)
	tuesday(e)
	fmt.Println(e.AddTechnician(capacity.Technician{ID: 103, Name: "Cy again", BusinessUnitID: 1}))
	// Output:
	// <nil>
	// <nil>
	// 08 [101 102] 240/0/0  10 [101 102] 240/60/0  12 [101 102 103] 360/0/60  14 [101 102 103] 360/0/0
	// id: capacity: technician 103 exists
}

// Ben moves to HVAC and learns its skill: requests for HVAC now count
// him. Then he leaves: deactivated, he is no longer eligible, and his
// capacity leaves every window; reactivated, it returns.
func ExampleEngine_UpdateTechnician() {
	e := crew()
	hvac := func() {
		resp, _ := e.Capacity(capacity.Request{
			StartsOnOrAfter: time.Date(2027, 3, 9, 8, 0, 0, 0, denver), EndsOnOrBefore: time.Date(2027, 3, 9, 10, 0, 0, 0, denver),
			BusinessUnitIDs: []int64{1}, JobTypeID: 10, SkillBasedAvailability: true,
		})
		ts := resp.Availabilities[0].Timeslots[0]
		fmt.Println("HVAC 08–10:", ts.TechnicianIDs, ts.CapacityMinutes, "min")
	}
	hvac()
	ben, _ := e.Technician(102)
	ben.BusinessUnitID, ben.Skills = 1, []string{"Plumbing", "HVAC"}
	fmt.Println(e.UpdateTechnician(ben))
	hvac()
	fmt.Println(e.DeactivateTechnician(102))
	hvac()
	fmt.Println(e.ReactivateTechnician(102))
	hvac()
	// Output:
	// HVAC 08–10: [101] 120 min
	// <nil>
	// HVAC 08–10: [101 102] 240 min
	// <nil>
	// HVAC 08–10: [101] 120 min
	// <nil>
	// HVAC 08–10: [101 102] 240 min
}

// Assigning Ben, a plumber, to Ana's AC repair at 10:00 succeeds — a
// dispatcher may override — and says what is wrong: he lacks the skill
// and belongs to another unit. Warnings come by technician, then code;
// clients switch on the code. CheckAssignment tells the same without
// assigning: Ana on a new repair at 10:30 would overlap her own at 10:00.
func ExampleEngine_Assign_warnings() {
	e := crew()
	_, ws, err := e.Assign(5001, []int64{102}, nil)
	fmt.Println(err)
	for _, w := range ws {
		fmt.Println(w.TechnicianID, w.Code)
		fmt.Println("  ", w.Message)
	}
	// Ana again, on an appointment overlapping hers.
	if err := e.AddAppointment(capacity.Appointment{ID: 5003, JobTypeID: 10, BusinessUnitID: 1,
		Start: at("2027-03-09", "10:30"), End: at("2027-03-09", "12:00")}); err != nil {
		fmt.Println(err)
	}
	ws, _ = e.CheckAssignment(5003, []int64{101})
	for _, w := range ws {
		fmt.Println(w.TechnicianID, w.Code, w.OtherAppointmentID)
		fmt.Println("  ", w.Message)
	}
	// Output:
	// <nil>
	// 102 missingSkills
	//    technician 102 (Ben) lacks "HVAC", which job type 10 (AC repair) requires
	// 102 otherBusinessUnit
	//    technician 102 (Ben) is in business unit 2 (Plumbing); appointment 5001 is for business unit 1 (HVAC)
	// 101 overlappingAppointment 5001
	//    appointment 5003 (2027-03-09 10:30–12:00) overlaps appointment 5001 (2027-03-09 10:00–11:00), to which technician 101 (Ana) is assigned, for 30 minutes
}
