package board_test

import (
	"bytes"
	"errors"
	"fmt"
	"html"
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
