package api_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/validate"
)

// TestFound: Found counts what Problems lists, and, for a list that
// reached validate.MaxProblems, the problems it counts instead of listing.
func TestFound(t *testing.T) {
	var few, many validate.Errors
	few.Add("a", "bad")
	few.Add("b", "bad")
	for i := range validate.MaxProblems + 250 {
		many.Add(fmt.Sprintf("x[%d]", i), "bad")
	}
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"none", nil, 0},
		{"plain", errors.New("boom"), 1},
		{"one", &validate.Error{Path: "a", Msg: "bad"}, 1},
		{"a list", few, 2},
		{"a wrapped list", fmt.Errorf("ctx: %w", few), 2},
		{"a full list", many, validate.MaxProblems + 250},
	} {
		if got := api.Found(tc.err); got != tc.want {
			t.Errorf("%s: Found %d, want %d", tc.name, got, tc.want)
		}
		if tc.name != "a full list" && api.Found(tc.err) != len(api.Problems(tc.err)) {
			t.Errorf("%s: Found %d, Problems lists %d", tc.name, api.Found(tc.err), len(api.Problems(tc.err)))
		}
	}
}
