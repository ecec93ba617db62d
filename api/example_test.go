package api_test

import (
	"fmt"
	"net/url"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/tenant"
)

func ExampleService_ListShifts() {
	t, _ := tenant.Parse(dispatch.DemoTenant, capacity.WithClock(time.Now))
	svc := api.Service{T: t}
	page, err := svc.ListShifts(url.Values{"pageSize": {"2"}, "startsOnOrAfter": {"2027-03-15T00:00:00-06:00"}})
	fmt.Println(err, page.TotalCount > 100, page.HasMore)
	for _, sh := range page.Data {
		fmt.Println(sh.TechnicianID, sh.ShiftType, sh.Start, sh.End)
	}
	_, err = svc.ListShifts(url.Values{"pageSize": {"501"}})
	fmt.Println(api.Status(err), api.Fields(err))
	// Output:
	// <nil> true true
	// 104 TimeOff 2027-03-15T00:00:00-06:00 2027-03-20T00:00:00-06:00
	// 101 Normal 2027-03-15T07:00:00-06:00 2027-03-15T17:00:00-06:00
	// 400 map[pageSize:[paging: pageSize 501 is above the maximum 500]]
}

func ExampleService_Unassign() {
	t, _ := tenant.Parse(dispatch.DemoTenant, capacity.WithClock(time.Now))
	svc := api.Service{T: t}
	_, err := svc.Unassign([]byte(`{"jobAppointmentId": 5001, "technicianIds": [102]}`), nil)
	fmt.Println(api.Status(err), err)
	_, _, err = svc.Assign([]byte(`{"jobAppointmentId": 5001, "technicianIds": [102], "colour": 1}`), nil)
	fmt.Println(api.Status(err), err)
	// Output:
	// 409 technicianIds[0]: capacity: technician 102 is not assigned to appointment 5001
	// 400 colour: api: unknown field "colour"
}

func ExampleProblems() {
	t, _ := tenant.Parse(dispatch.DemoTenant, capacity.WithClock(time.Now))
	svc := api.Service{T: t}
	_, err := svc.ListShifts(url.Values{"page": {"0"}, "startsOnOrAfter": {"0001-01-01T00:00:00Z"}})
	for _, p := range api.Problems(err) {
		fmt.Printf("%s: %s\n", p.Field, p.Message)
	}
	// Output:
	// page: paging: page 0 must be at least 1
	// startsOnOrAfter: api: hours: date-time 0001-01-01T00:00:00Z is outside the supported years 1900–2199
}

// The lifecycle of an appointment: created, assigned (with what is wrong
// with it), then canceled, its record kept as history.
func ExampleService_CancelAppointment() {
	t, _ := tenant.Parse(dispatch.DemoTenant, capacity.WithClock(time.Now))
	svc := api.Service{T: t}
	a, err := svc.CreateAppointment([]byte(`{"id": 9001, "jobTypeId": 101, "businessUnitId": 1,
		"start": "2027-03-10T13:00:00-07:00", "end": "2027-03-10T15:00:00-07:00"}`))
	fmt.Println(a.ID, a.Start, a.TechnicianIDs, err)
	_, warnings, err := svc.Assign([]byte(`{"jobAppointmentId": 9001, "technicianIds": [201]}`), nil)
	for _, w := range warnings {
		fmt.Println(w.TechnicianID, w.Code)
	}
	c, err := svc.CancelAppointment(9001)
	fmt.Println(c.Appointment.Canceled, len(c.Unassigned), c.Unassigned[0].Status, err)
	_, err = svc.CancelAppointment(9001)
	fmt.Println(api.Status(err), err)
	// Output:
	// 9001 2027-03-10T13:00:00-07:00 [] <nil>
	// 201 missingSkills
	// 201 otherBusinessUnit
	// 201 overlappingAppointment
	// true 1 Unassigned <nil>
	// 409 id: capacity: appointment 9001 is canceled already
}

// Technicians are added active and without shifts; an update replaces the
// fields it names.
func ExampleService_UpdateTechnician() {
	t, _ := tenant.Parse(dispatch.DemoTenant, capacity.WithClock(time.Now))
	svc := api.Service{T: t}
	tech, err := svc.AddTechnician([]byte(`{"id": 120, "name": "Kim Lee", "businessUnitId": 1, "skills": ["HVAC"]}`))
	fmt.Println(tech.Name, tech.Skills, tech.Active, err)
	tech, err = svc.UpdateTechnician(120, []byte(`{"skills": ["HVAC", "EPA 608"], "home": {"latitude": 39.7, "longitude": -105}}`))
	fmt.Println(tech.Name, tech.Skills, *tech.Home, err)
	_, err = svc.UpdateTechnician(120, []byte(`{"businessUnitId": 9}`))
	fmt.Println(api.Status(err), err)
	// Output:
	// Kim Lee [HVAC] true <nil>
	// Kim Lee [HVAC EPA 608] {39.7 -105} <nil>
	// 400 businessUnitId: capacity: unknown business unit 9
}
