package main

import (
	"bytes"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagEdges: a flag given as 0 or a negative number is not taken for
// a flag not given; ids must be positive and known to the tenant; a range
// must not be inverted; a single-valued flag may be given once; an output
// path is checked before any work; serve refuses settings nobody can use.
// Each case names the flag in its one-line message.
func TestFlagEdges(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "clients.json")
	os.WriteFile(empty, []byte(`[]`), 0o644)
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, nil, 0o644)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		// 1. serve
		{"negative token ttl", []string{"serve", "--token-ttl", "-5m"}, 2, "dispatch serve: --token-ttl: -5m0s is not a positive lifetime of at least 1s"},
		{"zero token ttl", []string{"serve", "--token-ttl", "0s"}, 2, "dispatch serve: --token-ttl: 0s is not a positive lifetime"},
		{"sub-second token ttl", []string{"serve", "--token-ttl", "500ms"}, 2, "dispatch serve: --token-ttl: 500ms is not a positive lifetime"},
		{"zero rate limit", []string{"serve", "--rate-limit", "0"}, 2, "dispatch serve: --rate-limit: 0 is not a rate"},
		{"NaN rate limit", []string{"serve", "--rate-limit", "NaN"}, 2, `dispatch serve: --rate-limit: "NaN" is not a decimal number`},
		{"Inf rate limit", []string{"serve", "--rate-limit", "+Inf"}, 2, `dispatch serve: --rate-limit: "+Inf" is not a decimal number`},
		{"hex rate limit", []string{"serve", "--rate-limit", "0x1p4"}, 2, `dispatch serve: --rate-limit: "0x1p4" is not a decimal number`},
		{"overflowing rate limit", []string{"serve", "--rate-limit", "1e999"}, 2, `dispatch serve: --rate-limit: "1e999" is out of range`},
		{"CORS origin with a path", []string{"serve", "--cors-origin", "http://localhost:3000/app"}, 2, `dispatch serve: --cors-origin: "http://localhost:3000/app" is not an origin`},
		{"CORS origin without a scheme", []string{"serve", "--cors-origin", "localhost:3000"}, 2, `dispatch serve: --cors-origin: "localhost:3000" is not an origin`},
		{"zero max connections", []string{"serve", "--max-connections", "0"}, 2, "dispatch serve: --max-connections: 0 must be at least 1"},
		// The server takes a threshold of 0 for its default (10,000 records,
		// 16 MiB): refused, like --rate-limit 0. (The address fails the
		// start if the flag is not refused first.)
		{"zero compact records", []string{"serve", "--compact-records", "0", "--addr", "127.0.0.1:99999"}, 2, "dispatch serve: --compact-records: 0 is not a threshold"},
		{"zero compact bytes", []string{"serve", "--compact-bytes", "0", "--addr", "127.0.0.1:99999"}, 2, "dispatch serve: --compact-bytes: 0 is not a threshold"},
		{"no clients", []string{"serve", "--clients", empty}, 2, "dispatch serve: --clients " + empty + ": the file lists no client"},
		// Errors of simulate's subcommands carry their names.
		{"merge of a missing part", []string{"simulate", "merge", filepath.Join(dir, "none.json")}, 1, "dispatch simulate merge: open "},
		{"optimize of a missing scenario", []string{"simulate", "optimize", "--scenario", filepath.Join(dir, "none.json")}, 1, "dispatch simulate optimize: "},
		{"optimize merge without its scenario", []string{"simulate", "optimize", "merge", filepath.Join(dir, "none.json")}, 2, "dispatch simulate optimize merge: --scenario"},
		// 2. output paths, checked before the work
		{"simulate -o directory", []string{"simulate", "-o", dir}, 2, "dispatch simulate: -o " + dir + ": is a directory"},
		{"simulate -o no directory", []string{"simulate", "-o", "/nonexistent/x.txt"}, 2, "dispatch simulate: -o /nonexistent/x.txt: no such directory /nonexistent"},
		{"optimize -o no directory", []string{"simulate", "optimize", "--scenario", "x.json", "-o", "/nonexistent/x.txt"}, 2, "-o /nonexistent/x.txt: no such directory /nonexistent"},
		{"optimize merge -o directory", []string{"simulate", "optimize", "merge", "--scenario", "x.json", "-o", dir, "p.json"}, 2, "-o " + dir + ": is a directory"},
		{"merge -o directory", []string{"simulate", "merge", "-o", dir, "p.json"}, 2, "-o " + dir + ": is a directory"},
		{"board -o directory", []string{"board", "-o", dir}, 2, "dispatch board: -o " + dir + ": is a directory"},
		{"board -o under a file", []string{"board", "-o", filepath.Join(notDir, "b.html")}, 2, "dispatch board: -o " + filepath.Join(notDir, "b.html") + ": " + notDir + " is not a directory"},
		{"generate -o directory", []string{"generate", "-o", dir}, 2, "dispatch generate: -o " + dir + ": is a directory"},
		{"bench -o no directory", []string{"bench", "-o", "/nonexistent/b.txt"}, 2, "dispatch bench: -o /nonexistent/b.txt: no such directory /nonexistent"},
		// 3. an explicit 0 is not "not given"
		{"zero replications", []string{"simulate", "--replications", "0"}, 2, "dispatch simulate: --replications: 0 must be at least 2"},
		{"negative workers", []string{"simulate", "--workers", "-3"}, 2, "dispatch simulate: --workers: -3 must be at least 1"},
		{"zero workers", []string{"simulate", "--workers", "0"}, 2, "dispatch simulate: --workers: 0 must be at least 1"},
		{"optimize zero workers", []string{"simulate", "optimize", "--scenario", "x.json", "--workers", "0"}, 2, "--workers: 0 must be at least 1"},
		{"optimize zero batch", []string{"simulate", "optimize", "--scenario", "x.json", "--batch", "0"}, 2, "--batch: 0 must be at least 1"},
		{"board unit 0", []string{"board", "--week", "2027-03-08", "--business-unit", "0"}, 2, `dispatch board: --business-unit: "0" is not a positive integer id`},
		{"appointments job type 0", []string{"appointments", "--job-type", "0"}, 2, `dispatch appointments: --job-type: "0" is not a positive integer id`},
		{"assignments technician 0", []string{"assignments", "--technician", "0"}, 2, `dispatch assignments: --technician: "0" is not a positive integer id`},
		{"assignments technician -5", []string{"assignments", "--technician", "-5"}, 2, `dispatch assignments: --technician: "-5" is not a positive integer id`},
		{"capacity job type 0", []string{"capacity", "--job-type", "0"}, 2, `dispatch capacity: --job-type: "0" is not a positive integer id`},
		{"gps technician x", []string{"gps", "--technician", "x"}, 2, `dispatch gps: --technician: "x" is not a positive integer id`},
		{"adjustments group 0", []string{"adjustments", "--group", "0"}, 2, `dispatch adjustments: --group: "0" is not a positive integer id`},
		// 4. consistency: inverted ranges, unknown ids, repeated flags
		{"shifts range backwards", []string{"shifts", "--starts-on-or-after", "2027-03-10", "--ends-on-or-before", "2027-03-09"}, 2,
			"dispatch shifts: --ends-on-or-before 2027-03-09T00:00:00-07:00 is not after --starts-on-or-after 2027-03-10T00:00:00-07:00"},
		{"shifts empty range", []string{"shifts", "--starts-on-or-after", "2027-03-10", "--ends-on-or-before", "2027-03-10"}, 2, "is not after --starts-on-or-after"},
		{"assignments unknown technician", []string{"assignments", "--technician", "99999"}, 1, "dispatch assignments: --technician: unknown technician 99999"},
		{"appointments unknown technician", []string{"appointments", "--technician", "99999"}, 1, "dispatch appointments: --technician: unknown technician 99999"},
		{"appointments unknown job type", []string{"appointments", "--job-type", "99999"}, 1, "dispatch appointments: --job-type: unknown job type 99999"},
		{"appointments unknown unit", []string{"appointments", "--business-units", "1,77"}, 1, "dispatch appointments: --business-units: unknown business unit 77"},
		{"technicians unknown unit", []string{"technicians", "--business-units", "77"}, 1, "dispatch technicians: --business-units: unknown business unit 77"},
		{"job types unknown unit", []string{"job-types", "--business-units", "77"}, 1, "dispatch job-types: --business-units: unknown business unit 77"},
		{"arrival windows unknown unit", []string{"arrival-windows", "--business-units", "77"}, 1, "dispatch arrival-windows: --business-units: unknown business unit 77"},
		{"adjustments unknown unit", []string{"adjustments", "--business-unit", "77"}, 1, "dispatch adjustments: --business-unit: unknown business unit 77"},
		{"adjustments unknown group", []string{"adjustments", "--group", "77"}, 1, "dispatch adjustments: --group: unknown business-unit group 77"},
		{"board date twice", []string{"board", "--date", "2027-03-09", "--date", "2027-03-10"}, 2, "dispatch board: --date: given more than once"},
		{"bool flag twice", []string{"technicians", "--active", "--active=false"}, 2, "dispatch technicians: --active: given more than once"},
		// An adjustment names a unit, a group or neither: both filters
		// select nothing, always.
		{"adjustments unit and group", []string{"adjustments", "--business-unit", "1", "--group", "1"}, 2,
			"dispatch adjustments: --business-unit and --group are mutually exclusive: an adjustment names one or neither"},
		// A benchmark filter that selects nothing ran nothing and said
		// so only by an empty table.
		{"bench matching nothing", []string{"bench", "--profile", "small", "--bench", "NoSuchBenchmark"}, 2,
			`dispatch bench: --bench: "NoSuchBenchmark" matches no benchmark of --profile small (their names run like Capacity/impl=engine/techs=10/days=14/jobtype=none)`},
		{"bench bad benchtime", []string{"bench", "--benchtime", "-1s"}, 2, `dispatch bench: --benchtime: "-1s": invalid duration`},
		// A whole number out of range is told as such, with its bound.
		{"adjust minutes too large", []string{"adjust", "--tenant", notDir, "--date", "2027-03-09", "--window", "08:00-10:00", "--minutes", "99999999999", "--reason", "r"}, 2,
			"dispatch adjust: --minutes: 99999999999 is above the maximum 2147483647"},
		{"adjust minutes too small", []string{"adjust", "--tenant", notDir, "--date", "2027-03-09", "--window", "08:00-10:00", "--minutes", "-99999999999", "--reason", "r"}, 2,
			"dispatch adjust: --minutes: -99999999999 must be at least -2147483648"},
		{"adjust minutes not a number", []string{"adjust", "--tenant", notDir, "--date", "2027-03-09", "--window", "08:00-10:00", "--minutes", "+-5", "--reason", "r"}, 2,
			`dispatch adjust: --minutes: "+-5" is not a whole number of minutes (+90, -120)`},
		{"page twice", []string{"shifts", "--page", "1", "--page", "2"}, 2, "dispatch shifts: --page: given more than once"},
		// 5. lists and flags that need each other
		{"empty skill item", []string{"technicians", "--skills", "HVAC,,EPA 608"}, 2, `dispatch technicians: --skills: "HVAC,,EPA 608" has an empty item`},
		{"trailing skill comma", []string{"technicians", "--skills", "HVAC,"}, 2, `dispatch technicians: --skills: "HVAC," has an empty item`},
		{"technician update empty skill", []string{"technician", "update", "--tenant", empty, "--technician", "104", "--skills", "HVAC, ,EPA"}, 2,
			`dispatch technician update: --skills: "HVAC, ,EPA" has an empty item`},
		{"skill-based without job type", []string{"capacity", "--skill-based"}, 2, "dispatch capacity: --skill-based needs --job-type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := dispatchRun(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.msg)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("error is more than one line: %q", errOut)
			}
		})
	}
	// Nothing was written beside the refused outputs.
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d entries in %s, want the 2 the test made", len(ents), dir)
	}
}

// TestFlagGivenAsZero: an explicit value that equals the old "not given"
// sentinel is honoured (--seed 0 is a seed), and a repeatable flag may be
// repeated.
func TestFlagGivenAsZero(t *testing.T) {
	out, errOut, code := dispatchRun(t, "", "simulate", "--replications", "2", "--seed", "0", "--format", "json", "--workers", "2")
	if code != 0 {
		t.Fatalf("simulate --seed 0: exit %d, %s", code, errOut)
	}
	if !strings.Contains(out, `"seed": 0,`) {
		t.Errorf("simulate --seed 0 did not run seed 0: %.400s", out)
	}
	// serve's --tenant is repeatable: a second one is not refused as a
	// repeat (it fails on the missing file instead).
	_, errOut, code = dispatchRun(t, "", "serve", "--tenant", "/nonexistent/a.json", "--tenant", "/nonexistent/b.json")
	if code != 1 || strings.Contains(errOut, "more than once") || !strings.Contains(errOut, "/nonexistent/a.json") {
		t.Errorf("serve with two --tenant: exit %d, %q", code, errOut)
	}
}

// TestFloatFlags: a float flag takes a finite decimal number as JSON
// spells it; NaN, ±Inf, hexadecimal floats, a "+" sign, underscores and
// numbers that overflow are a usage error naming the flag (exit status 2),
// never a panic, and the tenant file is left as it was. --home also checks
// the ranges of latitude (−90..90) and longitude (−180..180).
func TestFloatFlags(t *testing.T) {
	path := demoCopy(t)
	before, _ := os.ReadFile(path)
	bad := []struct{ home, msg string }{
		{"NaN,NaN", `--home: latitude "NaN" is not a decimal number`},
		{"nan,0", `--home: latitude "nan" is not a decimal number`},
		{"Inf,0", `--home: latitude "Inf" is not a decimal number`},
		{"0,-Inf", `--home: longitude "-Inf" is not a decimal number`},
		{"0,infinity", `--home: longitude "infinity" is not a decimal number`},
		{"0x1p4,0", `--home: latitude "0x1p4" is not a decimal number`},
		{"+39.7,-104.9", `--home: latitude "+39.7" is not a decimal number`},
		{"39.7,-1_04.9", `--home: longitude "-1_04.9" is not a decimal number`},
		{".5,1", `--home: latitude ".5" is not a decimal number`},
		{"1e999,0", `--home: latitude "1e999" is out of range`},
		{"90.5,0", "--home: latitude 90.5 is outside −90..90"},
		{"-91,0", "--home: latitude -91 is outside −90..90"},
		{"0,180.01", "--home: longitude 180.01 is outside −180..180"},
		{"0,-181", "--home: longitude -181 is outside −180..180"},
		{"39.74", `--home: "39.74" is not LATITUDE,LONGITUDE`},
	}
	for _, verb := range []string{"add", "update"} {
		for _, b := range bad {
			args := []string{"technician", verb, "--tenant", path, "--technician", "104", "--home", b.home}
			if verb == "add" {
				args = []string{"technician", "add", "--tenant", path, "--technician", "999", "--name", "X", "--business-unit", "1", "--home", b.home}
			}
			_, errOut, code := dispatchRun(t, "", args...)
			if code != 2 || !strings.HasPrefix(errOut, "dispatch technician "+verb+": "+b.msg) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("%s --home %s: exit %d, stderr %q; want 2 and %q", verb, b.home, code, errOut, b.msg)
			}
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a refused --home changed the tenant file")
	}
	// The bounds themselves and an exponent are fine.
	for _, home := range []string{"90,180", "-90,-180", "3.974e1, -104.99", "0,0", "-0.0,1E2"} {
		out, errOut, code := dispatchRun(t, "", "technician", "update", "--tenant", path, "--technician", "104", "--home", home)
		if code != 0 || !strings.Contains(out, `"home"`) {
			t.Errorf("--home %s: exit %d, %s", home, code, errOut)
		}
	}
}

// TestBodyOfNoPanic: a request that cannot be encoded is an error, not a
// panic.
func TestBodyOfNoPanic(t *testing.T) {
	if _, err := bodyOf(math.NaN()); err == nil {
		t.Error("bodyOf(NaN): no error")
	}
}

// TestHelpCommand: "dispatch help X" prints X's help, as "dispatch X -h"
// does, for every command and every verb of a noun command; an unknown
// command is a usage error.
func TestHelpCommand(t *testing.T) {
	general, _, _ := dispatchRun(t, "", "help")
	var lines [][]string
	for name := range commands {
		lines = append(lines, []string{name})
		for _, sub := range subcommands[name] {
			lines = append(lines, []string{name, sub.name})
		}
	}
	lines = append(lines, []string{"simulate", "merge"}, []string{"simulate", "optimize"}, []string{"simulate", "optimize", "merge"})
	for _, l := range lines {
		want, _, code := dispatchRun(t, "", append(append([]string{}, l...), "-h")...)
		if code != 0 {
			t.Fatalf("%q -h: exit %d", l, code)
		}
		got, errOut, code := dispatchRun(t, "", append([]string{"help"}, l...)...)
		if code != 0 || got != want || errOut != "" || got == general {
			t.Errorf("help %s: exit %d, stderr %q, stdout\n%.300s\nwant the output of -h:\n%.300s", strings.Join(l, " "), code, errOut, got, want)
		}
	}
	if _, errOut, code := dispatchRun(t, "", "help", "nope"); code != 2 || !strings.Contains(errOut, `unknown command "nope"`) {
		t.Errorf("help nope: exit %d, %q", code, errOut)
	}
}

// TestPlainHTTPWarning: serve warns when it listens beyond loopback (the
// security review: tokens over plain HTTP), and not on loopback.
func TestPlainHTTPWarning(t *testing.T) {
	for _, tc := range []struct {
		addr string
		warn bool
	}{
		{"127.0.0.1:8080", false},
		{"[::1]:8080", false},
		{"127.0.0.2:8080", false},
		{"0.0.0.0:8080", true},
		{"[::]:8080", true},
		{"192.168.1.10:8080", true},
	} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := plainHTTPWarning(a) != ""; got != tc.warn {
			t.Errorf("%s: warning %v, want %v", tc.addr, got, tc.warn)
		}
	}
}

// TestNoFirstWorkingDay: capacity without --from and --to, and board
// without --date, ask about the tenant's first working day; a tenant with
// no active Normal shift has none, and the commands say so, naming the
// flags to give, instead of answering for 1969-12-31 (the Unix epoch's
// local date), a day nobody asked about.
func TestNoFirstWorkingDay(t *testing.T) {
	tiny, err := os.ReadFile("../../tenant/testdata/tiny.json")
	if err != nil {
		t.Fatal(err)
	}
	onCall := bytes.Replace(tiny, []byte(`"shiftType": "Normal"`), []byte(`"shiftType": "OnCall"`), 1)
	if bytes.Equal(onCall, tiny) {
		t.Fatal("tiny.json has no Normal shift to change")
	}
	path := filepath.Join(t.TempDir(), "on-call.json")
	if err := os.WriteFile(path, onCall, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"capacity", "--tenant", path}, "dispatch capacity: give --from and --to: the tenant has no active Normal shift, so no first working day to ask about"},
		{[]string{"board", "--tenant", path}, "dispatch board: give --date: the tenant has no active Normal shift, so no first working day to show"},
	} {
		out, errOut, code := dispatchRun(t, "", tt.args...)
		if code != 2 || !strings.HasPrefix(errOut, tt.want) || out != "" {
			t.Errorf("%q: exit %d, stdout %.200q, stderr %q; want exit 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
	// With the dates given, both answer.
	for _, args := range [][]string{{"capacity", "--tenant", path, "--from", "2026-03-09", "--to", "2026-03-10"}, {"board", "--tenant", path, "--date", "2026-03-09"}} {
		if _, errOut, code := dispatchRun(t, "", args...); code != 0 {
			t.Errorf("%q: exit %d, %s", args, code, errOut)
		}
	}
}
