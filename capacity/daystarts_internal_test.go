package capacity

import (
	"testing"
	"time"

	"github.com/opendispatch/dispatch/hours"
)

// TestDayStarts holds dayStarts, which converts a date only where the
// zone's offset may change, to hours.DayStart for every date: in zones
// with transitions at midnight (America/Havana, America/Santiago, Asia/Beirut
// and Asia/Gaza, where a spring-forward gap swallows midnight), half-hour
// and 30-minute shifts (Australia/Lord_Howe, Asia/Kolkata's 1940s), a zone
// that moved across the date line (Pacific/Apia, which skipped
// 2011-12-30), UTC and a fixed offset, over runs of dates around
// transitions, across a run of years, and past the last transition the
// zone database lists (the zone's rule then).
func TestDayStarts(t *testing.T) {
	names := []string{"UTC", "America/Denver", "America/Havana", "America/Santiago", "Asia/Beirut", "Asia/Gaza",
		"Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia", "Europe/Dublin", "America/St_Johns"}
	type run struct {
		first string
		days  int
	}
	runs := []run{{"2026-01-01", 400}, {"2011-12-20", 20}, {"1900-01-01", 800}, {"1940-01-01", 3000},
		{"1999-03-20", 40}, {"2030-10-01", 70}, {"2150-01-01", 400}, {"2199-12-25", 7}, {"2024-03-09", 1}}
	locs := []*time.Location{time.FixedZone("UTC+05:45", 5*3600+45*60)}
	for _, n := range names {
		loc, err := hours.LoadLocation(n)
		if err != nil {
			t.Fatalf("LoadLocation(%q): %v", n, err)
		}
		locs = append(locs, loc)
	}
	for _, loc := range locs {
		for _, r := range runs {
			t.Run(loc.String()+"/"+r.first, func(t *testing.T) {
				first, err := hours.ParseDate(r.first)
				if err != nil {
					t.Fatal(err)
				}
				got := make([]int64, r.days+1)
				dayStarts(got, loc, first)
				for k, u := range got {
					d := first + hours.Date(k)
					if want := hours.DayStart(loc, d); u != want {
						t.Errorf("start of %s: got %d (%s), want %d (%s)", d, u, time.Unix(u, 0).In(loc).Format(time.RFC3339),
							want, time.Unix(want, 0).In(loc).Format(time.RFC3339))
					}
				}
			})
		}
	}
}
