package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"image/color"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/opendispatch/dispatch/board"
	"github.com/opendispatch/dispatch/hours"
)

// WriteJSON writes the full, machine-readable result.
func WriteJSON(w io.Writer, r *Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func fmtEst(e Estimate) string {
	if e.N == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f ±%.2f", e.Mean, (e.High-e.Low)/2)
}

// WriteText writes a readable table: each KPI per variant with its 95%
// interval, and each variant's paired difference from the baseline.
func WriteText(w io.Writer, r *Result) error {
	s := r.Summary
	if s == nil {
		return fmt.Errorf("sim: a partial result (shard %s) has no summary: merge the shards first", r.Shard)
	}
	fmt.Fprintf(w, "%s\n", r.Scenario.Name)
	fmt.Fprintf(w, "%d days from %s (%d warm-up days left out), %d replications, seed %d, dispatch %s\n\n",
		r.Scenario.Days, r.Scenario.Start, r.Scenario.WarmupDays, r.Scenario.Replications, r.Scenario.Seed, r.Scenario.Dispatch.Policy)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"KPI (mean ±95% half-width)", "unit"}
	for _, v := range s.Variants {
		head = append(head, v.Name)
	}
	for _, d := range s.Differences {
		head = append(head, "Δ "+strings.TrimSuffix(d.Name, " − baseline"))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for i, k := range kpis {
		row := []string{k.name, k.unit}
		for _, v := range s.Variants {
			row = append(row, fmtEst(v.KPIs[i]))
		}
		for _, d := range s.Differences {
			e := d.KPIs[i]
			mark := ""
			if e.N > 1 && (e.Low > 0 || e.High < 0) {
				mark = " *"
			}
			row = append(row, fmtEst(e)+mark)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n* the paired difference's interval excludes zero (common random numbers: both saw the same calls)")
	return nil
}

var palette = []color.Color{color.RGBA{59, 125, 216, 255}, color.RGBA{232, 131, 58, 255}, color.RGBA{76, 160, 90, 255}, color.RGBA{150, 90, 180, 255}}

// chart renders a plot to an inline SVG string.
func chart(p *plot.Plot) (string, error) {
	c := vgsvg.NewWith(vgsvg.UseWH(7*vg.Inch, 3*vg.Inch), vgsvg.EmbedFonts(false))
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	svg := b.String()
	if i := strings.Index(svg, "<svg"); i >= 0 {
		svg = svg[i:] // drop the XML prolog: the SVG is inline
	}
	return svg, nil
}

func dayLabels(v VariantSummary) []string {
	out := make([]string, len(v.Days))
	for i, d := range v.Days {
		out[i] = d.Date[5:]
	}
	return out
}

// WriteHTML writes one self-contained report: the KPI table, charts of
// utilisation by day, booked versus lost by day and capacity versus demand
// per arrival window, and one day's dispatch board from replication 0 of
// the baseline.
func WriteHTML(w io.Writer, r *Result) error {
	s := r.Summary
	if s == nil {
		return fmt.Errorf("sim: a partial result (shard %s) has no summary: merge the shards first", r.Shard)
	}
	var table bytes.Buffer
	if err := WriteText(&table, r); err != nil {
		return err
	}

	util := plot.New()
	util.Title.Text = "Utilisation by day (on site ÷ working time, %)"
	util.Y.Label.Text = "%"
	booked := plot.New()
	booked.Title.Text = "Booked and lost calls by day (mean of replications)"
	booked.Y.Label.Text = "calls"
	for vi, v := range s.Variants {
		pu, pb, pl := make(plotter.XYs, len(v.Days)), make(plotter.XYs, len(v.Days)), make(plotter.XYs, len(v.Days))
		for i, d := range v.Days {
			pu[i] = plotter.XY{X: float64(i), Y: d.Utilisation.Mean}
			pb[i] = plotter.XY{X: float64(i), Y: d.Booked.Mean}
			pl[i] = plotter.XY{X: float64(i), Y: d.Lost.Mean}
		}
		col := palette[vi%len(palette)]
		for _, l := range []struct {
			p    *plot.Plot
			pts  plotter.XYs
			name string
			dash bool
		}{{util, pu, v.Name, false}, {booked, pb, v.Name + " booked", false}, {booked, pl, v.Name + " lost", true}} {
			line, err := plotter.NewLine(l.pts)
			if err != nil {
				return err
			}
			line.Color = col
			line.Width = vg.Points(1.5)
			if l.dash {
				line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			}
			l.p.Add(line)
			l.p.Legend.Add(l.name, line)
		}
	}
	labels := dayLabels(s.Variants[0])
	for _, p := range []*plot.Plot{util, booked} {
		p.NominalX(labels...)
		p.Legend.Top = true
	}

	win := plot.New()
	win.Title.Text = "Capacity and booked minutes per arrival window, over the measured days"
	win.Y.Label.Text = "minutes"
	var names []string
	for _, we := range s.Variants[0].Windows {
		names = append(names, we.Window)
	}
	width := vg.Points(14)
	offset := -width * vg.Length(len(s.Variants))
	for vi, v := range s.Variants {
		capv, bookv := make(plotter.Values, len(v.Windows)), make(plotter.Values, len(v.Windows))
		for i, we := range v.Windows {
			capv[i], bookv[i] = we.CapacityMinutes.Mean, we.BookedMinutes.Mean
		}
		for k, vals := range []plotter.Values{capv, bookv} {
			bars, err := plotter.NewBarChart(vals, width)
			if err != nil {
				return err
			}
			bars.Color = palette[vi%len(palette)]
			if k == 1 {
				bars.Color = color.RGBA{120, 120, 120, 255}
				bars.LineStyle.Color = palette[vi%len(palette)]
			}
			bars.Offset = offset
			offset += width
			win.Add(bars)
			label := v.Name + " capacity"
			if k == 1 {
				label = v.Name + " booked"
			}
			win.Legend.Add(label, bars)
		}
	}
	if len(names) > 0 {
		win.NominalX(names...)
	}
	win.Legend.Top = true

	var charts []string
	for _, p := range []*plot.Plot{util, booked, win} {
		svg, err := chart(p)
		if err != nil {
			return err
		}
		charts = append(charts, svg)
	}

	// One measured Tuesday (or the first measured day) of replication 0.
	var boardHTML bytes.Buffer
	if r.Board != nil {
		first := mustDate(r.Scenario.Start) + hours.Date(r.Scenario.WarmupDays)
		day := first
		for d := first; d < mustDate(r.Scenario.Start)+hours.Date(r.Scenario.Days); d++ {
			if d.Weekday() == time.Tuesday {
				day = d
				break
			}
		}
		boardHTML.WriteString("<h2>One day's dispatch board (baseline, replication 0)</h2>\n")
		if _, err := board.Fragment(&boardHTML, r.Board, day, r.Scenario.Name); err != nil {
			return err
		}
	}
	boardPart := boardHTML.String()

	_, err := fmt.Fprintf(w, reportPage, html.EscapeString(r.Scenario.Name), board.CSS, html.EscapeString(r.Scenario.Name), html.EscapeString(table.String()),
		charts[0], charts[1], charts[2], boardPart)
	return err
}

const reportPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%s</title>
<style>
body { font: 14px system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1d2733; max-width: 1500px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
pre { background: #f6f8fa; padding: 12px; overflow-x: auto; font-size: 12px; }
.chart svg { max-width: 100%%; height: auto; }
%s
</style>
</head>
<body>
<h1>%s</h1>
<h2>Key figures</h2>
<pre>%s</pre>
<h2>Utilisation by day</h2><div class="chart">%s</div>
<h2>Booked and lost by day</h2><div class="chart">%s</div>
<h2>Capacity and demand per arrival window</h2><div class="chart">%s</div>
%s
</body>
</html>
`
