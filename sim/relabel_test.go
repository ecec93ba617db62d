package sim_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/tenant"
)

// idMap renumbers the ids of one kind of record.
type idMap map[int64]int64

func (m idMap) of(id int64) int64 {
	if n, ok := m[id]; ok {
		return n
	}
	return id // 0, "none", and ids of records a variant adds
}

func (m idMap) list(ids []int64) []int64 {
	if ids == nil {
		return nil
	}
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = m.of(id)
	}
	return out
}

// keys renumbers the ids written as the keys of a mix.
func (m idMap) keys(mix map[string]float64) map[string]float64 {
	if mix == nil {
		return nil
	}
	out := map[string]float64{}
	for k, v := range mix {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			panic(err)
		}
		out[strconv.FormatInt(m.of(id), 10)] = v
	}
	return out
}

func (m idMap) inverse() idMap {
	out := idMap{}
	for k, v := range m {
		out[v] = k
	}
	return out
}

// relabelling renumbers technicians, business units, job types and zones.
type relabelling struct{ tech, unit, jobType, zone idMap }

func (r relabelling) inverse() relabelling {
	return relabelling{r.tech.inverse(), r.unit.inverse(), r.jobType.inverse(), r.zone.inverse()}
}

// newIDs maps ids to new ones: monotone (every order by id kept: the new
// ids are increasing, with random gaps up to 10¹²), or a random
// permutation of the same ids.
func newIDs(g *rand.Rand, ids []int64, monotone bool) idMap {
	ids = slices.Sorted(slices.Values(ids))
	m := idMap{}
	if monotone {
		next := int64(0)
		for _, id := range ids {
			next += 1 + g.Int64N([]int64{1, 1000, 1e12}[g.IntN(3)])
			m[id] = next
		}
		return m
	}
	to := slices.Clone(ids)
	shuffle(g, to)
	for i, id := range ids {
		m[id] = to[i]
	}
	return m
}

// apply renumbers every id of f and every reference to one.
func (r relabelling) file(f *tenant.File) {
	for i := range f.ArrivalWindows {
		f.ArrivalWindows[i].BusinessUnitIDs = r.unit.list(f.ArrivalWindows[i].BusinessUnitIDs)
	}
	for i := range f.BusinessUnits {
		f.BusinessUnits[i].ID = r.unit.of(f.BusinessUnits[i].ID)
	}
	for i := range f.BusinessUnitGroups {
		f.BusinessUnitGroups[i].BusinessUnitIDs = r.unit.list(f.BusinessUnitGroups[i].BusinessUnitIDs)
	}
	for i := range f.JobTypes {
		jt := &f.JobTypes[i]
		jt.ID, jt.BusinessUnitIDs = r.jobType.of(jt.ID), r.unit.list(jt.BusinessUnitIDs)
	}
	for i := range f.CapacityRules {
		c := &f.CapacityRules[i]
		c.JobTypeIDs, c.BusinessUnitIDs = r.jobType.list(c.JobTypeIDs), r.unit.list(c.BusinessUnitIDs)
	}
	for i := range f.CapacityAdjustments {
		f.CapacityAdjustments[i].BusinessUnitID = r.unit.of(f.CapacityAdjustments[i].BusinessUnitID)
	}
	for i := range f.Zones {
		f.Zones[i].ID = r.zone.of(f.Zones[i].ID)
	}
	for i := range f.Technicians {
		t := &f.Technicians[i]
		t.ID, t.BusinessUnitID, t.ZoneIDs = r.tech.of(t.ID), r.unit.of(t.BusinessUnitID), r.zone.list(t.ZoneIDs)
	}
	for i := range f.Shifts {
		f.Shifts[i].TechnicianID = r.tech.of(f.Shifts[i].TechnicianID)
	}
	for i := range f.Appointments {
		a := &f.Appointments[i]
		a.JobTypeID, a.BusinessUnitID = r.jobType.of(a.JobTypeID), r.unit.of(a.BusinessUnitID)
	}
	for i := range f.Assignments {
		f.Assignments[i].TechnicianID = r.tech.of(f.Assignments[i].TechnicianID)
	}
	for i := range f.GPSPings {
		f.GPSPings[i].TechnicianID = r.tech.of(f.GPSPings[i].TechnicianID)
	}
}

// scenario returns s with every id it names renumbered; the variants'
// changes are fresh copies.
func (r relabelling) scenario(s sim.Scenario) sim.Scenario {
	s.Demand.JobTypes, s.Demand.Zones = r.jobType.keys(s.Demand.JobTypes), r.zone.keys(s.Demand.Zones)
	s.Execution.ZoneSpeedKmh = r.zone.keys(s.Execution.ZoneSpeedKmh)
	vs := make([]sim.Variant, len(s.Variants))
	for i, v := range s.Variants {
		vs[i] = sim.Variant{Name: v.Name}
		for _, c := range v.Changes {
			vs[i].Changes = append(vs[i].Changes, r.change(c))
		}
	}
	s.Variants = vs
	return s
}

func (r relabelling) change(c sim.Change) sim.Change {
	switch {
	case c.AddTechnicians != nil:
		x := *c.AddTechnicians
		x.Like = r.tech.of(x.Like)
		c.AddTechnicians = &x
	case c.ReduceTechnicians != nil:
		x := *c.ReduceTechnicians
		x.Like = r.tech.of(x.Like)
		c.ReduceTechnicians = &x
	case c.RemoveTechnicians != nil:
		c.RemoveTechnicians = &sim.RemoveTechnicians{IDs: r.tech.list(c.RemoveTechnicians.IDs)}
	case c.ShiftHours != nil:
		x := *c.ShiftHours
		x.Technicians = r.tech.list(x.Technicians)
		c.ShiftHours = &x
	case c.IdealBooking != nil:
		x := *c.IdealBooking
		x.BusinessUnit = r.unit.of(x.BusinessUnit)
		c.IdealBooking = &x
	case c.DemandMix != nil:
		x := *c.DemandMix
		x.JobTypes, x.Zones = r.jobType.keys(x.JobTypes), r.zone.keys(x.Zones)
		c.DemandMix = &x
	case c.JobTypeDuration != nil:
		x := *c.JobTypeDuration
		x.JobType = r.jobType.of(x.JobType)
		c.JobTypeDuration = &x
	case c.ReservePercentage != nil:
		x := *c.ReservePercentage
		x.BusinessUnit = r.unit.of(x.BusinessUnit)
		c.ReservePercentage = &x
	case c.AddCapacityRule != nil:
		x := *c.AddCapacityRule
		x.JobTypes, x.BusinessUnits = r.jobType.list(x.JobTypes), r.unit.list(x.BusinessUnits)
		c.AddCapacityRule = &x
	case c.AddAdjustments != nil:
		x := *c.AddAdjustments
		x.BusinessUnit = r.unit.of(x.BusinessUnit)
		c.AddAdjustments = &x
	case c.TravelBuffer != nil:
		x := *c.TravelBuffer
		x.JobType = r.jobType.of(x.JobType)
		c.TravelBuffer = &x
	case c.BusinessUnitGroup != nil:
		x := *c.BusinessUnitGroup
		x.BusinessUnits = r.unit.list(x.BusinessUnits)
		c.BusinessUnitGroup = &x
	}
	return c
}

// result renumbers, in place, every id a result reports (r is the
// inverse of the relabelling the study ran under) and puts back the
// scenario as first given: the result then reads as the original study's.
func (r relabelling) result(res *sim.Result, s sim.Scenario) {
	res.Scenario = s
	l := &res.Labels
	for i := range l.JobTypes {
		l.JobTypes[i].ID, l.JobTypes[i].BusinessUnitID = r.jobType.of(l.JobTypes[i].ID), r.unit.of(l.JobTypes[i].BusinessUnitID)
	}
	for i := range l.BusinessUnits {
		l.BusinessUnits[i].ID = r.unit.of(l.BusinessUnits[i].ID)
	}
	for i := range l.Zones {
		l.Zones[i].ID = r.zone.of(l.Zones[i].ID)
	}
	for _, run := range res.Runs {
		for i := range run.UnitWindows {
			run.UnitWindows[i].Pool = r.unit.list(run.UnitWindows[i].Pool)
		}
	}
	if res.Summary == nil {
		return
	}
	for _, list := range [][]sim.VariantSummary{res.Summary.Variants, res.Summary.Differences} {
		for vi := range list {
			v := &list[vi]
			for i := range v.Units {
				v.Units[i].ID = r.unit.of(v.Units[i].ID)
			}
			for i := range v.UnitWindows {
				v.UnitWindows[i].ID, v.UnitWindows[i].Pool = r.unit.of(v.UnitWindows[i].ID), r.unit.list(v.UnitWindows[i].Pool)
			}
			if v.Losses != nil {
				for i := range v.Losses.ByJobType {
					v.Losses.ByJobType[i].ID = r.jobType.of(v.Losses.ByJobType[i].ID)
				}
				for i := range v.Losses.ByBusinessUnit {
					v.Losses.ByBusinessUnit[i].ID = r.unit.of(v.Losses.ByBusinessUnit[i].ID)
				}
				for i := range v.Losses.ByZone {
					v.Losses.ByZone[i].ID = r.zone.of(v.Losses.ByZone[i].ID)
				}
			}
		}
	}
}

// idsOf returns the ids of f's technicians, units, job types and zones.
func idsOf(f *tenant.File) (tech, unit, jobType, zone []int64) {
	for _, t := range f.Technicians {
		tech = append(tech, t.ID)
	}
	for _, u := range f.BusinessUnits {
		unit = append(unit, u.ID)
	}
	for _, jt := range f.JobTypes {
		jobType = append(jobType, jt.ID)
	}
	for _, z := range f.Zones {
		zone = append(zone, z.ID)
	}
	return
}

// relabelStudies is the studies renumbered: the demo with a variant of
// every kind that names ids, and a synthetic tenant.
func relabelStudies(t testing.TB) []struct {
	name  string
	file  func() *tenant.File
	study sim.Scenario
} {
	demo := metaStudy()
	demo.Demand.Zones = map[string]float64{"1": 3, "2": 1, "3": 2, "4": 1}
	demo.Execution.ZoneSpeedKmh = map[string]float64{"2": 55}
	var named []sim.Change
	for _, c := range commuting() {
		if c.ScaleDemand == nil && c.ScaleDurations == nil && c.OfferExceeding == nil && c.PreferredShare == nil &&
			c.BookingHorizonDays == nil && c.DispatchPolicy == nil {
			named = append(named, c)
		}
	}
	demo.Variants = append(demo.Variants, sim.Variant{Name: "ids everywhere", Changes: named},
		sim.Variant{Name: "mix", Changes: []sim.Change{{DemandMix: &sim.DemandMix{JobTypes: map[string]float64{"101": 3, "201": 2, "303": 1}}}}})
	return []struct {
		name  string
		file  func() *tenant.File
		study sim.Scenario
	}{
		{"demo", func() *tenant.File { return demoFile(t) }, demo},
		{"synth small seed 5", func() *tenant.File { return synthFile(t, 5) }, synthStudy()},
	}
}

// TestMonotoneRelabelling: renumbering technicians, business units, job
// types and zones so that every order by id is kept gives the same study
// — byte for byte in every format once the result's ids are mapped back.
// (Ids are the tie-breaks and the order of every list the simulator
// draws from: job types, zones, technicians; a monotone renumbering keeps
// them all.)
func TestMonotoneRelabelling(t *testing.T) {
	for _, tc := range relabelStudies(t) {
		t.Run(tc.name, func(t *testing.T) {
			want := run(t, tc.study, fileData(t, tc.file()))
			props := gopter.NewProperties(metaParams(t))
			n := 0
			props.Property("same bytes, ids mapped", prop.ForAll(func(seed uint64) bool {
				g := rand.New(rand.NewPCG(seed, 0x1d5))
				f := tc.file()
				tech, unit, jt, zone := idsOf(f)
				r := relabelling{newIDs(g, tech, true), newIDs(g, unit, true), newIDs(g, jt, true), newIDs(g, zone, true)}
				r.file(f)
				res, err := sim.Simulate(r.scenario(tc.study), fileData(t, f), sim.Options{Workers: 1})
				if err != nil {
					t.Log(err)
					return false
				}
				r.inverse().result(res, tc.study)
				n++
				return sameOutputs(t, fmt.Sprintf("seed %#x", seed), want, outputs(t, res))
			}, gen.UInt64()))
			proptest.Run(t, props)
			t.Logf("%d renumberings", n)
		})
	}
}

// unitsByID puts res's business units back in id order, and every
// breakdown by unit with them, after a renumbering that did not keep the
// units' order has been mapped back; pools list their units by id.
func unitsByID(res *sim.Result) {
	perm := make([]int, len(res.Labels.BusinessUnits)) // new position → old
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(a, b int) int { return cmp.Compare(res.Labels.BusinessUnits[a].ID, res.Labels.BusinessUnits[b].ID) })
	res.Labels.BusinessUnits = permute(res.Labels.BusinessUnits, perm)
	for _, run := range res.Runs {
		run.Units = permute(run.Units, perm)
		run.UnitWindows = permute(run.UnitWindows, perm)
		for i := range run.UnitWindows {
			slices.Sort(run.UnitWindows[i].Pool)
		}
		for i := range run.Days {
			run.Days[i].Units = permute(run.Days[i].Units, perm)
		}
	}
	for _, list := range [][]sim.VariantSummary{res.Summary.Variants, res.Summary.Differences} {
		for vi := range list {
			v := &list[vi]
			v.Units = permute(v.Units, perm)
			v.UnitWindows = permute(v.UnitWindows, perm)
			for i := range v.UnitWindows {
				slices.Sort(v.UnitWindows[i].Pool)
			}
			if v.Losses != nil {
				v.Losses.ByBusinessUnit = permute(v.Losses.ByBusinessUnit, perm)
			}
		}
	}
}

// permute returns xs in the order perm gives (nil stays nil).
func permute[T any](xs []T, perm []int) []T {
	if xs == nil {
		return nil
	}
	if len(xs) != len(perm) {
		panic(fmt.Sprintf("%d rows for %d business units", len(xs), len(perm)))
	}
	out := make([]T, len(xs))
	for i, p := range perm {
		out[i] = xs[p]
	}
	return out
}

// TestUnitRelabelling: business units are no tie-break and no order the
// simulator draws in (job types and zones are; technicians are both), so
// any renumbering of them, monotone or not, gives the same study: byte
// for byte in every format once the ids are mapped back and the units'
// rows put back in id order.
func TestUnitRelabelling(t *testing.T) {
	for _, tc := range relabelStudies(t) {
		t.Run(tc.name, func(t *testing.T) {
			want := run(t, tc.study, fileData(t, tc.file()))
			props := gopter.NewProperties(metaParams(t))
			n := 0
			props.Property("same bytes, ids mapped", prop.ForAll(func(seed uint64) bool {
				g := rand.New(rand.NewPCG(seed, 0x1d6))
				f := tc.file()
				_, unit, _, _ := idsOf(f)
				r := relabelling{idMap{}, newIDs(g, unit, false), idMap{}, idMap{}}
				r.file(f)
				res, err := sim.Simulate(r.scenario(tc.study), fileData(t, f), sim.Options{Workers: 1})
				if err != nil {
					t.Log(err)
					return false
				}
				r.inverse().result(res, tc.study)
				unitsByID(res)
				n++
				return sameOutputs(t, fmt.Sprintf("seed %#x, units %v", seed, r.unit), want, outputs(t, res))
			}, gen.UInt64()))
			proptest.Run(t, props)
			t.Logf("%d renumberings", n)
		})
	}
}
