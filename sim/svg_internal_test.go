package sim

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestBarLabelsFit: the "Why calls are lost" chart's labels stand in the
// 290 units left of its bars; the two emergency reasons (54 and 70
// characters) ran off the chart's left edge and read "veryone on duty
// busy for the maximum wait" in Chromium. Every label line is now at most
// barLabelRunes, and the lines of each label put back together give the
// label whole.
func TestBarLabelsFit(t *testing.T) {
	var cats []string
	for i := range NumReasons {
		cats = append(cats, Reason(i).Text())
	}
	ss := []series{{name: "a", mean: make([]float64, len(cats)), low: make([]float64, len(cats)), high: make([]float64, len(cats))}}
	svg := barChart("Lost calls by reason", "calls", cats, ss)
	label := regexp.MustCompile(`<text x="290\.0" y="[0-9.]+" text-anchor="end" fill="#1d2733">([^<]*)</text>`)
	var lines []string
	for _, m := range label.FindAllStringSubmatch(svg, -1) {
		if n := utf8.RuneCountInString(m[1]); n > barLabelRunes {
			t.Errorf("label line %q is %d characters, more than %d: it runs off the chart", m[1], n, barLabelRunes)
		}
		lines = append(lines, m[1])
	}
	if got, want := strings.Join(lines, " "), strings.Join(cats, " "); got != want {
		t.Errorf("labels read\n%q\nwant\n%q", got, want)
	}
	for _, tc := range []struct {
		s    string
		want []string
	}{
		{"", []string{""}},
		{"short", []string{"short"}},
		{"aaaa bbbb cccc", []string{"aaaa", "bbbb", "cccc"}},
		{"aaaaaaaaaaaa b", []string{"aaaaaaaaaaaa", "b"}},
		{"aa bb", []string{"aa bb"}},
	} {
		n := 5
		if got := wrapLabel(tc.s, n); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapLabel(%q, %d) = %q, want %q", tc.s, n, got, tc.want)
		}
	}
}
