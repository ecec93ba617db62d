package hours

import (
	"math/rand/v2"
	"testing"

	"github.com/opendispatch/dispatch/internal/base/proptest"
)

// slowDistance is the Levenshtein distance by its recursive definition,
// memoized: the reference for editDistance.
func slowDistance(a, b string) int {
	memo := map[[2]int]int{}
	var d func(i, j int) int
	d = func(i, j int) int {
		if i == 0 {
			return j
		}
		if j == 0 {
			return i
		}
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		cost := 1
		if a[i-1] == b[j-1] {
			cost = 0
		}
		v := min(d(i-1, j)+1, d(i, j-1)+1, d(i-1, j-1)+cost)
		memo[k] = v
		return v
	}
	return d(len(a), len(b))
}

// TestEditDistance compares editDistance, and closer under bounds, with
// the recursive definition on random short strings over a small alphabet
// (so that matches are frequent), from the proptest seed.
func TestEditDistance(t *testing.T) {
	seed := uint64(proptest.Params(t, 3000).Seed())
	rng := rand.New(rand.NewPCG(seed, 1))
	word := func() string {
		b := make([]byte, rng.IntN(9))
		for i := range b {
			b[i] = "abc/"[rng.IntN(4)]
		}
		return string(b)
	}
	for range 3000 {
		a, b := word(), word()
		want := slowDistance(a, b)
		if got := editDistance(a, b); got != want {
			t.Fatalf("editDistance(%q, %q) = %d, want %d", a, b, got, want)
		}
		bound := 1 + rng.IntN(5)
		// closer is exact below the bound and at least the bound otherwise.
		if got := closer(a, b, bound); want < bound && got != want || want >= bound && got < bound {
			t.Fatalf("closer(%q, %q, %d) = %d; the distance is %d", a, b, bound, got, want)
		}
	}
}
