package sim_test

// Metamorphic properties of the simulator: its answers do not depend on
// things that must not matter (the order of the tenant's records, their
// ids, the week the study runs in, records nothing uses) and move the
// right way with things that must (staff, demand, the ideal percentage).

import (
	"bytes"
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
			props := gopter.NewProperties(proptest.Params(t, 100))
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
