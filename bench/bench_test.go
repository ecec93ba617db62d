package bench_test

import (
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/bench"
)

// BenchmarkSuite runs the whole suite under go test -bench: select parts
// with -bench 'Suite/Capacity/.*/techs=1000/'. With -short it leaves out
// the enterprise profile, whose tenants take most of a smoke run's time
// (scripts/test.sh runs every benchmark once with -short); the same
// benchmarks run on the smaller profiles.
func BenchmarkSuite(b *testing.B) {
	var profiles []string
	for _, p := range bench.Profiles() {
		if !testing.Short() || p != "enterprise" {
			profiles = append(profiles, p)
		}
	}
	for _, bm := range bench.Suite(profiles...) {
		b.Run(bm.Name, bm.F)
	}
}

func TestSuiteNames(t *testing.T) {
	seen := map[string]bool{}
	for _, bm := range bench.Suite() {
		if seen[bm.Name] || strings.ContainsAny(bm.Name, " \t") {
			t.Errorf("bad or repeated benchmark name %q", bm.Name)
		}
		seen[bm.Name] = true
	}
	for _, want := range []string{"Capacity/impl=engine/techs=1000/days=14/jobtype=60min", "Capacity/impl=floor/techs=10000/days=14/jobtype=none",
		"AssignRequery/techs=100/days=1", "Build/techs=10/days=14", "HTTPCapacity/techs=10/days=14", "SimReplication/techs=10/days=14"} {
		if !seen[want] {
			t.Errorf("suite lacks %s", want)
		}
	}
}
