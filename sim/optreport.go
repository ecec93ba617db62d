package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteOptimizeJSON writes the optimiser's full result: objects indented,
// arrays of numbers on one line.
func WriteOptimizeJSON(w io.Writer, o *Optimization) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	compactIndent(&out, b)
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

func checkComplete(o *Optimization) error {
	if !o.Complete {
		if o.Shard != "" {
			return fmt.Errorf("sim: a partial result (shard %s) has no answer: merge the shards first", o.Shard)
		}
		return fmt.Errorf("sim: the runs so far do not settle the answer: run another round of shards from this result")
	}
	return nil
}

// targetText spells target t.
func targetText(t Target) string {
	if t.AtMost != nil {
		return fmt.Sprintf("%s ≤ %s", t.KPI, fmtNum(*t.AtMost))
	}
	return fmt.Sprintf("%s ≥ %s", t.KPI, fmtNum(*t.AtLeast))
}

// costUnit says what a cost counts: technician-hours a week, and what
// an hour on call counts for when the spec says.
func (s OptimizeSpec) costUnit() string {
	if s.OnCallCost == nil {
		return "technician-hours a week"
	}
	return "technician-hours a week, an hour on call counting as " + strconv.FormatFloat(*s.OnCallCost, 'g', -1, 64)
}

// versusRoster compares a cost with the roster's: "the roster as it is:
// 1218, −16%".
func versusRoster(cost, roster float64) string {
	if roster <= 0 {
		return "the roster as it is has no working time"
	}
	pct := 100 * (cost - roster) / roster
	sign := "+"
	if pct < 0 {
		sign, pct = "−", -pct
	}
	return fmt.Sprintf("the roster as it is: %s, %s%.0f%%", fmtNum(roster), sign, pct)
}

// metricOf returns the estimate of metric key among es.
func metricOf(es []Estimate, key string) Estimate {
	for _, e := range es {
		if e.Key == key {
			return e
		}
	}
	return Estimate{}
}

func optHeader(w io.Writer, o *Optimization) {
	sp := &o.Spec
	s := &sp.Scenario
	name := sp.Name
	if name == "" {
		name = "Least staffing for " + s.Name
	}
	fmt.Fprintf(w, "%s\n", name)
	fmt.Fprintf(w, "Study: %s — calls on %d days from %s, %d warm-up days left out.\n", s.Name, s.Days, s.Start, s.WarmupDays)
	looks := sp.looks()
	fmt.Fprintf(w, "%d configurations of %d lever(s), examined in order of cost (%s); each judged after %s replications until settled.\n",
		len(o.Configurations), len(sp.Levers), sp.costUnit(), joinInts(looks))
	fmt.Fprintf(w, "Targets, met with %g%% confidence (one-sided t tests at level %.2g each, Bonferroni over every test):\n", 100*sp.confidence(), o.Level)
	for _, t := range sp.Targets {
		m, _ := metricIndex(t.KPI)
		fmt.Fprintf(w, "  %s (%s, %s)\n", targetText(t), strings.TrimSpace(optMetrics[m].name), optMetrics[m].unit)
	}
	if len(o.Under) > 0 {
		fmt.Fprintf(w, "Every configuration under: %s.\n", strings.Join(o.Under, "; "))
	}
	for _, msg := range o.Warnings {
		fmt.Fprintf(w, "\nWARNING: %s\n", msg)
	}
}

func joinInts(xs []int) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprint(x))
	}
	return strings.Join(s, ", ")
}

// WriteOptimizeText writes a readable report within [TextWidth] columns:
// the answer with its figures, the runners-up with their paired
// differences, and every configuration examined.
func WriteOptimizeText(w io.Writer, o *Optimization) error {
	if err := checkComplete(o); err != nil {
		return err
	}
	var b bytes.Buffer
	optHeader(&b, o)
	sp := &o.Spec
	if o.Best < 0 {
		fmt.Fprintf(&b, "\nNo configuration within the levers' bounds was shown to meet every target.\n")
	} else {
		best := &o.Configurations[o.Best]
		fmt.Fprintf(&b, "\nANSWER: %s\n", best.Label)
		fmt.Fprintf(&b, "Cost %s %s (%s); %d replications.\n\n", fmtNum(best.Cost), sp.costUnit(), versusRoster(best.Cost, o.RosterCost), best.Replications)
		rows := [][]string{{"target", "mean ±95% half-width", "met"}}
		for _, t := range sp.Targets {
			rows = append(rows, []string{targetText(t), fmtEst(metricOf(best.KPIs, t.KPI)), "yes"})
		}
		table(&b, rows, 3)
		fmt.Fprintf(&b, "\nKey figures of the answer (mean ±95%% half-width over replications)\n\n")
		rows = nil
		for i, e := range best.KPIs {
			rows = append(rows, []string{optLabel(i, sp), fmtEst(e), optMetrics[i].unit})
		}
		table(&b, rows, 3)
		b.WriteString("\n" + offCentreNote + "\n")
		b.WriteString("\n" + emergencyNote(sp.Scenario.Booking.EmergencyMaxWaitMinutes) + "\n")
	}
	if len(o.RunnersUp) > 0 {
		title := "\nRunners-up the procedure could not separate from the answer (undecided at the most replications,\nor as cheap), with paired differences from it:\n\n"
		if o.Best < 0 {
			title = "\nUndecided configurations (neither shown to meet nor to miss the targets):\n\n"
		}
		b.WriteString(title)
		head := []string{"cost", "status"}
		for _, t := range sp.Targets {
			head = append(head, shorten(t.KPI, 20))
		}
		rows := [][]string{head}
		var notes []string
		for _, c := range o.RunnersUp {
			cf := &o.Configurations[c]
			row := []string{fmtNum(cf.Cost), cf.Status}
			for _, t := range sp.Targets {
				cell := fmtEst(metricOf(cf.KPIs, t.KPI))
				if len(cf.Differences) > 0 {
					cell = fmtDelta(metricOf(cf.Differences, t.KPI))
				}
				row = append(row, cell)
			}
			rows = append(rows, row)
			notes = append(notes, cf.Label)
		}
		noted(&b, rows, notes, 3)
	}
	fmt.Fprintf(&b, "\nConfigurations examined, in order of cost\n\n")
	head := []string{"#", "cost", "status", "reps"}
	for _, t := range sp.Targets {
		head = append(head, shorten(t.KPI, 20))
	}
	rows := [][]string{head}
	var notes []string
	examined := 0
	for i, cf := range o.Configurations {
		if cf.Status == "unexamined" {
			continue
		}
		examined++
		status := cf.Status
		if i == o.Best {
			status = "ANSWER"
		}
		row := []string{fmt.Sprint(i), fmtNum(cf.Cost), status, fmt.Sprint(cf.Replications)}
		for _, t := range sp.Targets {
			row = append(row, fmtEst(metricOf(cf.KPIs, t.KPI)))
		}
		rows = append(rows, row)
		notes = append(notes, cf.Label)
	}
	noted(&b, rows, notes, 2)
	fmt.Fprintf(&b, "\n%d of %d configurations examined (the costlier ones need not be), %d replications in all.\n",
		examined, len(o.Configurations), o.Replications)
	_, err := io.WriteString(w, strings.TrimRight(wrap(b.String(), TextWidth), "\n")+"\n")
	return err
}

// noted writes rows as table does, each body row followed by its note on
// lines of its own, indented, wrapped at word boundaries.
func noted(w io.Writer, rows [][]string, notes []string, gap int) {
	var t bytes.Buffer
	table(&t, rows, gap)
	for i, line := range strings.Split(strings.TrimSuffix(t.String(), "\n"), "\n") {
		fmt.Fprintln(w, line)
		if i > 0 && i-1 < len(notes) {
			for k, part := range wrapWords(notes[i-1], TextWidth-6) {
				indent := "    "
				if k > 0 {
					indent = "      "
				}
				fmt.Fprintln(w, indent+part)
			}
		}
	}
}

// optLabel is metric i's label.
func optLabel(i int, sp *OptimizeSpec) string {
	if optMetrics[i].key == "overtime" {
		// Beside overtimePerWeek, the period must be said.
		return fmt.Sprintf("overtime over the %d measured days", sp.Scenario.Days-sp.Scenario.WarmupDays)
	}
	if i < len(kpis) {
		return kpiLabel(i)
	}
	return optMetrics[i].name
}

// WriteOptimizeHTML writes a self-contained HTML report: the answer, the
// runners-up, every configuration examined, and the frontier — cost
// against each target's figure, with the target and each configuration's
// 95% interval.
func WriteOptimizeHTML(w io.Writer, o *Optimization) error {
	if err := checkComplete(o); err != nil {
		return err
	}
	var b bytes.Buffer
	var head bytes.Buffer
	optHeader(&head, o)
	lines := strings.Split(strings.TrimRight(head.String(), "\n"), "\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p class=\"meta\">%s</p>\n<ul>\n", esc(lines[0]), esc(strings.Join(lines[1:4], " ")))
	for _, t := range o.Spec.Targets {
		m, _ := metricIndex(t.KPI)
		fmt.Fprintf(&b, "<li>%s <small>(%s, %s)</small></li>\n", esc(targetText(t)), esc(strings.TrimSpace(optMetrics[m].name)), esc(optMetrics[m].unit))
	}
	b.WriteString("</ul>\n")
	if len(o.Under) > 0 {
		fmt.Fprintf(&b, "<p>Every configuration under: %s.</p>\n", esc(strings.Join(o.Under, "; ")))
	}
	for _, msg := range o.Warnings {
		fmt.Fprintf(&b, "<div class=\"warning\"><b>Warning:</b> %s</div>\n", esc(msg))
	}
	sp := &o.Spec
	if o.Best < 0 {
		b.WriteString("<h2>No answer</h2>\n<p>No configuration within the levers' bounds was shown to meet every target.</p>\n")
	} else {
		best := &o.Configurations[o.Best]
		fmt.Fprintf(&b, "<h2>Answer: %s</h2>\n<p>Cost <b>%s</b> %s (%s); %d replications.</p>\n", esc(best.Label), fmtNum(best.Cost), esc(o.Spec.costUnit()), esc(versusRoster(best.Cost, o.RosterCost)), best.Replications)
		b.WriteString("<table class=\"kpi\"><caption class=\"vh\">Key figures of the answer</caption><thead><tr><th scope=\"col\">figure</th><th scope=\"col\">mean</th><th scope=\"col\">95% interval</th><th scope=\"col\">unit</th><th scope=\"col\">target</th></tr></thead><tbody>\n")
		for i, e := range best.KPIs {
			tgt := ""
			for _, t := range sp.Targets {
				if t.KPI == e.Key {
					tgt = targetText(t)
				}
			}
			class, interval := "", "—"
			if strings.HasPrefix(e.Key, "lost.") {
				class = ` class="sub"`
			}
			if e.N > 0 {
				interval = "[" + fmtNum(e.Low) + ", " + fmtNum(e.High) + "]"
			}
			fmt.Fprintf(&b, "<tr%s><th scope=\"row\">%s</th><td>%s</td><td><small>%s</small></td><td>%s</td><td>%s</td></tr>\n", class, esc(strings.TrimSpace(optLabel(i, sp))),
				cellHTML(e, false), interval, esc(optMetrics[i].unit), esc(tgt))
		}
		b.WriteString("</tbody></table>\n")
		fmt.Fprintf(&b, "<p class=\"note\">%s</p>\n", esc(emergencyNote(sp.Scenario.Booking.EmergencyMaxWaitMinutes)))
	}
	if len(o.RunnersUp) > 0 {
		b.WriteString("<h2>Runners-up</h2>\n<p class=\"note\">Configurations as cheap as the answer or cheaper that the procedure could neither show to meet nor to miss the targets within the replication budget; differences are paired with the answer under common random numbers.</p>\n")
		b.WriteString("<div class=\"wide\"><table><caption class=\"vh\">Runners-up</caption><thead><tr><th scope=\"col\" class=\"label\">configuration</th><th scope=\"col\">cost</th><th scope=\"col\">status</th>")
		for _, t := range sp.Targets {
			fmt.Fprintf(&b, "<th scope=\"col\">%s</th>", esc(t.KPI))
		}
		b.WriteString("</tr></thead><tbody>\n")
		for _, c := range o.RunnersUp {
			cf := &o.Configurations[c]
			fmt.Fprintf(&b, "<tr><th scope=\"row\" class=\"label\">%s</th><td>%s</td><td>%s</td>", esc(cf.Label), fmtNum(cf.Cost), cf.Status)
			for _, t := range sp.Targets {
				if len(cf.Differences) > 0 {
					fmt.Fprintf(&b, "<td>%s</td>", cellHTML(metricOf(cf.Differences, t.KPI), true))
				} else {
					fmt.Fprintf(&b, "<td>%s</td>", cellHTML(metricOf(cf.KPIs, t.KPI), false))
				}
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</tbody></table></div>\n")
	}
	b.WriteString("<h2>The frontier</h2>\n<p class=\"note\">Each configuration examined: its cost against each target's figure (mean and 95% interval over its replications). The dashed line is the target; the ringed point the answer.</p>\n")
	for _, t := range sp.Targets {
		fmt.Fprintf(&b, "<div class=\"chart\">%s</div>\n", frontierChart(o, t))
	}
	b.WriteString("<h2>Configurations examined, in order of cost</h2>\n<div class=\"wide\"><table><caption class=\"vh\">Configurations examined, in order of cost</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\" class=\"label\">configuration</th><th scope=\"col\">cost</th><th scope=\"col\">status</th><th scope=\"col\">replications</th>")
	for _, t := range sp.Targets {
		fmt.Fprintf(&b, "<th scope=\"col\">%s</th>", esc(t.KPI))
	}
	b.WriteString("</tr></thead><tbody>\n")
	examined := 0
	for i, cf := range o.Configurations {
		if cf.Status == "unexamined" {
			continue
		}
		examined++
		st := cf.Status
		if i == o.Best {
			st = "<b>answer</b>"
		}
		fmt.Fprintf(&b, "<tr><td>%d</td><th scope=\"row\" class=\"label\">%s</th><td>%s</td><td>%s</td><td>%d</td>", i, esc(cf.Label), fmtNum(cf.Cost), st, cf.Replications)
		for _, t := range sp.Targets {
			fmt.Fprintf(&b, "<td>%s</td>", cellHTML(metricOf(cf.KPIs, t.KPI), false))
		}
		b.WriteString("</tr>\n")
	}
	fmt.Fprintf(&b, "</tbody></table></div>\n<p class=\"note\">%d of %d configurations examined, %d replications in all. Configurations costlier than the answer are not simulated.</p>\n",
		examined, len(o.Configurations), o.Replications)
	title := sp.Name
	if title == "" {
		title = "Least staffing"
	}
	_, err := fmt.Fprintf(w, reportPage, esc(title), "", b.String())
	return err
}

func esc(s string) string { return html.EscapeString(s) }

var statusColor = map[string]string{"feasible": "#3a9a4f", "infeasible": "#c23b3b", "undecided": "#e07b28"}

// frontierChart plots every examined configuration's cost (x) against
// target t's figure (y), with whiskers for the 95% interval, the target
// as a dashed line and the answer ringed.
func frontierChart(o *Optimization, t Target) string {
	const W, H = 1000.0, 360.0
	title := "Cost against " + t.KPI
	d := newSVG(W, H, title)
	var legend []series
	for _, st := range []string{"feasible", "infeasible", "undecided"} {
		legend = append(legend, series{name: st, color: statusColor[st]})
	}
	legend = append(legend, series{name: "target " + targetText(t), color: "#1d2733", dashed: true})
	left, right := 70.0, W-30
	top := 14 + d.legend(legend, left, right, 18)
	bottom := H - 50
	bound := *pick(t.AtMost, t.AtLeast)
	xlo, xhi := math.Inf(1), math.Inf(-1)
	ylo, yhi := bound, bound
	for _, cf := range o.Configurations {
		if cf.Status == "unexamined" {
			continue
		}
		e := metricOf(cf.KPIs, t.KPI)
		xlo, xhi = math.Min(xlo, cf.Cost), math.Max(xhi, cf.Cost)
		if e.N > 0 {
			ylo, yhi = math.Min(ylo, e.Low), math.Max(yhi, e.High)
		}
	}
	if math.IsInf(xlo, 0) {
		xlo, xhi = 0, 1
	}
	if xhi-xlo < 1e-9 {
		xlo, xhi = xlo-1, xhi+1
	}
	pad := (xhi - xlo) * 0.05 // no point on the frame
	xlo, xhi = xlo-pad, xhi+pad
	xt, yt := niceTicks(xlo, xhi, 8), niceTicks(ylo, yhi, 5)
	xlo, xhi, ylo, yhi = xt[0], xt[len(xt)-1], yt[0], yt[len(yt)-1]
	x := func(v float64) float64 { return left + (v-xlo)/(xhi-xlo)*(right-left) }
	y := func(v float64) float64 { return bottom - (v-ylo)/(yhi-ylo)*(bottom-top) }
	for _, v := range yt {
		d.line(left, y(v), right, y(v), "#e3e7ec", 1, false)
		d.text(left-8, y(v)+4, "end", "#56606b", fmtTick(v))
	}
	for _, v := range xt {
		d.line(x(v), bottom, x(v), bottom+5, "#9aa3ad", 1, false)
		d.text(x(v), bottom+20, "middle", "#56606b", fmtTick(v), ` font-size="11"`)
	}
	d.line(left, bottom, right, bottom, "#9aa3ad", 1, false)
	d.text((left+right)/2, H-10, "middle", "#56606b", "technician-hours a week")
	m, _ := metricIndex(t.KPI)
	d.text(16, (top+bottom)/2, "middle", "#56606b", t.KPI+" ("+optMetrics[m].unit+")", fmt.Sprintf(` transform="rotate(-90 16 %.1f)"`, (top+bottom)/2))
	d.line(left, y(bound), right, y(bound), "#1d2733", 1.5, true)
	for i, cf := range o.Configurations {
		e := metricOf(cf.KPIs, t.KPI)
		if cf.Status == "unexamined" || e.N == 0 {
			continue
		}
		col := statusColor[cf.Status]
		cx := x(cf.Cost)
		d.line(cx, y(e.Low), cx, y(e.High), col, 1.5, false)
		fmt.Fprintf(&d.b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s — cost %s, %s %s [%s, %s], %s</title></circle>`, cx, y(e.Mean), col,
			esc(cf.Label), fmtNum(cf.Cost), esc(t.KPI), fmtNum(e.Mean), fmtNum(e.Low), fmtNum(e.High), cf.Status)
		if i == o.Best {
			fmt.Fprintf(&d.b, `<circle cx="%.1f" cy="%.1f" r="9" fill="none" stroke="#1d2733" stroke-width="2"/>`, cx, y(e.Mean))
			if cx > right-90 {
				d.text(cx-12, y(e.Mean)-10, "end", "#1d2733", "answer", ` font-weight="600"`)
			} else {
				d.text(cx+12, y(e.Mean)-10, "start", "#1d2733", "answer", ` font-weight="600"`)
			}
		}
	}
	return d.String()
}

func pick(a, b *float64) *float64 {
	if a != nil {
		return a
	}
	return b
}
