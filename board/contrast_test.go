package board_test

import (
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
