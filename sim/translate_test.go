package sim_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

// moveDate moves a "YYYY-MM-DD" date by days.
func moveDate(t testing.TB, s string, days int) string {
	d, err := hours.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return (d + hours.Date(days)).String()
}

// moveTime moves an instant by days of 86,400 seconds (the tenant's zone
// has no clock change in the span) and keeps it in its location.
func moveTime(at time.Time, days int) time.Time {
	if at.IsZero() {
		return at
	}
	return at.Add(time.Duration(days) * 24 * time.Hour)
}

// translateFile moves every date and instant of f by days.
func translateFile(t testing.TB, f *tenant.File, days int) {
	for i := range f.Exceptions {
		f.Exceptions[i].Date = moveDate(t, f.Exceptions[i].Date, days)
	}
	for i := range f.CapacityAdjustments {
		a := &f.CapacityAdjustments[i]
		a.Date = moveDate(t, a.Date, days)
		if a.CreatedOn != "" {
			at, err := time.Parse(time.RFC3339, a.CreatedOn)
			if err != nil {
				t.Fatal(err)
			}
			a.CreatedOn = moveTime(at, days).Format(time.RFC3339)
		}
	}
	for i := range f.Shifts {
		s := &f.Shifts[i]
		s.Start, s.End, s.ModifiedOn = moveTime(s.Start, days), moveTime(s.End, days), moveTime(s.ModifiedOn, days)
	}
	for i := range f.Appointments {
		a := &f.Appointments[i]
		a.Start, a.End = moveTime(a.Start, days), moveTime(a.End, days)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = moveTime(a.ArrivalWindowStart, days), moveTime(a.ArrivalWindowEnd, days)
	}
	for i := range f.Assignments {
		a := &f.Assignments[i]
		a.AssignedOn, a.UnassignedOn, a.ModifiedOn = moveTime(a.AssignedOn, days), moveTime(a.UnassignedOn, days), moveTime(a.ModifiedOn, days)
	}
	for i := range f.GPSPings {
		at, err := time.Parse(time.RFC3339, f.GPSPings[i].UTCDateTime)
		if err != nil {
			t.Fatal(err)
		}
		f.GPSPings[i].UTCDateTime = moveTime(at, days).UTC().Format(time.RFC3339)
	}
}

// translateScenario moves the study's dates by days.
func translateScenario(t testing.TB, s sim.Scenario, days int) sim.Scenario {
	s.Start = moveDate(t, s.Start, days)
	if s.Roster.TemplateStart != "" {
		s.Roster.TemplateStart = moveDate(t, s.Roster.TemplateStart, days)
	}
	return s
}

var dateRE = regexp.MustCompile(`\b(19|20|21)\d\d-\d\d-\d\d\b`)

// translateBack moves the dates res reports by −days and puts back the
// scenario as first given.
func translateBack(t testing.TB, res *sim.Result, s sim.Scenario, days int) {
	res.Scenario = s
	back := func(x string) string {
		return dateRE.ReplaceAllStringFunc(x, func(d string) string { return moveDate(t, d, -days) })
	}
	for i := range res.Warnings {
		res.Warnings[i] = back(res.Warnings[i])
	}
	for _, r := range res.Runs {
		for i := range r.Days {
			r.Days[i].Date = back(r.Days[i].Date)
		}
	}
	for _, list := range [][]sim.VariantSummary{res.Summary.Variants, res.Summary.Differences} {
		for vi := range list {
			v := &list[vi]
			for i := range v.Days {
				v.Days[i].Date = back(v.Days[i].Date)
			}
			if v.Losses != nil {
				for i := range v.Losses.ByDay {
					v.Losses.ByDay[i].Label = back(v.Losses.ByDay[i].Label)
				}
			}
		}
	}
}

// TestTimeTranslation: the same tenant and study moved by whole weeks —
// every date and instant, in a zone without clock changes over the span
// (UTC, and Phoenix from 1968) — give the same figures: byte for byte in
// every format once the dates are moved back. From 1912 to 2180 in UTC,
// before 1970 included (negative instants).
func TestTimeTranslation(t *testing.T) {
	phoenix := func() *tenant.File {
		f := demoFile(t)
		f.TimeZone = "America/Phoenix" // the demo's instants, read in a zone without DST
		return f
	}
	p, err := synth.ProfileNamed("small")
	if err != nil {
		t.Fatal(err)
	}
	p.TimeZone = "UTC"
	utc := func() *tenant.File {
		f, err := synth.Generate(p, 7)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	demo := metaStudy()
	demo.Variants = relabelStudies(t)[0].study.Variants
	for _, tc := range []struct {
		name     string
		file     func() *tenant.File
		study    sim.Scenario
		min, max int // weeks
	}{
		{"demo in Phoenix", phoenix, demo, -3000, 8000},
		{"synth small in UTC", utc, synthStudy(), -5900, 8000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := run(t, tc.study, fileData(t, tc.file()))
			props := gopter.NewProperties(metaParams(t))
			n := 0
			props.Property("same bytes, dates moved back", prop.ForAll(func(weeks int) bool {
				days := 7 * weeks
				f := tc.file()
				translateFile(t, f, days)
				res, err := sim.Simulate(translateScenario(t, tc.study, days), fileData(t, f), sim.Options{Workers: 1})
				if err != nil {
					t.Log(err)
					return false
				}
				translateBack(t, res, tc.study, days)
				n++
				return sameOutputs(t, fmt.Sprintf("%+d weeks", weeks), want, outputs(t, res))
			}, gen.IntRange(tc.min, tc.max)))
			proptest.Run(t, props)
			t.Logf("%d translations", n)
		})
	}
}
