package sim_test

import (
	"bytes"
	"regexp"
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
	for name, page := range map[string]string{"study": study.String(), "optimisation": opt.String()} {
		checkTables(t, name, page)
		checkReportContrast(t, name, page)
		if !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, "<title>") {
			t.Errorf("%s: no language or title", name)
		}
	}
}
