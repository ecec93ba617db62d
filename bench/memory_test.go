package bench_test

import (
	"math"
	"testing"

	"github.com/opendispatch/dispatch/bench"
	"github.com/opendispatch/dispatch/internal/testkit/benchdata"
)

// IndexTarget is the most the capacity index may take per technician-day.
const indexTarget = 256

// The index target holds on every profile small enough for a unit test
// (enterprise is measured by the benchmarks).
func TestIndexWithinTarget(t *testing.T) {
	for _, prof := range []string{"small", "medium", "large"} {
		if testing.Short() && prof == "large" {
			continue
		}
		e := benchdata.Tenant(prof).Engine
		f := e.Footprint()
		techDays := float64(len(e.Technicians()) * benchdata.Days)
		perDay := float64(f.Index) / techDays
		t.Logf("%s: index %.0f B/tech-day, records %.0f, total %.0f", prof, perDay, float64(f.Records())/techDays, float64(f.Total())/techDays)
		if perDay > indexTarget {
			t.Errorf("%s: capacity index takes %.0f B per technician-day, above the %d B target", prof, perDay, indexTarget)
		}
	}
}

// The footprint accounts for what the engine really keeps: if a table were
// left out of it, or a new one added without it, the heap would disagree.
func TestFootprintMatchesHeap(t *testing.T) {
	for _, prof := range []string{"medium", "large"} {
		if testing.Short() && prof == "large" {
			continue
		}
		data := benchdata.Tenant(prof).Engine.Data()
		retained, e, err := bench.Retained(data)
		if err != nil {
			t.Fatal(err)
		}
		total := e.Footprint().Total()
		if off := math.Abs(float64(total-retained)) / float64(retained); off > 0.10 {
			t.Errorf("%s: footprint %d bytes, retained heap %d bytes: %.0f%% apart", prof, total, retained, 100*off)
		} else {
			t.Logf("%s: footprint %d bytes, retained heap %d bytes (%.1f%% apart)", prof, total, retained, 100*off)
		}
	}
}
