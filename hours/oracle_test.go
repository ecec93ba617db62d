package hours_test

import (
	"os"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/testkit/oracle"
)

// TestLocalAgainstOracle checks Local against the black-box oracle's own
// conversion (internal/testkit/oracle, which shares no code with this
// package) in every zone of the database, around its transitions from
// 1900 to 2199: on the day of each transition and the day before, every
// quarter hour within two hours of the change, and midnight and 24:00. A
// stride over each zone's transitions keeps it quick; DISPATCH_ORACLE_ALL=1
// checks every transition, every quarter hour of both days (about 100,000
// transitions and 20 million wall times, under a minute).
func TestLocalAgainstOracle(t *testing.T) {
	stride := 13
	if testing.Short() {
		stride = 199
	}
	all := os.Getenv("DISPATCH_ORACLE_ALL") != ""
	if all {
		stride = 1
	}
	lo, hi := hours.MinInstant.Unix(), hours.MaxInstant.Unix()
	zones, transitions, checked := 0, 0, 0
	for zi, name := range hours.ZoneNames() {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones++
		for i, tr := range oracle.Transitions(loc, lo, hi) {
			if (i+zi)%stride != 0 {
				continue
			}
			transitions++
			at := time.Unix(tr.At, 0).In(loc)
			wall := at.Hour()*60 + at.Minute() // after the change
			before := wall - int(tr.After-tr.Before)/60
			for d := hours.DateOf(at.Year(), at.Month(), at.Day()) - 1; d <= hours.DateOf(at.Year(), at.Month(), at.Day()); d++ {
				y, m, day := d.Civil()
				for c := 0; c <= 1440; c += 15 {
					near := c == 0 || c == 1440 || (c >= min(wall, before)-120 && c <= max(wall, before)+120)
					if !near && !all {
						continue
					}
					checked++
					if got, want := hours.Local(loc, d, hours.Clock(c)), oracle.Local(loc, y, m, day, c); got != want {
						t.Errorf("Local(%s, %s %s) = %s, the oracle says %s", name, d, hours.Clock(c), format(loc, got), format(loc, want))
					}
				}
			}
		}
	}
	t.Logf("%d zones, %d transitions, %d wall times checked", zones, transitions, checked)
}
