package board_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/board"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

func demo(t *testing.T) *tenant.Tenant {
	t.Helper()
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	return ten
}

func render(t *testing.T, e *capacity.Engine, day string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := board.Render(&buf, e, hours.MustParseDate(day), "Test"); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// boards are the boards the tests look at: the demo's Tuesday and a busy
// day of every synthetic profile small enough to render quickly.
func boards(t *testing.T) map[string]string {
	out := map[string]string{"demo": render(t, demo(t).Engine, "2027-03-09")}
	for _, name := range []string{"small", "medium"} {
		p, _ := synth.ProfileNamed(name)
		for seed := uint64(1); seed <= 3; seed++ {
			f, err := synth.Generate(p, seed)
			if err != nil {
				t.Fatal(err)
			}
			ten, err := tenant.Build(f)
			if err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("%s-%d", name, seed)] = render(t, ten.Engine, "2027-03-16")
		}
	}
	return out
}

var barRE = regexp.MustCompile(`<g><title>#\d+ (.*?) \d\d:\d\d–\d\d:\d\d zip (.*?)</title><rect [^>]*/><text class="label(?: pending)?"[^>]*>(.*?)</text></g>`)

// TestLabelsWholeWords: a bar's label is its job type and zip, its job type
// alone, whole words of it with an ellipsis, or nothing, never a word or
// a zip cut short; the tooltip has the whole text.
func TestLabelsWholeWords(t *testing.T) {
	for name, page := range boards(t) {
		bars := barRE.FindAllStringSubmatch(page, -1)
		if len(bars) < 20 {
			t.Fatalf("%s: %d bars found; the pattern no longer matches the board", name, len(bars))
		}
		shortened := 0
		for _, m := range bars {
			job, zip, label := html.UnescapeString(m[1]), html.UnescapeString(m[2]), html.UnescapeString(m[3])
			switch {
			case label == job+" · "+zip, label == job, label == "":
			case strings.HasSuffix(label, "…") && strings.HasPrefix(job+" ", strings.TrimSuffix(label, "…")+" "):
				shortened++
			default:
				t.Errorf("%s: label %q of %q zip %q cuts a word or a zip", name, label, job, zip)
			}
		}
		t.Logf("%s: %d bars, %d labels shortened at a word", name, len(bars), shortened)
	}
}

// TestUnassignedFirst: the unassigned lane is above every technician, near
// the top where a dispatcher sees it without scrolling (1500×1150).
func TestUnassignedFirst(t *testing.T) {
	yOf := func(page, marker string) int {
		i := strings.Index(page, marker)
		if i < 0 {
			t.Fatalf("no %q on the board", marker)
		}
		start := strings.LastIndex(page[:i+1], "<text")
		tag := page[start : start+strings.IndexByte(page[start:], '>')]
		m := regexp.MustCompile(` y="(\d+)"`).FindStringSubmatch(tag)
		if m == nil {
			t.Fatalf("no y in %q", tag)
		}
		y, _ := strconv.Atoi(m[1])
		return y
	}
	for name, page := range boards(t) {
		un := yOf(page, ">Unassigned (")
		first := yOf(page, `<text class="name`)
		if un >= first {
			t.Errorf("%s: the unassigned lane (y=%d) is below the first technician (y=%d)", name, un, first)
		}
		// The SVG starts about 70 px down the page; its cards take 30 px
		// and 15 px a unit. The lane must start well within the first
		// screen.
		if un > 300 {
			t.Errorf("%s: the unassigned lane starts at y=%d of the board, too far down", name, un)
		}
	}
}

var rowRE = regexp.MustCompile(`<g class="unitrow (ok|over|full)"><title>(.*?), (\d\d:\d\d)–(\d\d:\d\d): (\d+) technicians fit, (\d+) free minutes`)

// TestWindowCardsPerUnit: each window card shows every unit's own figures,
// equal to the capacity of a request for that unit alone.
var shownUnitRE = regexp.MustCompile(`<text class="wunit"[^>]*>([^<]*)</text>`)

func TestWindowCardsPerUnit(t *testing.T) {
	ten := demo(t)
	e := ten.Engine
	loc := e.Location()
	units := e.Data().BusinessUnits
	seen := map[string]bool{}
	for _, date := range []string{"2027-03-09", "2027-03-17"} {
		day := hours.MustParseDate(date)
		page := render(t, e, day.String())
		rows := rowRE.FindAllStringSubmatch(page, -1)
		if len(rows) != 4*len(units) {
			t.Fatalf("%s: %d unit rows, want 4 windows × %d units", date, len(rows), len(units))
		}
		// Each card names its units whole: "HVAC…" beside "HVAC Service"
		// would not say which unit the line is.
		for _, m := range shownUnitRE.FindAllStringSubmatch(page, -1) {
			if !slices.ContainsFunc(units, func(u capacity.BusinessUnit) bool { return u.Name == m[1] }) {
				t.Errorf("%s: a card line names %q, not a whole unit name", date, m[1])
			}
		}
		for _, u := range units {
			resp, err := e.Capacity(capacity.Request{StartsOnOrAfter: time.Unix(hours.DayStart(loc, day), 0), EndsOnOrBefore: time.Unix(hours.DayStart(loc, day+1), 0), BusinessUnitIDs: []int64{u.ID}})
			if err != nil {
				t.Fatal(err)
			}
			for _, ts := range resp.Availabilities[0].Timeslots {
				status := "ok"
				if !ts.IsAvailable {
					status = "full"
				} else if ts.IsExceedingIdealBookingPercentage {
					status = "over"
				}
				want := []string{status, u.Name, ts.Start.In(loc).Format("15:04"), ts.End.In(loc).Format("15:04"),
					strconv.Itoa(len(ts.TechnicianIDs)), strconv.FormatInt(ts.TotalAvailability, 10)}
				if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r[1:], want) }) {
					t.Errorf("%s: no card row %v", date, want)
				}
				seen[status] = true
			}
		}
	}
	if !seen["ok"] || !seen["over"] {
		t.Errorf("the demo's days show statuses %v; the test wants within-ideal and over-ideal rows", seen)
	}
}

// TestNoData: a date with no working time and no appointments is an error
// saying which dates have data, not an empty board.
func TestNoData(t *testing.T) {
	e := demo(t).Engine
	for day, want := range map[string]string{
		"2027-03-14": "board: 2027-03-14 (Sunday) has no working time and no appointments; its shifts and appointments run from 2027-03-08 to 2027-03-20",
		"2030-01-01": "board: 2030-01-01 (Tuesday) has no working time and no appointments; its shifts and appointments run from 2027-03-08 to 2027-03-20",
	} {
		var buf bytes.Buffer
		err := board.Render(&buf, e, hours.MustParseDate(day), "Demo")
		if !errors.Is(err, board.ErrNoData) || err.Error() != want || buf.Len() != 0 {
			t.Errorf("%s: error %v, %d bytes written; want %q", day, err, buf.Len(), want)
		}
	}
	// A Saturday with a crew is a board.
	render(t, e, "2027-03-13")
	// A tenant without shifts or appointments says so.
	empty, err := tenant.Parse([]byte(`{"version": 1, "tenant": "e", "timeZone": "America/Denver"}`))
	if err != nil {
		t.Fatal(err)
	}
	err = board.Render(&bytes.Buffer{}, empty.Engine, hours.MustParseDate("2027-03-09"), "Empty")
	if want := "board: 2027-03-09 (Tuesday) has no working time and no appointments; the tenant has no shifts and no appointments"; err == nil || err.Error() != want {
		t.Errorf("empty tenant: %v, want %q", err, want)
	}
}

var tickRE = regexp.MustCompile(`<text class="tick" x="([\d.]+)" y="(\d+)"( text-anchor="end")?>([^<]*)</text>`)

// dstDemo returns the demo tenant open on Sundays around the clock, with
// a night shift on the two Sundays the clocks change in 2027.
func dstDemo(t *testing.T) *tenant.Tenant {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(dispatch.DemoTenant, &f); err != nil {
		t.Fatal(err)
	}
	bh := f["businessHours"].(map[string]any)
	bh["weekdays"] = append(bh["weekdays"].([]any), map[string]any{"weekday": "Sunday", "timeSlots": []any{map[string]any{"from": "00:00", "to": "24:00"}}})
	shifts := f["shifts"].([]any)
	for i, span := range [][2]string{{"2027-03-14T00:00:00-07:00", "2027-03-14T06:00:00-06:00"}, {"2027-11-07T00:00:00-06:00", "2027-11-07T06:00:00-07:00"}} {
		shifts = append(shifts, map[string]any{"id": 90001 + i, "technicianId": 101, "shiftType": "Normal", "title": "Night", "note": "",
			"start": span[0], "end": span[1], "active": true})
	}
	f["shifts"] = shifts
	return tenantOf(t, f)
}

// TestHourScale: the hour scale's labels stay on the board (the last one,
// 18:00 on the demo's Tuesday, was drawn past the right edge), repeat on
// every business unit's heading row so a long board reads below its top,
// and on the days the clocks change tell the repeated hour apart and
// mark the skipped one, the heading saying how long the day is.
func TestHourScale(t *testing.T) {
	widthRE := regexp.MustCompile(`<svg [^>]*width="(\d+)"`)
	scale := func(page string) (rows map[string][]string, width int) {
		width, _ = strconv.Atoi(widthRE.FindStringSubmatch(page)[1])
		rows = map[string][]string{}
		for _, m := range tickRE.FindAllStringSubmatch(page, -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			if m[3] == "" && x+40 > float64(width) || x > float64(width) {
				t.Errorf("label %q at x=%.1f runs past the board's width %d", m[4], x, width)
			}
			rows[m[2]] = append(rows[m[2]], m[4])
		}
		return rows, width
	}
	page := render(t, demo(t).Engine, "2027-03-09")
	rows, _ := scale(page)
	want := []string{"07:00", "08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00", "18:00"}
	if len(rows) != 4 { // the scale and three units
		t.Errorf("the hour scale is on %d rows, want 4 (top and three business units)", len(rows))
	}
	for y, labels := range rows {
		if !slices.Equal(labels, want) {
			t.Errorf("the scale at y=%s reads %q, want %q", y, labels, want)
		}
	}
	if strings.Contains(page, "this day has") {
		t.Error("an ordinary day's heading speaks of a clock change")
	}

	ten := dstDemo(t)
	for _, tc := range []struct {
		day, note string
		first     []string
	}{
		{"2027-03-14", "this day has 23 hours: the clocks go from 02:00 MST to 03:00 MDT (marked on the hour scale)", []string{"00:00", "01:00 MST", "03:00 MDT", "04:00"}},
		{"2027-11-07", "this day has 25 hours: the clocks go from 02:00 MDT to 01:00 MST (marked on the hour scale)", []string{"00:00", "01:00 MDT", "01:00 MST", "02:00"}},
	} {
		page := render(t, ten.Engine, tc.day)
		rows, _ := scale(page)
		for y, labels := range rows {
			if len(labels) < 4 || !slices.Equal(labels[:4], tc.first) {
				t.Errorf("%s: the scale at y=%s begins %q, want %q", tc.day, y, labels[:min(4, len(labels))], tc.first)
			}
		}
		ys := slices.SortedFunc(maps.Keys(rows), func(a, b string) int {
			ya, _ := strconv.Atoi(a)
			yb, _ := strconv.Atoi(b)
			return ya - yb
		})
		if top := rows[ys[0]]; top[len(top)-1] != "24:00" {
			t.Errorf("%s: the scale ends %q, want 24:00", tc.day, top[len(top)-1])
		}
		if !strings.Contains(page, tc.note) {
			t.Errorf("%s: the heading does not say %q", tc.day, tc.note)
		}
	}
}

// TestPageHead: a whole board page says its language and title, fits a
// phone's width instead of being laid out for a desktop and shrunk, and
// prints whole: on a landscape page, the board scaled to its width (it
// was cut after 17:00 on a portrait Letter page), the week board on one
// page (checked by printing to PDF in headless Chromium).
func TestPageHead(t *testing.T) {
	day := render(t, demo(t).Engine, "2027-03-09")
	wk := week(t, demo(t).Engine, "2027-03-08", 1)
	for _, tc := range []struct {
		page string
		want []string
	}{
		{day, []string{`<html lang="en">`, `<meta charset="utf-8">`, `<meta name="viewport" content="width=device-width, initial-scale=1">`,
			"<title>Test — dispatch board for Tuesday 9 March 2027</title>", "@page { size: landscape; margin: 10mm; }",
			"@media print { .board svg { max-width: 100%; height: auto; } }"}},
		{wk, []string{"<title>Test — capacity, Monday 8 March to Sunday 14 March 2027</title>", "@page { size: landscape; margin: 10mm; }",
			`@media print { .board svg[aria-label="capacity planning board"] { min-width: 0; max-height: 80vh; width: auto; } }`}},
	} {
		for _, want := range tc.want {
			if !strings.Contains(tc.page, want) {
				t.Errorf("the page %.60q… has no %s", tc.page[strings.Index(tc.page, "<title>"):], want)
			}
		}
	}
}

// TestWindowEndsAtMidnight: a window that ends at midnight ends at 24:00
// on its card, as on the week board, not at 00:00 (a 16:00–00:00 card read
// as a window running backwards; around the clock, 00:00–00:00); and the
// figures on a card that wide stay beside their units' names.
func TestWindowEndsAtMidnight(t *testing.T) {
	var f map[string]any
	if err := json.Unmarshal(dispatch.DemoTenant, &f); err != nil {
		t.Fatal(err)
	}
	f["arrivalWindows"] = append(f["arrivalWindows"].([]any), map[string]any{"id": 5, "from": "16:00", "to": "24:00", "weekdays": []any{}, "businessUnitIds": []any{}})
	// An evening shift, so that the board runs to midnight.
	f["shifts"] = append(f["shifts"].([]any), map[string]any{"id": 90001, "technicianId": 102, "shiftType": "Normal", "title": "Evening", "note": "",
		"start": "2027-03-09T16:00:00-07:00", "end": "2027-03-10T00:00:00-07:00", "active": true})
	ten := tenantOf(t, f)
	page := render(t, ten.Engine, "2027-03-09")
	for _, want := range []string{`>16:00–24:00</text>`, `<title>16:00–24:00: capacity per business unit`, `<title>Plumbing, 16:00–24:00: `} {
		if !strings.Contains(page, want) {
			t.Errorf("the board has no %s", want)
		}
	}
	if strings.Contains(page, "–00:00") {
		t.Error("a window ends at 00:00")
	}
	// The eight-hour card's figures stay beside their units' names.
	lineRE := regexp.MustCompile(`<g class="unitrow \w+"><title>([^<]*), 16:00–24:00: [^<]*</title><rect class="mark" x="([\d.]+)"[^>]*/><text class="wunit"[^>]*>[^<]*</text><text class="wfig" x="([\d.]+)"`)
	lines := lineRE.FindAllStringSubmatch(page, -1)
	if len(lines) != 4 {
		t.Fatalf("%d unit lines in the 16:00–24:00 card, want 4", len(lines))
	}
	for _, m := range lines {
		mark, _ := strconv.ParseFloat(m[2], 64)
		fig, _ := strconv.ParseFloat(m[3], 64)
		if fig-mark > 270 {
			t.Errorf("%s: the figures are %.0f px right of the mark, want at most 270", m[1], fig-mark)
		}
	}
}

// zoneDemo returns the demo tenant moved to zone, with technician 101
// working the whole of each local date of days ("2027-03-14"), so that
// the board spans the day, or from one clock time to another
// ("2027-03-14 08:00-16:00"); the tenant is open on Sundays, all day or
// in the first day's span.
func zoneDemo(t *testing.T, zone string, days ...string) *tenant.Tenant {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(dispatch.DemoTenant, &f); err != nil {
		t.Fatal(err)
	}
	f["timeZone"] = zone
	// Open on Sundays too: all day, or the hours of the first day's shift.
	open, shut := "00:00", "24:00"
	if len(days) > 0 {
		if _, span, ok := strings.Cut(days[0], " "); ok {
			open, shut, _ = strings.Cut(span, "-")
		}
	}
	bh := f["businessHours"].(map[string]any)
	bh["weekdays"] = append(bh["weekdays"].([]any), map[string]any{"weekday": "Sunday", "timeSlots": []any{map[string]any{"from": open, "to": shut}}})
	for i, day := range days {
		date, span, _ := strings.Cut(day, " ")
		d := hours.MustParseDate(date)
		start, end := hours.DayStart(loc, d), hours.DayStart(loc, d+1)
		if a, b, ok := strings.Cut(span, "-"); ok {
			ta, _ := time.ParseInLocation("2006-01-02 15:04", date+" "+a, loc)
			tb, _ := time.ParseInLocation("2006-01-02 15:04", date+" "+b, loc)
			start, end = ta.Unix(), tb.Unix()
		}
		f["shifts"] = append(f["shifts"].([]any), map[string]any{"id": 90001 + i, "technicianId": 101, "shiftType": "Normal", "title": "All day", "note": "",
			"start": time.Unix(start, 0).In(loc).Format(time.RFC3339), "end": time.Unix(end, 0).In(loc).Format(time.RFC3339), "active": true})
	}
	return tenantOf(t, f)
}

// TestHourScaleZones: on the days the clocks change by other than an
// hour or at other than 02:00, the scale's lines and labels stay on the
// local whole hours, the board ends at the day's 24:00, and the heading
// gives the day's length and the change exactly. Lord Howe Island moves
// its clocks by 30 minutes (the scale read 02:30, 03:30, … 23:30, 00:30
// after the change, ran half an hour into the next day, and its heading
// said 23 hours for 23½, and nothing for 24½); Santiago changes at
// midnight, so its spring day begins at 01:00 with the change before the
// first hour (the heading read "from -03 to -03"); London at 01:00.
func TestHourScaleZones(t *testing.T) {
	for _, tc := range []struct {
		zone, day, note string
		first           []string
	}{
		{"Australia/Lord_Howe", "2026-10-04", "this day has 23 hours 30 minutes: the clocks go from 02:00 +1030 to 02:30 +11", []string{"00:00", "01:00 +1030", "03:00 +11", "04:00"}},
		{"Australia/Lord_Howe", "2027-04-04", "this day has 24 hours 30 minutes: the clocks go from 02:00 +11 to 01:30 +1030", []string{"00:00", "01:00 +11", "02:00 +1030", "03:00"}},
		{"America/Santiago", "2027-09-05", "this day has 23 hours: the clocks go from 24:00 -04 to 01:00 -03", []string{"01:00 -03", "02:00", "03:00", "04:00"}},
		{"America/Santiago", "2027-04-03", "this day has 25 hours: the clocks go from 24:00 -03 to 23:00 -04", []string{"00:00", "01:00", "02:00", "03:00"}},
		{"Europe/London", "2027-03-28", "this day has 23 hours: the clocks go from 01:00 GMT to 02:00 BST", []string{"00:00 GMT", "02:00 BST", "03:00", "04:00"}},
		{"Europe/London", "2027-10-31", "this day has 25 hours: the clocks go from 02:00 BST to 01:00 GMT", []string{"00:00", "01:00 BST", "01:00 GMT", "02:00"}},
	} {
		t.Run(tc.zone+"/"+tc.day, func(t *testing.T) {
			page := render(t, zoneDemo(t, tc.zone, tc.day).Engine, tc.day)
			if !strings.Contains(page, tc.note+" (marked on the hour scale)") {
				t.Errorf("the heading does not say %q: %s", tc.note, regexp.MustCompile(`<p class="zone">Times in [^<]*`).FindString(page))
			}
			width, _ := strconv.ParseFloat(regexp.MustCompile(`<svg [^>]*width="(\d+)"`).FindStringSubmatch(page)[1], 64)
			rows := map[string][]string{}
			xs := map[string][]float64{}
			right := map[string]float64{} // where the row's last label ends
			for _, m := range tickRE.FindAllStringSubmatch(page, -1) {
				x, _ := strconv.ParseFloat(m[1], 64)
				// Its extent, at most 6.9 px a character (a digit at 11 px).
				start, end := x, x+6.9*float64(utf8.RuneCountInString(m[4]))
				if m[3] != "" {
					start, end = x-(end-x), x
				}
				if r, ok := right[m[2]]; ok && start < r {
					t.Errorf("the scale at y=%s: %q, at %.0f–%.0f px, overlaps the label before it (ending at %.0f px)", m[2], m[4], start, end, r)
				}
				if end > width {
					t.Errorf("the scale at y=%s: %q ends at %.0f px, past the board's width %.0f", m[2], m[4], end, width)
				}
				right[m[2]] = end
				if m[3] != "" {
					x += 3 // anchored at its end, 3 px left of its line
				} else {
					x -= 3
				}
				rows[m[2]] = append(rows[m[2]], m[4])
				xs[m[2]] = append(xs[m[2]], x)
			}
			if len(rows) < 2 {
				t.Fatalf("the hour scale is on %d rows", len(rows))
			}
			for y, labels := range rows {
				if len(labels) < 4 || !slices.Equal(labels[:4], tc.first) {
					t.Errorf("the scale at y=%s begins %q, want %q", y, labels[:min(4, len(labels))], tc.first)
				}
				if last := labels[len(labels)-1]; last != "24:00" {
					t.Errorf("the scale at y=%s ends %q, want 24:00", y, last)
				}
				for _, l := range labels {
					if !strings.HasSuffix(strings.Fields(l)[0], ":00") {
						t.Errorf("the scale at y=%s has %q, not a whole hour: %q", y, l, labels)
						break
					}
				}
				// The last line is the day's end, at the board's right
				// edge or, when its label is drawn right of it, the
				// label's width left of the edge.
				if end := xs[y][len(xs[y])-1]; end > width || width-end > 45 {
					t.Errorf("the scale at y=%s ends at x=%.1f, want the board's right edge %.0f (the day's end) or 45 px from it", y, end, width)
				}
			}
		})
	}
	// A change before the hours the board shows is told, not "marked on
	// the hour scale", which begins at 07:00.
	page := render(t, zoneDemo(t, "America/Denver", "2027-03-14 08:00-16:00").Engine, "2027-03-14")
	if !strings.Contains(page, `<text class="tick" x="193.0" y="114">07:00</text>`) {
		t.Error("the board of an 08:00–16:00 Sunday does not begin at 07:00")
	}
	if want := "this day has 23 hours: the clocks go from 02:00 MST to 03:00 MDT. "; !strings.Contains(page, want) {
		t.Errorf("a board from 07:00 on the day the clocks change: the heading does not say %q", want)
	}
}

// tenantOf parses the tenant file f, a demo file's JSON edited as maps.
func tenantOf(t *testing.T, f map[string]any) *tenant.Tenant {
	t.Helper()
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	ten, err := tenant.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return ten
}
