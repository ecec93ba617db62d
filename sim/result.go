package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/gps"
)

// Options control how a scenario runs, not what it computes: results are
// identical for any Workers and any sharding.
type Options struct {
	// Workers run replications in parallel; 0 means one per CPU.
	Workers int
	// Shard and Shards select a deterministic share of the replications
	// (those with index % Shards == Shard); Shards 0 or 1 runs them all.
	Shard, Shards int
	// Progress, when set, is called after each replication (from one
	// goroutine at a time) with the number done and the total.
	Progress func(done, total int)
}

// Result is a simulation's output. A partial result (from one shard) has
// Runs but no Summary; [Merge] combines partials into the full result.
type Result struct {
	Scenario Scenario `json:"scenario"`
	Shard    string   `json:"shard,omitempty"`
	Runs     []*Run   `json:"runs"`
	Summary  *Summary `json:"summary,omitempty"`

	// Board is the baseline's engine at the end of replication 0, for a
	// dispatch board; Pings are that replication's GPS pings. Neither is
	// part of the JSON.
	Board *capacity.Engine `json:"-"`
	Pings *gps.Store       `json:"-"`
}

// Simulate runs scenario s over the base tenant records.
func Simulate(s Scenario, base capacity.Data, opt Options) (*Result, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if base.Schedule == nil {
		return nil, fmt.Errorf("sim: the base tenant has no schedule")
	}
	worlds := make([]*world, 0, len(s.Variants)+1)
	b, err := newWorld(&s, base, nil)
	if err != nil {
		return nil, err
	}
	worlds = append(worlds, b)
	for i := range s.Variants {
		w, err := newWorld(&s, base, &s.Variants[i])
		if err != nil {
			return nil, err
		}
		worlds = append(worlds, w)
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
	res := &Result{Scenario: s}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu       sync.Mutex
		firstErr error
		done     int
		next     int
		wg       sync.WaitGroup
	)
	for range min(workers, len(tasks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if next == len(tasks) || firstErr != nil {
					mu.Unlock()
					return
				}
				k := next
				next++
				mu.Unlock()
				t := tasks[k]
				keep := t.w == 0 && t.rep == 0
				r, err := newRep(worlds[t.w], t.rep, keep)
				if err == nil {
					runs[k] = r.run()
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if keep && err == nil {
					res.Board, res.Pings = r.eng, r.pings
				}
				done++
				if opt.Progress != nil {
					opt.Progress(done, len(tasks))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	res.Runs = runs
	if shards > 1 {
		res.Shard = fmt.Sprintf("%d/%d", opt.Shard, shards)
		return res, nil
	}
	res.Summary = summarize(&s, runs)
	return res, nil
}

// Merge combines the partial results of every shard of one scenario into
// the result a single run gives.
func Merge(parts ...*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("sim: nothing to merge")
	}
	want, _ := json.Marshal(parts[0].Scenario)
	out := &Result{Scenario: parts[0].Scenario}
	seen := map[string]bool{}
	for i, p := range parts {
		got, _ := json.Marshal(p.Scenario)
		if string(got) != string(want) {
			return nil, fmt.Errorf("sim: part %d is of another scenario", i+1)
		}
		if p.Shard == "" || seen[p.Shard] {
			return nil, fmt.Errorf("sim: part %d has shard %q: want distinct partial results", i+1, p.Shard)
		}
		seen[p.Shard] = true
		out.Runs = append(out.Runs, p.Runs...)
	}
	variants := map[string]int{"baseline": 0}
	for i, v := range out.Scenario.Variants {
		variants[v.Name] = i + 1
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
		if r.Replication != i/len(variants) {
			return nil, fmt.Errorf("sim: replication %d appears twice or is missing", r.Replication)
		}
	}
	out.Summary = summarize(&out.Scenario, out.Runs)
	return out, nil
}

// Estimate is a mean across replications with its 95% confidence
// interval (Student t on the replication means).
type Estimate struct {
	Name string  `json:"name"`
	Unit string  `json:"unit"`
	Mean float64 `json:"mean"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	N    int     `json:"n"` // replications with a defined value
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
}

// DayEst is one measured date's estimates.
type DayEst struct {
	Date        string   `json:"date"`
	Booked      Estimate `json:"booked"`
	Lost        Estimate `json:"lost"`
	Utilisation Estimate `json:"utilisation"`
}

// WindowEst is one arrival window's estimates.
type WindowEst struct {
	Window          string   `json:"window"`
	Booked          Estimate `json:"booked"`
	CapacityMinutes Estimate `json:"capacityMinutes"`
	BookedMinutes   Estimate `json:"bookedMinutes"`
}

// kpi defines one reported figure of a run; NaN means undefined (no
// denominator) and is left out of the estimate.
type kpi struct {
	name, unit string
	f          func(*Run) float64
}

func ratio(a, b int64, scale float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b) * scale
}

var kpis = []kpi{
	{"calls", "calls", func(r *Run) float64 { return float64(r.Calls) }},
	{"booked", "calls", func(r *Run) float64 { return float64(r.Booked) }},
	{"lost (no capacity)", "calls", func(r *Run) float64 { return float64(r.Lost) }},
	{"declined", "calls", func(r *Run) float64 { return float64(r.Declined) }},
	{"booking rate", "%", func(r *Run) float64 { return ratio(r.Booked, r.Calls, 100) }},
	{"utilisation", "%", func(r *Run) float64 { return ratio(r.OnSiteSeconds, r.WorkingSeconds, 100) }},
	{"drive share", "%", func(r *Run) float64 { return ratio(r.DriveSeconds, r.WorkingSeconds, 100) }},
	{"overtime", "hours", func(r *Run) float64 { return float64(r.OvertimeSeconds) / 3600 }},
	{"on-time arrival rate", "%", func(r *Run) float64 { return ratio(r.OnTime, r.RoutineJobs, 100) }},
	{"mean call-to-arrival wait", "hours", func(r *Run) float64 { return ratio(r.WaitSeconds, r.RoutineJobs, 1.0/3600) }},
	{"emergency response time", "minutes", func(r *Run) float64 { return ratio(r.ResponseSeconds, r.EmergencyJobs, 1.0/60) }},
	{"emergency calls lost", "calls", func(r *Run) float64 { return float64(r.EmergencyLost) }},
	{"jobs per technician-day", "jobs", func(r *Run) float64 { return ratio(r.Jobs, r.TechnicianDays, 1) }},
}

// estimate returns the mean and 95% interval of the defined values.
func estimate(name, unit string, xs []float64) Estimate {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	e := Estimate{Name: name, Unit: unit, N: len(v)}
	if len(v) == 0 {
		return e
	}
	m, sd := stat.MeanStdDev(v, nil)
	e.Mean, e.Low, e.High = m, m, m
	if len(v) > 1 {
		hw := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(v) - 1)}.Quantile(0.975) * sd / math.Sqrt(float64(len(v)))
		e.Low, e.High = m-hw, m+hw
	}
	return e
}

// summarize computes the estimates from runs ordered by (replication,
// variant).
func summarize(s *Scenario, runs []*Run) *Summary {
	names := []string{"baseline"}
	for _, v := range s.Variants {
		names = append(names, v.Name)
	}
	by := make([][]*Run, len(names)) // by[variant][replication]
	for i, r := range runs {
		by[i%len(names)] = append(by[i%len(names)], r)
	}
	sum := &Summary{}
	for vi, name := range names {
		vs := VariantSummary{Name: name}
		rs := by[vi]
		for _, k := range kpis {
			vs.KPIs = append(vs.KPIs, estimate(k.name, k.unit, apply(rs, k.f)))
		}
		for di := range rs[0].Days {
			vs.Days = append(vs.Days, DayEst{Date: rs[0].Days[di].Date,
				Booked:      estimate("booked", "calls", apply(rs, func(r *Run) float64 { return float64(r.Days[di].Booked) })),
				Lost:        estimate("lost", "calls", apply(rs, func(r *Run) float64 { return float64(r.Days[di].Lost) })),
				Utilisation: estimate("utilisation", "%", apply(rs, func(r *Run) float64 { return ratio(r.Days[di].OnSiteSeconds, r.Days[di].WorkingSeconds, 100) })),
			})
		}
		for wi := range rs[0].Windows {
			vs.Windows = append(vs.Windows, WindowEst{Window: rs[0].Windows[wi].Window,
				Booked:          estimate("booked", "jobs", apply(rs, func(r *Run) float64 { return float64(r.Windows[wi].Booked) })),
				CapacityMinutes: estimate("capacity", "minutes", apply(rs, func(r *Run) float64 { return float64(r.Windows[wi].CapacityMinutes) })),
				BookedMinutes:   estimate("booked", "minutes", apply(rs, func(r *Run) float64 { return float64(r.Windows[wi].BookedMinutes) })),
			})
		}
		sum.Variants = append(sum.Variants, vs)
		if vi == 0 {
			continue
		}
		// Paired differences: the same replication index saw the same
		// calls in both, so the difference has a tight interval.
		diff := VariantSummary{Name: name + " − baseline"}
		for _, k := range kpis {
			xs := make([]float64, len(rs))
			for i := range rs {
				xs[i] = k.f(rs[i]) - k.f(by[0][i])
			}
			diff.KPIs = append(diff.KPIs, estimate(k.name, k.unit, xs))
		}
		sum.Differences = append(sum.Differences, diff)
	}
	return sum
}

func apply(rs []*Run, f func(*Run) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = f(r)
	}
	return out
}
