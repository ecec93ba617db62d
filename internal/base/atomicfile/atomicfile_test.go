package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// put writes s through Write.
func put(path string, perm os.FileMode, s string) error {
	return Write(path, perm, func(w io.Writer) error { _, err := io.WriteString(w, s); return err })
}

// read returns the file's text, failing the test if it cannot.
func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// isLink fails the test unless path is a symbolic link to want.
func isLink(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.Readlink(path)
	if err != nil {
		t.Fatalf("%s is no longer a symbolic link: %v", path, err)
	}
	if got != want {
		t.Errorf("%s links to %q, want %q", path, got, want)
	}
}

// noTemp fails the test if dir holds a temporary file.
func noTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tenant.json")
	if err := put(path, 0o644, "first"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("a failed write changed the file to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// TestSymlink: a link is written through, and stays a link (review 5,
// finding 1: the rename turned it into a regular file and its target never
// changed).
func TestSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	mustWrite(t, real, "old", 0o640)
	link := filepath.Join(dir, "link.json")
	mustSymlink(t, "real.json", link)
	if err := put(link, 0o644, "new"); err != nil {
		t.Fatal(err)
	}
	isLink(t, link, "real.json")
	if got := read(t, real); got != "new" {
		t.Errorf("target holds %q, want %q", got, "new")
	}
	noTemp(t, dir)
}

// TestSymlinkDangling: a link to nothing creates its target, as the
// shell's > does, with the caller's permission bits.
func TestSymlinkDangling(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "out.csv")
	target := filepath.Join(dir, "sub", "made.csv")
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	mustSymlink(t, target, link)
	if err := put(link, 0o600, "made"); err != nil {
		t.Fatal(err)
	}
	isLink(t, link, target)
	if got := read(t, target); got != "made" {
		t.Errorf("target holds %q, want %q", got, "made")
	}
	if st, _ := os.Stat(target); st.Mode().Perm() != 0o600 {
		t.Errorf("new target has mode %v, want 0600", st.Mode().Perm())
	}
}

// TestSymlinkChain: links to links, relative to each link's own folder,
// through a linked folder whose ".." is the real folder's parent.
func TestSymlinkChain(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"a", "b/c", "b/data"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	real := filepath.Join(dir, "b", "data", "tenant.json")
	mustWrite(t, real, "old", 0o644)
	// a/c -> ../b/c (a linked folder); a/c/up -> ../data/tenant.json, which
	// the kernel reads from b/c, so it is b/data/tenant.json; a/one -> c/up;
	// top -> a/one.
	mustSymlink(t, "../b/c", filepath.Join(dir, "a", "c"))
	mustSymlink(t, "../data/tenant.json", filepath.Join(dir, "b", "c", "up"))
	mustSymlink(t, "c/up", filepath.Join(dir, "a", "one"))
	top := filepath.Join(dir, "top")
	mustSymlink(t, "a/one", top)
	if got := read(t, top); got != "old" {
		t.Fatalf("the test's links are wrong: top reads %q", got)
	}
	if err := put(top, 0o644, "new"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, real); got != "new" {
		t.Errorf("the chain's end holds %q, want %q", got, "new")
	}
	isLink(t, top, "a/one")
	isLink(t, filepath.Join(dir, "a", "one"), "c/up")
	isLink(t, filepath.Join(dir, "b", "c", "up"), "../data/tenant.json")
	for _, d := range []string{dir, filepath.Join(dir, "a"), filepath.Join(dir, "b", "c"), filepath.Join(dir, "b", "data")} {
		noTemp(t, d)
	}
}

func TestSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	mustSymlink(t, "b", a)
	mustSymlink(t, "a", b)
	err := put(a, 0o644, "x")
	if err == nil || !strings.Contains(err.Error(), "symbolic links") {
		t.Fatalf("got %v, want a refusal naming the links", err)
	}
	isLink(t, a, "b")
}

func TestDirectory(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	mustSymlink(t, "sub", filepath.Join(dir, "link"))
	for _, p := range []string{sub, filepath.Join(dir, "link")} {
		if err := put(p, 0o644, "x"); err == nil || !strings.Contains(err.Error(), "is a directory") {
			t.Errorf("%s: got %v, want a refusal", p, err)
		}
	}
	if st, err := os.Stat(sub); err != nil || !st.IsDir() {
		t.Errorf("the folder was replaced: %v", err)
	}
}

// TestMode: a replaced file keeps its permission bits (review 5, finding
// 6: 0640 became 0644); a new file gets the caller's; a read-only file is
// refused, naming it, and left as it was.
func TestMode(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o640, 0o600, 0o664, 0o200} {
		path := filepath.Join(dir, "keep")
		os.Remove(path)
		mustWrite(t, path, "old", 0o600)
		os.Chmod(path, mode)
		if err := put(path, 0o644, "new"); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != mode {
			t.Errorf("mode %04o became %04o", mode, st.Mode().Perm())
		}
	}
	fresh := filepath.Join(dir, "fresh")
	if err := put(fresh, 0o640, "new"); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o640 {
		t.Errorf("a new file has mode %04o, want the caller's 0640", st.Mode().Perm())
	}
	for _, mode := range []os.FileMode{0o444, 0o400, 0o555} {
		ro := filepath.Join(dir, "ro")
		os.Remove(ro)
		mustWrite(t, ro, "old", 0o600)
		os.Chmod(ro, mode)
		err := put(ro, 0o644, "new")
		if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), ro) {
			t.Errorf("mode %04o: got %v, want ErrReadOnly naming %s", mode, err, ro)
		}
		if got := read(t, ro); got != "old" {
			t.Errorf("mode %04o: a refused write changed the file to %q", mode, got)
		}
		if st, _ := os.Stat(ro); st.Mode().Perm() != mode {
			t.Errorf("mode %04o became %04o", mode, st.Mode().Perm())
		}
		noTemp(t, dir)
	}
}

// TestDescriptorNames: the names of open descriptors are written in
// place, whatever the descriptor is open on.
func TestDescriptorNames(t *testing.T) {
	for _, c := range []struct {
		path string
		want bool
	}{
		{"/dev/stdout", true}, {"/dev/stderr", true}, {"/dev/fd/1", true}, {"/dev/./stdout", true},
		{"/proc/self/fd/3", true}, {"/proc/123/fd/1", true}, {"/proc/self/task/7/fd/1", true},
		{"/dev/null", false}, {"/proc/self/status", false}, {"/tmp/fd/1", false}, {"dev/stdout", false},
	} {
		if got := isDescriptor(c.path); got != c.want {
			t.Errorf("isDescriptor(%q) = %v, want %v", c.path, got, c.want)
		}
	}
}

// TestPipeDescriptor writes to /proc/self/fd/N of a pipe, directly and
// through a link: the kernel's link names no path ("pipe:[123]"), and
// review 5 saw "-o /dev/stdout" fail making /dev/.stdout.tmp-….
func TestPipeDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	fdPath := filepath.Join("/proc/self/fd", strconv.Itoa(int(w.Fd())))
	if _, err := os.Lstat(fdPath); err != nil {
		t.Skipf("no %s here: %v", fdPath, err)
	}
	link := filepath.Join(t.TempDir(), "out")
	mustSymlink(t, fdPath, link)
	for _, p := range []string{fdPath, link} {
		got := make(chan string)
		go func() {
			b := make([]byte, 64)
			n, _ := io.ReadAtLeast(r, b, len("through "+p))
			got <- string(b[:n])
		}()
		if err := put(p, 0o644, "through "+p); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != "through "+p {
			t.Errorf("%s: the pipe read %q", p, s)
		}
	}
	isLink(t, link, fdPath)
}

// mustWrite and mustSymlink set up a test's files, failing the test
// when they cannot.
func mustWrite(t *testing.T, path, data string, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), perm); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestErrorNamesTarget: a failure to write the temporary file (a full
// disk, a quota) is told of the file the caller named, not of the
// temporary file, which is gone by then ("write dir/.out.json.tmp-123:
// no space left on device" named a file nobody asked for); the cause
// stays wrapped. An error of the caller's own is returned as it is.
func TestErrorNamesTarget(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := put(path, 0o644, "first"); err != nil {
		t.Fatal(err)
	}
	err := Write(path, 0o644, func(w io.Writer) error {
		f := w.(*os.File) // a write to a closed file fails as a full disk does, with a *PathError
		f.Close()
		_, err := io.WriteString(f, "second")
		return err
	})
	if err == nil || !strings.HasPrefix(err.Error(), "atomicfile: "+path+": write: ") || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("got %v, want an error naming %s and not the temporary file", err, path)
	}
	if !errors.Is(err, os.ErrClosed) {
		t.Errorf("got %v, want it to wrap os.ErrClosed", err)
	}
	if got := read(t, path); got != "first" {
		t.Errorf("a failed write changed the file to %q", got)
	}
	noTemp(t, dir)
	own := &os.PathError{Op: "read", Path: "elsewhere", Err: errors.New("boom")}
	if err := Write(path, 0o644, func(io.Writer) error { return own }); err != own {
		t.Errorf("the caller's error came back as %v", err)
	}
}
