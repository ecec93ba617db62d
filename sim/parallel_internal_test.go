package sim

import (
	"errors"
	"sync/atomic"
	"testing"
)

// TestParallel: every k is done exactly once whatever the workers, and
// after an error no new k is handed out and the error is returned.
func TestParallel(t *testing.T) {
	for _, workers := range []int{0, 1, 3, 64} {
		var seen [100]atomic.Int32
		if err := parallel(len(seen), workers, func(k int) error { seen[k].Add(1); return nil }); err != nil {
			t.Fatal(err)
		}
		for k := range seen {
			if n := seen[k].Load(); n != 1 {
				t.Errorf("workers %d: k %d done %d times", workers, k, n)
			}
		}
	}
	bad := errors.New("bad")
	var calls atomic.Int32
	err := parallel(1000, 1, func(k int) error {
		calls.Add(1)
		if k == 10 {
			return bad
		}
		return nil
	})
	if err != bad || calls.Load() != 11 {
		t.Errorf("error %v after %d calls, want %v after 11", err, calls.Load(), bad)
	}
	if err := parallel(0, 4, func(int) error { t.Error("called for n = 0"); return nil }); err != nil {
		t.Error(err)
	}
}
