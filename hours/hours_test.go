package hours_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/validate"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := hours.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func format(loc *time.Location, u int64) string { return time.Unix(u, 0).In(loc).Format(time.RFC3339) }

func TestParseClock(t *testing.T) {
	good := map[string]hours.Clock{"00:00": 0, "08:30": 510, "23:59": 1439, "24:00": 1440}
	for s, want := range good {
		if got, err := hours.ParseClock(s); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v", s, got, err, want)
		}
		if got := want.String(); got != s {
			t.Errorf("%d.String() = %q, want %q", want, got, s)
		}
	}
	bad := map[string]string{
		"8:00": "want HH:MM", "24:01": "past the end of the day; 24:00 is the latest clock", "25:00": "hour out of range",
		"12:60": "minute out of range", "": "want HH:MM", "ab:cd": "want HH:MM", "12-00": "want HH:MM",
	}
	for s, msg := range bad {
		_, err := hours.ParseClock(s)
		if err == nil || !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), `"`+s+`"`) {
			t.Errorf("ParseClock(%q) error = %v; want one quoting the input and saying %q", s, err, msg)
		}
	}
}

func TestDate(t *testing.T) {
	d := hours.MustParseDate("2027-03-14")
	if d.String() != "2027-03-14" || d.Weekday() != time.Sunday {
		t.Errorf("got %s %s, want 2027-03-14 Sunday", d, d.Weekday())
	}
	if hours.MustParseDate("1969-12-31").Weekday() != time.Wednesday {
		t.Error("weekday before the epoch is wrong")
	}
	if _, err := hours.ParseDate("2027-02-30"); err == nil {
		t.Error("ParseDate accepted February 30")
	}
	// UnmarshalText sets the date, or reports the error and leaves it.
	var u hours.Date
	if err := u.UnmarshalText([]byte("2027-03-14")); err != nil || u != d {
		t.Errorf("UnmarshalText(2027-03-14) = %s, %v; want %s", u, err, d)
	}
	if err := u.UnmarshalText([]byte("2027-02-30")); err == nil || u != d {
		t.Errorf("UnmarshalText(2027-02-30) = %s, %v; want an error and %s unchanged", u, err, d)
	}
	if b, err := d.MarshalText(); err != nil || string(b) != "2027-03-14" {
		t.Errorf("MarshalText = %q, %v", b, err)
	}
}

// TestLocalDST pins the compatible rule on the transitions of three zones,
// including Lord Howe's 30-minute shift.
func TestLocalDST(t *testing.T) {
	tests := []struct {
		zone, date, clock, want string
	}{
		// America/Denver springs forward 2026-03-08 02:00 → 03:00.
		{"America/Denver", "2026-03-08", "01:59", "2026-03-08T01:59:00-07:00"},
		{"America/Denver", "2026-03-08", "02:00", "2026-03-08T03:00:00-06:00"}, // gap start moves forward
		{"America/Denver", "2026-03-08", "02:30", "2026-03-08T03:30:00-06:00"}, // inside the gap
		{"America/Denver", "2026-03-08", "03:00", "2026-03-08T03:00:00-06:00"},
		{"America/Denver", "2026-03-07", "24:00", "2026-03-08T00:00:00-07:00"},
		// and falls back 2026-11-01 02:00 → 01:00: 01:xx happens twice.
		{"America/Denver", "2026-11-01", "00:59", "2026-11-01T00:59:00-06:00"},
		{"America/Denver", "2026-11-01", "01:00", "2026-11-01T01:00:00-06:00"}, // earlier of two
		{"America/Denver", "2026-11-01", "01:30", "2026-11-01T01:30:00-06:00"},
		{"America/Denver", "2026-11-01", "02:00", "2026-11-01T02:00:00-07:00"},
		// Europe/Amsterdam: 2026-03-29 02:00 → 03:00, 2026-10-25 03:00 → 02:00.
		{"Europe/Amsterdam", "2026-03-29", "02:30", "2026-03-29T03:30:00+02:00"},
		{"Europe/Amsterdam", "2026-03-29", "03:00", "2026-03-29T03:00:00+02:00"},
		{"Europe/Amsterdam", "2026-10-25", "02:30", "2026-10-25T02:30:00+02:00"},
		{"Europe/Amsterdam", "2026-10-25", "03:00", "2026-10-25T03:00:00+01:00"},
		// Australia/Lord_Howe: 2026-10-04 02:00 → 02:30, 2026-04-05 02:00 → 01:30.
		{"Australia/Lord_Howe", "2026-10-04", "02:00", "2026-10-04T02:30:00+11:00"},
		{"Australia/Lord_Howe", "2026-10-04", "02:15", "2026-10-04T02:45:00+11:00"},
		{"Australia/Lord_Howe", "2026-10-04", "02:30", "2026-10-04T02:30:00+11:00"},
		{"Australia/Lord_Howe", "2026-04-05", "01:29", "2026-04-05T01:29:00+11:00"},
		{"Australia/Lord_Howe", "2026-04-05", "01:45", "2026-04-05T01:45:00+11:00"},
		{"Australia/Lord_Howe", "2026-04-05", "02:00", "2026-04-05T02:00:00+10:30"},
	}
	for _, tt := range tests {
		loc := mustLoc(t, tt.zone)
		got := format(loc, hours.Local(loc, hours.MustParseDate(tt.date), hours.MustParseClock(tt.clock)))
		if got != tt.want {
			t.Errorf("Local(%s, %s %s) = %s, want %s", tt.zone, tt.date, tt.clock, got, tt.want)
		}
	}
}

// bruteLocal is the compatible rule found by scanning instants: the
// earliest instant showing the wall time, or, in a gap, the transition
// instant plus how far the wall time lies into the gap.
func bruteLocal(loc *time.Location, d hours.Date, c hours.Clock) int64 {
	wall := int64(d)*86400 + int64(c)*60
	localWall := func(u int64) int64 {
		t := time.Unix(u, 0).In(loc)
		y, m, dd := t.Date()
		return int64(hours.DateOf(y, m, dd))*86400 + int64(t.Hour()*3600+t.Minute()*60)
	}
	const step = 15 * 60
	for u := wall - 30*3600; u < wall+30*3600; u += step {
		if localWall(u) == wall {
			return u
		}
	}
	for u := wall - 30*3600; u < wall+30*3600; u += step {
		if localWall(u) > wall {
			gapStart := localWall(u-step) + step
			return u + (wall - gapStart)
		}
	}
	panic("unreachable")
}

func TestLocalAgainstBruteForce(t *testing.T) {
	days := map[string][]string{
		"America/Denver":      {"2026-03-07", "2026-03-08", "2026-03-09", "2026-10-31", "2026-11-01", "2026-11-02", "2027-03-14"},
		"Europe/Amsterdam":    {"2026-03-29", "2026-10-25"},
		"Australia/Lord_Howe": {"2026-04-04", "2026-04-05", "2026-10-04", "2026-10-05"},
		"America/Santiago":    {"2026-04-05", "2026-09-06"}, // transitions at midnight
		"UTC":                 {"2026-03-08"},
	}
	n := 0
	for zone, dates := range days {
		loc := mustLoc(t, zone)
		for _, ds := range dates {
			d := hours.MustParseDate(ds)
			for c := hours.Clock(0); c <= hours.EndOfDay; c += 15 {
				n++
				if got, want := hours.Local(loc, d, c), bruteLocal(loc, d, c); got != want {
					t.Errorf("Local(%s, %s %s) = %s, brute force says %s", zone, d, c, format(loc, got), format(loc, want))
				}
			}
		}
	}
	t.Logf("%d wall times checked", n)
}

func TestOpenAcrossDST(t *testing.T) {
	allDay := hours.BusinessHours{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		allDay.Weekdays = append(allDay.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	tests := []struct {
		zone, date string
		hours      hours.BusinessHours
		want       int64 // seconds open on the date
	}{
		{"America/Denver", "2026-03-08", allDay, 23 * 3600},
		{"America/Denver", "2026-11-01", allDay, 25 * 3600},
		{"Australia/Lord_Howe", "2026-10-04", allDay, 23*3600 + 1800},
		{"Australia/Lord_Howe", "2026-04-05", allDay, 24*3600 + 1800},
		{"Europe/Amsterdam", "2026-03-29", allDay, 23 * 3600},
		// A slot starting inside the gap starts at the gap's end.
		{"America/Denver", "2026-03-08", hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Sunday", TimeSlots: []hours.TimeSlot{{From: "02:30", To: "05:00"}}}}}, 90 * 60},
		// A slot wholly inside the gap moves forward whole: 03:00–03:59.
		{"America/Denver", "2026-03-08", hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Sunday", TimeSlots: []hours.TimeSlot{{From: "02:00", To: "02:59"}}}}}, 59 * 60},
		// A slot ending in the gap ends at the gap's end plus the overrun: 01:00–03:30 MDT.
		{"America/Denver", "2026-03-08", hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Sunday", TimeSlots: []hours.TimeSlot{{From: "01:00", To: "02:30"}}}}}, 90 * 60},
		// A slot over the repeated hour is an hour longer.
		{"America/Denver", "2026-11-01", hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Sunday", TimeSlots: []hours.TimeSlot{{From: "00:30", To: "02:30"}}}}}, 3 * 3600},
		// Ending at 24:00 on an ordinary day.
		{"America/Denver", "2026-03-09", hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Monday", TimeSlots: []hours.TimeSlot{{From: "20:00", To: "24:00"}}}}}, 4 * 3600},
	}
	for _, tt := range tests {
		s, err := hours.Compile(hours.Rules{TimeZone: tt.zone, BusinessHours: tt.hours})
		if err != nil {
			t.Fatal(err)
		}
		d := hours.MustParseDate(tt.date)
		from, to := hours.DayStart(s.Location(), d), hours.DayStart(s.Location(), d+1)
		if got := s.Open(from, to).Measure(); got != tt.want {
			t.Errorf("%s %s %v: open %v, want %v", tt.zone, tt.date, tt.hours.Weekdays[0].TimeSlots, time.Duration(got)*time.Second, time.Duration(tt.want)*time.Second)
		}
	}
}

// TestParseSlot: a slot is a non-empty half-open span of the day; one
// that starts where it ends is refused, as one that ends before it
// starts.
func TestParseSlot(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     string // the slot's TimeSlot form, or the error
	}{
		{"08:00", "17:00", "08:00-17:00"},
		{"08:00", "08:01", "08:00-08:01"},
		{"00:00", "24:00", "00:00-24:00"},
		{"08:00", "08:00", `hours: slot "08:00"-"08:00": from must be before to (a slot across midnight is two slots)`},
		{"17:00", "08:00", `hours: slot "17:00"-"08:00": from must be before to (a slot across midnight is two slots)`},
		{"24:00", "24:00", `hours: slot "24:00"-"24:00": from cannot be 24:00`},
	} {
		s, err := hours.ParseSlot(hours.TimeSlot{From: c.from, To: c.to})
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = s.TimeSlot().From + "-" + s.TimeSlot().To
		}
		if got != c.want {
			t.Errorf("ParseSlot(%s-%s) = %s, want %s", c.from, c.to, got, c.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	r := hours.Rules{
		TimeZone: "Mars/Olympus",
		BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{
			{Weekday: "Monday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "12:00"}, {From: "11:00", To: "17:00"}}},
			{Weekday: "Funday", TimeSlots: []hours.TimeSlot{{From: "09:00", To: "17:00"}, {From: "16:00", To: "24:01"}}},
			{Weekday: "Tuesday", TimeSlots: []hours.TimeSlot{{From: "17:00", To: "08:00"}, {From: "8:00", To: "09:00"}}},
			{Weekday: "Monday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "8:30"}}},
		}},
		Exceptions: []hours.Exception{{Date: "2026-12-25"}, {Date: "2026-12-25", TimeSlots: []hours.TimeSlot{{From: "10:00", To: "09:00"}}},
			{Date: "2026-13-01", TimeSlots: []hours.TimeSlot{{From: "8:00", To: "12:00"}}}},
		ArrivalWindows: []hours.ArrivalWindow{
			{ID: 1, From: "08:00", To: "10:00", Weekdays: []string{"Mon"}},
			{ID: 1, From: "10:00", To: "25:00"},
		},
	}
	_, err := hours.Compile(r)
	var errs validate.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Compile error %v is not validate.Errors", err)
	}
	want := []string{
		`timeZone: hours: unknown time zone "Mars/Olympus"`,
		`businessHours.weekdays[0].timeSlots: hours: slots 08:00-12:00 and 11:00-17:00 overlap`,
		`businessHours.weekdays[1].weekday: hours: unknown weekday "Funday" (want Sunday … Saturday)`,
		`businessHours.weekdays[1].timeSlots[1]: hours: clock "24:01": past the end of the day; 24:00 is the latest clock`,
		`businessHours.weekdays[2].timeSlots[0]: hours: slot "17:00"-"08:00": from must be before to (a slot across midnight is two slots)`,
		`businessHours.weekdays[2].timeSlots[1]: hours: clock "8:00": want HH:MM`,
		`businessHours.weekdays[3].weekday: hours: weekday "Monday" listed twice`,
		`businessHours.weekdays[3].timeSlots[0]: hours: clock "8:30": want HH:MM`,
		`exceptions[1].date: hours: duplicate exception date 2026-12-25`,
		`exceptions[1].timeSlots[0]: hours: slot "10:00"-"09:00": from must be before to (a slot across midnight is two slots)`,
		`exceptions[2].date: hours: date "2026-13-01": month 13 is out of range 01–12`,
		`exceptions[2].timeSlots[0]: hours: clock "8:00": want HH:MM`,
		`arrivalWindows[0].weekdays[0]: hours: unknown weekday "Mon" (want Sunday … Saturday)`,
		`arrivalWindows[1].id: hours: duplicate arrival window id 1 (also arrivalWindows[0])`,
		`arrivalWindows[1]: hours: clock "25:00": hour out of range`,
	}
	if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

// TestCompileBadWeekdayAndSlot: an entry whose weekday name and slot are
// both wrong reports both at once, as the newcomer's "monday" with
// "8:00" should have: the slot's problem used to appear only once the
// name was fixed.
func TestCompileBadWeekdayAndSlot(t *testing.T) {
	_, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{
		{Weekday: "monday", TimeSlots: []hours.TimeSlot{{From: "8:00", To: "17:00"}}}}}})
	want := "businessHours.weekdays[0].weekday: hours: unknown weekday \"monday\" (want Sunday … Saturday)\n" +
		"businessHours.weekdays[0].timeSlots[0]: hours: clock \"8:00\": want HH:MM"
	if err == nil || err.Error() != want {
		t.Errorf("Compile = %v\nwant %s", err, want)
	}
}

// TestCompileSlotOrder: a day's slots may be given in any order and may
// touch; SlotsOn returns them in time order, an overlap is reported with
// the earlier slot first, an arrival window id must be positive, and an
// empty range meets no date.
func TestCompileSlotOrder(t *testing.T) {
	monday := hours.MustParseDate("2026-03-09")
	s, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{
		{Weekday: "Monday", TimeSlots: []hours.TimeSlot{{From: "13:00", To: "17:00"}, {From: "08:00", To: "12:00"}, {From: "12:00", To: "13:00"}}},
	}}})
	if err != nil {
		t.Fatalf("Compile of touching slots out of order: %v", err)
	}
	if s.HasWindows() {
		t.Error("HasWindows() = true for a schedule without arrival windows")
	}
	var got []string
	for _, sl := range s.SlotsOn(monday) {
		got = append(got, sl.TimeSlot().From+"-"+sl.TimeSlot().To)
	}
	if want := "08:00-12:00 12:00-13:00 13:00-17:00"; strings.Join(got, " ") != want {
		t.Errorf("SlotsOn(Monday) = %v, want %s", got, want)
	}
	st := hours.DayStart(s.Location(), monday) + 9*3600
	if w := s.Windows(st, st); w != nil {
		t.Errorf("Windows(%d, %d) = %v, want none", st, st, w)
	}
	if w := s.Windows(st, st+1); len(w) != 3 {
		t.Errorf("Windows(%d, %d) = %v, want Monday's three slots", st, st+1, w)
	}

	_, err = hours.Compile(hours.Rules{TimeZone: "America/Denver",
		BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{
			{Weekday: "Monday", TimeSlots: []hours.TimeSlot{{From: "13:00", To: "17:00"}, {From: "08:00", To: "13:30"}}},
		}},
		ArrivalWindows: []hours.ArrivalWindow{{ID: 0, From: "08:00", To: "10:00"}, {ID: -3, From: "10:00", To: "12:00"}},
	})
	want := "businessHours.weekdays[0].timeSlots: hours: slots 08:00-13:30 and 13:00-17:00 overlap\n" +
		"arrivalWindows[0].id: hours: arrival window id 0 must be positive\n" +
		"arrivalWindows[1].id: hours: arrival window id -3 must be positive"
	if err == nil || err.Error() != want {
		t.Errorf("Compile = %v\nwant %s", err, want)
	}
}

func TestWindows(t *testing.T) {
	f := false
	s, err := hours.Compile(hours.Rules{
		TimeZone: "America/Denver",
		BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{
			{Weekday: "Monday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}},
			{Weekday: "Tuesday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}},
		}},
		Exceptions: []hours.Exception{{Date: "2026-03-10"}}, // Tuesday closed
		ArrivalWindows: []hours.ArrivalWindow{
			{ID: 2, From: "10:00", To: "12:00", BusinessUnitIDs: []int64{2}},
			{ID: 1, From: "08:00", To: "10:00", Weekdays: []string{"Monday"}},
			{ID: 3, From: "12:00", To: "14:00", Active: &f},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	loc := s.Location()
	mon := hours.MustParseDate("2026-03-09")
	ws := s.Windows(hours.DayStart(loc, mon), hours.DayStart(loc, mon+3))
	var got []string
	for _, w := range ws {
		got = append(got, w.Date.String()+" "+format(loc, w.Start)+" id="+string(rune('0'+w.ID)))
	}
	want := []string{"2026-03-09 2026-03-09T08:00:00-06:00 id=1", "2026-03-09 2026-03-09T10:00:00-06:00 id=2"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Windows:\n got %q\nwant %q", got, want)
	}
	if ws[1].AppliesTo([]int64{1}) || !ws[1].AppliesTo([]int64{1, 2}) || !ws[0].AppliesTo([]int64{1}) || !ws[1].AppliesTo(nil) {
		t.Error("AppliesTo disagrees with the business-unit rule")
	}
	open := s.Open(hours.DayStart(loc, mon), hours.DayStart(loc, mon+2))
	if want := interval.From(hours.Local(loc, mon, 8*60), hours.Local(loc, mon, 17*60)); !open.Equal(want) {
		t.Errorf("Open = %v, want %v (Tuesday closed by exception)", open, want)
	}
}

// TestWindowsOrderAcrossGap: on a spring-forward date a window whose
// start is in the gap moves past a window starting at the gap's end, and
// business-hours slots can swap the same way; WindowsOn still returns
// (start, end, id) order, which the engine's one-pass statistics rely on
// (a window out of order hid free time from the next one: found by the
// black-box oracle, internal/testkit/oracle).
func TestWindowsOrderAcrossGap(t *testing.T) {
	spring := hours.MustParseDate("2025-03-30") // London: 01:00 GMT becomes 02:00 BST
	for _, tc := range []struct {
		name    string
		windows []hours.ArrivalWindow
		slots   []hours.TimeSlot
	}{
		{"windows", []hours.ArrivalWindow{{ID: 2, From: "01:30", To: "02:00"}, {ID: 5, From: "02:00", To: "13:00"}}, []hours.TimeSlot{{From: "01:15", To: "05:30"}}},
		{"business hours", nil, []hours.TimeSlot{{From: "01:15", To: "01:45"}, {From: "02:00", To: "03:00"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := hours.Compile(hours.Rules{TimeZone: "Europe/London", ArrivalWindows: tc.windows,
				BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Sunday", TimeSlots: tc.slots}}}})
			if err != nil {
				t.Fatal(err)
			}
			ws := s.WindowsOn([]hours.Window{{Start: 1}}, spring) // what dst holds stays first
			if len(ws) != 3 || ws[0].Start != 1 {
				t.Fatalf("WindowsOn = %v, want the existing element and two windows", ws)
			}
			for i := 2; i < len(ws); i++ {
				a, b := ws[i-1], ws[i]
				if a.Start > b.Start || a.Start == b.Start && a.End > b.End {
					t.Errorf("WindowsOn: %s–%s before %s–%s: not in time order",
						format(s.Location(), a.Start), format(s.Location(), a.End), format(s.Location(), b.Start), format(s.Location(), b.End))
				}
			}
			if ws := s.Windows(hours.DayStart(s.Location(), spring), hours.DayStart(s.Location(), spring+1)); ws[0].Start > ws[1].Start {
				t.Errorf("Windows: not in time order")
			}
		})
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"08:00", "24:00", "23:59", "8:00", "25:00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := hours.ParseClock(s)
		if err != nil {
			return
		}
		if c < 0 || c > hours.EndOfDay || c.String() != s {
			t.Fatalf("ParseClock(%q) = %d, which prints as %q", s, c, c.String())
		}
	})
}
