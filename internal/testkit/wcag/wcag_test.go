package wcag_test

import (
	"math"
	"testing"

	"github.com/opendispatch/dispatch/internal/testkit/wcag"
)

// TestContrast: the ratios WCAG's own examples and common pairs give.
func TestContrast(t *testing.T) {
	for _, tc := range []struct {
		fg, bg string
		want   float64
	}{
		{"#000", "#fff", 21},
		{"#ffffff", "#000000", 21},
		{"#777777", "#ffffff", 4.48},
		{"#767676", "#fff", 4.54},
		{"#3b7dd8", "#fff", 4.11},
		{"#abc", "#abc", 1},
	} {
		got, err := wcag.Contrast(tc.fg, tc.bg)
		if err != nil || math.Abs(got-tc.want) > 0.01 {
			t.Errorf("Contrast(%s, %s) = %.3f, %v; want %.2f", tc.fg, tc.bg, got, err, tc.want)
		}
	}
	for _, bad := range []string{"red", "#12", "#12345g", "123456"} {
		if _, err := wcag.Contrast(bad, "#fff"); err == nil {
			t.Errorf("Contrast(%q) read it", bad)
		}
	}
}

// TestRules: selectors split at commas, later declarations win.
func TestRules(t *testing.T) {
	r, err := wcag.Rules(`
.a .b, td.c { fill: #123; color: #456 }
@media print { .a .b { fill: #000; } }
.a .b { fill: #fff; }
@page { size: landscape; }
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := r[".a .b"]["fill"]; got != "#fff" {
		t.Errorf(".a .b fill = %q, want #fff", got)
	}
	if got := r["td.c"]["color"]; got != "#456" {
		t.Errorf("td.c color = %q, want #456", got)
	}
	for _, bad := range []string{".a { fill #fff }", ".a { fill: #fff", "trailing", "@media print { .a { fill: #fff; }"} {
		if _, err := wcag.Rules(bad); err == nil {
			t.Errorf("Rules(%q) read it", bad)
		}
	}
}
