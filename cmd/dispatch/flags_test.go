package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
)

// TestDateTimeFlags: every date-time flag takes RFC 3339 with any offset,
// a date (its local midnight) and a local date-time with T or a space, and
// these give the same output as the equivalent RFC 3339 instant. The local
// forms are read in the tenant's zone by the DST rule: across the spring
// gap, 02:30 is 03:30 daylight time; in the fall overlap 01:30 is the
// earlier one (the demo's zone is America/Denver). Every form is tried on
// one flag, and every flag with a date and a local date-time: the flags
// share one parser, and each run loads the demo tenant.
func TestDateTimeFlags(t *testing.T) {
	forms := []struct {
		rfc   string
		other []string
	}{
		{"2027-03-09T00:00:00-07:00", []string{"2027-03-09", "2027-03-09T00:00", "2027-03-09 00:00", "2027-03-09 00:00:00", "2027-03-09 07:00:00Z", "2027-03-09T07:00:00Z"}},
		{"2027-03-09T10:30:00-07:00", []string{"2027-03-09T10:30", "2027-03-09 10:30", "2027-03-09T10:30:00", "2027-03-09T17:30:00Z"}},
		{"2027-03-14T03:30:00-06:00", []string{"2027-03-14T02:30", "2027-03-14 02:30:00"}}, // spring forward
		{"2027-03-15T00:00:00-06:00", []string{"2027-03-15", "2027-03-14T24:00"}},
		{"2027-11-07T01:30:00-06:00", []string{"2027-11-07T01:30"}}, // fall back: the earlier
	}
	demo := demoCopy(t)
	commands := []func(v string) []string{
		func(v string) []string { return []string{"appointments", "--from", v, "--page-size", "2"} },
		func(v string) []string { return []string{"capacity", "--from", v, "--to", "2027-03-20"} },
		func(v string) []string { return []string{"capacity", "--from", "2027-03-01", "--to", v} },
		func(v string) []string { return []string{"shifts", "--starts-on-or-after", v, "--page-size", "3"} },
		func(v string) []string { return []string{"shifts", "--ends-on-or-before", v, "--page-size", "500"} },
		func(v string) []string {
			return []string{"assignments", "--modified-on-or-after", v, "--page-size", "3"}
		},
		func(v string) []string {
			return []string{"gps", "--technician", "101", "--from", v, "--to", "2027-03-20"}
		},
		func(v string) []string {
			return []string{"gps", "--technician", "101", "--from", "2027-03-01", "--to", v}
		},
		func(v string) []string { return []string{"appointments", "--to", v, "--page-size", "500"} },
		func(v string) []string {
			os.WriteFile(demo, dispatch.DemoTenant, 0o644)
			return []string{"assign", "--tenant", demo, "--appointment", "5001", "--technicians", "102", "--now", v}
		},
	}
	try := func(cmd func(string) []string, rfc string, others ...string) {
		args := cmd(rfc)
		want, errOut, code := dispatchRun(t, "", args...)
		if code != 0 && !strings.Contains(errOut, "range of") { // a capacity range too long: compare the errors
			t.Fatalf("%q: exit %d, %s", args, code, errOut)
		}
		want += errOut
		for _, v := range others {
			args := cmd(v)
			got, errOut, _ := dispatchRun(t, "", args...)
			if got+errOut != want && !sameInstantsEcho(got, want) {
				t.Errorf("%q gives another answer than %s:\n%.400s\nwant\n%.400s", args, rfc, got+errOut, want)
			}
		}
	}
	for _, f := range forms { // every form, on the first flag
		try(commands[0], f.rfc, f.other...)
	}
	for _, cmd := range commands[1:] { // every flag: a date, a local time across the gap
		try(cmd, forms[0].rfc, forms[0].other[0])
		try(cmd, forms[2].rfc, forms[2].other[0])
	}
}

// sameInstantsEcho allows the one difference between equal instants: the
// capacity response echoes the request's range in the offset it was given.
func sameInstantsEcho(a, b string) bool {
	var x, y map[string]any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	for _, k := range []string{"startsOnOrAfter", "endsOnOrBefore"} {
		delete(x, k)
		delete(y, k)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// TestWarningsPrinted: a tenant that loads with warnings works, and every
// command that reads it prints each warning once on stderr.
func TestWarningsPrinted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mst.json")
	data := bytes.Replace(dispatch.DemoTenant, []byte(`"timeZone": "America/Denver"`), []byte(`"timeZone": "MST"`), 1)
	if bytes.Equal(data, dispatch.DemoTenant) {
		t.Fatal("the demo tenant's timeZone is not where the test expects it")
	}
	os.WriteFile(path, data, 0o644)
	want := "dispatch: warning: " + path + `: timeZone: hours: time zone "MST" is a legacy abbreviation with a fixed offset (-07:00 all year, no daylight saving time): where clocks change, every business hour and arrival window is an hour off in summer; use "America/Denver" (Mountain time) or "America/Phoenix" (no daylight saving time)` + "\n"
	for _, args := range [][]string{
		{"capacity"}, {"shifts"}, {"assignments"}, {"zones"}, {"hours"}, {"gps", "--technician", "101", "--from", "2027-03-09", "--to", "2027-03-10"},
		{"board", "--date", "2027-03-09"}, {"technicians"}, {"job-types"}, {"business-units"}, {"arrival-windows"}, {"appointments"},
		{"assign", "--appointment", "5040", "--technicians", "102", "--now", "2027-03-30T10:00"},
		{"appointment", "cancel", "--appointment", "5002"}, {"technician", "deactivate", "--technician", "104"},
		{"shift", "update", "--shift", "1", "--note", "x"},
	} {
		args = append(args, "--tenant", path)
		out, errOut, code := dispatchRun(t, "", args...)
		if code != 0 || errOut != want || out == "" {
			t.Errorf("%v: exit %d, stderr %q\nwant 0 and %q", args, code, errOut, want)
		}
	}
	// The demo tenant has none.
	if _, errOut, code := dispatchRun(t, "", "zones"); code != 0 || errOut != "" {
		t.Errorf("demo: exit %d, stderr %q", code, errOut)
	}
}

// TestNoHTMLEscaping: JSON output says & < > as they are.
func TestNoHTMLEscaping(t *testing.T) {
	out, _, code := dispatchRun(t, "", "zones")
	if code != 0 || !strings.Contains(out, `"name": "Lakewood & Golden"`) || strings.Contains(out, `\u0026`) {
		t.Errorf("zones output escapes &:\n%s", out)
	}
	out, _, _ = dispatchRun(t, "", "generate", "--profile", "small")
	if strings.Contains(out, `\u0026`) || strings.Contains(out, `\u003c`) {
		t.Error("generate escapes HTML")
	}
	for in, want := range map[string]string{
		`{"a":"x \u0026 y \u003cb\u003e"}`: `{"a":"x & y <b>"}`,
		`{"a":"\\u0026"}`:                  `{"a":"\\u0026"}`, // an escaped backslash, then text
		`{"a":"\\\u0026"}`:                 `{"a":"\\&"}`,
		`{"a":"\u00e9\n\"\u0026"}`:         `{"a":"\u00e9\n\"&"}`,
		`{"a":"\u003C"}`:                   `{"a":"<"}`,
		`"\`:                               `"\`, // truncated: left alone
	} {
		if got := string(unescapeHTML([]byte(in))); got != want {
			t.Errorf("unescapeHTML(%s) = %s, want %s", in, got, want)
		}
	}
	var buf bytes.Buffer
	if err := writeRawJSON(&buf, []byte(`{"name":"A \u0026 B"}`)); err != nil || buf.String() != "{\n  \"name\": \"A & B\"\n}\n" {
		t.Errorf("writeRawJSON: %q, %v", buf.String(), err)
	}
}

// TestFractionalBounds: a date-time flag that bounds a range takes a
// fraction of a second, as the API does, rounded to the whole second that
// selects the same instants: up for a bound instants must be at or after
// (or before, for an exclusive end), down for one they must be at or
// before. Each case gives the answer of the rounded whole second, and the
// other rounding would answer differently. A record's instant (a shift's
// start, --now) still refuses a fraction.
func TestFractionalBounds(t *testing.T) {
	tests := []struct {
		args                 func(v string) []string
		frac, rounded, wrong string
	}{
		{func(v string) []string { return []string{"shifts", "--starts-on-or-after", v, "--page-size", "500"} },
			"2027-03-08T07:00:00.5", "2027-03-08T07:00:01", "2027-03-08T07:00:00"},
		{func(v string) []string { return []string{"shifts", "--ends-on-or-before", v, "--page-size", "500"} },
			"2027-03-08T16:59:59.5-07:00", "2027-03-08T16:59:59-07:00", "2027-03-08T17:00:00-07:00"},
		{func(v string) []string { return []string{"capacity", "--from", v, "--to", "2027-03-09T12:00"} },
			"2027-03-09T08:00:00.001", "2027-03-09T08:00:01", "2027-03-09T08:00:00"},
		{func(v string) []string { return []string{"capacity", "--from", "2027-03-09T08:00", "--to", v} },
			"2027-03-09 09:59:59.999", "2027-03-09T09:59:59", "2027-03-09T10:00:00"},
		{func(v string) []string { return []string{"appointments", "--from", v, "--to", "2027-03-10"} },
			"2027-03-09T15:00:00.5Z", "2027-03-09T15:00:01Z", "2027-03-09T15:00:00Z"},
		{func(v string) []string { return []string{"appointments", "--from", "2027-03-09", "--to", v} },
			"2027-03-09T08:00:00.5", "2027-03-09T08:00:01", "2027-03-09T08:00:00"},
		{func(v string) []string {
			return []string{"assignments", "--modified-on-or-after", v, "--page-size", "500"}
		}, "2027-03-02T08:17:00.25", "2027-03-02T08:17:01", "2027-03-02T08:17:00"},
		{func(v string) []string {
			return []string{"gps", "--technician", "202", "--from", v, "--to", "2027-03-09T16:00:00Z"}
		}, "2027-03-09T15:00:00.5Z", "2027-03-09T15:00:01Z", "2027-03-09T15:00:00Z"},
		{func(v string) []string {
			return []string{"gps", "--technician", "202", "--from", "2027-03-09T14:00:00Z", "--to", v}
		}, "2027-03-09t15:00:00.5z", "2027-03-09T15:00:01Z", "2027-03-09T15:00:00Z"},
	}
	for _, tt := range tests {
		out := func(v string) string {
			args := tt.args(v)
			got, errOut, code := dispatchRun(t, "", args...)
			if code != 0 {
				t.Fatalf("%q: exit %d, %s", args, code, errOut)
			}
			return got
		}
		frac, rounded, wrong := out(tt.frac), out(tt.rounded), out(tt.wrong)
		if frac != rounded && !sameInstantsEcho(frac, rounded) {
			t.Errorf("%q answers differently from %s:\n%.300s\nwant\n%.300s", tt.args(tt.frac), tt.rounded, frac, rounded)
		}
		if rounded == wrong || sameInstantsEcho(rounded, wrong) {
			t.Errorf("%q: %s and %s answer alike: the case cannot tell the roundings apart", tt.args(""), tt.rounded, tt.wrong)
		}
	}
	// Records' instants are whole seconds.
	path := demoCopy(t)
	for _, args := range [][]string{
		{"shift", "create", "--tenant", path, "--technicians", "101", "--start", "2027-03-13T08:00:00.5", "--end", "2027-03-13T12:00"},
		{"appointment", "reschedule", "--tenant", path, "--appointment", "5004", "--start", "2027-03-11T09:00", "--end", "2027-03-11T10:00:00.5-07:00"},
		{"technician", "deactivate", "--tenant", path, "--technician", "104", "--now", "2027-03-30T10:00:00.5"},
	} {
		_, errOut, code := dispatchRun(t, "", args...)
		if code != 2 || !strings.Contains(errOut, "has a fraction of a second") {
			t.Errorf("%q: exit %d, %q; want 2 and a fraction of a second refused", args, code, errOut)
		}
	}
}
