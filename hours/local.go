package hours

import "time"

// orUTC returns loc, or UTC when loc is nil (see the package
// documentation, "Time zones"): time.Time.In would panic.
func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// offsetAt returns the zone's UTC offset in seconds at instant u.
func offsetAt(loc *time.Location, u int64) int64 {
	_, off := time.Unix(u, 0).In(loc).Zone()
	return int64(off)
}

// Local returns the instant of wall-clock time c on date d in loc, with the
// compatible disambiguation (see the package documentation): a time in a
// spring-forward gap moves forward by the gap, a time that occurs twice
// takes the earlier instant. c may be [EndOfDay], which is the next date's
// midnight.
func Local(loc *time.Location, d Date, c Clock) int64 {
	// wall is the local time read as if it were UTC. The instant u we want
	// satisfies u + offset(u) = wall.
	loc = orUTC(loc)
	wall := int64(d)*86400 + int64(c)*60
	// Offsets in force a day before and after bracket any transition near
	// wall (real offsets are within ±26 hours of UTC, and zones do not
	// change twice within a day).
	before := offsetAt(loc, wall-86400)
	after := offsetAt(loc, wall+86400)
	if before == after {
		// The common case: no transition near wall. (Two transitions that
		// cancel out within two days do not occur in the zone database.)
		return wall - before
	}
	best, found := int64(0), false
	for _, off := range [...]int64{before, after} {
		if u := wall - off; offsetAt(loc, u) == off && (!found || u < best) {
			best, found = u, true
		}
	}
	if found {
		return best
	}
	// No offset reproduces wall: it lies in a gap. Reading it with the
	// offset from before the transition lands after the gap, moved forward
	// by the gap's length.
	return wall - before
}

// DateAt returns the local date of instant u in loc.
func DateAt(loc *time.Location, u int64) Date {
	y, m, d := time.Unix(u, 0).In(orUTC(loc)).Date()
	return DateOf(y, m, d)
}

// DayStart returns the instant local date d begins in loc: its first
// midnight, or the first instant after a gap that swallows midnight.
func DayStart(loc *time.Location, d Date) int64 { return Local(loc, d, Midnight) }

// Span returns the instants [start, end) of slot s on date d in loc.
func (s Slot) Span(loc *time.Location, d Date) (start, end int64) {
	return Local(loc, d, s.From), Local(loc, d, s.To)
}
