package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// adjustArgs adds an adjustment with reason to the tenant at path.
func adjustArgs(path, reason string) []string {
	return []string{"adjust", "--tenant", path, "--date", "2027-03-11", "--window", "08:00-10:00",
		"--minutes", "15", "--reason", reason, "--now", "2027-03-10T17:30"}
}

// TestConcurrentAdjust: commands changing one tenant file at once (review
// 5, finding 5: six concurrent adjusts exited 0 and one adjustment
// survived). Every command that exits 0 has its adjustment in the file at
// the end; every other one says the file changed and to run it again.
func TestConcurrentAdjust(t *testing.T) {
	const n = 6
	path := demoCopy(t)
	type result struct {
		code   int
		stderr string
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, errb bytes.Buffer
			code := run(adjustArgs(path, fmt.Sprintf("concurrent %d", i)), strings.NewReader(""), &out, &errb)
			results[i] = result{code, errb.String()}
		}()
	}
	wg.Wait()
	final, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wins := 0
	for i, r := range results {
		reason := fmt.Sprintf(`"concurrent %d"`, i)
		switch r.code {
		case 0:
			wins++
			if !bytes.Contains(final, []byte(reason)) {
				t.Errorf("command %d exited 0 but its adjustment is not in the file", i)
			}
		default:
			want := "dispatch adjust: the tenant file " + path + " changed since it was read (another command or program saved it): nothing was saved; run the command again"
			if r.code != 1 || strings.TrimSpace(r.stderr) != want {
				t.Errorf("command %d: exit %d, %q; want 0, or 1 and %q", i, r.code, r.stderr, want)
			}
			if bytes.Contains(final, []byte(reason)) {
				t.Errorf("command %d failed but its adjustment is in the file", i)
			}
		}
	}
	if wins == 0 {
		t.Error("no command succeeded")
	}
	t.Logf("%d of %d succeeded", wins, n)
	if _, err := os.Stat(path + ".lock"); err == nil {
		t.Error("the lock file was left behind")
	}
	if _, _, code := dispatchRun(t, "", "adjustments", "--tenant", path); code != 0 {
		t.Error("the file does not load")
	}
}

// TestTenantSaveThroughLink: a change saved through a symbolic link goes
// to its target, which keeps its mode (review 5, findings 1 and 6); a
// read-only tenant is refused, naming it, and left alone.
func TestTenantSaveThroughLink(t *testing.T) {
	path := demoCopy(t)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link.json")
	os.Symlink(path, link)
	if _, errOut, code := dispatchRun(t, "", adjustArgs(link, "through the link")...); code != 0 {
		t.Fatalf("adjust: exit %d, %s", code, errOut)
	}
	if got, err := os.Readlink(link); err != nil || got != path {
		t.Errorf("the link became %q, %v", got, err)
	}
	if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte("through the link")) {
		t.Error("the link's target did not change")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode 0640 became %04o", st.Mode().Perm())
	}

	os.Chmod(path, 0o444)
	was, _ := os.ReadFile(path)
	_, errOut, code := dispatchRun(t, "", adjustArgs(link, "read-only")...)
	if code != 1 || !strings.Contains(errOut, path+": the file is read-only (mode 0444)") {
		t.Errorf("read-only: exit %d, %q", code, errOut)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(was, now) {
		t.Error("a read-only tenant was changed")
	}
}
