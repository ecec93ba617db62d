package sim_test

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/internal/testkit/wcag"
	"github.com/opendispatch/dispatch/sim"
)

var (
	thRE    = regexp.MustCompile(`<th[ >][^>]*>|<th>`)
	tbodyRE = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
	trRE    = regexp.MustCompile(`(?s)<tr[ >](.*?)</tr>`)
	styleRE = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	heatRE  = regexp.MustCompile(`<td style="background: rgba\((\d+), (\d+), (\d+), ([\d.]+)\)"`)
	tableRE = regexp.MustCompile(`(<table[^>]*>)(<caption[^>]*>[^<]+</caption>)?`)
)

// checkTables fails for a table without a caption, a header cell without
// a scope and a body row without a row header: a screen reader lists
// tables by their captions and names a figure by its row and column
// headers (what KPI, which variant), which it finds only so.
func checkTables(t *testing.T, name, page string) {
	t.Helper()
	tables := tableRE.FindAllStringSubmatch(page, -1)
	if len(tables) == 0 {
		t.Fatalf("%s: no table", name)
	}
	for _, m := range tables {
		if m[2] == "" {
			t.Errorf("%s: table %s has no caption", name, m[1])
		}
	}
	for _, th := range thRE.FindAllString(page, -1) {
		if !strings.Contains(th, `scope="col"`) && !strings.Contains(th, `scope="row"`) {
			t.Errorf("%s: header cell %s has no scope", name, th)
		}
	}
	rows := 0
	for _, body := range tbodyRE.FindAllStringSubmatch(page, -1) {
		for _, tr := range trRE.FindAllStringSubmatch(body[1], -1) {
			rows++
			if strings.Count(tr[1], `<th scope="row"`) != 1 {
				t.Errorf("%s: body row %.120q has no row header", name, tr[1])
			}
		}
	}
	if rows == 0 {
		t.Errorf("%s: no body rows found", name)
	}
}

// checkReportContrast fails for a text colour of the report's style sheet
// under WCAG AA on the page's white: the notes, the interval half-widths
// beside every figure, the zeros of the loss tables.
func checkReportContrast(t *testing.T, name, page string) {
	t.Helper()
	m := styleRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("%s: no style sheet", name)
	}
	rules, err := wcag.Rules(m[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"body", ".meta", ".note", "td small", "td.zero", "table.fill td small", "table.kpi tr.sub th:first-child"} {
		c, ok := rules[sel]["color"]
		if !ok {
			t.Errorf("%s: the style sheet has no colour for %q", name, sel)
			continue
		}
		for _, bg := range []string{"#fff", "#f3f5f8"} { // the page, the header row
			if r, err := wcag.Contrast(c, bg); err != nil || r < wcag.AA {
				t.Errorf("%s: %s %s on %s has contrast %.2f, want at least %.1f (WCAG AA)", name, sel, c, bg, r, wcag.AA)
			}
		}
	}
	// The fill tables' cells are shaded by how full the window is: their
	// figures and half-widths must read on the darkest shade drawn.
	darkest, alpha := "", -1.0
	for _, m := range heatRE.FindAllStringSubmatch(page, -1) {
		if a, _ := strconv.ParseFloat(m[4], 64); a > alpha {
			darkest, alpha = over(t, m[1:4], a), a
		}
	}
	if alpha < 0 {
		return // a report without fill tables (the optimiser's)
	}
	for _, sel := range []string{"body", "table.fill td small"} {
		c := rules[sel]["color"]
		if r, err := wcag.Contrast(c, darkest); err != nil || r < wcag.AA {
			t.Errorf("%s: %s %s on the fullest window's shade %s (alpha %.2f) has contrast %.2f, want at least %.1f (WCAG AA)", name, sel, c, darkest, alpha, r, wcag.AA)
		}
	}
}

// over returns the colour "#rrggbb" that rgb (decimal strings) at alpha
// gives drawn over white.
func over(t *testing.T, rgb []string, alpha float64) string {
	t.Helper()
	var out [3]int
	for i, s := range rgb {
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = int(math.Round(255*(1-alpha) + float64(v)*alpha))
	}
	return fmt.Sprintf("#%02x%02x%02x", out[0], out[1], out[2])
}

// TestReportAccessible: the study's and the optimiser's reports have
// tables a screen reader can navigate and text legible on the page.
func TestReportAccessible(t *testing.T) {
	s := sim.Default()
	s.Days, s.WarmupDays, s.Replications = 8, 1, 2
	f := 1.25
	s.Variants = append(s.Variants, sim.Variant{Name: "longer jobs", Changes: []sim.Change{{ScaleDurations: &f}}})
	var study bytes.Buffer
	if err := sim.WriteHTML(&study, simulate(t, s, demoData(t), sim.Options{})); err != nil {
		t.Fatal(err)
	}
	spec, d := lossStudy(t, 2, 5, 1, 0, 10, 8, 64)
	res, _ := answer(t, spec, d)
	var opt bytes.Buffer
	if err := sim.WriteOptimizeHTML(&opt, res); err != nil {
		t.Fatal(err)
	}
	if m := heatRE.FindAllStringSubmatch(study.String(), -1); !slices.ContainsFunc(m, func(m []string) bool { return m[4] >= "0.40" }) {
		t.Fatal("the study has no window 80% full: the shades' contrast is not tested where it matters")
	}
	for name, page := range map[string]string{"study": study.String(), "optimisation": opt.String()} {
		checkTables(t, name, page)
		checkReportContrast(t, name, page)
		if !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, "<title>") {
			t.Errorf("%s: no language or title", name)
		}
	}
}
