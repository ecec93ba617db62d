package bench_test

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/opendispatch/dispatch/bench"
)

func ExampleRun() {
	var out strings.Builder
	err := bench.Run(&out, bench.Suite("small"), 1, regexp.MustCompile(`^Expand/`))
	fields := strings.Fields(out.String())
	fmt.Println(err, strings.HasPrefix(fields[0], "BenchmarkExpand/techs=10/days=14-"), strings.Contains(out.String(), "ns/day"))
	// Output: <nil> true true
}
