package bench

import (
	"bytes"
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/httpapi"
	"github.com/opendispatch/dispatch/internal/testkit/benchdata"
	"github.com/opendispatch/dispatch/internal/testkit/capref"
	"github.com/opendispatch/dispatch/internal/testkit/lean"
	"github.com/opendispatch/dispatch/internal/testkit/straight"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

// Benchmark is one entry of the suite. Name is the full benchmark name
// without the "Benchmark" prefix, in Go's sub-benchmark form
// ("Capacity/impl=engine/techs=1000/days=14/jobtype=60min").
type Benchmark struct {
	Name string
	F    func(b *testing.B)
}

// Profiles are the synth profiles by name, smallest first.
func Profiles() []string {
	var out []string
	for _, p := range synth.Profiles {
		out = append(out, p.Name)
	}
	return out
}

var sinkResp *capacity.Response
var sinkBytes []byte

func techsOf(profile string) int {
	p, _ := synth.ProfileNamed(profile)
	return p.Technicians
}

func perTechDay(b *testing.B, techs int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(techs*benchdata.Days), "ns/tech-day")
}

// Suite returns the benchmarks of the given profiles (all when empty).
func Suite(profiles ...string) []Benchmark {
	if len(profiles) == 0 {
		profiles = Profiles()
	}
	var s []Benchmark
	add := func(name string, f func(b *testing.B)) { s = append(s, Benchmark{name, f}) }
	for _, prof := range profiles {
		prof := prof
		techs := techsOf(prof)
		size := fmt.Sprintf("techs=%d/days=14", techs)
		for _, jt := range []string{"none", "60min"} {
			jt := jt
			req := func(e *capacity.Engine) capacity.Request {
				id := int64(0)
				if jt == "60min" {
					id = benchdata.HourJobType(benchdata.File(prof))
				}
				return benchdata.FullRequest(e, id)
			}
			add("Capacity/impl=engine/"+size+"/jobtype="+jt, func(b *testing.B) {
				e := benchdata.Tenant(prof).Engine
				r := req(e)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					sinkResp, _ = e.Capacity(r)
				}
				perTechDay(b, techs)
			})
			add("Capacity/impl=straight/"+size+"/jobtype="+jt, func(b *testing.B) {
				e := benchdata.Tenant(prof).Engine
				d, r := e.Data(), req(e)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					sinkResp = straight.Capacity(&d, r)
				}
				perTechDay(b, techs)
			})
			if techs <= 1000 {
				add("Capacity/impl=bitmap/"+size+"/jobtype="+jt, func(b *testing.B) {
					e := benchdata.Tenant(prof).Engine
					d, r := e.Data(), req(e)
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						sinkResp = capref.Capacity(d, r)
					}
					perTechDay(b, techs)
				})
			}
			add("Capacity/impl=floor/"+size+"/jobtype="+jt, func(b *testing.B) {
				e := benchdata.Tenant(prof).Engine
				d := e.Data()
				resp, _ := e.Capacity(req(e))
				n := len(resp.AppendJSON(nil))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					sinkBytes = floor(&d, n)
				}
				perTechDay(b, techs)
			})
		}
		// The same tenant with every capacity control (benchdata.Controlled),
		// asked for the 60-minute job type, which a rule caps and the reserve
		// and the travel buffer concern: for every unit, and for unit 1,
		// whose group brings unit 2.
		for _, units := range []string{"all", "group"} {
			units := units
			req := func(e *capacity.Engine) capacity.Request {
				r := benchdata.FullRequest(e, benchdata.HourJobType(benchdata.File(prof)))
				if units == "group" {
					r.BusinessUnitIDs = []int64{1}
				}
				return r
			}
			name := size + "/units=" + units
			add("CapacityControls/impl=engine/"+name, func(b *testing.B) {
				e, err := capacity.New(benchdata.Controlled(prof))
				if err != nil {
					b.Fatal(err)
				}
				r := req(e)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					sinkResp, _ = e.Capacity(r)
				}
				perTechDay(b, techs)
			})
			add("CapacityControls/impl=straight/"+name, func(b *testing.B) {
				d := benchdata.Controlled(prof)
				e, err := capacity.New(d)
				if err != nil {
					b.Fatal(err)
				}
				r := req(e)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					sinkResp = straight.Capacity(&d, r)
				}
				perTechDay(b, techs)
			})
		}
		add("AdjustRequery/techs="+fmt.Sprint(techs)+"/days=1", func(b *testing.B) { adjustRequery(b, prof) })
		add("CapacityOneUnit/"+size, func(b *testing.B) {
			e := benchdata.Tenant(prof).Engine
			r := benchdata.FullRequest(e, 0)
			r.BusinessUnitIDs = []int64{1}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sinkResp, _ = e.Capacity(r)
			}
			perTechDay(b, techs)
		})
		add("AssignRequery/techs="+fmt.Sprint(techs)+"/days=1", func(b *testing.B) { assignRequery(b, prof) })
		add("Build/"+size, func(b *testing.B) { build(b, prof, techs) })
		// Building an engine and answering its first full request, against
		// answering that request once, directly, from the same records
		// (internal/testkit/lean).
		for _, jt := range []string{"none", "60min"} {
			jt := jt
			for _, impl := range []string{"engine", "lean"} {
				impl := impl
				add("BuildFirstQuery/impl="+impl+"/"+size+"/jobtype="+jt, func(b *testing.B) { buildFirstQuery(b, prof, techs, impl, jt) })
			}
		}
		s = append(s, lifecycleBenchmarks(prof, techs)...)
		// After a technician is added with an id below every other, the
		// columns are out of id order and an unfiltered query walks them
		// through a permutation: the full request of Capacity, to compare
		// with impl=engine there.
		add("CapacityOutOfOrder/"+size+"/jobtype=60min", func(b *testing.B) {
			e := benchdata.Tenant(prof).Engine
			t := e.Technicians()[0]
			t.ID, t.Name = 1, "First"
			if err := e.AddTechnician(t); err != nil {
				b.Skip(err) // the profile uses id 1
			}
			r := benchdata.FullRequest(e, benchdata.HourJobType(benchdata.File(prof)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sinkResp, _ = e.Capacity(r)
			}
			perTechDay(b, techs)
		})
		for _, impl := range []string{"engine", "build"} {
			impl := impl
			add("AddTechnician/impl="+impl+"/techs="+fmt.Sprint(techs), func(b *testing.B) { addTechnician(impl)(b, prof) })
		}
		add("Expand/"+size, func(b *testing.B) {
			e := benchdata.Tenant(prof).Engine
			r := benchdata.FullRequest(e, 0)
			from, to := r.StartsOnOrAfter.Unix(), r.EndsOnOrBefore.Unix()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = e.Schedule().Windows(from, to)
				_ = e.Schedule().Open(from, to)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchdata.Days, "ns/day")
		})
		add("LoadFile/"+size, func(b *testing.B) {
			var buf bytes.Buffer
			benchdata.File(prof).Write(&buf)
			data := buf.Bytes()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := tenant.Parse(data); err != nil {
					b.Fatal(err)
				}
			}
			perTechDay(b, techs)
		})
		if techs <= 100 {
			add("SimReplication/"+size, func(b *testing.B) { simReplication(b, prof) })
		}
		add("HTTPCapacity/"+size, func(b *testing.B) { httpCapacity(b, prof, techs) })
	}
	// The simulator reduced to M/M/c/c and M/M/c (the models
	// scripts/simpy-compare.sh runs in SimPy) and the full demo model.
	add("SimMMcc/techs=100/A=90/days=30", func(b *testing.B) { simQueue(b, 100, 90, false) })
	for _, c := range []int{10, 100, 300} {
		a := 0.95 * float64(c)
		size := fmt.Sprintf("techs=%d/A=%g/days=30", c, a)
		add("SimMMcc/"+size, func(b *testing.B) { simQueue(b, c, a, false) })
		add("SimMMc/"+size, func(b *testing.B) { simQueue(b, c, a, true) })
	}
	add("SimDefault/demo", simDefault)
	return s
}

// simQueue runs the simulator reduced to M/M/c/c (or M/M/c when
// patient: calls wait as long as it takes, first come first served) with
// c servers offered a Erlangs, for 30 days without a warm-up, one
// replication on one core, setup included. Events are arrivals and
// departures (calls and booked jobs, as SimPy's model counts arrivals and
// finished services), per second and per CPU second.
func simQueue(b *testing.B, c int, a float64, patient bool) {
	q := sim.Queue{Servers: c, Erlangs: a, Days: 30, WarmupDays: -1, Patient: patient, Replications: 2, Seed: 1}
	s, d, err := q.Study()
	if err != nil {
		b.Fatal(err)
	}
	var events int64
	b.ReportAllocs()
	cpu0 := CPUSeconds()
	b.ResetTimer()
	for b.Loop() {
		res, err := sim.Simulate(s, d, sim.Options{Workers: 1, Shard: 0, Shards: 2})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Runs[0].Calls + res.Runs[0].Booked
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/(CPUSeconds()-cpu0), "events/cpu-s")
}

// simDefault runs the default scenario (the demo tenant, 30 replications
// of two variants) on one core: every event the simulator handles (calls,
// departures, arrivals on site, finished jobs), per second and per CPU
// second, setup included.
func simDefault(b *testing.B) {
	t, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		b.Fatal(err)
	}
	d := t.Engine.Data()
	var events int64
	b.ReportAllocs()
	cpu0 := CPUSeconds()
	b.ResetTimer()
	for b.Loop() {
		res, err := sim.Simulate(sim.Default(), d, sim.Options{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res.Runs {
			events += r.Events
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/(CPUSeconds()-cpu0), "events/cpu-s")
}

// CPUSeconds is the process's user and system CPU time, in seconds.
func CPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// floor reads every shift and appointment once and writes n bytes: the
// least any implementation must do to answer.
func floor(d *capacity.Data, n int) []byte {
	var acc int64
	for i := range d.Shifts {
		acc += d.Shifts[i].End.Unix() - d.Shifts[i].Start.Unix()
	}
	for i := range d.Appointments {
		acc += d.Appointments[i].End.Unix() - d.Appointments[i].Start.Unix()
	}
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(acc)
	}
	return out
}

func assignRequery(b *testing.B, prof string) {
	e := benchdata.Tenant(prof).Engine
	data := e.Data()
	req := benchdata.DayRequest(e, benchdata.HourJobType(benchdata.File(prof)))
	var appt capacity.Appointment
	for _, a := range data.Appointments {
		if _, ids, _ := e.Appointment(a.ID); len(ids) == 0 && !a.Start.Before(req.StartsOnOrAfter) && !a.End.After(req.EndsOnOrBefore) {
			appt = a
			break
		}
	}
	if appt.ID == 0 {
		b.Skip("no unassigned appointment on the day")
	}
	var tech int64
	for _, t := range data.Technicians {
		if t.BusinessUnitID == appt.BusinessUnitID && t.IsActive() {
			tech = t.ID
			break
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := e.Assign(appt.ID, []int64{tech}, nil); err != nil {
			b.Fatal(err)
		}
		sinkResp, _ = e.Capacity(req)
		if _, err := e.Unassign(appt.ID, []int64{tech}, nil); err != nil {
			b.Fatal(err)
		}
		sinkResp, _ = e.Capacity(req)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2, "ns/update+query")
}

// adjustRequery adds an adjustment to a window of the horizon's second
// day, asks for that day, removes it and asks again, on the tenant with
// every control.
func adjustRequery(b *testing.B, prof string) {
	e, err := capacity.New(benchdata.Controlled(prof), capacity.WithClock(benchdata.Clock))
	if err != nil {
		b.Fatal(err)
	}
	req := benchdata.DayRequest(e, benchdata.HourJobType(benchdata.File(prof)))
	day := hours.DateAt(e.Location(), req.StartsOnOrAfter.Unix())
	ws := e.Schedule().WindowsOn(nil, day)
	if len(ws) == 0 {
		b.Skip("no window on the day")
	}
	adj := capacity.Adjustment{ID: 1 << 40, Date: day, From: ws[1%len(ws)].Slot.From, To: ws[1%len(ws)].Slot.To,
		BusinessUnitGroupID: 1, Minutes: -90, Reason: "benchmark", CreatedOn: req.StartsOnOrAfter}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := e.AddAdjustment(adj); err != nil {
			b.Fatal(err)
		}
		sinkResp, _ = e.Capacity(req)
		if _, err := e.RemoveAdjustment(adj.ID); err != nil {
			b.Fatal(err)
		}
		sinkResp, _ = e.Capacity(req)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2, "ns/update+query")
}

func build(b *testing.B, prof string, techs int) {
	e := benchdata.Tenant(prof).Engine
	data := e.Data()
	req := benchdata.FullRequest(e, benchdata.HourJobType(benchdata.File(prof)))
	retained, kept, err := Retained(data)
	if err != nil {
		b.Fatal(err)
	}
	foot := kept.Footprint()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e, err := capacity.New(data)
		if err != nil {
			b.Fatal(err)
		}
		sinkResp, _ = e.Capacity(req)
	}
	perTechDay(b, techs)
	techDays := float64(techs * benchdata.Days)
	b.ReportMetric(float64(retained)/techDays, "B/tech-day")
	b.ReportMetric(float64(foot.Index)/techDays, "index-B/tech-day")
	b.ReportMetric(float64(foot.Records())/techDays, "records-B/tech-day")
}

// buildFirstQuery measures, from the records, an engine's build and its
// first full request (impl=engine), or the lean direct computation of the
// same answer (impl=lean).
func buildFirstQuery(b *testing.B, prof string, techs int, impl, jobType string) {
	// The profile's records without the controls the lean computation
	// leaves out (groups, adjustments, capacity rules), for both.
	data := lean.Scoped(benchdata.Tenant(prof).Engine.Data())
	e, err := capacity.New(data)
	if err != nil {
		b.Fatal(err)
	}
	var id int64
	if jobType == "60min" {
		id = benchdata.HourJobType(benchdata.File(prof))
	}
	req := benchdata.FullRequest(e, id)
	e = nil
	b.ReportAllocs()
	b.ResetTimer()
	switch impl {
	case "engine":
		for b.Loop() {
			e, err := capacity.New(data)
			if err != nil {
				b.Fatal(err)
			}
			sinkResp, _ = e.Capacity(req)
		}
	case "lean":
		for b.Loop() {
			sinkResp = lean.Capacity(&data, req)
		}
	}
	perTechDay(b, techs)
}

func simReplication(b *testing.B, prof string) {
	s := sim.Default()
	s.Tenant = sim.TenantSource{Profile: prof}
	s.Replications = 2
	s.Variants = nil
	s.Dispatch.Policy = "first-available"
	s.Demand.CallsPerDay = float64(techsOf(prof)) * 2.5
	d := benchdata.Tenant(prof).Engine.Data()
	var events int64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := sim.Simulate(s, d, sim.Options{Workers: 1, Shard: 0, Shards: 2})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Runs[0].Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

func httpCapacity(b *testing.B, prof string, techs int) {
	var buf bytes.Buffer
	benchdata.File(prof).Write(&buf)
	id := benchdata.File(prof).Tenant
	srv, err := httpapi.New(httpapi.Config{RateLimit: -1, Clients: []httpapi.Client{{ID: "bench", SecretHash: httpapi.HashSecret("s"), AppKey: "bench-app-key", Tenants: []string{id}}}}, buf.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()
	tokRec := httptest.NewRecorder()
	tokReq := httptest.NewRequest("POST", "/connect/token", strings.NewReader("grant_type=client_credentials&client_id=bench&client_secret=s"))
	tokReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h.ServeHTTP(tokRec, tokReq)
	tok := regexp.MustCompile(`"access_token":"([^"]+)"`).FindStringSubmatch(tokRec.Body.String())
	if tok == nil {
		b.Fatal("no token")
	}
	body := `{"startsOnOrAfter":"2027-03-09T00:00:00-07:00","endsOnOrBefore":"2027-03-10T00:00:00-07:00"}`
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/dispatch/v2/tenant/"+id+"/capacity", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok[1])
		req.Header.Set("ST-App-Key", "bench-app-key")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// Run runs the benchmarks whose names match filter (all when nil) count
// times each and writes standard Go benchmark result lines, which
// benchstat reads. The caller writes the header lines (goos, goarch, cpu).
func Run(w io.Writer, suite []Benchmark, count int, filter *regexp.Regexp) error {
	procs := runtime.GOMAXPROCS(0)
	for _, bm := range suite {
		if filter != nil && !filter.MatchString(bm.Name) {
			continue
		}
		for range max(count, 1) {
			r := testing.Benchmark(bm.F)
			if r.N == 0 {
				return fmt.Errorf("bench: %s failed or was skipped", bm.Name)
			}
			if _, err := fmt.Fprintf(w, "Benchmark%s-%d\t%s\t%s\n", bm.Name, procs, r.String(), r.MemString()); err != nil {
				return err
			}
		}
	}
	return nil
}

// Retained builds an engine over d and returns the heap bytes it keeps,
// measured with runtime.ReadMemStats after a collection, and the engine.
// What the engine shares with d (names, skills, zips) is not counted.
//
// It collects twice before the first reading: objects in sync.Pools
// survive one collection as victims, and freeing them during the second
// reading would be subtracted from the engine's figure (on the small
// profile that hid a third of it).
func Retained(d capacity.Data) (int64, *capacity.Engine, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	e, err := capacity.New(d)
	if err != nil {
		return 0, nil, err
	}
	// Two collections: a build's working memory is pooled (sync.Pool),
	// and a pool keeps what it holds through one collection. It is not
	// the engine's.
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	// d must outlive the reading: freeing it would be subtracted too.
	runtime.KeepAlive(d)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc), e, nil
}
