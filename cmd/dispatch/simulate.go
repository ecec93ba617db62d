package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

// maxReplications is the most replications a scenario may ask for
// (sim.ParseScenario's limit; TestReplicationsLimit keeps them equal).
const maxReplications = 100000

func init() {
	register("simulate", "run a what-if staffing simulation (default: the demo's two weeks, +2 technicians Tue/Thu)", runSimulate)
}

func runSimulate(e *env) error {
	if len(e.args) > 0 && e.args[0] == "merge" {
		return runMerge(e)
	}
	if len(e.args) > 0 && e.args[0] == "optimize" {
		return runOptimize(e)
	}
	fs := flagSet(e, "simulate", "[--scenario FILE] [--format text|json|html|csv|csv-windows] [-o PATH] [--replications N] [--seed N] [--workers N] [--shard i/n] [--strict]\n       dispatch simulate merge [--format text|json|html|csv|csv-windows] [-o PATH] PART.json...\n       dispatch simulate optimize --scenario FILE ... (dispatch simulate optimize -h)",
		"Simulates the scenario's baseline and variants and reports KPIs with 95% confidence intervals,\n"+
			"paired differences, and why calls are lost (by reason, job type, business unit, zone and day).\n"+
			"Without --scenario it runs the embedded default on the demo tenant: a week of warm-up and two\n"+
			"measured weeks from 2027-03-08, baseline against two extra technicians on Tuesdays and Thursdays,\n"+
			"30 replications. --format csv writes the per-day x business-unit x job-type table, csv-windows\n"+
			"the business-unit x arrival-window capacity and fill.\n"+
			"Warnings (a business day without working time, a warm-up shorter than the booking horizon) appear\n"+
			"in every format and on stderr; --strict makes them an error. Results are identical for any\n"+
			"--workers. --shard i/n runs a deterministic share of the replications and writes a partial JSON\n"+
			"result; 'dispatch simulate merge' combines the parts into exactly the result of one run.",
		"dispatch simulate --format html -o report.html")
	scenarioPath := fs.String("scenario", "", "scenario `file` (JSON; - for stdin; default: the built-in scenario); a relative tenant file in it is relative to the scenario")
	format := fs.String("format", "text", "output `format`: text, json, html, csv or csv-windows")
	strict := fs.Bool("strict", false, "refuse to run a study with warnings")
	out := fs.String("o", "", "output `path` (default stdout), replaced atomically; links are followed, devices and pipes written in place")
	reps := intFlag(fs, "replications", 0, 2, maxReplications, "override the scenario's replication `count`, 2 to 100000 (intervals need two)")
	seed := intFlag[uint64](fs, "seed", 0, 0, math.MaxUint64, "override the scenario's `seed` (0 is a seed like any other)")
	workers := intFlag(fs, "workers", 0, 1, math.MaxInt, "`n` replications run in parallel, at least 1 (default: one per CPU)")
	shard := fs.String("shard", "", "run shard `i/n` of the replications and write a partial result (json)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if err := checkOut("o", *out); err != nil {
		return err
	}
	s := sim.Default()
	name := "" // the scenario file's, in front of its errors
	if *scenarioPath != "" {
		data, n, err := readScenario(e, *scenarioPath)
		name = n
		if err != nil {
			return err
		}
		if s, err = sim.ParseScenario(data); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if given(fs, "replications") {
		s.Replications = *reps
	}
	if given(fs, "seed") {
		s.Seed = *seed
	}
	opt := sim.Options{Workers: *workers, Strict: *strict, Board: *format == "html"}
	if *shard != "" {
		var err error
		if opt.Shard, opt.Shards, err = parseShard(*shard, *format); err != nil {
			return err
		}
	}
	src := s.Tenant
	if src.File != "" && *scenarioPath != "" && *scenarioPath != "-" && !filepath.IsAbs(src.File) {
		src.File = filepath.Join(filepath.Dir(*scenarioPath), src.File) // relative to the scenario file
	}
	base, err := baseTenant(src)
	if err == nil {
		// The scenario's references to the tenant's records, checked
		// here (sim.Simulate checks them too) to name the file.
		err = s.CheckTenant(base)
	}
	if err != nil {
		return inScenario(name, "", err)
	}
	if isTerminal(e.stderr) {
		start := time.Now()
		opt.Progress = func(done, total int) {
			el := time.Since(start)
			eta := time.Duration(float64(el) / float64(done) * float64(total-done))
			fmt.Fprintf(e.stderr, "\rreplications %d/%d  elapsed %v  remaining ~%v   ", done, total, el.Round(100*time.Millisecond), eta.Round(100*time.Millisecond))
			if done == total {
				fmt.Fprintln(e.stderr)
			}
		}
	}
	res, err := sim.Simulate(s, base, opt)
	if err != nil {
		// A variant's changes are checked against the tenant as they
		// are applied: name the file they are in.
		return inScenario(name, "", err)
	}
	return writeResult(e, res, *format, *out)
}

// readScenario reads the --scenario file at path, or stdin for "-" (a
// relative tenant file in it is then relative to the working directory),
// and returns its contents and the name its errors go under.
func readScenario(e *env, path string) (data []byte, name string, err error) {
	if path == "-" {
		data, err = io.ReadAll(e.stdin)
		return data, "stdin", err
	}
	data, err = os.ReadFile(path)
	return data, path, err
}

// parseShard reads a --shard flag "i/n" (0 <= i < n); a shard writes a
// partial result, so only as json.
func parseShard(shard, format string) (i, n int, err error) {
	is, ns, ok := strings.Cut(shard, "/")
	a, err1 := parseInt("shard", is, 0, math.MaxInt)
	b, err2 := parseInt("shard", ns, 1, math.MaxInt)
	if !ok || err1 != nil || err2 != nil || a >= b {
		return 0, 0, usagef("--shard: %q is not i/n with 0 <= i < n", shard)
	}
	if format != "json" {
		return 0, 0, usagef("--shard writes a partial result: use --format json")
	}
	return a, b, nil
}

func checkFormat(f string) error {
	switch f {
	case "text", "json", "html", "csv", "csv-windows":
		return nil
	}
	return usagef("--format: %q is not text, json, html, csv or csv-windows", f)
}

// writeResult writes the result in its format; warnings also go to
// stderr, so that no format hides them.
func writeResult(e *env, res *sim.Result, format, out string) error {
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "dispatch simulate: warning: %s\n", w)
	}
	return writeOutput(e, out, func(w io.Writer) error {
		switch format {
		case "json":
			return sim.WriteJSON(w, res)
		case "html":
			return sim.WriteHTML(w, res)
		case "csv":
			return sim.WriteCSV(w, res)
		case "csv-windows":
			return sim.WriteUnitWindowsCSV(w, res)
		}
		return sim.WriteText(w, res)
	})
}

// inScenario puts the scenario file's name (none for the built-in
// scenario) and, for a *tenantError, the JSON path of its tenant (under
// prefix, "" for a scenario file) in front of err.
func inScenario(name, prefix string, err error) error {
	var te *tenantError
	if errors.As(err, &te) {
		err = fmt.Errorf("%s%s: %w", prefix, te.path, te.err)
	}
	if name == "" {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// A tenantError is a failure to load a scenario's base tenant, at path
// ("tenant.profile" or "tenant.file") within the scenario.
type tenantError struct {
	path string
	err  error
}

func (e *tenantError) Error() string { return e.path + ": " + e.err.Error() }
func (e *tenantError) Unwrap() error { return e.err }

// baseTenant loads the scenario's base tenant; its errors are
// *tenantError.
func baseTenant(src sim.TenantSource) (capacity.Data, error) {
	if src.Profile != "" {
		p, err := synth.ProfileNamed(src.Profile)
		if err != nil {
			return capacity.Data{}, &tenantError{"tenant.profile", err}
		}
		f, err := synth.Generate(p, max(src.Seed, 1))
		if err != nil {
			return capacity.Data{}, err
		}
		t, err := tenant.Build(f)
		if err != nil {
			return capacity.Data{}, err
		}
		return t.Engine.Data(), nil
	}
	t, err := loadTenant(src.File)
	if err != nil {
		return capacity.Data{}, &tenantError{"tenant.file", err}
	}
	return t.Engine.Data(), nil
}

func runMerge(e *env) error {
	fs := flagSet(e, "simulate merge", "[--format text|json|html|csv|csv-windows] [-o PATH] PART.json...",
		"Combines the partial results of 'dispatch simulate --shard i/n' into the result of one run.",
		"dispatch simulate merge --format text part-0.json part-1.json")
	format := fs.String("format", "json", "output `format`: text, json, html, csv or csv-windows")
	out := fs.String("o", "", "output `path` (default stdout), replaced atomically; links are followed, devices and pipes written in place")
	if err := parse(fs, e.args[1:], true); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if err := checkOut("o", *out); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("no partial results given")
	}
	var parts []*sim.Result
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := wrongKind(path, data, "a partial simulation result (the json of 'dispatch simulate --shard i/n')", "a simulation result"); err != nil {
			return err
		}
		p, err := sim.ParseResult(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		parts = append(parts, p)
	}
	res, err := sim.Merge(parts...)
	if err != nil {
		return namePart(err, fs.Args())
	}
	if *format == "html" {
		// The dispatch board comes from replication 0's engine, which a
		// partial result does not carry: rerun that one replication.
		base, err := baseTenant(res.Scenario.Tenant)
		if err != nil {
			return err
		}
		s := res.Scenario
		one, err := sim.Simulate(s, base, sim.Options{Shard: 0, Shards: s.Replications, Workers: 1, Board: true})
		if err != nil {
			return err
		}
		res.Board = one.Board
	}
	return writeResult(e, res, *format, *out)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
