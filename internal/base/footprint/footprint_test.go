package footprint

import (
	"fmt"
	"runtime"
	"testing"
)

// measure returns the heap bytes that make retains.
func measure[T any](make func() T) (int64, T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := make()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc), v
}

// The map estimate stays near what the runtime allocates, for the key and
// value shapes the engine's maps have. Small maps are measured many at a
// time (about 100,000 entries in all), so that the few kilobytes anything
// else in the process allocates meanwhile — the race detector, the test
// framework, a loaded machine's timers — cannot move the figure by 10%: a
// lone 1,000-entry map measured 18% off that way.
func TestMapEstimate(t *testing.T) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		copies := max(1, 100_000/n)
		got, ms := measure(func() []map[int64]int {
			ms := make([]map[int64]int, copies)
			for c := range ms {
				m := map[int64]int{}
				for i := range n {
					m[int64(i)*7919] = i
				}
				ms[c] = m
			}
			return ms
		})
		var est int64
		for _, m := range ms {
			est += Map(m)
		}
		check(t, "map[int64]int", n, (got-Slice(ms))/int64(copies), est/int64(copies))
		keys := make([]string, n) // built first: the engine's keys are shared
		for i := range keys {
			keys[i] = fmt.Sprintf("%05d", i)
		}
		got2, ms2 := measure(func() []map[string]int32 {
			ms := make([]map[string]int32, copies)
			for c := range ms {
				m := map[string]int32{}
				for i, k := range keys {
					m[k] = int32(i)
				}
				ms[c] = m
			}
			return ms
		})
		est = 0
		for _, m := range ms2 {
			est += Map(m)
		}
		check(t, "map[string]int32", n, (got2-Slice(ms2))/int64(copies), est/int64(copies))
		runtime.KeepAlive(keys)
	}
}

func check(t *testing.T, what string, n int, measured, estimate int64) {
	t.Helper()
	off := float64(estimate-measured) / float64(measured)
	t.Logf("%s, %d entries: estimate %d, measured %d (%+.1f%%)", what, n, estimate, measured, 100*off)
	if off > 0.10 || off < -0.10 {
		t.Errorf("%s, %d entries: estimate %d bytes, runtime %d: %+.0f%%", what, n, estimate, measured, 100*off)
	}
}

func TestSlice(t *testing.T) {
	s := make([]int32, 3, 10)
	if got := Slice(s); got != 40 {
		t.Errorf("Slice of cap 10 int32 = %d, want 40", got)
	}
	if got := Slice([]struct{ a, b int64 }(nil)); got != 0 {
		t.Errorf("Slice(nil) = %d", got)
	}
}
