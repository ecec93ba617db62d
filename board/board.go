package board

import (
	"cmp"
	"fmt"
	"html"
	"io"
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
	headTop   = 96 // space for the hour scale and the window figures
)

// Render writes the board of local date day for the engine's tenant as a
// whole HTML page. title names the tenant in the heading.
func Render(w io.Writer, e *capacity.Engine, day hours.Date, title string) error {
	var body strings.Builder
	heading, err := Fragment(&body, e, day, title)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, page, esc(heading), CSS, body.String())
	return err
}

// Fragment writes the board as an HTML fragment — heading, legend and the
// SVG — for embedding in another page that includes [CSS]. It returns the
// heading's text.
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
		if sh.Active && sh.Type == shifts.Normal {
			widen(sh.Start, sh.End)
		}
	}
	for _, a := range d.Appointments {
		widen(a.Start, a.End)
	}
	from -= (from - dayStart) % 3600
	if r := (to - dayStart) % 3600; r != 0 {
		to += 3600 - r
	}
	width := nameWidth + int(float64(to-from)/3600*hourWidth)
	x := func(u int64) float64 {
		u = min(max(u, from), to)
		return nameWidth + float64(u-from)/3600*hourWidth
	}

	// Capacity of the date's windows, all units, no job type.
	resp, err := e.Capacity(capacity.Request{StartsOnOrAfter: time.Unix(dayStart, 0), EndsOnOrBefore: time.Unix(dayEnd, 0)})
	if err != nil {
		return "", err
	}

	// Rows: technicians by business unit, then unassigned work.
	unitName := map[int64]string{}
	for _, u := range d.BusinessUnits {
		unitName[u.ID] = u.Name
	}
	jobName := map[int64]string{}
	for _, j := range d.JobTypes {
		jobName[j.ID] = j.Name
	}
	techs := slices.Clone(d.Technicians)
	slices.SortFunc(techs, func(a, b capacity.Technician) int {
		return cmp.Or(cmp.Compare(a.BusinessUnitID, b.BusinessUnitID), cmp.Compare(a.ID, b.ID))
	})
	assigned := map[int64][]int64{} // appointment → technicians assigned now
	for _, as := range d.Assignments {
		if as.Status == capacity.Assigned {
			assigned[as.AppointmentID] = append(assigned[as.AppointmentID], as.TechnicianID)
		}
	}
	onDay := func(s, t int64) bool { return s < dayEnd && t > dayStart }

	var body strings.Builder
	y := headTop
	row := map[int64]int{}
	var lastUnit int64 = -1
	for _, t := range techs {
		if t.BusinessUnitID != lastUnit {
			fmt.Fprintf(&body, `<text class="unit" x="8" y="%d">%s</text>`+"\n", y+20, esc(unitName[t.BusinessUnitID]))
			y += rowHeight
			lastUnit = t.BusinessUnitID
		}
		row[t.ID] = y
		cls := "name"
		if !t.Active {
			cls = "name inactive"
		}
		fmt.Fprintf(&body, `<line class="grid" x1="0" x2="%d" y1="%d" y2="%d"/>`+"\n", width, y+rowHeight, y+rowHeight)
		fmt.Fprintf(&body, `<text class="%s" x="16" y="%d">%s</text>`+"\n", cls, y+19, esc(t.Name))
		y += rowHeight
	}
	unassignedY := y + 10
	fmt.Fprintf(&body, `<text class="unit" x="8" y="%d">Unassigned</text>`+"\n", unassignedY+19)
	height := unassignedY + rowHeight + 20

	// Shift bands first, so appointments draw over them.
	var bands strings.Builder
	for _, sh := range d.Shifts {
		ry, ok := row[sh.TechnicianID]
		if !ok || !sh.Active || !onDay(sh.Start, sh.End) {
			continue
		}
		fmt.Fprintf(&bands, `<rect class="band %s" x="%.1f" y="%d" width="%.1f" height="%d"><title>%s %s %s–%s</title></rect>`+"\n",
			strings.ToLower(sh.Type.String()), x(sh.Start), ry+2, x(sh.End)-x(sh.Start), rowHeight-4,
			esc(sh.Type.String()), esc(sh.Title), clock(sh.Start, loc), clock(sh.End, loc))
	}
	var bars strings.Builder
	var pending []capacity.Appointment
	for _, a := range d.Appointments {
		if !onDay(a.Start, a.End) {
			continue
		}
		techIDs := assigned[a.ID]
		if len(techIDs) == 0 {
			pending = append(pending, a)
			continue
		}
		for _, id := range techIDs {
			bar(&bars, "appt", x(a.Start), x(a.End), row[id], jobName[a.JobTypeID], a, loc)
		}
	}
	// Unassigned appointments share one row, stacked when they overlap.
	lanes := []int64{}
	for _, a := range pending {
		lane := 0
		for lane < len(lanes) && lanes[lane] > a.Start {
			lane++
		}
		if lane == len(lanes) {
			lanes = append(lanes, 0)
		}
		lanes[lane] = a.End
		bar(&bars, "appt pending", x(a.Start), x(a.End), unassignedY+lane*(rowHeight-6), jobName[a.JobTypeID], a, loc)
	}
	height += max(0, len(lanes)-1) * (rowHeight - 6)

	// Hour scale and window figures.
	var head strings.Builder
	for u := from; u <= to; u += 3600 {
		fmt.Fprintf(&head, `<line class="hour" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/><text class="tick" x="%.1f" y="%d">%s</text>`+"\n",
			x(u), x(u), headTop-8, height, x(u)+3, headTop-12, clock(u, loc))
	}
	for _, av := range resp.Availabilities {
		for _, ts := range av.Timeslots {
			cls := "window"
			if ts.IsExceedingIdealBookingPercentage {
				cls += " exceeding"
			}
			if !ts.IsAvailable {
				cls += " full"
			}
			fmt.Fprintf(&head, `<rect class="%s" x="%.1f" y="8" width="%.1f" height="54" rx="4"/>`+"\n", cls, x(ts.Start)+1, x(ts.End)-x(ts.Start)-2)
			flag := "within ideal"
			if ts.IsExceedingIdealBookingPercentage {
				flag = "over ideal"
			}
			fmt.Fprintf(&head, `<text class="wtitle" x="%.1f" y="24">%s–%s</text><text class="wfig" x="%.1f" y="40">%d techs · %d free min</text><text class="wfig" x="%.1f" y="55">%s</text>`+"\n",
				x(ts.Start)+6, clock(ts.Start, loc), clock(ts.End, loc), x(ts.Start)+6, len(ts.TechnicianIDs), ts.TotalAvailability, x(ts.Start)+6, flag)
		}
	}

	y0, m0, d0 := day.Civil()
	heading := fmt.Sprintf("%s — dispatch board for %s %d %s %d", title, time.Weekday(day.Weekday()), d0, m0, y0)
	_, err = fmt.Fprintf(w, fragment, esc(heading), esc(loc.String()), width, height, width, height,
		head.String(), bands.String(), body.String(), bars.String())
	return heading, err
}

func bar(b *strings.Builder, cls string, x0, x1 float64, y int, job string, a capacity.Appointment, loc *time.Location) {
	label := job
	if a.Zip != "" {
		label += " · " + a.Zip
	}
	// Clip the label to the bar: about 6.5 px per character at 11 px.
	if n := int((x1 - x0 - 8) / 6.5); n < len([]rune(label)) {
		r := []rune(label)
		label = string(r[:max(0, n)])
	}
	fmt.Fprintf(b, `<g><title>#%d %s %s–%s zip %s</title><rect class="%s" x="%.1f" y="%d" width="%.1f" height="%d" rx="3"/><text class="label" x="%.1f" y="%d">%s</text></g>`+"\n",
		a.ID, esc(job), clock(a.Start, loc), clock(a.End, loc), esc(a.Zip), cls, x0+1, y+5, max(x1-x0-2, 1), rowHeight-10, x0+5, y+19, esc(label))
}

func clock(u int64, loc *time.Location) string { return time.Unix(u, 0).In(loc).Format("15:04") }

func esc(s string) string { return html.EscapeString(s) }

// CSS styles the board; a page embedding a [Fragment] includes it.
const CSS = `
.board h1 { font-size: 17px; margin: 0 0 4px; }
.board p.zone { margin: 0 0 10px; color: #5b6773; }
.board .legend span { display: inline-block; margin-right: 14px; }
.board .legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
.board svg text { font-size: 11px; }
.board .unit { font-weight: 600; font-size: 12px; fill: #2b4a6f; }
.board .name { fill: #1d2733; }
.board .inactive { fill: #9aa4ad; text-decoration: line-through; }
.board .grid { stroke: #eef1f4; }
.board .hour { stroke: #dde3e8; }
.board .tick { fill: #7b8793; }
.board .band.normal { fill: #e3f4e6; }
.board .band.timeoff { fill: #e4e4e4; }
.board .band.oncall { fill: #fff3cd; }
.board .appt { fill: #3b7dd8; }
.board .appt.pending { fill: #e8833a; }
.board .label { fill: #fff; font-size: 11px; }
.board .window { fill: #eaf2fb; stroke: #9cbde6; }
.board .window.exceeding { fill: #fdeede; stroke: #e8a36b; }
.board .window.full { fill: #f6e1e1; stroke: #d98c8c; }
.board .wtitle { font-weight: 600; }
.board .wfig { fill: #44515e; }
`

const fragment = `<div class="board">
<h1>%s</h1>
<p class="zone">Times in %s. <span class="legend"><span><i style="background:#e3f4e6"></i>shift</span><span><i style="background:#fff3cd"></i>on call</span><span><i style="background:#e4e4e4"></i>time off</span><span><i style="background:#3b7dd8"></i>appointment</span><span><i style="background:#e8833a"></i>unassigned</span></span></p>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="dispatch board">
%s%s%s%s</svg>
</div>
`

const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%s</title>
<style>
body { font: 13px system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px; color: #1d2733; background: #fff; }
%s
</style>
</head>
<body>
%s</body>
</html>
`
