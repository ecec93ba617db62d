package board_test

import (
	"regexp"
	"testing"

	"github.com/opendispatch/dispatch/board"
	"github.com/opendispatch/dispatch/internal/testkit/wcag"
)

// colourPair is a text's colour on its background, each a selector and a
// property of the style sheet or a literal colour ("#fff", the page).
type colourPair struct {
	what           string
	text, textProp string
	bg, bgProp     string
}

// checkContrast fails for every pair whose contrast is under WCAG AA.
func checkContrast(t *testing.T, css string, pairs []colourPair) {
	t.Helper()
	rules, err := wcag.Rules(css)
	if err != nil {
		t.Fatal(err)
	}
	colour := func(sel, prop string) string {
		if sel[0] == '#' {
			return sel
		}
		c, ok := rules[sel][prop]
		if !ok {
			t.Fatalf("the style sheet has no %s for %q", prop, sel)
		}
		return c
	}
	for _, p := range pairs {
		fg, bg := colour(p.text, p.textProp), colour(p.bg, p.bgProp)
		r, err := wcag.Contrast(fg, bg)
		if err != nil {
			t.Fatal(err)
		}
		if r < wcag.AA {
			t.Errorf("%s: %s on %s has contrast %.2f, want at least %.1f (WCAG AA)", p.what, fg, bg, r, wcag.AA)
		}
	}
}

// TestContrast: every text on the boards is legible on what it is drawn
// on (WCAG 2 AA, 4.5:1, all of it being under 18 pt): labels on the
// appointment bars, the hour scale, the names of inactive technicians,
// the figures in the window cards and the week board's cells in every
// state.
func TestContrast(t *testing.T) {
	const page = "#fff"
	var pairs = []colourPair{
		{"an appointment's label", ".board .label", "fill", ".board .appt", "fill"},
		{"an unassigned appointment's label", ".board .label.pending", "fill", ".board .appt.pending", "fill"},
		{"the hour scale", ".board .tick", "fill", page, ""},
		{"the time zone line", ".board p.zone", "color", page, ""},
		{"a technician's name", ".board .name", "fill", page, ""},
		{"an inactive technician's name", ".board .inactive", "fill", page, ""},
		{"a unit's heading", ".board .unit", "fill", page, ""},
		{"the Unassigned heading", ".board .unit", "fill", ".board .pendingbg", "fill"},
		{"a window card's unit", ".board .wunit", "fill", ".board .window", "fill"},
		{"a window card's figures", ".board .wfig", "fill", ".board .window", "fill"},
		{"a full unit's figures", ".board .unitrow.full .wfig", "fill", ".board .window", "fill"},
		{"a week day's heading", ".board .wday", "fill", page, ""},
		{"a week day's sum", ".board .wsum", "fill", page, ""},
		{"a window's bounds", ".board .wwin", "fill", page, ""},
	}
	for _, st := range []string{"ok", "near", "over", "full", "nowork"} {
		bg := ".board .wcell." + st + " .wbg"
		state := ".board .wstate"
		switch st {
		case "over", "full", "nowork":
			state = ".board .wcell." + st + " .wstate"
		}
		pairs = append(pairs,
			colourPair{"a " + st + " cell's percentage", ".board .wpct", "fill", bg, "fill"},
			colourPair{"a " + st + " cell's state", state, "fill", bg, "fill"},
			colourPair{"a " + st + " cell's labels", ".board .wl", "fill", bg, "fill"},
			colourPair{"a " + st + " cell's values", ".board .wv", "fill", bg, "fill"},
			colourPair{"a " + st + " cell's adjustment", ".board .wnote.adj", "fill", bg, "fill"},
			colourPair{"a " + st + " cell's reserve", ".board .wnote.reserve", "fill", bg, "fill"},
			colourPair{"a " + st + " cell's reason", ".board .wnote.why", "fill", bg, "fill"},
		)
	}
	checkContrast(t, board.CSS+board.WeekCSS, pairs)
}

var swatchRE = regexp.MustCompile(`<span><i style="background:(#[0-9a-f]{6})(?:;border:1px solid (#[0-9a-f]{6}))?"></i>([^<]+)</span>`)

// TestLegendMatches: every legend swatch is the colour (and border) of
// what it names, on the day board and the week board, and every state a
// week cell can be in has one.
func TestLegendMatches(t *testing.T) {
	rules, err := wcag.Rules(board.CSS + board.WeekCSS)
	if err != nil {
		t.Fatal(err)
	}
	dayWant := map[string][2]string{ // legend text → the selector of its fill, of its border
		"shift": {".board .band.normal"}, "on call": {".board .band.oncall"}, "time off": {".board .band.timeoff"},
		"appointment": {".board .appt"}, "unassigned": {".board .appt.pending"},
		"within ideal": {".board .unitrow.ok .mark"}, "over ideal": {".board .unitrow.over .mark"}, "full": {".board .unitrow.full .mark"},
	}
	weekPlain := map[string][2]string{
		"booked": {".board .wbooked"}, "pending (unassigned)": {".board .wpending"}, "free": {".board .wbar"},
	}
	weekWant := map[string][2]string{
		"within ideal":                           {".board .wcell.ok .wbg", ".board .wcell .wbg"},
		"near it (10 points or less, one ideal)": {".board .wcell.near .wbg", ".board .wcell.near .wbg"},
		"over ideal":                             {".board .wcell.over .wbg", ".board .wcell.over .wbg"},
		"unavailable":                            {".board .wcell.full .wbg", ".board .wcell.full .wbg"},
		"no working time":                        {".board .wcell.nowork .wbg", ".board .wcell.nowork .wbg"},
	}
	check := func(name, page string, want, bordered map[string][2]string) {
		seen, seenBordered := map[string]bool{}, map[string]bool{}
		for _, m := range swatchRE.FindAllStringSubmatch(page, -1) {
			fill, border, text := m[1], m[2], m[3]
			w, ok := want[text]
			if border != "" {
				w, ok = bordered[text]
			}
			if !ok {
				t.Errorf("%s: legend %q names nothing the test knows", name, text)
				continue
			}
			if border != "" {
				seenBordered[text] = true
			} else {
				seen[text] = true
			}
			if got := rules[w[0]]["fill"]; got != fill {
				t.Errorf("%s: legend %q is %s, but %s is drawn %s", name, text, fill, w[0], got)
			}
			if border != "" {
				if got := rules[w[1]]["stroke"]; got != border {
					t.Errorf("%s: legend %q has border %s, but %s is stroked %s", name, text, border, w[1], got)
				}
			}
		}
		for text := range want {
			if !seen[text] {
				t.Errorf("%s: the legend has no %q", name, text)
			}
		}
		for text := range bordered {
			if !seenBordered[text] {
				t.Errorf("%s: the legend has no %q (bordered)", name, text)
			}
		}
	}
	check("day", render(t, demo(t).Engine, "2027-03-09"), dayWant, nil)
	check("week", week(t, demo(t).Engine, "2027-03-08", 0), weekPlain, weekWant)
}
