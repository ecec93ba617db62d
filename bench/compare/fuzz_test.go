package compare_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/bench/compare"
)

// FuzzAdd reads arbitrary bytes as the file compared with a good one,
// then as the baseline: Add never panics; it either takes the file, and
// WriteText then writes the same text twice, or refuses it with errors
// that each name the file, and a line of it where they name one. Seeds:
// testdata/fuzz/FuzzAdd and the hand-made cases of TestAgainstBenchstat.
func FuzzAdd(f *testing.F) {
	for _, files := range handMade {
		for _, file := range files {
			f.Add([]byte(file.data))
		}
	}
	good := []byte(header + runs("A-2", 6, 10, 0.01, "ns/op", "B/op") + runs("B-2", 3, 7, 0.1, "ns/op"))
	f.Fuzz(func(t *testing.T, data []byte) {
		nLines := bytes.Count(data, []byte("\n")) + 1
		for _, order := range [][2]string{{"good", "fuzz.txt"}, {"fuzz.txt", "good"}} {
			var s compare.Set
			for _, name := range order {
				in := good
				if name == "fuzz.txt" {
					in = data
				}
				err := s.Add(name, in)
				if err == nil {
					continue
				}
				if name != "fuzz.txt" {
					t.Fatalf("the good file: %v", err)
				}
				for _, line := range strings.Split(err.Error(), "\n") {
					if !strings.HasPrefix(line, "compare: fuzz.txt:") {
						t.Errorf("an error line that does not name the file: %q", line)
					}
				}
				var le *compare.LineError
				if errors.As(err, &le) && (le.File != "fuzz.txt" || le.Line < 1 || le.Line > nLines) {
					t.Errorf("LineError at %s:%d of a file of %d lines", le.File, le.Line, nLines)
				}
			}
			var a, b bytes.Buffer
			if err := s.WriteText(&a); err != nil {
				t.Fatal(err)
			}
			s.WriteText(&b)
			if a.Len() == 0 || !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("WriteText wrote %d and %d bytes, want the same text twice", a.Len(), b.Len())
			}
		}
	})
}
