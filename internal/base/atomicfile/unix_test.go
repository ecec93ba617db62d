//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestFifo: a named pipe is written in place, read by a goroutine, and
// stays a pipe (review 5, finding 1: the rename put a regular file in its
// place, as it did to /dev/null).
func TestFifo(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	link := filepath.Join(dir, "link")
	mustSymlink(t, "fifo", link)
	for _, p := range []string{fifo, link} {
		// The reader opens the pipe for reading and writing, which does not
		// wait for a writer (Linux and the BSDs), and reads with a
		// deadline: a write that misses the pipe fails the test instead of
		// hanging it.
		f, err := os.OpenFile(fifo, os.O_RDWR, 0)
		if err != nil {
			t.Skipf("cannot open a named pipe for reading and writing here: %v", err)
		}
		want := "to " + p
		got := make(chan string)
		go func() {
			f.SetReadDeadline(time.Now().Add(5 * time.Second))
			b := make([]byte, len(want))
			n, err := io.ReadFull(f, b)
			if err != nil {
				got <- fmt.Sprintf("%q and %v", b[:n], err)
				return
			}
			got <- string(b)
		}()
		if err := put(p, 0o644, want); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != want {
			t.Errorf("%s: the reader got %s", p, s)
		}
		f.Close()
		st, err := os.Lstat(fifo)
		if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("the named pipe is gone: %v, %v", st.Mode(), err)
		}
	}
	isLink(t, link, "fifo")
	noTemp(t, dir)
}

// TestOwner: a replaced file keeps its owner and group where the writer
// may give them (root).
func TestOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file away")
	}
	path := filepath.Join(t.TempDir(), "owned")
	mustWrite(t, path, "old", 0o640)
	if err := os.Chown(path, 4321, 8765); err != nil {
		t.Skip(err)
	}
	if err := put(path, 0o644, "new"); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	sys := st.Sys().(*syscall.Stat_t)
	if sys.Uid != 4321 || sys.Gid != 8765 || st.Mode().Perm() != 0o640 {
		t.Errorf("owner %d:%d mode %04o, want 4321:8765 0640", sys.Uid, sys.Gid, st.Mode().Perm())
	}
}
