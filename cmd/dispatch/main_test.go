package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/internal/testkit/shellwords"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestMain(m *testing.M) {
	parseDemo = sync.OnceValues(parseDemo) // see parseDemo
	os.Exit(m.Run())
}

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
		{"technicians.json", "", []string{"technicians", "--business-units", "1,3", "--active", "--skills", "HVAC,EPA 608", "--page-size", "2"}},
		{"technicians-inactive.json", "", []string{"technicians", "--active=false"}},
		{"job-types.json", "", []string{"job-types", "--business-units", "2"}},
		{"business-units.json", "", []string{"business-units"}},
		{"arrival-windows.json", "", []string{"arrival-windows", "--business-units", "1", "--active"}},
		{"appointments.json", "", []string{"appointments", "--from", "2027-03-09", "--to", "2027-03-10", "--business-units", "2", "--page-size", "3", "--page", "2"}},
		{"appointments-unassigned.json", "", []string{"appointments", "--from", "2027-03-09", "--to", "2027-03-11", "--unassigned"}},
		{"appointments-technician.json", "", []string{"appointments", "--technician", "202", "--from", "2027-03-09 00:00", "--to", "2027-03-09 12:00"}},
		{"board.html", "", []string{"board", "--date", "2027-03-09"}},
		{"board-week.html", "", []string{"board", "--week", "2027-03-08", "--business-unit", "1"}},
		// The capacity controls.
		{"capacity-reserve.json", "", []string{"capacity", "--from", "2027-03-08", "--to", "2027-03-09", "--business-units", "1", "--job-type", "101", "--skill-based", "--zip", "80202"}},
		{"capacity-rule.json", "", []string{"capacity", "--from", "2027-03-09T10:00", "--to", "2027-03-09T12:00", "--business-units", "2", "--job-type", "202"}},
		{"adjustments.json", "", []string{"adjustments", "--from", "2027-03-09", "--to", "2027-03-12"}},
		{"adjustments-group.json", "", []string{"adjustments", "--group", "1"}},
		{"capacity-rules.json", "", []string{"capacity-rules"}},
		{"business-unit-groups.json", "", []string{"business-unit-groups"}},
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

// TestAdjustFile: adjust writes an adjustment into the file (createdOn
// from --now, createdBy from --by), which then loads and changes capacity;
// --remove takes it out again, and the file is back to what it was; a
// window the date does not have, or an id that is not there, is refused
// naming what is wrong, and leaves the file alone.
func TestAdjustFile(t *testing.T) {
	path := demoCopy(t)
	original, _ := os.ReadFile(path)
	capArgs := []string{"capacity", "--tenant", path, "--from", "2027-03-11T12:00", "--to", "2027-03-11T14:00", "--business-units", "2"}
	before, _, _ := dispatchRun(t, "", capArgs...)
	out, errOut, code := dispatchRun(t, "", "adjust", "--tenant", path, "--date", "2027-03-11", "--window", "12:00–14:00", "--business-unit", "2",
		"--minutes", "-120", "--reason", "van in the shop", "--now", "2027-03-10T17:30", "--by", "Maria Lopez (Dispatch)")
	if code != 0 {
		t.Fatalf("adjust: exit %d, %s", code, errOut)
	}
	golden(t, "adjust.json", out)
	after, errOut, code := dispatchRun(t, "", capArgs...)
	if code != 0 || after == before || !strings.Contains(before, `"capacityMinutes": 960`) || !strings.Contains(after, `"capacityMinutes": 840`) || !strings.Contains(after, `"totalAvailability": 163`) {
		t.Errorf("capacity of 12:00–14:00 for Plumbing: exit %d %s\nbefore:\n%s\nafter:\n%s", code, errOut, before, after)
	}
	list, _, _ := dispatchRun(t, "", "adjustments", "--tenant", path, "--business-unit", "2")
	if !strings.Contains(list, `"reason": "van in the shop"`) || !strings.Contains(list, `"totalCount": 2`) {
		t.Errorf("adjustments of unit 2:\n%s", list)
	}
	// Positive minutes with a sign, on a group.
	if _, errOut, code := dispatchRun(t, "", "adjust", "--tenant", path, "--date", "2027-03-15", "--window", "08:00-10:00", "--group", "1",
		"--minutes", "+45", "--reason", "cold snap"); code != 0 {
		t.Fatalf("adjust +45: exit %d, %s", code, errOut)
	}

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--date", "2027-03-11", "--window", "09:00-11:00", "--minutes", "30", "--reason", "x"},
			"dispatch adjust: --window: api: no window 09:00–11:00 on 2027-03-11 (Thursday); its windows are 08:00–10:00, 10:00–12:00, 12:00–14:00 and 14:00–16:00"},
		{[]string{"--date", "2027-03-14", "--window", "08:00-10:00", "--minutes", "30", "--reason", "x"},
			"dispatch adjust: --window: api: no window 08:00–10:00 on 2027-03-14 (Sunday); it has no windows (no business hours)"},
		{[]string{"--date", "2027-03-11", "--window", "08:00-10:00", "--business-unit", "9", "--minutes", "30", "--reason", "x"},
			"dispatch adjust: --business-unit: capacity: unknown business unit 9"},
		{[]string{"--remove", "99"}, "dispatch adjust: --remove: capacity: unknown adjustment 99"},
	} {
		was, _ := os.ReadFile(path)
		_, errOut, code := dispatchRun(t, "", append([]string{"adjust", "--tenant", path}, c.args...)...)
		if code != 1 || strings.TrimSpace(errOut) != c.msg {
			t.Errorf("%v: exit %d, %q; want 1 and %q", c.args, code, errOut, c.msg)
		}
		if now, _ := os.ReadFile(path); !bytes.Equal(was, now) {
			t.Errorf("%v: a refused change changed the file", c.args)
		}
	}

	for _, id := range []string{"5", "4"} {
		if _, errOut, code := dispatchRun(t, "", "adjust", "--tenant", path, "--remove", id); code != 0 {
			t.Fatalf("remove %s: exit %d, %s", id, code, errOut)
		}
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(original, now) {
		t.Error("adding and removing two adjustments did not give the file back")
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
// synthetic tenant (1,000 technicians). Under the race detector, which
// finds nothing in this sequential code but slows decoding twentyfold, it
// uses the medium one (100 technicians).
func TestLargeTenant(t *testing.T) {
	if testing.Short() {
		t.Skip("large tenant")
	}
	profile, tech, appt := "large", "1500", "50001"
	if raceEnabled {
		profile, tech = "medium", "1050"
	}
	path := filepath.Join(t.TempDir(), profile+".json")
	if _, errOut, code := dispatchRun(t, "", "generate", "--profile", profile, "--seed", "1", "-o", path); code != 0 {
		t.Fatal(errOut)
	}
	for _, args := range [][]string{
		{"capacity", "--tenant", path},
		{"capacity", "--tenant", path, "--from", "2027-03-08", "--to", "2027-03-22", "--job-type", "101", "--skill-based", "--zip", "80003"},
		{"shifts", "--tenant", path, "--page", "3", "--page-size", "500"},
		{"assignments", "--tenant", path, "--technician", tech},
		{"zones", "--tenant", path},
		{"hours", "--tenant", path},
		{"gps", "--tenant", path, "--technician", "1001", "--from", "2027-03-08T00:00:00Z", "--to", "2027-03-09T12:00:00Z"},
		{"board", "--tenant", path, "--date", "2027-03-16"},
		{"technicians", "--tenant", path, "--page", "2", "--page-size", "20", "--active"},
		{"appointments", "--tenant", path, "--from", "2027-03-16", "--to", "2027-03-17", "--unassigned"},
		{"assign", "--tenant", path, "--appointment", appt, "--technicians", "1002,1003"},
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
		{"bad date flag", "", []string{"capacity", "--from", "tuesday", "--to", "2027-03-10"}, 2, `dispatch capacity: --from: hours: date-time "tuesday": want RFC 3339 (2027-03-09T08:00:00-07:00), a date (2027-03-09) or a local date-time (2027-03-09T08:00)`},
		{"no such date", "", []string{"capacity", "--from", "2027-03-09", "--to", "2026-02-30"}, 2, `dispatch capacity: --to: hours: date "2026-02-30": February 2026 has 28 days`},
		{"no such month", "", []string{"shifts", "--starts-on-or-after", "2027-13-01T08:00"}, 2, `dispatch shifts: --starts-on-or-after: hours: date-time "2027-13-01T08:00": month 13 is out of range 01–12`},
		{"year out of range", "", []string{"gps", "--technician", "101", "--from", "1899-12-31T23:00:00Z", "--to", "2027-03-10"}, 2, `dispatch gps: --from: hours: date-time 1899-12-31T23:00:00Z is outside the supported years 1900–2199`},
		{"local year out of range", "", []string{"appointments", "--to", "2200-01-01 00:00"}, 2, `dispatch appointments: --to: hours: date-time 2200-01-01T00:00:00-07:00 is outside the supported years 1900–2199`},
		{"bad --now", "", []string{"assign", "--tenant", demoCopy(t), "--appointment", "5001", "--technicians", "102", "--now", "noon"}, 2, `dispatch assign: --now: hours: date-time "noon": want RFC 3339`},
		{"appointments range backwards", "", []string{"appointments", "--from", "2027-03-10", "--to", "2027-03-09"}, 2, `dispatch appointments: --to 2027-03-09T00:00:00-07:00 is not after --from 2027-03-10T00:00:00-07:00`},
		{"technician and unassigned", "", []string{"appointments", "--technician", "101", "--unassigned"}, 2, `--technician and --unassigned are mutually exclusive`},
		{"bad --active", "", []string{"technicians", "--active=maybe"}, 2, `dispatch technicians: invalid boolean value "maybe" for -active`},
		{"page 0", "", []string{"technicians", "--page", "0"}, 2, `dispatch technicians: --page: 0 must be at least 1`},
		{"huge page", "", []string{"appointments", "--page", strconv.Itoa(math.MaxInt), "--page-size", "500"}, 2, `--page: ` + strconv.Itoa(math.MaxInt) + ` is too large`}, // as the API refuses it
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
		{"unknown job type", "", []string{"capacity", "--from", "2027-03-09", "--to", "2027-03-10", "--job-type", "999"}, 1, "dispatch capacity: --job-type: capacity: unknown job type 999"},
		{"range too long", "", []string{"capacity", "--from", "2027-03-01", "--to", "2027-04-15"}, 1, "dispatch capacity: --to: capacity: the range is 45 days; at most 31 days may be asked at once: split the request"},
		{"skills without job type", "", []string{"capacity", "--from", "2027-03-09", "--to", "2027-03-10", "--skill-based"}, 2, "dispatch capacity: --skill-based needs --job-type"}, // the flags, not the JSON member
		{"page size above 500", "", []string{"shifts", "--page-size", "501"}, 2, "dispatch shifts: --page-size: 501 is above the maximum 500"},
		{"page size 0", "", []string{"assignments", "--page-size", "0"}, 2, "dispatch assignments: --page-size: 0 must be at least 1"},
		{"bad time filter", "", []string{"assignments", "--modified-on-or-after", "yesterday"}, 2, `dispatch assignments: --modified-on-or-after: hours: date-time "yesterday": want RFC 3339`},
		{"gps range backwards", "", []string{"gps", "--technician", "101", "--from", "2027-03-09T16:00:00Z", "--to", "2027-03-09T15:00:00Z"}, 1, "dispatch gps: --to: api: toUtc 2027-03-09T15:00:00Z is not after fromUtc 2027-03-09T16:00:00Z"},
		{"gps unknown technician", "", []string{"gps", "--technician", "999", "--from", "2027-03-09T15:00:00Z", "--to", "2027-03-09T16:00:00Z"}, 1, "dispatch gps: --technician: api: unknown technician 999"},
		{"bad board date", "", []string{"board", "--date", "9 March"}, 2, `dispatch board: --date: hours: date "9 March": want YYYY-MM-DD`},
		{"board date without data", "", []string{"board", "--date", "2027-03-14"}, 1, "dispatch board: board: 2027-03-14 (Sunday) has no working time and no appointments; its shifts and appointments run from 2027-03-08 to 2027-03-20"},
		{"board date out of range", "", []string{"board", "--date", "1899-12-31"}, 2, `dispatch board: --date: hours: date "1899-12-31" is outside the supported years 1900–2199`},
		{"board date that does not exist", "", []string{"board", "--date", "2027-02-29"}, 2, `dispatch board: --date: hours: date "2027-02-29": February 2027 has 28 days`},
		{"board date and week", "", []string{"board", "--date", "2027-03-09", "--week", "2027-03-08"}, 2, "dispatch board: --date and --week are mutually exclusive"},
		{"board unit without week", "", []string{"board", "--business-unit", "1"}, 2, "dispatch board: --business-unit goes with --week"},
		{"board week of an unknown unit", "", []string{"board", "--week", "2027-03-08", "--business-unit", "9"}, 1, "dispatch board: --business-unit: unknown business unit 9"},
		{"board week without data", "", []string{"board", "--week", "2027-06-07"}, 1, "dispatch board: board: the week from 2027-06-07 (Monday) has no working time and no appointments; its shifts and appointments run from 2027-03-08 to 2027-03-20"},
		{"adjust without tenant", "", []string{"adjust", "--date", "2027-03-09"}, 2, "dispatch adjust: --tenant is required"},
		{"adjust without minutes", "", []string{"adjust", "--tenant", "x.json", "--date", "2027-03-09", "--window", "08:00-10:00", "--reason", "x"}, 2,
			"dispatch adjust: --date, --window, --minutes and --reason are required (or --remove ID)"},
		{"adjust unit and group", "", []string{"adjust", "--tenant", "x.json", "--date", "2027-03-09", "--window", "08:00-10:00", "--minutes", "5", "--reason", "x", "--business-unit", "1", "--group", "1"}, 2,
			"dispatch adjust: --business-unit and --group are mutually exclusive: an adjustment names one or neither"},
		{"adjust remove and add", "", []string{"adjust", "--tenant", "x.json", "--remove", "3", "--minutes", "5"}, 2, "dispatch adjust: --remove takes no other adjustment flags"},
		{"adjust bad window", "", []string{"adjust", "--tenant", "x.json", "--date", "2027-03-09", "--window", "8 to 10", "--minutes", "5", "--reason", "x"}, 2,
			`dispatch adjust: --window: "8 to 10": want from-to, such as 08:00-10:00`},
		{"adjust bad minutes", "", []string{"adjust", "--tenant", "x.json", "--date", "2027-03-09", "--window", "08:00-10:00", "--minutes", "an hour", "--reason", "x"}, 2,
			`dispatch adjust: --minutes: "an hour" is not a whole number of minutes (+90, -120)`},
		{"adjust bad date", "", []string{"adjust", "--tenant", "x.json", "--date", "2027-02-29", "--window", "08:00-10:00", "--minutes", "5", "--reason", "x"}, 2,
			`dispatch adjust: --date: hours: date "2027-02-29": February 2027 has 28 days`},
		{"adjustments backwards", "", []string{"adjustments", "--from", "2027-03-10", "--to", "2027-03-09"}, 2, "dispatch adjustments: --to 2027-03-09 is not after --from 2027-03-10"},
		{"adjustments bad date", "", []string{"adjustments", "--from", "March"}, 2, `dispatch adjustments: --from: hours: date "March": want YYYY-MM-DD`},
	}
	demo := demoCopy(t)
	tests = append(tests,
		struct {
			name  string
			stdin string
			args  []string
			code  int
			msg   string
		}{"assign unknown appointment", "", []string{"assign", "--tenant", demo, "--appointment", "1", "--technicians", "101"}, 1, "--appointment: capacity: unknown appointment 1"},
		struct {
			name  string
			stdin string
			args  []string
			code  int
			msg   string
		}{"assign unknown technician", "", []string{"assign", "--tenant", demo, "--appointment", "5001", "--technicians", "101,999"}, 1, "--technicians[1]: capacity: unknown technician 999"},
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

// TestHelp pins the exact help of every command: -h and --help print it
// once on stdout, nothing on stderr, exit 0. The golden files are the
// review copy of every command's help.
func TestHelp(t *testing.T) {
	cases := [][]string{{"help"}, {"-h"}, {"--help"}, {"simulate", "merge", "-h"}, {"simulate", "optimize", "-h"}, {"simulate", "optimize", "merge", "-h"}}
	for name := range commands {
		cases = append(cases, []string{name, "-h"}, []string{name, "--help"})
	}
	for name, subs := range subcommands {
		for _, sub := range subs {
			cases = append(cases, []string{name, sub.name, "-h"}, []string{name, sub.name, "--help"})
		}
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errOut, code := dispatchRun(t, "", args...)
			if code != 0 || errOut != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, errOut)
			}
			name := "dispatch"
			if args[0] != "help" && args[0] != "-h" && args[0] != "--help" {
				name = strings.Join(args[:len(args)-1], "-")
				if n := strings.Count(out, "Usage: dispatch "); n != 1 {
					t.Errorf("the usage is printed %d times, want once:\n%s", n, out)
				}
			}
			if args[len(args)-1] == "-h" {
				golden(t, filepath.Join("help", name+".txt"), out)
			} else if want, _ := os.ReadFile(filepath.Join("testdata", "golden", "help", name+".txt")); out != string(want) {
				t.Errorf("%s differs from -h:\n%s", strings.Join(args, " "), out)
			}
		})
	}
}

// helpCases lists the command lines whose -h prints a help: every
// command and subcommand, simulate merge and simulate optimize (and its
// merge).
func helpCases() [][]string {
	cases := [][]string{{"simulate", "merge"}, {"simulate", "optimize"}, {"simulate", "optimize", "merge"}}
	for name := range commands {
		cases = append(cases, []string{name})
	}
	for name, subs := range subcommands {
		for _, sub := range subs {
			cases = append(cases, []string{name, sub.name})
		}
	}
	return cases
}

// usageFlag matches a flag a usage line names: "--name" or "-name" after a
// space, "[" or "|" (not a hyphen inside a command name such as
// "arrival-windows").
var usageFlag = regexp.MustCompile(`(?:^|[ \[|])--?([a-z][a-z0-9-]*)`)

// TestHelpUsageFlags holds every help to its own flag list: the usage
// lines name every flag the command defines (a flag left out of them is
// one a reader never learns of: serve's --rate-limit and --token-ttl
// were), and name no flag it does not define.
func TestHelpUsageFlags(t *testing.T) {
	for _, args := range helpCases() {
		out, _, code := dispatchRun(t, "", append(args, "-h")...)
		name := strings.Join(args, " ")
		if code != 0 {
			t.Errorf("%s -h: exit %d", name, code)
			continue
		}
		usage, _, _ := strings.Cut(out, "\n\n")
		named := map[string]bool{}
		for _, m := range usageFlag.FindAllStringSubmatch(usage, -1) {
			named[m[1]] = true
		}
		delete(named, "h") // "(dispatch simulate optimize -h)"
		defined := map[string]bool{}
		for _, line := range strings.Split(out, "\n") {
			if f, ok := strings.CutPrefix(line, "  -"); ok && f != "" && f[0] != ' ' && f[0] != '-' {
				f, _, _ = strings.Cut(f, " ")
				defined[f] = true
			}
		}
		for f := range defined {
			if !named[f] {
				t.Errorf("dispatch %s -h: flag -%s is not in the usage lines:\n%s", name, f, usage)
			}
		}
		if _, noun := subcommands[name]; noun {
			continue // "dispatch shift <create|...> --tenant FILE [flags]": its verbs' flags
		}
		for f := range named {
			if !defined[f] {
				t.Errorf("dispatch %s -h: the usage names --%s, which is not a flag of the command", name, f)
			}
		}
	}
}

// shellWords splits an example command line as sh would.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	words, err := shellwords.Split(line)
	if err != nil {
		t.Fatal(err)
	}
	return words
}

// TestHelpExamples runs the example every help ends with, as a newcomer
// pastes it, in a directory where my-tenant.json is a fresh copy of the
// demo tenant: each must succeed. The unassign example once unassigned a
// technician the appointment does not have. Left out: bench (its example
// benchmarks the large profile six times), serve (it serves until
// stopped) and simulate optimize with its merge (its staffing.json takes
// seconds a configuration); simulate merge gets the parts it names.
func TestHelpExamples(t *testing.T) {
	skip := map[string]bool{"bench": true, "serve": true, "simulate optimize": true, "simulate optimize merge": true}
	dir := t.TempDir()
	t.Chdir(dir)
	for i := range 2 {
		if _, errOut, code := dispatchRun(t, "", "simulate", "--replications", "2", "--format", "json", "--shard", fmt.Sprintf("%d/2", i), "-o", fmt.Sprintf("part-%d.json", i)); code != 0 {
			t.Fatalf("shard %d: %s", i, errOut)
		}
	}
	for _, args := range helpCases() {
		name := strings.Join(args, " ")
		out, _, _ := dispatchRun(t, "", append(args, "-h")...)
		_, ex, ok := strings.Cut(out, "\nExample:\n  ")
		if !ok {
			if _, sub := subcommands[name]; !sub {
				t.Errorf("dispatch %s -h has no example", name)
			}
			continue
		}
		ex, _, _ = strings.Cut(ex, "\n")
		if skip[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile("my-tenant.json", dispatch.DemoTenant, 0o644); err != nil {
				t.Fatal(err)
			}
			words := shellWords(t, ex)
			if len(words) < 2 || words[0] != "dispatch" || strings.Join(words[1:1+len(args)], " ") != name {
				t.Fatalf("the example of dispatch %s is %q", name, ex)
			}
			if raceEnabled && name == "simulate" {
				words = append(words, "--replications", "2") // 30 take seconds under the race detector
			}
			if _, errOut, code := dispatchRun(t, "", words[1:]...); code != 0 {
				t.Errorf("%s: exit %d\n%s", ex, code, errOut)
			}
		})
	}
}

// TestUsageErrors: a bad command line prints one line on stderr, nothing
// on stdout (no help), and exits 2.
func TestUsageErrors(t *testing.T) {
	names := []string{}
	for name := range commands {
		names = append(names, name)
	}
	for name, subs := range subcommands {
		for _, sub := range subs {
			names = append(names, name+" "+sub.name)
		}
	}
	for _, name := range names {
		out, errOut, code := dispatchRun(t, "", append(strings.Fields(name), "--bogus")...)
		if want := "dispatch " + name + ": flag provided but not defined: -bogus\n"; code != 2 || out != "" || errOut != want {
			t.Errorf("%s --bogus: exit %d, stdout %q, stderr %q; want 2, nothing and %q", name, code, out, errOut, want)
		}
	}
	out, errOut, code := dispatchRun(t, "")
	if code != 2 || out != "" || !strings.HasPrefix(errOut, "dispatch: a deterministic") {
		t.Errorf("no command: exit %d, stdout %q, stderr %.80q; want 2 and the help on stderr", code, out, errOut)
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
	// benchstat's text (bench/compare holds it to benchstat's byte for
	// byte): a column for old.txt and one for this run, compared, in
	// sec/op and the suite's own units.
	for _, want := range []string{"│ " + old + " │ ", "this run", "sec/op", "vs base", "sec/day", "B/op", "allocs/op",
		"\nExpand/techs=10/days=14-", "(p=", " n=2)", "need >= 6 samples for confidence interval at level 0.95"} {
		if code != 0 || !strings.Contains(cmp, want) {
			t.Errorf("compare: exit %d %s; no %q in\n%s", code, errOut, want, cmp)
		}
	}
	// A file that is not benchmark output is refused before the
	// benchmarks run (no -o file), naming its line.
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("goos: linux\nfaster on Tuesday\n"), 0o644)
	newOut := filepath.Join(dir, "new.txt")
	out, errOut, code = dispatchRun(t, "", "bench", "--profile", "small", "--bench", "^Expand/", "--benchtime", "5x", "-o", newOut, "--compare", notes)
	if want := "dispatch bench: compare: " + notes + `:2: no benchmark results in the file, and this line is not benchmark output: "faster on Tuesday"` + "\n"; code != 1 || out != "" || errOut != want {
		t.Errorf("not benchmark output: exit %d, stdout %q, stderr %q; want 1, nothing and %q", code, out, errOut, want)
	}
	if _, err := os.Stat(newOut); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the benchmarks ran before the file to compare with was read: %v", err)
	}
	for _, bad := range [][]string{{"bench", "--profile", "huge"}, {"bench", "--bench", "("}, {"bench", "--count", "0"}} {
		if _, _, code := dispatchRun(t, "", bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

// TestBenchCompareThisRun: a file to compare with called "this run", the
// label of the new results, does not pool its runs with them.
func TestBenchCompareThisRun(t *testing.T) {
	t.Chdir(t.TempDir())
	if _, errOut, code := dispatchRun(t, "", "bench", "--profile", "small", "--bench", "^Expand/", "--benchtime", "5x", "-o", "this run"); code != 0 {
		t.Fatalf("bench: exit %d %s", code, errOut)
	}
	out, errOut, code := dispatchRun(t, "", "bench", "--profile", "small", "--bench", "^Expand/", "--benchtime", "5x", "--compare", "this run")
	if code != 0 || !strings.Contains(out, "this run (new)") || !strings.Contains(out, "vs base") || !strings.Contains(out, "(p=1.000 n=1)") {
		t.Errorf("exit %d %s\n%s", code, errOut, out)
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
