package capacity

import (
	"fmt"
	"slices"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
)

// SetMaxShard sets how many technicians one per-unit sum holds, so that
// tests reach units of several shards, and returns a function restoring
// it. Tests that call it must not run in parallel.
func SetMaxShard(n int32) (restore func()) {
	old := maxShard
	maxShard = n
	return func() { maxShard = old }
}

// SetParallelFrom sets the fewest records for which New and a build use
// a second goroutine (a 64th of it: technicians whose figures a build
// splits), and returns a function restoring it. Tests that call it must
// not run in parallel.
func SetParallelFrom(n int) (restore func()) {
	old := parallelFrom
	parallelFrom = n
	return func() { parallelFrom = old }
}

// ShiftDates returns the catalog dates of list in the engine's zone, found
// by the day boundaries and by the sweep in start order.
// Both read the active Normal shifts' spans, as the engine does, here in
// list's order.
func (e *Engine) ShiftDates(list []shifts.Shift) (bounds, sweep []hours.Date) {
	var spans []interval.Span
	for _, sh := range list {
		if sh.Type == shifts.Normal && sh.IsActive() {
			spans = append(spans, sh.Span())
		}
	}
	return e.shiftDates(spans), e.sweepDates(slices.Clone(spans))
}

// CheckCounted checks the invariant of the spans the capacity rules count
// (ctl.counted): for each job type some rule names, per unit, the spans of
// its appointments that are not canceled, sorted; nil for the job types
// no rule names. A bag kept for a job type no rule names changes no
// figure, only the memory and the time of every booking.
func (e *Engine) CheckCounted() error {
	e.mu.RLock()
	defer e.mu.RUnlock()
	c := &e.ctl
	if len(c.counted) != len(e.jobTypeList) {
		return fmt.Errorf("counted has %d job types, want %d", len(c.counted), len(e.jobTypeList))
	}
	for j := range e.jobTypeList {
		if len(c.rulesOf[j]) == 0 {
			if c.counted[j] != nil {
				return fmt.Errorf("job type %d: no rule names it, but its appointments are counted", e.jobTypeList[j].ID)
			}
			continue
		}
		want := make([][]interval.Span, len(e.unitList))
		for i := range e.appts {
			if a := &e.appts[i]; int(a.jobType) == j && a.unit >= 0 && !a.canceled {
				want[a.unit] = append(want[a.unit], a.span())
			}
		}
		for u := range want {
			slices.SortFunc(want[u], cmpSpan)
			if got := c.counted[j][u].spans; !slices.Equal(got, want[u]) {
				return fmt.Errorf("job type %d, unit %d: counted %v, want %v", e.jobTypeList[j].ID, e.unitList[u].ID, got, want[u])
			}
		}
	}
	return nil
}
