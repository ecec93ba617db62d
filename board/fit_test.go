package board

import "testing"

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
