package atomicfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// LockSuffix is added to a file's name, after its symbolic links are
// followed, for the lock file that [WriteIfUnchanged] creates beside it
// and removes when done.
const LockSuffix = ".lock"

// ErrChanged is wrapped by [WriteIfUnchanged]'s error when the file no
// longer holds what was read from it (or is gone): another program saved
// it in between, and replacing it would drop that program's change.
var ErrChanged = errors.New("changed since it was read")

// ErrLocked is wrapped by [WriteIfUnchanged]'s error when another writer's
// lock file stayed in place for the whole wait (see [LockWait]).
var ErrLocked = errors.New("locked by another writer")

// LockWait is how long [WriteIfUnchanged] waits for another writer's lock
// file to go before it gives up with [ErrLocked]. A writer holds the lock
// only while it checks and replaces the file.
var LockWait = 10 * time.Second

// Stamp identifies what a file held when it was read: the SHA-256 of its
// bytes. The zero Stamp is no file's; [Reader.Stamp] makes one.
type Stamp struct {
	sum [sha256.Size]byte
	set bool
}

// Reader reads a file and keeps the stamp of the bytes read, for
// [WriteIfUnchanged]. It is not safe for concurrent use.
type Reader struct {
	r io.Reader
	h hash.Hash
}

// NewReader returns a Reader that reads from r.
func NewReader(r io.Reader) *Reader { return &Reader{r: r, h: sha256.New()} }

// Read reads from the underlying reader, as [io.Reader] does.
func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	return n, err
}

// Stamp reads what is left to the end (a decoder may stop before trailing
// white space) and returns the stamp of everything read. A read error is
// returned as it is.
func (r *Reader) Stamp() (Stamp, error) {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return Stamp{}, err
	}
	s := Stamp{set: true}
	r.h.Sum(s.sum[:0])
	return s, nil
}

// WriteIfUnchanged is [Write] for a regular file that was read with a
// [Reader] whose stamp is read: it takes the file's lock (the name its
// links lead to plus [LockSuffix], created exclusively, waiting up to
// [LockWait] for another writer's), checks that the file still holds the
// bytes read, replaces it, and removes the lock. A file that changed or
// went away is left alone and the error wraps [ErrChanged]; a lock that
// stayed gives [ErrLocked], naming the lock file, which a writer stopped
// while it held it (killed, or a power cut) leaves behind: it is removed
// by hand, as git's index.lock is. A path that does not lead to a regular
// file is refused: it cannot be checked.
//
// Only writers that use WriteIfUnchanged take the lock; a change made by
// another program is still detected, unless it lands between the check
// and the rename.
func WriteIfUnchanged(path string, perm os.FileMode, read Stamp, write func(io.Writer) error) error {
	if !read.set {
		panic("atomicfile: WriteIfUnchanged with the zero Stamp")
	}
	t, err := resolve(path)
	if err != nil {
		return err
	}
	if t.direct {
		return fmt.Errorf("atomicfile: %s is not a regular file: a checked write replaces one", path)
	}
	unlock, err := lock(t.path + LockSuffix)
	if err != nil {
		return err
	}
	defer unlock()
	if t, err = resolve(path); err != nil {
		return err
	}
	now, err := stampOf(t)
	if err != nil {
		return err
	}
	if now != read {
		return fmt.Errorf("atomicfile: %s: %w", path, ErrChanged)
	}
	return replace(t, perm, write)
}

// stampOf returns the stamp of what t holds now; a file that is gone or
// is no regular file any more has changed.
func stampOf(t target) (Stamp, error) {
	if t.info == nil || t.direct {
		return Stamp{}, fmt.Errorf("atomicfile: %s: %w (it is gone)", t.path, ErrChanged)
	}
	f, err := os.Open(t.path)
	if err != nil {
		return Stamp{}, fmt.Errorf("atomicfile: %w", err)
	}
	defer f.Close()
	r := NewReader(f)
	s, err := r.Stamp()
	if err != nil {
		return Stamp{}, fmt.Errorf("atomicfile: %w", err)
	}
	return s, nil
}

// lock creates the lock file name exclusively, waiting up to LockWait
// for another writer's to go, and returns the function that removes it.
func lock(name string) (unlock func(), err error) {
	wait, pause := LockWait, time.Millisecond
	for {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			// Who holds it, for whoever finds it left behind.
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("atomicfile: lock: %w", err)
		}
		if wait <= 0 {
			return nil, lockedError(name)
		}
		time.Sleep(min(pause, wait))
		wait -= pause
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// lockedError names the lock file that stayed and the process that
// created it.
func lockedError(name string) error {
	holder := ""
	if b, err := os.ReadFile(name); err == nil {
		if pid, err := strconv.Atoi(string(bytes.TrimSpace(b))); err == nil {
			holder = " by process " + strconv.Itoa(pid)
		}
	}
	return fmt.Errorf("atomicfile: %s: %w: its lock file %s (created%s) stayed for %v; if no program is writing the file, remove the lock file",
		strings.TrimSuffix(name, LockSuffix), ErrLocked, name, holder, LockWait)
}
