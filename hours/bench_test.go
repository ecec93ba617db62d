package hours_test

import (
	"testing"

	"github.com/opendispatch/dispatch/hours"
)

var sinkWindows []hours.Window

// BenchmarkExpand measures expanding two weeks of business hours and four
// arrival windows a day into instants, across a DST change.
func BenchmarkExpand(b *testing.B) {
	var bh hours.BusinessHours
	for _, d := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"} {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d, TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}})
	}
	s, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: bh, ArrivalWindows: []hours.ArrivalWindow{
		{ID: 1, From: "08:00", To: "10:00"}, {ID: 2, From: "10:00", To: "12:00"},
		{ID: 3, From: "12:00", To: "14:00"}, {ID: 4, From: "14:00", To: "16:00"},
	}})
	if err != nil {
		b.Fatal(err)
	}
	loc := s.Location()
	first := hours.MustParseDate("2027-03-08")
	from, to := hours.DayStart(loc, first), hours.DayStart(loc, first+14)
	b.Run("windows/days=14", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkWindows = s.Windows(from, to)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/14, "ns/day")
	})
	b.Run("open/days=14", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = s.Open(from, to)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/14, "ns/day")
	})
}
