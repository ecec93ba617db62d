// Package proptest holds the shared setup of the project's gopter property
// tests: a logged, reproducible seed and the case count.
package proptest

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
)

// DefaultSeed is the seed used when DISPATCH_SEED is not set, so that a plain
// `go test` is reproducible.
const DefaultSeed = 20261128

// Params returns gopter parameters with at least minCases successful cases
// and a seed taken from the DISPATCH_SEED environment variable (or
// DefaultSeed), which it logs so a failure can be replayed exactly. Under
// -short the case count is divided by 10, but never below 100.
func Params(t testing.TB, minCases int) *gopter.TestParameters {
	t.Helper()
	seed := int64(DefaultSeed)
	if s := os.Getenv("DISPATCH_SEED"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("DISPATCH_SEED=%q: %v", s, err)
		}
		seed = v
	}
	if testing.Short() {
		minCases = max(minCases/10, 100)
	}
	t.Logf("gopter seed %d (replay with DISPATCH_SEED=%d), %d cases", seed, seed, minCases)
	p := gopter.DefaultTestParametersWithSeed(seed)
	p.MinSuccessfulTests = minCases
	p.MaxDiscardRatio = 50
	return p
}

// Run checks props and fails t with gopter's report when any property fails.
func Run(t *testing.T, props *gopter.Properties) {
	t.Helper()
	var out strings.Builder
	if !props.Run(gopter.NewFormatedReporter(false, 120, &out)) {
		t.Error(out.String())
	}
}
