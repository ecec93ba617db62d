package sim

import (
	"fmt"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// Queue is the simulator reduced to a textbook queue: one business unit,
// one 60-minute job type, Servers technicians on shift around the clock
// (business hours 24/7, UTC), emergencies only, arriving as a Poisson
// process of Erlangs × 24 calls a day, exponential durations, no driving,
// first come first served by earliest availability. Without patience a
// call that finds every technician busy is lost — M/M/c/c, whose loss is
// Erlang B — and with it the call waits as long as it takes — M/M/c,
// Erlang C.
type Queue struct {
	Servers      int     // c, 1…100000
	Erlangs      float64 // offered load A = λ/μ, > 0
	Days         int     // days calls arrive on
	WarmupDays   int     // of which left out of the figures
	Patient      bool    // M/M/c instead of M/M/c/c
	Replications int     // 2 or more
	Seed         uint64
}

// QueueStart is the first date of every Queue study.
const QueueStart = "2027-01-04"

// Study returns the scenario and the tenant records of q. The tenant's
// technicians have ids 1…Servers; their shifts cover the days and the
// booking tail after them.
func (q Queue) Study() (Scenario, capacity.Data, error) {
	if q.Servers < 1 || q.Servers > 100000 || !(q.Erlangs > 0) || q.Days < 1 || q.WarmupDays < 0 || q.WarmupDays >= q.Days {
		return Scenario{}, capacity.Data{}, fmt.Errorf("sim: queue %+v: want 1…100000 servers, a positive load and warm-up days fewer than the days", q)
	}
	s := Default()
	s.Name = fmt.Sprintf("M/M/%d/%d at A = %g", q.Servers, q.Servers, q.Erlangs)
	if q.Patient {
		s.Name = fmt.Sprintf("M/M/%d at A = %g", q.Servers, q.Erlangs)
	}
	s.Start, s.Days, s.WarmupDays = QueueStart, q.Days, q.WarmupDays
	s.Roster = Roster{}
	flat := make([]float64, 168)
	for i := range flat {
		flat[i] = 1
	}
	s.Demand = Demand{CallsPerDay: q.Erlangs * 24, EmergencyShare: 1, HourOfWeek: flat}
	s.Booking.EmergencyMaxWaitMinutes = 0
	if q.Patient {
		s.Booking.EmergencyMaxWaitMinutes = maxWaitMinutes
	}
	s.Execution = Execution{Exponential: true}
	s.Dispatch = Dispatch{Policy: "first-available"}
	s.Replications, s.Seed, s.Variants = q.Replications, q.Seed, nil

	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "UTC", BusinessHours: bh})
	if err != nil {
		return Scenario{}, capacity.Data{}, err
	}
	d := capacity.Data{Schedule: sched,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "Emergency"}},
		JobTypes:      []capacity.JobType{{ID: 1, Name: "Call-out", DurationMinutes: 60}}}
	first := mustDate(QueueStart)
	start, end := hours.DayStart(time.UTC, first-1), hours.DayStart(time.UTC, first+hours.Date(q.Days+2*s.Booking.HorizonDays+2))
	var id int64
	for i := range q.Servers {
		tech := int64(i + 1)
		d.Technicians = append(d.Technicians, capacity.Technician{ID: tech, Name: fmt.Sprint("Technician ", tech), BusinessUnitID: 1})
		for t := start; t < end; t += 7 * 86400 {
			id++
			d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: tech, Type: shifts.Normal, Start: time.Unix(t, 0).UTC(), End: time.Unix(min(t+7*86400, end), 0).UTC()})
		}
	}
	return s, d, nil
}
