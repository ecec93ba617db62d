package compare_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/bench/compare"
	"github.com/opendispatch/dispatch/internal/base/proptest"
)

var (
	benchstatOnce sync.Once
	benchstatBin  string
	benchstatErr  error
	noGo          bool // no go command to build it with
)

// benchstat builds golang.org/x/perf/cmd/benchstat at the version of
// go.mod (its packages are those this package uses, so go.sum has them)
// and returns the program's path. It skips the test where there is no go
// command, and fails it where the build fails: go.mod and go.sum must
// hold what benchstat needs (they once lacked go-moremath, and the build
// failed on its missing go.sum entry), and CI has the module proxy.
func benchstat(t *testing.T) string {
	t.Helper()
	benchstatOnce.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			benchstatErr, noGo = err, true
			return
		}
		dir, err := os.MkdirTemp("", "benchstat")
		if err != nil {
			benchstatErr = err
			return
		}
		benchstatBin = filepath.Join(dir, "benchstat")
		cmd := exec.Command(goBin, "build", "-o", benchstatBin, "golang.org/x/perf/cmd/benchstat")
		if out, err := cmd.CombinedOutput(); err != nil {
			benchstatErr = fmt.Errorf("go build golang.org/x/perf/cmd/benchstat: %v\n%s", err, out)
		}
	})
	if noGo {
		t.Skipf("no benchstat to compare with: %v", benchstatErr)
	}
	if benchstatErr != nil {
		t.Fatal(benchstatErr)
	}
	return benchstatBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchstatBin != "" {
		os.RemoveAll(filepath.Dir(benchstatBin))
	}
	os.Exit(code)
}

// A file is one input: its label (the column's name) and its text.
type file struct {
	label string
	data  string
}

// runBenchstat runs the real benchstat on files ("label=path" arguments,
// so that it labels columns as we do) and returns its stdout and stderr.
func runBenchstat(t *testing.T, files []file) (stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	var args []string
	for i, f := range files {
		p := filepath.Join(dir, strconv.Itoa(i)+".txt")
		if err := os.WriteFile(p, []byte(f.data), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f.label+"="+p)
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(benchstat(t), args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("benchstat %q: %v\n%s", args, err, errOut.String())
	}
	return out.String(), errOut.String()
}

// ours is our comparison of files, or the first error of Add.
func ours(files []file) (string, error) {
	var s compare.Set
	for _, f := range files {
		if err := s.Add(f.label, []byte(f.data)); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	err := s.WriteText(&b)
	return b.String(), err
}

// diffLines describes the first line where got and want differ.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, gl, wl)
		}
	}
	return ""
}

// TestAgainstBenchstat holds our text to the real benchstat's, byte for
// byte, on random sets of files (randomFiles) and on the hand-made cases
// below: several units, custom metrics, benchmarks missing on one side,
// one run against many, identical runs, sub-benchmark names with '/' and
// '=', configurations that split tables, unit metadata, zeros.
func TestAgainstBenchstat(t *testing.T) {
	benchstat(t)
	for name, files := range handMade {
		t.Run(name, func(t *testing.T) {
			want, stderr := runBenchstat(t, files)
			if stderr != "" {
				t.Fatalf("benchstat warned: %s", stderr)
			}
			got, err := ours(files)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s\nours:\n%s\nbenchstat's:\n%s", diffLines(got, want), got, want)
			}
		})
	}

	params := proptest.Params(t, 300)
	props := gopter.NewProperties(params)
	features := map[string]int{}
	props.Property("our text is benchstat's", prop.ForAll(func(seed uint64) string {
		files := randomFiles(rand.New(rand.NewPCG(seed, 31)))
		want, stderr := runBenchstat(t, files)
		if stderr != "" {
			return "benchstat warned: " + stderr
		}
		got, err := ours(files)
		if err != nil {
			return err.Error()
		}
		for _, f := range []string{"~", "%", "geomean", "∞", "?", "n=1", "+", "vs base", "¹", "²", "\n\n"} {
			if strings.Contains(got, f) {
				features[f]++
			}
		}
		if got != want {
			var in strings.Builder
			for _, f := range files {
				fmt.Fprintf(&in, "--- %s\n%s", f.label, f.data)
			}
			return fmt.Sprintf("%s\nours:\n%s\nbenchstat's:\n%s\ninput:\n%s", diffLines(got, want), got, want, in.String())
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("outputs with each feature, of %d: %v", params.MinSuccessfulTests, features)
	// The random files must reach what they are for.
	for f, min := range map[string]int{"~": 10, "%": 10, "geomean": 10, "∞": 10, "n=1": 5, "+": 10, "¹": 10, "\n\n": 10} {
		if features[f] < min*params.MinSuccessfulTests/300 {
			t.Errorf("%q in %d outputs of %d, want at least %d", f, features[f], params.MinSuccessfulTests, min*params.MinSuccessfulTests/300)
		}
	}
}

const header = "goos: linux\ngoarch: amd64\npkg: github.com/opendispatch/dispatch/bench\ncpu: Intel(R) Xeon(R) Processor\n"

// runs is n lines of one benchmark with values at v·(1+i·step) in unit.
func runs(name string, n int, v, step float64, units ...string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "Benchmark%s\t%d", name, 1000+i)
		for j, u := range units {
			fmt.Fprintf(&b, "\t%g %s", v*float64(j+1)*(1+float64(i)*step), u)
		}
		b.WriteString("\n")
	}
	return b.String()
}

var handMade = map[string][]file{
	"six runs each, three units": {
		{"old.txt", header + runs("Expand/techs=10/days=14-2", 6, 17000, 0.01, "ns/op", "B/op", "allocs/op") +
			runs("Capacity/techs=100/days=14/impl=engine-2", 6, 2.5e6, 0.02, "ns/op", "B/op", "allocs/op")},
		{"this run", header + runs("Expand/techs=10/days=14-2", 6, 14000, 0.01, "ns/op", "B/op", "allocs/op") +
			runs("Capacity/techs=100/days=14/impl=engine-2", 6, 2.51e6, 0.02, "ns/op", "B/op", "allocs/op")},
	},
	"one run against many": {
		{"old.txt", header + runs("Build/techs=10-2", 1, 5e5, 0, "ns/op", "ns/tech-day")},
		{"this run", header + runs("Build/techs=10-2", 10, 4e5, 0.001, "ns/op", "ns/tech-day")},
	},
	"identical runs": {
		{"old.txt", header + runs("Plain", 6, 100, 0, "ns/op", "allocs/op")},
		{"this run", header + runs("Plain", 6, 100, 0, "ns/op", "allocs/op")},
	},
	"missing on each side": {
		{"old.txt", header + runs("A/x=1-2", 6, 10, 0.1, "ns/op") + runs("B/x=2-2", 6, 20, 0.1, "ns/op")},
		{"this run", header + runs("B/x=2-2", 6, 15, 0.1, "ns/op") + runs("C/x=3-2", 6, 30, 0.1, "ns/op")},
	},
	"odd names": {
		{"results/old.txt", header + runs("Odd/a=b=c/x-8", 3, 1e-3, 0.5, "ns/op") + runs("Deep/a/b/c/d", 3, 7, 0, "ns/op") +
			runs("Zone/name=Zürich/impl=bitmap", 3, 1e9, 0.3, "ns/op")},
		{"this run", header + runs("Odd/a=b=c/x-8", 3, 2e-3, 0.5, "ns/op") + runs("Deep/a/b/c/d", 3, 7, 0, "ns/op") +
			runs("Zone/name=Zürich/impl=bitmap", 3, 1e9, 0.3, "ns/op")},
	},
	"custom metrics": {
		{"old.txt", header + runs("SimMMcc/c=10-2", 6, 3e6, 0.05, "events/s", "events/cpu-s", "B/tech-day", "index-B/tech-day", "MB/s")},
		{"this run", header + runs("SimMMcc/c=10-2", 6, 3.3e6, 0.05, "events/s", "events/cpu-s", "B/tech-day", "index-B/tech-day", "MB/s")},
	},
	"another machine": {
		{"old.txt", strings.Replace(header, "Xeon(R) Processor", "Core(TM) i7", 1) + runs("Plain-2", 6, 100, 0.01, "ns/op")},
		{"this run", header + runs("Plain-2", 6, 90, 0.01, "ns/op")},
	},
	"zeros and exact units": {
		{"old.txt", "Unit allocs/op assume=exact\n" + header + runs("A", 4, 0, 0, "allocs/op", "ns/op") + runs("B", 4, 3, 0, "allocs/op", "ns/op")},
		{"this run", header + runs("A", 4, 1, 0, "allocs/op", "ns/op") + runs("B", 4, 3, 0, "allocs/op", "ns/op")},
	},
	"three files": {
		{"a.txt", header + runs("A-2", 6, 10, 0.01, "ns/op") + runs("B-2", 6, 20, 0.01, "ns/op")},
		{"b.txt", header + runs("A-2", 6, 12, 0.01, "ns/op")},
		{"this run", header + runs("A-2", 6, 8, 0.01, "ns/op") + runs("B-2", 2, 20, 0.01, "ns/op")},
	},
	"baseline alone": {
		{"old.txt", header + runs("A-2", 6, 10, 0.01, "ns/op", "B/op") + runs("B-2", 1, 20, 0.01, "ns/op", "B/op")},
	},
	"go test output": {
		{"old.txt", header + "BenchmarkA-2\n" + runs("A-2", 6, 10, 0.01, "ns/op") + "PASS\nok  \tgithub.com/opendispatch/dispatch/bench\t1.234s\n"},
		{"this run", header + "    bench_test.go:12: a log line\n" + runs("A-2", 6, 11, 0.01, "ns/op") + "--- BENCH: BenchmarkA-2\nPASS\n"},
	},
}

// Pools for randomFiles.
var (
	names = []string{
		"Expand/techs=10/days=14", "Capacity/techs=100/days=14/jobtype=60min/impl=engine",
		"Capacity/techs=100/days=14/jobtype=60min/impl=straight", "SimMMcc/c=10/A=9.5", "Build/techs=1000",
		"Odd/a=b=c/x", "Plain", "Zone/name=Zürich", "Deep/a/b/c/d", "Query/techs=10000/days=14/impl=floor",
	}
	procs     = []string{"", "-2", "-8"}
	extraUnit = []string{"B/op", "allocs/op", "ns/day", "events/s", "B/tech-day", "index-B/tech-day", "MB/s", "x", "delta"}
	cpus      = []string{"Intel(R) Xeon(R) Processor", "AMD EPYC 7B13"}
)

// randomFiles makes one to three files of benchmark results to compare:
// a shared set of benchmarks, each present in a file or not, with 1 to
// 12 runs, ns/op and up to three more units (some of them missing in
// some files), values spread over 11 orders of magnitude with no, little
// or much noise (no noise: identical runs), zeros now and then, negative
// values for the unit "delta", unit metadata, another cpu line for one
// file (a table of its own), and the lines go test writes among results.
func randomFiles(r *rand.Rand) []file {
	nFiles := 2
	switch x := r.IntN(10); {
	case x == 0:
		nFiles = 1
	case x == 1:
		nFiles = 3
	}
	labels := []string{"old.txt", "this run", "new.txt"}
	if r.IntN(4) == 0 {
		labels[0] = "results/before-" + strconv.Itoa(r.IntN(100)) + ".txt"
	}
	type bench struct {
		name  string
		units []string
		base  []float64 // by unit
		int   []bool    // by unit: printed as an integer
	}
	var benches []bench
	for _, i := range r.Perm(len(names))[:1+r.IntN(5)] {
		b := bench{name: names[i] + procs[r.IntN(len(procs))], units: []string{"ns/op"}}
		for _, j := range r.Perm(len(extraUnit))[:r.IntN(4)] {
			b.units = append(b.units, extraUnit[j])
		}
		for _, u := range b.units {
			v := math.Pow(10, -2+11*r.Float64())
			if r.IntN(12) == 0 {
				v = 0
			}
			if u == "delta" && r.IntN(2) == 0 {
				v = -v
			}
			b.base = append(b.base, v)
			b.int = append(b.int, u == "allocs/op" || u == "B/op" || r.IntN(3) == 0)
		}
		benches = append(benches, b)
	}
	exact := r.IntN(6) == 0
	otherCPU := -1
	if r.IntN(8) == 0 {
		otherCPU = r.IntN(nFiles)
	}
	files := make([]file, nFiles)
	for fi := range files {
		var b strings.Builder
		if exact && fi == 0 {
			b.WriteString("Unit allocs/op assume=exact\n")
		}
		cpu := cpus[0]
		if fi == otherCPU {
			cpu = cpus[1]
		}
		fmt.Fprintf(&b, "goos: linux\ngoarch: amd64\npkg: github.com/opendispatch/dispatch/bench\ncpu: %s\n", cpu)
		factor := 1.0
		if r.IntN(3) > 0 {
			factor = 0.5 + 1.5*r.Float64()
		}
		var lines []string
		for bi, bn := range benches {
			if fi > 0 && r.IntN(7) == 0 {
				continue // missing on this side
			}
			n := 1 + r.IntN(12)
			if r.IntN(5) == 0 {
				n = 1
			}
			noise := []float64{0, 0.001, 0.05, 0.3}[r.IntN(4)]
			for range n {
				line := fmt.Sprintf("Benchmark%s\t%8d", bn.name, 1+r.IntN(1e6))
				for ui, u := range bn.units {
					if fi > 0 && ui > 0 && bi%3 == fi && r.IntN(3) == 0 {
						continue // this unit missing here
					}
					v := bn.base[ui] * factor * (1 + noise*r.NormFloat64())
					if bn.int[ui] {
						line += fmt.Sprintf("\t%10.0f %s", math.Round(v), u)
					} else {
						line += fmt.Sprintf("\t%10.4g %s", v, u)
					}
				}
				lines = append(lines, line)
			}
		}
		r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		if len(lines) == 0 { // every benchmark missing: keep one run
			lines = append(lines, fmt.Sprintf("Benchmark%s\t1\t%g ns/op", benches[0].name, benches[0].base[0]))
		}
		for _, l := range lines {
			b.WriteString(l + "\n")
			if r.IntN(20) == 0 {
				b.WriteString([]string{"PASS", "", "    a log line", "--- BENCH: BenchmarkX"}[r.IntN(4)] + "\n")
			}
		}
		b.WriteString("ok  \tgithub.com/opendispatch/dispatch/bench\t12.345s\n")
		files[fi] = file{labels[fi], b.String()}
	}
	return files
}

// TestDifferencesFromBenchstat holds each deliberate difference from
// benchstat (doc.go) to what benchstat does instead.
func TestDifferencesFromBenchstat(t *testing.T) {
	good := header + runs("A-2", 6, 10, 0.01, "ns/op")

	t.Run("a line that does not parse", func(t *testing.T) {
		// benchstat warns and compares the rest; we refuse the file,
		// naming the lines as benchstat names them.
		bad := header + "BenchmarkA-2\t10\tx ns/op\n" + runs("A-2", 6, 10, 0.01, "ns/op") + "BenchmarkB-2\t10\n"
		files := []file{{"old.txt", bad}, {"this run", good}}
		out, stderr := runBenchstat(t, files)
		if !strings.Contains(out, "vs base") {
			t.Errorf("benchstat compares no more:\n%s", out)
		}
		_, err := ours(files)
		var le *compare.LineError
		if !errors.As(err, &le) {
			t.Fatalf("got %v, want a *LineError", err)
		}
		// benchstat's "<path>:5: parsing measurement: invalid syntax",
		// with the label for the path.
		warnings := strings.Split(strings.TrimSpace(stderr), "\n")
		if len(warnings) != 2 {
			t.Fatalf("benchstat warned %q, want two lines", stderr)
		}
		for _, w := range warnings {
			_, pos, _ := strings.Cut(w, ".txt:")
			want := "compare: old.txt:" + pos
			if !strings.Contains(err.Error(), want) {
				t.Errorf("got %q, want it to say %q", err, want)
			}
		}
	})

	t.Run("unit metadata at odds with a file before", func(t *testing.T) {
		files := []file{{"old.txt", "Unit ns/op assume=exact\n" + good}, {"this run", "Unit ns/op assume=nothing\n" + good}}
		_, stderr := runBenchstat(t, files)
		if !strings.Contains(stderr, ":1: metadata assume of unit ns/op already set to exact") {
			t.Errorf("benchstat warned %q", stderr)
		}
		_, err := ours(files)
		if want := `compare: this run:1: metadata assume of unit ns/op already set to exact: "Unit ns/op assume=nothing"`; err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	})

	t.Run("no results", func(t *testing.T) {
		// benchstat prints nothing for a file that is not benchmark
		// output (here the only file); we say what is wrong and where.
		files := []file{{"notes.txt", "goos: linux\n\nhello world\nBenchmarkA-2\n"}}
		out, stderr := runBenchstat(t, files)
		if out != "" || stderr != "" {
			t.Errorf("benchstat wrote %q and %q, want nothing", out, stderr)
		}
		_, err := ours(files)
		if want := `compare: notes.txt:3: no benchmark results in the file, and this line is not benchmark output: "hello world"`; err == nil || err.Error() != want || !errors.Is(err, compare.ErrNoResults) {
			t.Errorf("got %v, want %s (ErrNoResults)", err, want)
		}
	})

	t.Run("lines too long", func(t *testing.T) {
		// A line of 65535 bytes is read by both, one of 65536 by
		// neither: benchstat stops with an error that names the line
		// before; we name the line.
		longLine := func(n int) string {
			return "Benchmark" + strings.Repeat("x", n-len("Benchmark 1 2 ns/op")) + " 1 2 ns/op"
		}
		files := []file{{"old.txt", runs("A", 1, 2, 0, "ns/op") + longLine(65535) + "\n"}}
		want, stderr := runBenchstat(t, files)
		if got, err := ours(files); err != nil || got != want || stderr != "" {
			t.Errorf("65535 bytes: got %v and %d bytes of text, benchstat %d bytes (equal: %v) and %q", err, len(got), len(want), got == want, stderr)
		}
		files = []file{{"old.txt", runs("A", 1, 2, 0, "ns/op") + longLine(65536) + "\n"}}
		out, stderr := runBenchstat(t, files)
		if out != "" || !strings.HasSuffix(stderr, ".txt:1: bufio.Scanner: token too long\n") {
			t.Errorf("benchstat wrote %q and %q", out, stderr)
		}
		_, err := ours(files)
		if want := "compare: old.txt:2: line of 65536 bytes is longer than the 65535 a line may have: "; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("got %v, want %s…", err, want)
		}
	})

	t.Run("a name given twice", func(t *testing.T) {
		// benchstat pools the runs of two files of one label in one
		// column; we refuse the second.
		files := []file{{"old.txt", good}, {"old.txt", good}}
		out, _ := runBenchstat(t, files)
		if strings.Contains(out, "vs base") {
			t.Errorf("benchstat compared two files of one label:\n%s", out)
		}
		_, err := ours(files)
		if want := `compare: file name "old.txt" given twice`; err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	})
}
