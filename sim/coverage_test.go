package sim_test

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/sim"
)

// The coverage study: does the "95%" of the reports mean 95%? It runs
// many independent studies (seeds 1, 2, …) of queues whose figures are
// known exactly, reads the interval each study's summary reports — the
// product's own code path, Result.Summary, what text, JSON and HTML print
// — and counts how often it covers the truth. It is an experiment, not a
// test: it takes minutes and runs only when asked,
//
//	DISPATCH_COVERAGE=loss,wait,diff,opt go test -run '^TestCoverage' -v -timeout 2h ./sim/
//
// (any subset of the experiments, also long, skew, cox and rarediff; DISPATCH_COVERAGE_STUDIES scales
// the number of studies, 1 by default). docs/simulation.md, "Do the
// intervals cover?", records the figures.

// coverageOn reports whether experiment name was asked for, and the
// factor on the number of studies.
func coverageOn(t *testing.T, name string) float64 {
	t.Helper()
	on := false
	for _, s := range strings.Split(os.Getenv("DISPATCH_COVERAGE"), ",") {
		on = on || s == name || s == "all"
	}
	if !on {
		t.Skipf("an experiment of minutes: DISPATCH_COVERAGE=%s runs it", name)
	}
	f := 1.0
	if s := os.Getenv("DISPATCH_COVERAGE_STUDIES"); s != "" {
		var err error
		if f, err = strconv.ParseFloat(s, 64); err != nil || !(f > 0) {
			t.Fatalf("DISPATCH_COVERAGE_STUDIES %q: want a positive factor", s)
		}
	}
	return f
}

// clopperPearson is the exact 95% binomial interval of k successes in n.
func clopperPearson(k, n int) (lo, hi float64) {
	lo, hi = 0, 1
	if k > 0 {
		lo = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(0.025)
	}
	if k < n {
		hi = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(0.975)
	}
	return lo, hi
}

// tally counts one figure's intervals against its truth over studies.
type tally struct {
	name             string
	truth            float64
	studies, covered int
	below, above     int // truth below the interval, above it
	degenerate       int // intervals of zero width
	sum, sumSq       float64
	reps             int
	// Of a paired difference: the studies whose interval is Student
	// t's on the replications' differences, and the summed widths of
	// the reported intervals and of t's.
	diff          bool
	sameT         int
	width, widthT float64
}

func (c *tally) add(e sim.Estimate, runs []float64) {
	c.studies++
	switch {
	case c.truth < e.Low:
		c.below++
	case c.truth > e.High:
		c.above++
	default:
		c.covered++
	}
	if e.Low == e.High {
		c.degenerate++
	}
	if c.diff {
		lo, hi, ok := meanIntervals[0].f(runs)
		if !ok {
			m, _, _ := moments(runs)
			lo, hi = m, m
		}
		near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b)) }
		if near(e.Low, lo) && near(e.High, hi) {
			c.sameT++
		}
		c.width += e.High - e.Low
		c.widthT += hi - lo
	}
	for _, x := range runs {
		c.sum += x
		c.sumSq += x * x
		c.reps++
	}
}

// line is one row of the table: coverage, its 95% binomial interval,
// where the misses lie, and the pooled mean of every replication against
// the truth (its bias, in standard errors of the pooled mean).
func (c *tally) line(label string, n int) string {
	lo, hi := clopperPearson(c.covered, c.studies)
	m := c.sum / float64(c.reps)
	sd := math.Sqrt((c.sumSq - float64(c.reps)*m*m) / float64(c.reps-1))
	se := sd / math.Sqrt(float64(c.reps))
	out := fmt.Sprintf("| %s | %s | %d | %d | %.1f%% | %.1f–%.1f%% | %d / %d | %d | %.5g | %.5g | %+.2f |",
		label, c.name, n, c.studies, 100*float64(c.covered)/float64(c.studies), 100*lo, 100*hi,
		c.below, c.above, c.degenerate, c.truth, m, (m-c.truth)/se)
	if c.diff {
		out += fmt.Sprintf(" %d/%d | ×%.3f |", c.sameT, c.studies, c.width/c.widthT)
	}
	return out
}

const (
	coverageHeader = "| case | figure | replications | studies | coverage | 95% interval | truth below / above | zero width | truth | pooled mean | bias (se) |"
	// diffHeader adds, for paired differences, the studies whose
	// reported interval is Student t's on the differences and the
	// reported width ÷ t's.
	diffHeader = coverageHeader + " Student t's | width ÷ t |"
)

// figure names a KPI of the summary, its truth, and how to read the
// per-replication value (for the pooled mean).
type figure struct {
	key   string
	truth float64
}

// coverageCase is one queue studied at several replication counts.
type coverageCase struct {
	label   string
	q       sim.Queue
	variant *sim.Variant // when set, figures are of the paired difference
	figures []figure
	studies int // at 5 replications; fewer at more
}

// studiesAt returns how many studies of n replications a case runs.
func (cc coverageCase) studiesAt(n int, f float64) int {
	s := float64(cc.studies) * f
	if n > 10 {
		s /= 2
	}
	return max(20, int(s))
}

// runCoverage runs cc's studies of n replications each, in parallel, and
// returns a tally per figure.
func runCoverage(t *testing.T, cc coverageCase, n, studies int) []*tally {
	t.Helper()
	tallies := make([]*tally, len(cc.figures))
	for i, f := range cc.figures {
		tallies[i] = &tally{name: f.key, truth: f.truth, diff: cc.variant != nil}
	}
	err := simulateStudies(cc, n, studies, cc.variant, func(_ int, res *sim.Result) error {
		sum := res.Summary.Variants[0]
		if cc.variant != nil {
			sum = res.Summary.Differences[0]
		}
		for fi, f := range cc.figures {
			tallies[fi].add(kpi(sum, f.key), perRun(res, f.key, cc.variant != nil))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tallies
}

// study returns study i of cc with n replications: its seed depends on
// both, so that studies of different sizes are independent.
func (cc coverageCase) study(n, i int) (sim.Scenario, capacity.Data, error) {
	q := cc.q
	q.Replications = n
	q.Seed = uint64(1_000_000*n + i + 1)
	return q.Study()
}

// simulateStudies simulates studies 0 … studies−1 of cc with n
// replications each, with variant beside the baseline when it is not nil,
// on GOMAXPROCS goroutines, and hands each result to consume one at a
// time (under a lock: consume may change what the caller tallies). It
// returns the first error of a study or of consume.
func simulateStudies(cc coverageCase, n, studies int, variant *sim.Variant, consume func(i int, res *sim.Result) error) error {
	var mu sync.Mutex
	return forEachParallel(studies, func(i int) error {
		s, d, err := cc.study(n, i)
		if err != nil {
			return err
		}
		if variant != nil {
			s.Variants = []sim.Variant{*variant}
		}
		res, err := sim.Simulate(s, d, sim.Options{Workers: 1})
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		return consume(i, res)
	})
}

// forEachParallel calls f(0), …, f(n−1) on GOMAXPROCS goroutines and
// returns the first error; after it no further call starts. f guards
// what it shares.
func forEachParallel(n int, f func(i int) error) error {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		next int
		fail error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				stop := i >= n || fail != nil
				mu.Unlock()
				if stop {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					fail = cmp.Or(fail, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return fail
}

// perRun returns the per-replication values of a KPI (or of its paired
// difference) as the summary averages them, from the runs' counts.
func perRun(res *sim.Result, key string, diff bool) []float64 {
	f := func(r *sim.Run) float64 {
		switch key {
		case "emergencyLostShare":
			return 100 * float64(r.EmergencyLost) / float64(r.EmergencyCalls)
		case "utilisation":
			return 100 * float64(r.OnSiteSeconds) / float64(r.WorkingSeconds)
		case "emergencyWaited":
			return 100 * float64(r.EmergencyWaited) / float64(r.EmergencyJobs)
		case "emergencyWaitMean":
			return float64(r.EmergencyWaitSec) / float64(r.EmergencyJobs) / 60
		}
		panic("perRun: no " + key)
	}
	var out []float64
	if !diff {
		for _, r := range res.Runs {
			out = append(out, f(r))
		}
		return out
	}
	for i := 0; i+1 < len(res.Runs); i += 2 { // (baseline, variant) per replication
		out = append(out, f(res.Runs[i+1])-f(res.Runs[i]))
	}
	return out
}

func reportCoverage(t *testing.T, cases []coverageCase, f float64) {
	if cases[0].variant != nil {
		t.Log(diffHeader)
	} else {
		t.Log(coverageHeader)
	}
	for _, cc := range cases {
		for _, n := range []int{5, 10, 30} {
			for _, tl := range runCoverage(t, cc, n, cc.studiesAt(n, f)) {
				t.Log(tl.line(cc.label, n))
			}
		}
	}
}

// lossFigures are M/M/c/c's exact figures at c servers and load a, in
// the units of the reports (%).
func lossFigures(c int, a float64) []figure {
	b := erlangB(c, a)
	return []figure{{"emergencyLostShare", 100 * b}, {"utilisation", 100 * a * (1 - b) / float64(c)}}
}

// waitFigures are M/M/c's: P(wait) in %, the mean wait in minutes.
func waitFigures(c int, a float64) []figure {
	pw := erlangC(c, a)
	return []figure{{"emergencyWaited", 100 * pw}, {"emergencyWaitMean", 60 * pw / (float64(c) - a)}}
}

// TestCoverageLoss: M/M/c/c, light and heavy, one to 300 servers.
func TestCoverageLoss(t *testing.T) {
	f := coverageOn(t, "loss")
	mmcc := func(c int, a float64, days int) sim.Queue {
		return sim.Queue{Servers: c, Erlangs: a, Days: days, WarmupDays: 1}
	}
	reportCoverage(t, []coverageCase{
		{label: "M/M/1/1, A = 0.5", q: mmcc(1, 0.5, 8), figures: lossFigures(1, 0.5), studies: 1000},
		{label: "M/M/5/5, A = 2", q: mmcc(5, 2, 8), figures: lossFigures(5, 2), studies: 1000},
		{label: "M/M/8/8, A = 2", q: mmcc(8, 2, 8), figures: lossFigures(8, 2), studies: 1000},
		{label: "M/M/20/20, A = 19", q: mmcc(20, 19, 8), figures: lossFigures(20, 19), studies: 1000},
		{label: "M/M/300/300, A = 285", q: mmcc(300, 285, 2), figures: lossFigures(300, 285), studies: 400},
	}, f)
}

// TestCoverageWait: M/M/c with the default warm-up (four relaxation
// times), and M/M/10 at A = 9.5 — the slowest to relax — with less.
func TestCoverageWait(t *testing.T) {
	f := coverageOn(t, "wait")
	mmc := func(c int, a float64, warmup int) sim.Queue {
		q := sim.Queue{Servers: c, Erlangs: a, WarmupDays: warmup, Patient: true}
		w := warmup
		if w == 0 {
			s, _, _ := sim.Queue{Servers: c, Erlangs: a, Days: 1000, Patient: true, Replications: 2}.Study()
			w = s.WarmupDays
		}
		q.Days = max(w, 0) + 7
		if c >= 100 {
			q.Days = max(w, 0) + 2
		}
		return q
	}
	reportCoverage(t, []coverageCase{
		{label: "M/M/3, A = 2.1", q: mmc(3, 2.1, 0), figures: waitFigures(3, 2.1), studies: 1000},
		{label: "M/M/20, A = 19", q: mmc(20, 19, 0), figures: waitFigures(20, 19), studies: 500},
		{label: "M/M/200, A = 190", q: mmc(200, 190, 0), figures: waitFigures(200, 190), studies: 300},
		{label: "M/M/10, A = 9.5", q: mmc(10, 9.5, 0), figures: waitFigures(10, 9.5), studies: 500},
		{label: "M/M/10, A = 9.5, 1-day warm-up", q: mmc(10, 9.5, 1), figures: waitFigures(10, 9.5), studies: 500},
		{label: "M/M/10, A = 9.5, no warm-up", q: mmc(10, 9.5, -1), figures: waitFigures(10, 9.5), studies: 500},
	}, f)
}

// TestCoverageDifferences: paired differences under common random
// numbers whose truth is exact — one technician more, and 10% more
// demand.
func TestCoverageDifferences(t *testing.T) {
	f := coverageOn(t, "diff")
	all := []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	plusOne := &sim.Variant{Name: "+1", Changes: []sim.Change{{AddTechnicians: &sim.AddTechnicians{Count: 1, Like: 1, Weekdays: all, From: "00:00", To: "24:00"}}}}
	more := 1.1
	busier := &sim.Variant{Name: "+10% demand", Changes: []sim.Change{{ScaleDemand: &more}}}
	delta := func(a, b []figure) []figure {
		out := make([]figure, len(a))
		for i := range a {
			out[i] = figure{a[i].key, b[i].truth - a[i].truth}
		}
		return out
	}
	reportCoverage(t, []coverageCase{
		{label: "M/M/5/5 → 6 servers, A = 2", q: sim.Queue{Servers: 5, Erlangs: 2, Days: 8, WarmupDays: 1}, variant: plusOne,
			figures: delta(lossFigures(5, 2), lossFigures(6, 2)), studies: 1000},
		{label: "M/M/20/20 → 21 servers, A = 19", q: sim.Queue{Servers: 20, Erlangs: 19, Days: 8, WarmupDays: 1}, variant: plusOne,
			figures: delta(lossFigures(20, 19), lossFigures(21, 19)), studies: 1000},
		{label: "M/M/20/20, A = 19 → 20.9", q: sim.Queue{Servers: 20, Erlangs: 19, Days: 8, WarmupDays: 1}, variant: busier,
			figures: delta(lossFigures(20, 19), lossFigures(20, 20.9)), studies: 1000},
		{label: "M/M/20 → 21 servers, A = 18", q: sim.Queue{Servers: 20, Erlangs: 18, Days: 14, WarmupDays: 7, Patient: true}, variant: plusOne,
			figures: delta(waitFigures(20, 18), waitFigures(21, 18)), studies: 500},
	}, f)
}

// optCase is one optimiser question on M/M/c/c: the fewest servers whose
// loss is at most target% at load a, over studies of days days (one of
// warm-up), judged at looks first…most.
type optCase struct {
	a, target   float64
	days        int
	first, most int
	runs        int
}

// TestCoverageOptimize: the optimiser's answer against the exact inverse
// of Erlang B, with the target a few percent from the loss of the answer
// or of one server fewer — where mistakes can happen. A false feasible
// answer has fewer servers than the inverse (its true loss misses the
// target); a dearer one has more, with the inverse a runner-up
// (undecided) or declared infeasible (a wrong verdict).
func TestCoverageOptimize(t *testing.T) {
	f := coverageOn(t, "opt")
	cases := []optCase{
		{a: 8, target: 5.0, days: 8, first: 8, most: 64, runs: 500},  // B(12) = 5.14%: 12 misses by 2.8%
		{a: 8, target: 5.3, days: 8, first: 8, most: 64, runs: 500},  // 12 meets it by 3%
		{a: 8, target: 5.0, days: 8, first: 4, most: 16, runs: 500},  // few replications
		{a: 20, target: 4.9, days: 8, first: 8, most: 64, runs: 300}, // B(25) = 5.02%
		{a: 2, target: 0.33, days: 8, first: 8, most: 64, runs: 500}, // B(7) = 0.344%
		{a: 2, target: 0.33, days: 3, first: 8, most: 64, runs: 500}, // the same over two measured days: 96 calls
		{a: 2, target: 0.33, days: 3, first: 4, most: 16, runs: 500},
	}
	t.Log("| A | target | days measured | looks | runs | c* (B) | c*−1 (B) | false feasible | 95% interval | dearer: runner-up / infeasible | no answer | mean replications |")
	for _, oc := range cases {
		want := inverseErlangB(oc.a, oc.target/100)
		servers := max(1, want-5)
		runs := max(20, int(float64(oc.runs)*f))
		var (
			mu                            sync.Mutex
			falseFeas, runnerUp, wrongInf int
			none, reps                    int
		)
		err := forEachParallel(runs, func(i int) error {
			spec, d := lossStudy(t, oc.a, oc.target, servers, 0, 10, oc.first, oc.most)
			spec.Scenario.Days = oc.days
			spec.Scenario.Seed = uint64(i + 1)
			res, err := sim.Optimize(spec, d, sim.OptimizeOptions{Workers: 1})
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			reps += res.Replications
			if res.Best < 0 {
				none++
				return nil
			}
			got := servers + res.Configurations[res.Best].Values[0]
			switch {
			case got < want:
				falseFeas++
			case got > want:
				if st := res.Configurations[want-servers].Status; st == "infeasible" {
					wrongInf++
				} else {
					runnerUp++
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := clopperPearson(falseFeas, runs)
		t.Logf("| %g | %g%% | %d | %d…%d | %d | %d (%.4g%%) | %d (%.4g%%) | %d (%.1f%%) | %.1f–%.1f%% | %d / %d | %d | %.0f |",
			oc.a, oc.target, oc.days-1, oc.first, oc.most, runs, want, 100*erlangB(want, oc.a), want-1, 100*erlangB(want-1, oc.a),
			falseFeas, 100*float64(falseFeas)/float64(runs), 100*lo, 100*hi, runnerUp, wrongInf, none, float64(reps)/float64(runs))
	}
}

// TestCoverageWaitLong: the mean wait of heavy M/M/c measured over many
// relaxation times instead of about two (TestCoverageWait's seven days).
func TestCoverageWaitLong(t *testing.T) {
	f := coverageOn(t, "long")
	t.Log(coverageHeader)
	for _, cc := range []coverageCase{
		{label: "M/M/20, A = 19, 28 days measured", q: sim.Queue{Servers: 20, Erlangs: 19, Days: 13 + 28, Patient: true}, figures: waitFigures(20, 19), studies: 300},
	} {
		for _, n := range []int{5, 10} {
			for _, tl := range runCoverage(t, cc, n, cc.studiesAt(n, f)) {
				t.Log(tl.line(cc.label, n))
			}
		}
	}
}

// The remedies for a skewed replication mean that TestCoverageSkew
// compares, each the 95% interval of the mean of xs (n ≥ 2, sd > 0).
// Every one is computed from the same studies as Student t's.
type meanInterval struct {
	name string
	f    func(xs []float64) (lo, hi float64, ok bool)
}

// moments returns the mean, the sample standard deviation (n − 1) and
// the sample skewness γ̂ = μ̂₃/s³ with Johnson's unbiased third moment
// μ̂₃ = n Σ(x − x̄)³ / ((n − 1)(n − 2)).
func moments(xs []float64) (m, s, g float64) {
	n := float64(len(xs))
	for _, x := range xs {
		m += x
	}
	m /= n
	var s2, s3 float64
	for _, x := range xs {
		d := x - m
		s2 += d * d
		s3 += d * d * d
	}
	s = math.Sqrt(s2 / (n - 1))
	if len(xs) > 2 && s > 0 {
		g = n * s3 / ((n - 1) * (n - 2)) / (s * s * s)
	}
	return m, s, g
}

func tq(n int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
}

var meanIntervals = []meanInterval{
	{"t", func(xs []float64) (float64, float64, bool) {
		m, s, _ := moments(xs)
		hw := tq(len(xs)) * s / math.Sqrt(float64(len(xs)))
		return m - hw, m + hw, s > 0
	}},
	// Johnson (1978): t₁ = T + a/6 + aT²/3 with T = √n(x̄ − μ)/s and
	// a = γ̂/√n, inverted approximately (T² ≈ t²): the t interval moved by
	// (a/6 + a t²/3)·s/√n.
	{"johnson", func(xs []float64) (float64, float64, bool) {
		m, s, g := moments(xs)
		n := float64(len(xs))
		t := tq(len(xs))
		a := g / math.Sqrt(n)
		se := s / math.Sqrt(n)
		shift := (a/6 + a*t*t/3) * se
		return m + shift - t*se, m + shift + t*se, s > 0
	}},
	// Hall (1992): Johnson's statistic made monotone by a cubic term,
	// g(T) = ((1 + aT/3)³ − 1)/a + a/6, inverted exactly.
	{"hall", func(xs []float64) (float64, float64, bool) {
		m, s, g := moments(xs)
		n := float64(len(xs))
		t := tq(len(xs))
		a := g / math.Sqrt(n)
		se := s / math.Sqrt(n)
		inv := func(y float64) float64 {
			if a == 0 {
				return y
			}
			return 3 / a * (math.Cbrt(1+a*(y-a/6)) - 1)
		}
		return m - inv(t)*se, m - inv(-t)*se, s > 0
	}},
	// Cox's interval for the mean of a log-normal quantity (x > 0):
	// exp(ȳ + s²/2 ± t √(s²/n + s⁴/(2(n − 1)))) for y = ln x.
	{"cox-log", func(xs []float64) (float64, float64, bool) {
		ys := make([]float64, len(xs))
		for i, x := range xs {
			if !(x > 0) {
				return 0, 0, false
			}
			ys[i] = math.Log(x)
		}
		m, s, _ := moments(ys)
		n := float64(len(xs))
		hw := tq(len(xs)) * math.Sqrt(s*s/n+s*s*s*s/(2*(n-1)))
		return math.Exp(m + s*s/2 - hw), math.Exp(m + s*s/2 + hw), s > 0
	}},
}

// skewTally counts each remedy's coverage of one figure.
type skewTally struct {
	name            string
	truth           float64
	studies         int
	covered, above  []int     // per remedy
	width           []float64 // summed widths per remedy
	failed          []int     // studies a remedy could not compute (then t's is used)
	reportedCovered int
	skewSum         float64
}

// TestCoverageSkew: the remedies for the mean wait's skew against
// Student t, on the same studies, for every figure of the wait cases.
func TestCoverageSkew(t *testing.T) {
	f := coverageOn(t, "skew")
	cases := []coverageCase{
		{label: "M/M/3, A = 2.1", q: waitQueue(3, 2.1), figures: waitFigures(3, 2.1), studies: 1000},
		{label: "M/M/20, A = 19", q: waitQueue(20, 19), figures: waitFigures(20, 19), studies: 500},
		{label: "M/M/200, A = 190", q: waitQueue(200, 190), figures: waitFigures(200, 190), studies: 300},
		{label: "M/M/10, A = 9.5", q: waitQueue(10, 9.5), figures: waitFigures(10, 9.5), studies: 500},
		{label: "M/M/20/20, A = 19", q: sim.Queue{Servers: 20, Erlangs: 19, Days: 8, WarmupDays: 1}, figures: lossFigures(20, 19), studies: 1000},
		{label: "M/M/5/5, A = 2", q: sim.Queue{Servers: 5, Erlangs: 2, Days: 8, WarmupDays: 1}, figures: lossFigures(5, 2), studies: 1000},
	}
	cases, reps := chosenCases(t, cases)
	head := "| case | figure | reps | studies | reported | mean skewness |"
	for _, mi := range meanIntervals {
		head += " " + mi.name + " (above; width ÷ t) |"
	}
	t.Log(head)
	for _, cc := range cases {
		for _, n := range reps {
			for _, st := range runSkew(t, cc, n, cc.studiesAt(n, f)) {
				row := fmt.Sprintf("| %s | %s | %d | %d | %.1f%% | %.2f |", cc.label, st.name, n, st.studies,
					100*float64(st.reportedCovered)/float64(st.studies), st.skewSum/float64(st.studies))
				for i := range meanIntervals {
					lo, hi := clopperPearson(st.covered[i], st.studies)
					row += fmt.Sprintf(" %.1f%% [%.1f–%.1f] (%d; %.3f)", 100*float64(st.covered[i])/float64(st.studies),
						100*lo, 100*hi, st.above[i], st.width[i]/st.width[0])
					if st.failed[i] > 0 {
						row += fmt.Sprintf(" %d failed", st.failed[i])
					}
					row += " |"
				}
				t.Log(row)
			}
		}
	}
}

func runSkew(t *testing.T, cc coverageCase, n, studies int) []*skewTally {
	t.Helper()
	out := make([]*skewTally, len(cc.figures))
	for i, f := range cc.figures {
		k := len(meanIntervals)
		out[i] = &skewTally{name: f.key, truth: f.truth, covered: make([]int, k), above: make([]int, k), width: make([]float64, k), failed: make([]int, k)}
	}
	err := simulateStudies(cc, n, studies, nil, func(_ int, res *sim.Result) error {
		for fi, f := range cc.figures {
			st := out[fi]
			e := kpi(res.Summary.Variants[0], f.key)
			xs := perRun(res, f.key, false)
			st.studies++
			if e.Low <= st.truth && st.truth <= e.High {
				st.reportedCovered++
			}
			_, _, g := moments(xs)
			st.skewSum += g
			tlo, thi, _ := meanIntervals[0].f(xs)
			for mi, m := range meanIntervals {
				lo, hi, ok := m.f(xs)
				if !ok {
					st.failed[mi]++
					lo, hi = tlo, thi
				}
				switch {
				case st.truth > hi:
					st.above[mi]++
				case st.truth >= lo:
					st.covered[mi]++
				}
				st.width[mi] += hi - lo
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// garwood is the exact one-sided-alpha bounds of a Poisson mean from k
// events.
func garwood(k, alpha float64) (lo, hi float64) {
	if k > 0 {
		lo = distuv.Gamma{Alpha: k, Beta: 1}.Quantile(alpha)
	}
	return lo, distuv.Gamma{Alpha: k + 1, Beta: 1}.Quantile(1 - alpha)
}

// TestCoverageRareDiff: the paired difference of a rare loss — one
// technician more at M/M/6/6, M/M/7/7 and M/M/8/8, A = 2 — against the
// exact difference of Erlang B, with the differences of M/M/5/5 and
// M/M/20/20, whose discordant events are many. On the same studies it
// computes, from each study's runs, Student t's interval on the paired
// differences; the hull of t's with the exact interval of the
// discordant events (Garwood's or Clopper–Pearson's on their rate,
// Clopper–Pearson's on the variant's part of them, each bound at 1.25%;
// the difference r(2q − 1) at the box's corners), always; and the rule
// of sim's differenceOf at each threshold of
// DISPATCH_COVERAGE_THRESHOLDS (10,25 by default): that hull when the
// pooled discordant events D = Σ|dᵢ| are fewer, or when t's interval has
// no width, else t's. The interval each study reports (Result.Summary)
// must be the rule's at sim's own threshold: a study where it is not
// fails the experiment. A second table gives t's and the hull's
// coverage by D, over every case and replication count.
func TestCoverageRareDiff(t *testing.T) {
	f := coverageOn(t, "rarediff")
	thresholds := []float64{10, 25}
	if s := os.Getenv("DISPATCH_COVERAGE_THRESHOLDS"); s != "" {
		thresholds = nil
		for _, w := range strings.Split(s, ",") {
			x, err := strconv.ParseFloat(w, 64)
			if err != nil || !(x > 0) {
				t.Fatalf("DISPATCH_COVERAGE_THRESHOLDS %q: want positive numbers of events", s)
			}
			thresholds = append(thresholds, x)
		}
	}
	shipped := slices.Index(thresholds, sim.RareEvents)
	if shipped < 0 {
		thresholds, shipped = append(thresholds, sim.RareEvents), len(thresholds)
	}
	rules := []string{"t", "hull"}
	for _, th := range thresholds {
		rules = append(rules, fmt.Sprintf("D < %g", th))
	}
	all := []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	plusOne := &sim.Variant{Name: "+1", Changes: []sim.Change{{AddTechnicians: &sim.AddTechnicians{Count: 1, Like: 1, Weekdays: all, From: "00:00", To: "24:00"}}}}
	keys := []string{"emergencyLostShare", "emergencyLost"}
	bands := []float64{0, 5, 10, 25, 50, math.Inf(1)}
	type ruleTally struct {
		covered, above, below, zero int
		hulled                      int // studies whose interval is not t's
		width                       float64
	}
	type bandTally struct{ studies, coveredT, aboveT, belowT, coveredHull int }
	byBand := make([][]bandTally, len(keys)) // [figure][band]
	for fi := range keys {
		byBand[fi] = make([]bandTally, len(bands)-1)
	}
	head := "| case | figure (truth) | reps | studies | mean D (min–max) | mixed-sign |"
	for _, r := range rules {
		head += " " + r + ": coverage [95%] (above / below; zero width) ×width of t, studies not t's |"
	}
	t.Log(head)
	type rc struct {
		c       int
		a       float64
		studies int
	}
	mismatch := 0
	for _, k := range []rc{{6, 2, 1000}, {7, 2, 1000}, {8, 2, 1000}, {5, 2, 600}, {20, 19, 600}} {
		dB := erlangB(k.c+1, k.a) - erlangB(k.c, k.a)
		truths := []float64{100 * dB, k.a * 24 * 7 * dB}
		cc := coverageCase{q: sim.Queue{Servers: k.c, Erlangs: k.a, Days: 8, WarmupDays: 1}, studies: k.studies}
		for _, n := range []int{5, 10, 30} {
			studies := cc.studiesAt(n, f)
			tallies := make([][]ruleTally, len(keys)) // [figure][rule]
			for fi := range keys {
				tallies[fi] = make([]ruleTally, len(rules))
			}
			var mixed int
			var sumD, minD, maxD float64 = 0, math.Inf(1), 0
			err := simulateStudies(cc, n, studies, plusOne, func(i int, res *sim.Result) error {
				// The runs alternate (baseline, variant) by replication.
				var ds [2][]float64 // per figure
				var pos, neg, calls float64
				for j := 0; j+1 < len(res.Runs); j += 2 {
					b, v := res.Runs[j], res.Runs[j+1]
					if b.EmergencyCalls != v.EmergencyCalls {
						return fmt.Errorf("study %d, replication %d: %d and %d emergency calls: not common random numbers", i, j/2, b.EmergencyCalls, v.EmergencyCalls)
					}
					ds[0] = append(ds[0], float64(v.EmergencyLost)/float64(v.EmergencyCalls)*100-float64(b.EmergencyLost)/float64(b.EmergencyCalls)*100)
					dl := float64(v.EmergencyLost - b.EmergencyLost)
					ds[1] = append(ds[1], dl)
					pos, neg = pos+max(dl, 0), neg+max(-dl, 0)
					calls += float64(b.EmergencyCalls)
				}
				D := pos + neg
				// The exact interval of the discordant events: rate r
				// and the variant's part q, each at 1.25% a side.
				qlo, qhi := 0.0, 1.0
				if D > 0 {
					qlo, qhi = sim.ClopperPearson(pos, D, 0.0125)
				}
				rs := [2][2]float64{}
				rs[0][0], rs[0][1] = sim.ClopperPearson(D, calls, 0.0125)
				rs[0][0], rs[0][1] = 100*rs[0][0], 100*rs[0][1]
				rs[1][0], rs[1][1] = garwood(D, 0.0125)
				rs[1][0], rs[1][1] = rs[1][0]/float64(n), rs[1][1]/float64(n)

				sumD += D
				minD, maxD = min(minD, D), max(maxD, D)
				if pos > 0 && neg > 0 {
					mixed++
				}
				band := 0
				for band+2 < len(bands) && D >= bands[band+1] {
					band++
				}
				for fi, key := range keys {
					tlo, thi, ok := meanIntervals[0].f(ds[fi])
					if !ok {
						m, _, _ := moments(ds[fi])
						tlo, thi = m, m
					}
					elo, ehi := math.Inf(1), math.Inf(-1)
					for _, r := range rs[fi] {
						for _, q := range []float64{qlo, qhi} {
							elo, ehi = min(elo, r*(2*q-1)), max(ehi, r*(2*q-1))
						}
					}
					ivs := [][2]float64{{tlo, thi}, {min(tlo, elo), max(thi, ehi)}}
					for _, th := range thresholds {
						if D < th || tlo == thi {
							ivs = append(ivs, ivs[1])
						} else {
							ivs = append(ivs, ivs[0])
						}
					}
					truth := truths[fi]
					for ri, iv := range ivs {
						rt := &tallies[fi][ri]
						switch {
						case truth > iv[1]:
							rt.above++
						case truth < iv[0]:
							rt.below++
						default:
							rt.covered++
						}
						if iv[0] == iv[1] {
							rt.zero++
						}
						if iv != ivs[0] {
							rt.hulled++
						}
						rt.width += iv[1] - iv[0]
					}
					bt := &byBand[fi][band]
					bt.studies++
					switch {
					case truth > ivs[0][1]:
						bt.aboveT++
					case truth < ivs[0][0]:
						bt.belowT++
					default:
						bt.coveredT++
					}
					if ivs[1][0] <= truth && truth <= ivs[1][1] {
						bt.coveredHull++
					}
					want, e := ivs[2+shipped], kpi(res.Summary.Differences[0], key)
					near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b)) }
					if !near(e.Low, want[0]) || !near(e.High, want[1]) {
						mismatch++
						if mismatch <= 5 {
							t.Errorf("M/M/%d/%d → %d, %d replications, study %d: %s reported [%g, %g], the rule at %g events gives [%g, %g] (D = %g)",
								k.c, k.c, k.c+1, n, i, key, e.Low, e.High, sim.RareEvents, want[0], want[1], D)
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for fi, key := range keys {
				row := fmt.Sprintf("| M/M/%d/%d → %d, A = %g | %s (%.4g) | %d | %d | %.1f (%g–%g) | %d |",
					k.c, k.c, k.c+1, k.a, key, truths[fi], n, studies, sumD/float64(studies), minD, maxD, mixed)
				for ri := range rules {
					rt := tallies[fi][ri]
					lo, hi := clopperPearson(rt.covered, studies)
					row += fmt.Sprintf(" %.1f%% [%.1f–%.1f] (%d / %d; %d) ×%.3f, %d |", 100*float64(rt.covered)/float64(studies), 100*lo, 100*hi,
						rt.above, rt.below, rt.zero, rt.width/tallies[fi][0].width, rt.hulled)
				}
				t.Log(row)
			}
		}
	}
	t.Log("")
	t.Log("| figure | pooled discordant events D | studies | Student t: coverage [95%] (above / below) | hull: coverage [95%] |")
	for fi, key := range keys {
		for bi, bt := range byBand[fi] {
			if bt.studies == 0 {
				continue
			}
			tl, th := clopperPearson(bt.coveredT, bt.studies)
			hl, hh := clopperPearson(bt.coveredHull, bt.studies)
			t.Logf("| %s | %g ≤ D < %g | %d | %.1f%% [%.1f–%.1f] (%d / %d) | %.1f%% [%.1f–%.1f] |", key, bands[bi], bands[bi+1], bt.studies,
				100*float64(bt.coveredT)/float64(bt.studies), 100*tl, 100*th, bt.aboveT, bt.belowT,
				100*float64(bt.coveredHull)/float64(bt.studies), 100*hl, 100*hh)
		}
	}
	if mismatch > 0 {
		t.Errorf("%d reported intervals are not the rule's at %g events", mismatch, sim.RareEvents)
	}
}

// coxHull is the candidate for the level of a mean wait or response:
// the hull of Student t's interval and Cox's log-normal one (the
// "cox-log" of meanIntervals) where every value is above zero, else t's.
func coxHull(xs []float64) (lo, hi float64, ok bool) {
	lo, hi, ok = meanIntervals[0].f(xs)
	if clo, chi, cok := meanIntervals[3].f(xs); cok {
		lo, hi, ok = min(lo, clo), max(hi, chi), true
	}
	return lo, hi, ok
}

// TestCoverageCox: Student t, Cox's log-normal interval and their hull
// for the mean wait of M/M/c, heavy and light, at 5, 10 and 30
// replications, on the same studies; P(wait), which the candidate does
// not touch, as control. The hull at N₀ = 5 is the hull column at every
// count; at N₀ = 10 it is t's at 5 and the hull's from 10. A row gives,
// per interval, coverage [Clopper–Pearson 95%] (truth above; mean width
// ÷ t's), and the studies the hull covers and t does not, with their
// interval: the hull's gain, measured on the same studies.
//
//	DISPATCH_COVERAGE=cox DISPATCH_COVERAGE_STUDIES=1 go test -run '^TestCoverageCox$' -v -timeout 2h ./sim/
//
// DISPATCH_COVERAGE_CASES and DISPATCH_COVERAGE_REPS select cases (by
// index) and replication counts, as for TestCoverageSkew.
func TestCoverageCox(t *testing.T) {
	f := coverageOn(t, "cox")
	cases := []coverageCase{
		{label: "M/M/3, A = 2.1 (heavy)", q: waitQueue(3, 2.1), figures: waitFigures(3, 2.1), studies: 4000},
		{label: "M/M/20, A = 19 (heavy)", q: waitQueue(20, 19), figures: waitFigures(20, 19), studies: 1500},
		{label: "M/M/200, A = 190 (heavy)", q: waitQueue(200, 190), figures: waitFigures(200, 190), studies: 600},
		{label: "M/M/10, A = 9.5 (heavy)", q: waitQueue(10, 9.5), figures: waitFigures(10, 9.5), studies: 2000},
		{label: "M/M/3, A = 1 (light)", q: waitQueue(3, 1), figures: waitFigures(3, 1), studies: 4000},
		{label: "M/M/20, A = 12 (moderate)", q: waitQueue(20, 12), figures: waitFigures(20, 12), studies: 3000},
	}
	cases, reps := chosenCases(t, cases)
	ivs := []meanInterval{meanIntervals[0], meanIntervals[3], {"hull", coxHull}}
	head := "| case | figure | reps | studies | reported | mean skewness | all > 0 |"
	for _, mi := range ivs {
		head += " " + mi.name + ": coverage [95%] (above; width ÷ t) |"
	}
	t.Log(head + " hull covers, t not [95%] | median width ÷ t: cox, hull | the largest hull's upper bound ÷ its mean (mean, bound) |")
	// The rows of the mean wait, for the decision rule.
	type verdictRow struct {
		label      string
		n          int
		heavy      bool
		t, hull    float64 // coverage, %
		widthRatio float64 // the hull's mean width ÷ t's
	}
	var verdict []verdictRow
	for _, cc := range cases {
		for _, n := range reps {
			studies := cc.studiesAt(n, f)
			start := time.Now()
			type ct struct {
				covered, above []int
				width          []float64
				ratios         [][]float64 // per interval, each study's width ÷ t's
				gain           int
				worst          [3]float64 // the largest hull's upper bound ÷ the study's mean, and that mean and bound
				reported, pos  int
				skew           float64
			}
			out := make([]ct, len(cc.figures))
			for i := range out {
				out[i] = ct{covered: make([]int, len(ivs)), above: make([]int, len(ivs)), width: make([]float64, len(ivs)), ratios: make([][]float64, len(ivs))}
			}
			err := simulateStudies(cc, n, studies, nil, func(_ int, res *sim.Result) error {
				for fi, fg := range cc.figures {
					o := &out[fi]
					xs := perRun(res, fg.key, false)
					if e := kpi(res.Summary.Variants[0], fg.key); e.Low <= fg.truth && fg.truth <= e.High {
						o.reported++
					}
					_, _, g := moments(xs)
					o.skew += g
					if !slices.ContainsFunc(xs, func(x float64) bool { return !(x > 0) }) {
						o.pos++
					}
					tlo, thi, _ := ivs[0].f(xs)
					cov := make([]bool, len(ivs))
					for mi, m := range ivs {
						lo, hi, ok := m.f(xs)
						if !ok {
							lo, hi = tlo, thi
						}
						switch {
						case fg.truth > hi:
							o.above[mi]++
						case fg.truth >= lo:
							o.covered[mi]++
							cov[mi] = true
						}
						o.width[mi] += hi - lo
						if thi > tlo {
							o.ratios[mi] = append(o.ratios[mi], (hi-lo)/(thi-tlo))
						}
					}
					if _, hi, ok := ivs[2].f(xs); ok {
						if m, _, _ := moments(xs); hi/m > o.worst[0] {
							o.worst = [3]float64{hi / m, m, hi}
						}
					}
					if cov[2] && !cov[0] {
						o.gain++
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for fi, fg := range cc.figures {
				o := out[fi]
				row := fmt.Sprintf("| %s | %s | %d | %d | %.1f%% | %.2f | %d |", cc.label, fg.key, n, studies,
					100*float64(o.reported)/float64(studies), o.skew/float64(studies), o.pos)
				for mi := range ivs {
					lo, hi := clopperPearson(o.covered[mi], studies)
					row += fmt.Sprintf(" %.1f%% [%.1f–%.1f] (%d; ×%.3f) |", 100*float64(o.covered[mi])/float64(studies),
						100*lo, 100*hi, o.above[mi], o.width[mi]/o.width[0])
				}
				glo, ghi := clopperPearson(o.gain, studies)
				row += fmt.Sprintf(" %d: +%.1f [%.1f–%.1f] |", o.gain, 100*float64(o.gain)/float64(studies), 100*glo, 100*ghi)
				for _, rs := range o.ratios[1:] {
					slices.Sort(rs)
					med := math.NaN()
					if len(rs) > 0 {
						med = rs[len(rs)/2]
					}
					row += fmt.Sprintf(" ×%.3f", med)
				}
				t.Log(row + fmt.Sprintf(" ×%.3g (%.4g, %.4g) |", o.worst[0], o.worst[1], o.worst[2]))
				if fg.key == "emergencyWaitMean" {
					verdict = append(verdict, verdictRow{cc.label, n, strings.Contains(cc.label, "(heavy)"),
						100 * float64(o.covered[0]) / float64(studies), 100 * float64(o.covered[2]) / float64(studies), o.width[2] / o.width[0]})
				}
			}
			t.Logf("(%s, %d replications: %.0f s)", cc.label, n, time.Since(start).Seconds())
		}
	}
	// The decision rule of the hull for the mean wait from N₀
	// replications on (t's below): (a) its coverage at least t's in every
	// row, (b) at least 3 points more than t's on average over the heavy
	// rows, (c) its mean width at most 1.5 times t's in every row.
	for _, n0 := range []int{5, 10} {
		var fails []string
		gain, heavy := 0.0, 0
		for _, r := range verdict {
			if r.n < n0 {
				continue
			}
			if r.hull < r.t {
				fails = append(fails, fmt.Sprintf("(a) %s at %d: %.1f%% < %.1f%%", r.label, r.n, r.hull, r.t))
			}
			if r.widthRatio > 1.5 {
				fails = append(fails, fmt.Sprintf("(c) %s at %d: ×%.3g", r.label, r.n, r.widthRatio))
			}
			if r.heavy {
				gain += r.hull - r.t
				heavy++
			}
		}
		if heavy > 0 {
			gain /= float64(heavy)
		}
		if gain < 3 {
			fails = append(fails, fmt.Sprintf("(b) +%.2f points over %d heavy rows", gain, heavy))
		}
		if len(fails) == 0 {
			t.Logf("N₀ = %d: ships (heavy rows +%.2f points on average over %d)", n0, gain, heavy)
			continue
		}
		t.Logf("N₀ = %d: fails (heavy rows +%.2f points on average over %d): %s", n0, gain, heavy, strings.Join(fails, "; "))
	}
}

// chosenCases returns the cases DISPATCH_COVERAGE_CASES names by index
// (all when unset) and the replication counts DISPATCH_COVERAGE_REPS
// lists (5, 10 and 30 when unset), for the skew and cox experiments.
func chosenCases(t *testing.T, cases []coverageCase) ([]coverageCase, []int) {
	t.Helper()
	if s := os.Getenv("DISPATCH_COVERAGE_CASES"); s != "" {
		var keep []coverageCase
		for _, w := range strings.Split(s, ",") {
			i, err := strconv.Atoi(w)
			if err != nil || i < 0 || i >= len(cases) {
				t.Fatalf("DISPATCH_COVERAGE_CASES %q: want indices 0…%d", s, len(cases)-1)
			}
			keep = append(keep, cases[i])
		}
		cases = keep
	}
	reps := []int{5, 10, 30}
	if s := os.Getenv("DISPATCH_COVERAGE_REPS"); s != "" {
		reps = nil
		for _, w := range strings.Split(s, ",") {
			n, err := strconv.Atoi(w)
			if err != nil || n < 3 {
				t.Fatalf("DISPATCH_COVERAGE_REPS %q", s)
			}
			reps = append(reps, n)
		}
	}
	return cases, reps
}

// waitQueue is M/M/c with patient callers at A erlangs, measured 7 days
// (2 from 100 servers) after the default warm-up, for the skew and cox
// experiments.
func waitQueue(c int, a float64) sim.Queue {
	s, _, _ := sim.Queue{Servers: c, Erlangs: a, Days: 1000, Patient: true, Replications: 2}.Study()
	q := sim.Queue{Servers: c, Erlangs: a, Patient: true, Days: s.WarmupDays + 7}
	if c >= 100 {
		q.Days = s.WarmupDays + 2
	}
	return q
}
