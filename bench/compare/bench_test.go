package compare_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/bench/compare"
)

// BenchmarkCompare reads and compares two files of the size of a full
// `dispatch bench --profile all --count 6`: 200 benchmarks, 4 units, 6
// runs each (about 165 KB a file). It reports the time per benchmark
// compared (ns/bench).
func BenchmarkCompare(b *testing.B) {
	const nBench = 200
	var old, new strings.Builder
	old.WriteString(header)
	new.WriteString(header)
	for i := range nBench {
		name := fmt.Sprintf("Capacity/impl=engine/techs=%d/days=14/jobtype=60min-2", i)
		old.WriteString(runs(name, 6, 1e4+float64(i), 0.01, "ns/op", "ns/tech-day", "B/op", "allocs/op"))
		new.WriteString(runs(name, 6, 0.9e4+float64(i), 0.01, "ns/op", "ns/tech-day", "B/op", "allocs/op"))
	}
	b.SetBytes(int64(old.Len() + new.Len()))
	b.ReportAllocs()
	for b.Loop() {
		var s compare.Set
		if err := s.Add("old.txt", []byte(old.String())); err != nil {
			b.Fatal(err)
		}
		if err := s.Add("this run", []byte(new.String())); err != nil {
			b.Fatal(err)
		}
		if err := s.WriteText(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/nBench, "ns/bench")
}
