package sim_test

// Metamorphic properties of the simulator: its answers do not depend on
// things that must not matter (the order of the tenant's records, their
// ids, the week the study runs in, records nothing uses) and move the
// right way with things that must (staff, demand, the ideal percentage).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

// outputs writes res in every format the command line has, named.
func outputs(t testing.TB, res *sim.Result) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer, *sim.Result) error
	}{
		{"json", func(b *bytes.Buffer, r *sim.Result) error { return sim.WriteJSON(b, r) }},
		{"text", func(b *bytes.Buffer, r *sim.Result) error { return sim.WriteText(b, r) }},
		{"csv", func(b *bytes.Buffer, r *sim.Result) error { return sim.WriteCSV(b, r) }},
		{"csv-windows", func(b *bytes.Buffer, r *sim.Result) error { return sim.WriteUnitWindowsCSV(b, r) }},
		{"html", func(b *bytes.Buffer, r *sim.Result) error { return sim.WriteHTML(b, r) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b, res); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		out[f.name] = b.Bytes()
	}
	return out
}

var formats = []string{"json", "text", "csv", "csv-windows", "html"}

// firstDiff describes where a and b first differ: the line of each.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  want %.300s\n  got  %.300s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(bl), len(al))
}

// sameOutputs reports (with t.Log) every format in which got differs from
// want, and whether none does.
func sameOutputs(t testing.TB, what string, want, got map[string][]byte) bool {
	t.Helper()
	ok := true
	for _, f := range formats {
		if !bytes.Equal(want[f], got[f]) {
			t.Logf("%s: %s differs at %s", what, f, firstDiff(want[f], got[f]))
			ok = false
		}
	}
	return ok
}

// shuffle permutes xs with g.
func shuffle[T any](g *rand.Rand, xs []T) {
	g.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
}

// shuffleFile permutes, in place, every list of f whose order the tenant
// format gives no meaning: the records of every kind and, inside them,
// the sets (skills, zones, units, zips, cities, weekdays, job types of a
// rule). A job type's businessUnitIds keep their first: the simulator
// books the job type's calls for the first unit listed (documented on
// capacity.JobType), the rest are a set.
func shuffleFile(g *rand.Rand, f *tenant.File) {
	shuffle(g, f.BusinessHours.Weekdays)
	for i := range f.BusinessHours.Weekdays {
		shuffle(g, f.BusinessHours.Weekdays[i].TimeSlots)
	}
	shuffle(g, f.Exceptions)
	for i := range f.Exceptions {
		shuffle(g, f.Exceptions[i].TimeSlots)
	}
	shuffle(g, f.ArrivalWindows)
	for i := range f.ArrivalWindows {
		shuffle(g, f.ArrivalWindows[i].Weekdays)
		shuffle(g, f.ArrivalWindows[i].BusinessUnitIDs)
	}
	shuffle(g, f.BusinessUnits)
	shuffle(g, f.BusinessUnitGroups)
	for i := range f.BusinessUnitGroups {
		shuffle(g, f.BusinessUnitGroups[i].BusinessUnitIDs)
	}
	shuffle(g, f.JobTypes)
	for i := range f.JobTypes {
		shuffle(g, f.JobTypes[i].Skills)
		if u := f.JobTypes[i].BusinessUnitIDs; len(u) > 1 {
			shuffle(g, u[1:])
		}
	}
	shuffle(g, f.CapacityRules)
	for i := range f.CapacityRules {
		shuffle(g, f.CapacityRules[i].JobTypeIDs)
		shuffle(g, f.CapacityRules[i].BusinessUnitIDs)
	}
	shuffle(g, f.CapacityAdjustments)
	shuffle(g, f.Zones)
	for i := range f.Zones {
		shuffle(g, f.Zones[i].Zips)
		shuffle(g, f.Zones[i].Cities)
	}
	shuffle(g, f.Technicians)
	for i := range f.Technicians {
		shuffle(g, f.Technicians[i].Skills)
		shuffle(g, f.Technicians[i].ZoneIDs)
	}
	shuffle(g, f.Shifts)
	shuffle(g, f.Appointments)
	shuffle(g, f.Assignments)
	shuffle(g, f.GPSPings)
}

// shuffleData permutes the lists of d, a copy, as shuffleFile does the
// file's: sim.Simulate takes capacity.Data, which an embedding program
// may build in any order. The schedule and zones are built values and
// stay; the file-level shuffle reaches their lists.
func shuffleData(g *rand.Rand, d capacity.Data) capacity.Data {
	d.BusinessUnits = shuffled(g, d.BusinessUnits)
	d.BusinessUnitGroups = shuffled(g, d.BusinessUnitGroups)
	for i := range d.BusinessUnitGroups {
		d.BusinessUnitGroups[i].BusinessUnitIDs = shuffled(g, d.BusinessUnitGroups[i].BusinessUnitIDs)
	}
	d.JobTypes = shuffled(g, d.JobTypes)
	for i := range d.JobTypes {
		jt := &d.JobTypes[i]
		jt.Skills = shuffled(g, jt.Skills)
		jt.BusinessUnitIDs = slices.Clone(jt.BusinessUnitIDs)
		if len(jt.BusinessUnitIDs) > 1 {
			// The first is the unit the job type's calls book in.
			shuffle(g, jt.BusinessUnitIDs[1:])
		}
	}
	d.CapacityRules = shuffled(g, d.CapacityRules)
	for i := range d.CapacityRules {
		d.CapacityRules[i].JobTypeIDs = shuffled(g, d.CapacityRules[i].JobTypeIDs)
		d.CapacityRules[i].BusinessUnitIDs = shuffled(g, d.CapacityRules[i].BusinessUnitIDs)
	}
	d.CapacityAdjustments = shuffled(g, d.CapacityAdjustments)
	d.Technicians = shuffled(g, d.Technicians)
	for i := range d.Technicians {
		d.Technicians[i].Skills = shuffled(g, d.Technicians[i].Skills)
		d.Technicians[i].ZoneIDs = shuffled(g, d.Technicians[i].ZoneIDs)
	}
	d.Shifts = shuffled(g, d.Shifts)
	d.Appointments = shuffled(g, d.Appointments)
	d.Assignments = shuffled(g, d.Assignments)
	return d
}

// shuffled returns a shuffled copy of xs (nil stays nil).
func shuffled[T any](g *rand.Rand, xs []T) []T {
	if xs == nil {
		return nil
	}
	out := append([]T(nil), xs...)
	shuffle(g, out)
	return out
}

// metaStudy is a small study of the demo that touches every kind of
// record: the default variant (two technicians like 101), the tenant's
// own book kept (appointments and assignments), the demo's capacity
// controls (groups, reserves, rules, adjustments), the pro policy.
func metaStudy() sim.Scenario {
	s := sim.Default()
	s.Days, s.WarmupDays, s.Replications = 8, 2, 2
	s.Tenant.KeepAppointments = true
	return s
}

// synthStudy is a small study of a synthetic tenant of the small profile.
func synthStudy() sim.Scenario {
	s := sim.Default()
	s.Name = "synthetic"
	s.Start, s.Days, s.WarmupDays, s.Replications = synth.DefaultStart.String(), 8, 2, 2
	s.Roster = sim.Roster{TemplateStart: synth.DefaultStart.String(), TemplateWeeks: 1}
	s.Demand.JobTypes = nil
	s.Demand.CallsPerDay = 40
	s.Tenant.KeepAppointments = true
	s.Variants = nil
	return s
}

// fileData builds f (a copy is not needed: Build does not keep it) and
// returns the engine's records, as the command line does.
func fileData(t testing.TB, f *tenant.File) capacity.Data {
	t.Helper()
	ten, err := tenant.Build(f)
	if err != nil {
		t.Fatal(err)
	}
	return ten.Engine.Data()
}

func demoFile(t testing.TB) *tenant.File {
	t.Helper()
	f, err := tenant.Decode(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func synthFile(t testing.TB, seed uint64) *tenant.File {
	t.Helper()
	p, err := synth.ProfileNamed("small")
	if err != nil {
		t.Fatal(err)
	}
	f, err := synth.Generate(p, seed)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// run simulates s over d and returns its outputs.
func run(t testing.TB, s sim.Scenario, d capacity.Data) map[string][]byte {
	t.Helper()
	res, err := sim.Simulate(s, d, sim.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return outputs(t, res)
}

// TestRecordOrder: shuffling every list of the tenant — in the file, as
// the command line reads it, and in the capacity.Data given to
// sim.Simulate — gives byte-identical results in every format, for the
// demo and for synthetic tenants.
func TestRecordOrder(t *testing.T) {
	type tenantCase struct {
		name  string
		file  func() *tenant.File
		study sim.Scenario
	}
	cases := []tenantCase{
		{"demo", func() *tenant.File { return demoFile(t) }, metaStudy()},
		{"synth small seed 3", func() *tenant.File { return synthFile(t, 3) }, synthStudy()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := run(t, tc.study, fileData(t, tc.file()))
			props := gopter.NewProperties(metaParams(t))
			n := 0
			props.Property("same bytes", prop.ForAll(func(seed uint64, level bool) bool {
				g := rand.New(rand.NewPCG(seed, 0x5eed))
				var d capacity.Data
				what := fmt.Sprintf("seed %#x", seed)
				if level {
					f := tc.file()
					shuffleFile(g, f)
					d = fileData(t, f)
					what += " (file)"
				} else {
					d = shuffleData(g, fileData(t, tc.file()))
					what += " (records)"
				}
				n++
				return sameOutputs(t, what, want, run(t, tc.study, d))
			}, gen.UInt64(), gen.Bool()))
			proptest.Run(t, props)
			t.Logf("%d shuffles", n)
		})
	}
}

// commuting is a pool of variant changes of the demo, each acting on
// something no other one touches, so that any subset gives the same
// study in any order: scaleDemand and scaleDurations factors multiply
// (in any order: the docs say the factors multiply, not in what order);
// settings of different units, groups, job types and policies; rules and
// adjustments with their own ids and windows; technicians removed, added
// (one change only: technicians added take ids after the tenant's
// highest in the order of the changes, and ties go to the lowest id),
// moved or cut in units where no other change of the pool reaches them.
// Changes whose order is meaningful — two settings of one value,
// addTechnicians beside reduceTechnicians or shiftHours of the same
// unit, a group beside a unit's reserve it would replace — are not in it.
func commuting() []sim.Change {
	f := func(x float64) *float64 { return &x }
	no, horizon, policy := false, 5, "nearest"
	return []sim.Change{
		{ScaleDemand: f(1.1)},
		{ScaleDemand: f(0.7)},
		{ScaleDemand: f(1.3)},
		{ScaleDurations: f(1.2)},
		{ScaleDurations: f(0.9)},
		{ScaleDurations: f(1.1)},
		{IdealBooking: &sim.IdealBooking{BusinessUnit: 2, Percentage: 70}},
		{IdealBooking: &sim.IdealBooking{BusinessUnit: 3, Percentage: 95}},
		{ReservePercentage: &sim.ReservePercentage{BusinessUnit: 2, Percentage: 10}},
		{ReservePercentage: &sim.ReservePercentage{Group: 1, Percentage: 20}},
		{TravelBuffer: &sim.TravelBuffer{Minutes: 15}},
		{TravelBuffer: &sim.TravelBuffer{JobType: 201, Minutes: 30}},
		{JobTypeDuration: &sim.JobTypeDuration{JobType: 301, Minutes: 120}},
		{AddCapacityRule: &sim.CapacityRule{ID: 7, JobTypes: []int64{101, 201, 301}, BusinessUnits: []int64{2, 3}, MaxPercentage: 60}},
		{AddCapacityRule: &sim.CapacityRule{ID: 8, JobTypes: []int64{102, 203}, MaxPercentage: 50}},
		{AddAdjustments: &sim.AddAdjustments{Weekdays: []string{"Monday", "Wednesday"}, From: "08:00", To: "10:00", BusinessUnit: 2, Minutes: 60}},
		{AddAdjustments: &sim.AddAdjustments{Weekdays: []string{"Tuesday", "Thursday", "Friday"}, From: "14:00", To: "16:00", Group: 1, Minutes: -60}},
		{AddAdjustments: &sim.AddAdjustments{From: "10:00", To: "12:00", Minutes: 30}},
		{RemoveTechnicians: &sim.RemoveTechnicians{IDs: []int64{202, 108, 305}}},
		{OfferExceeding: &no},
		{PreferredShare: f(0.6)},
		{BookingHorizonDays: &horizon},
		{DispatchPolicy: &policy},
		{DemandMix: &sim.DemandMix{Zones: map[string]float64{"1": 2, "2": 1, "3": 1, "4": 1}}},
		{DemandMix: &sim.DemandMix{EmergencyShare: f(0.1)}},
		{AddTechnicians: &sim.AddTechnicians{Count: 2, Like: 201, Weekdays: []string{"Monday", "Friday", "Wednesday"}, From: "07:00", To: "17:00"}},
		{ShiftHours: &sim.ShiftHours{Technicians: []int64{206, 207, 204}, From: "09:00", To: "17:00"}},
		{ReduceTechnicians: &sim.ReduceTechnicians{Count: 1, Like: 301, Weekdays: []string{"Tuesday", "Thursday"}, From: "12:00", To: "17:00"}},
		{BusinessUnitGroup: &sim.BusinessUnitGroup{ID: 2, BusinessUnits: []int64{3, 2}}},
	}
}

// shuffleChange permutes, in place, the lists of c that are sets.
func shuffleChange(g *rand.Rand, c *sim.Change) {
	switch {
	case c.AddTechnicians != nil:
		shuffle(g, c.AddTechnicians.Weekdays)
	case c.ReduceTechnicians != nil:
		shuffle(g, c.ReduceTechnicians.Weekdays)
	case c.RemoveTechnicians != nil:
		shuffle(g, c.RemoveTechnicians.IDs)
	case c.ShiftHours != nil:
		shuffle(g, c.ShiftHours.Technicians)
	case c.AddCapacityRule != nil:
		shuffle(g, c.AddCapacityRule.JobTypes)
		shuffle(g, c.AddCapacityRule.BusinessUnits)
	case c.AddAdjustments != nil:
		shuffle(g, c.AddAdjustments.Weekdays)
	case c.BusinessUnitGroup != nil:
		shuffle(g, c.BusinessUnitGroup.BusinessUnits)
	}
}

// TestChangeOrder: a variant's changes that act on different things, in
// any order and with their sets (weekdays, ids, units, job types) in any
// order, give byte-identical results in every format, the scenario's echo
// aside (the results are written with the scenario as first given).
func TestChangeOrder(t *testing.T) {
	d := fileData(t, demoFile(t))
	pool := commuting()
	props := gopter.NewProperties(metaParams(t))
	n := 0
	props.Property("same bytes", prop.ForAll(func(mask uint32, seed uint64) bool {
		g := rand.New(rand.NewPCG(seed, 0xc4a9))
		var in []sim.Change
		for i := range pool {
			if mask&(1<<i) != 0 {
				in = append(in, pool[i])
			}
		}
		s := metaStudy()
		s.Variants = []sim.Variant{{Name: "changes", Changes: in}}
		res, err := sim.Simulate(s, d, sim.Options{Workers: 1})
		if err != nil {
			t.Log(err)
			return false
		}
		want := outputs(t, res)
		// The same changes, fresh (no list shared with in), in another order.
		fresh := commuting()
		var out []sim.Change
		for i := range fresh {
			if mask&(1<<i) != 0 {
				shuffleChange(g, &fresh[i])
				out = append(out, fresh[i])
			}
		}
		shuffle(g, out)
		s2 := s
		s2.Variants = []sim.Variant{{Name: "changes", Changes: out}}
		res2, err := sim.Simulate(s2, d, sim.Options{Workers: 1})
		if err != nil {
			t.Log(err)
			return false
		}
		res2.Scenario = s
		n++
		return sameOutputs(t, fmt.Sprintf("changes %#x, seed %#x", mask, seed), want, outputs(t, res2))
	}, gen.UInt32Range(0, 1<<len(pool)-1), gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("%d orders", n)
}

// TestVariantOrder: the order of variants is the reports' order, and
// nothing else: each variant's runs, summary and difference from the
// baseline are the same bytes in whatever order the variants come, and
// the warnings the same set. (The baseline's independence of the
// variants beside it is TestBaselineIndependentOfVariants'.)
func TestVariantOrder(t *testing.T) {
	d := fileData(t, demoFile(t))
	pool := commuting()
	s := metaStudy()
	s.Variants = nil
	for i, c := range pool {
		if i%4 == 0 || i == len(pool)-1 {
			s.Variants = append(s.Variants, sim.Variant{Name: fmt.Sprint("v", i), Changes: []sim.Change{c}})
		}
	}
	s.Variants = append(s.Variants, metaStudy().Variants...)
	type figures struct {
		runs, summary, diff []byte
	}
	of := func(res *sim.Result) (map[string]figures, []string) {
		out := map[string]figures{}
		for i, v := range res.Summary.Variants {
			var f figures
			for _, r := range res.Runs {
				if r.Variant == v.Name {
					f.runs = append(f.runs, mustJSON(t, r)...)
				}
			}
			f.summary = mustJSON(t, v)
			if i > 0 {
				f.diff = mustJSON(t, res.Summary.Differences[i-1])
			}
			out[v.Name] = f
		}
		return out, slices.Sorted(slices.Values(res.Warnings))
	}
	want, wantWarn := of(simulate(t, s, d, sim.Options{Workers: 1}))
	g := rand.New(rand.NewPCG(proptest.DefaultSeed, 1))
	for k := range 3 {
		s2 := s
		s2.Variants = shuffled(g, s.Variants)
		got, warn := of(simulate(t, s2, d, sim.Options{Workers: 2}))
		if !slices.Equal(warn, wantWarn) {
			t.Errorf("order %d: warnings %q, want %q", k, warn, wantWarn)
		}
		for name, w := range want {
			g := got[name]
			if !bytes.Equal(g.runs, w.runs) || !bytes.Equal(g.summary, w.summary) || !bytes.Equal(g.diff, w.diff) {
				t.Errorf("order %d: variant %q: runs equal %v, summary %v, difference %v", k, name,
					bytes.Equal(g.runs, w.runs), bytes.Equal(g.summary, w.summary), bytes.Equal(g.diff, w.diff))
			}
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// metaParams are the gopter parameters of the metamorphic properties:
// proptest's (100 cases, its logged seed), but 20 cases under the race
// detector, which slows each study about eightfold; a plain go test
// runs them all.
func metaParams(t *testing.T) *gopter.TestParameters {
	p := proptest.Params(t, 100)
	if raceEnabled {
		p.MinSuccessfulTests = 20
		t.Logf("under the race detector: %d cases", p.MinSuccessfulTests)
	}
	return p
}
