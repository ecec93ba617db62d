package sim

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/gps"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// ErrWarnings marks a study refused under [Options.Strict] because it has
// warnings. Test with errors.Is.
var ErrWarnings = errors.New("the study has warnings")

// Options control how a scenario runs, not what it computes: results are
// identical for any Workers and any sharding.
type Options struct {
	// Workers run replications in parallel; 0 means one per CPU.
	Workers int
	// Shard and Shards select a deterministic share of the replications
	// (those with index % Shards == Shard); Shards 0 or 1 runs them all.
	Shard, Shards int
	// Strict refuses, before running, a study with warnings (a business
	// day without working time, a warm-up shorter than the horizon).
	Strict bool
	// Progress, when set, is called after each replication (from one
	// goroutine at a time) with the number done and the total.
	Progress func(done, total int)
	// Board keeps the book and GPS pings of the baseline's replication 0
	// in [Result.Board] and [Result.Pings], for a dispatch board (the HTML
	// report shows one). It costs a capacity engine holding that
	// replication's bookings, and its pings.
	Board bool
}

// Result is a simulation's output. A partial result (from one shard) has
// Runs but no Summary; [Merge] combines partials into the full result.
type Result struct {
	Scenario Scenario `json:"scenario"`
	Shard    string   `json:"shard,omitempty"`
	// Warnings are what makes the study doubtful (see [Options.Strict]);
	// every report shows them. Never nil.
	Warnings []string `json:"warnings"`
	// Labels name the rows of the breakdowns.
	Labels  Labels   `json:"labels"`
	Runs    []*Run   `json:"runs"`
	Summary *Summary `json:"summary,omitempty"`

	// Board is the baseline's engine at the end of replication 0, for a
	// dispatch board; Pings are that replication's GPS pings. Both are nil
	// unless [Options.Board] asked for them; neither is part of the JSON.
	Board *capacity.Engine `json:"-"`
	Pings *gps.Store       `json:"-"`
}

// Labels name the job types, business units and zones of the breakdowns,
// in the order of [Day.JobTypes] and [Run.Zones]. A tenant without zones
// has one zone, id 0.
type Labels struct {
	JobTypes      []Label `json:"jobTypes"`
	BusinessUnits []Label `json:"businessUnits"`
	Zones         []Label `json:"zones"`
}

// Label is one record's id and name; a job type's also names the business
// unit its calls are booked in.
type Label struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	BusinessUnitID int64  `json:"businessUnitId,omitempty"`
}

// Simulate runs scenario s over the base tenant records. Problems with the
// scenario, including references to records the tenant does not have, are
// reported all at once with their paths.
func Simulate(s Scenario, base capacity.Data, opt Options) (*Result, error) {
	if base.Schedule == nil {
		return nil, fmt.Errorf("sim: the base tenant has no schedule")
	}
	var errs validate.Errors
	errs.AddErr("", s.Validate())
	errs.AddErr("", s.CheckTenant(base))
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if err := checkBase(&base); err != nil {
		return nil, err
	}
	base = inIDOrder(base)
	worlds := make([]*world, 0, len(s.Variants)+1)
	b, err := newWorld(&s, base, nil)
	if err != nil {
		return nil, err
	}
	worlds = append(worlds, b)
	for i := range s.Variants {
		w, err := newWorld(&s, base, &s.Variants[i])
		if err != nil {
			// Problems of its changes, found as they are applied to the
			// tenant, at their paths in the scenario file.
			var list validate.Errors
			if errors.As(err, &list) {
				var out validate.Errors
				out.AddErr(validate.Index("variants", i), list)
				return nil, out
			}
			return nil, err
		}
		worlds = append(worlds, w)
	}
	// Layers of candidates at the baseline's highest rate, shared by
	// every variant: calls of a variant with less demand are a subset of
	// those of one with more, and the baseline's do not depend on which
	// variants are beside it.
	res := &Result{Scenario: s, Warnings: []string{}, Labels: labels(b)}
	for _, w := range worlds {
		w.setEnvelope(b.maxRate)
		for _, msg := range w.checkWorld(w.eng) {
			if !slices.Contains(res.Warnings, msg) {
				res.Warnings = append(res.Warnings, msg)
			}
		}
		w.eng = nil // the index has what the replications need
	}
	if opt.Strict && len(res.Warnings) > 0 {
		return nil, fmt.Errorf("sim: %s: %w", strings.Join(res.Warnings, "; "), ErrWarnings)
	}
	shards := max(opt.Shards, 1)
	if opt.Shard < 0 || opt.Shard >= shards {
		return nil, fmt.Errorf("sim: shard %d of %d does not exist", opt.Shard, shards)
	}
	var reps []int
	for i := range s.Replications {
		if i%shards == opt.Shard {
			reps = append(reps, i)
		}
	}
	type task struct{ w, rep int }
	var tasks []task
	for _, r := range reps {
		for wi := range worlds {
			tasks = append(tasks, task{wi, r})
		}
	}
	runs := make([]*Run, len(tasks))
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu   sync.Mutex // guards done, the progress callback and res's board
		done int
	)
	err = parallel(len(tasks), workers, func(k int) error {
		t := tasks[k]
		keep := opt.Board && t.w == 0 && t.rep == 0
		r, err := newRep(worlds[t.w], t.rep, keep)
		if err != nil {
			return err
		}
		runs[k] = r.run()
		if keep {
			if r.eng, err = r.board(); err != nil {
				return err
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if keep {
			res.Board, res.Pings = r.eng, gps.NewStore(r.pings...)
		}
		done++
		if opt.Progress != nil {
			opt.Progress(done, len(tasks))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Runs = runs
	if shards > 1 {
		res.Shard = fmt.Sprintf("%d/%d", opt.Shard, shards)
		return res, nil
	}
	res.Summary = summarize(res)
	return res, nil
}

// checkBase validates the base tenant's records as the caller gave them,
// so that a problem is reported at the caller's positions
// ("technicians[3].id"): the worlds are built from copies in id order
// with a rolled roster, whose positions are not the caller's.
func checkBase(d *capacity.Data) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("sim: the base tenant: %w", err)
	}
	return nil
}

// inIDOrder returns d with its lists of records copied and sorted by id,
// the order of a saved tenant file and of [capacity.Engine.Data]: the
// simulator reads records in list order (the kept book's durations are
// drawn appointment by appointment, a technician's position is its
// index), so a capacity.Data built in another order must give the same
// study (TestRecordOrder). Lists already in id order are not copied.
func inIDOrder(d capacity.Data) capacity.Data {
	d.BusinessUnits = sortedBy(d.BusinessUnits, func(u capacity.BusinessUnit) int64 { return u.ID })
	d.BusinessUnitGroups = sortedBy(d.BusinessUnitGroups, func(g capacity.BusinessUnitGroup) int64 { return g.ID })
	d.JobTypes = sortedBy(d.JobTypes, func(jt capacity.JobType) int64 { return jt.ID })
	d.CapacityRules = sortedBy(d.CapacityRules, func(r capacity.Rule) int64 { return r.ID })
	d.CapacityAdjustments = sortedBy(d.CapacityAdjustments, func(a capacity.Adjustment) int64 { return a.ID })
	d.Technicians = sortedBy(d.Technicians, func(t capacity.Technician) int64 { return t.ID })
	d.Shifts = sortedBy(d.Shifts, func(s shifts.Shift) int64 { return s.ID })
	d.Appointments = sortedBy(d.Appointments, func(a capacity.Appointment) int64 { return a.ID })
	d.Assignments = sortedBy(d.Assignments, func(a capacity.Assignment) int64 { return a.ID })
	return d
}

// sortedBy returns xs sorted by id: xs itself when it is in id order
// already (a saved tenant's lists, and Engine.Data's, always are), clipped
// so that an append cannot write into the caller's spare capacity, else a
// sorted copy. Copying every list of a large tenant for every study cost
// 15–18% more memory per replication at 10 and 100 technicians (bench
// Suite/SimReplication); newWorld copies each list it changes.
func sortedBy[T any](xs []T, id func(T) int64) []T {
	byID := func(a, b T) int { return cmp.Compare(id(a), id(b)) }
	if slices.IsSortedFunc(xs, byID) {
		return slices.Clip(xs)
	}
	out := slices.Clone(xs)
	slices.SortStableFunc(out, byID)
	return out
}

// labels names the world's job types, units and zones.
func labels(w *world) Labels {
	var l Labels
	for _, jt := range w.jobTypes {
		l.JobTypes = append(l.JobTypes, Label{ID: jt.ID, Name: jt.Name, BusinessUnitID: jt.unit})
	}
	for _, u := range w.data.BusinessUnits {
		l.BusinessUnits = append(l.BusinessUnits, Label{ID: u.ID, Name: u.Name})
	}
	slices.SortFunc(l.BusinessUnits, func(a, b Label) int { return cmp.Compare(a.ID, b.ID) })
	names := map[int64]string{}
	for _, z := range zoneList(w.data) {
		names[z.ID] = z.Name
	}
	for _, z := range w.zones {
		name := names[z.id]
		if z.id == 0 {
			name = "(no zones)"
		}
		l.Zones = append(l.Zones, Label{ID: z.id, Name: name})
	}
	return l
}

// A PartError is what is wrong with one of the partial results given to
// Merge or MergeOptimization, or with OptimizeOptions.Prior (Part 0):
// Part is its index among the arguments, from 0, and Err says what is
// wrong without naming the part, so that a caller that read the parts
// from files can put the file's name in front (errors.As).
type PartError struct {
	Part int
	Err  error
}

// Error reads "sim: part N: …", N counted from 1.
func (e *PartError) Error() string { return fmt.Sprintf("sim: part %d: %v", e.Part+1, e.Err) }

func (e *PartError) Unwrap() error { return e.Err }

// partErr returns a *PartError for part i.
func partErr(i int, format string, a ...any) error {
	return &PartError{Part: i, Err: fmt.Errorf(format, a...)}
}

// Merge combines the partial results of every shard of one scenario into
// the result a single run gives. A problem with one part is a *PartError.
func Merge(parts ...*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("sim: nothing to merge")
	}
	want, _ := json.Marshal(struct {
		S Scenario
		W []string
		L Labels
	}{parts[0].Scenario, parts[0].Warnings, parts[0].Labels})
	out := &Result{Scenario: parts[0].Scenario, Warnings: parts[0].Warnings, Labels: parts[0].Labels}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	seen := map[int]bool{}
	split := 0
	for i, p := range parts {
		if p.Shard == "" {
			if p.Summary != nil {
				return nil, partErr(i, "it is a complete result, not a shard: there is nothing to merge it with")
			}
			return nil, partErr(i, "it is not a shard's partial result (it has no shard)")
		}
		k, n, ok := parseShard(p.Shard)
		if !ok {
			return nil, partErr(i, "it has shard %q: want i/n with 0 <= i < n", p.Shard)
		}
		if split == 0 {
			split = n
		}
		if n != split {
			return nil, partErr(i, "it is shard %s but the first part is shard %s: the parts come from different splits (--shard i/n with one n for every part)", p.Shard, parts[0].Shard)
		}
		if seen[k] {
			return nil, partErr(i, "it is shard %s again: want each shard once", p.Shard)
		}
		seen[k] = true
		got, _ := json.Marshal(struct {
			S Scenario
			W []string
			L Labels
		}{p.Scenario, p.Warnings, p.Labels})
		if string(got) != string(want) {
			return nil, partErr(i, "it is of another scenario than the first part")
		}
		out.Runs = append(out.Runs, p.Runs...)
	}
	if len(seen) < split {
		var missing []string
		for k := 0; k < split && len(missing) < 4; k++ {
			if !seen[k] {
				missing = append(missing, fmt.Sprintf("%d/%d", k, split))
			}
		}
		more := ""
		if n := split - len(seen) - len(missing); n > 0 {
			more = fmt.Sprintf(" and %d more", n)
		}
		return nil, fmt.Errorf("sim: shard %s%s missing: give every part of the split", strings.Join(missing, ", "), more)
	}
	variants := map[string]int{"baseline": 0}
	for i, v := range out.Scenario.Variants {
		variants[v.Name] = i + 1
	}
	for i, r := range out.Runs {
		if r == nil {
			return nil, fmt.Errorf("sim: run %d is null", i)
		}
		if _, ok := variants[r.Variant]; !ok {
			return nil, fmt.Errorf("sim: run %d is of unknown variant %q", i, r.Variant)
		}
		if err := r.check(&out.Labels); err != nil {
			return nil, fmt.Errorf("sim: run %d (%s, replication %d): %w", i, r.Variant, r.Replication, err)
		}
	}
	slices.SortFunc(out.Runs, func(a, b *Run) int {
		if a.Replication != b.Replication {
			return a.Replication - b.Replication
		}
		return variants[a.Variant] - variants[b.Variant]
	})
	if n := len(out.Runs); n != out.Scenario.Replications*len(variants) {
		return nil, fmt.Errorf("sim: the parts hold %d runs, want %d: a shard is missing", n, out.Scenario.Replications*len(variants))
	}
	for i, r := range out.Runs {
		if r.Replication != i/len(variants) || variants[r.Variant] != i%len(variants) {
			return nil, fmt.Errorf("sim: replication %d appears twice or is missing", r.Replication)
		}
		// The summary reads every run of a variant by the first one's
		// days and windows.
		if first := out.Runs[i%len(variants)]; first != r {
			if err := r.sameShape(first); err != nil {
				return nil, fmt.Errorf("sim: run %d (%s, replication %d): %w", i, r.Variant, r.Replication, err)
			}
		}
	}
	out.Summary = summarize(out)
	return out, nil
}

// parseShard reads "i/n" with 0 <= i < n.
func parseShard(s string) (i, n int, ok bool) {
	a, b, found := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || i < 0 || i >= n {
		return 0, 0, false
	}
	return i, n, true
}

// ParseResult decodes a simulation result (the JSON of [WriteJSON], a
// shard's partial result or a whole one) strictly — exact key case,
// unknown members and duplicate keys refused, errors with JSON paths. A
// JSON object with none of a result's members (a tenant or scenario file
// given by mistake) is refused as not a simulation result, rather than
// member by member.
func ParseResult(data []byte) (*Result, error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) == nil {
		if _, ok := top["runs"]; !ok {
			if _, ok := top["scenario"]; !ok {
				keys := slices.Sorted(maps.Keys(top))
				if len(keys) > 6 {
					keys = append(keys[:6], "…")
				}
				return nil, fmt.Errorf("sim: not a simulation result: it has no \"scenario\" or \"runs\" (its members: %s)", strings.Join(keys, ", "))
			}
		}
	}
	var r Result
	if err := validate.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("sim: simulation result: %w", err)
	}
	return &r, nil
}

// sameShape reports how run differs in shape from first, a run of the
// same variant: its measured dates and its windows must be first's.
func (run *Run) sameShape(first *Run) error {
	if !slices.EqualFunc(run.Days, first.Days, func(a, b Day) bool { return a.Date == b.Date }) {
		return fmt.Errorf("%d measured days, not the %d of replication %d (%s to %s)", len(run.Days), len(first.Days), first.Replication, dayAt(first.Days, 0), dayAt(first.Days, len(first.Days)-1))
	}
	if !slices.EqualFunc(run.Windows, first.Windows, func(a, b Window) bool { return a.Window == b.Window }) {
		return fmt.Errorf("windows %s, not the %s of replication %d", windowNames(run.Windows), windowNames(first.Windows), first.Replication)
	}
	if len(run.UnitWindows) != len(first.UnitWindows) {
		return fmt.Errorf("%d business-unit window figures, not the %d of replication %d", len(run.UnitWindows), len(first.UnitWindows), first.Replication)
	}
	return nil
}

func dayAt(days []Day, i int) string {
	if i < 0 || i >= len(days) {
		return "none"
	}
	return days[i].Date
}

func windowNames(ws []Window) string {
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.Window
	}
	return "[" + strings.Join(names, " ") + "]"
}

// check verifies that a run read back from JSON has the shape of the
// study: breakdowns that line up with the labels, and every day alike.
func (run *Run) check(l *Labels) error {
	if len(run.Zones) != len(l.Zones) {
		return fmt.Errorf("%d zone tallies for %d zones", len(run.Zones), len(l.Zones))
	}
	if len(run.Units) != 0 && len(run.Units) != len(l.BusinessUnits) {
		return fmt.Errorf("%d business-unit figures for %d business units", len(run.Units), len(l.BusinessUnits))
	}
	if len(run.UnitWindows) != 0 && len(run.UnitWindows) != len(l.BusinessUnits) {
		return fmt.Errorf("%d business-unit window figures for %d business units", len(run.UnitWindows), len(l.BusinessUnits))
	}
	// The counts behind the exact intervals of shares and lost calls (see
	// [kpi.exact]): none negative, no part above its whole.
	for _, c := range []struct {
		part, whole string
		n, of       int64
	}{
		{"calls", "", run.Calls, 0},
		{"booked", "calls", run.Booked, run.Calls},
		{"lost", "calls", run.Lost, run.Calls},
		{"emergencyCalls", "calls", run.EmergencyCalls, run.Calls},
		{"emergencyLost", "emergencyCalls", run.EmergencyLost, run.EmergencyCalls},
		{"emergencyJobs", "emergencyCalls", run.EmergencyJobs, run.EmergencyCalls},
		{"emergencyWaited", "emergencyJobs", run.EmergencyWaited, run.EmergencyJobs},
		{"routineJobs", "booked", run.RoutineJobs, run.Booked},
		{"onTime", "routineJobs", run.OnTime, run.RoutineJobs},
	} {
		switch {
		case c.n < 0:
			return fmt.Errorf("%s is %d: a count cannot be negative", c.part, c.n)
		case c.whole != "" && c.n > c.of:
			return fmt.Errorf("%s is %d, more than its %s (%d)", c.part, c.n, c.whole, c.of)
		}
	}
	for i, n := range run.LostBy {
		if n < 0 {
			return fmt.Errorf("lostBy.%s is %d: a count cannot be negative", Reason(i), n)
		}
	}
	for i, uw := range run.UnitWindows {
		if len(uw.Windows) != len(run.Windows) {
			return fmt.Errorf("unitWindows[%d]: %d window figures for %d windows", i, len(uw.Windows), len(run.Windows))
		}
	}
	for i, d := range run.Days {
		if len(d.JobTypes) != len(l.JobTypes) {
			return fmt.Errorf("days[%d]: %d job-type tallies for %d job types", i, len(d.JobTypes), len(l.JobTypes))
		}
		if len(d.Units) != 0 && len(d.Units) != len(l.BusinessUnits) {
			return fmt.Errorf("days[%d]: %d business-unit figures for %d business units", i, len(d.Units), len(l.BusinessUnits))
		}
	}
	return nil
}

// Estimate is a mean across replications with its 95% confidence
// interval: Student t on the replication values, and for a share of calls
// or jobs (booking rate, shares lost, waited, on time) or a count of lost
// calls also containing the exact interval of the events pooled over the
// replications (Clopper–Pearson, Garwood), so that a rare event seen in
// few replications, or none, is not reported as certain. A paired
// difference's is Student t's on the replications' differences; of a
// share, a count of lost calls or booked calls it also contains the
// exact interval of the discordant events when they are few (see
// [differenceOf]).
type Estimate struct {
	Key  string  `json:"key"`
	Name string  `json:"name"`
	Unit string  `json:"unit"`
	Mean float64 `json:"mean"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	N    int     `json:"n"` // replications with a defined value
	// Censored counts, for the emergency percentiles "of all", the
	// replications whose percentile lies among the lost emergencies
	// (more than 1 − p of them lost): there the figure is no time, only
	// "not reached" (see [Run]), and the mean counts it as one minute past
	// the longest reached wait, which moves with the wait of the
	// emergencies a variant did reach. A variant's estimate keeps its
	// value; a difference with a censored replication on either side is
	// not computed (N is 0), since losing more emergencies could show as
	// a shorter wait.
	Censored int `json:"censored,omitempty"`
}

// Significant reports whether the interval excludes zero.
func (e Estimate) Significant() bool { return e.N > 1 && e.Censored == 0 && (e.Low > 0 || e.High < 0) }

// CI is a mean and its 95% confidence interval.
type CI struct {
	Mean float64 `json:"mean"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Summary holds the estimates per variant and the paired differences of
// each variant from the baseline.
type Summary struct {
	Variants    []VariantSummary `json:"variants"`
	Differences []VariantSummary `json:"differences"`
}

// VariantSummary is one variant's estimates (or differences).
type VariantSummary struct {
	Name    string      `json:"name"`
	KPIs    []Estimate  `json:"kpis"`
	Days    []DayEst    `json:"days,omitempty"`
	Windows []WindowEst `json:"windows,omitempty"`
	// Units are the time figures by business unit, in
	// Labels.BusinessUnits order.
	Units  []UnitEst    `json:"units,omitempty"`
	Losses *LossSummary `json:"losses,omitempty"`
	// UnitWindows are the per-window figures of each business unit, in
	// Labels.BusinessUnits order (see [UnitWindows]).
	UnitWindows []UnitWindowsEst `json:"unitWindows,omitempty"`
}

// UnitWindowsEst is one business unit's per-window estimates; Pool, as in
// [UnitWindows], names the units of its group when it is in one.
type UnitWindowsEst struct {
	ID      int64           `json:"id"`
	Label   string          `json:"label"`
	Pool    []int64         `json:"pool,omitempty"`
	Windows []UnitWindowEst `json:"windows"`
}

// UnitWindowEst is one arrival window's estimates for a business unit:
// as [WindowEst], and the fill, booked ÷ capacity minutes in %, of each
// replication (replications without capacity in the window left out).
type UnitWindowEst struct {
	WindowEst
	Fill CI `json:"fill"`
}

// UnitEst is one business unit's time figures: utilisation (time on site
// ÷ working time, %), drive share (%), overtime and working time (hours
// over the measured days) of its technicians.
type UnitEst struct {
	ID            int64  `json:"id"`
	Label         string `json:"label"`
	Utilisation   CI     `json:"utilisation"`
	DriveShare    CI     `json:"driveShare"`
	OvertimeHours CI     `json:"overtimeHours"`
	WorkingHours  CI     `json:"workingHours"`
}

// DayEst is one measured date's estimates. Lost, a count of rare events,
// has Student t's interval widened to contain the exact one of the day's
// losses pooled over the replications, as the headline's lost calls do
// ([LossRow]).
type DayEst struct {
	Date        string `json:"date"`
	Booked      CI     `json:"booked"`
	Lost        CI     `json:"lost"`
	Utilisation CI     `json:"utilisation"`
}

// WindowEst is one arrival window's estimates.
type WindowEst struct {
	Window          string `json:"window"`
	Booked          CI     `json:"booked"`
	CapacityMinutes CI     `json:"capacityMinutes"`
	BookedMinutes   CI     `json:"bookedMinutes"`
}

// LossSummary breaks calls and losses down by job type, business unit,
// zone and day, each row with its losses by reason.
type LossSummary struct {
	ByJobType      []LossRow `json:"byJobType"`
	ByBusinessUnit []LossRow `json:"byBusinessUnit"`
	ByZone         []LossRow `json:"byZone"`
	ByDay          []LossRow `json:"byDay"`
}

// LossRow is one row of a breakdown: mean calls per replication over the
// measured days, what became of them, and the losses by reason (in Reason
// order).
//
// Lost and each LostBy count rare events: their intervals, as the
// headline's lost calls', are Student t's widened to contain Garwood's
// exact interval of the row's losses pooled over the replications. So a
// reason no replication lost a call for reads 0 with a High above 0 (3.69
// ÷ replications), not the certainty of [0, 0], and a row with a few
// losses gets an interval that covers (docs/simulation.md, "Do the
// intervals cover?"). Calls and Booked keep Student t's.
type LossRow struct {
	ID     int64  `json:"id,omitempty"`
	Label  string `json:"label"`
	Calls  CI     `json:"calls"`
	Booked CI     `json:"booked"`
	Lost   CI     `json:"lost"`
	LostBy []CI   `json:"lostBy"`
}

// kpi defines one reported figure of a run; NaN means undefined (no
// denominator) and is left out of the estimate.
//
// The emergency figures "of reached" leave lost emergencies out, so
// losing emergencies can improve them; those "of all" count every
// emergency, a lost one as not reached (see [Run]). emergencyNote says so
// under every table.
type kpi struct {
	key, name, unit string
	f               func(*Run) float64
	// trials, for a share of counts in % (hits ÷ trials × 100), is the
	// key of the metric of optMetrics counting a replication's trials;
	// count marks a count of events per replication. Either gives the
	// figure an exact interval from its events pooled over the
	// replications (see [kpi.exact]), which its estimate's interval
	// contains.
	trials string
	count  bool
	// events marks a count of events whose paired difference, though not
	// its level, is made of few events: booked calls, hundreds a
	// replication, of which a variant changes a few — the discordant
	// losses, when both saw the same calls. Its difference has the rule
	// of a count's (see [differenceOf]), so that booked and lost calls
	// read the same interval.
	events bool
}

// exact returns the exact interval, each bound at one-sided level alpha,
// of the rate behind k's figure, from its events pooled over the
// replications whose values are xs (undefined ones left out): for a
// share, Clopper and Pearson's on the hits among the trials (trials[i]
// is replication i's), in %; for a count, Garwood's on the Poisson mean
// per replication. ok is false for other figures.
//
// A Student-t interval on few events is too narrow: replication means
// of a rare event are far from normal (all zero, it has zero width; one
// loss in 16 replications of 96 calls, with 5 expected, gave an upper
// bound below the truth at the optimiser's level). The reports and the
// optimiser therefore take the hull of the two (see [levelOf]): with
// many events Student t's, which also counts events that come in
// bursts, is the wider; with few, the exact one. The exact interval
// takes events to be independent: bursts make it optimistic, by about
// the mean burst size, but only where the t interval is narrower still.
func (k kpi) exact(xs, trials []float64, alpha float64) (lo, hi float64, ok bool) {
	if k.trials == "" && !k.count {
		return 0, 0, false
	}
	n, events, pooled := 0, 0.0, 0.0
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		n++
		if k.count {
			events += math.Round(x)
			continue
		}
		events += math.Round(x * trials[i] / 100)
		pooled += trials[i]
	}
	switch {
	case events < 0, !k.count && (pooled < 0 || events > pooled), math.IsInf(events, 0), math.IsInf(pooled, 0):
		// Counts no simulation writes (Run.check and the optimiser's
		// absorb refuse them): the quantiles are undefined there.
		return 0, 0, false
	case n == 0:
		return 0, 0, false
	case k.count:
		lo, hi = garwood(events, alpha)
		return lo / float64(n), hi / float64(n), true
	case pooled <= 0:
		return 0, 0, false
	}
	lo, hi = clopperPearson(events, pooled, alpha)
	return 100 * lo, 100 * hi, true
}

// rareEvents is the number of discordant events, pooled over the
// replications, below which a paired difference of a share or count
// also contains their exact interval ([differenceOf] says why 10).
const rareEvents = 10

// exactDiff returns an exact interval of the paired difference, variant
// − baseline, of k's rate, a share or a count of events (else ok is
// false), from the values xv and xb of the replications (pairs with an
// undefined one left out) and, for a share, their trials tv and tb, which
// must be equal in each pair (common random numbers with the same calls;
// else ok is false), and the discordant events it counted.
//
// Under common random numbers most events happen in both variants; the
// difference is made by the discordant ones. A replication's difference
// of events d counts as d events of the variant's own (d > 0) or −d of
// the baseline's; pooled over the replications, events of them of which
// p are the variant's. Their rate r has Garwood's interval (a count, per
// replication) or Clopper and Pearson's (a share of the pooled trials,
// in %), the variant's part q of them Clopper and Pearson's on p of
// events, each bound at one-sided level alpha; the difference r(2q − 1)
// lies between the extremes over both intervals, with probability at
// least 1 − 4·alpha (alpha = 0.0125 for 95%, Bonferroni). With no
// discordant event at all the interval is ±r's upper bound (−ln(alpha)
// ÷ replications for a count: ±4.38/n at 95%), not [0, 0]: a rare event
// seen in no replication of either variant is not known to be equally
// rare in both. Events of both kinds in one replication net out and are
// not seen, which makes the interval optimistic where they are many;
// Student t's, whose hull [differenceOf] takes, counts them in the spread
// of the differences. Counts no simulation writes (negative, a share
// above 100% or of negative trials) give no interval.
func (k kpi) exactDiff(xv, xb, tv, tb []float64, alpha float64) (lo, hi, events float64, ok bool) {
	if k.trials == "" && !k.count && !k.events {
		return 0, 0, 0, false
	}
	n, pos, neg, pooled := 0, 0.0, 0.0, 0.0
	for i := range xv {
		if math.IsNaN(xv[i]) || math.IsInf(xv[i], 0) || math.IsNaN(xb[i]) || math.IsInf(xb[i], 0) {
			continue
		}
		ev, eb := math.Round(xv[i]), math.Round(xb[i])
		if k.trials != "" {
			if tv[i] != tb[i] || !(tv[i] >= 0) || math.IsInf(tv[i], 0) {
				return 0, 0, 0, false
			}
			ev, eb = math.Round(xv[i]*tv[i]/100), math.Round(xb[i]*tb[i]/100)
			if ev > tv[i] || eb > tb[i] {
				return 0, 0, 0, false
			}
			pooled += tv[i]
		}
		if ev < 0 || eb < 0 {
			return 0, 0, 0, false
		}
		n++
		if d := ev - eb; d > 0 {
			pos += d
		} else {
			neg -= d
		}
	}
	events = pos + neg
	if n == 0 || (k.trials != "" && pooled <= 0) || math.IsInf(events, 0) || math.IsInf(pooled, 0) {
		return 0, 0, 0, false
	}
	var rlo, rhi float64
	if k.trials == "" {
		rlo, rhi = garwood(events, alpha)
		rlo, rhi = rlo/float64(n), rhi/float64(n)
	} else {
		rlo, rhi = clopperPearson(events, pooled, alpha)
		rlo, rhi = 100*rlo, 100*rhi
	}
	qlo, qhi := 0.0, 1.0
	if events > 0 {
		qlo, qhi = clopperPearson(pos, events, alpha)
	}
	// r(2q − 1) is largest at the largest q, and there at the largest r
	// when 2q − 1 ≥ 0, the smallest when not; likewise the smallest.
	hi, lo = rhi*(2*qhi-1), rhi*(2*qlo-1)
	if 2*qhi-1 < 0 {
		hi = rlo * (2*qhi - 1)
	}
	if 2*qlo-1 > 0 {
		lo = rlo * (2*qlo - 1)
	}
	return lo, hi, events, true
}

// garwood returns Garwood's bounds, each at one-sided level alpha, of
// the mean of a Poisson count of which k events were seen (k ≥ 0).
func garwood(k, alpha float64) (lo, hi float64) {
	if k > 0 {
		lo = distuv.Gamma{Alpha: k, Beta: 1}.Quantile(alpha)
	}
	return lo, distuv.Gamma{Alpha: k + 1, Beta: 1}.Quantile(1 - alpha)
}

// clopperPearson returns Clopper and Pearson's bounds, each at one-sided
// level alpha, of the probability behind k successes in n trials
// (0 ≤ k ≤ n, n > 0).
func clopperPearson(k, n, alpha float64) (lo, hi float64) {
	lo, hi = 0, 1
	if k > 0 {
		lo = distuv.Beta{Alpha: k, Beta: n - k + 1}.Quantile(alpha)
	}
	if k < n {
		hi = distuv.Beta{Alpha: k + 1, Beta: n - k}.Quantile(1 - alpha)
	}
	return lo, hi
}

// trialsOf returns, for a share k, the trials of each run of rs, else nil.
func (k kpi) trialsOf(rs []*Run) []float64 {
	if k.trials == "" {
		return nil
	}
	return apply(rs, optMetrics[k.trialsAt()].f)
}

// trialsAt returns the position in optMetrics of the metric counting
// share k's trials (the optimiser keeps each run's figures in that
// order). It panics when k is no share or names an unknown metric: a
// programmer error of the kpi tables, which every test of a share meets.
func (k kpi) trialsAt() int {
	i, ok := metricIndex(k.trials)
	if !ok {
		panic("sim: kpi " + k.key + " counts its trials in unknown metric " + k.trials)
	}
	return i
}

// censoredKPIs are the emergency percentiles of every emergency, lost ones
// counted as not reached (see [Run]), by key, with their p: censoring can
// reach them.
var censoredKPIs = map[string]float64{"emergencyWaitP50": 0.5, "emergencyWaitP90": 0.9, "emergencyResponseP90": 0.9}

// censored reports whether k, a percentile of every emergency, lies among
// r's lost emergencies: its rank, as censoredQuantile finds it, is past
// the emergencies reached.
func (k kpi) censored(r *Run) bool {
	p, n := censoredKPIs[k.key], r.EmergencyJobs+r.EmergencyLost
	if p == 0 || n == 0 {
		return false
	}
	return nearestRank(n, p) >= r.EmergencyJobs
}

func ratio(a, b int64, scale float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b) * scale
}

// when returns x when n > 0, else NaN.
func when(n int64, x float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return x
}

var kpis = func() []kpi {
	k := []kpi{
		{key: "calls", name: "calls", unit: "calls", f: func(r *Run) float64 { return float64(r.Calls) }},
		{key: "booked", name: "booked", unit: "calls", f: func(r *Run) float64 { return float64(r.Booked) }, events: true},
		{key: "lost", name: "lost (not booked)", unit: "calls", f: func(r *Run) float64 { return float64(r.Lost) }, count: true},
	}
	for i := range NumReasons {
		why := Reason(i)
		k = append(k, kpi{key: "lost." + why.String(), name: "  " + why.Text(), unit: "calls", f: func(r *Run) float64 { return float64(r.LostBy[why]) }, count: true})
	}
	return append(k, []kpi{
		{key: "bookingRate", name: "booking rate", unit: "%", f: func(r *Run) float64 { return ratio(r.Booked, r.Calls, 100) }, trials: "calls"},
		{key: "utilisation", name: "utilisation (on site ÷ working)", unit: "%", f: func(r *Run) float64 { return ratio(r.OnSiteSeconds, r.WorkingSeconds, 100) }},
		{key: "driveShare", name: "drive share", unit: "%", f: func(r *Run) float64 { return ratio(r.DriveSeconds, r.WorkingSeconds, 100) }},
		{key: "overtime", name: "overtime over the measured days", unit: "hours", f: func(r *Run) float64 { return float64(r.OvertimeSeconds) / 3600 }},
		{key: "onTime", name: "on-time arrival rate", unit: "%", f: func(r *Run) float64 { return ratio(r.OnTime, r.RoutineJobs, 100) }, trials: "routineJobs"},
		{key: "routineWaitMean", name: "call to arrival, mean", unit: "hours", f: func(r *Run) float64 { return ratio(r.WaitSeconds, r.RoutineJobs, 1.0/3600) }},
		{key: "routineWaitP50", name: "call to arrival, median", unit: "hours", f: func(r *Run) float64 { return when(r.RoutineJobs, float64(r.RoutineWaitP50)/3600) }},
		{key: "routineWaitP90", name: "call to arrival, 90th percentile", unit: "hours", f: func(r *Run) float64 { return when(r.RoutineJobs, float64(r.RoutineWaitP90)/3600) }},
		{key: "emergencyLost", name: "emergencies lost", unit: "calls", f: func(r *Run) float64 { return float64(r.EmergencyLost) }, count: true},
		{key: "emergencyLostShare", name: "share of emergencies lost", unit: "%", f: func(r *Run) float64 { return ratio(r.EmergencyLost, r.EmergencyCalls, 100) }, trials: "emergencyCalls"},
		{key: "emergencyWaited", name: "emergencies reached that waited", unit: "%", f: func(r *Run) float64 { return ratio(r.EmergencyWaited, r.EmergencyJobs, 100) }, trials: "emergencyJobs"},
		{key: "emergencyWaitMean", name: "emergency wait, mean of reached", unit: "minutes", f: func(r *Run) float64 { return ratio(r.EmergencyWaitSec, r.EmergencyJobs, 1.0/60) }},
		{key: "emergencyWaitP50", name: "emergency wait, median of all", unit: "minutes", f: func(r *Run) float64 { return when(r.EmergencyCalls, float64(r.EmergencyWaitP50)/60) }},
		{key: "emergencyWaitP90", name: "emergency wait, 90th pct of all", unit: "minutes", f: func(r *Run) float64 { return when(r.EmergencyCalls, float64(r.EmergencyWaitP90)/60) }},
		{key: "emergencyResponse", name: "emergency response, mean of reached", unit: "minutes", f: func(r *Run) float64 { return ratio(r.ResponseSeconds, r.EmergencyJobs, 1.0/60) }},
		{key: "emergencyResponseP90", name: "emergency response, 90th pct of all", unit: "minutes", f: func(r *Run) float64 { return when(r.EmergencyCalls, float64(r.EmergencyResponseP90)/60) }},
		{key: "jobsPerTechnicianDay", name: "jobs per technician-day", unit: "jobs", f: func(r *Run) float64 { return ratio(r.Jobs, r.TechnicianDays, 1) }},
	}...)
}()

// tStar95 is the two-sided 95% Student t quantile with n−1 degrees of
// freedom.
func tStar95(n int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
}

// ci returns the mean and 95% interval of the defined values of xs, and
// how many there are.
func ci(xs []float64) (CI, int) {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return CI{}, 0
	}
	m, sd := meanStdDev(v)
	c := CI{m, m, m}
	if len(v) > 1 && sd > 0 {
		hw := tStar95(len(v)) * sd / math.Sqrt(float64(len(v)))
		c.Low, c.High = m-hw, m+hw
	}
	return c, len(v)
}

// meanStdDev returns the mean of xs and their sample standard deviation
// (n − 1 in the denominator; 0 for fewer than two), as gonum's
// stat.MeanStdDev defines them (the two-pass variance with its
// compensation term). It sums left to right in plain Go: gonum's
// vectorised sum on amd64 adds in another order than its portable code on
// other architectures, so the JSON's last digits differed between an
// amd64 and a 386 build of the same study. The products are converted
// explicitly so that no compiler fuses them into a multiply-add (the Go
// specification allows that on arm64 and others, with another rounding).
func meanStdDev(xs []float64) (mean, sd float64) {
	n := float64(len(xs))
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean = sum / n
	if len(xs) < 2 {
		return mean, 0
	}
	var ss, comp float64
	for _, x := range xs {
		d := x - mean
		ss += float64(d * d)
		comp += d
	}
	return mean, math.Sqrt((ss - float64(comp*comp)/n) / (n - 1))
}

func ciOf(rs []*Run, f func(*Run) float64) CI {
	c, _ := ci(apply(rs, f))
	return c
}

// summarize computes the estimates of res.Runs, ordered by (replication,
// variant).
func summarize(res *Result) *Summary {
	s := &res.Scenario
	names := []string{"baseline"}
	for _, v := range s.Variants {
		names = append(names, v.Name)
	}
	by := make([][]*Run, len(names)) // by[variant][replication]
	for i, r := range res.Runs {
		by[i%len(names)] = append(by[i%len(names)], r)
	}
	sum := &Summary{}
	for vi, name := range names {
		vs := VariantSummary{Name: name}
		rs := by[vi]
		for _, k := range kpis {
			e := levelOf(k, apply(rs, k.f), k.trialsOf(rs))
			for _, r := range rs {
				if k.censored(r) {
					e.Censored++
				}
			}
			vs.KPIs = append(vs.KPIs, e)
		}
		for di := range rs[0].Days {
			vs.Days = append(vs.Days, DayEst{Date: rs[0].Days[di].Date,
				Booked:      ciOf(rs, func(r *Run) float64 { return float64(r.Days[di].Booked) }),
				Lost:        lostCI(apply(rs, func(r *Run) float64 { return float64(r.Days[di].LostBy.Total()) })),
				Utilisation: ciOf(rs, func(r *Run) float64 { return ratio(r.Days[di].OnSiteSeconds, r.Days[di].WorkingSeconds, 100) }),
			})
		}
		for wi := range rs[0].Windows {
			vs.Windows = append(vs.Windows, windowEst(rs, func(r *Run) Window { return r.Windows[wi] }))
		}
		vs.Units = unitSummary(&res.Labels, rs)
		vs.Losses = lossSummary(&res.Labels, rs)
		vs.UnitWindows = unitWindowSummary(&res.Labels, rs)
		sum.Variants = append(sum.Variants, vs)
		if vi == 0 {
			continue
		}
		// Paired differences: the same replication index saw the same
		// calls in both, so the difference has a tight interval.
		diff := VariantSummary{Name: name + " − baseline"}
		for _, k := range kpis {
			censored := 0
			for i := range rs {
				if k.censored(rs[i]) || k.censored(by[0][i]) {
					censored++
				}
			}
			e := differenceOf(k, apply(rs, k.f), apply(by[0], k.f), k.trialsOf(rs), k.trialsOf(by[0]))
			if censored > 0 {
				// "Not reached" on either side has no difference in time.
				e = estimateOf(k, nil)
				e.Censored = censored
			}
			diff.KPIs = append(diff.KPIs, e)
		}
		sum.Differences = append(sum.Differences, diff)
	}
	return sum
}

// estimateOf returns the estimate of k from its per-replication values
// xs, with Student t's interval: a paired difference's.
func estimateOf(k kpi, xs []float64) Estimate {
	c, n := ci(xs)
	return Estimate{Key: k.key, Name: strings.TrimSpace(k.name), Unit: k.unit, Mean: c.Mean, Low: c.Low, High: c.High, N: n}
}

// levelOf returns the estimate of k's level from its per-replication
// values xs and, for a share, their trials: Student t's interval,
// widened to contain the exact interval of the events pooled over the
// replications where k has one ([kpi.exact]).
func levelOf(k kpi, xs, trials []float64) Estimate {
	e := estimateOf(k, xs)
	if lo, hi, ok := k.exact(xs, trials, 0.025); ok {
		e.Low, e.High = min(e.Low, lo), max(e.High, hi)
	}
	return e
}

// differenceOf returns the estimate of k's paired difference, variant −
// baseline, from the per-replication values xv and xb of the two (and,
// for a share, their trials tv and tb): Student t's interval on the
// replications' differences, widened to contain the exact interval of
// the discordant events ([kpi.exactDiff]) where k is a share or a count
// of events and those events are few — D = Σ|dᵢ| pooled over the
// replications below [rareEvents], 10 — or where t's interval has no
// width. Elsewhere the interval is Student t's, bit for bit.
//
// The threshold is where Student t's two-sided coverage fails. With
// few discordant events the differences are a few small integers, most
// of them 0: t's interval reads "0 ±0" when none differs, and is too
// short when a few do. Measured on one server more at M/M/c/c, A = 2
// (docs/simulation.md, "Do the intervals cover?"), t covered 63–92% of
// studies whose D averaged 1 to 9, 73% of those with D of 0 to 4, and
// 94.7% of those with D of 10 to 24, pooled. Below 10 the hull covers
// 97.8–100% (at 1.2–2.6 times t's width, 2.1–2.6 where D averages 1 or
// 2 and t's was often 0: the hull, Bonferroni's, is conservative). From
// 10 on t stands: its interval, symmetric about a mean whose skewness
// is about 1/√D, misses more often on one side than the other (by about
// 0.085/√D beyond the 2.5% a side it claims, Edgeworth: 2.7 points at
// D = 10, 1.7 at 25), but two-sided it covers as claimed, where the
// hull's Bonferroni bound over-covered (96.9–98.9% at D of 14 to 29)
// at 1.05–1.31 times the width. A threshold of 25 was measured too.
func differenceOf(k kpi, xv, xb, tv, tb []float64) Estimate {
	xs := make([]float64, len(xv))
	for i := range xv {
		xs[i] = xv[i] - xb[i]
	}
	e := estimateOf(k, xs)
	if e.N == 0 {
		return e
	}
	if lo, hi, events, ok := k.exactDiff(xv, xb, tv, tb, 0.0125); ok && (events < rareEvents || e.Low == e.High) {
		e.Low, e.High = min(e.Low, lo), max(e.High, hi)
	}
	return e
}

// sameInEvery reports whether k has the same value in every replication
// of variant vi (1 or more) as in the baseline's: a paired difference no
// replication showed. res.Runs are ordered by (replication, variant).
func sameInEvery(res *Result, vi int, k kpi) bool {
	n := len(res.Scenario.Variants) + 1
	for i := 0; i+vi < len(res.Runs); i += n {
		if a, b := k.f(res.Runs[i+vi]), k.f(res.Runs[i]); a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
			return false
		}
	}
	return true
}

// lostCount is the kpi of a count of lost calls per replication, for
// the exact intervals of the per-day and breakdown tables.
var lostCount = kpi{key: "lost", count: true}

// lostCI returns the mean and interval of a count of lost calls per
// replication from its values xs, as [levelOf] gives the headline's lost
// calls: Student t's interval widened to contain the exact interval of
// the events pooled over the replications.
func lostCI(xs []float64) CI {
	e := levelOf(lostCount, xs, nil)
	return CI{Mean: e.Mean, Low: e.Low, High: e.High}
}

// unitSummary estimates the time figures of each business unit, or none
// when a run lacks them (a result of an older version).
func unitSummary(l *Labels, rs []*Run) []UnitEst {
	for _, r := range rs {
		if len(r.Units) != len(l.BusinessUnits) {
			return nil
		}
	}
	var out []UnitEst
	for ui, u := range l.BusinessUnits {
		out = append(out, UnitEst{ID: u.ID, Label: u.Name,
			Utilisation:   ciOf(rs, func(r *Run) float64 { return ratio(r.Units[ui].OnSiteSeconds, r.Units[ui].WorkingSeconds, 100) }),
			DriveShare:    ciOf(rs, func(r *Run) float64 { return ratio(r.Units[ui].DriveSeconds, r.Units[ui].WorkingSeconds, 100) }),
			OvertimeHours: ciOf(rs, func(r *Run) float64 { return float64(r.Units[ui].OvertimeSeconds) / 3600 }),
			WorkingHours:  ciOf(rs, func(r *Run) float64 { return float64(r.Units[ui].WorkingSeconds) / 3600 }),
		})
	}
	return out
}

// windowEst estimates one window's figures over the runs rs, at(r)
// being run r's figures of the window.
func windowEst(rs []*Run, at func(*Run) Window) WindowEst {
	return WindowEst{Window: at(rs[0]).Window,
		Booked:          ciOf(rs, func(r *Run) float64 { return float64(at(r).Booked) }),
		CapacityMinutes: ciOf(rs, func(r *Run) float64 { return float64(at(r).CapacityMinutes) }),
		BookedMinutes:   ciOf(rs, func(r *Run) float64 { return float64(at(r).BookedMinutes) }),
	}
}

// unitWindowSummary estimates the per-window figures of each business
// unit, or none when a run lacks them (a result of an older version).
func unitWindowSummary(l *Labels, rs []*Run) []UnitWindowsEst {
	for _, r := range rs {
		if len(r.UnitWindows) != len(l.BusinessUnits) || len(l.BusinessUnits) == 0 {
			return nil
		}
	}
	var out []UnitWindowsEst
	for ui, u := range l.BusinessUnits {
		e := UnitWindowsEst{ID: u.ID, Label: u.Name, Pool: rs[0].UnitWindows[ui].Pool}
		for wi := range rs[0].UnitWindows[ui].Windows {
			at := func(r *Run) Window { return r.UnitWindows[ui].Windows[wi] }
			e.Windows = append(e.Windows, UnitWindowEst{WindowEst: windowEst(rs, at),
				Fill: ciOf(rs, func(r *Run) float64 { return ratio(at(r).BookedMinutes, at(r).CapacityMinutes, 100) }),
			})
		}
		out = append(out, e)
	}
	return out
}

// lossSummary breaks the runs' calls down by job type, unit, zone and day.
func lossSummary(l *Labels, rs []*Run) *LossSummary {
	row := func(id int64, label string, tally func(*Run) Tally) LossRow {
		ts := make([]Tally, len(rs))
		for i, r := range rs {
			ts[i] = tally(r)
		}
		values := func(f func(Tally) int64) []float64 {
			xs := make([]float64, len(ts))
			for i, t := range ts {
				xs[i] = float64(f(t))
			}
			return xs
		}
		get := func(f func(Tally) int64) CI {
			c, _ := ci(values(f))
			return c
		}
		lr := LossRow{ID: id, Label: label,
			Calls:  get(func(t Tally) int64 { return t.Calls }),
			Booked: get(func(t Tally) int64 { return t.Booked }),
			Lost:   lostCI(values(func(t Tally) int64 { return t.LostBy.Total() }))}
		for why := range NumReasons {
			lr.LostBy = append(lr.LostBy, lostCI(values(func(t Tally) int64 { return t.LostBy[why] })))
		}
		return lr
	}
	ls := &LossSummary{}
	for ji, jt := range l.JobTypes {
		ls.ByJobType = append(ls.ByJobType, row(jt.ID, jt.Name, func(r *Run) Tally {
			var t Tally
			for _, d := range r.Days {
				t.add(d.JobTypes[ji])
			}
			return t
		}))
	}
	for _, u := range l.BusinessUnits {
		ls.ByBusinessUnit = append(ls.ByBusinessUnit, row(u.ID, u.Name, func(r *Run) Tally {
			var t Tally
			for _, d := range r.Days {
				for ji, jt := range l.JobTypes {
					if jt.BusinessUnitID == u.ID {
						t.add(d.JobTypes[ji])
					}
				}
			}
			return t
		}))
	}
	for zi, z := range l.Zones {
		ls.ByZone = append(ls.ByZone, row(z.ID, z.Name, func(r *Run) Tally { return r.Zones[zi] }))
	}
	for di := range rs[0].Days {
		ls.ByDay = append(ls.ByDay, row(0, rs[0].Days[di].Date, func(r *Run) Tally {
			d := r.Days[di]
			return Tally{Calls: d.Calls, Booked: d.Booked, LostBy: d.LostBy}
		}))
	}
	return ls
}

func (t *Tally) add(o Tally) {
	t.Calls += o.Calls
	t.Booked += o.Booked
	for i := range t.LostBy {
		t.LostBy[i] += o.LostBy[i]
	}
}

func apply(rs []*Run, f func(*Run) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = f(r)
	}
	return out
}

// emergencyNote explains the emergency figures, for a limit of the
// maximum wait in minutes.
func emergencyNote(limit int) string {
	return fmt.Sprintf("Emergency figures \"of all\" count every emergency, a lost one as not reached: a minute longer than the maximum wait (%d minutes) and than the longest wait (or response) of a reached one in its replication. So a percentile at most T below the maximum means that share of every emergency was reached within T, and one shown as \"not reached k/n\" lies among the lost emergencies in k of n replications (more than 1 − p of every emergency lost): it has no time, and no difference from the baseline is computed for it. Figures \"of reached\" leave lost emergencies out.", limit)
}
