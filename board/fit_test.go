package board

import (
	"html"
	"strings"
	"testing"
)

func TestFitText(t *testing.T) {
	for _, c := range []struct {
		s    string
		room float64
		want string
	}{
		{"Outlet Repair", 200, "Outlet Repair"},
		{"Outlet Repair", textWidth("Outlet Repair"), "Outlet Repair"},
		{"Outlet Repair", textWidth("Outlet Repair") - 1, "Outlet…"},
		{"Heat Pump Diagnosis", textWidth("Heat Pump…"), "Heat Pump…"},
		{"Heat Pump Diagnosis", textWidth("Heat Pump…") - 1, "Heat…"},
		{"Heat Pump Diagnosis", textWidth("Heat…") - 1, ""},
		{"Lakewood & Golden", 500, "Lakewood &amp; Golden"},
	} {
		if got := fitText(c.s, c.room); got != c.want {
			t.Errorf("fitText(%q, %.1f) = %q, want %q", c.s, c.room, got, c.want)
		}
	}
	// A zip is whole or absent.
	for _, c := range []struct {
		room float64
		want string
	}{
		{500, "Outlet Repair · 80205"},
		{textWidth("Outlet Repair · 80205") - 1, "Outlet Repair"},
		{textWidth("Outlet…"), "Outlet…"},
		{5, ""},
	} {
		if got := label("Outlet Repair", "80205", c.room); got != c.want {
			t.Errorf("label(%.1f) = %q, want %q", c.room, got, c.want)
		}
	}
	// The estimate is wider for wide letters: it is not a character count.
	if textWidth("WWWW") <= textWidth("iiii")*2 {
		t.Error("textWidth ignores letter widths")
	}
}

func TestWrapText(t *testing.T) {
	const px = 11
	w := func(s string) float64 { return textWidth(s) }
	for _, c := range []struct {
		s     string
		room  float64
		lines int
		want  []string
	}{
		{"Hold back: two plumbers", 500, 2, []string{"Hold back: two plumbers"}},
		{"Hold back: two plumbers", w("Hold back: two"), 2, []string{"Hold back: two", "plumbers"}},
		{"Hold back: two plumbers at the backflow", w("Hold back: two"), 2, []string{"Hold back: two", "plumbers at…"}},
		{"Hold back: two plumbers at the backflow", w("plumbers at the…"), 2, []string{"Hold back: two", "plumbers at the…"}},
		{"Hold back: two plumbers at the backflow", w("Hold back:…"), 1, []string{"Hold back:…"}},
		{"Hold back: two plumbers at the backflow", w("Hold back:…") - 1, 1, []string{"Hold…"}},
		{"Hold back: two plumbers", w("Hold…"), 1, []string{"Hold…"}},
		{"Backflow certification", w("Backflow") - 1, 3, nil}, // a word wider than the line: nothing cut
		{"Lakewood & Golden", 500, 1, []string{"Lakewood &amp; Golden"}},
	} {
		got := wrapText(c.s, c.room, px, c.lines)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapText(%q, %.0f, %d) = %q, want %q", c.s, c.room, c.lines, got, c.want)
		}
		for _, l := range got {
			if w(html.UnescapeString(l)) > c.room {
				t.Errorf("wrapText(%q): line %q is wider than %.0f", c.s, l, c.room)
			}
		}
	}
	// At a larger size the same room holds fewer words.
	if a, b := wrapText("one two three four", w("one two three"), 11, 3), wrapText("one two three four", w("one two three"), 14, 3); len(b[0]) >= len(a[0]) {
		t.Errorf("12 px lines %q, 14 px lines %q", a, b)
	}
}
