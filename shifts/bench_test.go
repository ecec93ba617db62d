package shifts_test

import (
	"testing"
	"time"

	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
)

var sinkSet interval.Set

// BenchmarkSet measures one technician's two-week query in a store of a
// year of daily shifts for 100 technicians.
func BenchmarkSet(b *testing.B) {
	var all []shifts.Shift
	for tech := int64(1); tech <= 100; tech++ {
		for d := int64(0); d < 365; d++ {
			st := d*24*h + 8*h
			all = append(all, shifts.Shift{ID: int64(len(all) + 1), TechnicianID: tech, Type: shifts.Normal, Start: u(st), End: u(st + 9*h)})
		}
	}
	s, err := shifts.NewStore(time.UTC, clock, all...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sinkSet = s.Set(42, shifts.Normal, 200*24*h, 214*24*h)
	}
}

// BenchmarkNewStore builds a store of a year of daily shifts for 100
// technicians, listed technician by technician as a tenant file does.
func BenchmarkNewStore(b *testing.B) {
	var all []shifts.Shift
	for tech := int64(1); tech <= 100; tech++ {
		for d := int64(0); d < 365; d++ {
			st := d*24*h + 8*h
			all = append(all, shifts.Shift{ID: int64(len(all) + 1), TechnicianID: tech, Type: shifts.Normal, Title: "Day", Start: u(st), End: u(st + 9*h)})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := shifts.NewStore(time.UTC, clock, all...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(all)), "ns/shift")
}
