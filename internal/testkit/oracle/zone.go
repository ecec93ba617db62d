package oracle

import (
	"fmt"
	"time"
)

// civil is a civil date: days since 1970-01-01, no zone.
type civil int64

func civilOf(y int, m time.Month, d int) civil {
	return civil(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func parseCivil(s string) (civil, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, fmt.Errorf("oracle: date %q: %v", s, err)
	}
	return civil(t.Unix() / 86400), nil
}

func (d civil) String() string { return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02") }

func (d civil) weekday() time.Weekday { return time.Unix(int64(d)*86400, 0).UTC().Weekday() }

// dateAt is the local date of instant u in loc.
func dateAt(loc *time.Location, u int64) civil {
	t := time.Unix(u, 0).In(loc)
	return civilOf(t.Year(), t.Month(), t.Day())
}

// period is a stretch of instants [start, end) with one UTC offset
// (seconds east); start and end are math.MinInt64/MaxInt64 when unbounded.
type period struct {
	start, end int64
	offset     int64
}

const (
	never   = int64(-1 << 62)
	forever = int64(1 << 62)
)

// periods returns the zone's periods that meet the instants [lo, hi), in
// order, walking time.Time.ZoneBounds. The first period starts at never,
// each next one where the one before ends.
//
// ZoneBounds sometimes ends a period before the instant asked about: in
// Go 1.26, for leap years past the zone file's last explicit transition
// (where the rule of its TZ string applies), the year's last period ends
// on December 31 instead of January 1 (Europe/London, 2040-12-31T00:00Z;
// golang/go#81583).
// There the next change is searched for in the following two days.
func periods(loc *time.Location, lo, hi int64) []period {
	offsetAt := func(u int64) int64 { _, off := time.Unix(u, 0).In(loc).Zone(); return int64(off) }
	var out []period
	u, start := lo, never
	for {
		t := time.Unix(u, 0).In(loc)
		_, off := t.Zone()
		_, e := t.ZoneBounds()
		p := period{start: start, end: forever, offset: int64(off)}
		if !e.IsZero() {
			p.end = e.Unix()
		}
		if p.end <= u {
			// No progress: look two days ahead, and bisect for the change
			// when the offset differs there (zones do not change twice in
			// two days).
			v := u + 2*86400
			if offsetAt(v) != p.offset {
				a := u // offsetAt(a) == p.offset, offsetAt(v) != p.offset
				for v-a > 1 {
					if mid := a + (v-a)/2; offsetAt(mid) == p.offset {
						a = mid
					} else {
						v = mid
					}
				}
			}
			p.end = v
		}
		out = append(out, p)
		if p.end >= hi {
			return out
		}
		u, start = p.end, p.end
	}
}

// local returns the instant of the wall-clock time minute (0–1440 minutes
// after midnight; 1440 is the next date's midnight) on date d in loc, by
// the design's §3 rule: the only instant when there is one, the earlier of
// two in a fall-back overlap, and in a spring-forward gap the reading with
// the offset in force before the gap (which lands as far after the gap's
// end as the wall time is after its start).
func local(loc *time.Location, d civil, minute int) int64 {
	wall := int64(d)*86400 + int64(minute)*60 // the wall time, counted as if UTC
	// Offsets lie within ±15 hours, so every instant that reads as wall
	// lies in [wall-15h, wall+15h].
	ps := periods(loc, wall-15*3600, wall+15*3600+1)
	for _, p := range ps { // in time order: the first match is the earliest
		if u := wall - p.offset; p.start <= u && u < p.end {
			return u
		}
	}
	// No instant reads as wall: it is in a gap between two periods whose
	// offset jumps over it.
	for i := 1; i < len(ps); i++ {
		before, after := ps[i-1], ps[i]
		t := after.start
		if t+before.offset <= wall && wall < t+after.offset {
			return wall - before.offset
		}
	}
	panic(fmt.Sprintf("oracle: wall time %s %02d:%02d in %s is neither an instant nor in a gap", d, minute/60, minute%60, loc))
}

// Local returns the instant (Unix seconds) of the wall-clock time minute
// (0–1440 minutes after midnight, 1440 being the next midnight) on the
// civil date year-month-day in loc, by the design's §3 rule: see the
// package documentation. It is the oracle's own conversion, for tests that
// check another one against it.
func Local(loc *time.Location, year int, month time.Month, day, minute int) int64 {
	return local(loc, civilOf(year, month, day), minute)
}

// Transitions returns the instants in [lo, hi) at which loc's UTC offset
// changes, found by walking its periods, with the offsets before and after
// each. It is exported for tests that pick horizons around transitions.
func Transitions(loc *time.Location, lo, hi int64) []Transition {
	var out []Transition
	ps := periods(loc, lo, hi)
	for i := 1; i < len(ps); i++ {
		if ps[i].offset != ps[i-1].offset && ps[i].start >= lo && ps[i].start < hi {
			out = append(out, Transition{At: ps[i].start, Before: ps[i-1].offset, After: ps[i].offset})
		}
	}
	return out
}

// Transition is a change of UTC offset at instant At (Unix seconds), from
// Before to After (seconds east of UTC). After > Before is a gap of wall
// times that do not exist; After < Before repeats an hour (or half hour).
type Transition struct {
	At, Before, After int64
}
