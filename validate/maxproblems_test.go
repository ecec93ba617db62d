package validate_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/validate"
)

// TestMaxProblems: a text with more problems than MaxProblems lists that
// many and one saying the rest are not listed, which keeps the sentinel
// for errors.Is; a syntax error after them is still the last problem.
// Before, a 1 MiB body of 96,000 unknown members made 96,000 problems
// (40 MB), and 48 requests at once took a server to 1.3 GB.
func TestMaxProblems(t *testing.T) {
	type T struct {
		A int `json:"a"`
	}
	members := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"m%d":1`, i)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, text string
		want       int // problems listed
		syntax     bool
	}{
		{"at the cap", members(validate.MaxProblems) + "}", validate.MaxProblems, false},
		{"one past", members(validate.MaxProblems+1) + "}", validate.MaxProblems + 1, false},
		{"far past", members(20*validate.MaxProblems) + "}", validate.MaxProblems + 1, false},
		{"far past, then bad JSON", members(3*validate.MaxProblems) + ",}", validate.MaxProblems + 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v T
			err := validate.Unmarshal([]byte(tc.text), &v)
			var list validate.Errors
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want validate.Errors", err)
			}
			if len(list) != tc.want {
				t.Fatalf("%d problems listed, want %d", len(list), tc.want)
			}
			if !errors.Is(err, validate.ErrJSON) {
				t.Errorf("errors.Is(err, ErrJSON) is false")
			}
			if tc.want > validate.MaxProblems {
				more := strings.Count(tc.text, `":1`) - validate.MaxProblems
				if got, want := list[validate.MaxProblems].Msg, fmt.Sprintf("validate: %d more problems, not listed", more); got != want || list.Unlisted() != more {
					t.Errorf("problem %d is %q and Unlisted %d, want %q", validate.MaxProblems, got, list.Unlisted(), want)
				}
			}
			if last := list[len(list)-1]; tc.syntax != errors.Is(last, validate.ErrSyntax) {
				t.Errorf("last problem %q: syntax %v, want %v", last, !tc.syntax, tc.syntax)
			}
		})
	}
	// The methods stop there too.
	var es validate.Errors
	for i := range 3 * validate.MaxProblems {
		es.Add(fmt.Sprintf("x[%d]", i), "bad: %w", validate.ErrValue)
	}
	es.AddErr("y", errors.New("one more"))
	// A full list nested in another keeps its count.
	var outer validate.Errors
	outer.Add("z", "first")
	outer.AddErr("inner", es)
	if got, want := outer.Unlisted(), es.Unlisted()+1; got != want || len(outer) != validate.MaxProblems+1 {
		t.Errorf("nested: %d listed, %d unlisted; want %d, %d", len(outer), got, validate.MaxProblems+1, want)
	}
	if len(es) != validate.MaxProblems+1 || !errors.Is(es[validate.MaxProblems], validate.ErrValue) || es.Unlisted() != 2*validate.MaxProblems+1 {
		t.Errorf("Add past the cap: %d problems, the last %q, Unlisted %d; want %d, the last wrapping ErrValue, %d unlisted",
			len(es), es[len(es)-1], es.Unlisted(), validate.MaxProblems+1, 2*validate.MaxProblems+1)
	}
}
