package capacity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
)

// TestPosTable: for ascending distinct ids close together or spread far
// (near the int64 bounds too), a table that decides finds each id's
// position and -1 for every other id probed, as a binary search does.
func TestPosTable(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 500))
	decided := 0
	props.Property("at = binary search", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 7))
		base := []int64{1, -50, math.MaxInt64 - 200, math.MinInt64, 1 << 40}[r.IntN(5)]
		step := []int64{1, 2, 3, 1000}[r.IntN(4)]
		var ids []int64
		for x := base; len(ids) < r.IntN(30); x += 1 + r.Int64N(step) {
			if x < base { // wrapped past MaxInt64
				break
			}
			ids = append(ids, x)
		}
		tab := newPosTable(len(ids), func(i int) int64 { return ids[i] })
		probes := append(slices.Clone(ids), base-1, base+1, 0, math.MaxInt64, math.MinInt64)
		for range 20 {
			probes = append(probes, base+r.Int64N(4000)-100)
		}
		for _, id := range probes {
			got, ok := tab.at(id)
			if !ok {
				continue
			}
			decided++
			want := int32(-1)
			if i, found := slices.BinarySearch(ids, id); found {
				want = int32(i)
			}
			if got != want {
				return fmt.Sprintf("ids %v: at(%d) = %d, want %d", ids, id, got, want)
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	if decided == 0 {
		t.Error("no table decided anything")
	}
}

// TestPosTableSpread: a table is built exactly when the ids spread over
// less than 4,096 plus 64 per id, as newPosTable's doc says (the lookups
// are right either way, so TestPosTable cannot see the limit move), and
// the table of ids near the int64 bounds does not wrap.
func TestPosTableSpread(t *testing.T) {
	for _, c := range []struct {
		ids    []int64
		decide bool
	}{
		{[]int64{5}, true},
		{[]int64{0, 64*2 + 4096 - 1}, true},
		{[]int64{0, 64*2 + 4096}, false},
		{[]int64{-10, 0, 64*3 + 4096 - 11}, true},
		{[]int64{-10, 0, 64*3 + 4096 - 10}, false},
		{[]int64{math.MinInt64, math.MaxInt64}, false},
		{[]int64{math.MaxInt64 - 1, math.MaxInt64}, true},
	} {
		tab := newPosTable(len(c.ids), func(i int) int64 { return c.ids[i] })
		if _, ok := tab.at(c.ids[0]); ok != c.decide {
			t.Errorf("ids %v: table decides %v, want %v", c.ids, ok, c.decide)
		}
		if c.decide && len(tab.pos) != int(c.ids[len(c.ids)-1]-c.ids[0]+1) {
			t.Errorf("ids %v: table of %d entries, want one per id from first to last", c.ids, len(tab.pos))
		}
	}
}

// TestPositionsBySearch: jobTypePos and unitPos find each id's position,
// and -1 for others, whether the ids lie close (a table decides) or far
// apart (a binary search does; no tenant of the other tests numbers its
// job types or units far enough apart to reach it).
func TestPositionsBySearch(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 300))
	props.Property("positions = binary search", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 8))
		step := []int64{1, 3, 1 << 20}[r.IntN(3)]
		var ids []int64
		for x := r.Int64N(100) - 50; len(ids) < r.IntN(20); x += 1 + r.Int64N(step) {
			ids = append(ids, x)
		}
		e := &Engine{}
		for _, id := range ids {
			e.jobTypeList = append(e.jobTypeList, JobType{ID: id})
			e.unitList = append(e.unitList, BusinessUnit{ID: id})
		}
		e.jobTypeAt = newPosTable(len(ids), func(i int) int64 { return ids[i] })
		e.unitAt = e.jobTypeAt
		probes := slices.Clone(ids)
		for _, id := range ids {
			probes = append(probes, id-1, id+1)
		}
		probes = append(probes, math.MinInt64, math.MaxInt64, 0)
		for _, id := range probes {
			want := int32(-1)
			if i, found := slices.BinarySearch(ids, id); found {
				want = int32(i)
			}
			if got := e.jobTypePos(id); got != want {
				return fmt.Sprintf("ids %v: jobTypePos(%d) = %d, want %d", ids, id, got, want)
			}
			if got := e.unitPos(id); got != want {
				return fmt.Sprintf("ids %v: unitPos(%d) = %d, want %d", ids, id, got, want)
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
}
