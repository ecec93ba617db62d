package sim

import (
	"fmt"
	"math"
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
//
// # Warm-up
//
// The queue starts empty, and the figures are steady-state figures only
// once it has forgotten that: WarmupDays of the Days are left out. When
// WarmupDays is 0, [Queue.Study] leaves out four relaxation times
// ([Queue.RelaxationHours]) rounded up to whole days, at least one: at
// heavy load an M/M/c queue relaxes slowly (6.5 days for c = 10 at
// A = 9.5, so a 26-day warm-up; 5.2 hours for c = 300 at A = 285, one
// day), and a study measured from the empty start reports waits that are
// too short (at c = 10, A = 9.5 the mean wait of 30 days from empty is 6%
// below Erlang C's, of 30 days after one day 3.6%). A negative WarmupDays
// leaves nothing out.
type Queue struct {
	Servers      int     // c, 1…100000
	Erlangs      float64 // offered load A = λ/μ, > 0
	Days         int     // days calls arrive on
	WarmupDays   int     // of which left out of the figures: 0 for four relaxation times, negative for none
	Patient      bool    // M/M/c instead of M/M/c/c
	Replications int     // 2 or more
	Seed         uint64
}

// RelaxationHours returns the time, in hours (the mean service time), in
// which q's queue started empty approaches its steady state, by the
// heavy-traffic approximation 1/(μ(√c − √A)²) of M/M/c with A < c; +Inf
// for M/M/c with A ≥ c, which has none, and 1/μ (one hour) for M/M/c/c,
// the relaxation time of M/M/∞'s busy servers, which a loss system's do
// not exceed.
func (q Queue) RelaxationHours() float64 {
	if !q.Patient {
		return 1
	}
	if q.Erlangs >= float64(q.Servers) {
		return math.Inf(1)
	}
	d := math.Sqrt(float64(q.Servers)) - math.Sqrt(q.Erlangs)
	return 1 / (d * d)
}

// warmupDays returns the days Study leaves out.
func (q Queue) warmupDays() (int, error) {
	switch r := q.RelaxationHours(); {
	case q.WarmupDays < 0:
		return 0, nil
	case q.WarmupDays > 0:
		return q.WarmupDays, nil
	case math.IsInf(r, 1):
		return 0, fmt.Errorf("sim: queue M/M/%d at A = %g: no steady state (A ≥ c), so no default warm-up: set WarmupDays (negative for none)", q.Servers, q.Erlangs)
	default:
		// Clamped before the conversion: near A = c the relaxation time
		// exceeds any int, and Study then refuses the days as too few.
		return max(1, int(min(math.Ceil(4*r/24), math.MaxInt32))), nil
	}
}

// QueueStart is the first date of every Queue study.
const QueueStart = "2027-01-04"

// Study returns the scenario and the tenant records of q. The tenant's
// technicians have ids 1…Servers; their shifts cover the days and the
// booking tail after them.
func (q Queue) Study() (Scenario, capacity.Data, error) {
	if q.Servers < 1 || q.Servers > 100000 || !(q.Erlangs > 0) || q.Days < 1 {
		return Scenario{}, capacity.Data{}, fmt.Errorf("sim: queue %+v: want 1…100000 servers, a positive load and at least one day", q)
	}
	warmup, err := q.warmupDays()
	if err != nil {
		return Scenario{}, capacity.Data{}, err
	}
	if warmup >= q.Days {
		if q.WarmupDays == 0 {
			return Scenario{}, capacity.Data{}, fmt.Errorf("sim: queue %+v: the default warm-up, four relaxation times of %.1f hours, is %d days: want more days than that, or set WarmupDays", q, q.RelaxationHours(), warmup)
		}
		return Scenario{}, capacity.Data{}, fmt.Errorf("sim: queue %+v: want warm-up days fewer than the days", q)
	}
	s := Default()
	s.Name = fmt.Sprintf("M/M/%d/%d at A = %g", q.Servers, q.Servers, q.Erlangs)
	if q.Patient {
		s.Name = fmt.Sprintf("M/M/%d at A = %g", q.Servers, q.Erlangs)
	}
	s.Start, s.Days, s.WarmupDays = QueueStart, q.Days, warmup
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
