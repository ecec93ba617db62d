package sim_test

import (
	"strconv"
	"syscall"
	"testing"

	"github.com/opendispatch/dispatch/hours"

	"github.com/opendispatch/dispatch/sim"
)

// BenchmarkReplication measures whole replications of the default
// scenario's baseline on one core, building the study included: events per
// second of the full model, where each routine call is offered a week of
// windows.
func BenchmarkReplication(b *testing.B) {
	s := sim.Default()
	s.Replications = 2
	s.Variants = nil
	d := demoData(b)
	var events int64
	b.ReportAllocs()
	for b.Loop() {
		res, err := sim.Simulate(s, d, sim.Options{Workers: 1, Shard: 0, Shards: 2})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Runs[0].Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}

// BenchmarkDefaultScenario runs the default scenario (30 replications, two
// variants) as dispatch simulate does, on every core: events (everything
// the event queue handles: calls, departures, arrivals on site, finished
// jobs) per second of CPU, setup included.
func BenchmarkDefaultScenario(b *testing.B) {
	d := demoData(b)
	var events int64
	b.ReportAllocs()
	cpu0 := cpuSeconds()
	for b.Loop() {
		res, err := sim.Simulate(sim.Default(), d, sim.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res.Runs {
			events += r.Events
		}
	}
	b.ReportMetric(float64(events)/(cpuSeconds()-cpu0), "events/cpu-s")
}

// BenchmarkQueue measures the emergency path of M/M/c/c studies on one
// core: every call scans the eligible technicians' free time for the
// earliest arrival and books through the engine.
func BenchmarkQueue(b *testing.B) {
	for _, c := range []int{20, 200} {
		b.Run("techs="+itoa(c), func(b *testing.B) {
			s := queueScenario(0.95*float64(c), 4, 1, 2, false)
			d := queueTenant(b, c, hours.MustParseDate(s.Start), s.Days+21)
			var calls int64
			b.ReportAllocs()
			for b.Loop() {
				res, err := sim.Simulate(s, d, sim.Options{Workers: 1, Shard: 0, Shards: 2})
				if err != nil {
					b.Fatal(err)
				}
				calls += res.Runs[0].Calls
			}
			b.ReportMetric(float64(calls)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// BenchmarkMMcc runs the simulator reduced to M/M/100/100 at A = 90 (one
// unit, one 60-minute job type, 24/7 shifts, emergencies only,
// exponential, no driving, no waiting) for 30 days on one core, the model
// scripts/simpy-compare.sh runs in SimPy: events are arrivals and
// departures (calls and finished jobs), per second of CPU.
func BenchmarkMMcc(b *testing.B) {
	s := queueScenario(90, 30, 0, 2, false)
	d := queueTenant(b, 100, hours.MustParseDate(s.Start), s.Days+21)
	var events int64
	b.ReportAllocs()
	cpu0 := cpuSeconds()
	for b.Loop() {
		res, err := sim.Simulate(s, d, sim.Options{Workers: 1, Shard: 0, Shards: 2})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Runs[0].Calls + res.Runs[0].Booked
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/(cpuSeconds()-cpu0), "events/cpu-s")
}

// cpuSeconds is the process's user and system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkScaledVariant runs the default scenario's baseline beside a
// variant with twice the demand, two replications on one core: the cost
// of the candidate layers (the baseline draws candidates at its own
// rate, the variant from two layers at it).
func BenchmarkScaledVariant(b *testing.B) {
	s := sim.Default()
	s.Replications = 2
	two := 2.0
	s.Variants = []sim.Variant{{Name: "x2", Changes: []sim.Change{{ScaleDemand: &two}}}}
	d := demoData(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sim.Simulate(s, d, sim.Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
