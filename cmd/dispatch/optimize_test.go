package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOptimize runs dispatch simulate optimize on the around-the-clock
// line: the same JSON for any --workers and for shards merged round after
// round with --resume; text and HTML reports; errors with the file and
// the JSON path.
func TestOptimize(t *testing.T) {
	dir := t.TempDir()
	spec := "../../sim/testdata/optimize/around-the-clock.json"
	one, errOut, code := dispatchRun(t, "", "simulate", "optimize", "--scenario", spec, "--format", "json", "--workers", "1")
	if code != 0 {
		t.Fatalf("optimize: %d %s", code, errOut)
	}
	two, _, _ := dispatchRun(t, "", "simulate", "optimize", "--scenario", spec, "--format", "json", "--workers", "2", "--batch", "3")
	if one != two {
		t.Fatal("--workers 1 and 2 give different JSON")
	}
	state := ""
	for round := 0; ; round++ {
		if round > 30 {
			t.Fatal("sharded rounds do not finish")
		}
		var parts []string
		for i := range 2 {
			p := filepath.Join(dir, fmt.Sprintf("round-%d-part-%d.json", round, i))
			args := []string{"simulate", "optimize", "--scenario", spec, "--format", "json", "--batch", "2", "--shard", fmt.Sprintf("%d/2", i), "-o", p}
			if state != "" {
				args = append(args, "--resume", state)
			}
			if _, errOut, code := dispatchRun(t, "", args...); code != 0 {
				t.Fatalf("round %d shard %d: %s", round, i, errOut)
			}
			parts = append(parts, p)
		}
		merged := filepath.Join(dir, fmt.Sprintf("round-%d.json", round))
		if _, errOut, code := dispatchRun(t, "", append([]string{"simulate", "optimize", "merge", "--scenario", spec, "-o", merged}, parts...)...); code != 0 {
			t.Fatalf("merge of round %d: %s", round, errOut)
		}
		data, _ := os.ReadFile(merged)
		if strings.Contains(string(data), `"complete": true`) {
			if string(data) != one {
				t.Fatal("merged shards differ from one run")
			}
			break
		}
		state = merged
	}
	text, _, code := dispatchRun(t, "", "simulate", "optimize", "--scenario", spec)
	if code != 0 || !strings.Contains(text, "ANSWER: +6 Emergency line technicians every day 00:00–24:00") || !strings.Contains(text, "Runners-up") {
		t.Errorf("text report: exit %d\n%s", code, text)
	}
	html, _, code := dispatchRun(t, "", "simulate", "optimize", "--scenario", spec, "--format", "html")
	if code != 0 || !strings.Contains(html, "<svg") || !strings.Contains(html, "The frontier") || !strings.Contains(html, "Cost against emergencyLostShare") {
		t.Errorf("html report: exit %d", code)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"scenario": {"days": 0}, "targets": [{"kpi": "x", "atMost": 1}], "levers": [{}]}`), 0o644)
	_, errOut, code = dispatchRun(t, "", "simulate", "optimize", "--scenario", bad)
	for _, want := range []string{bad + ":", "scenario.days:", `targets[0].kpi: sim: unknown figure "x"`, "levers[0]: sim: a lever sets exactly one of"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("bad file: exit %d, stderr lacks %q: %s", code, want, errOut)
		}
	}
	if _, errOut, code := dispatchRun(t, "", "simulate", "optimize", "--scenario", spec, "--shard", "0/2"); code != 2 || !strings.Contains(errOut, "--format json") {
		t.Errorf("--shard without json: exit %d %s", code, errOut)
	}
}

// TestOptimizeBelowRoster: the README's example answers with fewer
// technicians than rostered, under its fixed change, in the tenant's
// words.
func TestOptimizeBelowRoster(t *testing.T) {
	text, errOut, code := dispatchRun(t, "", "simulate", "optimize", "--scenario", "../../sim/testdata/optimize/least-staffing.json")
	if code != 0 {
		t.Fatalf("optimize: exit %d %s", code, errOut)
	}
	for _, want := range []string{
		"Every configuration under: demand ×0.8.",
		"ANSWER: −2 HVAC Service technicians Mon–Fri 07:00–17:00, −2 Plumbing technicians Mon–Fri 07:00–17:00\n",
		"Cost 1023 technician-hours a week (the roster as it is: 1218, −16%)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
}
