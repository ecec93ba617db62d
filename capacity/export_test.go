package capacity

import (
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
