package tenant_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
)

// TestMaxProblems: a file with more problems than validate.MaxProblems
// lists that many, then one problem counting the rest, once, last: the
// decoder's count, the builder's and the engine's problems past the cap
// join it. Before, the decoder's count came first, was copied without
// its number, and the builder's problems past the cap overwrote the
// message of the thousandth listed one with a second count, after which
// the engine's problems were listed past the cap.
func TestMaxProblems(t *testing.T) {
	const n = 1500 // shifts, each with a start the decoder refuses
	var shifts []string
	for i := range n {
		shifts = append(shifts, fmt.Sprintf(`{"id": %d, "technicianId": 101, "shiftType": "Normal", "title": "Day", "note": "",
			"start": "x", "end": "2026-03-09T17:00:00-06:00", "active": true}`, i+1))
	}
	data := replace(t,
		`"durationMinutes": 90`, `"durationMinutes": 0`, // the engine's problem
		`"start": "2026-03-09T07:00:00-06:00", "end": "2026-03-09T17:00:00-06:00", "active": true}]`,
		`"start": "2026-03-09T07:00:00-06:00", "end": "2026-03-09T17:00:00-06:00", "active": true}, `+strings.Join(shifts, ",")+`]`)
	for _, tc := range []struct {
		name string
		load func() error
	}{
		{"Parse", func() error { _, err := tenant.Parse(data); return err }},
		{"Load", func() error { _, err := tenant.Load(bytes.NewReader(data)); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var list validate.Errors
			if err := tc.load(); !errors.As(err, &list) {
				t.Fatalf("got %v, want validate.Errors", err)
			}
			if len(list) != validate.MaxProblems+1 {
				t.Fatalf("%d problems listed, want %d", len(list), validate.MaxProblems+1)
			}
			for i, e := range list[:validate.MaxProblems] {
				if want := validate.Index("shifts", i+1) + ".start"; e.Path != want || strings.Contains(e.Msg, "not listed") {
					t.Fatalf("problem %d is %q, want one at %s", i, e, want)
				}
			}
			// n-MaxProblems+1 starts and the job type at least; the
			// shifts whose start is not listed may be counted again for
			// what their zero start leads to.
			if got, least := list.Unlisted(), n-validate.MaxProblems+1; got < least {
				t.Errorf("Unlisted %d, want at least %d", got, least)
			}
			if last := list[validate.MaxProblems]; last.Msg != fmt.Sprintf("validate: %d more problems, not listed", list.Unlisted()) {
				t.Errorf("last problem %q, want the count of %d", last, list.Unlisted())
			}
		})
	}
}
