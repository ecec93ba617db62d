package sim_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/sim"
)

// poolSums checks run r's per-unit window figures against its fleet-wide
// ones: a group's units carry the same figures (the pool's), and the sums
// over the pools (a group once, every other unit) of booked jobs are the
// fleet's, of booked minutes too but for rounding, and of capacity too
// when exact. It returns the sums' excess over the fleet's
// capacity per window and what is wrong.
func poolSums(r *sim.Run, units []sim.Label, exact bool) (excess []int64, errs []string) {
	name := fmt.Sprintf("%s/rep %d", r.Variant, r.Replication)
	if len(r.UnitWindows) != len(units) {
		return nil, []string{fmt.Sprintf("%s: %d business units' window figures for %d units", name, len(r.UnitWindows), len(units))}
	}
	seen := map[int64]int{} // a pool's first unit → its row
	ungrouped := 0
	sum := make([]sim.Window, len(r.Windows))
	for ui, uw := range r.UnitWindows {
		if len(uw.Windows) != len(r.Windows) {
			return nil, []string{fmt.Sprintf("%s: unit %d has %d windows, the fleet %d", name, units[ui].ID, len(uw.Windows), len(r.Windows))}
		}
		if len(uw.Pool) > 0 {
			if !slices.Contains(uw.Pool, units[ui].ID) {
				errs = append(errs, fmt.Sprintf("%s: unit %d's pool %v does not hold it", name, units[ui].ID, uw.Pool))
			}
			if first, ok := seen[uw.Pool[0]]; ok {
				if !slices.Equal(r.UnitWindows[first].Windows, uw.Windows) {
					errs = append(errs, fmt.Sprintf("%s: units %d and %d share pool %v but not its figures:\n%v\n%v", name, units[first].ID, units[ui].ID, uw.Pool,
						r.UnitWindows[first].Windows, uw.Windows))
				}
				continue
			}
			seen[uw.Pool[0]] = ui
		} else {
			ungrouped++
		}
		for wi, w := range uw.Windows {
			if w.Window != r.Windows[wi].Window {
				errs = append(errs, fmt.Sprintf("%s: unit %d's window %d is %s, the fleet's %s", name, units[ui].ID, wi, w.Window, r.Windows[wi].Window))
			}
			if w.BookedMinutes < 0 || w.Booked < 0 || w.CapacityMinutes < 0 {
				errs = append(errs, fmt.Sprintf("%s: unit %d, %s: negative figures %+v", name, units[ui].ID, w.Window, w))
			}
			sum[wi].CapacityMinutes += w.CapacityMinutes
			sum[wi].BookedMinutes += w.BookedMinutes
			sum[wi].Booked += w.Booked
		}
	}
	for wi, f := range r.Windows {
		s := sum[wi]
		excess = append(excess, s.CapacityMinutes-f.CapacityMinutes)
		// Booked minutes are whole minutes of each slot, rounded down, so
		// the pools' sum may lie below the fleet's by up to a minute per
		// slot and pool but one.
		short := f.BookedMinutes - s.BookedMinutes
		ok := s.Booked == f.Booked && short >= 0 && short <= int64((len(seen)+ungrouped-1)*len(r.Days)) && (!exact || s.CapacityMinutes == f.CapacityMinutes)
		if !ok {
			errs = append(errs, fmt.Sprintf("%s, %s: pools sum to capacity %d, booked %d min, %d jobs; the fleet's %d, %d, %d (exact: %v)", name, f.Window,
				s.CapacityMinutes, s.BookedMinutes, s.Booked, f.CapacityMinutes, f.BookedMinutes, f.Booked, exact))
		}
	}
	return excess, errs
}

// TestUnitWindowFill: with calls for HVAC only (docs/simulation.md's
// example mix), the fleet's windows look half full while HVAC's pool
// (units 1 and 4, the demo's group) is nearly full and Plumbing's and
// Electrical's are empty; the figures add up to the fleet's in every run
// (every technician has a unit), the summary, text, HTML and CSV show
// them, and the fleet-wide figures do not move.
func TestUnitWindowFill(t *testing.T) {
	s := sim.Default()
	s.Variants = nil
	s.Start, s.Days, s.WarmupDays, s.Replications = "2027-06-01", 14, 7, 3
	s.Demand.JobTypes = map[string]float64{"101": 22, "103": 3}
	res := simulate(t, s, demoData(t), sim.Options{})
	for _, r := range res.Runs {
		_, errs := poolSums(r, res.Labels.BusinessUnits, true)
		for _, e := range errs {
			t.Error(e)
		}
		for ui, uw := range r.UnitWindows {
			id := res.Labels.BusinessUnits[ui].ID
			if want := (id == 1 || id == 4); want != slices.Equal(uw.Pool, []int64{1, 4}) {
				t.Errorf("rep %d: unit %d's pool is %v", r.Replication, id, uw.Pool)
			}
			for _, w := range uw.Windows {
				if (id == 2 || id == 3) && (w.BookedMinutes != 0 || w.Booked != 0 || w.CapacityMinutes == 0) {
					t.Errorf("rep %d: unit %d, %s: %+v; want capacity and no bookings", r.Replication, id, w.Window, w)
				}
			}
		}
	}
	v := res.Summary.Variants[0]
	if len(v.UnitWindows) != 4 || len(v.UnitWindows[0].Windows) != len(v.Windows) {
		t.Fatalf("summary: %d units' window figures", len(v.UnitWindows))
	}
	hvac, plumbing := v.UnitWindows[0].Windows[0], v.UnitWindows[1].Windows[0]
	fleet := v.Windows[0].BookedMinutes.Mean / v.Windows[0].CapacityMinutes.Mean * 100
	if hvac.Fill.Mean < 80 || plumbing.Fill.Mean != 0 || fleet > 60 || hvac.Fill.Low > hvac.Fill.Mean || hvac.Fill.High < hvac.Fill.Mean {
		t.Errorf("08:00-10:00: HVAC's pool %.1f%% [%.1f, %.1f], Plumbing %.1f%%, the fleet %.1f%%: want HVAC ≥ 80%%, Plumbing 0, the fleet ≤ 60%%",
			hvac.Fill.Mean, hvac.Fill.Low, hvac.Fill.High, plumbing.Fill.Mean, fleet)
	}
	if got := hvac.BookedMinutes.Mean / hvac.CapacityMinutes.Mean * 100; got < hvac.Fill.Low-5 || got > hvac.Fill.High+5 {
		t.Errorf("HVAC's fill %.1f%%, its means' ratio %.1f%%", hvac.Fill.Mean, got)
	}

	var text, page, sheet bytes.Buffer
	for _, w := range []struct {
		f   func(*bytes.Buffer, *sim.Result) error
		buf *bytes.Buffer
	}{{func(b *bytes.Buffer, r *sim.Result) error { return sim.WriteText(b, r) }, &text},
		{func(b *bytes.Buffer, r *sim.Result) error { return sim.WriteHTML(b, r) }, &page},
		{func(b *bytes.Buffer, r *sim.Result) error { return sim.WriteUnitWindowsCSV(b, r) }, &sheet}} {
		if err := w.f(w.buf, res); err != nil {
			t.Fatal(err)
		}
	}
	cell := fmt.Sprintf("%.1f ±%.1f", hvac.Fill.Mean, (hvac.Fill.High-hvac.Fill.Low)/2)
	for _, want := range []string{"Window fill by business unit: baseline", "1 HVAC Service †", "4 HVAC Maintenance †", "(units 1, 4)", cell} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text report has no %q:\n%s", want, text.String())
		}
	}
	for _, line := range strings.Split(text.String(), "\n") {
		if n := len([]rune(line)); n > sim.TextWidth {
			t.Errorf("a text line of %d runes: %q", n, line)
		}
	}
	for _, want := range []string{"<h2>Window fill by business unit</h2>", `<table class="fill"><caption>baseline</caption>`, fmt.Sprintf("%.1f%% <small>", hvac.Fill.Mean)} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the HTML report has no %q", want)
		}
	}
	rows, err := csv.NewReader(&sheet).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+4*len(v.Windows) || rows[0][9] != "fill_pct" {
		t.Fatalf("CSV: %d rows, header %v", len(rows), rows[0])
	}
	if r := rows[1]; r[0] != "baseline" || r[1] != "1" || r[3] != "1 4" || r[4] != v.Windows[0].Window || r[5] != "3" || r[9] != fmt.Sprintf("%.3f", hvac.Fill.Mean) {
		t.Errorf("CSV: first row %v", r)
	}

	// The fleet-wide JSON is the same with or without the new figures.
	without := *res
	without.Runs = nil
	for _, r := range res.Runs {
		c := *r
		c.UnitWindows = nil
		without.Runs = append(without.Runs, &c)
	}
	sum := *res.Summary
	sum.Variants = slices.Clone(sum.Variants)
	for i := range sum.Variants {
		sum.Variants[i].UnitWindows = nil
	}
	without.Summary = &sum
	var a, b bytes.Buffer
	if err := sim.WriteJSON(&a, res); err != nil {
		t.Fatal(err)
	}
	if err := sim.WriteJSON(&b, &without); err != nil {
		t.Fatal(err)
	}
	var full map[string]any
	if err := json.Unmarshal(a.Bytes(), &full); err != nil {
		t.Fatal(err)
	}
	for _, r := range full["runs"].([]any) {
		delete(r.(map[string]any), "unitWindows")
	}
	for _, v := range full["summary"].(map[string]any)["variants"].([]any) {
		delete(v.(map[string]any), "unitWindows")
	}
	var old map[string]any
	if err := json.Unmarshal(b.Bytes(), &old); err != nil {
		t.Fatal(err)
	}
	x, _ := json.Marshal(full)
	y, _ := json.Marshal(old)
	if !bytes.Equal(x, y) {
		t.Error("the JSON without unitWindows differs from the result without the figures")
	}
	if !strings.Contains(a.String(), `"unitWindows"`) || strings.Contains(b.String(), `"unitWindows"`) {
		t.Error("unitWindows is not in the JSON, or is without figures")
	}
}

// TestUnitWindowsPools is the invariant as a property, over random
// business-unit groups, adjustments of a unit or a group (either sign)
// and seeds. Every technician has a business unit (the engine refuses one
// without), so: the units of a group carry its pool's figures; the pools'
// booked minutes and booked jobs sum to exactly the fleet's, and so do
// their capacities when the adjustment adds; one that takes away can take
// a pool's capacity below zero, which counts as zero, so the pools then
// sum to at least the fleet's. An adjustment for every request (no unit,
// no group) is the exception, and the test below pins it down.
func TestUnitWindowsPools(t *testing.T) {
	base := demoData(t)
	props := gopter.NewProperties(proptest.Params(t, 100))
	groupings := [][][]int64{nil, {{1, 4}}, {{2, 3}}, {{1, 2}, {3, 4}}, {{1, 2, 3, 4}}}
	cases := 0
	props.Property("pools sum to the fleet", prop.ForAll(func(g int, adjUnit int, adjMin int, seed uint64) bool {
		d := base
		d.BusinessUnitGroups = nil
		for gi, units := range groupings[g] {
			d.BusinessUnitGroups = append(d.BusinessUnitGroups, capacity.BusinessUnitGroup{ID: int64(gi + 1), Name: fmt.Sprint("G", gi+1), BusinessUnitIDs: units})
		}
		// The demo's group adjustment (in March) goes when its group does.
		d.CapacityAdjustments = slices.DeleteFunc(slices.Clone(base.CapacityAdjustments), func(a capacity.Adjustment) bool {
			return a.BusinessUnitGroupID != 0 && len(d.BusinessUnitGroups) == 0
		})
		s := sim.Default()
		s.Start, s.Days, s.WarmupDays, s.Replications, s.Seed = "2027-06-01", 10, 7, 2, seed
		adj := &sim.AddAdjustments{From: "08:00", To: "10:00", Minutes: adjMin, BusinessUnit: int64(adjUnit)}
		if adjUnit == 0 && len(d.BusinessUnitGroups) > 0 {
			adj.Group = 1
		} else if adjUnit == 0 {
			adj.BusinessUnit = 2
		}
		s.Variants = []sim.Variant{{Name: "adjusted", Changes: []sim.Change{{AddAdjustments: adj}}}}
		res, err := sim.Simulate(s, d, sim.Options{Workers: 1})
		if err != nil {
			t.Log(err)
			return false
		}
		ok := true
		for _, r := range res.Runs {
			excess, errs := poolSums(r, res.Labels.BusinessUnits, adjMin > 0)
			if slices.ContainsFunc(excess, func(x int64) bool { return x < 0 }) {
				errs = append(errs, fmt.Sprintf("%s/rep %d: pools' capacity below the fleet's by %v", r.Variant, r.Replication, excess))
			}
			for _, e := range errs {
				t.Log(e)
				ok = false
			}
		}
		cases++
		return ok
	}, gen.IntRange(0, len(groupings)-1), gen.IntRange(0, 4), gen.IntRange(-600, 120).SuchThat(func(m int) bool { return m != 0 }), gen.UInt64Range(1, 1<<20)))
	proptest.Run(t, props)
	t.Logf("%d studies", cases)
}

// TestUnitWindowsEveryRequestAdjustment: an adjustment for every request
// (no unit, no group) adds to the capacity of every unit's request, as
// the engine reports it, and once to the fleet's: the pools then sum to
// the fleet's capacity and (number of pools − 1) × the adjustment more.
func TestUnitWindowsEveryRequestAdjustment(t *testing.T) {
	s := sim.Default()
	s.Start, s.Days, s.WarmupDays, s.Replications = "2027-06-01", 14, 7, 2
	s.Variants = []sim.Variant{{Name: "60 minutes more on weekday mornings", Changes: []sim.Change{{AddAdjustments: &sim.AddAdjustments{
		Weekdays: []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}, From: "08:00", To: "10:00", Minutes: 60}}}}}
	res := simulate(t, s, demoData(t), sim.Options{})
	base, adj := res.Runs[0], res.Runs[1]
	const pools, weekdays = 3, 5 // {1, 4}, 2, 3; five measured weekdays
	excess, errs := poolSums(adj, res.Labels.BusinessUnits, false)
	// Only the capacity sums above the fleet's.
	for _, e := range errs {
		if !strings.Contains(e, "pools sum to") {
			t.Error(e)
		}
	}
	if adj.Windows[0].CapacityMinutes != base.Windows[0].CapacityMinutes+60*weekdays || excess[0] != (pools-1)*60*weekdays {
		t.Errorf("08:00-10:00: fleet %d → %d minutes, the pools above it by %d; want +%d and %d", base.Windows[0].CapacityMinutes, adj.Windows[0].CapacityMinutes,
			excess[0], 60*weekdays, (pools-1)*60*weekdays)
	}
	for ui := range adj.UnitWindows {
		if a, b := adj.UnitWindows[ui].Windows[0].CapacityMinutes, base.UnitWindows[ui].Windows[0].CapacityMinutes; a != b+60*weekdays {
			t.Errorf("unit %d: %d → %d minutes, want +%d", res.Labels.BusinessUnits[ui].ID, b, a, 60*weekdays)
		}
	}
}

// TestUnitWindowsWorkers: the per-unit window figures are the same for any
// number of workers and across shards merged.
func TestUnitWindowsWorkers(t *testing.T) {
	s := sim.Default()
	s.Replications, s.Days = 4, 10
	d := demoData(t)
	figures := func(r *sim.Result) string {
		b, err := json.Marshal([]any{r.Summary.Variants[0].UnitWindows, r.Summary.Variants[1].UnitWindows, r.Runs[3].UnitWindows})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	one := figures(simulate(t, s, d, sim.Options{Workers: 1}))
	if !strings.Contains(one, `"fill"`) {
		t.Fatalf("no per-unit window figures: %s", one)
	}
	if three := figures(simulate(t, s, d, sim.Options{Workers: 3})); three != one {
		t.Error("1 and 3 workers give different per-unit window figures")
	}
	var parts []*sim.Result
	for i := range 2 {
		parts = append(parts, simulate(t, s, d, sim.Options{Shard: i, Shards: 2, Workers: 2}))
	}
	merged, err := sim.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	if figures(merged) != one {
		t.Error("merged shards give different per-unit window figures")
	}

	// A part whose runs do not line up with the study's units is refused.
	parts[1].Runs[0].UnitWindows = parts[1].Runs[0].UnitWindows[:3]
	if _, err := sim.Merge(parts...); err == nil || !strings.Contains(err.Error(), "3 business-unit window figures for 4 business units") {
		t.Errorf("merging a run with 3 units' window figures: %v", err)
	}
	parts[1].Runs[0].UnitWindows = parts[1].Runs[1].UnitWindows
	parts[1].Runs[1].UnitWindows = slices.Clone(parts[1].Runs[1].UnitWindows)
	parts[1].Runs[1].UnitWindows[2].Windows = parts[1].Runs[1].UnitWindows[2].Windows[:1]
	if _, err := sim.Merge(parts...); err == nil || !strings.Contains(err.Error(), "unitWindows[2]: 1 window figures for 4 windows") {
		t.Errorf("merging a run with a unit of 1 window: %v", err)
	}
}
