package sim

import (
	"math"
	"math/big"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"gonum.org/v1/gonum/stat"

	"github.com/opendispatch/dispatch/internal/base/proptest"
)

// TestMeanStdDev checks meanStdDev against gonum's stat.MeanStdDev (the
// definition it keeps) within rounding, and its mean bit for bit against
// the left-to-right sum that every architecture computes alike: gonum's
// vectorised sum on amd64 differs from it in the last bits, which is why
// the reports no longer use it (an amd64 and a 386 build of one study
// wrote different JSON). Values are KPI-like: percentages and hours with
// a spread, 2 to 200 replications.
func TestMeanStdDev(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 500))
	seqDiffers := 0
	props.Property("as gonum defines it, summed in order", prop.ForAll(func(seed uint64, n int) string {
		xs := make([]float64, n)
		x := seed
		for i := range xs {
			x = x*6364136223846793005 + 1442695040888963407
			xs[i] = 40 + 30*float64(x>>11)/(1<<53) + float64(i%7)/3
		}
		m, sd := meanStdDev(xs)
		gm, gsd := stat.MeanStdDev(xs, nil)
		if math.Abs(m-gm) > 1e-12*math.Abs(gm) || math.Abs(sd-gsd) > 1e-9*gsd {
			return "differs from gonum beyond rounding"
		}
		// The mean is the in-order sum over n: exactly what a big.Float
		// accumulation rounded at each step gives.
		acc := new(big.Float).SetPrec(53)
		for _, v := range xs {
			acc.Add(acc, big.NewFloat(v))
		}
		want, _ := acc.Float64()
		if m != want/float64(n) {
			return "the mean is not the in-order sum"
		}
		if gm != m {
			seqDiffers++
		}
		return ""
	}, gen.UInt64(), gen.IntRange(2, 200)))
	proptest.Run(t, props)
	t.Logf("gonum's mean differed in the last bits in %d cases", seqDiffers)
	// Large values with a small spread (hours near a million, or any
	// shift of the data): the deviations are taken from the mean before
	// they are squared, so the result keeps its digits (a sum of squares
	// of x + mean, which the compensation term makes equal on paper,
	// lost four of them).
	for _, base := range []float64{1e3, 1e6, -1e6} {
		xs := make([]float64, 10)
		for i := range xs {
			xs[i] = base + float64(i%7)/3
		}
		exact := func() float64 {
			const prec = 200
			sum := new(big.Float).SetPrec(prec)
			for _, x := range xs {
				sum.Add(sum, new(big.Float).SetPrec(prec).SetFloat64(x))
			}
			mean := new(big.Float).SetPrec(prec).Quo(sum, big.NewFloat(float64(len(xs))))
			ss := new(big.Float).SetPrec(prec)
			for _, x := range xs {
				d := new(big.Float).SetPrec(prec).Sub(new(big.Float).SetPrec(prec).SetFloat64(x), mean)
				ss.Add(ss, new(big.Float).SetPrec(prec).Mul(d, d))
			}
			ss.Quo(ss, big.NewFloat(float64(len(xs)-1)))
			v, _ := ss.Float64()
			return math.Sqrt(v)
		}()
		if _, sd := meanStdDev(xs); math.Abs(sd-exact) > 1e-9*exact {
			t.Errorf("values near %g: sd %v, want %v", base, sd, exact)
		}
	}
	if m, sd := meanStdDev([]float64{3}); m != 3 || sd != 0 {
		t.Errorf("one value: got %v ± %v, want 3 ± 0", m, sd)
	}
}
