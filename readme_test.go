package dispatch_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/internal/testkit/shellwords"
)

// TestReadmeEmbedding runs the README's embedding snippet as a program, so
// that it compiles against the packages as they are and answers what it
// says: a technician lacking the job type's skill, given a shift, is not
// counted by the snippet's request (it was, when the request left out
// SkillBasedAvailability). The program is laid over the module with
// go run -overlay; nothing is written into the repository.
func TestReadmeEmbedding(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Embedding the engine\n")
	_, rest, ok2 := strings.Cut(section, "\n```go\n")
	snippet, _, ok3 := strings.Cut(rest, "\n```\n")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README has no Go block under \"Embedding the engine\"")
	}
	for _, decl := range []string{"tuesday :=", "e, err :=", "req :=", "resp, err :="} {
		if !strings.Contains(snippet, decl) {
			t.Fatalf("the README snippet no longer has %q, which this test uses:\n%s", decl, snippet)
		}
	}
	prog := `package main

import (
	"fmt"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

func main() {
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Denver",
		BusinessHours:  hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Tuesday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}}}},
		ArrivalWindows: []hours.ArrivalWindow{{ID: 1, From: "08:00", To: "12:00"}, {ID: 2, From: "12:00", To: "16:00"}}})
	check(err)
// README snippet
` + snippet + `
// end of README snippet
	check(err)
	print := func() {
		for _, a := range resp.Availabilities {
			for _, ts := range a.Timeslots {
				fmt.Printf("%s %v\n", ts.Start.Format("15:04"), ts.TechnicianIDs)
			}
		}
	}
	print()
	// A technician without the job type's skill, working all day.
	check(e.AddTechnician(capacity.Technician{ID: 102, Name: "Cy", BusinessUnitID: 1, Skills: []string{"Plumbing"}}))
	_, err = e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{102}, Type: shifts.Normal, Start: tuesday(8, 0), End: tuesday(17, 0)})
	check(err)
	resp, err = e.Capacity(req)
	check(err)
	print()
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
`
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "main.go")
	if err := os.WriteFile(main, []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(wd, "internal", "readmesnippet", "main.go"): main}})
	ovPath := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ovPath, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(goBin, "run", "-overlay", ovPath, "./internal/readmesnippet").CombinedOutput()
	if err != nil {
		t.Fatalf("the README snippet does not run: %v\n%s\nprogram:\n%s", err, out, prog)
	}
	want := "08:00 [101]\n12:00 [101]\n08:00 [101]\n12:00 [101]\n"
	if string(out) != want {
		t.Errorf("the README snippet answers\n%s\nwant (Cy, who lacks HVAC, never counted)\n%s", out, want)
	}
}

// TestReadmeConsole runs the command lines of the README's console blocks
// and holds each to the output the README shows under it: every line of
// it that is not elided ("…") appears in the output, in order (compared
// without white space, since the README lays JSON out more tightly). It
// then holds the figures the README quotes in prose from studies it names
// to what those studies print (readmeFigures). Files the commands name
// are made in a temporary directory: my-tenant.json is the demo,
// broken.json, mst.json and stray.json the broken tenants the README
// describes; sim/ is the repository's. The server's block is left out.
func TestReadmeConsole(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs its studies")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dispatch")
	if out, err := exec.Command(goBin, "build", "-o", bin, "./cmd/dispatch").CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/dispatch: %v\n%s", err, out)
	}
	demo, err := os.ReadFile(filepath.Join("testdata", "tenants", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	tiny, err := os.ReadFile(filepath.Join("tenant", "testdata", "tiny.json"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(name string, b []byte, pairs ...string) {
		s := string(b)
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("%s: the text to change, %q, is not in its source", name, pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("my-tenant.json", demo)
	edit("broken.json", tiny, `"timeZone": "America/Denver"`, `"timeZone": "America/Denvr"`,
		`"technicians": [{"id": 101, "name": "Ana Ruiz", "businessUnitId": 1,`, `"technicians": [{"id": 101, "name": "Ana Ruiz", "businessUnitId": 9,`)
	edit("mst.json", tiny, `"timeZone": "America/Denver"`, `"timeZone": "MST"`)
	edit("stray.json", demo, `"capacityAdjustments": [
    {
      "id": 1,
      "date": "2027-03-09",
      "from": "08:00",
      "to": "10:00",`, `"capacityAdjustments": [
    {
      "id": 1,
      "date": "2027-03-09",
      "from": "09:00",
      "to": "11:00",`)
	if err := os.Symlink(filepath.Join(wd, "sim"), filepath.Join(dir, "sim")); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, line string) string {
		t.Helper()
		words := readmeWords(t, line)
		cmd := exec.Command(bin, words[1:]...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput() // a failing command's error line is part of what the README shows
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%s: %v", line, err)
		}
		return string(out)
	}

	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	ran := 0
	for rest := readme; ; {
		_, block, ok := strings.Cut(rest, "\n```console\n")
		if !ok {
			break
		}
		block, rest, _ = strings.Cut(block, "\n```\n")
		var line string
		var want []string
		check := func() {
			if line == "" {
				return
			}
			ran++
			if got := run(t, line); inOrder(got, want) != "" {
				t.Errorf("README: $ %s\nprints no line %q where the README shows it; it prints:\n%s", line, inOrder(got, want), got)
			}
		}
		for _, l := range strings.Split(block, "\n") {
			if cmd, ok := strings.CutPrefix(l, "$ "); ok {
				check()
				line, want = strings.Replace(cmd, "go run ./cmd/dispatch", "dispatch", 1), nil
				if strings.HasPrefix(line, "dispatch serve") {
					line = "" // serves until stopped; its lines hold a fresh secret
				}
				continue
			}
			if !strings.Contains(l, "…") {
				want = append(want, l)
			}
		}
		check()
	}
	if ran < 8 {
		t.Errorf("ran %d command lines of the README's console blocks; it has at least 8", ran)
	}

	flat := strings.Join(strings.Fields(readme), " ")
	outputs := map[string]string{}
	for _, f := range readmeFigures {
		if !strings.Contains(flat, f.readme) {
			t.Errorf("README no longer says %q: update readmeFigures with it", f.readme)
			continue
		}
		if _, ok := outputs[f.command]; !ok {
			outputs[f.command] = run(t, f.command)
		}
		if missing := inOrder(outputs[f.command], f.output); missing != "" {
			t.Errorf("README says %q, from %s; that prints no %q after %q", f.readme, f.command, missing, f.output[0])
		}
	}
}

// readmeFigures pairs figures the README quotes in prose with the lines of
// the study's text report they come from. A study that moves fails the
// test: correct the README, then the pair.
var readmeFigures = []struct {
	readme  string   // the README's words, white space collapsed
	command string   // the study
	output  []string // lines of its report, in order (white space ignored)
}{
	{`Two more HVAC technicians on Tuesdays and Thursdays book +0.6 ± 0.3 calls in two weeks; they cost two points of utilisation, take 0.5 ± 0.3 emergencies off the "all busy" losses and none off the rota's gap.`,
		"dispatch simulate",
		[]string{"booked calls 952.9 ±8.72 953.5 ±8.69 +0.63 ±0.29 *",
			"emergency: all busy calls 7.53 ±1.05 7.03 ±1.02 -0.50 ±0.27 *", "emergency: none on duty calls 11.50 ±1.28 11.50 ±1.28 0.00 ±0.15",
			"utilisation (on site ÷ working) % 60.41 ±0.63 58.47 ±0.63 -1.94 ±0.06 *"}},
	{"one more technician like him on every weekday takes 12.7 ± 3.6 off the declines in 10 replications",
		"dispatch simulate --scenario sim/testdata/lakewood.scenario.json",
		[]string{"customer declined calls 31.60 ±6.40 18.90 ±4.86 -12.70 ±3.59 *"}},
	{"The 20-minute drive buffer costs 7.4 ± 1.2 bookings a fortnight and saves 17.7 ± 2.4 hours of overtime and 1.8 ± 0.4 points of late arrivals.",
		"dispatch simulate --scenario sim/testdata/levers.scenario.json",
		[]string{"booked (calls)", "no drive buffer 960.3 ±8.86 +7.40 ±1.16 *",
			"overtime over the measured days (hours)", "no drive buffer 79.64 ±3.98 +17.66 ±2.43 *",
			"on-time arrival rate (%)", "no drive buffer 91.05 ±0.48 -1.84 ±0.36 *"}},
	{"The installs cap costs 12.7 ± 2.0 bookings (installs pushed out far enough to be declined); without it, 0.8 ± 0.5 more emergencies are lost and overtime grows by 6.0 ± 1.9 hours.",
		"dispatch simulate --scenario sim/testdata/levers.scenario.json",
		[]string{"booked (calls)", "no installs cap 965.6 ±8.52 +12.70 ±2.01 *",
			"overtime over the measured days (hours)", "no installs cap 67.96 ±3.75 +5.98 ±1.93 *",
			"emergencies lost (calls)", "no installs cap 19.83 ±1.66 +0.80 ±0.54 *"}},
	{"(`offerExceeding: false`) turns away 133 ± 5 routine calls there to save 5.4 ± 0.9 emergencies (of the 7.5 lost with everyone busy) and 34 ± 5 minutes of response to the emergencies reached.",
		"dispatch simulate --scenario sim/testdata/levers.scenario.json",
		[]string{"lost: held by ideal booking % (calls)", "hold over-ideal windows 133.0 ±5.43 +133.0 ±5.43 *",
			"lost: emergency: all busy (calls)", "baseline 7.53 ±1.05", "hold over-ideal windows 2.17 ±0.59 -5.37 ±0.94 *",
			"emergency response, mean of reached (minutes)", "hold over-ideal windows 56.93 ±4.29 -33.56 ±4.56 *"}},
	{"| routine calls booked a fortnight (none 955.7, 15% 952.9) | −2.8 ± 0.6 | −6.6 ± 1.2 |",
		"dispatch simulate --scenario sim/testdata/reserve.scenario.json",
		[]string{"booked (calls)", "baseline 952.9 ±8.72", "no reserve 955.7 ±8.75 +2.80 ±0.61 *", "30% reserve 946.2 ±8.71 -6.63 ±1.24 *"}},
	{"| booking rate (none 95.31%, 15% 95.03%) | −0.28 ± 0.06 points | −0.66 ± 0.12 points |",
		"dispatch simulate --scenario sim/testdata/reserve.scenario.json",
		[]string{"booking rate (%)", "baseline 95.03 ±0.27", "no reserve 95.31 ±0.26 +0.28 ±0.06 *", "30% reserve 94.37 ±0.29 -0.66 ±0.12 *"}},
	{"| routine call to arrival, mean (none 28.6 h, 15% 29.3 h) | +0.7 ± 0.1 h | +2.5 ± 0.2 h |",
		"dispatch simulate --scenario sim/testdata/reserve.scenario.json",
		[]string{"call to arrival, mean (hours)", "baseline 29.28 ±0.86", "no reserve 28.59 ±0.85 -0.69 ±0.14 *", "30% reserve 31.78 ±0.89 +2.50 ±0.24 *"}},
	{"| emergency response of those reached, mean (none 91.5 min, 15% 90.5 min) | −1.0 ± 1.8 min | +2.0 ± 2.5 min |",
		"dispatch simulate --scenario sim/testdata/reserve.scenario.json",
		[]string{"emergency response, mean of reached (minutes)", "baseline 90.49 ±5.32", "no reserve 91.53 ±4.93 +1.05 ±1.78", "30% reserve 92.44 ±5.52 +1.95 ±2.51"}},
	{"| emergencies lost (none 18.7, 15% 19.0) | +0.3 ± 0.3 | +0.2 ± 0.3 |",
		"dispatch simulate --scenario sim/testdata/reserve.scenario.json",
		[]string{"emergencies lost (calls)", "baseline 19.03 ±1.63", "no reserve 18.70 ±1.61 -0.33 ±0.27 *", "30% reserve 19.20 ±1.63 +0.17 ±0.34"}},
	{"| overtime (none 64.3 h, 15% 62.0 h) | −2.4 ± 1.2 h | −3.5 ± 1.5 h |",
		"dispatch simulate --scenario sim/testdata/reserve.scenario.json",
		[]string{"overtime over the measured days (hours)", "baseline 61.98 ±3.80", "no reserve 64.34 ±4.00 +2.35 ±1.17 *", "30% reserve 58.46 ±3.62 -3.52 ±1.46 *"}},
	{"| on-time arrival rate (none 91.8%, 15% 92.9%) | +1.1 ± 0.2 points | +0.7 ± 0.2 points |",
		"dispatch simulate --scenario sim/testdata/reserve.scenario.json",
		[]string{"on-time arrival rate (%)", "baseline 92.89 ±0.49", "no reserve 91.83 ±0.53 -1.06 ±0.24 *", "30% reserve 93.63 ±0.49 +0.74 ±0.24 *"}},
}

// inOrder reports the first of lines (white space ignored, empty ones
// skipped) that does not appear in out after the one before it, or "".
func inOrder(out string, lines []string) string {
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	rest := squeeze(out)
	for _, l := range lines {
		want := squeeze(l)
		if want == "" {
			continue
		}
		i := strings.Index(rest, want)
		if i < 0 {
			return l
		}
		rest = rest[i+len(want):]
	}
	return ""
}

// readmeWords splits a README command line as sh would, and checks that
// it runs dispatch.
func readmeWords(t *testing.T, line string) []string {
	t.Helper()
	words, err := shellwords.Split(line)
	if err != nil {
		t.Fatal(err)
	}
	if len(words) < 2 || words[0] != "dispatch" {
		t.Fatalf("README command %q does not run dispatch", line)
	}
	return words
}
