package compare

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"iter"
	"unicode"
	"unicode/utf8"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"
)

// ErrNoResults is the error (tested with errors.Is) of a file that holds
// no benchmark result.
var ErrNoResults = errors.New("no benchmark results")

// A LineError is a problem on one line of a file given to [Set.Add]: a
// line that starts like a benchmark result ("Benchmark" and more) or unit
// metadata ("Unit ...") but does not parse, a line too long to read, or,
// wrapping [ErrNoResults], the first line of a file without results that
// is not benchmark output.
type LineError struct {
	File string // the name given to Add
	Line int    // 1-based
	Text string // the line, as read (quoted and cut short in Error)
	Err  error  // what is wrong
}

func (e *LineError) Error() string {
	return fmt.Sprintf("compare: %s:%d: %v: %s", e.File, e.Line, e.Err, quoteLine(e.Text))
}

func (e *LineError) Unwrap() error { return e.Err }

// maxProblems is how many problems of one file Add reports.
const maxProblems = 20

// maxLine is the length from which bufio.Scanner, which benchfmt reads
// with, cannot read a line (without its newline).
const maxLine = bufio.MaxScanTokenSize

// A Set is a set of files of benchmark results (the output of `go test
// -bench`) to compare. The zero Set is empty and ready to use. The first
// file added is the baseline every other file is compared with; unit
// metadata ("Unit ns/op assume=exact") carries from a file to those added
// after it, as in benchstat.
type Set struct {
	reader benchfmt.Reader
	names  map[string]bool // of the files added

	tableBy, rowBy, colBy *benchproc.Projection
	unitField             *benchproc.Field

	tables map[benchproc.Key]*builderTable
}

// Add reads data, the benchmark results of the file called name, into s.
// The name labels the file's column, as benchstat labels a column with
// its input's path, and names the file in errors. Lines that are not
// benchmark results, configuration ("key: value") or unit metadata are
// ignored, as `go test -bench` writes PASS, ok and log lines among its
// results.
//
// Add returns an error, and adds nothing, if name is empty or was given
// before, if a line of data that starts like a benchmark result or unit
// metadata does not parse or a line is 64 KiB long or longer (a
// [LineError] for each, up to 20, joined), or
// if data holds no result (a LineError wrapping [ErrNoResults] on the
// first line that is not benchmark output, or ErrNoResults with the file's
// name if there is no such line).
func (s *Set) Add(name string, data []byte) error {
	if name == "" {
		return errors.New("compare: empty file name")
	}
	if s.names[name] {
		return fmt.Errorf("compare: file name %q given twice", name)
	}
	s.init()
	results, err := s.read(name, data)
	if err != nil {
		return err
	}
	if s.names == nil {
		s.names = map[string]bool{}
	}
	s.names[name] = true
	for _, r := range results {
		s.add(r)
	}
	return nil
}

// read parses data, checking it whole before any of it counts.
func (s *Set) read(name string, data []byte) ([]*benchfmt.Result, error) {
	var problems []*LineError
	more := 0 // the first line with a problem not reported
	problem := func(line int, msg error) {
		if len(problems) < maxProblems {
			problems = append(problems, &LineError{name, line, "", msg})
		} else if more == 0 {
			more = line
		}
	}
	// bufio.Scanner stops at a line too long for it with an error that
	// names the line before; find such lines first.
	for n, line := range lines(data) {
		if len(line) >= maxLine {
			problem(n, fmt.Errorf("line of %d bytes is longer than the %d a line may have", len(line), maxLine-1))
		}
	}
	if len(problems) > 0 {
		return nil, joinProblems(name, data, problems, more)
	}
	// The units read so far, to restore if data is refused.
	units := map[benchfmt.UnitMetadataKey]*benchfmt.UnitMetadata{}
	for k, v := range s.reader.Units() {
		units[k] = v
	}
	s.reader.Reset(bytes.NewReader(data), name, ".file", name)
	var results []*benchfmt.Result
	for s.reader.Scan() {
		switch rec := s.reader.Result().(type) {
		case *benchfmt.SyntaxError:
			_, line := rec.Pos()
			problem(line, errors.New(rec.Msg))
		case *benchfmt.Result:
			results = append(results, rec.Clone())
		}
	}
	if err := s.reader.Err(); err != nil && len(problems) == 0 {
		s.restoreUnits(units)
		return nil, fmt.Errorf("compare: %w", err) // not expected: lines are checked above
	}
	if len(problems) == 0 && len(results) == 0 {
		line := strayLine(data)
		if line == 0 {
			s.restoreUnits(units)
			return nil, fmt.Errorf("compare: %s: %w", name, ErrNoResults)
		}
		problem(line, fmt.Errorf("%w in the file, and this line is not benchmark output", ErrNoResults))
	}
	if len(problems) > 0 {
		s.restoreUnits(units)
		return nil, joinProblems(name, data, problems, more)
	}
	return results, nil
}

// joinProblems fills in the text of each problem's line (in order of
// lines) and joins them, with a last line if there were more, from line
// more on.
func joinProblems(name string, data []byte, problems []*LineError, more int) error {
	next := 0
	for n, line := range lines(data) {
		for next < len(problems) && problems[next].Line == n {
			problems[next].Text = string(bytes.TrimSuffix(line, []byte("\r")))
			next++
		}
		if next == len(problems) {
			break
		}
	}
	errs := make([]error, 0, len(problems)+1)
	for _, p := range problems {
		errs = append(errs, p)
	}
	if more > 0 {
		errs = append(errs, fmt.Errorf("compare: %s: more problems, from line %d on, not reported", name, more))
	}
	return errors.Join(errs...)
}

// restoreUnits takes the reader's unit metadata back to units, those of
// the files added, after a file was refused.
func (s *Set) restoreUnits(units map[benchfmt.UnitMetadataKey]*benchfmt.UnitMetadata) {
	m := s.reader.Units()
	for k := range m {
		if _, ok := units[k]; !ok {
			delete(m, k)
		}
	}
}

// lines yields the lines of data, numbered from 1, as bufio.ScanLines
// splits them, without their "\n" (a final "\r" is kept).
func lines(data []byte) iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		for n := 1; len(data) > 0; n++ {
			line := data
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				line, data = data[:i], data[i+1:]
			} else {
				data = nil
			}
			if !yield(n, line) {
				return
			}
		}
	}
}

// strayLine is the number of the first line of data that is not blank,
// configuration ("key: value", as benchfmt reads it), unit metadata or a
// benchmark line, or 0 if there is none.
func strayLine(data []byte) int {
	for n, line := range lines(data) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if isBlank(line) || bytes.HasPrefix(line, []byte("Benchmark")) || isUnitLine(line) || isConfigLine(line) {
			continue
		}
		return n
	}
	return 0
}

func isBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

// isUnitLine reports whether line's first field is "Unit".
func isUnitLine(line []byte) bool {
	rest, ok := bytes.CutPrefix(bytes.TrimLeft(line, " \t"), []byte("Unit"))
	return ok && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t')
}

// isConfigLine reports whether benchfmt reads line as a "key: value"
// configuration line: a key that starts with a lower-case letter and has
// no space or upper-case letter, a colon, then nothing or a space or tab
// and the value.
func isConfigLine(line []byte) bool {
	i := 0
	for i < len(line) {
		r, n := utf8.DecodeRune(line[i:])
		if i == 0 && !unicode.IsLower(r) || unicode.IsSpace(r) || unicode.IsUpper(r) {
			return false
		}
		if i > 0 && r == ':' {
			break
		}
		i += n
	}
	if i == 0 || i == len(line) {
		return false
	}
	val := line[i+1:]
	return len(val) == 0 || val[0] == ' ' || val[0] == '\t'
}

// quoteLine quotes a line for an error message, cut short past 80 bytes.
func quoteLine(s string) string {
	const max = 80
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", s[:cut])
}
