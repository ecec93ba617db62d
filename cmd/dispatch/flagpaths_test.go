package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/validate"
)

func TestAsFlags(t *testing.T) {
	fs := flag.NewFlagSet("technician add", flag.ContinueOnError)
	for _, name := range []string{"technician", "name", "business-unit", "skills", "zones", "home"} {
		fs.String(name, "", "")
	}
	for _, tc := range []struct{ path, want string }{
		{"businessUnitId", "--business-unit"},
		{"$.businessUnitId", "--business-unit"},
		{"skills[2]", "--skills[2]"},
		{"zoneIds[0]", "--zones[0]"},
		{"name", "--name"},
		{"id", "--technician"},
		{"home.latitude", "--home.latitude"},
		{"jobTypeId", "jobTypeId"}, // no such flag here: the member stays
		{"", ""},
		{"$", "$"},
	} {
		err := asFlags(validate.Errors{{Path: tc.path, Msg: "bad"}}, fs, "technician")
		var got validate.Errors
		if !errors.As(err, &got) || len(got) != 1 || got[0].Path != tc.want {
			t.Errorf("path %q: got %v, want path %q", tc.path, err, tc.want)
		}
	}
	// One error alone is rewritten too; a wrapped one, and any other, pass
	// through as they are.
	if err := asFlags(&validate.Error{Path: "businessUnitId", Msg: "bad"}, fs, ""); err.Error() != "--business-unit: bad" {
		t.Errorf("one error: %v", err)
	}
	wrapped := fmt.Errorf("context: %w", validate.Errors{{Path: "businessUnitId", Msg: "bad"}})
	if err := asFlags(wrapped, fs, ""); err != wrapped {
		t.Errorf("wrapped error rewritten: %v", err)
	}
	// The caller's errors are not changed in place.
	orig := validate.Errors{{Path: "name", Msg: "bad"}}
	asFlags(orig, fs, "")
	if orig[0].Path != "name" {
		t.Errorf("asFlags changed its input: %q", orig[0].Path)
	}
}

// TestRequestErrorsNameFlags: the errors of a capacity request or a GPS
// query that the command built from its flags name the flags the user
// typed, not the members of the request it built ("--to: ...", not
// "endsOnOrBefore: ..."); a request read from a file (--request) keeps
// its JSON paths, which are the file's, after the file's name.
func TestRequestErrorsNameFlags(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"capacity", "--from", "2027-03-10", "--to", "2027-03-09"}, "", "dispatch capacity: --to: capacity: endsOnOrBefore 2027-03-09T00:00:00-07:00 is not after"},
		{[]string{"capacity", "--from", "2027-01-01", "--to", "2027-03-09"}, "", "dispatch capacity: --to: capacity: the range is 67 days"},
		{[]string{"capacity", "--job-type", "9999"}, "", "dispatch capacity: --job-type: capacity: unknown job type 9999"},
		{[]string{"capacity", "--business-units", "1,77"}, "", "dispatch capacity: --business-units[1]: capacity: unknown business unit 77"},
		{[]string{"capacity", "--zip", "!!"}, "", `dispatch capacity: --zip: zones: malformed postal code "!!"`},
		{[]string{"capacity", "--request", "-"}, `{"startsOnOrAfter": "2027-03-09T00:00:00-07:00", "endsOnOrBefore": "2027-03-10T00:00:00-07:00", "businessUnitIds": [77]}`,
			"dispatch capacity: stdin: businessUnitIds[0]: capacity: unknown business unit 77"},
		{[]string{"gps", "--technician", "999", "--from", "2027-03-09", "--to", "2027-03-10"}, "", "dispatch gps: --technician: api: unknown technician 999"},
		{[]string{"gps", "--technician", "101", "--from", "2027-03-09", "--to", "2027-03-08"}, "", "dispatch gps: --to: api: toUtc 2027-03-08T07:00:00Z is not after fromUtc"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := dispatchRun(t, tt.stdin, tt.args...)
			if code != 1 || !strings.HasPrefix(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 1 and one line starting %q", code, errOut, tt.want)
			}
		})
	}
}

// TestRequestFile: a --request file's errors name the file, as a tenant
// file's do ("capacity: request: empty body" did not say which body), and
// a byte-order mark before its JSON is skipped as in a tenant or scenario
// file: the answer is the one without it.
func TestRequestFile(t *testing.T) {
	dir := t.TempDir()
	body := `{"startsOnOrAfter": "2027-03-09T00:00:00-07:00", "endsOnOrBefore": "2027-03-10T00:00:00-07:00", "jobTypeId": 101}`
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty, zeros, plain, bom := write("empty.json", ""), write("zeros.json", "\x00\x00"), write("plain.json", body), write("bom.json", "\ufeff"+body)
	for _, tt := range []struct{ path, want string }{
		{empty, "dispatch capacity: " + empty + ": capacity: request: empty body"},
		{zeros, "dispatch capacity: " + zeros + ": capacity: request: malformed JSON at line 1, column 1"},
	} {
		_, errOut, code := dispatchRun(t, "", "capacity", "--request", tt.path)
		if code != 1 || !strings.HasPrefix(errOut, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and %q", tt.path, code, errOut, tt.want)
		}
	}
	want, errOut, code := dispatchRun(t, "", "capacity", "--request", plain)
	if code != 0 {
		t.Fatalf("plain request: exit %d, %s", code, errOut)
	}
	got, errOut, code := dispatchRun(t, "", "capacity", "--request", bom)
	if code != 0 || got != want {
		t.Errorf("request with a byte-order mark: exit %d, stderr %q, stdout\n%.300s\nwant\n%.300s", code, errOut, got, want)
	}
}
