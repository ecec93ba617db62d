package capacity_test

import (
	"fmt"
	"os"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
)

// printSlots prints one line per timeslot: window, fitting technicians,
// free minutes after pending, and the two flags.
func printSlots(resp *capacity.Response) {
	for _, a := range resp.Availabilities {
		for _, ts := range a.Timeslots {
			fmt.Printf("%s–%s ids=%v free=%dmin available=%v exceeding=%v\n",
				ts.Start.In(resp.Zone).Format("15:04"), ts.End.In(resp.Zone).Format("15:04"),
				ts.TechnicianIDs, ts.TotalAvailability, ts.IsAvailable, ts.IsExceedingIdealBookingPercentage)
		}
	}
}

// One technician works 08:00–17:00 with appointments 10:00–11:00 and
// 14:00–15:00, so 7 free hours remain: 08–10, 11–14 and 15–17. A 240-minute
// job fits no two-hour window, because no free stretch is 4 hours long.
func Example_longJobFitsNowhere() {
	e, _ := capacity.New(oneTech(), capacity.WithClock(time.Now))
	resp, _ := e.Capacity(capacity.Request{
		StartsOnOrAfter: time.Date(2027, 3, 9, 0, 0, 0, 0, denver),
		EndsOnOrBefore:  time.Date(2027, 3, 10, 0, 0, 0, 0, denver),
		JobTypeID:       12, // 240 minutes
	})
	printSlots(resp)
	// Output:
	// 08:00–10:00 ids=[] free=120min available=false exceeding=true
	// 10:00–12:00 ids=[] free=60min available=false exceeding=true
	// 12:00–14:00 ids=[] free=120min available=false exceeding=true
	// 14:00–16:00 ids=[] free=60min available=false exceeding=true
}

// A 180-minute job fits the 10–12 window — arriving at 11:00, when the
// first appointment ends, and running to 14:00 — but not 08–10, where the
// free stretch is only two hours. The job may run past its window's end,
// but only into free working time.
func Example_arrivalInsideWindow() {
	e, _ := capacity.New(oneTech(), capacity.WithClock(time.Now))
	resp, _ := e.Capacity(capacity.Request{
		StartsOnOrAfter: time.Date(2027, 3, 9, 0, 0, 0, 0, denver),
		EndsOnOrBefore:  time.Date(2027, 3, 10, 0, 0, 0, 0, denver),
		JobTypeID:       11, // 180 minutes
	})
	printSlots(resp)
	// Output:
	// 08:00–10:00 ids=[] free=120min available=false exceeding=true
	// 10:00–12:00 ids=[101] free=60min available=true exceeding=true
	// 12:00–14:00 ids=[] free=120min available=false exceeding=true
	// 14:00–16:00 ids=[] free=60min available=false exceeding=true
}

// The response is the contract's JSON with times in the tenant's local
// offset, and a few extra fields: the echoed range and per-timeslot
// minutes.
func ExampleResponse_MarshalJSON() {
	e, _ := capacity.New(oneTech(), capacity.WithClock(time.Now))
	resp, _ := e.Capacity(capacity.Request{
		StartsOnOrAfter: time.Date(2027, 3, 9, 8, 0, 0, 0, denver),
		EndsOnOrBefore:  time.Date(2027, 3, 9, 10, 0, 0, 0, denver),
		JobTypeID:       10,
	})
	b, _ := resp.MarshalJSON()
	os.Stdout.Write(append(b, '\n'))
	// Output:
	// {"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T10:00:00-07:00","availabilities":[{"start":"2027-03-09T08:00:00-07:00","end":"2027-03-09T10:00:00-07:00","timeslots":[{"start":"2027-03-09T08:00:00-07:00","end":"2027-03-09T10:00:00-07:00","technicianIds":[101],"isAvailable":true,"isExceedingIdealBookingPercentage":false,"totalAvailability":120,"capacityMinutes":120,"bookedMinutes":0,"pendingMinutes":0}]}]}
}

func ExampleEngine_Assign() {
	e, _ := capacity.New(oneTech(), capacity.WithClock(time.Now))
	req := capacity.Request{
		StartsOnOrAfter: time.Date(2027, 3, 10, 8, 0, 0, 0, denver),
		EndsOnOrBefore:  time.Date(2027, 3, 10, 10, 0, 0, 0, denver),
	}
	// Appointment 5003 (09:00–10:00 on Wednesday) is unassigned: pending.
	// Ana has no shift that day, so there is no capacity to take it.
	resp, _ := e.Capacity(req)
	ts := resp.Availabilities[0].Timeslots[0]
	fmt.Println("pending", ts.PendingMinutes, "capacity", ts.CapacityMinutes)

	recs, _, err := e.Assign(5003, []int64{101}, &capacity.Actor{ID: 1, Name: "Dispatcher"})
	fmt.Println(len(recs), recs[0].Status, err)
	resp, _ = e.Capacity(req)
	ts = resp.Availabilities[0].Timeslots[0]
	fmt.Println("pending", ts.PendingMinutes, "capacity", ts.CapacityMinutes)
	// Output:
	// pending 60 capacity 0
	// 1 Assigned <nil>
	// pending 0 capacity 0
}

// Footprint tells an embedder what an engine costs and where: the
// capacity index that queries read, and the records kept to serve back.
// It grows with assignments: each adds a ledger record and a busy span.
func ExampleEngine_Footprint() {
	e, _ := capacity.New(oneTech(), capacity.WithClock(time.Now))
	before := e.Footprint()
	if _, _, err := e.Assign(5003, []int64{101}, nil); err != nil {
		fmt.Println(err)
	}
	after := e.Footprint()
	fmt.Println("index grew:", after.Index > before.Index)
	fmt.Println("ledger grew by at least one 48-byte record:", after.Assignments-before.Assignments >= 48)
	fmt.Println("total is the sum:", after.Total() == after.Index+after.Appointments+after.Assignments+after.Shifts+after.Other)
	// Output:
	// index grew: true
	// ledger grew by at least one 48-byte record: true
	// total is the sum: true
}

// A planner holds back Tuesday 08:00–10:00 (two hours less) and overbooks
// 10:00–12:00 by an hour. Adjustments change the pool, not who fits:
// Ana still fits at 08:00, but the held-back window has nothing left.
func ExampleEngine_AddAdjustment() {
	e, _ := capacity.New(oneTech(), capacity.WithClock(time.Now))
	tuesday := hours.MustParseDate("2027-03-09")
	for _, a := range []capacity.Adjustment{
		{ID: 1, Date: tuesday, From: hours.MustParseClock("08:00"), To: hours.MustParseClock("10:00"), Minutes: -120, Reason: "training"},
		{ID: 2, Date: tuesday, From: hours.MustParseClock("10:00"), To: hours.MustParseClock("12:00"), Minutes: 60, Reason: "overbook"},
	} {
		if err := e.AddAdjustment(a); err != nil {
			fmt.Println(err)
		}
	}
	// An adjustment must match a window of its date.
	err := e.AddAdjustment(capacity.Adjustment{ID: 3, Date: tuesday, From: hours.MustParseClock("09:00"), To: hours.MustParseClock("10:00"), Minutes: 30})
	fmt.Println(err)

	resp, _ := e.Capacity(capacity.Request{
		StartsOnOrAfter: time.Date(2027, 3, 9, 8, 0, 0, 0, denver),
		EndsOnOrBefore:  time.Date(2027, 3, 9, 12, 0, 0, 0, denver),
		JobTypeID:       10, // 60 minutes
	})
	for _, ts := range resp.Availabilities[0].Timeslots {
		fmt.Printf("%s ids=%v capacity=%dmin free=%dmin available=%v because=%v\n",
			ts.Start.In(resp.Zone).Format("15:04"), ts.TechnicianIDs, ts.CapacityMinutes,
			ts.TotalAvailability, ts.IsAvailable, ts.UnavailableBecause.Strings())
	}
	// Output:
	// from: capacity: no timeslot 09:00–10:00 on 2027-03-09 (Tuesday): an adjustment must match a window of its date
	// 08:00 ids=[101] capacity=0min free=0min available=false because=[poolExhausted]
	// 10:00 ids=[101] capacity=180min free=120min available=true because=[]
}

// Units that share technicians form a group: a request for one of them
// sees the whole group's pool. A reserve holds back a share of it from
// routine work; a priority job type may use it.
func ExampleEngine_AddGroup() {
	e, _ := capacity.New(workedTenant(), capacity.WithClock(time.Now))
	if err := e.AddGroup(capacity.BusinessUnitGroup{ID: 1, Name: "HVAC", BusinessUnitIDs: []int64{1, 2}}); err != nil {
		fmt.Println(err)
	}
	if err := e.SetUnitPercentages(1, 80, 50); err != nil { // Service: ideal 80%, reserve 50%
		fmt.Println(err)
	}
	for _, job := range []int64{10, 12} { // Repair, then Emergency (priority)
		resp, _ := e.Capacity(capacity.Request{
			StartsOnOrAfter: time.Date(2027, 3, 9, 8, 0, 0, 0, denver),
			EndsOnOrBefore:  time.Date(2027, 3, 9, 10, 0, 0, 0, denver),
			BusinessUnitIDs: []int64{1},
			JobTypeID:       job,
		})
		ts := resp.Availabilities[0].Timeslots[0]
		fmt.Printf("job %d: ids=%v capacity=%dmin free=%dmin\n", job, ts.TechnicianIDs, ts.CapacityMinutes, ts.TotalAvailability)
	}
	// Output:
	// job 10: ids=[101 102] capacity=240min free=60min
	// job 12: ids=[101 102] capacity=240min free=120min
}

// A timeslot that cannot be booked says why, in the JSON output too.
func ExampleReasons() {
	why := capacity.Reasons{NoTechnicianFits: true, ReserveHeld: true, CapacityRules: []int64{3, 7}}
	fmt.Println(why.Strings())
	fmt.Println(capacity.Reasons{}.Any())
	// Output:
	// [noTechnicianFits reserveHeld capacityRule:3 capacityRule:7]
	// false
}
