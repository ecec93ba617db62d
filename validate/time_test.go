package validate_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/opendispatch/dispatch/validate"
)

type timed struct {
	At   time.Time  `json:"at"`
	Opt  *time.Time `json:"opt,omitempty"`
	List []time.Time
}

// TestTimeFastPath: date-times decode to the same instants, offsets and
// problems with the fast path as through go-json-experiment (the fast path
// off), and as go-json-experiment decodes them itself, for canonical
// texts and every near miss the fast path must hand over.
func TestTimeFastPath(t *testing.T) {
	texts := []string{
		"2026-03-09T10:00:00-06:00", "2026-03-09T16:00:00Z", "2026-11-01T01:30:00-07:00", "1900-01-01T00:00:00+14:00",
		"2199-12-31T23:59:59-12:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-02-29T12:00:00+05:30",
		"2000-02-29T00:00:00Z", "2027-04-30T23:59:59-07:00", "2027-03-14T02:30:00-06:00", "2027-11-07T01:30:00-06:00",
		// Not canonical: go-json-experiment decides.
		"2026-03-09T10:00:00+00:00", "2026-03-09T10:00:00.5Z", "2026-03-09T10:00:00.000-06:00", "2026-03-09t10:00:00z", "2026-03-09t10:00:00-06:00", "2026-03-09T10:00:00z", "2026-03-09t10:00:00.5z",
		"2026-03-09 10:00:00Z", "2026-02-30T10:00:00Z", "2026-03-09T24:00:00Z", "2026-03-09T10:60:00Z", "2026-03-09T10:00:60Z",
		"2026-03-09T10:00:00+24:00", "2026-03-09T10:00:00+05:60", "2026-03-09T10:00:00+23:59", "2026-03-09T10:00:00-99:00", "2026-13-09T10:00:00Z", "2026-03-09T10:00:00", "2026-03-09",
		"26-03-09T10:00:00Z", "0000-01-01T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2027-04-31T00:00:00Z",
		"2027-00-10T00:00:00Z", "2027-01-00T00:00:00Z", "2026-03-09T10:00:00-00:00", "2026-03-09T10:00:00-0600", "2026-03-09T10:00:00\u002B01:00", "",
	}
	for _, s := range texts {
		data := []byte(fmt.Sprintf(`{"at": %q, "opt": %q, "List": [%q, %q]}`, s, s, s, s))
		var fast, slow, ref timed
		errFast := validate.Unmarshal(data, &fast)
		restore := validate.SetFastTimes(false)
		errSlow := validate.Unmarshal(data, &slow)
		restore()
		// RFC 3339 §5.6 lets "T" and "Z" be lower case; go-json-experiment
		// refuses them, so its reference reads the upper-case spelling.
		up := s
		if len(up) > 10 && up[10] == 't' {
			up = up[:10] + "T" + up[11:]
		}
		if strings.HasSuffix(up, "z") {
			up = strings.TrimSuffix(up, "z") + "Z"
		}
		refData := []byte(fmt.Sprintf(`{"at": %q, "opt": %q, "List": [%q, %q]}`, up, up, up, up))
		errRef := json.Unmarshal(refData, &ref, json.RejectUnknownMembers(true))
		if fmt.Sprint(errFast) != fmt.Sprint(errSlow) || (errFast == nil) != (errRef == nil) {
			t.Errorf("%q: fast path %v; without it %v; go-json-experiment %v", s, errFast, errSlow, errRef)
			continue
		}
		if errFast != nil {
			continue
		}
		for _, got := range []timed{fast, slow} {
			for _, x := range []time.Time{got.At, *got.Opt, got.List[0], got.List[1]} {
				_, off := x.Zone()
				_, want := ref.At.Zone()
				if !x.Equal(ref.At) || off != want || x.Format(time.RFC3339Nano) != ref.At.Format(time.RFC3339Nano) {
					t.Errorf("%q: decoded %v (offset %d), go-json-experiment %v (offset %d)", s, x, off, ref.At, want)
				}
			}
		}
	}
}

// TestTimeFastPathMessages: a bad date-time is reported at its path, as
// go-json-experiment words it, among the other problems of the text.
func TestTimeFastPathMessages(t *testing.T) {
	var v timed
	err := validate.Unmarshal([]byte(`{"at": "2026-02-30T10:00:00Z", "List": ["2026-03-09T10:00:00Z", "soon"], "x": 1}`), &v)
	msg := fmt.Sprint(err)
	for _, want := range []string{"at: ", "List[1]: ", `x: unknown field "x"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems %q lack %q", msg, want)
		}
	}
	if !v.List[0].Equal(time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("List[0] = %v", v.List[0])
	}
}

// BenchmarkUnmarshalTimes decodes 100,000 records of two date-times drawn
// from 2,000 distinct ones, as a tenant's appointments repeat their
// windows' bounds: impl=fast with the fast path, impl=opaque with each
// handed to go-json-experiment.
func BenchmarkUnmarshalTimes(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("[")
	base := time.Date(2027, 3, 8, 8, 0, 0, 0, time.FixedZone("", -7*3600))
	for i := range 100_000 {
		if i > 0 {
			sb.WriteString(",")
		}
		at := base.Add(time.Duration(i%2000) * 15 * time.Minute)
		fmt.Fprintf(&sb, `{"start": %q, "end": %q}`, at.Format(time.RFC3339), at.Add(time.Hour).Format(time.RFC3339))
	}
	sb.WriteString("]")
	data := []byte(sb.String())
	for _, impl := range []string{"fast", "opaque"} {
		b.Run("impl="+impl, func(b *testing.B) {
			defer validate.SetFastTimes(impl == "fast")()
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var v []struct {
					Start time.Time `json:"start"`
					End   time.Time `json:"end"`
				}
				if err := validate.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/200_000, "ns/time")
		})
	}
}

// canonicalRef says whether s is a date-time the fast path must read: one
// time.Parse reads as RFC 3339, that time.RFC3339 writes back as s (so
// seconds, no fraction, "Z" for a zero offset), that go-json-experiment
// accepts (offsets below 24:00), of a year from 1.
func canonicalRef(s string) (time.Time, bool) {
	at, err := time.Parse(time.RFC3339, s)
	if err != nil || at.Format(time.RFC3339) != s || at.Year() < 1 {
		return time.Time{}, false
	}
	var v time.Time
	if json.Unmarshal([]byte(`"`+s+`"`), &v) != nil {
		return time.Time{}, false
	}
	return at, true
}

// TestParseCanonical: the fast path reads every canonical date-time, as
// time.Parse reads it, and no other text: generated dates with every
// field at and past its bounds (leap days of 1900, 2000, 2024, day 31 of
// every month, hour 24, minute and second 60, offsets to ±24:60), and the
// same texts with one byte replaced. Before, the fast path could refuse
// December, leap days or any digit 9 (the slower path then read them,
// unseen), or take a letter for a digit.
func TestParseCanonical(t *testing.T) {
	r := rand.New(rand.NewPCG(20261129, 1))
	two := func(hi int) string { return fmt.Sprintf("%02d", r.IntN(hi)) }
	years := []string{"0000", "0001", "0004", "0100", "0400", "1900", "2000", "2023", "2024", "2100", "9999"}
	fast, total := 0, 0
	for range 60000 {
		year := years[r.IntN(len(years))]
		if r.IntN(2) == 0 {
			year = fmt.Sprintf("%04d", r.IntN(10000))
		}
		s := year + "-" + two(14) + "-" + two(33) + "T" + two(25) + ":" + two(61) + ":" + two(61)
		switch r.IntN(3) {
		case 0:
			s += "Z"
		default:
			s += string("+-"[r.IntN(2)]) + two(26) + ":" + two(61)
		}
		if r.IntN(4) == 0 {
			b := []byte(s)
			b[r.IntN(len(b))] = "0123456789-:TZ+ /a9"[r.IntN(19)]
			s = string(b)
		}
		total++
		got, ok := validate.ParseCanonical(s)
		want, wantOK := canonicalRef(s)
		if ok != wantOK {
			t.Fatalf("ParseCanonical(%q) ok %v; want %v", s, ok, wantOK)
		}
		if !ok {
			continue
		}
		fast++
		_, off := got.Zone()
		_, wantOff := want.Zone()
		if !got.Equal(want) || off != wantOff {
			t.Fatalf("ParseCanonical(%q) = %v (offset %d); time.Parse %v (offset %d)", s, got, off, want, wantOff)
		}
	}
	if fast < total/20 {
		t.Errorf("only %d of %d texts canonical: the generator misses the fast path", fast, total)
	}
}

// TestTimesOfOneText: a text of many distinct date-times decodes each
// one as time.Parse does. The fast path remembers the date-times it read
// in a table of 256 entries (4096 for a large text); entries collide,
// and an entry must be taken only for its own text.
func TestTimesOfOneText(t *testing.T) {
	for _, n := range []int{2000, 30000} { // a small text (under 64 KiB) and a large one
		var sb strings.Builder
		var want []string
		sb.WriteString("[")
		base := time.Date(2027, 3, 8, 8, 0, 0, 0, time.UTC)
		for i := range n {
			if i > 0 {
				sb.WriteString(",")
			}
			at := base.Add(time.Duration(i*7919%n) * time.Minute).In(time.FixedZone("", (i%5-2)*3600))
			s := at.Format(time.RFC3339)
			want = append(want, s)
			fmt.Fprintf(&sb, "%q", s)
		}
		sb.WriteString("]")
		var got []time.Time
		if err := validate.Unmarshal([]byte(sb.String()), &got); err != nil {
			t.Fatal(err)
		}
		for i, x := range got {
			if x.Format(time.RFC3339) != want[i] {
				t.Fatalf("%d date-times: [%d] = %s, want %s", n, i, x.Format(time.RFC3339), want[i])
			}
		}
	}
}
