package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/bench"
	"github.com/opendispatch/dispatch/bench/compare"
)

func init() {
	register("bench", "run the benchmark suite; compare with an earlier run (benchstat)", runBench)
}

func runBench(e *env) error {
	fs := flagSet(e, "bench", "[--profile small|medium|large|enterprise|all] [--count N] [--bench REGEXP] [--benchtime D] [-o results.txt] [--compare old.txt]",
		"Runs the benchmark suite over synthetic tenants, each benchmark beside its baselines, and writes\n"+
			"standard Go benchmark output (benchstat reads it). With --compare, prints instead what\n"+
			"\"benchstat old.txt new.txt\" prints for old.txt and this run: medians ± 95% intervals, changes\n"+
			"where the U test finds them (p ≤ 0.05), geomeans; old.txt is read first and refused, its line\n"+
			"named, if it is not benchmark output. Track a change: dispatch bench -o old.txt; change;\n"+
			"dispatch bench --compare old.txt.",
		"dispatch bench --profile large --count 6 --bench 'Capacity/' -o old.txt")
	profile := fs.String("profile", "medium", "synth `profile`: small, medium, large, enterprise or all")
	count := intFlag(fs, "count", 1, 1, math.MaxInt, "run each benchmark `n` times (benchstat wants 6 or more)")
	pattern := fs.String("bench", ".", "run only benchmarks matching this `regexp`")
	benchtime := fs.String("benchtime", "1s", "time (or Nx iterations) per benchmark run")
	out := fs.String("o", "", "write the results to `file` as well as stdout")
	against := fs.String("compare", "", "compare with the results in `file`, as benchstat does")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if err := checkOut("o", *out); err != nil {
		return err
	}
	profiles := bench.Profiles()
	if *profile != "all" {
		ok := false
		for _, p := range profiles {
			ok = ok || p == *profile
		}
		if !ok {
			return usagef("--profile: %q is not one of %s or all", *profile, strings.Join(profiles, ", "))
		}
		profiles = []string{*profile}
	}
	re, err := regexp.Compile(*pattern)
	if err != nil {
		return usagef("--bench: %v", err)
	}
	suite := bench.Suite(profiles...)
	if !slices.ContainsFunc(suite, func(b bench.Benchmark) bool { return re.MatchString(b.Name) }) {
		return usagef("--bench: %q matches no benchmark of --profile %s (their names run like %s)", *pattern, *profile, suite[0].Name)
	}
	if *count < 1 {
		return usagef("--count: %d must be at least 1", *count)
	}
	// testing.Benchmark reads its time budget from the test flags.
	testing.Init()
	if err := flag.Set("test.benchtime", *benchtime); err != nil {
		return usagef("--benchtime: %q: %v", *benchtime, err)
	}
	// The file to compare with is read, and refused if it is not benchmark
	// results, before the benchmarks run.
	var set compare.Set
	if *against != "" {
		old, err := os.ReadFile(*against)
		if err != nil {
			return err
		}
		if err := set.Add(*against, old); err != nil {
			return err
		}
	}
	var results bytes.Buffer
	w := io.Writer(&results)
	if *against == "" {
		w = io.MultiWriter(e.stdout, &results)
	}
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\npkg: github.com/opendispatch/dispatch/bench\n", runtime.GOOS, runtime.GOARCH)
	if cpu := cpuName(); cpu != "" {
		fmt.Fprintf(w, "cpu: %s\n", cpu)
	}
	if err := bench.Run(w, suite, *count, re); err != nil {
		return err
	}
	if *out != "" {
		if err := writeOutput(e, *out, func(f io.Writer) error { _, err := f.Write(results.Bytes()); return err }); err != nil {
			return err
		}
	}
	if *against != "" {
		label := thisRun
		if *against == label { // a file called "this run": two columns all the same
			label += " (new)"
		}
		if err := set.Add(label, results.Bytes()); err != nil {
			return err
		}
		return set.WriteText(e.stdout)
	}
	return nil
}

// thisRun labels the new results' column of --compare, as a file name
// labels a column in benchstat.
const thisRun = "this run"

// cpuName is the processor's model name, for the benchmark header.
func cpuName() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
