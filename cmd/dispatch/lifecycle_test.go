package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestLifecycleCommands runs every lifecycle command on a copy of the
// demo tenant: each prints its answer, changes the file (which still
// loads, and shows the change to the read commands), and a refused change
// leaves the file as it was.
func TestLifecycleCommands(t *testing.T) {
	path := demoCopy(t)
	steps := []struct {
		args []string
		out  string // in stdout
	}{
		{[]string{"appointment", "create", "--appointment", "9001", "--job-type", "101", "--business-unit", "1", "--start", "2027-03-10T13:00", "--end", "2027-03-10T15:00", "--arrival-start", "2027-03-10T12:00", "--arrival-end", "2027-03-10T16:00", "--zip", "80202", "--job", "77"}, `"arrivalWindowStart": "2027-03-10T12:00:00-07:00"`},
		{[]string{"assign", "--appointment", "9001", "--technicians", "103", "--now", "2027-03-01"}, `"technicianId": 103`},
		{[]string{"appointment", "reschedule", "--appointment", "9001", "--start", "2027-03-11 09:00", "--end", "2027-03-11 10:00"}, `"start": "2027-03-11T09:00:00-07:00"`},
		{[]string{"appointment", "cancel", "--appointment", "9001", "--now", "2027-03-02T10:00"}, `"unassignedOn": "2027-03-02T10:00:00-07:00"`},
		{[]string{"shift", "create", "--technicians", "101,102", "--start", "2027-03-13T08:00", "--end", "2027-03-13T14:00", "--title", "Overtime", "--now", "2027-03-01"}, `"title": "Overtime"`},
		{[]string{"shift", "update", "--shift", "1", "--note", "stays late", "--end", "2027-03-08T18:00", "--active=false", "--now", "2027-03-01"}, `"active": false`},
		{[]string{"shift", "reactivate", "--shift", "1"}, `"active": true`},
		{[]string{"shift", "deactivate", "--shift", "1"}, `"active": false`},
		{[]string{"shift", "delete", "--shift", "11"}, `"id": 11`},
		{[]string{"technician", "add", "--technician", "120", "--name", "Kim Lee", "--business-unit", "1", "--skills", "HVAC,EPA 608", "--zones", "1", "--home", "39.7,-105"}, `"latitude": 39.7`},
		{[]string{"technician", "update", "--technician", "120", "--skills", "", "--home", "none", "--business-unit", "2"}, `"skills": []`},
		{[]string{"technician", "deactivate", "--technician", "120"}, `"active": false`},
		{[]string{"technician", "reactivate", "--technician", "120"}, `"active": true`},
	}
	for _, s := range steps {
		args := append(append(append([]string{}, s.args[:1]...), s.args[1:]...), "--tenant", path)
		if s.args[0] != "assign" {
			args = append([]string{s.args[0], s.args[1], "--tenant", path}, s.args[2:]...)
		}
		out, errOut, code := dispatchRun(t, "", args...)
		if code != 0 || !strings.Contains(out, s.out) {
			t.Fatalf("%v: exit %d, stderr %q, stdout lacks %s:\n%s", s.args, code, errOut, s.out, out)
		}
	}
	file, _ := os.ReadFile(path)
	for _, want := range []string{`"canceled": true`, `"name": "Kim Lee"`, `"note": "stays late"`} {
		if !bytes.Contains(file, []byte(want)) {
			t.Errorf("the tenant file lacks %s", want)
		}
	}
	out, _, code := dispatchRun(t, "", "technicians", "--tenant", path, "--business-units", "2", "--page-size", "500")
	if code != 0 || !strings.Contains(out, `"id": 120`) {
		t.Errorf("the read commands do not see the changed file: %s", out)
	}

	// Refused changes: exit 1 (or 2 for a bad command line), one line naming
	// the field or flag, the file untouched.
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"appointment", "cancel", "--appointment", "9001"}, 1, "dispatch appointment cancel: --appointment: capacity: appointment 9001 is canceled already"},
		{[]string{"appointment", "reschedule", "--appointment", "1", "--start", "2027-03-11", "--end", "2027-03-12"}, 1, "--appointment: capacity: unknown appointment 1"},
		{[]string{"appointment", "create", "--appointment", "9002", "--job-type", "999", "--business-unit", "1", "--start", "2027-03-10T13:00", "--end", "2027-03-10T12:00"}, 1, "--job-type: capacity: unknown job type 999; --end: capacity: appointment 9002 ends before it starts"},
		{[]string{"appointment", "create", "--appointment", "9002", "--job-type", "101", "--business-unit", "1", "--start", "2027-03-09T10:00", "--end", "2030-03-09T09:00"}, 1, "end: capacity: appointment 9002 lasts 1096.0 days; at most 7 days"},
		{[]string{"appointment", "create", "--appointment", "9002", "--job-type", "101", "--business-unit", "1", "--start", "noon", "--end", "2027-03-10T12:00"}, 2, `dispatch appointment create: --start: hours: date-time "noon"`},
		{[]string{"appointment", "create", "--appointment", "9002", "--job-type", "101", "--business-unit", "1", "--start", "2027-03-10T13:00", "--end", "2027-03-10T15:00", "--arrival-end", "2027-03-10T16:00"}, 2, "--arrival-start and --arrival-end go together"},
		{[]string{"appointment", "create", "--appointment", "9002"}, 2, "--tenant, --appointment, --job-type, --business-unit, --start and --end are required"},
		{[]string{"shift", "update", "--shift", "1", "--type", "Nap"}, 2, `dispatch shift update: --type: shifts: unknown shift type "Nap"`},
		{[]string{"shift", "update", "--shift", "999999", "--note", "x"}, 1, "--shift: api: unknown shift 999999"},
		// An update that gives nothing to change is a usage error, not a
		// success that changed nothing (a forgotten flag, a misspelt one).
		{[]string{"shift", "update", "--shift", "1"}, 2, "dispatch shift update: nothing to change: give --type, --title, --note, --start, --end or --active"},
		{[]string{"shift", "update", "--shift", "1", "--now", "2027-03-01"}, 2, "dispatch shift update: nothing to change"},
		{[]string{"technician", "update", "--technician", "120"}, 2, "dispatch technician update: nothing to change: give --name, --business-unit, --skills, --zones or --home"},
		{[]string{"shift", "update", "--shift", "1", "--end", "2199-13-01"}, 2, "--end: hours: date"},
		{[]string{"shift", "delete", "--shift", "11"}, 1, "--shift: capacity: unknown shift 11"},
		{[]string{"technician", "add", "--technician", "101", "--name", "Again", "--business-unit", "1"}, 1, "--technician: capacity: technician 101 exists"},
		{[]string{"technician", "add", "--technician", "121", "--name", "X", "--business-unit", "9"}, 1, "--business-unit: capacity: unknown business unit 9"},
		{[]string{"technician", "update", "--technician", "120", "--home", "north"}, 2, `--home: "north" is not LATITUDE,LONGITUDE`},
		{[]string{"technician", "update", "--technician", "120", "--home", "91,0"}, 2, "--home: latitude 91 is outside −90..90"}, // checked with the flags
		{[]string{"technician", "deactivate", "--technician", "999"}, 1, "--technician: capacity: unknown technician 999"},
		{[]string{"technician", "frob"}, 2, `dispatch technician: unknown subcommand "frob" (want add, update, deactivate or reactivate)`},
		{[]string{"shift"}, 2, "dispatch shift: want a subcommand: create, update, deactivate, reactivate or delete"},
	} {
		before, _ := os.ReadFile(path)
		args := c.args
		if len(args) > 2 {
			args = append([]string{args[0], args[1], "--tenant", path}, args[2:]...)
		}
		out, errOut, code := dispatchRun(t, "", args...)
		if code != c.code || !strings.Contains(errOut, c.msg) || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d and %q", c.args, code, out, errOut, c.code, c.msg)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("%v: a refused change changed the file", c.args)
		}
	}
}

// TestAssignWarnings: assign prints the engine's warnings on stderr, one
// line each, and succeeds; a clean assignment prints none.
func TestAssignWarnings(t *testing.T) {
	path := demoCopy(t)
	out, errOut, code := dispatchRun(t, "", "assign", "--tenant", path, "--appointment", "5001", "--technicians", "201", "--now", "2027-03-01")
	if code != 0 || !strings.Contains(out, `"technicianId": 201`) {
		t.Fatalf("assign with warnings: exit %d, %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	want := []string{
		`dispatch: warning: technician 201: missingSkills: technician 201 (Kai Moreau) lacks "HVAC"`,
		`dispatch: warning: technician 201: otherBusinessUnit: technician 201 (Kai Moreau) is in business unit 2 (Plumbing)`,
	}
	if len(lines) < len(want) {
		t.Fatalf("stderr %q: want the warnings", errOut)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("warning %d: %q, want it to start with %q", i, lines[i], w)
		}
	}
	_, errOut, code = dispatchRun(t, "", "assign", "--tenant", path, "--appointment", "5040", "--technicians", "102", "--now", "2027-03-01")
	if code != 0 || errOut != "" {
		t.Errorf("a clean assignment: exit %d, stderr %q", code, errOut)
	}
}
