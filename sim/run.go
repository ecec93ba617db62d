package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/opendispatch/dispatch/hours"
)

// Reason is why a call was not booked. Every call that is not booked has
// exactly one, the first that holds in this order.
type Reason uint8

const (
	// NoEligibleTechnician: no active technician of the job type's units
	// holds its skills and serves the customer's zip.
	NoEligibleTechnician Reason = iota
	// NoFit: eligible technicians exist, but in twice the booking horizon
	// no window has one who fits the job.
	NoFit
	// IdealHeld: windows where a technician fits exist within the
	// horizon, but all are over the ideal booking percentage and the
	// booking policy holds them back.
	IdealHeld
	// ReserveOrRule: no window is offered, but a window where a technician
	// fits and the pool has time is held back by a reserve for priority
	// work or by a capacity rule (design §4a items 11 and 12), and the
	// ideal percentage would not hold it back.
	ReserveOrRule
	// BeyondHorizon: no window within the booking horizon has a
	// technician who fits, but one would be offered within the next
	// horizon-length after it.
	BeyondHorizon
	// Declined: the customer declined the first offer, which was too far
	// out.
	Declined
	// EmergencyWait: eligible technicians are on duty (working or on
	// call) within the maximum wait of an emergency, but none can start
	// it within that wait: every one on duty is busy.
	EmergencyWait
	// EmergencyOffDuty: no eligible technician is on duty (working or on
	// call) at any time within the maximum wait of an emergency — a gap
	// in the roster, not in the staffing's size.
	EmergencyOffDuty

	// NumReasons is the number of reasons.
	NumReasons = 8
)

var reasonCodes = [NumReasons]string{"noEligibleTechnician", "noFit", "idealHeld", "reserveOrRule", "beyondHorizon", "declined", "emergencyWait", "emergencyOffDuty"}

var reasonTexts = [NumReasons]string{
	"no eligible technician (skills, unit, zone)",
	"no window where a technician fits",
	"held back by the ideal-booking percentage",
	"held back by a reserve or capacity rule",
	"beyond the booking horizon",
	"customer declined",
	"emergency: everyone on duty busy for the maximum wait",
	"emergency: no one on duty (working or on call) within the maximum wait",
}

// String returns the reason's code, as JSON and CSV spell it.
func (r Reason) String() string {
	if int(r) < NumReasons {
		return reasonCodes[r]
	}
	return fmt.Sprintf("Reason(%d)", r)
}

// Text describes the reason for a reader.
func (r Reason) Text() string {
	if int(r) < NumReasons {
		return reasonTexts[r]
	}
	return r.String()
}

// Losses counts unbooked calls by reason; its JSON form is an array in
// Reason order.
type Losses [NumReasons]int64

// Total returns the calls lost for any reason.
func (l Losses) Total() int64 {
	n := int64(0)
	for _, x := range l {
		n += x
	}
	return n
}

// Tally is the calls of one cell of a breakdown and what became of them:
// Calls = Booked + LostBy.Total().
type Tally struct {
	Calls  int64  `json:"calls"`
	Booked int64  `json:"booked"`
	LostBy Losses `json:"lostBy"`
}

// Run is one replication's figures for one variant, over the measured
// days (after the warm-up). Call outcomes count by call time, whatever
// happens later (a booking may run into the days after the measured
// window); Jobs and OnSiteStarted count by arrival on site (for Little's
// law); time figures are clipped to the measured span. A Run holds
// everything the summary needs, so partial results from shards merge into
// exactly the result of one run.
type Run struct {
	Variant     string `json:"variant"`
	Replication int    `json:"replication"`
	Events      int64  `json:"events"`

	Calls          int64  `json:"calls"`
	Booked         int64  `json:"booked"`
	Lost           int64  `json:"lost"`   // every call not booked, whatever the reason
	LostBy         Losses `json:"lostBy"` // by Reason
	EmergencyCalls int64  `json:"emergencyCalls"`
	EmergencyLost  int64  `json:"emergencyLost"`

	Jobs          int64 `json:"jobs"`          // jobs that arrived on site in the span
	OnSiteStarted int64 `json:"onSiteStarted"` // Σ on-site time of those jobs (Little's law)

	RoutineJobs    int64 `json:"routineJobs"`    // booked routine calls
	OnTime         int64 `json:"onTime"`         // of which arrived within their window
	WaitSeconds    int64 `json:"waitSeconds"`    // Σ call→arrival
	RoutineWaitP50 int64 `json:"routineWaitP50"` // median call→arrival, seconds
	RoutineWaitP90 int64 `json:"routineWaitP90"`

	// Emergencies wait for a technician (call → the technician sets out,
	// the queue's waiting time), then for the drive (call → arrival, the
	// response time). The counts and sums are of the emergencies reached
	// (booked); the percentiles are of every emergency, lost ones
	// included, a lost one counting as not reached: larger than any
	// reached one, one minute more than the larger of the maximum wait and
	// the longest reached figure of the replication (a reached emergency
	// may wait past the maximum when the job before runs long, and its
	// response adds the drive). So for every T below the maximum wait the
	// p-percentile is at most T exactly when at least a share p of all
	// emergencies were reached within T, and a percentile above both the
	// maximum and every reached figure says more than 1 − p were lost.
	EmergencyJobs    int64 `json:"emergencyJobs"`    // booked (reached) emergencies
	EmergencyWaited  int64 `json:"emergencyWaited"`  // of which waited for a technician
	EmergencyWaitSec int64 `json:"emergencyWaitSec"` // Σ call→departure of those reached
	EmergencyWaitP50 int64 `json:"emergencyWaitP50"` // median call→departure of every emergency, seconds
	EmergencyWaitP90 int64 `json:"emergencyWaitP90"`
	ResponseSeconds  int64 `json:"responseSeconds"` // Σ call→arrival of those reached
	// EmergencyResponseP90 is the 90th percentile of call→arrival of
	// every emergency, seconds.
	EmergencyResponseP90 int64 `json:"emergencyResponseP90"`

	WorkingSeconds  int64 `json:"workingSeconds"`  // Σ |W| over technicians
	OnSiteSeconds   int64 `json:"onSiteSeconds"`   // on site, within working time
	DriveSeconds    int64 `json:"driveSeconds"`    // driving, within working time
	IdleSeconds     int64 `json:"idleSeconds"`     // working time neither on site nor driving
	OnSiteAll       int64 `json:"onSiteAll"`       // on site in the span, working time or not
	OvertimeSeconds int64 `json:"overtimeSeconds"` // work past the end of the technician's working time
	TechnicianDays  int64 `json:"technicianDays"`
	MeasuredSeconds int64 `json:"measuredSeconds"`

	Days    []Day    `json:"days"`
	Zones   []Tally  `json:"zones"` // by zone, in Labels.Zones order
	Windows []Window `json:"windows"`
	// Units are the time figures of each business unit's technicians, in
	// Labels.BusinessUnits order: a saturated unit beside idle ones shows
	// here, not in the fleet's utilisation.
	Units []UnitTime `json:"units"`
	// UnitWindows are the per-window figures of each business unit, in
	// Labels.BusinessUnits order, each as the engine reports them for a
	// request of that unit: a unit in a business-unit group counts its
	// group's pool (see [UnitWindows]).
	UnitWindows []UnitWindows `json:"unitWindows,omitempty"`

	w         *world // the variant's inputs
	dc        dateCache
	frontier  []int64 // per technician: the end of its latest busy span
	busyWork  int64   // the union of busy spans within working time, measured
	waits     []int64 // routine call→arrival
	responses []int64 // emergency call→departure
	arrivals  []int64 // emergency call→arrival
	noUnit    UnitTime
}

// Day is one measured date's figures.
type Day struct {
	Date           string  `json:"date"`
	Calls          int64   `json:"calls"`
	Booked         int64   `json:"booked"`
	LostBy         Losses  `json:"lostBy"`
	WorkingSeconds int64   `json:"workingSeconds"`
	OnSiteSeconds  int64   `json:"onSiteSeconds"`
	JobTypes       []Tally `json:"jobTypes"` // by job type, in Labels.JobTypes order
	// Units are the date's working and on-site time by business unit, in
	// Labels.BusinessUnits order (drive and overtime are 0 here).
	Units []UnitTime `json:"units"`
}

// UnitTime is the time figures of one business unit's technicians, in
// seconds, as [Run] defines them for the fleet: working time, on site
// within it, driving within it, and overtime.
type UnitTime struct {
	WorkingSeconds  int64 `json:"workingSeconds"`
	OnSiteSeconds   int64 `json:"onSiteSeconds"`
	DriveSeconds    int64 `json:"driveSeconds,omitempty"`
	OvertimeSeconds int64 `json:"overtimeSeconds,omitempty"`
}

// unit returns the figures of technician ti's business unit in us, or a
// scratch value when it has none.
func (run *Run) unit(us []UnitTime, ti int32) *UnitTime {
	if u := run.w.unitLabel[ti]; u >= 0 {
		return &us[u]
	}
	return &run.noUnit
}

// Window is one arrival window's figures over the measured days: jobs
// booked into it and the capacity the engine reports for it at the end.
type Window struct {
	Window          string `json:"window"` // "08:00-10:00"
	Booked          int64  `json:"booked"`
	CapacityMinutes int64  `json:"capacityMinutes"`
	BookedMinutes   int64  `json:"bookedMinutes"`
}

// UnitWindows is one business unit's per-window figures over the measured
// days, in the order of [Run.Windows], computed as the fleet's are but for
// a request of the unit: capacity is the working time of the technicians
// of R* (the unit's, or, when it is in a business-unit group, the whole
// group's: its calls book into the group's pool) plus the adjustments
// that apply to such a request; booked minutes are that capacity less
// the pool's free time at the end; booked counts the routine jobs booked
// into the window onto technicians of the pool. Pool names the units whose
// technicians the figures count when the unit is in a group (ids
// ascending, the unit among them); the rows of a group's units are then
// the same.
type UnitWindows struct {
	Pool    []int64  `json:"pool,omitempty"`
	Windows []Window `json:"windows"`
}

func newRun(w *world, idx int) *Run {
	run := &Run{Variant: w.name, Replication: idx, MeasuredSeconds: w.end - w.measure, w: w,
		frontier: make([]int64, len(w.techs)), Zones: make([]Tally, len(w.zones)), Units: make([]UnitTime, w.nunits)}
	for i := range run.frontier {
		run.frontier[i] = math.MinInt64
	}
	for d := w.first + hours.Date(w.s.WarmupDays); d < w.first+hours.Date(w.s.Days); d++ {
		run.Days = append(run.Days, Day{Date: d.String(), JobTypes: make([]Tally, len(w.jobTypes)), Units: make([]UnitTime, w.nunits)})
	}
	return run
}

// day returns the measured day of instant t, or nil.
func (run *Run) day(t int64) *Day {
	w := run.w
	if t < w.measure || t >= w.end {
		return nil
	}
	i := run.dc.dateIdx(w, t) - int(w.first-w.catFirst) - w.s.WarmupDays
	if i < 0 || i >= len(run.Days) {
		return nil
	}
	return &run.Days[i]
}

func (run *Run) call(t int64, jt, zone int, emergency bool) {
	if d := run.day(t); d != nil {
		run.Calls++
		d.Calls++
		d.JobTypes[jt].Calls++
		run.Zones[zone].Calls++
		if emergency {
			run.EmergencyCalls++
		}
	}
}

func (run *Run) lost(t int64, jt, zone int, emergency bool, why Reason) {
	if d := run.day(t); d != nil {
		run.Lost++
		run.LostBy[why]++
		d.LostBy[why]++
		d.JobTypes[jt].LostBy[why]++
		run.Zones[zone].LostBy[why]++
		if emergency {
			run.EmergencyLost++
		}
	}
}

func (run *Run) booked(t int64, jt, zone int) {
	if d := run.day(t); d != nil {
		run.Booked++
		d.Booked++
		d.JobTypes[jt].Booked++
		run.Zones[zone].Booked++
	}
}

// drive records technician ti driving over [from, to): driving within
// working time, drive by drive — summed, not merged, so a technician in
// two places at once would break the conservation check Working = OnSite
// + Drive + Idle instead of hiding.
func (run *Run) drive(from, to int64, ti int32) {
	if to > from {
		w := run.w
		m := w.work[ti].MeasureIn(max(from, w.measure), min(to, w.end))
		run.DriveSeconds += m
		run.unit(run.Units, ti).DriveSeconds += m
		run.busyIn(ti, from, to)
	}
}

// busyIn adds [from, to), the latest of technician ti's busy spans in
// start order, to the measure of its busy time within working time in
// the measured span: only the part past the spans before it counts, so
// the sum is the measure of their union.
func (run *Run) busyIn(ti int32, from, to int64) {
	w := run.w
	f := &run.frontier[ti]
	lo, hi := max(from, *f, w.measure), min(to, w.end)
	*f = max(*f, to)
	if hi > lo {
		run.busyWork += w.work[ti].MeasureIn(lo, hi)
	}
}

// job records a finished job.
func (run *Run) job(r *rep, j *job) {
	run.busyIn(j.tech, j.arrive, j.finish)
	w := run.w
	lo, hi := max(j.arrive, w.measure), min(j.finish, w.end)
	if hi > lo {
		run.OnSiteAll += hi - lo
	}
	// On site within working time.
	onsite := w.work[j.tech].MeasureIn(lo, hi)
	run.OnSiteSeconds += onsite
	run.unit(run.Units, j.tech).OnSiteSeconds += onsite
	if d := run.day(j.arrive); d != nil {
		d.OnSiteSeconds += onsite
		run.unit(d.Units, j.tech).OnSiteSeconds += onsite
	}
	// Overtime: the technician's work for this job (the drive to it and
	// the time on site) that lies past the end of the block of working
	// time the job was planned in, and outside working time — so a job
	// that runs across midnight inside an overnight shift, or into the
	// next morning's shift, is not overtime there.
	work := w.work[j.tech]
	blockEnd := j.planned
	if b, ok := work.SpanAt(j.planned); ok {
		blockEnd = b.End
	}
	if lo, hi := max(j.depart, blockEnd, w.measure), min(j.finish, w.end); hi > lo {
		ot := hi - lo - work.MeasureIn(lo, hi)
		run.OvertimeSeconds += ot
		run.unit(run.Units, j.tech).OvertimeSeconds += ot
	}
	if run.day(j.arrive) != nil {
		run.Jobs++
		run.OnSiteStarted += j.finish - j.arrive
	}
	if j.kept || run.day(j.call) == nil {
		return // the kept book's jobs are no calls of the simulation
	}
	if j.emergency {
		wait := j.depart - j.call
		run.EmergencyJobs++
		run.EmergencyWaitSec += wait
		run.ResponseSeconds += j.arrive - j.call
		if wait > 0 {
			run.EmergencyWaited++
		}
		run.responses = append(run.responses, wait)
		run.arrivals = append(run.arrivals, j.arrive-j.call)
		return
	}
	wait := j.arrive - j.call
	run.RoutineJobs++
	run.WaitSeconds += wait
	run.waits = append(run.waits, wait)
	if j.arrive <= j.windowEnd {
		run.OnTime++
	}
	if j.window >= 0 {
		run.Windows[j.window].Booked++
		for _, u := range w.techPools[j.tech] {
			run.UnitWindows[u].Windows[j.window].Booked++
		}
	}
}

// quantile returns the p-quantile of xs by nearest rank (sorting xs), or
// 0 when xs is empty.
func quantile(xs []int64, p float64) int64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[nearestRank(int64(len(xs)), p)]
}

// nearestRank returns the index, in 0…n−1, of the p-quantile of n sorted
// values by nearest rank: ⌈n·p⌉ − 1 (the small epsilon keeps n·p that
// is an integer but for rounding from moving up a rank).
func nearestRank(n int64, p float64) int64 {
	return min(max(int64(float64(n)*p+0.999999999)-1, 0), n-1)
}

// censoredSeconds is what a lost emergency counts as in a percentile of
// emergency wait or response (see [Run]): one minute more than the larger
// of limit (the maximum wait, seconds) and the longest reached figure.
func censoredSeconds(limit int64, reached []int64) int64 {
	m := limit
	for _, x := range reached {
		m = max(m, x)
	}
	return m + 60
}

// censoredQuantile returns the p-quantile by nearest rank of xs and lost
// further values censored at censoredSeconds(limit, xs), sorting xs; 0
// when there are none.
func censoredQuantile(xs []int64, lost, limit int64, p float64) int64 {
	n := int64(len(xs)) + lost
	if n == 0 {
		return 0
	}
	slices.Sort(xs)
	k := nearestRank(n, p)
	if k < int64(len(xs)) {
		return xs[k]
	}
	return censoredSeconds(limit, xs)
}

// finish computes the time figures once the replication has ended.
func (run *Run) finish(r *rep) {
	w := run.w
	run.Events = r.events
	run.RoutineWaitP50, run.RoutineWaitP90 = quantile(run.waits, 0.5), quantile(run.waits, 0.9)
	limit := int64(w.booking.EmergencyMaxWaitMinutes) * 60
	run.EmergencyWaitP50 = censoredQuantile(run.responses, run.EmergencyLost, limit, 0.5)
	run.EmergencyWaitP90 = censoredQuantile(run.responses, run.EmergencyLost, limit, 0.9)
	run.EmergencyResponseP90 = censoredQuantile(run.arrivals, run.EmergencyLost, limit, 0.9)
	for ti := range r.techs {
		work := w.work[ti].Clip(w.measure, w.end)
		run.WorkingSeconds += work.Measure()
		run.unit(run.Units, int32(ti)).WorkingSeconds += work.Measure()
		for i := range run.Days {
			d := &run.Days[i]
			date := w.first + hours.Date(w.s.WarmupDays+i)
			if m := work.MeasureIn(hours.DayStart(w.loc, date), hours.DayStart(w.loc, date+1)); m > 0 {
				d.WorkingSeconds += m
				run.unit(d.Units, int32(ti)).WorkingSeconds += m
				run.TechnicianDays++
			}
		}
	}
	run.IdleSeconds = run.WorkingSeconds - run.busyWork
	// Capacity per arrival window over the measured days, as the engine
	// reports it at the end for a request of every unit, a week of local
	// dates at a time (within the engine's range limit): a slot counts
	// when it lies within one of the weeks. The weeks end at local
	// midnight: 7 × 86,400 seconds would end an hour off it after a clock
	// change and drop a window across that instant from both weeks.
	n := len(w.techs)
	for from := w.measure; from < w.end; {
		to := min(w.end, hours.DayStart(w.loc, hours.DateAt(w.loc, from)+7))
		for k := r.slotsFrom(from); k < len(w.slots) && w.slots[k].Start < to; k++ {
			s := &w.slots[k]
			if s.Start < from || s.End > to || s.window < 0 {
				continue
			}
			var free int64
			for _, st := range r.stats[k*n : (k+1)*n] {
				free += int64(st.free)
			}
			win := &run.Windows[s.window]
			win.CapacityMinutes += max(0, w.capAll[k]+w.adjAll[k]) / 60
			win.BookedMinutes += (w.capAll[k] - free) / 60
			stats, caps := r.stats[k*n:(k+1)*n], w.capTS[k*n:(k+1)*n]
			for u, pool := range w.poolTechs {
				var cp, free int64
				for _, ti := range pool {
					cp += int64(caps[ti])
					free += int64(stats[ti].free)
				}
				win := &run.UnitWindows[u].Windows[s.window]
				win.CapacityMinutes += max(0, cp+w.adjUnit[u][k]) / 60
				win.BookedMinutes += (cp - free) / 60
			}
		}
		from = to
	}
}
