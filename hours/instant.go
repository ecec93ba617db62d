package hours

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The range of instants the project accepts at its boundaries (files,
// requests, flags): [1900-01-01T00:00:00Z, 2200-01-01T00:00:00Z). Outside
// it an instant is a typo (year 1, year 20207) rather than a plan, and far
// in the past time zones answer local mean time, so a shift "starting in
// year 1" would be echoed some seconds off.
var (
	MinInstant = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxInstant = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ErrNotRFC3339 is wrapped by the error of [ParseInstant] for a text that
// is not an RFC 3339 date-time at all (rather than one out of range or
// with a fraction of a second).
var ErrNotRFC3339 = errors.New("not RFC 3339")

// CheckInstant reports an error when t is outside [MinInstant,
// MaxInstant).
func CheckInstant(t time.Time) error {
	if t.Before(MinInstant) || !t.Before(MaxInstant) {
		return fmt.Errorf("hours: date-time %s is outside the supported years 1900–2199", t.Format(time.RFC3339))
	}
	return nil
}

// ParseInstant parses an RFC 3339 date-time with any offset and checks it
// with [CheckInstant]. As RFC 3339 §5.6 allows, the "T" and the "Z" may
// be lower case ("2027-03-09t08:00:00z"). Instants are whole seconds
// (DESIGN §3): a fraction of a second ("08:00:00.75") is an error, not
// silently cut, though a fraction of zeros ("08:00:00.000") is whole.
// It is the one parser of instants at the project's boundaries: request
// bodies and queries, the tenant file's date-time strings, flags (through
// [ParseInstantIn]).
func ParseInstant(s string) (time.Time, error) {
	t, err := parseRFC3339(s)
	if err != nil {
		return time.Time{}, err
	}
	if t.Nanosecond() != 0 {
		return time.Time{}, fmt.Errorf("hours: date-time %q has a fraction of a second: instants are whole seconds (want 2027-03-09T08:00:00-07:00)", s)
	}
	if err := CheckInstant(t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// ParseBound parses the bound of a range, as [ParseInstant] does, except
// that a fraction of a second is taken and rounded to the whole second
// that selects the same instants: up when instants must be at or after
// the bound (startsOnOrAfter, a half-open range's start, or its exclusive
// end), down when they must be at or before it (endsOnOrBefore). Instants
// are whole seconds, so "on or after 08:00:00.25" is "on or after
// 08:00:01" and "on or before 09:00:00.75" is "on or before 09:00:00".
// A bound often comes from a client's clock, which carries a fraction
// (JavaScript's toISOString always writes milliseconds); a record's
// instant does not, and [ParseInstant] refuses one.
func ParseBound(s string, up bool) (time.Time, error) {
	t, err := parseRFC3339(s)
	if err != nil {
		return time.Time{}, err
	}
	if t.Nanosecond() != 0 {
		t = t.Truncate(time.Second) // towards the past, for any offset
		if up {
			t = t.Add(time.Second)
		}
	}
	if err := CheckInstant(t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// parseRFC3339 parses s as RFC 3339, "t" and "z" in either case.
// time.Parse takes more than RFC 3339 §5.6 allows, and each extra moves
// or reads an instant no client meant: an offset hour of 24 or a minute
// of 60 ("+24:00", "+23:60", "+00:60"), and a fraction after ISO 8601's
// "," instead of "."; those are not RFC 3339 here, as they are not for
// the tenant file's date-times (package validate). A leap second (second
// 60) is RFC 3339 but not an instant the engine can hold, Unix seconds
// having none: its error says so.
func parseRFC3339(s string) (time.Time, error) {
	u := upperTZ(s)
	t, err := time.Parse(time.RFC3339, u)
	if err == nil && !strictRFC3339(u) {
		err = ErrNotRFC3339
	}
	if err != nil {
		if leapSecond(u) {
			return time.Time{}, fmt.Errorf("hours: date-time %q is a leap second (second 60): RFC 3339 allows one, but instants are Unix seconds, which have none (send second 59, or the next minute's 00)", s)
		}
		return time.Time{}, fmt.Errorf("hours: date-time %q is %w (want 2027-03-09T08:00:00-07:00)", s, ErrNotRFC3339)
	}
	return t, nil
}

// strictRFC3339 reports whether u, which time.Parse read as
// time.RFC3339, keeps to RFC 3339 §5.6 where time.Parse does not: the
// seconds are followed by a "." fraction or the offset, and a numeric
// offset's hour is 00–23 and its minute 00–59.
func strictRFC3339(u string) bool {
	if len(u) < 20 || u[19] == ',' {
		return false
	}
	if u[len(u)-1] == 'Z' {
		return true
	}
	off := u[len(u)-6:] // "±hh:mm", digits: time.Parse read them
	hh, mm := int(off[1]-'0')*10+int(off[2]-'0'), int(off[4]-'0')*10+int(off[5]-'0')
	return hh <= 23 && mm <= 59
}

// leapSecond reports whether u is an RFC 3339 date-time but for its
// second, 60.
func leapSecond(u string) bool {
	if len(u) < 20 || u[17:19] != "60" {
		return false
	}
	_, err := time.Parse(time.RFC3339, u[:17]+"59"+u[19:])
	return err == nil && strictRFC3339(u)
}

// upperTZ returns s with a lower-case "t" between date and time and a
// lower-case "z" offset upper-cased, the only spellings of RFC 3339 that
// time.Parse refuses; anything else is returned as it is.
func upperTZ(s string) string {
	lowerT := len(s) > 10 && s[10] == 't'
	lowerZ := len(s) > 0 && s[len(s)-1] == 'z'
	if !lowerT && !lowerZ {
		return s
	}
	b := []byte(s)
	if lowerT {
		b[10] = 'T'
	}
	if lowerZ {
		b[len(b)-1] = 'Z'
	}
	return string(b)
}

// ParseInstantIn parses a date-time given where the tenant's zone loc is
// known — a command-line flag, say — in any of three forms:
//
//   - RFC 3339 with any offset, read by [ParseInstant] (whole seconds;
//     "t" and "z" may be lower case): "2027-03-09T08:00:00-07:00" (a space
//     may replace the T);
//   - a date: "2027-03-09", meaning its first instant in loc (see
//     [DayStart]);
//   - a local date-time without an offset: "2027-03-09T08:00",
//     "2027-03-09 08:00" or with seconds "2027-03-09T08:00:30", read in loc
//     by the rule of [Local] (a time in a spring-forward gap moves forward
//     by the gap, one that occurs twice takes the earlier instant);
//     "T24:00" is the next local midnight.
//
// The result is checked with [CheckInstant]. An RFC 3339 input keeps its
// own offset; the other forms are returned in loc.
func ParseInstantIn(s string, loc *time.Location) (time.Time, error) {
	return parseIn(s, loc, false, false)
}

// ParseBoundIn parses the bound of a range given where the tenant's zone
// loc is known, in the forms of [ParseInstantIn], except that a fraction
// of a second is taken and rounded as [ParseBound] rounds it: up when
// instants must be at or after the bound (or before it, for a half-open
// range's exclusive end), down when they must be at or before it. The
// fraction may end an RFC 3339 date-time ("2027-03-09T08:00:00.25Z") or a
// local date-time with seconds ("2027-03-09T08:00:00.25", read in loc by
// the rule of [Local], then rounded).
func ParseBoundIn(s string, loc *time.Location, up bool) (time.Time, error) {
	return parseIn(s, loc, true, up)
}

// parseIn is ParseInstantIn, or ParseBoundIn when bound.
func parseIn(s string, loc *time.Location, bound, up bool) (time.Time, error) {
	loc = orUTC(loc)
	if len(s) == 10 {
		d, err := ParseDate(s)
		if err != nil {
			return time.Time{}, err
		}
		return checked(time.Unix(DayStart(loc, d), 0).In(loc))
	}
	if len(s) < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
		return time.Time{}, badDateTime(s)
	}
	if !dateShaped(s[:10]) {
		return time.Time{}, badDateTime(s)
	}
	d, err := ParseDate(s[:10])
	if err != nil { // a date that does not exist: say why
		return time.Time{}, fmt.Errorf("hours: date-time %q: %w", s, unwrapDate(err))
	}
	rest := s[11:]
	switch {
	case len(rest) == 5 && rest[2] == ':': // HH:MM
		c, err := ParseClock(rest)
		if err != nil {
			return time.Time{}, badDateTime(s)
		}
		return checked(time.Unix(Local(loc, d, c), 0).In(loc))
	case len(rest) == 8 && rest[2] == ':' && rest[5] == ':' && digits(rest[6:]): // HH:MM:SS
		c, err := ParseClock(rest[:5])
		sec := atoi(rest[6:])
		if err != nil || c == EndOfDay || sec > 59 {
			return time.Time{}, badDateTime(s)
		}
		return checked(time.Unix(Local(loc, d, c)+int64(sec), 0).In(loc))
	case len(rest) > 9 && rest[2] == ':' && rest[5] == ':' && rest[8] == '.' && digits(rest[6:8]) && digits(rest[9:]): // HH:MM:SS.fff
		c, err := ParseClock(rest[:5])
		sec := atoi(rest[6:8])
		if err != nil || c == EndOfDay || sec > 59 {
			return time.Time{}, badDateTime(s)
		}
		fraction := strings.Trim(rest[9:], "0") != ""
		if fraction && !bound {
			return time.Time{}, fmt.Errorf("hours: date-time %q has a fraction of a second: instants are whole seconds (want 2027-03-09T08:00:00)", s)
		}
		t := Local(loc, d, c) + int64(sec)
		if fraction && up {
			t++
		}
		return checked(time.Unix(t, 0).In(loc))
	}
	var t time.Time
	if bound {
		t, err = ParseBound(s[:10]+"T"+rest, up)
	} else {
		t, err = ParseInstant(s[:10] + "T" + rest)
	}
	if errors.Is(err, ErrNotRFC3339) {
		return time.Time{}, badDateTime(s)
	}
	return t, err // a fraction of a second or out of range says so
}

func checked(t time.Time) (time.Time, error) {
	if err := CheckInstant(t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

func badDateTime(s string) error {
	return fmt.Errorf("hours: date-time %q: want RFC 3339 (2027-03-09T08:00:00-07:00), a date (2027-03-09) or a local date-time (2027-03-09T08:00)", s)
}

// dateShaped reports whether s has the shape YYYY-MM-DD.
func dateShaped(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s[:4]) && digits(s[5:7]) && digits(s[8:])
}

// unwrapDate strips the "hours: date %q: " prefix of a ParseDate error, to
// quote the whole date-time instead.
func unwrapDate(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, `": `); i >= 0 {
		return errors.New(msg[i+3:])
	}
	return err
}
