package main

import (
	"errors"
	"flag"
	"fmt"
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
