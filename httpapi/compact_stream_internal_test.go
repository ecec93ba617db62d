package httpapi

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
)

// TestCompactionStreams checks that a compaction does not hold the
// snapshot in memory: it streams the file to disk and to its fingerprint,
// so that it allocates the tenant's records as a file (what Save writes
// from) and little more. Buffered whole, the snapshot's bytes came on top,
// several times over while the buffer grew: 3.3 MB for a 0.7 MB snapshot,
// against 1.0 MB streamed.
func TestCompactionStreams(t *testing.T) {
	dir := t.TempDir()
	cfg := manualConfig(dir)
	s, err := New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	changeN(t, s, 0, 8)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_ = s.tenants["0000000"].e().t.File()
	runtime.ReadMemStats(&after)
	records := after.TotalAlloc - before.TotalAlloc
	runtime.ReadMemStats(&before)
	c, err := s.Compact("0000000")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, c.Snapshot))
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("snapshot %d bytes; compaction allocated %d bytes, the records as a file %d", info.Size(), alloc, records)
	if limit := records + uint64(info.Size())/2; alloc > limit {
		t.Errorf("compaction allocated %d bytes, more than the records as a file (%d) and half the snapshot (%d bytes): it holds the snapshot in memory",
			alloc, records, info.Size())
	}
}
