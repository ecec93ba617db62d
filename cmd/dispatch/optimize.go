package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/validate"
)

// runOptimize is "dispatch simulate optimize": the least staffing that
// meets the targets of an optimize-scenario file.
func runOptimize(e *env) error {
	if len(e.args) > 1 && e.args[1] == "merge" {
		return runOptimizeMerge(e)
	}
	fs := flagSet(e, "simulate optimize", "--scenario FILE [--format text|json|html] [-o PATH] [--workers N] [--batch N] [--shard i/n] [--resume FILE] [--progress]\n       dispatch simulate optimize merge --scenario FILE [--format text|json|html] [-o PATH] PART.json...",
		"Finds the cheapest configuration of the file's levers, in technician-hours a week, that meets\n"+
			"every target with the stated confidence: configurations are examined in order of cost, each\n"+
			"judged by one-sided t tests after a few looks of replications under common random numbers (go\n"+
			"doc sim.Optimize has the procedure, its guarantee and its cost). Reports the answer with its\n"+
			"figures and intervals, the runners-up it could not separate from it, and the frontier (HTML).\n"+
			"--shard i/n runs a share of one round's replications and writes a partial result (json);\n"+
			"'merge' combines a round's parts: the answer when they settle it, else a partial result to\n"+
			"continue from with --resume. Results are identical for any --workers, --batch or sharding.",
		"dispatch simulate optimize --scenario staffing.json --format html -o staffing.html")
	path := fs.String("scenario", "", "optimize-scenario `file` (JSON; - for stdin); a relative tenant file in it is relative to it")
	format := fs.String("format", "text", "output `format`: text, json or html")
	out := fs.String("o", "", "output `path` (default stdout), replaced atomically; links are followed, devices and pipes written in place")
	workers := intFlag(fs, "workers", 0, 1, math.MaxInt, "`n` replications run in parallel, at least 1 (default: one per CPU)")
	batch := intFlag(fs, "batch", 0, 1, math.MaxInt, "`n` configurations a round may examine at once, at least 1 (default: --workers; shards of one round must agree)")
	shard := fs.String("shard", "", "run shard `i/n` of the next round and write a partial result (json)")
	resume := fs.String("resume", "", "continue from a partial `file` (a merged round)")
	progress := fs.Bool("progress", false, "report progress on stderr even when it is not a terminal")
	if err := parse(fs, e.args[1:], false); err != nil {
		return err
	}
	if err := checkOptFormat(*format); err != nil {
		return err
	}
	if err := checkOut("o", *out); err != nil {
		return err
	}
	if *path == "" {
		return usagef("--scenario: give the optimize-scenario file")
	}
	spec, base, err := loadOptimize(e, *path)
	if err != nil {
		return err
	}
	opt := sim.OptimizeOptions{Workers: *workers, Batch: *batch}
	if *shard != "" {
		var err error
		if opt.Shard, opt.Shards, err = parseShard(*shard, *format); err != nil {
			return err
		}
	}
	if *resume != "" {
		p, err := readOptimization(*resume)
		if err != nil {
			return err
		}
		opt.Prior = p
	}
	if *progress || isTerminal(e.stderr) {
		start := time.Now()
		opt.Progress = func(settled, total, reps int) {
			fmt.Fprintf(e.stderr, "dispatch simulate optimize: %d of %d configurations settled, %d replications, %v\n", settled, total, reps, time.Since(start).Round(100*time.Millisecond))
		}
	}
	res, err := sim.Optimize(spec, base, opt)
	if err != nil {
		if opt.Prior != nil {
			return namePart(err, []string{*resume})
		}
		return err
	}
	return writeOptimization(e, res, *format, *out)
}

func runOptimizeMerge(e *env) error {
	fs := flagSet(e, "simulate optimize merge", "--scenario FILE [--format text|json|html] [-o PATH] PART.json...",
		"Combines the partial results of one round of 'dispatch simulate optimize --shard i/n' (and the\n"+
			"result they continued from): the answer when their runs settle it, otherwise a partial result\n"+
			"(json) to continue from with --resume.",
		"dispatch simulate optimize merge --scenario staffing.json --format json -o round.json part-0.json part-1.json")
	path := fs.String("scenario", "", "the optimize-scenario `file` the parts ran")
	format := fs.String("format", "json", "output `format`: text, json or html")
	out := fs.String("o", "", "output `path` (default stdout), replaced atomically; links are followed, devices and pipes written in place")
	if err := parse(fs, e.args[2:], true); err != nil {
		return err
	}
	if err := checkOptFormat(*format); err != nil {
		return err
	}
	if err := checkOut("o", *out); err != nil {
		return err
	}
	if *path == "" {
		return usagef("--scenario: give the optimize-scenario file the parts ran")
	}
	if fs.NArg() == 0 {
		return usagef("no partial results given")
	}
	spec, base, err := loadOptimize(e, *path)
	if err != nil {
		return err
	}
	var parts []*sim.Optimization
	for _, p := range fs.Args() {
		o, err := readOptimization(p)
		if err != nil {
			return err
		}
		parts = append(parts, o)
	}
	res, err := sim.MergeOptimization(spec, base, parts...)
	if err != nil {
		return namePart(err, fs.Args())
	}
	if !res.Complete && *format != "json" {
		return fmt.Errorf("the parts do not settle the answer yet: write the merge as json and run another round with --resume")
	}
	return writeOptimization(e, res, *format, *out)
}

func checkOptFormat(f string) error {
	switch f {
	case "text", "json", "html":
		return nil
	}
	return usagef("--format: %q is not text, json or html", f)
}

// loadOptimize reads an optimize-scenario file (stdin for "-") and its
// base tenant.
func loadOptimize(e *env, path string) (sim.OptimizeSpec, capacity.Data, error) {
	data, name, err := readScenario(e, path)
	if err != nil {
		return sim.OptimizeSpec{}, capacity.Data{}, err
	}
	spec, err := sim.ParseOptimizeSpec(data)
	if err != nil {
		return sim.OptimizeSpec{}, capacity.Data{}, fmt.Errorf("%s: %w", name, err)
	}
	src := spec.Scenario.Tenant
	if src.File != "" && path != "-" && !filepath.IsAbs(src.File) {
		src.File = filepath.Join(filepath.Dir(path), src.File) // relative to the file
	}
	base, err := baseTenant(src)
	if err == nil {
		// Checked here (sim.Optimize checks them too) to name the file.
		err = spec.CheckTenant(base)
	}
	if err != nil {
		return sim.OptimizeSpec{}, capacity.Data{}, inScenario(name, "scenario.", err)
	}
	return spec, base, nil
}

func readOptimization(path string) (*sim.Optimization, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := wrongKind(path, data, "a partial optimize result (the json of 'dispatch simulate optimize --shard i/n' or of 'optimize merge')", "an optimize result"); err != nil {
		return nil, err
	}
	var o sim.Optimization
	if err := validate.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &o, nil
}

// writeOptimization writes the result in its format; warnings also go to
// stderr.
func writeOptimization(e *env, res *sim.Optimization, format, out string) error {
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "dispatch simulate optimize: warning: %s\n", w)
	}
	if !res.Complete && res.Shard == "" {
		fmt.Fprintf(e.stderr, "dispatch simulate optimize: the runs so far do not settle the answer: run another round of shards with --resume\n")
	}
	return writeOutput(e, out, func(w io.Writer) error {
		switch format {
		case "json":
			return sim.WriteOptimizeJSON(w, res)
		case "html":
			return sim.WriteOptimizeHTML(w, res)
		}
		return sim.WriteOptimizeText(w, res)
	})
}
