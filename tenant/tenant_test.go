package tenant_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
)

func load(t testing.TB, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDesignExample loads the example of the design's file format section
// and checks that saving reaches a fixed point after one round trip.
func TestDesignExample(t *testing.T) {
	ten, err := tenant.Parse(load(t, "testdata/tiny.json"))
	if err != nil {
		t.Fatal(err)
	}
	var once, twice bytes.Buffer
	if err := ten.Save(&once); err != nil {
		t.Fatal(err)
	}
	again, err := tenant.Parse(once.Bytes())
	if err != nil {
		t.Fatalf("the saved file does not load: %v\n%s", err, once.String())
	}
	again.Save(&twice)
	if !bytes.Equal(once.Bytes(), twice.Bytes()) {
		t.Errorf("save(load(save(load(x)))) != save(load(x)):\n%s\n%s", once.String(), twice.String())
	}
	for _, want := range []string{`"start": "2026-03-09T07:00:00-06:00"`, `"utcDateTime": "2026-03-09T14:00:00Z"`, `"assignedOn": "2026-03-02T09:00:00-07:00"`} {
		if !strings.Contains(once.String(), want) {
			t.Errorf("saved file lacks %s", want)
		}
	}
	if n := len(ten.GPS.Range(101, 0, 1<<40)); n != 1 {
		t.Errorf("GPS store holds %d pings, want 1", n)
	}
}

// replace applies string replacements to the tiny tenant.
func replace(t testing.TB, pairs ...string) []byte {
	s := string(load(t, "testdata/tiny.json"))
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("fixture lacks %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return []byte(s)
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []string // every line of the error, in order
	}{
		{"empty", []byte("  "), []string{"tenant: malformed JSON: the file is empty"}},
		{"syntax", []byte("{\n  \"version\": 1,\n  \"tenant\": }"), []string{"tenant: malformed JSON at line 3, column 13: invalid character '}' at start of value"}},
		// Problems of shape are listed in the order of the file.
		{"unknown fields and types", replace(t, `"version": 1`, `"version": "1", "colour": "red"`, `"skills": ["HVAC"], "zoneIds"`, `"skills": ["HVAC"], "skils": [], "zoneIds"`), []string{
			`version: tenant: want an integer, got the string "1"`,
			`colour: tenant: unknown field "colour"`,
			`technicians[0].skils: tenant: unknown field "skils"`,
		}},
		// A second "assignments" would silently replace the first.
		{"duplicate keys", replace(t, `"gpsPings"`, `"assignments": [], "gpsPings"`, `"name": "Ana Ruiz"`, `"name": "Ana Ruiz", "name": "Ana"`), []string{
			`technicians[0].name: tenant: duplicate key "name"`,
			`assignments: tenant: duplicate key "assignments"`,
		}},
		{"problems, then a syntax error", replace(t, `"skills": ["HVAC"], "zoneIds"`, `"skills": "HVAC", "zoneIds"`, `"speed": 0`, `"speed": 0,,`), []string{
			`technicians[0].skills: tenant: want an array, got the string "HVAC"`,
			`tenant: malformed JSON at line 22, column 90: invalid character ',' at start of object key (want '"')`,
		}},
		{"numbers out of range", replace(t, `"durationMinutes": 90`, `"durationMinutes": 1e30`, `"id": 101`, `"id": 1.5`), []string{
			`jobTypes[0].durationMinutes: tenant: want an integer, got the number 1e30`,
			`technicians[0].id: tenant: want an integer, got the number 1.5`,
		}},
		// encoding/json would fill version and skills from these; the
		// format's keys are exact, with or without other problems.
		{"keys in another case", replace(t, `"version": 1`, `"Version": 1`, `"skills": ["HVAC"], "zoneIds"`, `"Skills": ["HVAC"], "zoneIds"`), []string{
			`Version: tenant: unknown field "Version"`,
			`technicians[0].Skills: tenant: unknown field "Skills"`,
		}},
		{"every semantic problem at once", replace(t,
			`"timeZone": "America/Denver"`, `"timeZone": "America/Denverr"`,
			`"durationMinutes": 90`, `"durationMinutes": 0`,
			`"businessUnitId": 1, "skills"`, `"businessUnitId": 7, "skills"`,
			`"start": "2026-03-09T07:00:00-06:00"`, `"start": "2026-03-09 07:00"`,
			`"jobAppointmentId": 5001`, `"jobAppointmentId": 5002`,
			`"zoneIds": [1]`, `"zoneIds": [1, 3]`,
			`"status": "Assigned"`, `"status": "Done"`,
		), []string{
			`timeZone: hours: unknown time zone "America/Denverr" (did you mean "America/Denver"?)`,
			`shifts[0].start: tenant: "2026-03-09 07:00" is not an RFC 3339 date-time`,
			`assignments[0].status: capacity: unknown assignment status "Done" (want Assigned or Unassigned)`,
			`jobTypes[0].durationMinutes: capacity: job type 10 has no positive duration (0 minutes); a missing duration overbooks`,
			`technicians[0].businessUnitId: capacity: unknown business unit 7`,
			`technicians[0].zoneIds[1]: capacity: unknown zone 3`,
			`assignments[0].jobAppointmentId: capacity: unknown appointment 5002`,
		}},
		{"duplicates and references", replace(t,
			`"version": 1`, `"version": 2`,
			`"technicianId": 101, "shiftType"`, `"technicianId": 102, "shiftType"`,
			`"id": 5001, "jobId"`, `"id": 5001, "jobId": 1, "jobTypeId": 10, "businessUnitId": 1, "start": "2026-03-09T10:00:00-06:00", "end": "2026-03-09T11:30:00-06:00", "arrivalWindowStart": "2026-03-09T10:00:00-06:00", "arrivalWindowEnd": "2026-03-09T12:00:00-06:00"}, {"id": 5001, "jobId"`,
			`"zips": ["80202"]`, `"zips": ["8020#"]`,
			`{"technicianId": 101, "latitude": 39.75`, `{"technicianId": 9, "latitude": 95`,
		), []string{
			`version: tenant: version 2 is not supported (want 1)`,
			`zones[0].zips[0]: zones: malformed postal code "8020#" (want 2 to 10 letters or digits, spaces and hyphens aside)`,
			`gpsPings[0].latitude: gps: latitude 95 is outside −90…90`,
			`gpsPings[0].technicianId: tenant: unknown technician 9`,
			`shifts[0].technicianId: capacity: unknown technician 102`,
			`appointments[1].id: capacity: duplicate id 5001 (also appointments[0])`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tenant.Parse(tt.in)
			if err == nil {
				t.Fatal("Parse accepted bad input")
			}
			if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
			var list validate.Errors
			if len(tt.want) > 1 && !errors.As(err, &list) {
				t.Errorf("error is not a validate.Errors")
			}
			if _, err := tenant.Load(bytes.NewReader(tt.in)); err == nil || err.Error() != strings.Join(tt.want, "\n") {
				t.Errorf("Load:\n%v\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(load(f, "testdata/tiny.json"))
	f.Add(load(f, "testdata/controls.json"))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ten, err := tenant.Parse(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		// Anything accepted saves, and the saved form loads back to itself.
		var once, twice bytes.Buffer
		if err := ten.Save(&once); err != nil {
			t.Fatal(err)
		}
		again, err := tenant.Parse(once.Bytes())
		if err != nil {
			t.Fatalf("saved form does not load: %v", err)
		}
		again.Save(&twice)
		if !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatal("canonical form is not a fixed point")
		}
	})
}
