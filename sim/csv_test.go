package sim_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/opendispatch/dispatch/sim"
)

// TestCSVFormulaNames: a name a spreadsheet would read as a formula (a
// business unit named =HYPERLINK(...), review 5 finding 14) is written
// with a leading single quote; other names and the numbers are as they
// were.
func TestCSVFormulaNames(t *testing.T) {
	day := func() []sim.Day {
		return []sim.Day{{Date: "2027-03-08", JobTypes: []sim.Tally{{Calls: 2, Booked: 1}, {Calls: 1}}}}
	}
	res := &sim.Result{
		Scenario: sim.Scenario{Variants: []sim.Variant{{Name: "+2 techs"}}},
		Labels: sim.Labels{
			BusinessUnits: []sim.Label{{ID: 1, Name: `=HYPERLINK("http://example.com","x")`}, {ID: 2, Name: "Plumbing"}},
			JobTypes:      []sim.Label{{ID: 101, Name: "@SUM(A1)", BusinessUnitID: 1}, {ID: 201, Name: "\tTune-up - basic", BusinessUnitID: 2}},
		},
		Runs:    []*sim.Run{{Days: day()}, {Days: day()}},
		Summary: &sim.Summary{},
	}
	var b bytes.Buffer
	if err := sim.WriteCSV(&b, res); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][3]string{ // variant, business_unit, job_type
		{"baseline", `'=HYPERLINK("http://example.com","x")`, "'@SUM(A1)"},
		{"baseline", "Plumbing", "'\tTune-up - basic"},
		{"'+2 techs", `'=HYPERLINK("http://example.com","x")`, "'@SUM(A1)"},
		{"'+2 techs", "Plumbing", "'\tTune-up - basic"},
	}
	if len(rows) != 1+len(want) {
		t.Fatalf("%d rows, want %d", len(rows), 1+len(want))
	}
	for i, w := range want {
		r := rows[i+1]
		if got := [3]string{r[0], r[4], r[6]}; got != w {
			t.Errorf("row %d: names %q, want %q", i+1, got, w)
		}
		if r[3] == "" || r[3][0] == '\'' || r[8][0] == '\'' {
			t.Errorf("row %d: a number was quoted: %q", i+1, r)
		}
	}
}
