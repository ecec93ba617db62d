package capacity_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// A tenant built in code, no file: business hours and arrival windows,
// three technicians with a shift each, a job type; then who can take a
// 90-minute AC repair on Tuesday, an assignment, and the answer again.
//
// Nothing is set that the file format defaults: technicians and shifts
// are active at their zero values, times are time.Date in the tenant's
// zone (no Unix seconds, no conversion helpers), and the clock that stamps
// the assignment is the embedder's (time.Now in a service; a fixed one
// here, so the output does not change).
func ExampleNew() {
	denver, err := time.LoadLocation("America/Denver")
	if err != nil {
		fmt.Println(err)
		return
	}
	var week hours.BusinessHours
	for _, day := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"} {
		week.Weekdays = append(week.Weekdays, hours.WeekdayHours{Weekday: day, TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: week,
		ArrivalWindows: []hours.ArrivalWindow{{ID: 1, From: "08:00", To: "12:00"}, {ID: 2, From: "12:00", To: "16:00"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	tuesday := func(h, m int) time.Time { return time.Date(2027, 3, 9, h, m, 0, 0, denver) }
	e, err := capacity.New(capacity.Data{
		Schedule:      sched,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "HVAC Service"}},
		JobTypes:      []capacity.JobType{{ID: 10, Name: "AC repair", DurationMinutes: 90, Skills: []string{"HVAC"}}},
		Technicians: []capacity.Technician{
			{ID: 101, Name: "Ana", BusinessUnitID: 1, Skills: []string{"HVAC"}},
			{ID: 102, Name: "Ben", BusinessUnitID: 1, Skills: []string{"HVAC"}},
			{ID: 103, Name: "Cy", BusinessUnitID: 1, Skills: []string{"Plumbing"}},
		},
		Shifts: []shifts.Shift{
			{ID: 1, TechnicianID: 101, Type: shifts.Normal, Start: tuesday(8, 0), End: tuesday(17, 0)},
			{ID: 2, TechnicianID: 102, Type: shifts.Normal, Start: tuesday(12, 0), End: tuesday(17, 0)},
			{ID: 3, TechnicianID: 103, Type: shifts.Normal, Start: tuesday(8, 0), End: tuesday(17, 0)},
		},
		Appointments: []capacity.Appointment{{ID: 5001, JobTypeID: 10, BusinessUnitID: 1, Start: tuesday(9, 0), End: tuesday(10, 30),
			ArrivalWindowStart: tuesday(8, 0), ArrivalWindowEnd: tuesday(12, 0)}},
	}, capacity.WithClock(func() time.Time { return time.Date(2027, 3, 8, 16, 30, 0, 0, time.UTC) }))
	if err != nil {
		fmt.Println(err)
		return
	}
	show := func() {
		resp, err := e.Capacity(capacity.Request{StartsOnOrAfter: tuesday(0, 0), EndsOnOrBefore: tuesday(24, 0),
			JobTypeID: 10, SkillBasedAvailability: true})
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, a := range resp.Availabilities {
			for _, ts := range a.Timeslots {
				fmt.Printf("  %s–%s fit %v, %d free minutes, pending %d\n", ts.Start.Format("15:04"), ts.End.Format("15:04"),
					ts.TechnicianIDs, ts.TotalAvailability, ts.PendingMinutes)
			}
		}
	}
	fmt.Println("before:")
	show()
	recs, warnings, err := e.Assign(5001, []int64{101}, &capacity.Actor{ID: 1, Name: "Dispatcher"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("assigned", recs[0].TechnicianID, "on", recs[0].AssignedOn.Format(time.RFC3339), "warnings:", warnings)
	fmt.Println("after:")
	show()
	// Output:
	// before:
	//   08:00–12:00 fit [101], 150 free minutes, pending 90
	//   12:00–16:00 fit [101 102], 480 free minutes, pending 0
	// assigned 101 on 2027-03-08T09:30:00-07:00 warnings: []
	// after:
	//   08:00–12:00 fit [101], 150 free minutes, pending 0
	//   12:00–16:00 fit [101 102], 480 free minutes, pending 0
}

// The engine behind an HTTP handler of the embedder's own: the body of
// POST /capacity is parsed by capacity.ParseRequest (strict, every problem
// named with its field), answered by the engine, and written as the
// contract's JSON in the tenant's offset. Bad input is a 400 whose text
// names the field.
func Example_hTTPHandler() {
	e, err := capacity.New(oneTech(), capacity.WithClock(time.Now))
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /capacity", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req, err := capacity.ParseRequest(body)
		if err == nil {
			var resp *capacity.Response
			if resp, err = e.Capacity(req); err == nil {
				w.Header().Set("Content-Type", "application/json")
				w.Write(resp.AppendJSON(nil))
				return
			}
		}
		http.Error(w, err.Error(), http.StatusBadRequest)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	post := func(body string) {
		res, err := http.Post(srv.URL+"/capacity", "application/json", strings.NewReader(body))
		if err != nil {
			fmt.Println(err)
			return
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			msg, _ := io.ReadAll(res.Body)
			fmt.Print(res.StatusCode, " ", string(msg))
			return
		}
		var got struct {
			Availabilities []struct {
				Timeslots []struct {
					Start             string
					TechnicianIDs     []int64
					TotalAvailability int
				}
			}
		}
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
			fmt.Println(err)
			return
		}
		for _, a := range got.Availabilities {
			for _, ts := range a.Timeslots {
				fmt.Println(res.StatusCode, ts.Start, ts.TechnicianIDs, ts.TotalAvailability)
			}
		}
	}
	post(`{"startsOnOrAfter": "2027-03-09T08:00:00-07:00", "endsOnOrBefore": "2027-03-09T12:00:00-07:00", "jobTypeId": 10}`)
	post(`{"startsOnOrAfter": "2027-03-09T08:00:00-07:00", "endsOnOrBefore": "2027-03-09T12:00:00-07:00", "jobTypeID": 10}`)
	// Output:
	// 200 2027-03-09T08:00:00-07:00 [101] 120
	// 200 2027-03-09T10:00:00-07:00 [101] 60
	// 400 jobTypeID: capacity: request: unknown field "jobTypeID"
}

// The engine never reads the wall clock; the clock that stamps records is
// the embedder's. Without one, a change that would stamp a record is
// refused with a message naming the fix, rather than saved as 1970.
func ExampleWithClock() {
	e, _ := capacity.New(oneTech())
	_, _, err := e.Assign(5003, []int64{101}, nil)
	fmt.Println(err)

	now := func() time.Time { return time.Date(2027, 3, 8, 16, 30, 0, 0, time.UTC) } // time.Now in a service
	e, _ = capacity.New(oneTech(), capacity.WithClock(now))
	recs, _, err := e.Assign(5003, []int64{101}, nil)
	fmt.Println(recs[0].AssignedOn.Format(time.RFC3339), err)
	// Output:
	// capacity: no clock to stamp the change: build the engine with capacity.WithClock(time.Now)
	// 2027-03-08T09:30:00-07:00 <nil>
}
