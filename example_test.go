package dispatch_test

import (
	"fmt"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/tenant"
)

// Who can take a 90-minute AC repair in Tuesday's 12–14 window?
func Example() {
	t, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		fmt.Println(err)
		return
	}
	loc := t.Engine.Location()
	resp, _ := t.Engine.Capacity(capacity.Request{
		StartsOnOrAfter:        time.Date(2027, 3, 9, 12, 0, 0, 0, loc),
		EndsOnOrBefore:         time.Date(2027, 3, 9, 14, 0, 0, 0, loc),
		JobTypeID:              101, // AC Repair, 90 minutes, needs HVAC
		SkillBasedAvailability: true,
	})
	ts := resp.Availabilities[0].Timeslots[0]
	fmt.Println(ts.TechnicianIDs, ts.IsAvailable, ts.TotalAvailability, "free minutes")
	// Output: [108] true 40 free minutes
}
