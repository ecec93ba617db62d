package sim

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/opendispatch/dispatch/capacity"
)

// TestBaselineIndependentOfVariants: the baseline's figures do not depend
// on which variants are in the study (review 5, finding 9: s/a.json,
// s/b.json and s/c.json gave the baseline 1020 bookings alone and with a
// ×0.5 variant, 982.7 beside a ×2 one, the candidates thinned from an
// envelope at the study's largest scale).
func TestBaselineIndependentOfVariants(t *testing.T) {
	s := Default()
	s.Days, s.Replications = 12, 3
	baseline := func(variants ...Variant) []byte {
		s.Variants = variants
		res, err := Simulate(s, demoDataInternal(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var runs []*Run
		for i := 0; i < len(res.Runs); i += len(variants) + 1 {
			runs = append(runs, res.Runs[i])
		}
		out, err := json.Marshal(runs)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	f := func(x float64) *float64 { return &x }
	alone := baseline()
	for _, vs := range [][]Variant{
		{{Name: "x2", Changes: []Change{{ScaleDemand: f(2)}}}},
		{{Name: "x0.5", Changes: []Change{{ScaleDemand: f(0.5)}}}},
		{{Name: "x3.7", Changes: []Change{{ScaleDemand: f(3.7)}}}, {Name: "x1.5", Changes: []Change{{ScaleDemand: f(1.5)}}}},
	} {
		if got := baseline(vs...); string(got) != string(alone) {
			t.Errorf("the baseline beside %s differs from the baseline alone", vs[0].Name)
		}
	}
}

// TestLayersNest: the calls of a world with more demand are a superset
// of those with less, call by call (time and duration), and their number
// follows the scale: the layered candidates keep common random numbers
// and the rate.
func TestLayersNest(t *testing.T) {
	s := Default()
	s.Days, s.WarmupDays, s.Replications = 10, 1, 2
	s.Variants = nil
	base := demoDataInternal(t)
	slices.SortFunc(base.Technicians, func(a, b capacity.Technician) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(base.JobTypes, func(a, b capacity.JobType) int { return cmp.Compare(a.ID, b.ID) })
	b, err := newWorld(&s, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	type call struct{ at, dur int64 }
	calls := func(scale float64, rep int) []call {
		w := b
		if scale != 1 {
			if w, err = newWorld(&s, base, &Variant{Name: "v", Changes: []Change{{ScaleDemand: &scale}}}); err != nil {
				t.Fatal(err)
			}
		}
		w.setEnvelope(b.maxRate)
		r, err := newRep(w, rep, false)
		if err != nil {
			t.Fatal(err)
		}
		var out []call
		r.onCall = func(now, actual int64) { out = append(out, call{now, actual}) }
		r.run()
		return out
	}
	var n1, n25 int
	for rep := range 4 {
		prev := calls(1, rep)
		n1 += len(prev)
		for _, scale := range []float64{1.6, 2.5, 7} {
			cur := calls(scale, rep)
			if scale == 2.5 {
				n25 += len(cur)
			}
			have := map[call]int{}
			for _, c := range cur {
				have[c]++
			}
			for _, c := range prev {
				if have[c] == 0 {
					t.Fatalf("replication %d: a call at %d of %d s at the lower scale is missing at ×%v", rep, c.at, c.dur, scale)
				}
				have[c]--
			}
			prev = cur
		}
	}
	// n25 ~ Poisson(2.5 λ): within 5 standard deviations of 2.5 n1.
	if want := 2.5 * float64(n1); math.Abs(float64(n25)-want) > 5*math.Sqrt(want*1.5) {
		t.Errorf("×2.5 gave %d calls against %d at ×1", n25, n1)
	}
}
