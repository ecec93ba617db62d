package capacity_test

import (
	"fmt"
	"testing"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/benchdata"
	"github.com/opendispatch/dispatch/internal/capref"
	"github.com/opendispatch/dispatch/internal/straight"
)

var sinkResp *capacity.Response

var profiles = []struct {
	name  string
	techs int
}{{"small", 10}, {"medium", 100}, {"large", 1000}, {"enterprise", 10000}}

func perTechDay(b *testing.B, techs int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(techs*benchdata.Days), "ns/tech-day")
}

// BenchmarkCapacity measures a full two-week request on a built engine,
// and the straightforward and minute-bitmap baselines on the same data in
// the same run, so that their ratios can be quoted.
func BenchmarkCapacity(b *testing.B) {
	for _, p := range profiles {
		ten := benchdata.Tenant(p.name)
		e := ten.Engine
		data := e.Data()
		for _, jt := range []struct {
			name string
			id   int64
		}{{"none", 0}, {"60min", benchdata.HourJobType(benchdata.File(p.name))}} {
			req := benchdata.FullRequest(e, jt.id)
			name := fmt.Sprintf("techs=%d/days=14/jobtype=%s", p.techs, jt.name)
			b.Run("impl=engine/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					r, err := e.Capacity(req)
					if err != nil {
						b.Fatal(err)
					}
					sinkResp = r
				}
				perTechDay(b, p.techs)
			})
			b.Run("impl=straight/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					sinkResp = straight.Capacity(&data, req)
				}
				perTechDay(b, p.techs)
			})
			if p.techs <= 1000 {
				b.Run("impl=bitmap/"+name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						sinkResp = capref.Capacity(data, req)
					}
					perTechDay(b, p.techs)
				})
			}
		}
	}
}

// BenchmarkBuild measures building the engine from raw records plus its
// first query: the cost of the incremental state, to compare with one
// straightforward recompute (BenchmarkCapacity/impl=straight).
func BenchmarkBuild(b *testing.B) {
	for _, p := range profiles {
		e := benchdata.Tenant(p.name).Engine
		data := e.Data()
		req := benchdata.FullRequest(e, benchdata.HourJobType(benchdata.File(p.name)))
		b.Run(fmt.Sprintf("techs=%d/days=14", p.techs), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e, err := capacity.New(data)
				if err != nil {
					b.Fatal(err)
				}
				if sinkResp, err = e.Capacity(req); err != nil {
					b.Fatal(err)
				}
			}
			perTechDay(b, p.techs)
		})
	}
}

// BenchmarkAssignRequery measures assigning a technician to an appointment
// and asking for that day's capacity again (then the same for unassigning,
// so every iteration leaves the engine as it found it).
func BenchmarkAssignRequery(b *testing.B) {
	for _, p := range profiles {
		e := benchdata.Tenant(p.name).Engine
		data := e.Data()
		req := benchdata.DayRequest(e, benchdata.HourJobType(benchdata.File(p.name)))
		// An unassigned appointment on the requested day, and a technician
		// of its business unit.
		var appt capacity.Appointment
		for _, a := range data.Appointments {
			if _, ids, _ := e.Appointment(a.ID); len(ids) == 0 && a.Start >= req.StartsOnOrAfter.Unix() && a.End <= req.EndsOnOrBefore.Unix() {
				appt = a
				break
			}
		}
		if appt.ID == 0 {
			b.Fatalf("%s: no unassigned appointment on the day", p.name)
		}
		var tech int64
		for _, t := range data.Technicians {
			if t.BusinessUnitID == appt.BusinessUnitID && t.Active {
				tech = t.ID
				break
			}
		}
		b.Run(fmt.Sprintf("techs=%d/days=1", p.techs), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Assign(appt.ID, []int64{tech}, nil); err != nil {
					b.Fatal(err)
				}
				sinkResp, _ = e.Capacity(req)
				if _, err := e.Unassign(appt.ID, []int64{tech}, nil); err != nil {
					b.Fatal(err)
				}
				sinkResp, _ = e.Capacity(req)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2, "ns/update+query")
		})
	}
}
