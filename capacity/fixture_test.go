package capacity_test

import (
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

var denver, _ = hours.LoadLocation("America/Denver")

func at(day, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, denver)
	if err != nil {
		panic(err)
	}
	return t
}

// oneTech is the worked example of the issue: one technician working
// 08:00–17:00 on Tuesday 2027-03-09 with appointments 10:00–11:00 and
// 14:00–15:00, two-hour arrival windows from 08:00, and an unassigned
// appointment 5003 for the ledger tests.
func oneTech() capacity.Data {
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
	return capacity.Data{
		Schedule:      sched,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "HVAC Service", IdealBookingPercentage: 80}},
		JobTypes: []capacity.JobType{
			{ID: 10, Name: "Tune-up", DurationMinutes: 60},
			{ID: 11, Name: "Install", DurationMinutes: 180},
			{ID: 12, Name: "Replace system", DurationMinutes: 240},
		},
		Technicians: []capacity.Technician{{ID: 101, Name: "Ana Ruiz", BusinessUnitID: 1}},
		Shifts:      []shifts.Shift{{ID: 1, TechnicianID: 101, Type: shifts.Normal, Start: at(day, "08:00"), End: at(day, "17:00")}},
		Appointments: []capacity.Appointment{
			{ID: 5001, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, "10:00"), End: at(day, "11:00")},
			{ID: 5002, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, "14:00"), End: at(day, "15:00")},
			{ID: 5003, JobTypeID: 10, BusinessUnitID: 1, Start: at("2027-03-10", "09:00"), End: at("2027-03-10", "10:00")},
		},
		Assignments: []capacity.Assignment{
			{ID: 1, AppointmentID: 5001, TechnicianID: 101, Status: capacity.Assigned},
			{ID: 2, AppointmentID: 5002, TechnicianID: 101, Status: capacity.Assigned},
		},
	}
}

// u returns Unix seconds x as a time in Denver, as the engine returns
// times of the fixtures' tenants.
func u(x int64) time.Time { return time.Unix(x, 0).In(denver) }

// testClock is the clock of the tests' engines: 2027-03-08 09:00 UTC,
// always.
func testClock() time.Time { return time.Date(2027, 3, 8, 9, 0, 0, 0, time.UTC) }
