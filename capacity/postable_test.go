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
