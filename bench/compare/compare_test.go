package compare_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/bench/compare"
)

// TestAddErrors: every problem of a refused file, each naming the file
// and line and quoting the line.
func TestAddErrors(t *testing.T) {
	long := "BenchmarkLong 1 " + strings.Repeat("1", 70000) + " ns/op"
	// longLine is a benchmark result of n bytes.
	longLine := func(n int) string {
		return "Benchmark" + strings.Repeat("x", n-len("Benchmark 1 2 ns/op")) + " 1 2 ns/op"
	}
	many := ""
	for i := range 25 {
		many += fmt.Sprintf("BenchmarkBad%d 10\n", i)
	}
	for _, tc := range []struct {
		name, data string
		want       []string // the error's lines
		noResults  bool
	}{
		{"empty", "", []string{"compare: f.txt: no benchmark results"}, true},
		{"configuration only", "goos: linux\r\npkg: x\n\n", []string{"compare: f.txt: no benchmark results"}, true},
		{"prose", "goos: linux\n\nBenchmarkA\nUnit ns/op assume=exact\nThe results:\r\nBenchmarkA 1 2 ns/op\n", nil, false},
		{"prose only", "goos: linux\n\nBenchmarkA\nUnit ns/op assume=exact\nThe results:\r\n",
			[]string{`compare: f.txt:5: no benchmark results in the file, and this line is not benchmark output: "The results:"`}, true},
		{"a comment", "goos: linux\n#notes: none\n",
			[]string{`compare: f.txt:2: no benchmark results in the file, and this line is not benchmark output: "#notes: none"`}, true},
		{"syntax", "BenchmarkA 1 2 ns/op\nBenchmarkB\t10\nBenchmarkC 10 x ns/op\nBenchmarkD 1 2\nBenchmarkE 1 2 ns/op\nBenchmarkF x 1 ns/op\nUnit\nUnit ns/op assume\n",
			[]string{
				`compare: f.txt:2: missing measurements: "BenchmarkB\t10"`,
				`compare: f.txt:3: parsing measurement: invalid syntax: "BenchmarkC 10 x ns/op"`,
				`compare: f.txt:4: missing units: "BenchmarkD 1 2"`,
				`compare: f.txt:6: parsing iteration count: invalid syntax: "BenchmarkF x 1 ns/op"`,
				`compare: f.txt:7: missing unit: "Unit"`,
				`compare: f.txt:8: expected key=value: "Unit ns/op assume"`,
			}, false},
		{"a long line", "BenchmarkA 1 2 ns/op\n" + long + "\n",
			[]string{fmt.Sprintf(`compare: f.txt:2: line of %d bytes is longer than the 65535 a line may have: %q…`, len(long), long[:80])}, false},
		{"the longest line", longLine(65535) + "\n", nil, false},
		{"a line too long", longLine(65536), []string{fmt.Sprintf(`compare: f.txt:1: line of 65536 bytes is longer than the 65535 a line may have: %q…`, longLine(65536)[:80])}, false},
		{"more than 20", many, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s compare.Set
			err := s.Add("f.txt", []byte(tc.data))
			if tc.want == nil && tc.name != "more than 20" {
				if err != nil {
					t.Fatalf("got %v, want results", err)
				}
				return
			}
			if err == nil {
				t.Fatal("got no error")
			}
			got := strings.Split(err.Error(), "\n")
			if tc.name == "more than 20" {
				if len(got) != 21 || got[0] != `compare: f.txt:1: missing measurements: "BenchmarkBad0 10"` ||
					got[20] != "compare: f.txt: more problems, from line 21 on, not reported" {
					t.Errorf("got %d lines, first %q, last %q", len(got), got[0], got[len(got)-1])
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", err, strings.Join(tc.want, "\n"))
			}
			if errors.Is(err, compare.ErrNoResults) != tc.noResults {
				t.Errorf("errors.Is(err, ErrNoResults) = %v, want %v", !tc.noResults, tc.noResults)
			}
			var le *compare.LineError
			if wantLine := !strings.HasPrefix(tc.want[0], "compare: f.txt: "); errors.As(err, &le) != wantLine {
				t.Errorf("errors.As(err, *LineError) = %v, want %v", !wantLine, wantLine)
			}
			var b strings.Builder
			if s.WriteText(&b); b.Len() != 0 {
				t.Errorf("a refused file counts:\n%s", b.String())
			}
		})
	}
}

// TestRefusedFileLeavesNoTrace: a refused file changes nothing, not even
// the unit metadata later files are read with, and its name stays free.
func TestRefusedFileLeavesNoTrace(t *testing.T) {
	old := header + runs("A", 6, 10, 0.01, "ns/op") + runs("B", 6, 20, 0.01, "ns/op")
	bad := "Unit ns/op assume=exact\n" + header + runs("A", 6, 10, 0, "ns/op") + "BenchmarkA 1\n"
	new := header + runs("A", 6, 11, 0.01, "ns/op") + runs("B", 6, 20, 0.01, "ns/op")
	want, err := ours([]file{{"old.txt", old}, {"new.txt", new}})
	if err != nil {
		t.Fatal(err)
	}
	var s compare.Set
	for _, f := range []file{{"old.txt", old}, {"new.txt", bad}, {"new.txt", new}} {
		s.Add(f.label, []byte(f.data))
	}
	var got strings.Builder
	if err := s.WriteText(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want {
		t.Errorf("got\n%s\nwant\n%s", got.String(), want)
	}
	if !strings.Contains(want, "~ (p=") {
		t.Errorf("the comparison is not under assume=nothing:\n%s", want)
	}
}

func TestAddNames(t *testing.T) {
	var s compare.Set
	data := []byte(runs("A", 1, 1, 0, "ns/op"))
	if err := s.Add("", data); err == nil || err.Error() != "compare: empty file name" {
		t.Errorf("empty name: got %v", err)
	}
	if err := s.Add("a", data); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("a", data); err == nil || err.Error() != `compare: file name "a" given twice` {
		t.Errorf("name twice: got %v", err)
	}
}

// TestWriteTextDeterministic: the same files give the same bytes, from
// one Set written twice and from another Set.
func TestWriteTextDeterministic(t *testing.T) {
	files := handMade["three files"]
	var s compare.Set
	for _, f := range files {
		if err := s.Add(f.label, []byte(f.data)); err != nil {
			t.Fatal(err)
		}
	}
	var a, b strings.Builder
	s.WriteText(&a)
	s.WriteText(&b)
	c, _ := ours(files)
	if a.String() != b.String() || a.String() != c || !strings.Contains(c, "geomean") {
		t.Errorf("outputs differ or lack the geomean:\n%s\n%s\n%s", a.String(), b.String(), c)
	}
}

func TestWriteTextEmpty(t *testing.T) {
	var s compare.Set
	var b strings.Builder
	if err := s.WriteText(&b); err != nil || b.Len() != 0 {
		t.Errorf("got %q, %v; want nothing", b.String(), err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTextError(t *testing.T) {
	var s compare.Set
	s.Add("a", []byte(runs("A", 1, 1, 0, "ns/op")))
	if err := s.WriteText(failWriter{}); err == nil || err.Error() != "disk full" {
		t.Errorf("got %v, want disk full", err)
	}
}
