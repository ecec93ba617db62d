package board

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
)

// The capacity planning board: seven days of arrival windows, each cell
// the capacity of one window as a capacity request without a job type
// answers it, for every business unit or for one (and, through its group,
// the units it shares technicians with).

// Geometry of the week board, in CSS pixels: it fits 1468 px, a 1500 px
// window less the page's margins.
const (
	weekWidth = 1468
	rowHead   = 92  // the window labels' column
	dayHead   = 46  // the days' heading row
	cellWidth = 196 // (weekWidth − rowHead) / 7
	cellGap   = 6
)

// WeekOptions selects what a week board shows.
type WeekOptions struct {
	// BusinessUnitID limits the board to one business unit and the units
	// it shares a group with (R* of DESIGN §4a item 8); 0 shows every
	// unit.
	BusinessUnitID int64
	// Title names the tenant in the heading.
	Title string
}

// RenderWeek writes the capacity planning board of the seven local dates
// from first as a whole HTML page: one row per arrival window (or
// business-hours slot), one column per date. Each cell gives the window's
// capacity, booked, pending and available hours and the percentage full
// ((booked + pending) ÷ capacity), as a capacity request without a job
// type answers it, coloured within the ideal booking percentage, over it,
// or unavailable (grey when nobody works in the window); it marks the adjustments that apply (with their
// reasons), the time the reserve for priority work holds back, and says
// why a window is unavailable. A week in which no technician works and no
// appointment falls is refused with an error wrapping [ErrNoData].
func RenderWeek(w io.Writer, e *capacity.Engine, first hours.Date, opt WeekOptions) error {
	var body strings.Builder
	heading, err := WeekFragment(&body, e, first, opt)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, page, esc(heading), CSS+WeekCSS, body.String())
	return err
}

// weekCell is one window of one date.
type weekCell struct {
	ts      capacity.Timeslot
	reserve int64 // minutes of the pool the reserve holds back
	adjs    []capacity.Adjustment
}

// WeekFragment writes the week board as an HTML fragment — heading,
// legend and the SVG — for a page that includes [CSS] and [WeekCSS], and
// returns the heading's text. See [RenderWeek].
func WeekFragment(w io.Writer, e *capacity.Engine, first hours.Date, opt WeekOptions) (string, error) {
	loc := e.Location()
	if err := checkWeek(e, first); err != nil {
		return "", err
	}
	d := e.Data()
	req := capacity.Request{StartsOnOrAfter: time.Unix(hours.DayStart(loc, first), 0), EndsOnOrBefore: time.Unix(hours.DayStart(loc, first+7), 0)}
	if opt.BusinessUnitID != 0 {
		req.BusinessUnitIDs = []int64{opt.BusinessUnitID}
	}
	resp, err := e.Capacity(req)
	if err != nil {
		return "", err
	}
	// The reserve: what a priority request may have that a routine one
	// may not (the same pool, no reserve withheld).
	held := map[[2]int64]int64{}
	if pj, ok := priorityJobType(d); ok {
		preq := req
		preq.JobTypeID = pj
		presp, err := e.Capacity(preq)
		if err != nil {
			return "", err
		}
		for _, av := range presp.Availabilities {
			for _, ts := range av.Timeslots {
				held[[2]int64{ts.Start.Unix(), ts.End.Unix()}] = ts.TotalAvailability
			}
		}
	}
	scope := scopeUnits(d, opt.BusinessUnitID)
	adjs := e.Adjustments()

	// Rows: the week's windows by their local bounds.
	type key struct{ from, to string }
	cells := map[key][7]*weekCell{}
	var rows []key
	for _, av := range resp.Availabilities {
		for _, ts := range av.Timeslots {
			k := key{clock(ts.Start.Unix(), loc), endClock(ts.End.Unix(), loc)}
			day := int(hours.DateAt(loc, ts.Start.Unix()) - first)
			row, ok := cells[k]
			if !ok {
				rows = append(rows, k)
			}
			c := &weekCell{ts: ts}
			if p, ok := held[[2]int64{ts.Start.Unix(), ts.End.Unix()}]; ok {
				c.reserve = max(0, p-ts.TotalAvailability)
			}
			win := hours.Window{Date: hours.DateAt(loc, ts.Start.Unix()), Start: ts.Start.Unix(), End: ts.End.Unix()}
			for _, a := range adjs {
				if a.Matches(loc, win) && adjustmentReaches(a, d, scope) {
					c.adjs = append(c.adjs, a)
				}
			}
			if day >= 0 && day < 7 {
				row[day] = c
			}
			cells[k] = row
		}
	}
	slices.SortFunc(rows, func(a, b key) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)) })

	lo, hi := idealRange(d, scope)
	cellHeight := 232
	if len(rows) > 4 {
		cellHeight = max(150, (1150-190-dayHead)/len(rows))
	}
	height := dayHead + len(rows)*cellHeight + 4
	var svg strings.Builder
	for i := range 7 {
		day := first + hours.Date(i)
		x := rowHead + i*cellWidth
		_, m0, d0 := day.Civil()
		label := fmt.Sprintf("%s %d %s", time.Weekday(day.Weekday()).String()[:3], d0, m0.String()[:3])
		var capMin, freeMin int64
		for _, r := range rows {
			if c := cells[r][i]; c != nil {
				capMin += c.ts.CapacityMinutes
				freeMin += c.ts.TotalAvailability
			}
		}
		sum := "closed"
		if capMin > 0 || hasWindow(cells, rows, i) {
			sum = fmt.Sprintf("%s h, %s h available", hoursOf(capMin), hoursOf(freeMin))
		}
		fmt.Fprintf(&svg, `<text class="wday" x="%d" y="18">%s</text><text class="wsum" x="%d" y="35">%s</text>`+"\n",
			x+6, esc(label), x+6, fitText(sum, cellWidth-12))
	}
	for r, k := range rows {
		y := dayHead + r*cellHeight
		fmt.Fprintf(&svg, `<text class="wwin" x="4" y="%d">%s</text><text class="wwin" x="4" y="%d">–%s</text>`+"\n", y+22, esc(k.from), y+38, esc(k.to))
		for i := range 7 {
			x := rowHead + i*cellWidth
			c := cells[k][i]
			if c == nil {
				fmt.Fprintf(&svg, `<rect class="wcell none" x="%d" y="%d" width="%d" height="%d" rx="4"/>`+"\n", x, y, cellWidth-cellGap, cellHeight-cellGap)
				continue
			}
			weekCellSVG(&svg, c, x, y, cellWidth-cellGap, cellHeight-cellGap, lo, hi, loc)
		}
	}

	scopeText := "All business units"
	if opt.BusinessUnitID != 0 {
		scopeText = unitNames(d, scope)
	}
	if !staffed(d, scope) {
		scopeText += ": no active technician, so no window has working time"
	}
	idealText := fmt.Sprintf("ideal booking %d%%", lo)
	if lo != hi {
		idealText = fmt.Sprintf("ideal booking %d–%d%% by unit", lo, hi)
	}
	y0, m0, d0 := first.Civil()
	last := first + 6
	_, m1, d1 := last.Civil()
	heading := fmt.Sprintf("%s — capacity, %s %d %s to %s %d %s %d", opt.Title, time.Weekday(first.Weekday()), d0, m0, time.Weekday(last.Weekday()), d1, m1, y0)
	_, err = fmt.Fprintf(w, weekFragment, esc(heading), esc(scopeText), esc(loc.String()), esc(idealText), weekWidth, height, weekWidth, height, svg.String())
	return heading, err
}

// weekCellSVG draws one cell at (x, y), w × h.
func weekCellSVG(b *strings.Builder, c *weekCell, x, y, w, h, lo, hi int, loc *time.Location) {
	ts := c.ts
	status, word := "ok", "within ideal"
	used := ts.BookedMinutes + ts.PendingMinutes
	pct, full := "–", int64(0)
	if ts.CapacityMinutes > 0 {
		full = int64(math.Round(float64(used) * 100 / float64(ts.CapacityMinutes)))
		pct = fmt.Sprintf("%d%%", full)
	}
	switch {
	case c.noWorkingTime():
		// Nobody works in the window (a Saturday afternoon, a unit
		// without technicians): nothing to alarm a dispatcher about.
		status, word = "nowork", "no working time"
	case !ts.IsAvailable:
		status, word = "full", "unavailable"
	case ts.IsExceedingIdealBookingPercentage:
		status, word = "over", "over ideal"
	case lo == hi && ts.CapacityMinutes > 0 && full >= int64(lo)-nearIdeal:
		status, word = "near", "near ideal"
	}
	tip := fmt.Sprintf("%s %s–%s: capacity %d min, booked %d, pending %d, available %d; %s",
		time.Unix(ts.Start.Unix(), 0).In(loc).Format("Mon 2 Jan"), clock(ts.Start.Unix(), loc), endClock(ts.End.Unix(), loc), ts.CapacityMinutes, ts.BookedMinutes, ts.PendingMinutes, ts.TotalAvailability, word)
	for _, a := range c.adjs {
		tip += fmt.Sprintf("; adjustment %d: %+d min, %s", a.ID, a.Minutes, a.Reason)
	}
	fmt.Fprintf(b, `<g class="wcell %s"><title>%s</title><rect class="wbg" x="%d" y="%d" width="%d" height="%d" rx="4"/>`, status, esc(tip), x, y, w, h)
	// The percentage full, and the state beside it.
	fmt.Fprintf(b, `<text class="wpct" x="%d" y="%d">%s</text><text class="wstate" x="%d" y="%d" text-anchor="end">%s</text>`,
		x+8, y+27, pct, x+w-8, y+25, esc(word))
	// The bar: booked, pending, free, on the window's capacity; the ideal
	// as a tick when one percentage governs the window.
	bx, bw, by := float64(x+8), float64(w-16), y+36
	fmt.Fprintf(b, `<rect class="wbar" x="%.1f" y="%d" width="%.1f" height="10" rx="2"/>`, bx, by, bw)
	if ts.CapacityMinutes > 0 {
		scale := bw / float64(ts.CapacityMinutes)
		bk := math.Min(float64(ts.BookedMinutes)*scale, bw)
		pd := math.Min(float64(ts.PendingMinutes)*scale, bw-bk)
		fmt.Fprintf(b, `<rect class="wbooked" x="%.1f" y="%d" width="%.1f" height="10" rx="2"/>`, bx, by, bk)
		if pd > 0 {
			fmt.Fprintf(b, `<rect class="wpending" x="%.1f" y="%d" width="%.1f" height="10"/>`, bx+bk, by, pd)
		}
		if lo == hi && lo <= 100 {
			tx := bx + bw*float64(lo)/100
			fmt.Fprintf(b, `<line class="wideal" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, tx, tx, by-3, by+13)
		}
	}
	ly := y + 68
	line := func(label, value, cls string) {
		fmt.Fprintf(b, `<text class="wl %s" x="%d" y="%d">%s</text><text class="wv %s" x="%d" y="%d" text-anchor="end">%s</text>`,
			cls, x+8, ly, esc(label), cls, x+w-8, ly, esc(value))
		ly += bodyLine
	}
	line("Capacity", hoursOf(ts.CapacityMinutes)+" h", "")
	line("Booked", hoursOf(ts.BookedMinutes)+" h", "")
	line("Pending", hoursOf(ts.PendingMinutes)+" h", "")
	line("Available", hoursOf(ts.TotalAvailability)+" h", "avail")
	ly += 6
	room := float64(w - 16)
	// Notes wrap at whole words; what does not fit the cell is in its
	// tooltip.
	note := func(cls, text string, lines int) {
		px := float64(noteFont)
		if cls == "why" {
			px *= 1.1 // bold
		}
		for _, l := range wrapText(text, room, px, lines) {
			if ly > y+h-5 {
				return
			}
			fmt.Fprintf(b, `<text class="wnote %s" x="%d" y="%d">%s</text>`, cls, x+8, ly, l)
			ly += noteLine
		}
	}
	if !ts.IsAvailable && status != "nowork" {
		note("why", "Unavailable: "+c.reasonWords(), 2)
	}
	for i, a := range c.adjs {
		if i == 2 && len(c.adjs) > 3 {
			note("adj", fmt.Sprintf("and %d more adjustments", len(c.adjs)-2), 1)
			break
		}
		sign := "+"
		if a.Minutes < 0 {
			sign = "−"
		}
		note("adj", fmt.Sprintf("%s%s h adjusted: %s", sign, hoursOf(int64(abs(a.Minutes))), a.Reason), 3)
	}
	if c.reserve > 0 {
		note("reserve", fmt.Sprintf("Reserve holds %s h back for emergencies", hoursOf(c.reserve)), 2)
	}
	b.WriteString("</g>\n")
}

// Text sizes of a cell, in pixels, and how many points under the ideal
// percentage a window is "near" it.
const (
	nearIdeal = 10
	bodyLine  = 17
	noteFont  = 12
	noteLine  = 15
)

// wrapText breaks s into at most lines lines of whole words that fit room
// pixels at px pixels, escaped; the last line ends with an ellipsis when
// words are left over, and a word wider than a line ends the text there.
// It never cuts inside a word.
func wrapText(s string, room, px float64, lines int) []string {
	width := func(t string) float64 { return textWidth(t) * px / 11 }
	var out []string
	words := strings.Fields(s)
	for len(words) > 0 && len(out) < lines {
		n := 0
		for n < len(words) && width(strings.Join(words[:n+1], " ")) <= room {
			n++
		}
		if n == 0 {
			break // a word wider than a line
		}
		if len(out) == lines-1 && n < len(words) {
			// The last line: whole words and an ellipsis.
			for n > 0 && width(strings.Join(words[:n], " ")+"…") > room {
				n--
			}
			if n > 0 {
				out = append(out, esc(strings.Join(words[:n], " ")+"…"))
			}
			return out
		}
		out = append(out, esc(strings.Join(words[:n], " ")))
		words = words[n:]
	}
	if len(words) > 0 && len(out) > 0 && !strings.HasSuffix(out[len(out)-1], "…") {
		out[len(out)-1] += "…"
	}
	return out
}

// noWorkingTime reports whether nobody works in the cell's window: it is
// unavailable, has no capacity, no work booked or pending, and no
// adjustment applies. With an adjustment the zero capacity may be a
// dispatcher's hold-back of time technicians do work (capacity is
// max(0, working time + adjustments), so the working time itself is not
// known here): that is unavailable, not "no working time".
func (c *weekCell) noWorkingTime() bool {
	ts := c.ts
	return !ts.IsAvailable && len(c.adjs) == 0 &&
		ts.CapacityMinutes == 0 && ts.BookedMinutes == 0 && ts.PendingMinutes == 0
}

// reasonWords says why the cell's timeslot is unavailable, for a
// dispatcher.
func (c *weekCell) reasonWords() string {
	ts := c.ts
	r := ts.UnavailableBecause
	if c.noWorkingTime() {
		return "no working time"
	}
	var out []string
	if ts.CapacityMinutes == 0 && len(c.adjs) > 0 {
		out = append(out, "adjusted to no capacity")
	}
	if r.NoTechnicianFits {
		out = append(out, "nobody is free")
	}
	if r.PoolExhausted {
		out = append(out, "fully booked")
	}
	if r.ReserveHeld {
		out = append(out, "only the reserve is left")
	}
	for _, id := range r.CapacityRules {
		out = append(out, fmt.Sprintf("capacity rule %d", id))
	}
	return strings.Join(out, ", ")
}

// hoursOf formats minutes as hours with one decimal.
func hoursOf(min int64) string { return fmt.Sprintf("%.1f", float64(min)/60) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// endClock is clock for a window's end: a window ending at the next local
// midnight ends at 24:00.
func endClock(u int64, loc *time.Location) string {
	if c := clock(u, loc); c != "00:00" {
		return c
	}
	return "24:00"
}

// hasWindow reports whether some row has a cell on day i.
func hasWindow[K comparable](cells map[K][7]*weekCell, rows []K, i int) bool {
	for _, r := range rows {
		if cells[r][i] != nil {
			return true
		}
	}
	return false
}

// priorityJobType returns the lowest id of a priority job type.
func priorityJobType(d capacity.Data) (int64, bool) {
	best := int64(0)
	for _, j := range d.JobTypes {
		if j.Priority && (best == 0 || j.ID < best) {
			best = j.ID
		}
	}
	return best, best != 0
}

// scopeUnits returns R* for a board of unit (every unit when 0): the unit
// and the units it shares a group with, ascending.
func scopeUnits(d capacity.Data, unit int64) []int64 {
	var out []int64
	if unit == 0 {
		for _, u := range d.BusinessUnits {
			out = append(out, u.ID)
		}
	} else {
		out = []int64{unit}
		for _, g := range d.BusinessUnitGroups {
			if slices.Contains(g.BusinessUnitIDs, unit) {
				out = append(out, g.BusinessUnitIDs...)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// adjustmentReaches reports whether adjustment a applies to requests whose
// units are scope (DESIGN §4a item 10).
func adjustmentReaches(a capacity.Adjustment, d capacity.Data, scope []int64) bool {
	switch {
	case a.BusinessUnitID != 0:
		return slices.Contains(scope, a.BusinessUnitID)
	case a.BusinessUnitGroupID != 0:
		for _, g := range d.BusinessUnitGroups {
			if g.ID == a.BusinessUnitGroupID {
				return slices.ContainsFunc(g.BusinessUnitIDs, func(u int64) bool { return slices.Contains(scope, u) })
			}
		}
		return false
	}
	return true
}

// idealRange returns the lowest and highest ideal booking percentage of
// the units of scope that have active technicians (DESIGN §4a item 8: the
// group's, else the unit's, else the tenant's, else 100).
func idealRange(d capacity.Data, scope []int64) (lo, hi int) {
	staffed := map[int64]bool{}
	for _, t := range d.Technicians {
		if t.IsActive() {
			staffed[t.BusinessUnitID] = true
		}
	}
	for i := range d.BusinessUnits {
		u := &d.BusinessUnits[i]
		if !slices.Contains(scope, u.ID) || !staffed[u.ID] {
			continue
		}
		var group *capacity.BusinessUnitGroup // a unit is in at most one
		for k := range d.BusinessUnitGroups {
			if slices.Contains(d.BusinessUnitGroups[k].BusinessUnitIDs, u.ID) {
				group = &d.BusinessUnitGroups[k]
			}
		}
		p, _ := capacity.Percentages(u, group, cmp.Or(d.IdealBookingPercentage, 100))
		if lo == 0 || p < lo {
			lo = p
		}
		hi = max(hi, p)
	}
	if lo == 0 {
		lo = cmp.Or(d.IdealBookingPercentage, 100)
		hi = lo
	}
	return lo, hi
}

// staffed reports whether an active technician belongs to a unit of
// scope.
func staffed(d capacity.Data, scope []int64) bool {
	for _, t := range d.Technicians {
		if t.IsActive() && slices.Contains(scope, t.BusinessUnitID) {
			return true
		}
	}
	return false
}

// unitNames names the units of scope: "HVAC Service and HVAC Maintenance".
func unitNames(d capacity.Data, scope []int64) string {
	var names []string
	for _, u := range d.BusinessUnits {
		if slices.Contains(scope, u.ID) {
			names = append(names, u.Name)
		}
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " (one group)"
}

// checkWeek returns an error wrapping ErrNoData when no date of the week
// from first has working time or appointments.
func checkWeek(e *capacity.Engine, first hours.Date) error {
	var last error
	for i := range 7 {
		err := checkData(e, first+hours.Date(i))
		if err == nil {
			return nil
		}
		last = err
	}
	msg := last.Error()
	if _, span, ok := strings.Cut(msg, "; "); ok {
		return noData(fmt.Sprintf("board: the week from %s (%s) has no working time and no appointments; %s", first, first.Weekday(), span))
	}
	return errors.Join(ErrNoData, last)
}

// WeekCSS styles the week board; a page embedding a [WeekFragment]
// includes it after [CSS]. The board scales down to a narrower page (a
// 1400 px window), its text with it, but not below 1000 px on screen
// (a phone scrolls it rather than shrinking it to unreadable); in print
// it takes the page's width.
const WeekCSS = `
.board svg[aria-label="capacity planning board"] { max-width: 100%; min-width: 1000px; height: auto; }
@media print { .board svg[aria-label="capacity planning board"] { min-width: 0; max-height: 80vh; width: auto; } }
.board .wday { font-weight: 600; font-size: 13px; fill: #1d2733; }
.board .wsum { fill: #5b6773; }
.board .wwin { font-weight: 600; font-size: 13px; fill: #2b4a6f; }
.board .wcell.none { fill: #f6f7f8; stroke: #e4e8ec; }
.board .wcell .wbg { stroke: #c9d3dd; }
.board .wcell.ok .wbg { fill: #eef8f0; }
.board .wcell.near .wbg { fill: #fcf7e3; stroke: #dcc36a; }
.board .wcell.over .wbg { fill: #fdf0e2; stroke: #e8a36b; }
.board .wcell.full .wbg { fill: #fbe9e8; stroke: #d9534f; }
.board .wcell.nowork .wbg { fill: #f6f7f8; stroke: #d5dbe1; }
.board .wpct { font-size: 22px; font-weight: 700; fill: #1d2733; }
.board .wstate { fill: #44515e; }
.board .wcell.over .wstate { fill: #a45a12; }
.board .wcell.full .wstate { fill: #b03a36; font-weight: 600; }
.board .wcell.nowork .wstate { fill: #5b6773; }
.board .wbar { fill: #dfe6ec; }
.board .wbooked { fill: #2f6fbf; }
.board .wpending { fill: #e8833a; }
.board .wideal { stroke: #1d2733; stroke-width: 1.5; }
.board .wl { fill: #44515e; font-size: 13px; }
.board .wv { fill: #1d2733; font-size: 13px; font-variant-numeric: tabular-nums; }
.board .wstate { font-size: 12px; }
.board .wnote { font-size: 12px; }
.board .wl.avail, .board .wv.avail { font-weight: 700; }
.board .wnote.reserve { fill: #6b4fa0; }
.board .wnote.adj { fill: #2b4a6f; font-style: italic; }
.board .wnote.why { fill: #b03a36; font-weight: 600; }
`

const weekFragment = `<div class="board">
<h1>%s</h1>
<p class="zone">%s. Times in %s; each cell is an arrival window as a capacity request without a job type answers it: the percentage full is (booked + pending) ÷ capacity, %s (the tick on the bar).
<span class="legend"><span><i style="background:#2f6fbf"></i>booked</span><span><i style="background:#e8833a"></i>pending (unassigned)</span><span><i style="background:#dfe6ec"></i>free</span></span>
<span class="legend"><span><i style="background:#eef8f0;border:1px solid #c9d3dd"></i>within ideal</span><span><i style="background:#fcf7e3;border:1px solid #dcc36a"></i>near it (10 points or less, one ideal)</span><span><i style="background:#fdf0e2;border:1px solid #e8a36b"></i>over ideal</span><span><i style="background:#fbe9e8;border:1px solid #d9534f"></i>unavailable</span><span><i style="background:#f6f7f8;border:1px solid #d5dbe1"></i>no working time</span></span>
Available is what a routine booking may take: free time less pending work and the reserve held for emergencies; adjustments are a dispatcher's planned overbooking (+) or hold-back (−).</p>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="capacity planning board">
%s</svg>
</div>
`
