package hours_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/hours"
)

// TestParseInstant: RFC 3339 within the years 1900–2199; "t" and "z" may
// be lower case (RFC 3339 §5.6) and read as upper case; a fraction of a
// second is refused with a message saying so (instants are whole
// seconds), a fraction of zeros is whole.
func TestParseInstant(t *testing.T) {
	for _, c := range []struct {
		in, want string // want: the instant in RFC 3339, or a piece of the error
	}{
		{"2027-03-09T08:00:00-07:00", "2027-03-09T08:00:00-07:00"},
		{"1900-01-01T00:00:00Z", "1900-01-01T00:00:00Z"},
		{"1899-12-31T23:59:59Z", "outside the supported years"},
		{"2199-12-31T23:59:59Z", "2199-12-31T23:59:59Z"},
		{"2200-01-01T00:00:00Z", "outside the supported years"},
		{"0001-03-09T08:00:00-07:00", "outside the supported years"},
		{"2027-03-09 08:00", "is not RFC 3339"},
		{"2027-03-09t08:00:00z", "2027-03-09T08:00:00Z"},
		{"2027-03-09t08:00:00Z", "2027-03-09T08:00:00Z"},
		{"2027-03-09T08:00:00z", "2027-03-09T08:00:00Z"},
		{"2027-03-09t08:00:00-07:00", "2027-03-09T08:00:00-07:00"},
		{"2027-03-09T08:00:00.75-06:00", "has a fraction of a second"},
		// RFC 3339 §5.6: the fraction follows a ".", never ISO 8601's
		// ","; an offset's hour is 00–23 and its minute 00–59 (time.Parse
		// takes "+24:00", "+23:60", "+00:60" and moves the instant by them).
		{"2027-03-09T08:00:00,5Z", "is not RFC 3339"},
		{"2027-03-09T08:00:00,000Z", "is not RFC 3339"},
		{"2027-03-09T08:00:00+24:00", "is not RFC 3339"},
		{"2027-03-09T08:00:00-24:00", "is not RFC 3339"},
		{"2027-03-09T08:00:00+24:59", "is not RFC 3339"},
		{"2027-03-09T08:00:00+23:60", "is not RFC 3339"},
		{"2027-03-09T08:00:00+00:60", "is not RFC 3339"},
		{"2027-03-09T08:00:00.000+24:00", "is not RFC 3339"},
		{"2027-03-09T08:00:00+23:59", "2027-03-09T08:00:00+23:59"},
		{"2027-03-09T08:00:00-23:59", "2027-03-09T08:00:00-23:59"},
		{"2027-03-09T08:00:00+14:00", "2027-03-09T08:00:00+14:00"},
		{"2027-03-09T08:00:00-12:00", "2027-03-09T08:00:00-12:00"},
		{"2027-03-09T08:00:00-00:00", "2027-03-09T08:00:00Z"},
		// A leap second is RFC 3339 (§5.6 allows second 60), but Unix
		// seconds have none: an error that says so, not "not RFC 3339".
		{"2016-12-31T23:59:60Z", "is a leap second"},
		{"2016-12-31t23:59:60z", "is a leap second"},
		{"2016-12-31T16:59:60-07:00", "is a leap second"},
		{"2016-12-31T23:59:60.5Z", "is a leap second"},
		{"2016-12-31T23:59:61Z", "is not RFC 3339"},
		{"2016-12-31T23:59:60+24:00", "is not RFC 3339"},
		{"2027-03-09t08:00:00.000000001z", "has a fraction of a second"},
		{"2027-03-09T08:00:00.000-06:00", "2027-03-09T08:00:00-06:00"},
		{"2027-03-09x08:00:00z", "is not RFC 3339"},
		{"2027-03-09T08:00:00Zz", "is not RFC 3339"},
		{"", "is not RFC 3339"},           // no last byte to upper-case
		{"2027-03-09", "is not RFC 3339"}, // no byte 10 to upper-case
	} {
		got, err := hours.ParseInstant(c.in)
		switch {
		case err != nil && !strings.Contains(err.Error(), c.want):
			t.Errorf("ParseInstant(%q) error %q, want %q", c.in, err, c.want)
		case err == nil && got.Format(time.RFC3339) != c.want:
			t.Errorf("ParseInstant(%q) = %s, want %s", c.in, got.Format(time.RFC3339), c.want)
		}
	}
}

// TestParseBound: a range bound takes a fraction of a second, rounded to
// the whole second selecting the same whole-second instants — up for "on
// or after", down for "on or before", before 1970 as after, in any
// offset — and is otherwise read as ParseInstant reads an instant.
func TestParseBound(t *testing.T) {
	for _, c := range []struct {
		in   string
		up   bool
		want string // the bound in RFC 3339, or a piece of the error
	}{
		{"2027-03-09T08:00:00.25-06:00", true, "2027-03-09T08:00:01-06:00"},
		{"2027-03-09T08:00:00.25-06:00", false, "2027-03-09T08:00:00-06:00"},
		{"2027-03-09T08:00:59.999Z", true, "2027-03-09T08:01:00Z"},
		{"2027-03-09t23:59:59.5z", true, "2027-03-10T00:00:00Z"},
		{"2027-03-09T08:00:00.000Z", true, "2027-03-09T08:00:00Z"},
		{"2027-03-09T08:00:00Z", true, "2027-03-09T08:00:00Z"},
		{"2027-03-09T08:00:00Z", false, "2027-03-09T08:00:00Z"},
		{"1969-12-31T23:59:59.5Z", true, "1970-01-01T00:00:00Z"},
		{"1969-12-31T23:59:59.5Z", false, "1969-12-31T23:59:59Z"},
		{"1950-06-01T12:00:00.1+05:30", false, "1950-06-01T12:00:00+05:30"},
		{"2199-12-31T23:59:59.5Z", false, "2199-12-31T23:59:59Z"},
		{"2199-12-31T23:59:59.5Z", true, "outside the supported years"},
		{"2027-03-09 08:00", true, "is not RFC 3339"},
		{"2027-03-09T08:00:00,25Z", true, "is not RFC 3339"},
		{"2027-03-09T08:00:00.25+24:00", false, "is not RFC 3339"},
		{"2027-03-09T08:00:00+00:60", true, "is not RFC 3339"},
		{"2016-12-31T23:59:60Z", true, "is a leap second"},
		{"2016-12-31T23:59:60.5Z", false, "is a leap second"},
	} {
		got, err := hours.ParseBound(c.in, c.up)
		switch {
		case err != nil && !strings.Contains(err.Error(), c.want):
			t.Errorf("ParseBound(%q, %v) error %q, want %q", c.in, c.up, err, c.want)
		case err == nil && got.Format(time.RFC3339Nano) != c.want:
			t.Errorf("ParseBound(%q, %v) = %s, want %s", c.in, c.up, got.Format(time.RFC3339Nano), c.want)
		}
	}
}

// FuzzParseInstant: no input panics; what parses is in range and whole
// seconds, parses back from its RFC 3339 form to the same instant and
// offset, and parses as its upper-case spelling does; errors carry the
// package prefix.
func FuzzParseInstant(f *testing.F) {
	for _, s := range []string{"2027-03-09T08:00:00-07:00", "2027-03-09t08:00:00z", "2027-03-09T08:00:00.75-06:00",
		"2027-03-09T08:00:00.000Z", "1899-12-31T23:59:59Z", "2027-03-09 08:00", "z", "t", "", "2027-03-09",
		"2027-03-09T08:00:00+24:00", "2027-03-09T08:00:00+23:60", "2027-03-09T08:00:00,5Z", "2016-12-31T23:59:60Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := hours.ParseInstant(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "hours: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		if hours.CheckInstant(got) != nil || got.Nanosecond() != 0 {
			t.Fatalf("%q parsed to %v: out of range or not whole seconds", s, got)
		}
		back, err := hours.ParseInstant(got.Format(time.RFC3339))
		if err != nil || !back.Equal(got) || back.Format(time.RFC3339) != got.Format(time.RFC3339) {
			t.Fatalf("%q → %v → %v, %v", s, got, back, err)
		}
		if len(s) > 10 {
			up := s[:10] + strings.ToUpper(s[10:11]) + s[11:]
			up = strings.TrimSuffix(up, "z")
			if len(up) < len(s) {
				up += "Z"
			}
			if u, err := hours.ParseInstant(up); err != nil || !u.Equal(got) {
				t.Fatalf("%q parsed to %v but its upper-case spelling %q to %v, %v", s, got, up, u, err)
			}
		}
	})
}

func TestParseDateSaysWhy(t *testing.T) {
	for in, want := range map[string]string{
		"2026-02-30":  `hours: date "2026-02-30": February 2026 has 28 days`,
		"2028-02-30":  `hours: date "2028-02-30": February 2028 has 29 days`,
		"2027-04-31":  `hours: date "2027-04-31": April 2027 has 30 days`,
		"2027-13-01":  `hours: date "2027-13-01": month 13 is out of range 01–12`,
		"2027-00-10":  `hours: date "2027-00-10": month 0 is out of range 01–12`,
		"2027-03-00":  `hours: date "2027-03-00": day 0 is out of range (days start at 01)`,
		"2027-03-32":  `hours: date "2027-03-32": March 2027 has 31 days`,
		"2027-3-9":    `hours: date "2027-3-9": want YYYY-MM-DD`,
		"tuesday":     `hours: date "tuesday": want YYYY-MM-DD`,
		"2027-03-09T": `hours: date "2027-03-09T": want YYYY-MM-DD`,
	} {
		_, err := hours.ParseDate(in)
		if err == nil || err.Error() != want {
			t.Errorf("ParseDate(%q) error = %v, want %s", in, err, want)
		}
	}
	for _, in := range []string{"2028-02-29", "2027-12-31", "2027-01-01", "1900-02-28", "2000-02-29"} {
		d, err := hours.ParseDate(in)
		if err != nil || d.String() != in {
			t.Errorf("ParseDate(%q) = %v, %v", in, d, err)
		}
	}
	if _, err := hours.ParseDate("1900-02-29"); err == nil {
		t.Error("ParseDate accepted 1900-02-29 (1900 is not a leap year)")
	}
}

func TestParseInstantIn(t *testing.T) {
	denver, err := hours.LoadLocation("America/Denver")
	if err != nil {
		t.Fatal(err)
	}
	sydney, err := hours.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   string
		loc  *time.Location
		want string // RFC 3339, or the error
	}{
		// RFC 3339 keeps its offset, whatever the zone.
		{"2027-03-09T08:00:00-07:00", denver, "2027-03-09T08:00:00-07:00"},
		{"2027-03-09T15:00:00Z", denver, "2027-03-09T15:00:00Z"},
		{"2027-03-09 08:00:00+01:00", denver, "2027-03-09T08:00:00+01:00"},
		// A date is its local midnight.
		{"2027-03-09", denver, "2027-03-09T00:00:00-07:00"},
		{"2027-03-15", denver, "2027-03-15T00:00:00-06:00"},
		// Local date-times, T or space, with or without seconds.
		{"2027-03-09T08:00", denver, "2027-03-09T08:00:00-07:00"},
		{"2027-03-09 08:00", denver, "2027-03-09T08:00:00-07:00"},
		{"2027-07-09T08:00:30", denver, "2027-07-09T08:00:30-06:00"},
		{"2027-07-09T08:00:59", denver, "2027-07-09T08:00:59-06:00"}, // the last second of a minute
		{"2027-07-09T08:00:59.000", denver, "2027-07-09T08:00:59-06:00"},
		{"2027-07-09T08:00:60", denver, "want RFC 3339"},
		{"2027-07-09T08:00:60.000", denver, "want RFC 3339"},
		{"2027-03-09T24:00", denver, "2027-03-10T00:00:00-07:00"},
		// Spring forward in Denver: 02:30 does not exist and moves forward
		// by the gap.
		{"2027-03-14T02:30", denver, "2027-03-14T03:30:00-06:00"},
		{"2027-03-14T02:30:15", denver, "2027-03-14T03:30:15-06:00"},
		{"2027-03-14T01:59", denver, "2027-03-14T01:59:00-07:00"},
		{"2027-03-14T03:00", denver, "2027-03-14T03:00:00-06:00"},
		// Fall back in Denver: 01:30 occurs twice and takes the earlier.
		{"2027-11-07T01:30", denver, "2027-11-07T01:30:00-06:00"},
		{"2027-11-07T02:00", denver, "2027-11-07T02:00:00-07:00"},
		// The southern hemisphere: Sydney springs forward on 2027-10-03 and
		// falls back on 2027-04-04.
		{"2027-10-03T02:30", sydney, "2027-10-03T03:30:00+11:00"},
		{"2027-04-04T02:30", sydney, "2027-04-04T02:30:00+11:00"},
		// Errors say what is wrong.
		{"2026-02-30", denver, `hours: date "2026-02-30": February 2026 has 28 days`},
		{"2026-02-30T08:00", denver, `hours: date-time "2026-02-30T08:00": February 2026 has 28 days`},
		{"2027-03-09T25:00", denver, `hours: date-time "2027-03-09T25:00": want RFC 3339 (2027-03-09T08:00:00-07:00), a date (2027-03-09) or a local date-time (2027-03-09T08:00)`},
		{"2027-03-09T08:00:61", denver, `hours: date-time "2027-03-09T08:00:61": want RFC 3339`},
		{"2027-03-09T24:00:00", denver, `hours: date-time "2027-03-09T24:00:00": want RFC 3339`},
		{"tuesday", denver, `hours: date-time "tuesday": want RFC 3339`},
		{"2027-03-09X08:00", denver, `hours: date-time "2027-03-09X08:00": want RFC 3339`},
		{"2027-03-09T08:00+25:00", denver, `hours: date-time "2027-03-09T08:00+25:00": want RFC 3339`},
		// The range check applies to every form.
		{"1899-12-31", denver, "outside the supported years 1900–2199"},
		{"2200-01-01T00:00", denver, "outside the supported years 1900–2199"},
		{"0001-01-01T00:00:00Z", denver, "outside the supported years 1900–2199"},
		// RFC 3339 through ParseInstant: lower-case t and z, whole seconds.
		{"2027-03-09t08:00:00z", denver, "2027-03-09T08:00:00Z"},
		{"2027-03-09T08:00:00-07:00", denver, "2027-03-09T08:00:00-07:00"},
		{"2027-03-09T08:00:00.5z", denver, "has a fraction of a second"},
		{"2027-03-09T08:00:00.5", denver, `hours: date-time "2027-03-09T08:00:00.5" has a fraction of a second`},
		{"2027-03-09T08:00:00.000", denver, "2027-03-09T08:00:00-07:00"}, // zeros are whole, as in RFC 3339
		{"2027-03-09T08:00:00.", denver, "want RFC 3339"},
		{"2027-03-09T08:00:60.5", denver, "want RFC 3339"},
	} {
		got, err := hours.ParseInstantIn(c.in, c.loc)
		switch {
		case err != nil && !strings.Contains(err.Error(), c.want):
			t.Errorf("ParseInstantIn(%q) error %q, want %q", c.in, err, c.want)
		case err == nil && got.Format(time.RFC3339) != c.want:
			t.Errorf("ParseInstantIn(%q) = %s, want %s", c.in, got.Format(time.RFC3339), c.want)
		}
	}
}

func TestParseBoundIn(t *testing.T) {
	denver, err := hours.LoadLocation("America/Denver")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   string
		up   bool
		want string // RFC 3339, or a piece of the error
	}{
		// RFC 3339 rounds as ParseBound does, keeping its offset.
		{"2027-03-09T08:00:00.25-06:00", true, "2027-03-09T08:00:01-06:00"},
		{"2027-03-09 08:00:00.25-06:00", false, "2027-03-09T08:00:00-06:00"},
		{"2027-03-09t15:00:59.999z", true, "2027-03-09T15:01:00Z"},
		// A local date-time with seconds may carry a fraction too.
		{"2027-03-09T08:00:00.5", true, "2027-03-09T08:00:01-07:00"},
		{"2027-03-09 08:00:00.5", false, "2027-03-09T08:00:00-07:00"},
		{"2027-03-09T23:59:59.001", true, "2027-03-10T00:00:00-07:00"},
		{"2027-03-09T08:00:00.000", true, "2027-03-09T08:00:00-07:00"},
		{"2027-03-14T02:30:00.5", true, "2027-03-14T03:30:01-06:00"},  // in the spring gap: forward by the gap, then up
		{"2027-11-07T01:30:00.5", false, "2027-11-07T01:30:00-06:00"}, // twice in the fall: the earlier
		// Whole forms are unchanged.
		{"2027-03-09", true, "2027-03-09T00:00:00-07:00"},
		{"2027-03-09T08:00", false, "2027-03-09T08:00:00-07:00"},
		// Errors.
		{"2027-03-09T08:00.5", true, "want RFC 3339"},
		{"2027-03-09T08:00:00.5x", true, "want RFC 3339"},
		{"2199-12-31T23:59:59.5", true, "outside the supported years"},
	} {
		got, err := hours.ParseBoundIn(c.in, denver, c.up)
		switch {
		case err != nil && !strings.Contains(err.Error(), c.want):
			t.Errorf("ParseBoundIn(%q, %v) error %q, want %q", c.in, c.up, err, c.want)
		case err == nil && got.Format(time.RFC3339Nano) != c.want:
			t.Errorf("ParseBoundIn(%q, %v) = %s, want %s", c.in, c.up, got.Format(time.RFC3339Nano), c.want)
		}
		// A whole input means what ParseInstantIn says it means.
		if want, err2 := hours.ParseInstantIn(c.in, denver); err2 == nil && (err != nil || !got.Equal(want)) {
			t.Errorf("ParseBoundIn(%q) = %v, %v; ParseInstantIn %v", c.in, got, err, want)
		}
	}
}

// FuzzParseInstantIn: no input panics; whatever parses is in range, and
// its RFC 3339 form parses back to the same instant. A date parses back
// to itself.
func FuzzParseInstantIn(f *testing.F) {
	for _, s := range []string{"2027-03-09", "2027-03-14T02:30", "2027-11-07 01:30:59", "2027-03-09T08:00:00-07:00",
		"2026-02-30", "2027-03-09T24:00", "1899-12-31T23:59:59Z", "2027-03-09t08:00Z", "9999-12-31T23:59"} {
		f.Add(s)
	}
	loc, err := hours.LoadLocation("America/Denver")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := hours.ParseInstantIn(s, loc)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "hours: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		if err := hours.CheckInstant(got); err != nil {
			t.Fatalf("%q parsed to %v, out of range", s, got)
		}
		back, err := hours.ParseInstantIn(got.Format(time.RFC3339Nano), loc)
		if err != nil || !back.Equal(got) {
			t.Fatalf("%q → %v → %v, %v", s, got, back, err)
		}
		if d, err := hours.ParseDate(s); err == nil && hours.DateAt(loc, got.Unix()) != d {
			t.Fatalf("date %q parsed to %v, on another date", s, got)
		}
	})
}

// FuzzParseBoundIn: no input panics; a bound parses both ways or neither
// (but at the top of the range, where rounding up leaves it), in whole
// seconds, and the two roundings are equal or one second apart.
func FuzzParseBoundIn(f *testing.F) {
	for _, s := range []string{"2027-03-09T08:00:00.25", "2027-03-09 08:00:00.000", "2027-03-09T08:00:00.5-06:00",
		"2027-03-14T02:30:59.9", "2199-12-31T23:59:59.5", "2027-03-09", "2027-03-09T08:00:00."} {
		f.Add(s)
	}
	loc, err := hours.LoadLocation("America/Denver")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lo, errLo := hours.ParseBoundIn(s, loc, false)
		hi, errHi := hours.ParseBoundIn(s, loc, true)
		for _, err := range []error{errLo, errHi} {
			if err != nil && !strings.HasPrefix(err.Error(), "hours: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
		}
		if errLo != nil {
			if errHi == nil {
				t.Fatalf("%q: rounds up to %v but not down: %v", s, hi, errLo)
			}
			return
		}
		if errHi != nil {
			if !strings.Contains(errHi.Error(), "outside the supported years") {
				t.Fatalf("%q: rounds down to %v but not up: %v", s, lo, errHi)
			}
			return
		}
		if lo.Nanosecond() != 0 || hi.Nanosecond() != 0 {
			t.Fatalf("%q: %v, %v: not whole seconds", s, lo, hi)
		}
		if d := hi.Sub(lo); d != 0 && d != time.Second {
			t.Fatalf("%q: rounds to %v and %v", s, lo, hi)
		}
	})
}
