package board_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/board"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

func week(t *testing.T, e *capacity.Engine, first string, unit int64) string {
	t.Helper()
	var buf bytes.Buffer
	if err := board.RenderWeek(&buf, e, hours.MustParseDate(first), board.WeekOptions{BusinessUnitID: unit, Title: "Test"}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// weekCellRE matches a cell: its class, tooltip and body.
var weekCellRE = regexp.MustCompile(`<g class="wcell (\w+)"><title>([^<]*)</title>(.*?)</g>`)
var tipRE = regexp.MustCompile(`^\w{3} (\d+ \w{3}) (\d\d:\d\d)–(\d\d:\d\d): capacity (\d+) min, booked (\d+), pending (\d+), available (\d+); ([a-z ]+)`)
var noteRE = regexp.MustCompile(`<text class="wnote (\w+)"[^>]*>([^<]*)</text>`)

type cell struct {
	status, tip, body string
	date, from, to    string
	figs              [4]int64 // capacity, booked, pending, available
	notes             map[string][]string
}

func cells(t *testing.T, page string) []cell {
	t.Helper()
	var out []cell
	for _, m := range weekCellRE.FindAllStringSubmatch(page, -1) {
		c := cell{status: m[1], tip: html.UnescapeString(m[2]), body: m[3], notes: map[string][]string{}}
		tm := tipRE.FindStringSubmatch(c.tip)
		if tm == nil {
			t.Fatalf("tooltip %q does not read", c.tip)
		}
		c.date, c.from, c.to = tm[1], tm[2], tm[3]
		for i := range 4 {
			c.figs[i], _ = strconv.ParseInt(tm[4+i], 10, 64)
		}
		for _, n := range noteRE.FindAllStringSubmatch(c.body, -1) {
			c.notes[n[1]] = append(c.notes[n[1]], html.UnescapeString(n[2]))
		}
		out = append(out, c)
	}
	return out
}

func find(cs []cell, date, from string) cell {
	for _, c := range cs {
		if c.date == date && c.from == from {
			return c
		}
	}
	return cell{}
}

// TestWeekBoard: the demo's first week, for every unit and for HVAC
// Service (with HVAC Maintenance, its group): every cell holds the figures
// a capacity request without a job type answers for its window, is
// coloured by the engine's flags, and marks the adjustments that reach it,
// the reserve and why it is unavailable.
func TestWeekBoard(t *testing.T) {
	ten := demo(t)
	e := ten.Engine
	loc := e.Location()
	for _, unit := range []int64{0, 1, 2, 3} {
		page := week(t, e, "2027-03-08", unit)
		if page != week(t, e, "2027-03-08", unit) {
			t.Fatal("two renders differ")
		}
		cs := cells(t, page)
		if len(cs) != 6*4 {
			t.Fatalf("unit %d: %d cells, want 24 (six open days, four windows)", unit, len(cs))
		}
		req := capacity.Request{StartsOnOrAfter: time.Date(2027, 3, 8, 0, 0, 0, 0, loc), EndsOnOrBefore: time.Date(2027, 3, 15, 0, 0, 0, 0, loc)}
		if unit != 0 {
			req.BusinessUnitIDs = []int64{unit}
		}
		resp, err := e.Capacity(req)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, av := range resp.Availabilities {
			for _, ts := range av.Timeslots {
				n++
				start := ts.Start.In(loc)
				c := find(cs, start.Format("2 Jan"), start.Format("15:04"))
				want := [4]int64{ts.CapacityMinutes, ts.BookedMinutes, ts.PendingMinutes, ts.TotalAvailability}
				if c.figs != want {
					t.Errorf("unit %d, %s: figures %v, want %v", unit, start, c.figs, want)
				}
				noWork := !ts.IsAvailable && ts.CapacityMinutes == 0 && ts.BookedMinutes == 0 && ts.PendingMinutes == 0 && len(c.notes["adj"]) == 0
				switch {
				case noWork && c.status != "nowork", !noWork && !ts.IsAvailable && c.status != "full", ts.IsAvailable && ts.IsExceedingIdealBookingPercentage && c.status != "over",
					ts.IsAvailable && !ts.IsExceedingIdealBookingPercentage && c.status != "ok" && c.status != "near":
					t.Errorf("unit %d, %s: status %s for available %v, over ideal %v", unit, start, c.status, ts.IsAvailable, ts.IsExceedingIdealBookingPercentage)
				}
				if c.status == "full" && len(c.notes["why"]) == 0 {
					t.Errorf("unit %d, %s: unavailable without a reason", unit, start)
				}
			}
		}
		if n != len(cs) {
			t.Errorf("unit %d: %d timeslots, %d cells", unit, n, len(cs))
		}
		// Reserves: the HVAC group's 15% holds 2.7 h of its 18 h windows
		// back in every view that reaches it; Electrical has none.
		hvac := find(cs, "8 Mar", "08:00")
		switch unit {
		case 0, 1:
			if got := strings.Join(hvac.notes["reserve"], " "); got != "Reserve holds 2.7 h back for emergencies" {
				t.Errorf("unit %d: reserve note %q", unit, got)
			}
		case 3:
			if len(hvac.notes["reserve"]) != 0 {
				t.Errorf("unit 3 has no reserve, but %q", hvac.notes["reserve"])
			}
		}
		// Adjustments: Tuesday's +90 min for HVAC Service, Wednesday's +60
		// for the HVAC group, Friday's −180 for Plumbing, each where it
		// reaches.
		for _, a := range []struct {
			date, from, text string
			units            []int64
		}{
			{"9 Mar", "08:00", "+1.5 h adjusted: Overbook: two tune-ups usually cancel on Tuesday mornings", []int64{0, 1}},
			{"10 Mar", "10:00", "+1.0 h adjusted: Cold snap: the shop meeting moves to Thursday", []int64{0, 1}},
			{"12 Mar", "14:00", "−3.0 h adjusted: Hold back: two plumbers at the backflow certification", []int64{0, 2}},
		} {
			got := strings.Join(find(cs, a.date, a.from).notes["adj"], " ")
			if slices.Contains(a.units, unit) != (got == a.text) {
				t.Errorf("unit %d, %s %s: adjustment note %q (want %q on units %v)", unit, a.date, a.from, got, a.text, a.units)
			}
		}
		sat := find(cs, "13 Mar", "14:00")
		if sat.status != "nowork" || !strings.Contains(sat.tip, "; no working time") || len(sat.notes["why"]) != 0 {
			t.Errorf("unit %d: Saturday 14:00 %s %q", unit, sat.status, sat.notes["why"])
		}
		if unit == 1 && !strings.Contains(page, `class="wideal"`) {
			t.Error("HVAC's board has no ideal tick: its units share one ideal, 80%")
		}
	}
	if !strings.Contains(week(t, e, "2027-03-08", 2), "near ideal") {
		t.Error("no window of Plumbing's week is near its ideal")
	}
}

// TestWeekBoardFits: every note is whole words, with an ellipsis when cut,
// and fits its cell, on the demo and on synthetic tenants; the board's
// height leaves room for its heading at 1150 px.
func TestWeekBoardFits(t *testing.T) {
	pages := map[string]string{"demo": week(t, demo(t).Engine, "2027-03-08", 0), "demo HVAC": week(t, demo(t).Engine, "2027-03-08", 1)}
	for _, name := range []string{"small", "medium"} {
		p, _ := synth.ProfileNamed(name)
		f, err := synth.Generate(p, 1)
		if err != nil {
			t.Fatal(err)
		}
		ten, err := tenant.Build(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[name] = week(t, ten.Engine, "2027-03-15", 0)
	}
	heightRE := regexp.MustCompile(`<svg [^>]*height="(\d+)"`)
	for name, page := range pages {
		if h, _ := strconv.Atoi(heightRE.FindStringSubmatch(page)[1]); h > 1000 {
			t.Errorf("%s: the board is %d px high: a 1150 px window leaves about 1000 below the heading", name, h)
		}
		vocabulary := map[string]bool{}
		for _, w := range strings.Fields("Reserve holds h back for emergencies Unavailable: no working time nobody is free, fully booked, only the reserve is left capacity rule adjusted: and more adjustments") {
			vocabulary[w] = true
		}
		for _, c := range cells(t, page) {
			for _, w := range strings.Fields(c.tip) {
				vocabulary[w] = true
			}
			for kind, lines := range c.notes {
				for _, l := range lines {
					for _, w := range strings.Fields(strings.TrimSuffix(l, "…")) {
						if !vocabulary[w] && !regexp.MustCompile(`^[+−]?\d+(\.\d)?$`).MatchString(w) {
							t.Errorf("%s %s %s: note %s line %q has %q, not a whole word", name, c.date, c.from, kind, l, w)
						}
					}
				}
			}
		}
		if strings.Contains(page, "<script") || strings.Contains(page, "http://") && !strings.Contains(page, `xmlns="http://www.w3.org/2000/svg"`) {
			t.Errorf("%s: the page is not self-contained", name)
		}
	}
}

func TestWeekBoardErrors(t *testing.T) {
	e := demo(t).Engine
	err := board.RenderWeek(io.Discard, e, hours.MustParseDate("2027-06-07"), board.WeekOptions{})
	if !errors.Is(err, board.ErrNoData) || err.Error() != "board: the week from 2027-06-07 (Monday) has no working time and no appointments; its shifts and appointments run from 2027-03-08 to 2027-03-20" {
		t.Errorf("a week without data: %v", err)
	}
	err = board.RenderWeek(io.Discard, e, hours.MustParseDate("2027-03-08"), board.WeekOptions{BusinessUnitID: 9})
	if err == nil || !strings.Contains(err.Error(), "unknown business unit 9") {
		t.Errorf("an unknown unit: %v", err)
	}
	// A week that begins on any day: the days of the board follow it.
	page := week(t, e, "2027-03-12", 0)
	if !strings.Contains(page, ">Fri 12 Mar<") || !strings.Contains(page, ">Thu 18 Mar<") || fmt.Sprint(len(cells(t, page))) != "24" {
		t.Error("a week from Friday 12 March does not run to Thursday 18 March")
	}
}

// withUnit returns the demo tenant with one more business unit, id 5,
// that has no technicians.
func withUnit(t *testing.T) *tenant.Tenant {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(dispatch.DemoTenant, &f); err != nil {
		t.Fatal(err)
	}
	f["businessUnits"] = append(f["businessUnits"].([]any), map[string]any{"id": 5, "name": "Drains"})
	return tenantOf(t, f)
}

// TestWeekBoardNoWorkingTime: a window nobody works in is drawn as such,
// not as an alarm: on a business unit without technicians every cell,
// and the heading says why; on the demo's Saturday afternoon (business
// hours end at 14:00) the one cell. Windows with working time that are
// unavailable stay "full", with their reason.
func TestWeekBoardNoWorkingTime(t *testing.T) {
	page := week(t, withUnit(t).Engine, "2027-03-08", 5)
	cs := cells(t, page)
	if len(cs) != 24 {
		t.Fatalf("%d cells, want 24", len(cs))
	}
	for _, c := range cs {
		if c.status != "nowork" || c.figs != [4]int64{} || len(c.notes["why"]) != 0 {
			t.Errorf("Drains, %s %s: status %s, figures %v, notes %q; want nowork, zeros, no reason note", c.date, c.from, c.status, c.figs, c.notes["why"])
		}
	}
	if !strings.Contains(page, "<p class=\"zone\">Drains: no active technician, so no window has working time. Times in") {
		t.Error("the heading of a unit without technicians does not say so")
	}
	if !strings.Contains(page, "</i>no working time</span>") {
		t.Error("the legend has no swatch for a window without working time")
	}
	page = week(t, withUnit(t).Engine, "2027-03-08", 0)
	if strings.Contains(page, "no active technician") {
		t.Error("the board of every unit says it has no technician")
	}
}

// TestWeekBoardHeldBack: a window whose working time a dispatcher's
// hold-back takes to nothing is unavailable, with the adjustment and a
// reason that says so, not "no working time" (grey, as if nobody worked
// in it): a technician of Drains works Tuesday 8:00–16:00, and a
// hold-back of the whole 08:00–10:00 window leaves capacity, booked and
// pending all zero there.
func TestWeekBoardHeldBack(t *testing.T) {
	var f map[string]any
	if err := json.Unmarshal(dispatch.DemoTenant, &f); err != nil {
		t.Fatal(err)
	}
	f["businessUnits"] = append(f["businessUnits"].([]any), map[string]any{"id": 5, "name": "Drains"})
	f["technicians"] = append(f["technicians"].([]any), map[string]any{"id": 501, "name": "Dee Drain", "businessUnitId": 5,
		"skills": []any{}, "zoneIds": []any{1}, "active": true, "home": map[string]any{"latitude": 39.75, "longitude": -105.0}})
	f["shifts"] = append(f["shifts"].([]any), map[string]any{"id": 90001, "technicianId": 501, "shiftType": "Normal", "title": "Day", "note": "",
		"start": "2027-03-09T08:00:00-07:00", "end": "2027-03-09T16:00:00-07:00", "active": true})
	f["capacityAdjustments"] = append(f["capacityAdjustments"].([]any), map[string]any{"id": 9, "date": "2027-03-09", "from": "08:00", "to": "10:00",
		"businessUnitId": 5, "minutes": -120, "reason": "Hold back: van in the shop",
		"createdBy": map[string]any{"id": 1, "name": "Maria Lopez (Dispatch)"}, "createdOn": "2027-03-05T16:30:00-07:00"})
	ten := tenantOf(t, f)
	cs := cells(t, week(t, ten.Engine, "2027-03-08", 5))
	held := find(cs, "9 Mar", "08:00")
	if held.figs != [4]int64{} {
		t.Fatalf("the held-back window's figures are %v, want all zero (the case this test is about)", held.figs)
	}
	if held.status != "full" || !strings.Contains(held.tip, "; unavailable") {
		t.Errorf("held-back window: status %s, tooltip %q; want full, unavailable", held.status, held.tip)
	}
	if why := strings.Join(held.notes["why"], " "); !strings.HasPrefix(why, "Unavailable: adjusted to no capacity") {
		t.Errorf("held-back window: reason %q, want it to begin \"Unavailable: adjusted to no capacity\"", why)
	}
	if len(held.notes["adj"]) == 0 {
		t.Error("held-back window: no note of the adjustment")
	}
	if next := find(cs, "9 Mar", "10:00"); next.status == "nowork" || next.figs[0] == 0 {
		t.Errorf("the next window, worked and not held back: status %s, figures %v", next.status, next.figs)
	}
	if sat := find(cs, "13 Mar", "14:00"); sat.status != "nowork" {
		t.Errorf("Saturday 14:00, nobody working and nothing adjusted: status %s, want nowork", sat.status)
	}
}
