package sim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/capacity"

	"github.com/opendispatch/dispatch/sim"
)

// TestBaseErrorsAtCallerPositions: a problem with the base tenant's
// records is reported at the positions of the caller's lists, even when
// they are out of id order (the simulator works on copies sorted by id,
// whose positions differ), by Simulate and by Optimize alike.
func TestBaseErrorsAtCallerPositions(t *testing.T) {
	// The technicians reversed, the first (the largest id) given the
	// last's id (the smallest, which the studies name): a duplicate at
	// the caller's positions 0 and last, both out of id order.
	dup := func(d capacity.Data) (capacity.Data, []string) {
		d.Technicians = slices.Clone(d.Technicians)
		slices.Reverse(d.Technicians)
		last := len(d.Technicians) - 1
		d.Technicians[0].ID = d.Technicians[last].ID
		return d, []string{"technicians[0]", fmt.Sprintf("technicians[%d]", last)}
	}
	d, want := dup(demoData(t))
	s := sim.Default()
	s.Days, s.WarmupDays, s.Replications = 3, 0, 2
	_, err := sim.Simulate(s, d, sim.Options{Workers: 1})
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Simulate: got %v, want an error naming %s", err, w)
		}
	}
	spec, ld := lossStudy(t, 2, 5, 4, 0, 3, 4, 8)
	ld, want = dup(ld)
	_, err = sim.Optimize(spec, ld, sim.OptimizeOptions{Workers: 1})
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Optimize: got %v, want an error naming %s", err, w)
		}
	}
}
