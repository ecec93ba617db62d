package sim

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/board"
	"github.com/opendispatch/dispatch/hours"
)

// WriteHTML writes one self-contained report (inline CSS and SVG, no
// scripts): the warnings, the key figures as a table with intervals, a
// chart of each variant's paired differences, booked and lost calls and
// utilisation by day with 95% bands, lost calls by reason, tables of
// where calls are lost (by job type, business unit, zone and day), the
// capacity and bookings per arrival window, fleet-wide and the fill of
// each business unit's windows, and one day's dispatch board
// from replication 0 of the baseline.
func WriteHTML(w io.Writer, r *Result) error {
	s := r.Summary
	if s == nil {
		return fmt.Errorf("sim: a partial result (shard %s) has no summary: merge the shards first", r.Shard)
	}
	var b bytes.Buffer
	esc := html.EscapeString
	var head bytes.Buffer
	header(&head, r)
	lines := strings.Split(strings.TrimSpace(head.String()), "\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p class=\"meta\">", esc(lines[0]))
	for _, l := range lines[1:] {
		if l != "" && !strings.HasPrefix(l, "WARNING: ") {
			fmt.Fprintf(&b, "%s<br>", esc(l))
		}
	}
	b.WriteString("</p>\n")
	for _, msg := range r.Warnings {
		fmt.Fprintf(&b, "<div class=\"warning\"><strong>Warning:</strong> %s</div>\n", esc(msg))
	}

	// Key figures.
	b.WriteString("<h2>Key figures</h2>\n<p class=\"note\">Mean over replications ± the 95% confidence interval's half-width. " +
		html.EscapeString(exactNote) + " " +
		"Δ columns are paired differences from the baseline (common random numbers: every variant sees the same calls); " +
		"<span class=\"sig\">bold</span> when the interval excludes zero.</p>\n")
	b.WriteString("<div class=\"wide\"><table class=\"kpi\"><caption class=\"vh\">Key figures</caption><thead><tr><th scope=\"col\">KPI</th><th scope=\"col\">unit</th>")
	for _, v := range s.Variants {
		fmt.Fprintf(&b, "<th scope=\"col\">%s</th>", esc(v.Name))
	}
	for _, d := range s.Differences {
		fmt.Fprintf(&b, "<th scope=\"col\">Δ %s</th>", esc(strings.TrimSuffix(d.Name, " − baseline")))
	}
	b.WriteString("</tr></thead><tbody>\n")
	for i, k := range kpis {
		cls := ""
		if strings.HasPrefix(k.key, "lost.") {
			cls = " class=\"sub\""
		}
		fmt.Fprintf(&b, "<tr%s><th scope=\"row\">%s</th><td>%s</td>", cls, esc(strings.TrimSpace(k.name)), esc(k.unit))
		for _, v := range s.Variants {
			fmt.Fprintf(&b, "<td>%s</td>", cellHTML(v.KPIs[i], false))
		}
		for _, d := range s.Differences {
			fmt.Fprintf(&b, "<td>%s</td>", cellHTML(d.KPIs[i], true))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table></div>\n")
	fmt.Fprintf(&b, "<p class=\"note\">%s</p>\n", esc(emergencyNote(r.Scenario.Booking.EmergencyMaxWaitMinutes)))

	// Paired differences.
	if len(s.Differences) > 0 {
		b.WriteString("<h2>What each variant changes</h2>\n")
		for di, d := range s.Differences {
			var rows []deltaRow
			var same, unseen, unreached []string
			for i, k := range kpis {
				label := strings.TrimSpace(kpiLabel(i))
				if strings.HasPrefix(k.key, "lost.") {
					label = "lost: " + label
				}
				if e := d.KPIs[i]; e.Censored > 0 {
					unreached = append(unreached, label)
					continue
				} else if e.N == 0 || (e.Mean == 0 && e.Low == 0 && e.High == 0) {
					same = append(same, label)
					continue
				} else if sameInEvery(r, di+1, k) {
					// A rare event no replication showed has an
					// interval (it is not known to be equally rare in
					// both), but a bar for each would fill the chart
					// with rows where nothing happened.
					unseen = append(unseen, fmt.Sprintf("%s %s [%s, %s] %s", label, fmtSigned(e.Mean), fmtSigned(e.Low), fmtSigned(e.High), e.Unit))
					continue
				}
				rows = append(rows, deltaRow{label + " (" + k.unit + ")", d.KPIs[i]})
			}
			name := strings.TrimSuffix(d.Name, " − baseline")
			fmt.Fprintf(&b, "<div class=\"chart\">%s</div>\n", deltaChart("Paired differences: "+name, name, palette[(di+1)%len(palette)], rows))
			if len(same) > 0 {
				fmt.Fprintf(&b, "<p class=\"note\">Identical in every replication, or undefined: %s.</p>\n", esc(strings.Join(same, "; ")))
			}
			if len(unseen) > 0 {
				fmt.Fprintf(&b, "<p class=\"note\">Events no replication showed a difference in, with the exact interval of such rare events: %s.</p>\n", esc(strings.Join(unseen, "; ")))
			}
			if len(unreached) > 0 {
				fmt.Fprintf(&b, "<p class=\"note\">Not compared, the percentile lying among the lost emergencies in some replication: %s.</p>\n", esc(strings.Join(unreached, "; ")))
			}
		}
	}

	// By day.
	labels := make([]string, len(s.Variants[0].Days))
	for i, d := range s.Variants[0].Days {
		date, _ := hours.ParseDate(d.Date)
		labels[i] = date.Weekday().String()[:3] + " " + d.Date[5:]
	}
	var bl, ut []series
	for vi, v := range s.Variants {
		col := palette[vi%len(palette)]
		booked, lost, util := series{name: v.Name + " booked", color: col}, series{name: v.Name + " lost", color: col, dashed: true}, series{name: v.Name, color: col}
		working := make([]bool, len(v.Days)) // in some replication
		for _, run := range r.Runs {
			if run.Variant == v.Name {
				for i, d := range run.Days {
					working[i] = working[i] || d.WorkingSeconds > 0
				}
			}
		}
		for i, d := range v.Days {
			booked.add(d.Booked)
			lost.add(d.Lost)
			if !working[i] {
				// No one works: no utilisation, not 0%.
				d.Utilisation = CI{math.NaN(), math.NaN(), math.NaN()}
			}
			util.add(d.Utilisation)
		}
		bl = append(bl, booked, lost)
		ut = append(ut, util)
	}
	b.WriteString("<h2>Booked and lost calls by day</h2>\n<p class=\"note\">By the day the call came in; a booking may fall in a later day. Lines are means, bands 95% intervals.</p>\n")
	fmt.Fprintf(&b, "<div class=\"chart\">%s</div>\n", lineChart("Booked and lost calls by day", "calls", labels, bl))
	b.WriteString("<h2>Utilisation by day</h2>\n<p class=\"note\">Time on site ÷ working time, %. The line breaks on days when no one works (no shift meets business hours).</p>\n")
	fmt.Fprintf(&b, "<div class=\"chart\">%s</div>\n", lineChart("Utilisation by day", "%", labels, ut))

	// Why calls are lost.
	b.WriteString("<h2>Why calls are lost</h2>\n")
	var reasons []string
	for i := range NumReasons {
		reasons = append(reasons, Reason(i).Text())
	}
	var rs []series
	for vi, v := range s.Variants {
		sr := series{name: v.Name, color: palette[vi%len(palette)]}
		for i := range NumReasons {
			sr.add(ciOfEstimate(v.KPIs[3+i]))
		}
		rs = append(rs, sr)
	}
	fmt.Fprintf(&b, "<div class=\"chart\">%s</div>\n", barChart("Lost calls by reason", "calls lost over the measured days (mean per replication, 95% whiskers)", reasons, rs))
	for _, v := range s.Variants {
		lossHTML(&b, v)
	}

	// Capacity per window.
	if len(s.Variants[0].Windows) > 0 {
		var wins []string
		for _, we := range s.Variants[0].Windows {
			wins = append(wins, we.Window)
		}
		var ws []series
		for vi, v := range s.Variants {
			col := palette[vi%len(palette)]
			c, bk := series{name: v.Name + " capacity", color: col}, series{name: v.Name + " booked", color: col}
			for _, we := range v.Windows {
				c.add(we.CapacityMinutes)
				bk.add(we.BookedMinutes)
			}
			bk.color = shade(col)
			ws = append(ws, c, bk)
		}
		b.WriteString("<h2>Capacity and bookings per arrival window</h2>\n<p class=\"note\">Working minutes and booked minutes in each window over the measured days, as the engine reports them at the end of each replication.</p>\n")
		fmt.Fprintf(&b, "<div class=\"chart\">%s</div>\n", barChart("Capacity and booked minutes per arrival window", "minutes over the measured days", wins, ws))
	}
	unitWindowsHTML(&b, s)

	// One measured Tuesday (or the first measured day) of replication 0.
	if r.Board != nil {
		first := mustDate(r.Scenario.Start) + hours.Date(r.Scenario.WarmupDays)
		day := first
		for d := first; d < mustDate(r.Scenario.Start)+hours.Date(r.Scenario.Days); d++ {
			if d.Weekday() == time.Tuesday {
				day = d
				break
			}
		}
		b.WriteString("<h2>One day's dispatch board</h2>\n<p class=\"note\">The book of the baseline's first replication at the end of the run: the simulated bookings on the rolled-forward roster.</p>\n")
		if _, err := board.Fragment(&b, r.Board, day, "Baseline, replication 0"); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, reportPage, esc(r.Scenario.Name), board.CSS, b.String())
	return err
}

// unitWindowsHTML writes the fill of each business unit's arrival
// windows (see [UnitWindows]) as one small table per variant, side by
// side: a row per unit, a column per window, each cell shaded by its fill
// and titled with the minutes and jobs behind it.
func unitWindowsHTML(b *bytes.Buffer, s *Summary) {
	if len(s.Variants[0].UnitWindows) == 0 || len(s.Variants[0].UnitWindows[0].Windows) == 0 {
		return
	}
	esc := html.EscapeString
	b.WriteString("<h2>Window fill by business unit</h2>\n<p class=\"note\">Booked ÷ capacity minutes in each arrival window over the measured days, " +
		"as the engine reports them for a request of the unit at the end of each replication: mean ± the 95% interval's half-width; " +
		"the darker, the fuller. Hover a cell for its minutes and jobs.")
	if pools := poolUnits(s.Variants[0].UnitWindows); pools != "" {
		fmt.Fprintf(b, " † A unit in a business-unit group books into the group's pool, and its row is the pool's (units %s).", esc(pools))
	}
	b.WriteString("</p>\n<div class=\"tables\">\n")
	for _, v := range s.Variants {
		if len(v.UnitWindows) == 0 {
			continue
		}
		fmt.Fprintf(b, "<table class=\"fill\"><caption>%s</caption><thead><tr><th scope=\"col\"></th>", esc(v.Name))
		for _, w := range v.UnitWindows[0].Windows {
			fmt.Fprintf(b, "<th scope=\"col\">%s</th>", esc(w.Window))
		}
		b.WriteString("</tr></thead><tbody>\n")
		for _, u := range v.UnitWindows {
			label := fmt.Sprintf("%d %s", u.ID, u.Label)
			if len(u.Pool) > 0 {
				label += " †"
			}
			fmt.Fprintf(b, "<tr><th scope=\"row\">%s</th>", esc(label))
			for _, w := range u.Windows {
				if w.CapacityMinutes.High <= 0 {
					b.WriteString("<td class=\"zero\">—</td>")
					continue
				}
				f := w.Fill.Mean
				// Squared, so that the fuller windows stand apart; light
				// enough for dark text throughout.
				x := math.Max(0, math.Min(f, 100)) / 100
				fmt.Fprintf(b, "<td style=\"background: rgba(200, 70, 40, %.2f)\" title=\"capacity %s min, booked %s min, %s jobs (means per replication)\">%.1f%% <small>±%.1f</small></td>",
					0.6*x*x, fmtNum(w.CapacityMinutes.Mean), fmtNum(w.BookedMinutes.Mean), fmtNum(w.Booked.Mean), f, (w.Fill.High-w.Fill.Low)/2)
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</tbody></table>\n")
	}
	b.WriteString("</div>\n")
}

func (s *series) add(c CI) {
	s.mean = append(s.mean, c.Mean)
	s.low = append(s.low, c.Low)
	s.high = append(s.high, c.High)
}

func ciOfEstimate(e Estimate) CI { return CI{e.Mean, e.Low, e.High} }

// shade returns a lighter version of a "#rrggbb" colour.
func shade(c string) string {
	var r, g, b int
	fmt.Sscanf(c, "#%02x%02x%02x", &r, &g, &b)
	l := func(x int) int { return x + (255-x)*55/100 }
	return fmt.Sprintf("#%02x%02x%02x", l(r), l(g), l(b))
}

func cellHTML(e Estimate, delta bool) string {
	if e.Censored > 0 {
		return "<small>" + notReached(e) + "</small>"
	}
	if e.N == 0 {
		return "—"
	}
	m := fmtNum(e.Mean)
	if delta && e.Mean > 0 {
		m = "+" + m
	}
	s := fmt.Sprintf("%s <small>±%s</small>", m, fmtNum(halfWidth(e)))
	if delta && e.Significant() {
		s = "<span class=\"sig\">" + s + "</span>"
	}
	return s
}

// lossHTML writes variant v's loss tables.
func lossHTML(b *bytes.Buffer, v VariantSummary) {
	esc := html.EscapeString
	if len(v.Units) > 0 {
		fmt.Fprintf(b, "<h3>By business unit: %s</h3>\n<p class=\"note\">Its technicians' time over the measured days: a saturated unit beside idle ones shows here, not in the fleet's utilisation. Mean ± the 95%% half-width.</p>\n", esc(v.Name))
		fmt.Fprintf(b, "<table class=\"loss units\"><caption class=\"vh\">By business unit: %s</caption><thead><tr><th scope=\"col\"></th><th scope=\"col\">utilisation %%</th><th scope=\"col\">drive share %%</th><th scope=\"col\">overtime h</th><th scope=\"col\">working h</th></tr></thead><tbody>\n", esc(v.Name))
		cell := func(c CI) string {
			return fmt.Sprintf("%s <small>±%s</small>", fmtNum(c.Mean), fmtNum((c.High-c.Low)/2))
		}
		for _, u := range v.Units {
			util, drive := cell(u.Utilisation), cell(u.DriveShare)
			if u.WorkingHours.High <= 0 {
				util, drive = "—", "—" // no working time: undefined
			}
			fmt.Fprintf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", esc(fmt.Sprintf("%d %s", u.ID, u.Label)),
				util, drive, cell(u.OvertimeHours), cell(u.WorkingHours))
		}
		b.WriteString("</tbody></table>\n")
	}
	if v.Losses == nil {
		return
	}
	fmt.Fprintf(b, "<h3>Where calls are lost: %s</h3>\n<p class=\"note\">Calls per replication over the measured days (means).</p>\n<div class=\"tables\">\n", esc(v.Name))
	table := func(title string, rows []LossRow, label func(LossRow) string) {
		fmt.Fprintf(b, "<table class=\"loss\"><caption>%s</caption><thead><tr><th scope=\"col\"></th><th scope=\"col\">calls</th><th scope=\"col\">booked</th><th scope=\"col\">lost</th>", esc(title))
		for i := range NumReasons {
			fmt.Fprintf(b, "<th scope=\"col\" title=\"%s\">%s</th>", esc(Reason(i).Text()), esc(reasonShort[i]))
		}
		b.WriteString("</tr></thead><tbody>\n")
		for _, row := range rows {
			fmt.Fprintf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%s</td>", esc(label(row)), fmtNum(row.Calls.Mean), fmtNum(row.Booked.Mean), fmtNum(row.Lost.Mean))
			for _, l := range row.LostBy {
				cls := ""
				if l.Mean == 0 {
					cls = " class=\"zero\""
				}
				fmt.Fprintf(b, "<td%s>%s</td>", cls, fmtShort(l.Mean))
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</tbody></table>\n")
	}
	idLabel := func(row LossRow) string { return fmt.Sprintf("%d %s", row.ID, row.Label) }
	table("By job type", v.Losses.ByJobType, idLabel)
	table("By business unit", v.Losses.ByBusinessUnit, idLabel)
	table("By zone", v.Losses.ByZone, idLabel)
	table("By day", v.Losses.ByDay, func(row LossRow) string {
		d, _ := hours.ParseDate(row.Label)
		return d.Weekday().String()[:3] + " " + row.Label
	})
	b.WriteString("</div>\n")
}

const reportPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; padding: 0 24px; color: #1d2733; max-width: 1400px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #dde2e8; padding-bottom: 4px; } h3 { font-size: 15px; margin-top: 24px; }
.meta { color: #56606b; margin-top: 0; }
.note { color: #56606b; font-size: 13px; }
.warning { background: #fff4e0; border: 1px solid #e0a030; border-radius: 4px; padding: 8px 12px; margin: 8px 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; text-align: right; border-bottom: 1px solid #eceff3; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f3f5f8; font-weight: 600; vertical-align: bottom; white-space: normal; }
table.kpi { width: 100%%; }
table.kpi tr.sub th:first-child { padding-left: 28px; color: #3d4853; }
td small { color: #5f6873; }
tbody th { font-weight: normal; }
.sig { font-weight: 700; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.tables { display: flex; flex-wrap: wrap; gap: 16px 28px; align-items: flex-start; }
table.loss caption, table.fill caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.fill td { padding: 5px 12px; }
table.fill td small { color: #2b333b; }
table.loss thead th { font-size: 12px; max-width: 90px; }
td.zero { color: #646e78; }
th.label, td.label { text-align: left; white-space: normal; min-width: 14em; max-width: 34em; }
.chart { width: 100%%; margin: 8px 0 16px; }
.wide { max-width: 100%%; overflow-x: auto; }
.tables > table { max-width: 100%%; overflow-x: auto; display: block; }
.chart svg { display: block; width: 100%%; height: auto; }
%s
</style>
</head>
<body>
%s
</body>
</html>
`
