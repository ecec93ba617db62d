package api_test

import (
	"fmt"
	"net/url"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/tenant"
)

func ExampleService_ListShifts() {
	t, _ := tenant.Parse(dispatch.DemoTenant)
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
	t, _ := tenant.Parse(dispatch.DemoTenant)
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
	t, _ := tenant.Parse(dispatch.DemoTenant)
	svc := api.Service{T: t}
	_, err := svc.ListShifts(url.Values{"page": {"0"}, "startsOnOrAfter": {"0001-01-01T00:00:00Z"}})
	for _, p := range api.Problems(err) {
		fmt.Printf("%s: %s\n", p.Field, p.Message)
	}
	// Output:
	// page: paging: page 0 must be at least 1
	// startsOnOrAfter: api: hours: date-time 0001-01-01T00:00:00Z is outside the supported years 1900–2199
}
