package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// readStamped reads path through a Reader and returns its text and stamp.
func readStamped(t testing.TB, path string) (string, Stamp) {
	f, err := os.Open(path)
	if err != nil {
		t.Error(err)
		return "", Stamp{}
	}
	defer f.Close()
	r := NewReader(f)
	b := make([]byte, 3) // read a little, as a decoder that stops early
	n, _ := io.ReadFull(r, b)
	rest, _ := io.ReadAll(r)
	s, err := r.Stamp()
	if err != nil {
		t.Error(err)
	}
	return string(b[:n]) + string(rest), s
}

func putIf(path string, s Stamp, text string) error {
	return WriteIfUnchanged(path, 0o644, s, func(w io.Writer) error { _, err := io.WriteString(w, text); return err })
}

func TestWriteIfUnchanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tenant.json")
	mustWrite(t, path, "v1", 0o640)
	_, s1 := readStamped(t, path)
	if err := putIf(path, s1, "v2"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, path); got != "v2" {
		t.Fatalf("got %q, want v2", got)
	}
	// s1 is stale now: the file holds v2.
	err := putIf(path, s1, "v3")
	if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), path) {
		t.Errorf("got %v, want ErrChanged naming the file", err)
	}
	if got := read(t, path); got != "v2" {
		t.Errorf("a refused write changed the file to %q", got)
	}
	// The same bytes written again by someone else are no change.
	_, s2 := readStamped(t, path)
	mustWrite(t, path, "v2", 0o640)
	if err := putIf(path, s2, "v3"); err != nil {
		t.Errorf("unchanged bytes: %v", err)
	}
	// Gone.
	_, s3 := readStamped(t, path)
	os.Remove(path)
	if err := putIf(path, s3, "v4"); !errors.Is(err, ErrChanged) {
		t.Errorf("a removed file: got %v, want ErrChanged", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("a refused write created the file")
	}
	if _, err := os.Stat(path + LockSuffix); err == nil {
		t.Errorf("the lock file was left behind")
	}
	noTemp(t, dir)
}

// TestWriteIfUnchangedLink: the lock and the check are the link's
// target's; the link stays a link.
func TestWriteIfUnchangedLink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	mustWrite(t, real, "v1", 0o600)
	link := filepath.Join(dir, "link.json")
	mustSymlink(t, "real.json", link)
	_, s := readStamped(t, link)
	mustWrite(t, real+LockSuffix, "1\n", 0o600)
	defer func(w time.Duration) { LockWait = w }(LockWait)
	LockWait = 20 * time.Millisecond
	err := putIf(link, s, "v2")
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), real+LockSuffix) || !strings.Contains(err.Error(), "process 1") {
		t.Errorf("got %v, want ErrLocked naming %s and its process", err, real+LockSuffix)
	}
	if got := read(t, real); got != "v1" {
		t.Errorf("a locked file was changed to %q", got)
	}
	os.Remove(real + LockSuffix)
	if err := putIf(link, s, "v2"); err != nil {
		t.Fatal(err)
	}
	isLink(t, link, "real.json")
	if got := read(t, real); got != "v2" {
		t.Errorf("got %q, want v2", got)
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o600 {
		t.Errorf("mode became %04o", st.Mode().Perm())
	}
}

// TestWriteIfUnchangedConcurrent: writers that each read the file, add
// their line and save it. In the first round all read before any saves:
// exactly one may succeed, and the others are told. In the second each
// tries again until it succeeds: every line is there at the end (review 5,
// finding 5: six concurrent saves all succeeded, one change survived).
func TestWriteIfUnchangedConcurrent(t *testing.T) {
	const n = 8
	path := filepath.Join(t.TempDir(), "tenant.json")
	mustWrite(t, path, "", 0o644)
	var read, saved sync.WaitGroup
	read.Add(n)
	var mu sync.Mutex
	var wins []string
	fails := 0
	for i := range n {
		saved.Add(1)
		go func() {
			defer saved.Done()
			text, s := readStamped(t, path)
			read.Done()
			read.Wait()
			line := fmt.Sprintf("first %d\n", i)
			err := putIf(path, s, text+line)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins = append(wins, line)
			case errors.Is(err, ErrChanged):
				fails++
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	saved.Wait()
	if len(wins) != 1 || fails != n-1 {
		t.Fatalf("%d writers succeeded and %d were told the file changed, want 1 and %d", len(wins), fails, n-1)
	}
	if got := lines(t, path); !slices.Equal(got, wins) {
		t.Fatalf("the file holds %q, want the one success %q", got, wins)
	}
	want := wins
	for i := range n {
		saved.Add(1)
		line := fmt.Sprintf("second %d\n", i)
		want = append(want, line)
		go func() {
			defer saved.Done()
			for try := 0; ; try++ {
				text, s := readStamped(t, path)
				err := putIf(path, s, text+line)
				if err == nil {
					return
				}
				if !errors.Is(err, ErrChanged) || try == 1000 {
					t.Errorf("writer %d: %v", i, err)
					return
				}
			}
		}()
	}
	saved.Wait()
	got := lines(t, path)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the file holds %q, want every success %q", got, want)
	}
}

func lines(t *testing.T, path string) []string {
	return strings.SplitAfter(read(t, path), "\n")[:strings.Count(read(t, path), "\n")]
}
