package sim

import (
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
)

// Run is one replication's figures for one variant, over the measured
// days (after the warm-up). Counts are by call time; job figures by
// arrival time; time figures are clipped to the measured span. A Run holds
// everything the summary needs, so partial results from shards merge into
// exactly the result of one run.
type Run struct {
	Variant     string `json:"variant"`
	Replication int    `json:"replication"`
	Events      int64  `json:"events"`

	Calls          int64 `json:"calls"`
	Booked         int64 `json:"booked"`
	Lost           int64 `json:"lost"`
	Declined       int64 `json:"declined"`
	EmergencyCalls int64 `json:"emergencyCalls"`
	EmergencyLost  int64 `json:"emergencyLost"`

	Jobs            int64 `json:"jobs"`            // jobs that arrived on site
	RoutineJobs     int64 `json:"routineJobs"`     // of which routine
	OnTime          int64 `json:"onTime"`          // routine arrivals within their window
	WaitSeconds     int64 `json:"waitSeconds"`     // Σ call→arrival, routine
	EmergencyJobs   int64 `json:"emergencyJobs"`   // emergency arrivals
	ResponseSeconds int64 `json:"responseSeconds"` // Σ call→arrival, emergencies
	OnSiteStarted   int64 `json:"onSiteStarted"`   // Σ on-site time of jobs arriving in the span (Little's law)
	WorkingSeconds  int64 `json:"workingSeconds"`  // Σ |W| over technicians
	OnSiteSeconds   int64 `json:"onSiteSeconds"`   // on site, within working time
	DriveSeconds    int64 `json:"driveSeconds"`    // driving, within working time
	IdleSeconds     int64 `json:"idleSeconds"`     // working time neither on site nor driving
	OnSiteAll       int64 `json:"onSiteAll"`       // on site in the span, working time or not
	OvertimeSeconds int64 `json:"overtimeSeconds"` // Σ per technician-day of work past the day's working time
	TechnicianDays  int64 `json:"technicianDays"`
	MeasuredSeconds int64 `json:"measuredSeconds"`

	Days    []Day    `json:"days"`
	Windows []Window `json:"windows"`

	w      *world                    // the variant's inputs
	busy   map[int32][]interval.Span // per technician: driving and on-site spans
	drives map[int32][]interval.Span // per technician: driving spans
	over   map[[2]int64]int64        // (technician, date) → latest finish past the day's working time
}

// Day is one measured date's figures.
type Day struct {
	Date           string `json:"date"`
	Calls          int64  `json:"calls"`
	Booked         int64  `json:"booked"`
	Lost           int64  `json:"lost"`
	Declined       int64  `json:"declined"`
	WorkingSeconds int64  `json:"workingSeconds"`
	OnSiteSeconds  int64  `json:"onSiteSeconds"`
}

// Window is one arrival window's figures over the measured days: jobs
// booked into it and the capacity the engine reports for it at the end.
type Window struct {
	Window          string `json:"window"` // "08:00-10:00"
	Booked          int64  `json:"booked"`
	CapacityMinutes int64  `json:"capacityMinutes"`
	BookedMinutes   int64  `json:"bookedMinutes"`
}

func newRun(w *world, idx int) *Run {
	run := &Run{Variant: w.name, Replication: idx, MeasuredSeconds: w.end - w.measure, w: w,
		busy: make(map[int32][]interval.Span), drives: make(map[int32][]interval.Span), over: make(map[[2]int64]int64)}
	for d := w.first + hours.Date(w.s.WarmupDays); d < w.first+hours.Date(w.s.Days); d++ {
		run.Days = append(run.Days, Day{Date: d.String()})
	}
	return run
}

// day returns the measured day of instant t, or nil.
func (run *Run) day(t int64) *Day {
	w := run.w
	if t < w.measure || t >= w.end {
		return nil
	}
	i := int(hours.DateAt(w.loc, t) - w.first - hours.Date(w.s.WarmupDays))
	if i < 0 || i >= len(run.Days) {
		return nil
	}
	return &run.Days[i]
}

func (run *Run) call(t int64, emergency bool) {
	if d := run.day(t); d != nil {
		run.Calls++
		d.Calls++
		if emergency {
			run.EmergencyCalls++
		}
	}
}

func (run *Run) lost(t int64, emergency bool) {
	if d := run.day(t); d != nil {
		run.Lost++
		d.Lost++
		if emergency {
			run.EmergencyLost++
		}
	}
}

func (run *Run) declined(t int64) {
	if d := run.day(t); d != nil {
		run.Declined++
		d.Declined++
	}
}

func (run *Run) booked(t int64) {
	if d := run.day(t); d != nil {
		run.Booked++
		d.Booked++
	}
}

// drive records technician ti driving over [from, to).
func (run *Run) drive(from, to int64, ti int32) {
	if to > from {
		run.busy[ti] = append(run.busy[ti], interval.Span{Start: from, End: to})
		run.drives[ti] = append(run.drives[ti], interval.Span{Start: from, End: to})
	}
}

// job records a finished job.
func (run *Run) job(r *rep, j *job) {
	run.busy[j.tech] = append(run.busy[j.tech], interval.Span{Start: j.arrive, End: j.finish})
	w := run.w
	lo, hi := max(j.arrive, w.measure), min(j.finish, w.end)
	if hi > lo {
		run.OnSiteAll += hi - lo
	}
	// Overtime: work past the end of the day's working time.
	tech := r.techs[j.tech].id
	date := hours.DateAt(w.loc, j.planned)
	wk := r.eng.Working(tech, hours.DayStart(w.loc, date), hours.DayStart(w.loc, date+1))
	if b, ok := wk.Bounds(); ok && j.finish > b.End {
		key := [2]int64{tech, int64(date)}
		run.over[key] = max(run.over[key], j.finish-b.End)
	}
	if run.day(j.arrive) == nil {
		return
	}
	run.Jobs++
	run.OnSiteStarted += j.finish - j.arrive
	if j.emergency {
		run.EmergencyJobs++
		run.ResponseSeconds += j.arrive - j.call
		return
	}
	run.RoutineJobs++
	run.WaitSeconds += j.arrive - j.call
	if j.arrive <= j.windowEnd {
		run.OnTime++
	}
	if j.window >= 0 {
		run.windowBooked(j.window, r)
	}
}

func (run *Run) windowBooked(i int, r *rep) {
	run.ensureWindows(r)
	run.Windows[i].Booked++
}

func (run *Run) ensureWindows(r *rep) {
	if run.Windows == nil {
		run.Windows = make([]Window, len(r.windows))
		for i, s := range r.windows {
			run.Windows[i].Window = s.String()
		}
	}
}

// finish computes the time figures once the replication has ended.
func (run *Run) finish(r *rep) {
	w := run.w
	run.Events = r.events
	run.ensureWindows(r)
	for ti, t := range r.techs {
		work := r.eng.Working(t.id, w.measure, w.end)
		busy := interval.New(run.busy[int32(ti)]...)
		run.WorkingSeconds += work.Measure()
		run.IdleSeconds += work.Difference(busy).Measure()
		for i := range run.Days {
			d := &run.Days[i]
			date := w.first + hours.Date(w.s.WarmupDays+i)
			ds, de := hours.DayStart(w.loc, date), hours.DayStart(w.loc, date+1)
			dw := work.Clip(ds, de)
			if m := dw.Measure(); m > 0 {
				d.WorkingSeconds += m
				run.TechnicianDays++
			}
		}
	}
	// On-site and driving time within working time, from the jobs.
	for i := range r.jobs {
		j := &r.jobs[i]
		if j.arrive == 0 {
			continue
		}
		work := r.eng.Working(r.techs[j.tech].id, max(j.arrive, w.measure), min(j.finish, w.end))
		onsite := work.Measure()
		run.OnSiteSeconds += onsite
		if d := run.day(j.arrive); d != nil {
			d.OnSiteSeconds += onsite
		}
	}
	// Driving within working time, drive by drive: summed, not merged, so
	// a technician in two places at once would break the conservation
	// check Working = OnSite + Drive + Idle instead of hiding.
	for ti, spans := range run.drives {
		for _, sp := range spans {
			run.DriveSeconds += r.eng.Working(r.techs[ti].id, max(sp.Start, w.measure), min(sp.End, w.end)).Measure()
		}
	}
	for key, o := range run.over {
		if t := hours.DayStart(w.loc, hours.Date(key[1])); t >= w.measure && t < w.end {
			run.OvertimeSeconds += o
		}
	}
	// Capacity per arrival window over the measured days, as the engine
	// reports it at the end.
	// The engine's range limit is the booking horizon, so ask a week at a
	// time.
	for from := w.measure; from < w.end; {
		to := min(w.end, from+7*86400)
		resp, err := r.eng.Capacity(capacity.Request{StartsOnOrAfter: time.Unix(from, 0), EndsOnOrBefore: time.Unix(to, 0)})
		if err != nil {
			panic(err) // a week is within the engine's range limit
		}
		{
			for _, a := range resp.Availabilities {
				for _, ts := range a.Timeslots {
					if i := r.windowIndex(ts.Start); i >= 0 {
						run.Windows[i].CapacityMinutes += ts.CapacityMinutes
						run.Windows[i].BookedMinutes += ts.BookedMinutes
					}
				}
			}
		}
		from = to
	}
}
