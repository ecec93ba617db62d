package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/sim"
)

func TestSimulate(t *testing.T) {
	dir := t.TempDir()
	one, errOut, code := dispatchRun(t, "", "simulate", "--replications", "4", "--format", "json", "--workers", "1")
	if code != 0 {
		t.Fatalf("simulate: %d %s", code, errOut)
	}
	four, _, _ := dispatchRun(t, "", "simulate", "--replications", "4", "--format", "json", "--workers", "4")
	if one != four {
		t.Fatal("--workers 1 and 4 give different JSON")
	}
	var parts []string
	for i := range 2 {
		p := filepath.Join(dir, fmt.Sprintf("part-%d.json", i))
		if _, errOut, code := dispatchRun(t, "", "simulate", "--replications", "4", "--format", "json", "--shard", fmt.Sprintf("%d/2", i), "-o", p); code != 0 {
			t.Fatalf("shard %d: %s", i, errOut)
		}
		parts = append(parts, p)
	}
	merged, errOut, code := dispatchRun(t, "", append([]string{"simulate", "merge", "--format", "json"}, parts...)...)
	if code != 0 || merged != one {
		t.Fatalf("merged shards differ from one run (exit %d, %s)", code, errOut)
	}
	text, _, code := dispatchRun(t, "", "simulate", "--replications", "4")
	if code != 0 || !strings.Contains(text, "booking rate") || !strings.Contains(text, "Δ +2") || !strings.Contains(text, "Where calls are lost") {
		t.Errorf("text report: exit %d\n%s", code, text)
	}
	html, _, code := dispatchRun(t, "", "simulate", "merge", "--format", "html", parts[0], parts[1])
	if code != 0 || !strings.Contains(html, "<svg") || !strings.Contains(html, "Baseline, replication 0") {
		t.Errorf("html report from merged shards: exit %d", code)
	}
	csv, _, code := dispatchRun(t, "", "simulate", "merge", "--format", "csv", parts[0], parts[1])
	if code != 0 || !strings.HasPrefix(csv, "variant,date,weekday,business_unit_id,") || strings.Count(csv, "\n") != 1+2*14*11 { // 2 variants × 14 measured days × 11 job types
		t.Errorf("csv from merged shards: exit %d, %d lines", code, strings.Count(csv, "\n"))
	}
	wins, _, code := dispatchRun(t, "", "simulate", "merge", "--format", "csv-windows", parts[0], parts[1])
	if code != 0 || !strings.HasPrefix(wins, "variant,business_unit_id,business_unit,pool,window,") || strings.Count(wins, "\n") != 1+2*4*4 { // 2 variants × 4 units × 4 windows
		t.Errorf("csv-windows from merged shards: exit %d, %d lines", code, strings.Count(wins, "\n"))
	}

	// A study with warnings: every format carries them, stderr too, and
	// --strict refuses it.
	far := filepath.Join(dir, "far.json")
	demo, _ := filepath.Abs("../../testdata/tenants/demo.json")
	os.WriteFile(far, []byte(`{"tenant": {"file": "`+demo+`"}, "start": "2027-06-01", "days": 10, "warmupDays": 7, "replications": 2, "variants": []}`), 0o644)
	out, errOut, code := dispatchRun(t, "", "simulate", "--scenario", far, "--format", "csv")
	if code != 0 || !strings.Contains(errOut, "dispatch simulate: warning: ") || !strings.Contains(errOut, "2027-06-01") || out == "" {
		t.Errorf("warnings on stderr: exit %d, %q", code, errOut)
	}
	_, errOut, code = dispatchRun(t, "", "simulate", "--scenario", far, "--strict")
	if code != 1 || !strings.Contains(errOut, "have no working time at all") {
		t.Errorf("--strict: exit %d, %q", code, errOut)
	}

	// A tenant file named relative to the scenario, in another directory.
	queue, _ := filepath.Abs("../../sim/testdata/around-the-clock.scenario.json")
	out, errOut, code = dispatchRun(t, "", "simulate", "--scenario", queue, "--replications", "2")
	if code != 0 || !strings.Contains(out, "+2 technicians") || !strings.Contains(out, "KPI / variant") {
		t.Errorf("around-the-clock scenario: exit %d %s", code, errOut)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"days": 3, "warmupDays": 5, "dispatch": {"policy": "coin"}}`), 0o644)
	unknown := filepath.Join(dir, "unknown.json")
	os.WriteFile(unknown, []byte(`{"demand": {"callsPerDay": 10, "emergencyShare": 0, "jobTypes": {"999": 1}}, "variants": [{"name": "v", "changes": [{"removeTechnicians": {"ids": [7]}}]}]}`), 0o644)
	caseKey := filepath.Join(dir, "case.json")
	os.WriteFile(caseKey, []byte(`{"Days": 3}`), 0o644)
	// A change that only applying it shows wrong (every demo unit has
	// its own ideal percentage): the error names the file, nothing is
	// written.
	ideal := filepath.Join(dir, "ideal.json")
	os.WriteFile(ideal, []byte(`{"days": 3, "warmupDays": 1, "replications": 2, "variants": [{"name": "v", "changes": [{"idealBookingPercentage": {"percentage": 60}}]}]}`), 0o644)
	idealOut := filepath.Join(dir, "ideal-report.html")
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"simulate", "--scenario", bad}, 1, "warmupDays: sim: 5 warm-up days must be at least 0 and fewer than the 3 days; dispatch.policy: sim: unknown policy \"coin\""},
		{[]string{"simulate", "--scenario", unknown}, 1, "demand.jobTypes.999: sim: unknown job type 999; variants[0].changes[0].removeTechnicians.ids[0]: sim: unknown technician 7"},
		{[]string{"simulate", "--scenario", caseKey}, 1, `Days: unknown field "Days"`},
		{[]string{"simulate", "--scenario", ideal, "--format", "html", "-o", idealOut}, 1, ideal + `: variants[0].changes[0].idealBookingPercentage: sim: every business unit has an ideal percentage of its own`},
		{[]string{"simulate", "--format", "pdf"}, 2, `--format: "pdf" is not text, json, html, csv or csv-windows`},
		{[]string{"simulate", "--shard", "2/2", "--format", "json"}, 2, `--shard: "2/2" is not i/n with 0 <= i < n`},
		{[]string{"simulate", "--shard", "0/2"}, 2, "--shard writes a partial result: use --format json"},
		{[]string{"simulate", "optimize", "--scenario", "../../sim/testdata/optimize/around-the-clock.json", "--format", "json", "--shard", "1/x"}, 2, `--shard: "1/x" is not i/n with 0 <= i < n`},
		{[]string{"simulate", "optimize", "--scenario", "../../sim/testdata/optimize/around-the-clock.json", "--shard", "0/2"}, 2, "--shard writes a partial result: use --format json"},
		{[]string{"simulate", "merge", parts[0]}, 1, "sim: shard 1/2 missing: give every part of the split"},
		{[]string{"simulate", "merge"}, 2, "no partial results given"},
		{[]string{"simulate", "merge", bad}, 1, `bad.json: it is a simulation scenario, not a partial simulation result`},
		{[]string{"simulate", "merge", caseKey}, 1, `case.json: sim: not a simulation result: it has no "scenario" or "runs" (its members: Days)`},
	} {
		_, errOut, code := dispatchRun(t, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tt.args, code, errOut, tt.code, tt.msg)
		}
	}
	if _, err := os.Stat(idealOut); !os.IsNotExist(err) {
		t.Errorf("a refused study wrote %s (%v)", idealOut, err)
	}
}

// TestScenarioStdin: --scenario - reads the scenario from stdin, as
// capacity's --request - does, and gives the answer of the same file;
// its errors are named "stdin". simulate optimize reads its file so too.
func TestScenarioStdin(t *testing.T) {
	s := sim.Default()
	s.Replications = 2
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(path, data, 0o644)
	want, errOut, code := dispatchRun(t, "", "simulate", "--scenario", path, "--format", "json", "--workers", "2")
	if code != 0 {
		t.Fatalf("--scenario FILE: exit %d, %s", code, errOut)
	}
	got, errOut, code := dispatchRun(t, string(data), "simulate", "--scenario", "-", "--format", "json", "--workers", "2")
	if code != 0 || got != want {
		t.Errorf("--scenario -: exit %d, %s; output differs from --scenario FILE: %v", code, errOut, got != want)
	}
	for _, args := range [][]string{{"simulate", "--scenario", "-"}, {"simulate", "optimize", "--scenario", "-"}} {
		_, errOut, code = dispatchRun(t, `{"replications": 1`, args...)
		if code != 1 || !strings.HasPrefix(errOut, "dispatch "+strings.Join(args[:len(args)-2], " ")+": stdin: ") {
			t.Errorf("%q with bad stdin: exit %d, %q; want 1 and an error named stdin", args, code, errOut)
		}
	}
}
