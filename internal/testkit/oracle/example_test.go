package oracle_test

import (
	"fmt"

	"github.com/opendispatch/dispatch/internal/testkit/oracle"
)

// Santiago springs forward at midnight on 2026-09-06: the day has no
// 00:00, so the window "00:00"–"02:00" opens at 01:00 and holds an hour of
// the technician's night shift. The request's start, written
// 00:00-03:00, is the instant Santiago reads as 23:00 the evening before,
// and is echoed so.
func ExampleCapacity() {
	tenant := `{"timeZone": "America/Santiago",
	  "businessHours": {"weekdays": [{"weekday": "Sunday", "timeSlots": [{"from": "00:00", "to": "24:00"}]}]},
	  "arrivalWindows": [{"id": 1, "from": "00:00", "to": "02:00"}],
	  "businessUnits": [{"id": 1}],
	  "technicians": [{"id": 7, "businessUnitId": 1}],
	  "shifts": [{"technicianId": 7, "shiftType": "Normal", "start": "2026-09-05T23:00:00-04:00", "end": "2026-09-06T06:00:00-03:00"}]}`
	request := `{"startsOnOrAfter": "2026-09-06T00:00:00-03:00", "endsOnOrBefore": "2026-09-07T00:00:00-03:00"}`
	out, err := oracle.Capacity([]byte(tenant), []byte(request))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"startsOnOrAfter":"2026-09-05T23:00:00-04:00","endsOnOrBefore":"2026-09-07T00:00:00-03:00","availabilities":[{"start":"2026-09-06T01:00:00-03:00","end":"2026-09-06T02:00:00-03:00","timeslots":[{"start":"2026-09-06T01:00:00-03:00","end":"2026-09-06T02:00:00-03:00","technicianIds":[7],"isAvailable":true,"isExceedingIdealBookingPercentage":false,"totalAvailability":60,"capacityMinutes":60,"bookedMinutes":0,"pendingMinutes":0}]}]}
}
