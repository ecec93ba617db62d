package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fuzzCommands are the commands FuzzRun runs: every command but those
// that serve, benchmark or simulate (they run for seconds to hours by
// design; FuzzScenarioRun in package sim covers the simulator), and
// "help" and an unknown name.
// It is filled in by FuzzRun: the commands register in init functions,
// after package variables are initialized.
var fuzzCommands []string

func listFuzzCommands() []string {
	var names []string
	for n := range commands {
		switch n {
		case "serve", "bench", "simulate":
			continue
		}
		names = append(names, n)
	}
	slices.Sort(names)
	return append(names, "help", "nonesuch", "-h")
}

// runFuzzArgs splits a fuzzed argument list: arguments are separated by
// NUL bytes. ok is false for lists that could reach outside the test's
// directory (a path separator) or ask for the large synthetic profiles.
func runFuzzArgs(cmd uint8, args string) (argv []string, ok bool) {
	argv = []string{fuzzCommands[int(cmd)%len(fuzzCommands)]}
	if args != "" {
		argv = append(argv, strings.Split(args, "\x00")...)
	}
	for _, a := range argv {
		if strings.ContainsAny(a, `/\`) || strings.Contains(a, "..") {
			return nil, false
		}
		for _, big := range []string{"medium", "large", "enterprise"} {
			if strings.Contains(strings.ToLower(a), big) {
				return nil, false
			}
		}
	}
	return argv, true
}

// FuzzRun runs the command line in-process, as the other tests do, with a
// fuzzed argument list and standard input, in a fresh directory holding a
// small tenant file, t.json (relative file names land there; names with a
// path separator are skipped). Whatever the arguments: no panic; the exit
// status is 0, 1 (a data error) or 2 (a usage error); a failure ends
// stderr with one line "dispatch COMMAND: MESSAGE" (or "dispatch: ...")
// that says something; and the same arguments, input and files give the
// same status and bytes again.
//
// The seed corpus (testdata/fuzz/FuzzRun) holds the command lines of the
// golden tests and of the lifecycle, adjustment and assignment tests,
// pointed at t.json.
func FuzzRun(f *testing.F) {
	tiny, err := os.ReadFile(filepath.Join("..", "..", "tenant", "testdata", "tiny.json"))
	if err != nil {
		f.Fatal(err)
	}
	fuzzCommands = listFuzzCommands()
	// A change made without --now is stamped with the wall clock: two runs
	// a second apart would differ in that stamp alone.
	fixed := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	saved := wallClock
	wallClock = func() time.Time { return fixed }
	f.Cleanup(func() { wallClock = saved })
	idx := func(name string) uint8 { return uint8(slices.Index(fuzzCommands, name)) }
	f.Add(idx("capacity"), "--from\x002027-03-09\x00--to\x002027-03-10\x00--job-type\x00103\x00--skill-based\x00--zip\x0080202", "")
	f.Add(idx("capacity"), "--tenant\x00t.json\x00--request\x00-", `{"startsOnOrAfter":"2026-03-09T00:00:00-06:00","endsOnOrBefore":"2026-03-10T00:00:00-06:00"}`)
	f.Add(idx("shifts"), "--tenant\x00t.json\x00--page-size\x004\x00--page\x002", "")
	f.Add(idx("assign"), "--tenant\x00t.json\x00--appointment\x005001\x00--technicians\x00101\x00--now\x002026-03-30T10:00:00-06:00", "")
	f.Add(idx("adjust"), "--tenant\x00t.json\x00--date\x002026-03-09\x00--window\x0008:00-10:00\x00--minutes\x0090\x00--reason\x00r", "")
	f.Add(idx("board"), "--tenant\x00t.json\x00--date\x002026-03-09\x00-o\x00b.html", "")
	f.Add(idx("generate"), "--seed\x007\x00-o\x00g.json", "")
	f.Add(idx("help"), "capacity", "")
	for _, c := range []struct{ cmd, args string }{
		{"appointment", "create --tenant t.json --appointment 9001 --job-type 10 --business-unit 1 --start 2026-03-09T13:00 --end 2026-03-09T15:00 --arrival-start 2026-03-09T12:00 --arrival-end 2026-03-09T16:00 --zip 80202 --job 77"},
		{"appointment", "reschedule --tenant t.json --appointment 5001 --start 2026-03-09T09:00 --end 2026-03-09T10:00"},
		{"appointment", "cancel --tenant t.json --appointment 5001 --now 2026-03-02T10:00"},
		{"shift", "create --tenant t.json --technicians 101 --start 2026-03-13T08:00 --end 2026-03-13T14:00 --title Overtime --now 2026-03-01"},
		{"shift", "update --tenant t.json --shift 1 --note late --end 2026-03-09T18:00 --active=false --now 2026-03-01"},
		{"shift", "delete --tenant t.json --shift 1"},
		{"technician", "add --tenant t.json --technician 120 --name Kim --business-unit 1 --skills HVAC --zones 1 --home 39.7,-105"},
		{"technician", "deactivate --tenant t.json --technician 101"},
		{"unassign", "--tenant t.json --appointment 5001 --technicians 101"},
		{"appointments", "--tenant t.json --from 2026-03-09 --to 2026-03-10 --unassigned"},
		{"gps", "--tenant t.json --technician 101 --from 2026-03-09T13:00:00Z --to 2026-03-09T15:00:00Z"},
	} {
		f.Add(idx(c.cmd), strings.ReplaceAll(c.args, " ", "\x00"), "")
	}
	f.Fuzz(func(t *testing.T, cmd uint8, args, stdin string) {
		argv, ok := runFuzzArgs(cmd, args)
		if !ok {
			t.Skip()
		}
		runIn := func() (string, string, int) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "t.json"), tiny, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			var out, errb bytes.Buffer
			code := run(slices.Clone(argv), strings.NewReader(stdin), &out, &errb)
			return out.String(), errb.String(), code
		}
		out, errOut, code := runIn()
		switch code {
		case 0:
		case 1, 2:
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			last := lines[len(lines)-1]
			msg, ok := strings.CutPrefix(last, "dispatch")
			if !ok || !strings.HasSuffix(errOut, "\n") || len(strings.TrimSpace(msg)) < 3 {
				t.Fatalf("%q: exit %d with stderr %q: not a line \"dispatch COMMAND: MESSAGE\"", argv, code, errOut)
			}
		default:
			t.Fatalf("%q: exit %d", argv, code)
		}
		out2, errOut2, code2 := runIn()
		if code2 != code || out2 != out || errOut2 != errOut {
			t.Fatalf("%q: not deterministic: exit %d then %d\nstdout %.300q\nthen   %.300q\nstderr %q\nthen   %q", argv, code, code2, out, out2, errOut, errOut2)
		}
	})
}
