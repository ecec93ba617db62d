package dispatch_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
