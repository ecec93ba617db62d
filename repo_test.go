package dispatch_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRepository holds the repository to what a newcomer and a packager
// expect of it: no build outputs committed and such outputs ignored, a
// licence, documents that point at files that exist, an install line, and
// CI running exactly the README's test command.
func TestRepository(t *testing.T) {
	t.Run("no build outputs", func(t *testing.T) {
		if _, err := exec.LookPath("git"); err != nil {
			t.Skip("git is not installed")
		}
		out, err := exec.Command("git", "ls-files", "-z").Output()
		if err != nil {
			t.Skipf("not a git checkout: %v", err)
		}
		for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
			if strings.HasSuffix(f, ".test") || strings.HasSuffix(f, ".exe") {
				t.Errorf("%s: a compiled binary is committed", f)
				continue
			}
			if isBinary(t, f) {
				t.Errorf("%s: an executable is committed", f)
			}
		}
		for _, f := range []string{"tenant/tenant.test", "cmd/dispatch/dispatch", "dispatch", "cpu.prof", "bench.out"} {
			if err := exec.Command("git", "check-ignore", "-q", "--no-index", f).Run(); err != nil {
				t.Errorf(".gitignore does not ignore %s", f)
			}
		}
	})
	t.Run("licence", func(t *testing.T) {
		b, err := os.ReadFile("LICENSE")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("Apache License")) || !bytes.Contains(b, []byte("Version 2.0")) {
			t.Error("LICENSE is not the Apache License 2.0")
		}
	})
	t.Run("documents point at files that exist", func(t *testing.T) {
		// docs/x.md, ../x.md and pkg/x_test.go style references in the
		// contract and the README: each must name a file of the
		// repository.
		ref := regexp.MustCompile("(?:^|[\\s`(\\[])((?:\\.\\./)*[A-Za-z0-9_-]+(?:/[A-Za-z0-9_.-]+)+\\.(?:md|yaml|sh|json|png|py|go))")
		for _, doc := range []string{"api/openapi.yaml", "README.md", "docs/design.md"} {
			b, err := os.ReadFile(doc)
			if err != nil {
				t.Fatal(err)
			}
			for _, sub := range ref.FindAllStringSubmatch(string(b), -1) {
				m := sub[1]
				p := m
				if strings.HasPrefix(m, "../") {
					p = filepath.Join(filepath.Dir(doc), m)
				}
				if _, err := os.Stat(p); err != nil {
					t.Errorf("%s names %s, which does not exist", doc, m)
				}
			}
		}
	})
	t.Run("readme", func(t *testing.T) {
		b, err := os.ReadFile("README.md")
		if err != nil {
			t.Fatal(err)
		}
		readme := string(b)
		if !strings.Contains(readme, "go install github.com/opendispatch/dispatch/cmd/dispatch@latest") {
			t.Error("README does not say how to install the command")
		}
		// The first code block is the newcomer's two commands: the main
		// job and the tests.
		_, rest, ok := strings.Cut(readme, "```sh\n")
		block, _, ok2 := strings.Cut(rest, "```")
		if !ok || !ok2 {
			t.Fatal("README has no sh code block")
		}
		var cmds []string
		for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
			cmd, _, _ := strings.Cut(line, "#")
			cmds = append(cmds, strings.TrimSpace(cmd))
		}
		if len(cmds) != 2 || cmds[0] != "go run ./cmd/dispatch simulate" {
			t.Fatalf("README's first commands are %q, want the simulation and the tests", cmds)
		}
		ci, err := os.ReadFile(".ci/run")
		if err != nil {
			t.Fatal(err)
		}
		var last string
		for _, line := range strings.Split(strings.TrimSpace(string(ci)), "\n") {
			last = strings.TrimSpace(line)
		}
		if last != cmds[1] {
			t.Errorf(".ci/run runs %q, the README's test command is %q", last, cmds[1])
		}
	})
}

// isBinary reports whether the file starts like an ELF, Mach-O or PE
// executable.
func isBinary(t *testing.T, name string) bool {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		return false // deleted in the work tree
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := f.Read(head)
	head = head[:n]
	for _, magic := range [][]byte{{0x7f, 'E', 'L', 'F'}, {0xcf, 0xfa, 0xed, 0xfe}, {'M', 'Z'}} {
		if bytes.HasPrefix(head, magic) {
			return true
		}
	}
	return false
}
