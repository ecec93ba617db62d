package tenant_test

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
)

// TestLoadChecks covers the checks of Build beyond the records' own:
// references of arrival windows, shift bounds said in the tenant's offset,
// the supported years.
func TestLoadChecks(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []string // every line of the error, in order
	}{
		{"arrival window naming an unknown unit", replace(t,
			`"weekdays": ["Monday"], "businessUnitIds": []`, `"weekdays": ["Monday"], "businessUnitIds": [1, 9]`,
		), []string{`arrivalWindows[0].businessUnitIds[1]: tenant: unknown business unit 9`}},
		// 17:00−06:00 is 23:00Z: the message speaks the file's offset, not
		// UTC, and only once (the shifts package would say it again in UTC).
		{"shift ending before it starts", replace(t,
			`"end": "2026-03-09T17:00:00-06:00"`, `"end": "2026-03-09T06:30:00-06:00"`,
		), []string{`shifts[0].end: tenant: end 2026-03-09T06:30:00-06:00 is not after start 2026-03-09T07:00:00-06:00`}},
		// A file written in UTC is answered in the tenant's zone.
		{"shift in UTC ending before it starts", replace(t,
			`"start": "2026-03-09T07:00:00-06:00", "end": "2026-03-09T17:00:00-06:00"`, `"start": "2026-03-09T13:00:00Z", "end": "2026-03-09T13:00:00Z"`,
		), []string{`shifts[0].end: tenant: end 2026-03-09T07:00:00-06:00 is not after start 2026-03-09T07:00:00-06:00`}},
		// Without a zone, the file's own text is quoted.
		{"shift ending before it starts in an unknown zone", replace(t,
			`"timeZone": "America/Denver"`, `"timeZone": "Mars/Base"`,
			`"end": "2026-03-09T17:00:00-06:00"`, `"end": "2026-03-09T12:30:00Z"`,
		), []string{`timeZone: hours: unknown time zone "Mars/Base"`, `shifts[0].end: tenant: end "2026-03-09T12:30:00Z" is not after start "2026-03-09T07:00:00-06:00"`}},
		// Appointments and assignments are the engine's records, decoded
		// with their times: a text that is no date-time, or a status that
		// is none, is reported in its place among every other problem.
		{"appointment times and a status the decoder refuses", replace(t,
			`"start": "2026-03-09T10:00:00-06:00"`, `"start": "10am"`,
			`"status": "Assigned"`, `"status": "Done"`,
			`"durationMinutes": 90`, `"durationMinutes": 0`,
		), []string{
			`appointments[0].start: tenant: "10am" is not an RFC 3339 date-time`,
			`assignments[0].status: capacity: unknown assignment status "Done" (want Assigned or Unassigned)`,
			`jobTypes[0].durationMinutes: capacity: job type 10 has no positive duration (0 minutes); a missing duration overbooks`,
		}},
		// A duration no window can hold, and whose seconds would overflow.
		{"a job type's duration beyond seven days", replace(t,
			`"durationMinutes": 90`, `"durationMinutes": `+strconv.Itoa(math.MaxInt), // an int: the largest the platform holds
		), []string{
			`jobTypes[0].durationMinutes: capacity: job type 10 lasts ` + strconv.Itoa(math.MaxInt) + ` minutes; at most 10080 (7 days)`,
		}},
		// Shifts too: their type is read by shifts.Type, their times as
		// the appointments' are.
		{"a shift type and a shift time the decoder refuses", replace(t,
			`"shiftType": "Normal"`, `"shiftType": "Weekend"`,
			`"start": "2026-03-09T07:00:00-06:00"`, `"start": "2026-03-09T25:00:00-06:00"`,
			`"status": "Assigned"`, `"status": "Done"`,
		), []string{
			`shifts[0].shiftType: shifts: unknown shift type "Weekend" (want Normal, OnCall or TimeOff)`,
			`shifts[0].start: tenant: "2026-03-09T25:00:00-06:00" is not an RFC 3339 date-time`,
			`assignments[0].status: capacity: unknown assignment status "Done" (want Assigned or Unassigned)`,
		}},
		// The decoder's problems are reported in the place of their
		// records: a shift's after the arrival windows', which the
		// builder finds before it reaches the shifts.
		{"a shift time the decoder refuses after an arrival window's problem", replace(t,
			`"weekdays": ["Monday"], "businessUnitIds": []`, `"weekdays": ["Monday"], "businessUnitIds": [1, 9]`,
			`"start": "2026-03-09T07:00:00-06:00"`, `"start": "7am"`,
		), []string{
			`arrivalWindows[0].businessUnitIds[1]: tenant: unknown business unit 9`,
			`shifts[0].start: tenant: "7am" is not an RFC 3339 date-time`,
		}},
		// A number is not a date-time's shape: a decoding problem, which
		// stops the load as an unknown field does.
		{"a number for a date-time", replace(t,
			`"arrivalWindowEnd": "2026-03-09T12:00:00-06:00"`, `"arrivalWindowEnd": 12`,
			`"durationMinutes": 90`, `"durationMinutes": 0`,
		), []string{`appointments[0].arrivalWindowEnd: tenant: want an RFC 3339 date-time string, got the number 12`}},
		{"appointment without a start", replace(t,
			`"start": "2026-03-09T10:00:00-06:00", `, ``,
		), []string{`appointments[0].start: tenant: a date-time is required: it is absent, or 0001-01-01T00:00:00Z, outside the supported years 1900–2199`}},
		// Review 5, finding 13: the zero time is the decoder's absent one,
		// and was told "a date-time is required" alone.
		{"shift at the zero time", replace(t,
			`"start": "2026-03-09T07:00:00-06:00"`, `"start": "0001-01-01T00:00:00Z"`,
		), []string{`shifts[0].start: tenant: a date-time is required: it is absent, or 0001-01-01T00:00:00Z, outside the supported years 1900–2199`}},
		// Free text is held to validate.MaxText characters on one line
		// (notes may break lines), as the HTTP API holds requests.
		{"names, skills, cities, titles and notes with control characters or too long", replace(t,
			`"name": "HVAC Service"`, `"name": "HVAC\u0000Service"`,
			`"skills": ["HVAC"], "businessUnitIds"`, `"skills": ["HVAC\n"], "businessUnitIds"`,
			`"name": "Denver Central"`, `"name": "`+strings.Repeat("z", 1001)+`"`,
			`"cities": ["Denver"]`, `"cities": ["Den\u0007ver"]`,
			`"name": "Ana Ruiz"`, `"name": "`+strings.Repeat("é", 1001)+`"`,
			`"title": "Day", "note": ""`, `"title": "Day\r", "note": "\u001b"`,
		), []string{
			`zones[0].name: validate: text "zzzzzzzzzzzzzzzzzzzz"… has 1001 characters; at most 1000`,
			`zones[0].cities[0]: validate: text "Den\aver" has the control character U+0007 at byte 3`,
			`businessUnits[0].name: validate: text "HVAC\x00Service" has the control character U+0000 at byte 4`,
			`jobTypes[0].skills[0]: validate: text "HVAC\n" has the control character U+000A at byte 4`,
			`technicians[0].name: validate: text "éééééééééééééééééééé"… has 1001 characters; at most 1000`,
			`shifts[0].title: validate: text "Day\r" has the control character U+000D at byte 3`,
			`shifts[0].note: validate: text "\x1b" has the control character U+001B at byte 0`,
		}},
		{"version missing", replace(t, `"version": 1,`, ``),
			[]string{`version: tenant: the version is missing (or 0): want "version": 1`}},
		{"year 1", replace(t,
			`"start": "2026-03-09T10:00:00-06:00"`, `"start": "0001-03-09T10:00:00-06:00"`,
		), []string{`appointments[0].start: hours: date-time 0001-03-09T10:00:00-06:00 is outside the supported years 1900–2199`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tenant.Parse(tt.in)
			if err == nil {
				t.Fatal("Parse accepted bad input")
			}
			if got := err.Error(); got != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
	_, err := tenant.Parse(replace(t, `"end": "2026-03-09T17:00:00-06:00"`, `"end": "2026-03-09T06:30:00-06:00"`))
	if !errors.Is(err, shifts.ErrInvalid) {
		t.Errorf("a shift's bounds error does not wrap shifts.ErrInvalid: %v", err)
	}
}

func TestWarnings(t *testing.T) {
	for _, c := range []struct {
		zone string
		want []string
	}{
		{"America/Denver", nil},
		{"US/Mountain", nil}, // an alias of America/Denver: the same times
		{"UTC", nil},
		{"MST", []string{`timeZone: hours: time zone "MST" is a legacy abbreviation with a fixed offset (-07:00 all year, no daylight saving time)`}},
		{"MST7MDT", []string{`timeZone: hours: time zone "MST7MDT" is a legacy POSIX-style name kept only for compatibility; use "America/Denver"`}},
		{"Etc/GMT+7", []string{`timeZone: hours: time zone "Etc/GMT+7" is a fixed offset (-07:00 all year: Etc/GMT names invert the sign)`}},
	} {
		ten, err := tenant.Parse(replace(t, `"timeZone": "America/Denver"`, `"timeZone": "`+c.zone+`"`))
		if err != nil {
			t.Errorf("%s: a warning stopped loading: %v", c.zone, err)
			continue
		}
		if len(ten.Warnings) != len(c.want) {
			t.Errorf("%s: warnings %q, want %q", c.zone, ten.Warnings, c.want)
			continue
		}
		for i, w := range ten.Warnings {
			if w.Path != "timeZone" || !strings.HasPrefix(w.Error(), c.want[i]) {
				t.Errorf("%s: warning %q (path %q), want %q", c.zone, w, w.Path, c.want[i])
			}
		}
	}
}

// TestSaveDoesNotEscapeHTML: a tenant file is not HTML; & stays &.
func TestSaveDoesNotEscapeHTML(t *testing.T) {
	ten, err := tenant.Parse(replace(t, `"name": "Denver Central"`, `"name": "Lakewood & Golden <West>"`))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := ten.Save(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"name": "Lakewood & Golden <West>"`) || strings.Contains(out.String(), `\u0026`) {
		t.Errorf("saved file escapes HTML:\n%s", out.String())
	}
}

// TestRepeatedInstants: a date-time that appears in several fields is
// parsed once, yet each field is checked and each problem reported at its
// own path — a bad one as often as it appears, a good one as the same
// instant everywhere.
func TestRepeatedInstants(t *testing.T) {
	bad := replace(t,
		`"start": "2026-03-09T10:00:00-06:00", "end": "2026-03-09T11:30:00-06:00"`,
		`"start": "2250-03-09T10:00:00-06:00", "end": "2250-03-09T10:00:00-06:00"`,
		`"assignedOn": "2026-03-02T09:00:00-07:00"`, `"assignedOn": "2250-03-09T10:00:00-06:00"`)
	_, err := tenant.Parse(bad)
	want := []string{
		`appointments[0].start: hours: date-time 2250-03-09T10:00:00-06:00 is outside the supported years 1900–2199`,
		`appointments[0].end: hours: date-time 2250-03-09T10:00:00-06:00 is outside the supported years 1900–2199`,
		`assignments[0].assignedOn: hours: date-time 2250-03-09T10:00:00-06:00 is outside the supported years 1900–2199`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("errors:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	good := replace(t,
		`"start": "2026-03-09T10:00:00-06:00", "end": "2026-03-09T11:30:00-06:00"`,
		`"start": "2026-03-09T10:00:00-06:00", "end": "2026-03-09T17:00:00-06:00"`)
	ten, err := tenant.Parse(good)
	if err != nil {
		t.Fatal(err)
	}
	d := ten.Engine.Data()
	if a, s := d.Appointments[0], d.Shifts[0]; !a.End.Equal(s.End) || a.End.Sub(a.Start) != 7*time.Hour {
		t.Errorf("appointment [%v, %v), shift ending %v: one text, different instants", a.Start, a.End, s.End)
	}
}

// TestBuildLeavesFileAlone: Build does not consume the caller's File
// (Load and Parse let go of their own as they convert it).
func TestBuildLeavesFileAlone(t *testing.T) {
	f, err := tenant.Decode(load(t, "testdata/tiny.json"))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := tenant.Decode(load(t, "testdata/tiny.json"))
	if _, err := tenant.Build(f); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(again, f); diff != "" {
		t.Errorf("Build changed its File (-before +after):\n%s", diff)
	}
	if _, err := tenant.Build(f); err != nil {
		t.Errorf("a second Build of the same File: %v", err)
	}
}

// TestAppointmentWithoutWindow: an appointment may come without an
// arrival window (as the API creates them): loaded with zero times, saved
// without the two members, and read back the same.
func TestAppointmentWithoutWindow(t *testing.T) {
	in := replace(t, `"arrivalWindowStart": "2026-03-09T10:00:00-06:00", "arrivalWindowEnd": "2026-03-09T12:00:00-06:00",`, ``)
	ten, err := tenant.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := ten.Engine.Appointment(5001)
	if !a.ArrivalWindowStart.IsZero() || !a.ArrivalWindowEnd.IsZero() {
		t.Errorf("arrival window %v–%v, want none", a.ArrivalWindowStart, a.ArrivalWindowEnd)
	}
	var saved bytes.Buffer
	if err := ten.Save(&saved); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(saved.Bytes(), []byte(`"arrivalWindowStart"`)) {
		t.Errorf("saved file names an arrival window:\n%s", saved.Bytes())
	}
	again, err := tenant.Parse(saved.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if b, _, _ := again.Engine.Appointment(5001); !b.Equal(a) {
		t.Errorf("read back %+v, want %+v", b, a)
	}
}

// TestLoadInstantSpelling: the tenant file reads date-times as the API
// does (hours.ParseInstant): a lower-case "t" or "z" (RFC 3339 §5.6) is
// the same instant, in every kind of field — the engine's records decoded
// as time.Time, the file's own date-time strings — and a fraction of a
// second is refused, not cut (instants are whole seconds).
func TestLoadInstantSpelling(t *testing.T) {
	upper, err := tenant.Parse(load(t, "testdata/tiny.json"))
	if err != nil {
		t.Fatal(err)
	}
	lower, err := tenant.Parse(replace(t,
		`"start": "2026-03-09T07:00:00-06:00"`, `"start": "2026-03-09t07:00:00-06:00"`, // a shift
		`"start": "2026-03-09T10:00:00-06:00"`, `"start": "2026-03-09t10:00:00-06:00"`, // an appointment
		`"utcDateTime": "2026-03-09T14:00:00Z"`, `"utcDateTime": "2026-03-09t14:00:00z"`, // a ping: a string field
		`"assignedOn": "2026-03-02T09:00:00-07:00"`, `"assignedOn": "2026-03-02T16:00:00z"`,
	))
	if err != nil {
		t.Fatalf("lower-case t and z refused: %v", err)
	}
	var a, b bytes.Buffer
	if err := upper.Save(&a); err != nil {
		t.Fatal(err)
	}
	if err := lower.Save(&b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.String(), b.String()); diff != "" {
		t.Errorf("lower-case spelling loads another tenant (-upper +lower):\n%s", diff)
	}
	_, err = tenant.Parse(replace(t,
		`"start": "2026-03-09T10:00:00-06:00"`, `"start": "2026-03-09T10:00:00.75-06:00"`,
		`"utcDateTime": "2026-03-09T14:00:00Z"`, `"utcDateTime": "2026-03-09T14:00:00.5Z"`,
	))
	want := []string{
		`appointments[0].start: tenant: date-time 2026-03-09T10:00:00.75-06:00 has a fraction of a second: instants are whole seconds`,
		`gpsPings[0].utcDateTime: hours: date-time "2026-03-09T14:00:00.5Z" has a fraction of a second: instants are whole seconds (want 2027-03-09T08:00:00-07:00)`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("fractions: got %v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
}

// TestByteOrderMark: a UTF-8 byte-order mark at the start of the file is
// skipped, by every entry point (review 5, finding 13: it was refused as
// `invalid character '\ufeff'`); one anywhere else is no JSON.
func TestByteOrderMark(t *testing.T) {
	plain := replace(t)
	marked := append([]byte("\ufeff"), plain...)
	want, err := tenant.Parse(plain)
	if err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	want.Save(&saved)
	for name, load := range map[string]func() (*tenant.Tenant, error){
		"Parse": func() (*tenant.Tenant, error) { return tenant.Parse(marked) },
		"Load":  func() (*tenant.Tenant, error) { return tenant.Load(bytes.NewReader(marked)) },
		"Load, one byte at a time": func() (*tenant.Tenant, error) {
			return tenant.Load(iotest.OneByteReader(bytes.NewReader(marked)))
		},
	} {
		got, err := load()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var b bytes.Buffer
		got.Save(&b)
		if !bytes.Equal(b.Bytes(), saved.Bytes()) {
			t.Errorf("%s: the marked file saves differently", name)
		}
	}
	for name, decode := range map[string]func() (*tenant.File, error){
		"Decode":       func() (*tenant.File, error) { return tenant.Decode(marked) },
		"DecodeReader": func() (*tenant.File, error) { return tenant.DecodeReader(bytes.NewReader(marked)) },
	} {
		if f, err := decode(); err != nil || f.Version != 1 {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Only the mark: an empty file. A short file: its own error.
	for _, in := range []string{"\ufeff", "\ufeff ", "{", "\xef\xbb"} {
		_, errP := tenant.Parse([]byte(in))
		_, errL := tenant.Load(strings.NewReader(in))
		if errP == nil || errL == nil || errP.Error() != errL.Error() {
			t.Errorf("%q: Parse %v, Load %v: want the same error", in, errP, errL)
		}
	}
	if _, err := tenant.Parse([]byte("\ufeff\ufeff{}")); err == nil {
		t.Error("a second mark was skipped")
	}
}
