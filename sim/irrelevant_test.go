package sim_test

import (
	"testing"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/zones"
)

// keepRows keeps, in res, the rows of the business units, zones and job
// types that keep reports true for, and drops the others' (a unit's
// time figures and window fill, its losses; a zone's tallies and losses;
// a job type's tallies per day and losses).
func keepRows(res *sim.Result, keep func(kind string, id int64) bool) {
	pick := func(kind string, labels []sim.Label) []int {
		var out []int
		for i, l := range labels {
			if keep(kind, l.ID) {
				out = append(out, i)
			}
		}
		return out
	}
	units, zs, jts := pick("unit", res.Labels.BusinessUnits), pick("zone", res.Labels.Zones), pick("jobType", res.Labels.JobTypes)
	res.Labels.BusinessUnits = subset(res.Labels.BusinessUnits, units)
	res.Labels.Zones = subset(res.Labels.Zones, zs)
	res.Labels.JobTypes = subset(res.Labels.JobTypes, jts)
	for _, r := range res.Runs {
		r.Units, r.UnitWindows, r.Zones = subset(r.Units, units), subset(r.UnitWindows, units), subset(r.Zones, zs)
		for i := range r.Days {
			r.Days[i].Units, r.Days[i].JobTypes = subset(r.Days[i].Units, units), subset(r.Days[i].JobTypes, jts)
		}
	}
	for _, list := range [][]sim.VariantSummary{res.Summary.Variants, res.Summary.Differences} {
		for vi := range list {
			v := &list[vi]
			v.Units, v.UnitWindows = subset(v.Units, units), subset(v.UnitWindows, units)
			if v.Losses != nil {
				v.Losses.ByBusinessUnit = subset(v.Losses.ByBusinessUnit, units)
				v.Losses.ByZone = subset(v.Losses.ByZone, zs)
				v.Losses.ByJobType = subset(v.Losses.ByJobType, jts)
			}
		}
	}
}

// subset returns the rows of xs at idx (nil stays nil).
func subset[T any](xs []T, idx []int) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, 0, len(idx))
	for _, i := range idx {
		out = append(out, xs[i])
	}
	return out
}

// TestIrrelevantAdditions: a business unit, a zone or a job type that no
// call and no technician uses, and a technician with no shifts, change no
// figure of the others: the study's outputs are byte-identical once the
// new records' own rows are left out. Each alone, and all four at once;
// the unit's and the zone's ids after the tenant's, between two of them
// and before them all (the others renumbered in order to make room), and
// the technician's likewise.
func TestIrrelevantAdditions(t *testing.T) {
	s := metaStudy()
	s.Variants = relabelStudies(t)[0].study.Variants
	// Calls come from the tenant's zones only: an empty zone mix weighs
	// every active zone, a new one included.
	s.Demand.Zones = map[string]float64{"1": 3, "2": 1, "3": 2, "4": 1}
	yes := true
	for _, at := range []struct {
		name                      string
		unit, zone, jobType, tech int64
	}{
		{"after", 5, 5, 400, 400},
		{"between", 2, 2, 150, 150},
		{"first", 1, 1, 1, 1},
	} {
		// Make room: every id from the new one's up moves up by 1000.
		up := func(ids []int64, from int64) idMap {
			m := idMap{}
			for _, id := range ids {
				if id >= from {
					m[id] = id + 1000
				}
			}
			return m
		}
		base := demoFile(t)
		tech, unit, jt, zone := idsOf(base)
		r := relabelling{up(tech, at.tech), up(unit, at.unit), up(jt, at.jobType), up(zone, at.zone)}
		r.file(base)
		study := r.scenario(s)
		want := func() map[string][]byte {
			res := simulate(t, study, fileData(t, base), sim.Options{Workers: 1})
			r.inverse().result(res, s)
			return outputs(t, res)
		}()
		for _, add := range []struct {
			name string
			add  func(f *tenant.File)
		}{
			{"business unit", func(f *tenant.File) {
				f.BusinessUnits = append(f.BusinessUnits, capacity.BusinessUnit{ID: at.unit, Name: "Solar", IdealBookingPercentage: 50, ReservePercentage: 20})
			}},
			{"zone", func(f *tenant.File) {
				f.Zones = append(f.Zones, zones.Zone{ID: at.zone, Name: "Boulder", Zips: []string{"80301", "80302"}, Cities: []string{"Boulder"}, Active: &yes})
			}},
			{"job type", func(f *tenant.File) {
				f.JobTypes = append(f.JobTypes, capacity.JobType{ID: at.jobType, Name: "Crane lift", DurationMinutes: 240, Skills: []string{"Crane"}, BusinessUnitIDs: []int64{r.unit.of(2)}})
			}},
			{"technician", func(f *tenant.File) {
				f.Technicians = append(f.Technicians, tenant.Technician{ID: at.tech, Name: "New hire", BusinessUnitID: r.unit.of(1), Skills: []string{"HVAC", "EPA 608"},
					ZoneIDs: []int64{r.zone.of(1)}, Home: &capacity.Point{Latitude: 39.95, Longitude: -105.3}})
			}},
		} {
			t.Run(at.name+"/"+add.name, func(t *testing.T) {
				f := demoFile(t)
				r.file(f)
				add.add(f)
				res := simulate(t, study, fileData(t, f), sim.Options{Workers: 1})
				keepRows(res, func(kind string, id int64) bool {
					switch {
					case kind == "unit" && add.name == "business unit":
						return id != at.unit
					case kind == "zone" && add.name == "zone":
						return id != at.zone
					case kind == "jobType" && add.name == "job type":
						return id != at.jobType
					}
					return true
				})
				r.inverse().result(res, s)
				if !sameOutputs(t, add.name, want, outputs(t, res)) {
					t.Errorf("a %s no one uses, id %d, changes the study", add.name, map[string]int64{"business unit": at.unit, "zone": at.zone, "job type": at.jobType, "technician": at.tech}[add.name])
				}
			})
		}
	}
}
