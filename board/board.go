package board

import (
	"cmp"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// Geometry of the board, in CSS pixels.
const (
	nameWidth = 190
	hourWidth = 90
	rowHeight = 30
	cardTop   = 8  // top of the window cards
	cardHead  = 22 // a card's title line
	cardRow   = 15 // one business unit's line in a card
	// cardRowMax is the widest a unit's line in a card gets: three hours.
	cardRowMax = 3 * hourWidth
)

// ErrNoData is wrapped by Render's error for a date with no working time
// and no appointments: a board of nothing is a wrong date, not a board.
var ErrNoData = errors.New("no data for the date")

// Render writes the board of local date day for the engine's tenant as a
// whole HTML page. title names the tenant in the heading. A date on which
// no technician works and no appointment falls is refused with an error
// wrapping [ErrNoData] that gives the dates the tenant's data covers.
func Render(w io.Writer, e *capacity.Engine, day hours.Date, title string) error {
	if err := checkData(e, day); err != nil {
		return err
	}
	var body strings.Builder
	heading, err := Fragment(&body, e, day, title)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, page, esc(heading), CSS, body.String())
	return err
}

// checkData returns an error wrapping ErrNoData when no active technician
// has working time on day and no appointment meets it.
func checkData(e *capacity.Engine, day hours.Date) error {
	loc := e.Location()
	dayStart, dayEnd := hours.DayStart(loc, day), hours.DayStart(loc, day+1)
	d := e.Data()
	for _, a := range d.Appointments {
		if a.Start.Unix() < dayEnd && a.End.Unix() > dayStart {
			return nil
		}
	}
	for _, t := range d.Technicians {
		if t.IsActive() && !e.Working(t.ID, time.Unix(dayStart, 0), time.Unix(dayEnd, 0)).IsEmpty() {
			return nil
		}
	}
	// Say which dates do have data.
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	for _, sh := range d.Shifts {
		if sh.IsActive() && sh.Type == shifts.Normal {
			first, last = min(first, sh.Start.Unix()), max(last, sh.End.Unix()-1)
		}
	}
	for _, a := range d.Appointments {
		first, last = min(first, a.Start.Unix()), max(last, a.End.Unix()-1)
	}
	what := fmt.Sprintf("board: %s (%s) has no working time and no appointments", day, day.Weekday())
	if first > last {
		return noData(what + "; the tenant has no shifts and no appointments")
	}
	return noData(fmt.Sprintf("%s; its shifts and appointments run from %s to %s", what, hours.DateAt(loc, first), hours.DateAt(loc, last)))
}

// noData is the error of a date without data; it is ErrNoData for
// errors.Is.
type noData string

func (e noData) Error() string        { return string(e) }
func (e noData) Is(target error) bool { return target == ErrNoData }

// unitFigures is one business unit's capacity in one window, as a request
// for that unit alone answers it.
type unitFigures struct {
	unit capacity.BusinessUnit
	ts   capacity.Timeslot
}

// Fragment writes the board as an HTML fragment — heading, legend and the
// SVG — for embedding in another page that includes [CSS]. It returns the
// heading's text. Unlike [Render] it draws a day without data as an empty
// board.
//
// Layout, top to bottom: a card per arrival window with each business
// unit's figures (the technicians who fit and the free minutes, as
// "dispatch capacity --business-units N" gives them, coloured by whether
// the unit is within its ideal booking percentage, over it, or full); the
// hour scale; the unassigned appointments, where a dispatcher sees them
// first; then the technicians grouped by business unit. Labels are never
// cut inside a word: a label that does not fit loses the zip, then whole
// words (with an ellipsis); the full text is in each bar's tooltip.
func Fragment(w io.Writer, e *capacity.Engine, day hours.Date, title string) (string, error) {
	loc := e.Location()
	dayStart, dayEnd := hours.DayStart(loc, day), hours.DayStart(loc, day+1)
	d := e.Data()

	// Hours shown: business hours widened to whole hours and to every
	// shift and appointment of the day, at least 07:00–18:00.
	from, to := hours.Local(loc, day, 7*60), hours.Local(loc, day, 18*60)
	widen := func(s, t int64) {
		if s < dayEnd && t > dayStart {
			from, to = min(from, max(s, dayStart)), max(to, min(t, dayEnd))
		}
	}
	for _, sl := range e.Schedule().SlotsOn(day) {
		s, t := sl.Span(loc, day)
		widen(s, t)
	}
	for _, sh := range d.Shifts {
		if sh.IsActive() && sh.Type == shifts.Normal {
			widen(sh.Start.Unix(), sh.End.Unix())
		}
	}
	for _, a := range d.Appointments {
		widen(a.Start.Unix(), a.End.Unix())
	}
	// Widened to the local whole hours around them, within the day (on
	// Lord Howe Island's 23½-hour day, elapsed hours from midnight would
	// put every line after the change on a half hour and run past 24:00).
	hourMarks := hourTicks(dayStart, dayEnd, loc)
	if i, ok := slices.BinarySearch(hourMarks, from); !ok {
		from = dayStart
		if i > 0 {
			from = hourMarks[i-1]
		}
	}
	if i, _ := slices.BinarySearch(hourMarks, to); i < len(hourMarks) {
		to = hourMarks[i]
	} else {
		to = dayEnd
	}
	width := nameWidth + int(float64(to-from)/3600*hourWidth)
	x := func(u int64) float64 {
		u = min(max(u, from), to)
		return nameWidth + float64(u-from)/3600*hourWidth
	}

	// The hours of the scale; on a day the clocks change, the labels
	// around the change carry the zone's abbreviation (01:00 MDT, 01:00
	// MST), which tells the repeated hour apart and marks the skipped one.
	var ticks []int64
	for _, u := range hourMarks {
		if u >= from && u <= to {
			ticks = append(ticks, u)
		}
	}
	if len(ticks) == 0 || ticks[0] != from {
		ticks = slices.Insert(ticks, 0, from) // a day beginning off the hour
	}
	labels := make([]string, len(ticks))
	for i := range ticks {
		labels[i] = tickText(ticks, i, loc)
	}
	// The last label ends at the board's edge, left of its line; where
	// the one before it is long (23:00 -04 on Santiago's 25-hour day, the
	// clocks going back at 24:00) it would overlap it: the board widens
	// to hold the last label right of its line instead.
	if n := len(ticks); n > 1 {
		last, prev := x(ticks[n-1]), x(ticks[n-2])
		if prev+3+textWidth(labels[n-2])+4 > last-3-textWidth(labels[n-1]) {
			width = max(width, int(math.Ceil(last+3+textWidth(labels[n-1])))+8)
		}
	}

	// The date's windows (all units, no job type), and each unit's figures
	// in them.
	req := capacity.Request{StartsOnOrAfter: time.Unix(dayStart, 0), EndsOnOrBefore: time.Unix(dayEnd, 0)}
	all, err := e.Capacity(req)
	if err != nil {
		return "", err
	}
	units := slices.Clone(d.BusinessUnits)
	slices.SortFunc(units, func(a, b capacity.BusinessUnit) int { return cmp.Compare(a.ID, b.ID) })
	type span struct{ start, end int64 }
	perWindow := map[span][]unitFigures{}
	for _, u := range units {
		req.BusinessUnitIDs = []int64{u.ID}
		resp, err := e.Capacity(req)
		if err != nil {
			return "", err
		}
		for _, av := range resp.Availabilities {
			for _, ts := range av.Timeslots {
				k := span{ts.Start.Unix(), ts.End.Unix()}
				perWindow[k] = append(perWindow[k], unitFigures{u, ts})
			}
		}
	}
	rows := 0
	for _, f := range perWindow {
		rows = max(rows, len(f))
	}
	cardHeight := cardHead + rows*cardRow + 4
	scaleY := cardTop + cardHeight + 20 // baseline of the hour labels
	headTop := scaleY + 8

	unitName := map[int64]string{}
	for _, u := range units {
		unitName[u.ID] = u.Name
	}
	jobName := map[int64]string{}
	for _, j := range d.JobTypes {
		jobName[j.ID] = j.Name
	}
	assigned := map[int64][]int64{} // appointment → technicians assigned now
	for _, as := range d.Assignments {
		if as.Status == capacity.Assigned {
			assigned[as.AppointmentID] = append(assigned[as.AppointmentID], as.TechnicianID)
		}
	}
	onDay := func(s, t int64) bool { return s < dayEnd && t > dayStart }

	// Unassigned work first, stacked in lanes where it overlaps.
	var body, bars strings.Builder
	var pending []capacity.Appointment
	for _, a := range d.Appointments {
		if onDay(a.Start.Unix(), a.End.Unix()) && len(assigned[a.ID]) == 0 {
			pending = append(pending, a)
		}
	}
	slices.SortFunc(pending, func(a, b capacity.Appointment) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	y := headTop
	fmt.Fprintf(&body, `<rect class="pendingbg" x="0" y="%d" width="%d" height="%d"/>`+"\n", y, width, rowHeight*max(1, lanesOf(pending)))
	fmt.Fprintf(&body, `<text class="unit" x="8" y="%d">Unassigned (%d)</text>`+"\n", y+19, len(pending))
	lanes := []int64{}
	for _, a := range pending {
		lane := 0
		for lane < len(lanes) && lanes[lane] > a.Start.Unix() {
			lane++
		}
		if lane == len(lanes) {
			lanes = append(lanes, 0)
		}
		lanes[lane] = a.End.Unix()
		bar(&bars, "appt pending", x(a.Start.Unix()), x(a.End.Unix()), y+lane*rowHeight, jobName[a.JobTypeID], a, loc)
	}
	y += rowHeight*max(1, len(lanes)) + 10

	// Technicians by business unit.
	techs := slices.Clone(d.Technicians)
	slices.SortFunc(techs, func(a, b capacity.Technician) int {
		return cmp.Or(cmp.Compare(a.BusinessUnitID, b.BusinessUnitID), cmp.Compare(a.ID, b.ID))
	})
	row := map[int64]int{}
	var lastUnit int64 = -1
	for _, t := range techs {
		if t.BusinessUnitID != lastUnit {
			fmt.Fprintf(&body, `<text class="unit" x="8" y="%d">%s</text>`+"\n", y+20, fitText(unitName[t.BusinessUnitID], nameWidth-12))
			// The hour scale again, so that a long board still reads
			// below its top.
			for i, u := range ticks {
				tickLabel(&body, x(u), y+20, width, labels[i])
			}
			y += rowHeight
			lastUnit = t.BusinessUnitID
		}
		row[t.ID] = y
		cls := "name"
		if !t.IsActive() {
			cls = "name inactive"
		}
		fmt.Fprintf(&body, `<line class="grid" x1="0" x2="%d" y1="%d" y2="%d"/>`+"\n", width, y+rowHeight, y+rowHeight)
		fmt.Fprintf(&body, `<text class="%s" x="16" y="%d">%s</text>`+"\n", cls, y+19, fitText(t.Name, nameWidth-22))
		y += rowHeight
	}
	height := y + 10

	// Shift bands first, so appointments draw over them.
	var bands strings.Builder
	for _, sh := range d.Shifts {
		ry, ok := row[sh.TechnicianID]
		if !ok || !sh.IsActive() || !onDay(sh.Start.Unix(), sh.End.Unix()) {
			continue
		}
		fmt.Fprintf(&bands, `<rect class="band %s" x="%.1f" y="%d" width="%.1f" height="%d"><title>%s %s %s–%s</title></rect>`+"\n",
			strings.ToLower(sh.Type.String()), x(sh.Start.Unix()), ry+2, x(sh.End.Unix())-x(sh.Start.Unix()), rowHeight-4,
			esc(sh.Type.String()), esc(sh.Title), clock(sh.Start.Unix(), loc), endClock(sh.End.Unix(), loc))
	}
	for _, a := range d.Appointments {
		if !onDay(a.Start.Unix(), a.End.Unix()) {
			continue
		}
		for _, id := range assigned[a.ID] {
			if ry, ok := row[id]; ok {
				bar(&bars, "appt", x(a.Start.Unix()), x(a.End.Unix()), ry, jobName[a.JobTypeID], a, loc)
			}
		}
	}

	// Window cards and the hour scale.
	var head strings.Builder
	for i, u := range ticks {
		fmt.Fprintf(&head, `<line class="hour" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, x(u), x(u), scaleY+4, height)
		tickLabel(&head, x(u), scaleY, width, labels[i])
	}
	for _, av := range all.Availabilities {
		for _, ts := range av.Timeslots {
			x0, x1 := x(ts.Start.Unix())+1, x(ts.End.Unix())-1
			fmt.Fprintf(&head, `<g><title>%s–%s: capacity per business unit (technicians who fit · free minutes)</title><rect class="window" x="%.1f" y="%d" width="%.1f" height="%d" rx="4"/><text class="wtitle" x="%.1f" y="%d">%s–%s</text></g>`+"\n",
				clock(ts.Start.Unix(), loc), endClock(ts.End.Unix(), loc), x0, cardTop, x1-x0, cardHeight, x0+6, cardTop+15, clock(ts.Start.Unix(), loc), endClock(ts.End.Unix(), loc))
			for i, f := range perWindow[span{ts.Start.Unix(), ts.End.Unix()}] {
				unitRow(&head, f, x0, x1, cardTop+cardHead+i*cardRow, ts, loc)
			}
		}
	}

	y0, m0, d0 := day.Civil()
	heading := fmt.Sprintf("%s — dispatch board for %s %d %s %d", title, time.Weekday(day.Weekday()), d0, m0, y0)
	zone := loc.String()
	if n := dayEnd - dayStart; n != 24*3600 {
		zone += "; this day has " + duration(n)
		if c, ok := clockChange(dayStart, dayEnd, loc); ok {
			_, off := time.Unix(c-1, 0).In(loc).Zone()
			was, _ := time.Unix(c-1, 0).In(loc).Zone()
			now, _ := time.Unix(c, 0).In(loc).Zone()
			zone += fmt.Sprintf(": the clocks go from %s %s to %s %s", endClock(c, time.FixedZone(was, off)), was, clock(c, loc), now)
			if c >= ticks[0] && c <= ticks[len(ticks)-1] {
				zone += " (marked on the hour scale)"
			}
		}
	}
	_, err = fmt.Fprintf(w, fragment, esc(heading), esc(zone), width, height, width, height,
		head.String(), bands.String(), body.String(), bars.String())
	return heading, err
}

// tickText is the label of the i-th hour of ticks: its local clock,
// with the zone's abbreviation when it is [marked]; the next midnight,
// ending the day, is 24:00.
func tickText(ticks []int64, i int, loc *time.Location) string {
	c := clock(ticks[i], loc)
	if i > 0 {
		c = endClock(ticks[i], loc) // the day's end is 24:00, not 00:00
	}
	if !marked(ticks, i, loc) {
		return c
	}
	abbr, _ := time.Unix(ticks[i], 0).In(loc).Zone()
	return c + " " + abbr
}

// marked reports whether the i-th hour of ticks is next to a clock
// change: the UTC offset differs between it and the hour before or after
// it, or, for the first hour, the second before it (Santiago's spring
// day begins at 01:00, the clocks having gone from 24:00 to 01:00).
func marked(ticks []int64, i int, loc *time.Location) bool {
	_, off := time.Unix(ticks[i], 0).In(loc).Zone()
	prev := ticks[i] - 1
	if i > 0 {
		prev = ticks[i-1]
	}
	for _, u := range []int64{prev, ticks[min(i+1, len(ticks)-1)]} {
		if _, o := time.Unix(u, 0).In(loc).Zone(); o != off {
			return true
		}
	}
	return false
}

// hourTicks returns the instants in [from, to] at which loc's clock
// reads a whole hour (hh:00:00), ascending: on Lord Howe Island's day of
// a 30-minute change they are 01:00 +1030 then 03:00 +11, 1½ hours
// apart, not 01:00 and 02:30.
func hourTicks(from, to int64, loc *time.Location) []int64 {
	var out []int64
	for u := from; u <= to; {
		t := time.Unix(u, 0).In(loc)
		c := u
		if into := int64(t.Minute()*60 + t.Second()); into != 0 {
			c += 3600 - into
		}
		if _, end := t.ZoneBounds(); !end.IsZero() && c >= end.Unix() && end.Unix() > u {
			u = end.Unix() // the offset changes first: read the clock anew
			continue
		}
		if c > to {
			break
		}
		out = append(out, c)
		u = c + 1
	}
	return out
}

// clockChange returns the first instant in (start, end] at which loc's
// UTC offset changes, comparing with the second before start (so a day
// whose midnight was skipped has its change at start).
func clockChange(start, end int64, loc *time.Location) (int64, bool) {
	_, off := time.Unix(start-1, 0).In(loc).Zone()
	for u := start - 1; u < end; {
		_, next := time.Unix(u, 0).In(loc).ZoneBounds()
		if next.IsZero() || next.Unix() > end || next.Unix() <= u {
			return 0, false
		}
		u = next.Unix()
		if _, o := time.Unix(u, 0).In(loc).Zone(); o != off {
			return u, true
		}
	}
	return 0, false
}

// duration says how long a day of n seconds is: "23 hours", "23 hours
// 30 minutes".
func duration(n int64) string {
	s := fmt.Sprintf("%d hours", n/3600)
	if m := n % 3600 / 60; m != 0 {
		s += fmt.Sprintf(" %d minutes", m)
	}
	return s
}

// tickLabel writes an hour's label at x on baseline y, right of its line,
// or left of it when it would run past the board's width (the last hour).
func tickLabel(b *strings.Builder, x float64, y, width int, text string) {
	if x+3+textWidth(text) > float64(width) {
		fmt.Fprintf(b, `<text class="tick" x="%.1f" y="%d" text-anchor="end">%s</text>`+"\n", x-3, y, esc(text))
		return
	}
	fmt.Fprintf(b, `<text class="tick" x="%.1f" y="%d">%s</text>`+"\n", x+3, y, esc(text))
}

// lanesOf returns how many lanes the appointments, in start order, need
// so that none overlaps another in its lane.
func lanesOf(as []capacity.Appointment) int {
	var ends []int64
	for _, a := range as {
		lane := 0
		for lane < len(ends) && ends[lane] > a.Start.Unix() {
			lane++
		}
		if lane == len(ends) {
			ends = append(ends, 0)
		}
		ends[lane] = a.End.Unix()
	}
	return len(ends)
}

// unitRow writes one business unit's line in a window card: a status mark
// (within ideal, over ideal, full), the unit's name fitted to the card
// and its figures "technicians · free minutes", with the detail in a tooltip.
func unitRow(b *strings.Builder, f unitFigures, x0, x1 float64, top int, win capacity.Timeslot, loc *time.Location) {
	status, word := "ok", "within ideal"
	switch {
	case !f.ts.IsAvailable:
		status, word = "full", "full"
	case f.ts.IsExceedingIdealBookingPercentage:
		status, word = "over", "over ideal"
	}
	// The legend names the figures ("technicians who fit · free
	// minutes"): without a unit after them the card has room for names
	// such as "HVAC Maintenance", which would otherwise end "HVAC…" beside
	// "HVAC Service" in the same card.
	figs := fmt.Sprintf("%d · %d", len(f.ts.TechnicianIDs), f.ts.TotalAvailability)
	// On a wide card (a long window) the figures stay near the name, not
	// at the card's far end, off screen for a window of the whole day.
	x1 = min(x1, x0+cardRowMax)
	nameRoom := x1 - x0 - 22 - textWidth(figs) - 6
	name := fitText(f.unit.Name, nameRoom)
	if name == "" {
		name = esc(fmt.Sprintf("#%d", f.unit.ID))
	}
	fmt.Fprintf(b, `<g class="unitrow %s"><title>%s, %s–%s: %d technicians fit, %d free minutes (capacity %d, booked %d, pending %d); %s</title>`+
		`<rect class="mark" x="%.1f" y="%d" width="8" height="8" rx="2"/><text class="wunit" x="%.1f" y="%d">%s</text><text class="wfig" x="%.1f" y="%d" text-anchor="end">%s</text></g>`+"\n",
		status, esc(f.unit.Name), clock(win.Start.Unix(), loc), endClock(win.End.Unix(), loc), len(f.ts.TechnicianIDs), f.ts.TotalAvailability,
		f.ts.CapacityMinutes, f.ts.BookedMinutes, f.ts.PendingMinutes, word,
		x0+6, top+3, x0+18, top+11, name, x1-6, top+11, esc(figs))
}

// textWidth estimates the width of s in pixels at the board's 11 px
// sans-serif font: Helvetica's advance widths, 12% wider to cover the
// wider sans fonts a browser may pick (DejaVu Sans), so that an estimate
// errs on the side of an ellipsis rather than text running out of its bar.
func textWidth(s string) float64 {
	em := 0 // thousandths of an em
	for _, r := range s {
		em += advance(r)
	}
	return float64(em) * 11 / 1000 * 1.12
}

// advance is Helvetica's advance width of r in thousandths of an em; runes
// outside its table count as wide (a capital M).
func advance(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return 556
	case r >= 'a' && r <= 'z':
		return lower[r-'a']
	case r >= 'A' && r <= 'Z':
		return upper[r-'A']
	}
	switch r {
	case ' ', '.', ',', ':', ';', '!', '·', '\'', '|':
		return 278
	case '-', '(', ')', '/', '[', ']':
		return 333
	case '…':
		return 1000
	case '&':
		return 667
	}
	return 833
}

var (
	lower = [26]int{556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500}
	upper = [26]int{667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611}
)

// fitText returns s, escaped, when it fits in room pixels; else its
// longest prefix of whole words that fits with an ellipsis; else "". It
// never cuts inside a word.
func fitText(s string, room float64) string {
	if textWidth(s) <= room {
		return esc(s)
	}
	words := strings.Fields(s)
	for n := len(words) - 1; n >= 1; n-- {
		if c := strings.Join(words[:n], " ") + "…"; textWidth(c) <= room {
			return esc(c)
		}
	}
	return ""
}

// label fits an appointment's label "Job Type · zip" to room pixels: the
// whole label, else the job type alone, else its whole words with an
// ellipsis, else nothing. A zip is shown whole or not at all.
func label(job, zip string, room float64) string {
	if zip != "" && textWidth(job+" · "+zip) <= room {
		return esc(job + " · " + zip)
	}
	return fitText(job, room)
}

// bar draws appointment a as a bar of class cls ("appt", or "appt
// pending" for unassigned work, whose label is dark on the lighter fill).
func bar(b *strings.Builder, cls string, x0, x1 float64, y int, job string, a capacity.Appointment, loc *time.Location) {
	labelCls := "label"
	if strings.HasSuffix(cls, " pending") {
		labelCls = "label pending"
	}
	fmt.Fprintf(b, `<g><title>#%d %s %s–%s zip %s</title><rect class="%s" x="%.1f" y="%d" width="%.1f" height="%d" rx="3"/><text class="%s" x="%.1f" y="%d">%s</text></g>`+"\n",
		a.ID, esc(job), clock(a.Start.Unix(), loc), endClock(a.End.Unix(), loc), esc(a.Zip), cls, x0+1, y+5, max(x1-x0-2, 1), rowHeight-10, labelCls, x0+5, y+19, label(job, a.Zip, x1-x0-10))
}

func clock(u int64, loc *time.Location) string { return time.Unix(u, 0).In(loc).Format("15:04") }

func esc(s string) string { return html.EscapeString(s) }

// CSS styles the board; a page embedding a [Fragment] includes it. In
// print the board scales down to the page's width instead of being cut
// at its right edge.
const CSS = `
/* A board wider than the page scrolls in its own box, not the page with it. */
.board { overflow-x: auto; }
.board h1 { font-size: 17px; margin: 0 0 4px; }
.board p.zone { margin: 0 0 10px; color: #5b6773; }
.board .legend span { display: inline-block; margin-right: 14px; }
.board .legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
.board svg text { font-size: 11px; }
.board .unit { font-weight: 600; font-size: 12px; fill: #2b4a6f; }
.board .name { fill: #1d2733; }
.board .inactive { fill: #6b7580; text-decoration: line-through; }
.board .grid { stroke: #eef1f4; }
.board .hour { stroke: #dde3e8; }
.board .tick { fill: #5b6773; }
.board .band.normal { fill: #e3f4e6; }
.board .band.timeoff { fill: #e4e4e4; }
.board .band.oncall { fill: #fff3cd; }
.board .appt { fill: #2f6fbf; }
.board .appt.pending { fill: #e8833a; }
.board .label { fill: #fff; font-size: 11px; }
.board .label.pending { fill: #1d2733; }
.board .pendingbg { fill: #fdf1e7; }
.board .window { fill: #f4f7fb; stroke: #b9c8da; }
.board .wtitle { font-weight: 600; }
.board .wunit { fill: #1d2733; }
.board .wfig { fill: #44515e; font-variant-numeric: tabular-nums; }
.board .unitrow.ok .mark { fill: #4caf6a; }
.board .unitrow.over .mark { fill: #e8a36b; }
.board .unitrow.full .mark { fill: #d9534f; }
.board .unitrow.full .wfig { fill: #b03a36; }
@media print { .board svg { max-width: 100%; height: auto; } }
`

const fragment = `<div class="board">
<h1>%s</h1>
<p class="zone">Times in %s. <span class="legend"><span><i style="background:#e3f4e6"></i>shift</span><span><i style="background:#fff3cd"></i>on call</span><span><i style="background:#e4e4e4"></i>time off</span><span><i style="background:#2f6fbf"></i>appointment</span><span><i style="background:#e8833a"></i>unassigned</span></span>
Windows: per business unit, technicians who fit · free minutes; <span class="legend"><span><i style="background:#4caf6a"></i>within ideal</span><span><i style="background:#e8a36b"></i>over ideal</span><span><i style="background:#d9534f"></i>full</span></span></p>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="dispatch board">
%s%s%s%s</svg>
</div>
`

const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font: 13px system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px; color: #1d2733; background: #fff; }
@page { size: landscape; margin: 10mm; }
@media print { body { margin: 0; } }
%s
</style>
</head>
<body>
%s</body>
</html>
`
