// Package atomicfile writes files so that a crash never leaves a
// half-written one: the data goes to a temporary file in the same folder,
// is synced, and is renamed over the target; the folder is synced too, so
// the rename itself survives a power cut.
//
// # What a path names
//
// [Write] writes where the path leads, as a shell's > would, and never
// replaces anything but the regular file the user meant:
//
//   - A symbolic link is followed, through a chain of links, to the name
//     it finally leads to; the temporary file is made and renamed beside
//     that name, so the link stays a link and its target gets the bytes. A
//     dangling link creates its target, as > does.
//   - A name that does not exist is created with the caller's permission
//     bits (exactly those: the umask is not applied).
//   - A regular file is replaced, keeping its permission bits and, where
//     the platform has them and the writer may, its owner and group. A
//     regular file that nobody may write (no write bit at all, such as
//     0444) is refused with [ErrReadOnly], naming it, as editors refuse a
//     read-only file: whoever made it read-only meant it to stay so.
//   - Anything else that exists and is not a folder (a character device
//     such as /dev/null, a named pipe, a terminal) is opened and written
//     directly, with no temporary file and no rename: the user asked for
//     the bytes to go there. So is a name that stands for an open file
//     descriptor (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/PID/fd/N), or
//     a link leading to one, whatever the descriptor is open on. Such a
//     write is not atomic: an error may leave part of the bytes written.
//   - A folder is refused.
//
// A hard link to a replaced file keeps the old bytes: the rename gives the
// name a new file.
//
// # Checked writes
//
// [WriteIfUnchanged] replaces a file only if it still holds what was read
// from it ([Reader] and its [Stamp]), under a lock file beside it
// ([LockSuffix]) that every checked writer of the same file takes, so
// that of two programs that read, change and save one file, the second
// to save fails with [ErrChanged] instead of silently dropping the
// first's change.
//
// # Concurrency
//
// Write may be called concurrently, for the same path too: each call has
// its own temporary file, and the last rename wins. Only WriteIfUnchanged
// detects that another writer came first.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrReadOnly is wrapped by the error for a regular file that has no
// write permission bit: [Write] does not replace it.
var ErrReadOnly = errors.New("the file is read-only")

// maxLinks is how many symbolic links a path may pass through, as Linux's
// ELOOP bound.
const maxLinks = 40

// target is what a path leads to.
type target struct {
	// path is the name to write: the end of the link chain, or the
	// caller's path when the write is direct.
	path string
	// info is path's, nil when path does not exist.
	info fs.FileInfo
	// direct is set for a name that is opened and written in place.
	direct bool
}

// resolve follows path's symbolic links to the name a write should reach.
func resolve(path string) (target, error) {
	p := path
	for range maxLinks {
		if isDescriptor(p) {
			return target{path: path, direct: true}, nil
		}
		info, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return target{path: p}, nil
		case err != nil:
			return target{}, fmt.Errorf("atomicfile: %w", err)
		case info.Mode()&fs.ModeSymlink == 0:
			t := target{path: p, info: info}
			switch {
			case info.IsDir():
				return target{}, fmt.Errorf("atomicfile: %s is a directory", path)
			case !info.Mode().IsRegular():
				t.path, t.direct = path, true
			}
			return t, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return target{}, fmt.Errorf("atomicfile: %w", err)
		}
		if !filepath.IsAbs(link) {
			// Relative to the link's folder as the kernel reads it: a
			// ".." after a linked folder leaves the folder it leads to,
			// not the one that named it.
			dir, err := filepath.EvalSymlinks(filepath.Dir(p))
			if err != nil {
				return target{}, fmt.Errorf("atomicfile: %w", err)
			}
			link = filepath.Join(dir, link)
		}
		p = link
	}
	return target{}, fmt.Errorf("atomicfile: %s: more than %d symbolic links", path, maxLinks)
}

// isDescriptor reports whether p names an open file descriptor: the
// kernel's links under /proc/PID/fd lead to names that are no path (a
// pipe is "pipe:[123]"), and the descriptor may be open on something a
// rename must not replace.
func isDescriptor(p string) bool {
	p = filepath.ToSlash(filepath.Clean(p))
	switch {
	case p == "/dev/stdout", p == "/dev/stderr", p == "/dev/stdin", strings.HasPrefix(p, "/dev/fd/"):
		return true
	case strings.HasPrefix(p, "/proc/"):
		_, rest, _ := strings.Cut(p[len("/proc/"):], "/")
		return strings.HasPrefix(rest, "fd/") || strings.HasPrefix(rest, "task/") && strings.Contains(rest, "/fd/")
	}
	return false
}

// Write writes the file at path with the bytes that write produces,
// following the package's rules for what path names. On any error a
// replaced or created file is left as it was and the temporary file is
// removed; a direct write may have written part of the bytes.
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	t, err := resolve(path)
	if err != nil {
		return err
	}
	if t.direct {
		return writeDirect(t.path, write)
	}
	return replace(t, perm, write)
}

// writeDirect opens path for writing, truncating what can be truncated,
// and writes to it in place.
func writeDirect(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	return nil
}

// replace writes t.path through a temporary file renamed over it: a new
// file gets perm, an existing one keeps its mode and, best effort, its
// owner.
func replace(t target, perm os.FileMode, write func(io.Writer) error) (err error) {
	if t.info != nil {
		if t.info.Mode().Perm()&0o222 == 0 {
			return fmt.Errorf("atomicfile: %s: %w (mode %04o): make it writable to change it", t.path, ErrReadOnly, t.info.Mode().Perm())
		}
		perm = t.info.Mode().Perm()
	}
	dir := filepath.Dir(t.path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(t.path)+".tmp-*")
	if pe, ok := err.(*fs.PathError); ok {
		return fmt.Errorf("atomicfile: %s: create a temporary file beside it: %w", t.path, pe.Err)
	}
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		// A failed write to the temporary file (a full disk) is told of
		// the file the caller named: the temporary one is removed.
		if pe, ok := err.(*fs.PathError); ok && pe.Path == tmp.Name() {
			return fmt.Errorf("atomicfile: %s: %s: %w", t.path, pe.Op, pe.Err)
		}
		return err
	}
	if t.info != nil {
		keepOwner(tmp, t.info) // before the chmod: a chown may clear set-id bits
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("atomicfile: %s: sync: %w", t.path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := os.Rename(tmp.Name(), t.path); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		// Best effort: some filesystems refuse to sync a directory.
		_ = d.Sync()
		d.Close()
	}
	return nil
}
