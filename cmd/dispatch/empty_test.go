package main

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// everyCommand returns every command line that takes flags: each command,
// each subcommand of a group ("appointment <create|reschedule|cancel>")
// and each further form its usage lines spell ("dispatch simulate merge
// ..."), found from the help as a user finds them.
func everyCommand(t *testing.T) [][]string {
	t.Helper()
	usage := regexp.MustCompile(`(?m)^(?:Usage: |       )dispatch ((?:[a-z][a-z-]* ?)+)(?:<([a-z|]+)>)?`)
	seen := map[string]bool{}
	var out [][]string
	var visit func(words []string)
	visit = func(words []string) {
		key := strings.Join(words, " ")
		if seen[key] {
			return
		}
		seen[key] = true
		help, errOut, code := dispatchRun(t, "", append(slices.Clone(words), "-h")...)
		if code != 0 {
			t.Fatalf("%s -h: exit %d, %s", key, code, errOut)
		}
		if strings.Contains(help, "\nFlags:\n") {
			out = append(out, words)
		}
		for _, m := range usage.FindAllStringSubmatch(help, -1) {
			form := strings.Fields(m[1])
			if m[2] != "" {
				for _, sub := range strings.Split(m[2], "|") {
					visit(append(slices.Clone(form), sub))
				}
				continue
			}
			visit(form)
		}
	}
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		visit([]string{n})
	}
	return out
}

// flagsOf returns the flags a command's help lists, in its order, and
// which of them take no value (a boolean flag's line has no value name).
func flagsOf(t *testing.T, words []string) (names []string, boolean map[string]bool) {
	t.Helper()
	help, _, _ := dispatchRun(t, "", append(slices.Clone(words), "-h")...)
	_, list, _ := strings.Cut(help, "\nFlags:\n")
	list, _, _ = strings.Cut(list, "\nExample:")
	line := regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)( \S+)?$`)
	boolean = map[string]bool{}
	for _, m := range line.FindAllStringSubmatch(list, -1) {
		names = append(names, m[1])
		boolean[m[1]] = m[2] == ""
	}
	if len(names) == 0 {
		t.Fatalf("%s -h lists no flags:\n%s", strings.Join(words, " "), help)
	}
	return names, boolean
}

// TestEmptyFlagValues: a flag given an empty value (--tenant "", -o "",
// --from "", as an unset shell variable gives them) is a usage error
// naming the flag and the empty value, for every flag of every command
// and subcommand, before any work: it is never taken for the flag left
// out (the demo tenant read in place of the user's file, stdout for a
// file, the clock for --now, a server on every interface for --addr).
// Only the flags whose empty value means something take it: an empty
// list (--skills, --zones, --business-units) or an empty text (a shift's
// --title and --note).
func TestEmptyFlagValues(t *testing.T) {
	mayBeEmpty := []string{"business-units", "note", "skills", "title", "zones"}
	tried := 0
	for _, words := range everyCommand(t) {
		names, boolean := flagsOf(t, words)
		for _, name := range names {
			if slices.Contains(mayBeEmpty, name) {
				continue
			}
			dash := "--"
			if len(name) == 1 {
				dash = "-"
			}
			arg := dash + name + "="
			args := append(slices.Clone(words), arg)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				tried++
				// Before the fix an empty value started a server, a
				// benchmark or a simulation: wait a while, not forever.
				type result struct {
					errOut string
					code   int
				}
				done := make(chan result, 1)
				go func() {
					_, errOut, code := dispatchRun(t, "", args...)
					done <- result{errOut, code}
				}()
				var r result
				select {
				case r = <-done:
				case <-time.After(30 * time.Second):
					t.Fatalf("%q still runs after 30 s: the empty value was taken for the flag left out", args)
				}
				// The flag's own check may refuse "" first (an id, a
				// number, a duration): any message naming the flag and ""
				// will do, in the flag package's words too.
				want := []string{dash + name + ": ", `""`}
				switch {
				case boolean[name]:
					want = []string{`invalid boolean value "" for -` + name}
				case strings.Contains(r.errOut, "for flag -"):
					want = []string{`invalid value "" for flag -` + name + ":"}
				}
				if r.code != 2 || strings.Count(r.errOut, "\n") != 1 {
					t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line", args, r.code, r.errOut)
				}
				for _, w := range want {
					if !strings.Contains(r.errOut, w) {
						t.Errorf("%q: stderr %q lacks %q", args, r.errOut, w)
					}
				}
			})
		}
	}
	if tried < 100 {
		t.Errorf("tried %d flags, want every flag of every command (more than 100)", tried)
	}
}

// TestMergeArguments: the part files of a merge come after its flags; a
// flag after them ("merge a.json --format text", a habit of other
// programs) is refused naming the flag, not opened as a file named
// "--format", and an empty argument is refused naming its place, not
// opened as "". After "--" an argument is a file whatever it looks like.
func TestMergeArguments(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"simulate", "merge", "p0.json", "--format", "text"}, 2, `dispatch simulate merge: "--format" after the file arguments: give flags before them`},
		{[]string{"simulate", "merge", "p0.json", "-o=x.txt"}, 2, `dispatch simulate merge: "-o=x.txt" after the file arguments: give flags before them`},
		{[]string{"simulate", "merge", "p0.json", ""}, 2, "dispatch simulate merge: file argument 2 is empty"},
		{[]string{"simulate", "optimize", "merge", "--scenario", "s.json", "p0.json", "--format", "json"}, 2, `dispatch simulate optimize merge: "--format" after the file arguments: give flags before them`},
		{[]string{"simulate", "optimize", "merge", "--scenario", "s.json", ""}, 2, "dispatch simulate optimize merge: file argument 1 is empty"},
		// After "--", a name is a file's: it is opened.
		{[]string{"simulate", "merge", "--", "--format"}, 1, "dispatch simulate merge: open --format: no such file or directory"},
		{[]string{"simulate", "merge", "-"}, 1, "dispatch simulate merge: "},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := dispatchRun(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line with %q", code, errOut, tt.code, tt.msg)
			}
		})
	}
}
