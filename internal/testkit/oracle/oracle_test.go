package oracle

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestLocal pins the §3 rule on each kind of transition, the expected
// instants worked out by hand from the zones' 2026 changes.
func TestLocal(t *testing.T) {
	for _, tc := range []struct {
		zone, date, clock, want string
	}{
		{"America/Denver", "2026-03-08", "02:30", "2026-03-08T03:30:00-06:00"}, // gap: forward by the gap
		{"America/Denver", "2026-03-08", "03:00", "2026-03-08T03:00:00-06:00"},
		{"America/Denver", "2026-11-01", "01:30", "2026-11-01T01:30:00-06:00"}, // repeated: the earlier
		{"America/Denver", "2026-11-01", "02:00", "2026-11-01T02:00:00-07:00"},
		{"Europe/London", "2026-03-29", "01:00", "2026-03-29T02:00:00+01:00"},
		{"Europe/London", "2026-03-29", "01:59", "2026-03-29T02:59:00+01:00"},
		{"Europe/London", "2026-10-25", "01:30", "2026-10-25T01:30:00+01:00"},
		{"Australia/Lord_Howe", "2026-10-04", "02:15", "2026-10-04T02:45:00+11:00"}, // a 30-minute gap
		{"Australia/Lord_Howe", "2026-04-05", "01:45", "2026-04-05T01:45:00+11:00"},
		{"America/Santiago", "2026-09-06", "00:00", "2026-09-06T01:00:00-03:00"}, // no midnight
		{"America/Santiago", "2026-09-05", "24:00", "2026-09-06T01:00:00-03:00"},
		{"America/Santiago", "2026-04-04", "23:30", "2026-04-04T23:30:00-03:00"},
		{"America/Santiago", "2026-04-04", "24:00", "2026-04-05T00:00:00-04:00"},
		{"America/Havana", "2026-03-08", "00:30", "2026-03-08T01:30:00-04:00"},
		{"America/Havana", "2026-11-01", "00:30", "2026-11-01T00:30:00-04:00"},
		{"Asia/Beirut", "2026-03-29", "00:00", "2026-03-29T01:00:00+03:00"},
		{"America/St_Johns", "2026-03-08", "02:15", "2026-03-08T03:15:00-02:30"},
		{"Pacific/Chatham", "2026-09-27", "03:00", "2026-09-27T04:00:00+13:45"},
		{"Pacific/Chatham", "2026-04-05", "03:00", "2026-04-05T03:00:00+13:45"},
		{"Africa/Casablanca", "2026-02-15", "02:30", "2026-02-15T02:30:00+01:00"}, // Ramadan: back an hour
		{"Africa/Casablanca", "2026-03-22", "02:30", "2026-03-22T03:30:00+01:00"},
		{"Europe/Dublin", "2026-03-29", "01:30", "2026-03-29T02:30:00+01:00"}, // negative DST in tzdata
		{"Asia/Kolkata", "2026-06-01", "09:00", "2026-06-01T09:00:00+05:30"},
	} {
		loc := mustLoc(t, tc.zone)
		d, err := parseCivil(tc.date)
		if err != nil {
			t.Fatal(err)
		}
		c, err := clock(tc.clock)
		if err != nil {
			t.Fatal(err)
		}
		if got := time.Unix(local(loc, d, c), 0).In(loc).Format(time.RFC3339); got != tc.want {
			t.Errorf("local(%s, %s %s) = %s, want %s", tc.zone, tc.date, tc.clock, got, tc.want)
		}
	}
}

// TestLocalBruteForce checks local against a scan, minute by minute, of
// the instants around every minute of the days around each transition of
// the generator's zones: a wall time that some instant reads as gives the
// earliest such instant; one that none reads as gives the instant that
// reads as the wall time plus the gap.
func TestLocalBruteForce(t *testing.T) {
	lo, hi := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	checked := 0
	for _, zone := range Zones {
		loc := mustLoc(t, zone)
		trs := Transitions(loc, lo, hi)
		if testing.Short() && len(trs) > 4 {
			trs = trs[:4]
		}
		for _, tr := range trs {
			day := dateAt(loc, tr.At)
			for d := day - 1; d <= day+1; d++ {
				for m := 0; m <= 1440; m += 15 {
					wall := int64(d)*86400 + int64(m)*60
					readsAs := func(u int64) int64 {
						t := time.Unix(u, 0).In(loc)
						return int64(civilOf(t.Year(), t.Month(), t.Day()))*86400 + int64(t.Hour()*3600+t.Minute()*60+t.Second())
					}
					// Every offset of these zones, and every wall time
					// here, is a multiple of 15 minutes: so is every
					// instant that reads as one.
					want := int64(0)
					for u := wall - 15*3600; u <= wall+15*3600; u += 900 {
						if readsAs(u) == wall {
							want = u
							break
						}
					}
					got := local(loc, d, m)
					if want == 0 { // a gap: forward by its length
						if gap := tr.After - tr.Before; readsAs(got) != wall+gap {
							t.Errorf("%s %s %s (in a gap of %d min): got %s, want the wall time %d min later",
								zone, d, fmtClock(m), gap/60, time.Unix(got, 0).In(loc).Format(time.RFC3339), gap/60)
						}
					} else if got != want {
						t.Errorf("%s %s %s: got %s, want %s", zone, d, fmtClock(m),
							time.Unix(got, 0).In(loc).Format(time.RFC3339), time.Unix(want, 0).In(loc).Format(time.RFC3339))
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d wall times checked", checked)
}

// TestStandardLibraryOnly: the oracle is independent of the engine only
// if it imports nothing of the module (and nothing outside the standard
// library).
func TestStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s: the oracle may use the standard library only", name, p)
			}
		}
	}
}

// TestComputeFigures works one timeslot out by hand: Denver's spring
// forward, business hours 01:00–05:00 (the gap 02:00–03:00 swallows an
// hour), one technician working 00:00–06:00 with a job 03:00–03:30 and an
// unassigned one 04:00–04:30; the 02:30–04:00 window starts at 03:30.
func TestComputeFigures(t *testing.T) {
	tenant := `{"timeZone":"America/Denver","idealBookingPercentage":50,
	 "businessHours":{"weekdays":[{"weekday":"Sunday","timeSlots":[{"from":"01:00","to":"05:00"}]}]},
	 "arrivalWindows":[{"id":1,"from":"02:30","to":"04:00"},{"id":2,"from":"01:00","to":"02:30"}],
	 "businessUnits":[{"id":1}],"jobTypes":[{"id":7,"durationMinutes":30}],
	 "technicians":[{"id":9,"businessUnitId":1}],
	 "shifts":[{"technicianId":9,"shiftType":"Normal","start":"2026-03-08T00:00:00-07:00","end":"2026-03-08T06:00:00-06:00"}],
	 "appointments":[{"id":1,"jobTypeId":7,"businessUnitId":1,"start":"2026-03-08T03:00:00-06:00","end":"2026-03-08T03:30:00-06:00"},
	                 {"id":2,"jobTypeId":7,"businessUnitId":1,"start":"2026-03-08T04:00:00-06:00","end":"2026-03-08T04:30:00-06:00"}],
	 "assignments":[{"jobAppointmentId":1,"technicianId":9,"status":"Assigned"}]}`
	req := `{"startsOnOrAfter":"2026-03-08T00:00:00-07:00","endsOnOrBefore":"2026-03-09T00:00:00-06:00","jobTypeId":7}`
	resp, err := Compute([]byte(tenant), []byte(req))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(resp.Availabilities)
	// 01:00–02:30 is 01:00 MST to 03:30 MDT: 90 minutes of working time,
	// 30 booked, a fit. 02:30–04:00 is 03:30–04:00 MDT: 30 free minutes.
	// The unassigned job at 04:00 lies outside both. Ideal 50%: (30 + 0 +
	// 30) × 100 > 50 × 90 and (0 + 0 + 30) × 100 > 50 × 30.
	want := `[{"start":"2026-03-08T01:00:00-07:00","end":"2026-03-08T04:00:00-06:00","timeslots":[` +
		`{"start":"2026-03-08T01:00:00-07:00","end":"2026-03-08T03:30:00-06:00","technicianIds":[9],"isAvailable":true,"isExceedingIdealBookingPercentage":true,"totalAvailability":60,"capacityMinutes":90,"bookedMinutes":30,"pendingMinutes":0},` +
		`{"start":"2026-03-08T03:30:00-06:00","end":"2026-03-08T04:00:00-06:00","technicianIds":[9],"isAvailable":true,"isExceedingIdealBookingPercentage":true,"totalAvailability":30,"capacityMinutes":30,"bookedMinutes":0,"pendingMinutes":0}]}]`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestComputeErrors(t *testing.T) {
	base := `{"timeZone":"America/Denver","businessHours":{"weekdays":[{"weekday":"Monday","timeSlots":[{"from":"08:00","to":"17:00"}]}]},
	 "technicians":[{"id":1,"businessUnitId":1}],"shifts":[{"technicianId":1,"shiftType":"Normal","start":"2026-03-09T08:00:30-06:00","end":"2026-03-09T17:00:00-06:00"}]}`
	req := `{"startsOnOrAfter":"2026-03-09T00:00:00-06:00","endsOnOrBefore":"2026-03-10T00:00:00-06:00"}`
	for _, tc := range []struct{ tenant, req, want string }{
		{base, req, `shifts[0].start "2026-03-09T08:00:30-06:00" is not a whole minute`},
		{strings.Replace(base, "America/Denver", "Mars/Olympus", 1), req, "timeZone"},
		{base, `{"startsOnOrAfter":"2026-03-09","endsOnOrBefore":"2026-03-10T00:00:00-06:00"}`, "startsOnOrAfter"},
		{base, strings.Replace(req, "}", `,"zip":"8"}`, 1), `zip: malformed "8"`},
	} {
		_, err := Compute([]byte(tc.tenant), []byte(tc.req))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
}

// TestGenerateDeterministic: a seed gives the same case, and the cases
// straddle transitions.
func TestGenerateDeterministic(t *testing.T) {
	a, err := Generate(42)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(42)
	if string(a.Tenant) != string(b.Tenant) || len(a.Requests) != len(b.Requests) {
		t.Fatal("Generate(42) differs between calls")
	}
	hit := 0
	for seed := range uint64(100) {
		c, err := Generate(seed)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.TransitionDates) > 0 {
			hit++
		}
	}
	if hit < 80 {
		t.Errorf("%d of 100 horizons straddle a transition, want most", hit)
	}
	if os.Getenv("DISPATCH_ORACLE_DUMP") != "" {
		t.Logf("%s\n%s", a.Tenant, a.Requests[0])
	}
}

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		diffs     []string
	}{
		{`{"a":1,"b":[1,2]}`, `{ "b": [1, 2], "a": 1 }`, nil},
		{`{"a":1,"b":[1,2]}`, `{"a":2,"b":[1,3]}`, []string{"$.a: want 1, got 2", "$.b[1]: want 2, got 3"}},
		{`{"a":{"x":true}}`, `{"a":{}}`, []string{"$.a.x: want true, got <nil>"}},
		{`{"u":["noTechnicianFits"]}`, `{}`, []string{`$.u: want ["noTechnicianFits"], got null`}},
		{`[1,2]`, `[1]`, []string{"$: want [1,2], got [1]"}},
	} {
		got := Diff([]byte(tc.want), []byte(tc.got))
		if strings.Join(got, "|") != strings.Join(tc.diffs, "|") {
			t.Errorf("Diff(%s, %s) = %q, want %q", tc.want, tc.got, got, tc.diffs)
		}
	}
}
