package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// dispatchRun runs one command line in-process.
func dispatchRun(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/dispatch -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test ./cmd/dispatch -update after checking the change)\n--- got (first 2000 bytes):\n%.2000s", path, got)
	}
}

// demoCopy writes the demo tenant to a temporary file, for commands that
// change it.
func demoCopy(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "demo.json")
	if err := os.WriteFile(path, dispatch.DemoTenant, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"capacity-default.json", "", []string{"capacity"}},
		{"capacity-flags.json", "", []string{"capacity", "--from", "2027-03-09", "--to", "2027-03-10", "--job-type", "103", "--skill-based", "--zip", "80202"}},
		{"capacity-dst.json", "", []string{"capacity", "--from", "2027-03-12T00:00:00-07:00", "--to", "2027-03-16T00:00:00-06:00", "--business-units", "2"}},
		{"capacity-stdin.json", `{"startsOnOrAfter":"2027-03-19T00:00:00-06:00","endsOnOrBefore":"2027-03-20T00:00:00-06:00","jobTypeId":302,"skillBasedAvailability":true}`, []string{"capacity", "--request", "-"}},
		{"shifts.json", "", []string{"shifts", "--starts-on-or-after", "2027-03-15T00:00:00-06:00", "--page-size", "4", "--page", "2"}},
		{"assignments.json", "", []string{"assignments", "--technician", "101", "--page-size", "3"}},
		{"zones.json", "", []string{"zones"}},
		{"hours.json", "", []string{"hours"}},
		{"gps.json", "", []string{"gps", "--technician", "202", "--from", "2027-03-09T15:00:00Z", "--to", "2027-03-09T16:00:00Z"}},
		{"board.html", "", []string{"board", "--date", "2027-03-09"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := dispatchRun(t, tt.stdin, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if strings.HasSuffix(tt.name, ".json") && !json.Valid([]byte(out)) {
				t.Fatalf("output is not JSON: %.300s", out)
			}
			golden(t, tt.name, out)
		})
	}
}

func TestAssignUnassignFile(t *testing.T) {
	path := demoCopy(t)
	out, errOut, code := dispatchRun(t, "", "assign", "--tenant", path, "--appointment", "5001", "--technicians", "102", "--now", "2027-03-30T10:00:00-06:00", "--by", "Test")
	if code != 0 {
		t.Fatalf("assign: exit %d, %s", code, errOut)
	}
	golden(t, "assign.json", out)
	// The change is in the file, which still loads.
	out, _, code = dispatchRun(t, "", "assignments", "--tenant", path, "--technician", "102", "--modified-on-or-after", "2027-03-30T10:00:00-06:00")
	if code != 0 || !strings.Contains(out, `"jobAppointmentId": 5001`) || !strings.Contains(out, `"totalCount": 1`) {
		t.Fatalf("the assignment is not in the file: exit %d\n%s", code, out)
	}
	_, errOut, code = dispatchRun(t, "", "unassign", "--tenant", path, "--appointment", "5001", "--technicians", "102", "--now", "2027-03-30T11:00:00-06:00")
	if code != 0 {
		t.Fatalf("unassign: exit %d, %s", code, errOut)
	}
	before, _ := os.ReadFile(path)
	_, errOut, code = dispatchRun(t, "", "unassign", "--tenant", path, "--appointment", "5001", "--technicians", "102")
	if code != 1 || !strings.Contains(errOut, "technician 102 is not assigned to appointment 5001") {
		t.Errorf("second unassign: exit %d, %q; want 1 and the conflict", code, errOut)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a failed unassign changed the tenant file")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for _, p := range []string{a, b} {
		if _, errOut, code := dispatchRun(t, "", "generate", "--profile", "small", "--seed", "7", "-o", p); code != 0 {
			t.Fatalf("generate: %d %s", code, errOut)
		}
	}
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if !bytes.Equal(x, y) {
		t.Fatal("two generations differ")
	}
	golden(t, "generate-small-7.sha256", fmt.Sprintf("%x\n", sha256.Sum256(x)))
	out, _, code := dispatchRun(t, "", "generate", "--profile", "small", "--seed", "7")
	if code != 0 || out != string(x) {
		t.Error("stdout output differs from -o output")
	}
}

// TestLargeTenant runs every read command and an assignment over a large
// synthetic tenant (1,000 technicians).
func TestLargeTenant(t *testing.T) {
	if testing.Short() {
		t.Skip("large tenant")
	}
	path := filepath.Join(t.TempDir(), "large.json")
	if _, errOut, code := dispatchRun(t, "", "generate", "--profile", "large", "--seed", "1", "-o", path); code != 0 {
		t.Fatal(errOut)
	}
	for _, args := range [][]string{
		{"capacity", "--tenant", path},
		{"capacity", "--tenant", path, "--from", "2027-03-08", "--to", "2027-03-22", "--job-type", "101", "--skill-based", "--zip", "80003"},
		{"shifts", "--tenant", path, "--page", "3", "--page-size", "500"},
		{"assignments", "--tenant", path, "--technician", "1500"},
		{"zones", "--tenant", path},
		{"hours", "--tenant", path},
		{"gps", "--tenant", path, "--technician", "1001", "--from", "2027-03-08T00:00:00Z", "--to", "2027-03-09T12:00:00Z"},
		{"board", "--tenant", path, "--date", "2027-03-16"},
		{"assign", "--tenant", path, "--appointment", "50001", "--technicians", "1002,1003"},
	} {
		out, errOut, code := dispatchRun(t, "", args...)
		if code != 0 || len(out) == 0 {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
}

// TestBadInput gives one case per class of bad input: its exit status and
// the message on stderr.
func TestBadInput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"version": 1, "tenant": "x", "timeZone": "Mars/Base", "technicians": [{"id": 1, "name": "A", "businessUnitId": 9}], "colour": 1}`), 0o644)
	bad2 := filepath.Join(t.TempDir(), "bad2.json")
	os.WriteFile(bad2, []byte(`{"version": 1, "tenant": "x", "timeZone": "Mars/Base", "technicians": [{"id": 1, "name": "A", "businessUnitId": 9}]}`), 0o644)
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"no command", "", nil, 2, ""},
		{"unknown command", "", []string{"frobnicate"}, 2, `dispatch: unknown command "frobnicate"`},
		{"unknown flag", "", []string{"capacity", "--colour", "red"}, 2, "dispatch capacity: flag provided but not defined: -colour"},
		{"stray argument", "", []string{"zones", "extra"}, 2, `dispatch zones: unexpected argument "extra"`},
		{"half a range", "", []string{"capacity", "--from", "2027-03-09"}, 2, "dispatch capacity: --from and --to go together"},
		{"bad date flag", "", []string{"capacity", "--from", "tuesday", "--to", "2027-03-10"}, 2, `--from: "tuesday" is neither an RFC 3339 date-time nor a date YYYY-MM-DD`},
		{"bad id list", "", []string{"capacity", "--from", "2027-03-09", "--to", "2027-03-10", "--business-units", "1,x"}, 2, `--business-units: "x" is not a positive integer`},
		{"request and flags", "", []string{"capacity", "--request", "-", "--zip", "80202"}, 2, "--request and the request flags are mutually exclusive"},
		{"gps without flags", "", []string{"gps"}, 2, "--technician, --from and --to are required"},
		{"assign without tenant", "", []string{"assign", "--appointment", "1", "--technicians", "2"}, 2, "--tenant, --appointment and --technicians are required"},
		{"unknown profile", "", []string{"generate", "--profile", "huge"}, 2, `synth: unknown profile "huge" (want one of small, medium, large, enterprise)`},
		{"missing tenant file", "", []string{"zones", "--tenant", "/nonexistent/t.json"}, 1, "open /nonexistent/t.json: no such file or directory"},
		{"tenant with unknown field", "", []string{"zones", "--tenant", bad}, 1, `colour: tenant: unknown field "colour"`},
		{"tenant with every problem", "", []string{"zones", "--tenant", bad2}, 1, `timeZone: hours: unknown time zone "Mars/Base"; technicians[0].businessUnitId: capacity: unknown business unit 9`},
		{"malformed request", `{"startsOnOrAfter": 1}`, []string{"capacity", "--request", "-"}, 1, "startsOnOrAfter: capacity: request: startsOnOrAfter must be a string, not the number 1"},
		{"unknown request field", `{"startsOnOrAfter":"2027-03-09T00:00:00Z","endsOnOrBefore":"2027-03-10T00:00:00Z","colour":1}`, []string{"capacity", "--request", "-"}, 1, `colour: capacity: request: unknown field "colour"`},
		{"unknown job type", "", []string{"capacity", "--from", "2027-03-09", "--to", "2027-03-10", "--job-type", "999"}, 1, "jobTypeId: capacity: unknown job type 999"},
		{"range too long", "", []string{"capacity", "--from", "2027-03-01", "--to", "2027-04-15"}, 1, "endsOnOrBefore: capacity: the range is 45 days; at most 31 days may be asked at once: split the request"},
		{"skills without job type", "", []string{"capacity", "--from", "2027-03-09", "--to", "2027-03-10", "--skill-based"}, 1, "skillBasedAvailability: capacity: skillBasedAvailability needs a jobTypeId"},
		{"page size above 500", "", []string{"shifts", "--page-size", "501"}, 1, "pageSize: paging: pageSize 501 is above the maximum 500"},
		{"bad time filter", "", []string{"assignments", "--modified-on-or-after", "yesterday"}, 1, `modifiedOnOrAfter: api: hours: date-time "yesterday" is not RFC 3339`},
		{"gps range backwards", "", []string{"gps", "--technician", "101", "--from", "2027-03-09T16:00:00Z", "--to", "2027-03-09T15:00:00Z"}, 1, "toUtc: api: toUtc 2027-03-09T15:00:00Z is not after fromUtc 2027-03-09T16:00:00Z"},
		{"gps unknown technician", "", []string{"gps", "--technician", "999", "--from", "2027-03-09T15:00:00Z", "--to", "2027-03-09T16:00:00Z"}, 1, "technicianId: api: unknown technician 999"},
		{"bad board date", "", []string{"board", "--date", "9 March"}, 2, `--date: "9 March" is not a date YYYY-MM-DD`},
	}
	demo := demoCopy(t)
	tests = append(tests,
		struct {
			name  string
			stdin string
			args  []string
			code  int
			msg   string
		}{"assign unknown appointment", "", []string{"assign", "--tenant", demo, "--appointment", "1", "--technicians", "101"}, 1, "jobAppointmentId: capacity: unknown appointment 1"},
		struct {
			name  string
			stdin string
			args  []string
			code  int
			msg   string
		}{"assign unknown technician", "", []string{"assign", "--tenant", demo, "--appointment", "5001", "--technicians", "101,999"}, 1, "technicianIds[1]: capacity: unknown technician 999"},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := dispatchRun(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.msg)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") > 0 && tt.args != nil {
				t.Errorf("error is more than one line: %q", errOut)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for name := range commands {
		out, errOut, code := dispatchRun(t, "", name, "-h")
		if code != 0 || !strings.Contains(out, "Usage: dispatch "+name) || !strings.Contains(out, "Example:") {
			t.Errorf("%s -h: exit %d, stdout %q, stderr %q", name, code, out, errOut)
		}
	}
}

func TestBench(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.txt")
	out, errOut, code := dispatchRun(t, "", "bench", "--profile", "small", "--bench", "^Expand/", "--benchtime", "5x", "--count", "2", "-o", old)
	if code != 0 || !strings.Contains(out, "goos: ") || strings.Count(out, "BenchmarkExpand/techs=10/days=14-") != 2 {
		t.Fatalf("bench: exit %d %s\n%s", code, errOut, out)
	}
	saved, _ := os.ReadFile(old)
	if string(saved) != out {
		t.Error("-o file differs from stdout")
	}
	cmp, errOut, code := dispatchRun(t, "", "bench", "--profile", "small", "--bench", "^Expand/", "--benchtime", "5x", "--count", "2", "--compare", old)
	if code != 0 || !strings.Contains(cmp, "Expand/techs=10/days=14") || !strings.Contains(cmp, "delta") {
		t.Errorf("compare: exit %d %s\n%s", code, errOut, cmp)
	}
	for _, bad := range [][]string{{"bench", "--profile", "huge"}, {"bench", "--bench", "("}, {"bench", "--count", "0"}} {
		if _, _, code := dispatchRun(t, "", bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

func TestServeHelpAndBadFlags(t *testing.T) {
	if _, errOut, code := dispatchRun(t, "", "serve", "--clients", "/nonexistent.json"); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing clients file: exit %d %q", code, errOut)
	}
	bad := filepath.Join(t.TempDir(), "clients.json")
	os.WriteFile(bad, []byte(`[{"clientId": "a", "secretHash": "xyz", "appKey": "short", "tenants": []}]`), 0o644)
	_, errOut, code := dispatchRun(t, "", "serve", "--clients", bad)
	if code != 1 || !strings.Contains(errOut, "[0].secretHash: httpapi: want the hex SHA-256 of the secret") || !strings.Contains(errOut, "[0].tenants") {
		t.Errorf("bad clients file: exit %d %q", code, errOut)
	}
}
