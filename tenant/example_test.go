package tenant_test

import (
	"fmt"

	"github.com/opendispatch/dispatch/tenant"
)

func ExampleParse() {
	_, err := tenant.Parse([]byte(`{"version": 1, "tenant": "42", "timeZone": "America/Denver",
		"businessUnits": [{"id": 1, "name": "HVAC"}],
		"jobTypes": [{"id": 10, "name": "AC Repair", "durationMinutes": 0}],
		"technicians": [{"id": 101, "name": "Ana", "businessUnitId": 7, "nickname": "A"}]}`))
	fmt.Println(err)
	_, err = tenant.Parse([]byte(`{"version": 1, "tenant": "42", "timeZone": "America/Denver",
		"businessUnits": [{"id": 1, "name": "HVAC"}],
		"jobTypes": [{"id": 10, "name": "AC Repair", "durationMinutes": 0}],
		"technicians": [{"id": 101, "name": "Ana", "businessUnitId": 7}]}`))
	fmt.Println(err.Error())
	// Output:
	// technicians[0].nickname: tenant: unknown field "nickname"
	// jobTypes[0].durationMinutes: capacity: job type 10 has no positive duration (0 minutes); a missing duration overbooks
	// technicians[0].businessUnitId: capacity: unknown business unit 7
}

func ExampleTenant_Warnings() {
	t, err := tenant.Parse([]byte(`{"version": 1, "tenant": "42", "timeZone": "MST7MDT"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range t.Warnings {
		fmt.Println(w.Path, "→", w.Msg)
	}
	// Output:
	// timeZone → hours: time zone "MST7MDT" is a legacy POSIX-style name kept only for compatibility; use "America/Denver"
}
