package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
)

// kpiOf returns the kpi of the reports with key.
func kpiOf(t *testing.T, key string) kpi {
	t.Helper()
	for _, k := range kpis {
		if k.key == key {
			return k
		}
	}
	t.Fatalf("no kpi %q", key)
	return kpi{}
}

// pairOf returns k's per-replication values of a variant losing lv[i]
// calls and a baseline losing lb[i], out of calls + i·step each: the
// counts themselves, or for a share lost ÷ calls in % with the calls as
// trials.
func pairOf(k kpi, lv, lb []int, calls, step int) (xv, xb, tv, tb []float64) {
	for i := range lv {
		v, b := float64(lv[i]), float64(lb[i])
		if k.trials != "" {
			c := float64(calls + step*i) // trials differ by replication, not by variant
			xv, xb = append(xv, ratio(int64(lv[i]), int64(c), 100)), append(xb, ratio(int64(lb[i]), int64(c), 100))
			tv, tb = append(tv, c), append(tb, c)
			continue
		}
		xv, xb = append(xv, v), append(xb, b)
	}
	return xv, xb, tv, tb
}

// TestDifferenceRule: a paired difference of a share or count keeps
// Student t's interval, bit for bit, from rareEvents discordant events
// on, and contains the exact interval of the discordant events below
// that, or where t's interval has no width.
func TestDifferenceRule(t *testing.T) {
	if rareEvents != 10 {
		t.Fatalf("rareEvents is %v: the cases below are built around 10", rareEvents)
	}
	for _, key := range []string{"emergencyLost", "lost", "lost.declined", "booked", "emergencyLostShare", "bookingRate"} {
		k := kpiOf(t, key)
		for _, c := range []struct {
			name   string
			lv, lb []int
			t      bool // Student t's interval, exactly
			step   int  // of a share's trials by replication
		}{
			{"10 discordant events", []int{1, 0, 2, 1, 0}, []int{3, 3, 3, 3, 2}, true, 7},                 // 2+3+1+2+2
			{"12 discordant events of both signs", []int{5, 0, 2, 1, 0}, []int{1, 3, 3, 3, 2}, true, 7},   // 4+3+1+2+2 = 12
			{"9 discordant events", []int{1, 0, 2, 1, 0}, []int{3, 3, 3, 2, 2}, false, 7},                 // 2+3+1+1+2
			{"10 events all alike: t has no width", []int{1, 1, 1, 1, 1}, []int{3, 3, 3, 3, 3}, false, 0}, // 2 each, of as many trials
			{"none discordant", []int{3, 0, 2, 1, 0}, []int{3, 0, 2, 1, 0}, false, 7},                     // t is 0 ±0
			{"129 discordant events", []int{30, 0, 2, 1, 0}, []int{1, 26, 26, 26, 25}, true, 7},           // 29+26+24+25+25
			{"2 discordant events, t wide", []int{0, 0, 0, 0, 0, 2, 0, 0}, []int{0, 0, 0, 0, 0, 0, 0, 0}, false, 7},
		} {
			t.Run(key+"/"+c.name, func(t *testing.T) {
				if key == "booked" {
					c.lv, c.lb = c.lb, c.lv // bookings, not losses: a difference is one either way
				}
				xv, xb, tv, tb := pairOf(k, c.lv, c.lb, 480, c.step)
				ds := make([]float64, len(xv))
				for i := range xv {
					ds[i] = xv[i] - xb[i]
				}
				st := estimateOf(k, ds)
				got := differenceOf(k, xv, xb, tv, tb)
				lo, hi, events, ok := k.exactDiff(xv, xb, tv, tb, 0.0125)
				if !ok {
					t.Fatalf("exactDiff gave no interval for %v against %v", xv, xb)
				}
				t.Logf("%d discordant events: got [%g, %g], Student t [%g, %g], exact [%g, %g]", int(events), got.Low, got.High, st.Low, st.High, lo, hi)
				if got.Mean != st.Mean || got.N != st.N {
					t.Errorf("mean %v of %d, want Student t's %v of %d", got.Mean, got.N, st.Mean, st.N)
				}
				if c.t {
					if got != st {
						t.Errorf("got %+v, want Student t's %+v exactly", got, st)
					}
					return
				}
				if !(got.Low <= min(st.Low, lo) && got.High >= max(st.High, hi)) || got.Low != min(st.Low, lo) || got.High != max(st.High, hi) {
					t.Errorf("got [%g, %g], want the hull [%g, %g] of Student t's and the exact interval", got.Low, got.High, min(st.Low, lo), max(st.High, hi))
				}
				if !(got.High > got.Low) {
					t.Errorf("got [%g, %g]: want a width", got.Low, got.High)
				}
			})
		}
	}
	// A figure that is no share or count of events keeps Student t's.
	for _, key := range []string{"calls", "utilisation", "overtime"} {
		k := kpiOf(t, key)
		xv, xb := []float64{3, 3, 3}, []float64{3, 3, 3}
		if got := differenceOf(k, xv, xb, nil, nil); got.Low != 0 || got.High != 0 {
			t.Errorf("%s, every replication equal: [%g, %g], want Student t's [0, 0]", key, got.Low, got.High)
		}
	}
	// A share whose trials differ within a pair (a variant with more
	// calls) has no exact interval of discordant events.
	k := kpiOf(t, "emergencyLostShare")
	if _, _, _, ok := k.exactDiff([]float64{0, 0}, []float64{0, 0}, []float64{100, 100}, []float64{100, 110}, 0.0125); ok {
		t.Error("a share with different trials in a pair has an exact interval of discordant events")
	}
}

// TestExactDiffNoEvents: with no discordant event the interval is ±
// the upper bound of their rate at 1.25%: Garwood's −ln(0.0125) ÷ n for
// a count, Clopper and Pearson's 1 − 0.0125^(1/N) of the N pooled
// trials for a share.
func TestExactDiffNoEvents(t *testing.T) {
	xs := []float64{2, 0, 1, 0, 0}
	lo, hi, events, ok := kpiOf(t, "emergencyLost").exactDiff(xs, xs, nil, nil, 0.0125)
	if want := -math.Log(0.0125) / 5; !ok || events != 0 || math.Abs(hi-want) > 1e-12 || lo != -hi {
		t.Errorf("count: [%g, %g] of %g events, want ±%g of none", lo, hi, events, want)
	}
	shares := []float64{20, 0, 10, 0, 0}
	trials := []float64{10, 10, 10, 10, 10}
	lo, hi, events, ok = kpiOf(t, "emergencyLostShare").exactDiff(shares, shares, trials, trials, 0.0125)
	if want := 100 * -math.Expm1(math.Log(0.0125)/50); !ok || events != 0 || math.Abs(hi-want) > 1e-9 || lo != -hi {
		t.Errorf("share: [%g, %g] of %g events, want ±%g of none", lo, hi, events, want)
	}
}

// TestExactDiffProperties checks exactDiff on random counts against a
// slow reference — the extremes of r(2q − 1) over the four corners of the
// box of the rate's and the split's bounds — and its symmetry: swapping
// the variants negates the interval. differenceOf contains Student t's
// interval always, is it exactly from rareEvents discordant events on
// (where t has a width), and contains the exact one below.
func TestExactDiffProperties(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 1000))
	props.Property("exact interval of discordant events", prop.ForAll(func(seed uint64, n, scale int, share bool) string {
		lv, lb := make([]int, n), make([]int, n)
		x := seed
		next := func() int {
			x = x*6364136223846793005 + 1442695040888963407
			return int(x>>33) % (scale + 1)
		}
		common := 0
		for i := range lv {
			common = next()
			lv[i], lb[i] = common+next()/2, common+next()/3
		}
		k := kpiOf(t, "emergencyLost")
		if share {
			k = kpiOf(t, "emergencyLostShare")
		}
		xv, xb, tv, tb := pairOf(k, lv, lb, 40, 7)
		lo, hi, events, ok := k.exactDiff(xv, xb, tv, tb, 0.0125)
		if !ok {
			return "no interval"
		}
		var pos, neg, pooled float64
		for i := range lv {
			d := float64(lv[i] - lb[i])
			pos, neg = pos+max(d, 0), neg+max(-d, 0)
			if share {
				pooled += tv[i]
			}
		}
		if events != pos+neg {
			return fmt.Sprintf("%g events, want %g", events, pos+neg)
		}
		var rlo, rhi float64
		if share {
			rlo, rhi = clopperPearson(events, pooled, 0.0125)
			rlo, rhi = 100*rlo, 100*rhi
		} else {
			rhi = -math.Log(0.0125) // Garwood's upper bound of no event
			if events > 0 {
				rlo, rhi = garwoodRef(events, 0.0125)
			}
			rlo, rhi = rlo/float64(n), rhi/float64(n)
		}
		qlo, qhi := 0.0, 1.0
		if events > 0 {
			qlo, qhi = clopperPearson(pos, events, 0.0125)
		}
		wlo, whi := math.Inf(1), math.Inf(-1)
		for _, r := range []float64{rlo, rhi} {
			for _, q := range []float64{qlo, qhi} {
				wlo, whi = min(wlo, r*(2*q-1)), max(whi, r*(2*q-1))
			}
		}
		near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }
		if !near(lo, wlo) || !near(hi, whi) {
			return fmt.Sprintf("[%g, %g], want the corners' [%g, %g]", lo, hi, wlo, whi)
		}
		// The observed pooled rate of the difference lies inside.
		obs := (pos - neg) / float64(n)
		if share {
			obs = 100 * (pos - neg) / pooled
		}
		if obs < lo-1e-12 || obs > hi+1e-12 {
			return fmt.Sprintf("[%g, %g] leaves out the observed %g", lo, hi, obs)
		}
		slo, shi, _, _ := k.exactDiff(xb, xv, tb, tv, 0.0125)
		if !near(slo, -hi) || !near(shi, -lo) {
			return fmt.Sprintf("swapped: [%g, %g], want [%g, %g]", slo, shi, -hi, -lo)
		}
		ds := make([]float64, n)
		for i := range ds {
			ds[i] = xv[i] - xb[i]
		}
		st, got := estimateOf(k, ds), differenceOf(k, xv, xb, tv, tb)
		switch {
		case got.Low > st.Low || got.High < st.High:
			return fmt.Sprintf("[%g, %g] leaves out Student t's [%g, %g]", got.Low, got.High, st.Low, st.High)
		case events >= rareEvents && st.Low < st.High && got != st:
			return fmt.Sprintf("%g events: [%g, %g], want Student t's [%g, %g]", events, got.Low, got.High, st.Low, st.High)
		case (events < rareEvents || st.Low == st.High) && (got.Low > lo || got.High < hi):
			return fmt.Sprintf("%g events: [%g, %g] leaves out the exact [%g, %g]", events, got.Low, got.High, lo, hi)
		}
		return ""
	}, gen.UInt64(), gen.IntRange(2, 30), gen.IntRange(0, 12), gen.Bool()))
	proptest.Run(t, props)
}

// garwoodRef is Garwood's interval of a Poisson mean from k ≥ 1 events,
// each bound at one-sided level alpha, through the chi-square relation
// solved by bisection on the Poisson tails (no gonum quantile).
func garwoodRef(k, alpha float64) (lo, hi float64) {
	// P(X ≥ k; lo) = alpha and P(X ≤ k; hi) = alpha.
	cdf := func(k, mu float64) float64 { // P(X ≤ k)
		term, sum := math.Exp(-mu), 0.0
		for i := 0.0; i <= k; i++ {
			if i > 0 {
				term *= mu / i
			}
			sum += term
		}
		return sum
	}
	lo = bisect(func(mu float64) float64 { return alpha - (1 - cdf(k-1, mu)) }, 0, 10*k+50)
	hi = bisect(func(mu float64) float64 { return cdf(k, mu) - alpha }, 0, 10*k+50)
	return lo, hi
}

// TestExactNoteNamesTheThreshold: the reports' note says the rule's
// threshold as differenceOf applies it.
func TestExactNoteNamesTheThreshold(t *testing.T) {
	if want := "fewer than " + strconv.Itoa(rareEvents) + " events"; !strings.Contains(exactNote, want) {
		t.Errorf("exactNote does not say %q: %s", want, exactNote)
	}
}
