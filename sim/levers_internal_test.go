package sim

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLeverValuesStep: a percentage lever's values run from min by step
// up to max, and a step larger than what is left never wraps past the
// top of int into negative percentages (a step of math.MaxInt from 1 gave
// 1, -9223372036854775808 and -1, and the optimiser ran a variant with a
// reserve of -9223372036854775808%).
func TestLeverValuesStep(t *testing.T) {
	for _, tt := range []struct {
		l    PercentLever
		want []int
	}{
		{PercentLever{Min: 0, Max: 90, Step: 30}, []int{0, 30, 60, 90}},
		{PercentLever{Min: 0, Max: 90, Step: 40}, []int{0, 40, 80}},
		{PercentLever{Min: 5, Max: 5}, []int{5}},
		{PercentLever{Min: 1, Max: 3}, []int{1, 2, 3}}, // step 0 means 1
		{PercentLever{Min: 1, Max: 90, Step: math.MaxInt}, []int{1}},
		{PercentLever{Min: 90, Max: 90, Step: math.MaxInt - 89}, []int{90}},
		{PercentLever{Min: 1, Max: 200, Step: math.MaxInt - 100}, []int{1}},
	} {
		got := Lever{ReservePercentage: &tt.l}.values()
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.l, diff)
		}
	}
}
