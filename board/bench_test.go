package board_test

import (
	"bytes"
	"testing"

	"github.com/opendispatch/dispatch/board"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

var pageSink int

// BenchmarkRender renders a synthetic tenant's busy Tuesday and its week
// by size: what a page costs to draw and weighs (bytes/page), per
// technician (ns/tech). -short leaves out the large profile (1,000
// technicians), whose data take seconds to generate.
func BenchmarkRender(b *testing.B) {
	for _, name := range []string{"small", "medium", "large"} {
		if name == "large" && testing.Short() {
			continue
		}
		p, _ := synth.ProfileNamed(name)
		f, err := synth.Generate(p, 1)
		if err != nil {
			b.Fatal(err)
		}
		ten, err := tenant.Build(f)
		if err != nil {
			b.Fatal(err)
		}
		techs := float64(len(ten.Engine.Data().Technicians))
		for _, kind := range []string{"day", "week"} {
			b.Run("profile="+name+"/"+kind, func(b *testing.B) {
				b.ReportAllocs()
				var buf bytes.Buffer
				for b.Loop() {
					buf.Reset()
					var err error
					if kind == "day" {
						err = board.Render(&buf, ten.Engine, hours.MustParseDate("2027-03-16"), "Bench")
					} else {
						err = board.RenderWeek(&buf, ten.Engine, hours.MustParseDate("2027-03-15"), board.WeekOptions{Title: "Bench"})
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				pageSink = buf.Len()
				b.ReportMetric(float64(buf.Len()), "bytes/page")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/techs, "ns/tech")
			})
		}
	}
}
