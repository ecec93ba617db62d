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

// CheckShards checks the layout of the per-unit sums: each technician
// column sums into a shard of its own unit (-1 for none), unit u's shards
// are unitShards[u] to unitShards[u+1], none holds more than maxShard
// technicians, and in every catalog slot each shard's sums are those of
// its technicians' figures (an inactive technician's are zero). Queries
// read the sums: the split into shards changes no figure, so the
// lifecycle property alone cannot see a shard overfilled (whose 32-bit
// sums may overflow) or one opened too early.
func (e *Engine) CheckShards() error {
	e.mu.RLock()
	defer e.mu.RUnlock()
	ns := len(e.shardUnit)
	if len(e.unitShards) != len(e.unitList)+1 || e.unitShards[0] != 0 || int(e.unitShards[len(e.unitList)]) != ns {
		return fmt.Errorf("unitShards %v for %d units and %d shards", e.unitShards, len(e.unitList), ns)
	}
	for u := range e.unitList {
		if e.unitShards[u+1] <= e.unitShards[u] {
			return fmt.Errorf("unit %d has no shard: unitShards %v", e.unitList[u].ID, e.unitShards)
		}
		for s := e.unitShards[u]; s < e.unitShards[u+1]; s++ {
			if e.shardUnit[s] != int32(u) {
				return fmt.Errorf("shard %d is unit position %d's, but shardUnit says %d", s, u, e.shardUnit[s])
			}
		}
	}
	held := make([]int32, ns)
	for i, c := range e.cols {
		if c.unit < 0 {
			if c.shard != -1 {
				return fmt.Errorf("technician %d of no unit sums into shard %d", c.id, c.shard)
			}
			continue
		}
		if c.shard < 0 || int(c.shard) >= ns || e.shardUnit[c.shard] != c.unit {
			return fmt.Errorf("technician %d (column %d) of unit position %d sums into shard %d of %v", c.id, i, c.unit, c.shard, e.shardUnit)
		}
		held[c.shard]++
	}
	for s, n := range held {
		if n > maxShard {
			return fmt.Errorf("shard %d holds %d technicians, more than %d", s, n, maxShard)
		}
	}
	c := &e.cat
	for k := range c.slots {
		want := make([]unitTotal, ns)
		for i, col := range e.cols {
			st := c.stats[k*c.stride+i]
			if !e.techs[i].IsActive() && st != (stat{}) {
				return fmt.Errorf("slot %d: inactive technician %d has figures %+v", k, col.id, st)
			}
			if col.shard >= 0 {
				want[col.shard].cap += st.cap
				want[col.shard].free += st.free
			}
		}
		if got := c.units[k*ns : (k+1)*ns]; !slices.Equal(got, want) {
			return fmt.Errorf("slot %d: shard sums %v, want %v", k, got, want)
		}
	}
	return nil
}
