package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsNameTheFile: a merge part or a --resume file of the wrong kind
// is told in one line naming the file and what was expected; merge errors
// name the part's file, not its position; a result of another optimize
// scenario names its file; the scenario's checks against its tenant carry
// the scenario file's name and a JSON path (review 5 finding 11).
func TestErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := filepath.Join(dir, "a.json")
	if _, errOut, code := dispatchRun(t, "", "simulate", "--replications", "2", "--format", "json", "--shard", "0/2", "-o", a); code != 0 {
		t.Fatalf("shard: %s", errOut)
	}
	shard, _ := os.ReadFile(a)
	b := write("b.json", string(shard))
	demo, _ := filepath.Abs("../../testdata/tenants/demo.json")
	scen := write("s.json", `{"tenant": {"file": "`+demo+`"}, "start": "2027-03-08", "days": 14, "warmupDays": 7}`)
	spec := "../../sim/testdata/optimize/around-the-clock.json"
	p := filepath.Join(dir, "p.json")
	if _, errOut, code := dispatchRun(t, "", "simulate", "optimize", "--scenario", spec, "--format", "json", "--batch", "2", "--shard", "0/2", "-o", p); code != 0 {
		t.Fatalf("optimize shard: %s", errOut)
	}
	other := "../../sim/testdata/optimize/least-staffing.json"
	bad := func(name, text string) string { return write(name, text) }
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"merge the same shard twice", []string{"simulate", "merge", a, b}, b + ": it is shard 0/2 again: want each shard once"},
		{"merge a scenario", []string{"simulate", "merge", a, scen}, scen + ": it is a simulation scenario, not a partial simulation result"},
		{"merge an optimize result", []string{"simulate", "merge", p}, p + ": it is an optimize result, not a partial simulation result"},
		{"merge a tenant file", []string{"simulate", "merge", demo}, demo + ": it is a tenant file, not a partial simulation result"},
		{"resume a simulation result", []string{"simulate", "optimize", "--scenario", spec, "--resume", a}, a + ": it is a simulation result, not a partial optimize result"},
		{"resume an optimize scenario", []string{"simulate", "optimize", "--scenario", spec, "--resume", other}, other + ": it is an optimize scenario, not a partial optimize result"},
		{"optimize merge a simulation result", []string{"simulate", "optimize", "merge", "--scenario", spec, p, a}, a + ": it is a simulation result, not a partial optimize result"},
		{"resume another spec", []string{"simulate", "optimize", "--scenario", other, "--resume", p}, p + ": it is a result of another optimize scenario"},
		{"optimize merge another spec", []string{"simulate", "optimize", "merge", "--scenario", other, p}, p + ": it is a result of another optimize scenario"},
		{"unknown job type", []string{"simulate", "--scenario", bad("jt.json", `{"tenant": {"file": "`+demo+`"}, "start": "2027-03-08", "days": 14, "warmupDays": 7, "demand": {"callsPerDay": 5, "jobTypes": {"999": 1}, "emergencyShare": 0}}`)},
			"dispatch simulate: " + filepath.Join(dir, "jt.json") + ": demand.jobTypes.999: sim: unknown job type 999"},
		{"unknown technician", []string{"simulate", "--scenario", bad("rm.json", `{"tenant": {"file": "`+demo+`"}, "start": "2027-03-08", "days": 14, "warmupDays": 7, "variants": [{"name": "v", "changes": [{"removeTechnicians": {"ids": [99999]}}]}]}`)},
			"dispatch simulate: " + filepath.Join(dir, "rm.json") + ": variants[0].changes[0].removeTechnicians.ids[0]: sim: unknown technician 99999"},
		{"template start", []string{"simulate", "--scenario", bad("ts.json", `{"tenant": {"file": "`+demo+`"}, "start": "2027-03-08", "days": 14, "warmupDays": 7, "roster": {"templateStart": "2020-01-06", "templateWeeks": 1}}`)},
			"dispatch simulate: " + filepath.Join(dir, "ts.json") + ": roster.templateStart: sim: no "},
		{"profile", []string{"simulate", "--scenario", bad("pr.json", `{"tenant": {"profile": "nope"}, "start": "2027-03-08", "days": 14, "warmupDays": 7}`)},
			"dispatch simulate: " + filepath.Join(dir, "pr.json") + `: tenant.profile: synth: unknown profile "nope"`},
		{"missing tenant file", []string{"simulate", "--scenario", bad("mf.json", `{"tenant": {"file": "missing.json"}, "start": "2027-03-08", "days": 14, "warmupDays": 7}`)},
			"dispatch simulate: " + filepath.Join(dir, "mf.json") + ": tenant.file: "},
		{"optimize profile", []string{"simulate", "optimize", "--scenario", bad("op.json", `{"scenario": {"tenant": {"profile": "nope"}, "start": "2027-04-05", "days": 14, "warmupDays": 7}, "targets": [{"kpi": "bookingRate", "atLeast": 90}], "levers": [{"technicians": {"like": 101, "weekdays": ["Monday"], "from": "08:00", "to": "16:00", "min": 0, "max": 1}}]}`)},
			"dispatch simulate optimize: " + filepath.Join(dir, "op.json") + `: scenario.tenant.profile: synth: unknown profile "nope"`},
		{"optimize unknown technician", []string{"simulate", "optimize", "--scenario", bad("ot.json", `{"scenario": {"start": "2027-04-05", "days": 14, "warmupDays": 7}, "changes": [{"removeTechnicians": {"ids": [99999]}}], "targets": [{"kpi": "bookingRate", "atLeast": 90}], "levers": [{"technicians": {"like": 101, "weekdays": ["Monday"], "from": "08:00", "to": "16:00", "min": 0, "max": 1}}]}`)},
			"dispatch simulate optimize: " + filepath.Join(dir, "ot.json") + ": changes[0].removeTechnicians.ids[0]: sim: unknown technician 99999"},
	} {
		_, errOut, code := dispatchRun(t, "", tt.args...)
		if code != 1 || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr lacks %q in one line:\n%s", tt.name, code, tt.want, errOut)
		}
	}
}
