package sim

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// The report's charts are plain inline SVG: a viewBox that scales to the
// page's width, sans-serif text, the legend in its own band above the
// plot so it never covers data, and 95% intervals drawn as bands or
// whiskers.

var palette = []string{"#2f6fbf", "#e07b28", "#3a9a4f", "#8e56b5", "#c23b3b", "#7a7a7a", "#1b9aaa", "#b58b00"}

const chartFont = `font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"`

// series is one line (or one set of bars) with its interval.
type series struct {
	name            string
	color           string
	mean, low, high []float64
	dashed          bool
}

// svgDoc accumulates one chart.
type svgDoc struct {
	b    strings.Builder
	w, h float64
}

func newSVG(w, h float64, title string) *svgDoc {
	d := &svgDoc{w: w, h: h}
	fmt.Fprintf(&d.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="100%%" role="img" aria-label="%s" %s font-size="13">`,
		w, h, html.EscapeString(title), chartFont)
	return d
}

func (d *svgDoc) text(x, y float64, anchor, fill, s string, extra ...string) {
	fmt.Fprintf(&d.b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s"%s>%s</text>`, x, y, anchor, fill, strings.Join(extra, ""), html.EscapeString(s))
}

func (d *svgDoc) line(x1, y1, x2, y2 float64, stroke string, width float64, dash bool) {
	da := ""
	if dash {
		da = ` stroke-dasharray="6 4"`
	}
	fmt.Fprintf(&d.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"%s/>`, x1, y1, x2, y2, stroke, width, da)
}

func (d *svgDoc) rect(x, y, w, h float64, fill string, opacity float64) {
	fmt.Fprintf(&d.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="%g"/>`, x, y, math.Max(w, 0), math.Max(h, 0), fill, opacity)
}

func (d *svgDoc) String() string { return d.b.String() + "</svg>" }

// legend draws the series' names in a row (wrapping) from y, within
// [left, right), and returns the height it took; d may be nil to
// measure only.
func (d *svgDoc) legend(items []series, left, right, y float64) float64 {
	x, row := left, 0
	for _, it := range items {
		w := 28 + 7.2*float64(len([]rune(it.name))) + 18
		if x+w > right && x > left {
			x, row = left, row+1
		}
		if d != nil {
			yy := y + float64(row)*20
			d.line(x, yy-4, x+22, yy-4, it.color, 3, it.dashed)
			d.text(x+28, yy, "start", "#1d2733", it.name)
		}
		x += w
	}
	return float64(row+1) * 20
}

// floorOf is 0 when every mean of ss is at least 0 (counts, shares: a
// confidence interval reaching below zero is drawn cut at zero), else
// −Inf.
func floorOf(ss []series) float64 {
	for _, s := range ss {
		for _, m := range s.mean {
			if m < 0 {
				return math.Inf(-1)
			}
		}
	}
	return 0
}

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	first, last := math.Floor(lo/step+1e-9), math.Ceil(hi/step-1e-9)
	for k := first; k <= last; k++ {
		out = append(out, k*step)
	}
	return out
}

func fmtTick(x float64) string {
	if x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// lineChart draws series over categorical x (one point per label), each
// with its 95% band. A NaN mean is a point with no value (a day's
// utilisation when no one works): the line and band break there.
func lineChart(title, yLabel string, xLabels []string, ss []series) string {
	const W, H = 1000.0, 380.0
	d := newSVG(W, H, title)
	left, right := 64.0, W-40
	top := 14 + d.legend(ss, left, right, 18)
	bottom := H - 46
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for i := range s.mean {
			if math.IsNaN(s.mean[i]) {
				continue
			}
			lo, hi = math.Min(lo, math.Min(s.low[i], s.mean[i])), math.Max(hi, math.Max(s.high[i], s.mean[i]))
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	lo = math.Max(math.Min(lo, 0), floorOf(ss))
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	n := len(xLabels)
	x := func(i int) float64 {
		if n == 1 {
			return (left + right) / 2
		}
		return left + 10 + float64(i)*(right-left-20)/float64(n-1)
	}
	y := func(v float64) float64 { return bottom - (math.Max(v, lo)-lo)/(hi-lo)*(bottom-top) }
	for _, t := range ticks {
		d.line(left, y(t), right, y(t), "#e3e7ec", 1, false)
		d.text(left-8, y(t)+4, "end", "#56606b", fmtTick(t))
	}
	d.text(16, (top+bottom)/2, "middle", "#56606b", yLabel, fmt.Sprintf(` transform="rotate(-90 16 %.1f)"`, (top+bottom)/2))
	every := max(1, (n+15)/16)
	for i, l := range xLabels {
		if i%every == 0 || i == n-1 {
			d.text(x(i), bottom+20, "middle", "#56606b", l, ` font-size="11"`)
		}
	}
	d.line(left, bottom, right, bottom, "#9aa3ad", 1, false)
	for _, s := range ss {
		if len(s.mean) == 0 {
			continue
		}
		da := ""
		if s.dashed {
			da = ` stroke-dasharray="6 4"`
		}
		// One band and line per run of points with a value.
		for a := 0; a < len(s.mean); {
			if math.IsNaN(s.mean[a]) {
				a++
				continue
			}
			e := a
			for e < len(s.mean) && !math.IsNaN(s.mean[e]) {
				e++
			}
			var band strings.Builder
			for i := a; i < e; i++ {
				fmt.Fprintf(&band, "%.1f,%.1f ", x(i), y(s.high[i]))
			}
			for i := e - 1; i >= a; i-- {
				fmt.Fprintf(&band, "%.1f,%.1f ", x(i), y(s.low[i]))
			}
			fmt.Fprintf(&d.b, `<polygon points="%s" fill="%s" fill-opacity="0.15" stroke="none"/>`, strings.TrimSpace(band.String()), s.color)
			var pts strings.Builder
			for i := a; i < e; i++ {
				fmt.Fprintf(&pts, "%.1f,%.1f ", x(i), y(s.mean[i]))
			}
			fmt.Fprintf(&d.b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`, strings.TrimSpace(pts.String()), s.color, da)
			a = e
		}
		for i, m := range s.mean {
			if math.IsNaN(m) {
				continue
			}
			fmt.Fprintf(&d.b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s: %s [%s, %s]</title></circle>`, x(i), y(m), s.color,
				html.EscapeString(s.name), html.EscapeString(xLabels[i]), fmtNum(m), fmtNum(s.low[i]), fmtNum(s.high[i]))
		}
	}
	d.text(right, H-8, "end", "#7a838d", "bands: 95% confidence intervals over replications", ` font-size="11"`)
	return d.String()
}

// A bar chart's category labels stand in the 290 units left of the bars:
// at the chart's 13-unit sans-serif about 45 characters, so a longer label
// (the emergency reasons run to 70) wraps at word boundaries into lines of
// at most barLabelRunes, barLabelLine apart, instead of running off the
// chart's left edge.
const (
	barLabelRunes = 44
	barLabelLine  = 15.0
)

// wrapLabel splits s at spaces into lines of at most n runes; a single
// word longer than n stays whole on its own line.
func wrapLabel(s string, n int) []string { return wrapEach(s, n, func(w string) string { return w }) }

// barChart draws horizontal bars: per category, one bar per series, with
// the 95% interval as a whisker.
func barChart(title, xLabel string, cats []string, ss []series) string {
	const W = 1000.0
	barH, gap := 14.0, 10.0
	labels := make([][]string, len(cats))
	lines := 1
	for i, c := range cats {
		labels[i] = wrapLabel(c, barLabelRunes)
		lines = max(lines, len(labels[i]))
	}
	groupH := math.Max(float64(len(ss))*barH+gap, float64(lines)*barLabelLine+6)
	left, right := 300.0, W-80
	legendH := (*svgDoc)(nil).legend(ss, left, right, 0)
	H := 20 + legendH + float64(len(cats))*groupH + 50
	d := newSVG(W, H, title)
	top := 14 + d.legend(ss, left, right, 18) + 6
	bottom := top + float64(len(cats))*groupH
	lo, hi := 0.0, 0.0
	for _, s := range ss {
		for i := range s.mean {
			lo, hi = math.Min(lo, math.Min(s.low[i], s.mean[i])), math.Max(hi, math.Max(s.high[i], s.mean[i]))
		}
	}
	lo = math.Max(lo, floorOf(ss))
	ticks := niceTicks(lo, hi, 6)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	x := func(v float64) float64 { return left + (math.Max(v, lo)-lo)/(hi-lo)*(right-left) }
	for _, t := range ticks {
		d.line(x(t), top-4, x(t), bottom, "#e3e7ec", 1, false)
		d.text(x(t), bottom+18, "middle", "#56606b", fmtTick(t))
	}
	d.text((left+right)/2, bottom+38, "middle", "#56606b", xLabel)
	for ci := range cats {
		gy := top + float64(ci)*groupH
		for k, l := range labels[ci] {
			d.text(left-10, gy+groupH/2+4+(float64(k)-float64(len(labels[ci])-1)/2)*barLabelLine, "end", "#1d2733", l)
		}
		for si, s := range ss {
			by := gy + (groupH-float64(len(ss))*barH-gap)/2 + float64(si)*barH
			m := s.mean[ci]
			d.rect(math.Min(x(0), x(m)), by+1, math.Abs(x(m)-x(0)), barH-2, s.color, 0.85)
			if s.high[ci] > s.low[ci] {
				cy := by + barH/2
				d.line(x(s.low[ci]), cy, x(s.high[ci]), cy, "#1d2733", 1.2, false)
				d.line(x(s.low[ci]), cy-4, x(s.low[ci]), cy+4, "#1d2733", 1.2, false)
				d.line(x(s.high[ci]), cy-4, x(s.high[ci]), cy+4, "#1d2733", 1.2, false)
			}
			d.text(math.Max(x(m), x(s.high[ci]))+6, by+barH-3, "start", "#56606b", fmtNum(m), ` font-size="11"`)
		}
	}
	d.line(x(0), top-4, x(0), bottom, "#56606b", 1, false)
	return d.String()
}

// deltaRow is one paired difference to chart.
type deltaRow struct {
	label string
	e     Estimate
}

// deltaChart draws each paired difference as a dot with its 95% whisker
// on its own scale, centred on zero, so figures in different units share
// one picture: what moved, which way, and whether the interval excludes
// zero.
func deltaChart(title, variant, color string, rows []deltaRow) string {
	const W = 1000.0
	rowH := 26.0
	H := 54 + float64(len(rows))*rowH + 20
	d := newSVG(W, H, title)
	left, mid, half, values := 350.0, 575.0, 200.0, 795.0
	top := 40.0
	d.line(left-4, 22, left+14, 22, color, 3, false)
	d.text(left+20, 26, "start", "#1d2733", variant+" − baseline (paired; each row on its own scale)")
	d.line(mid, top-6, mid, top+float64(len(rows))*rowH, "#56606b", 1, false)
	d.text(mid, top+float64(len(rows))*rowH+12, "middle", "#56606b", "0", ` font-size="11"`)
	for i, r := range rows {
		y := top + float64(i)*rowH + rowH/2
		if i%2 == 0 {
			d.rect(10, y-rowH/2, W-20, rowH, "#f3f5f8", 1)
		}
		d.text(left-16, y+4, "end", "#1d2733", r.label)
		e := r.e
		if e.N == 0 {
			continue
		}
		scale := math.Max(math.Max(math.Abs(e.Low), math.Abs(e.High)), math.Abs(e.Mean))
		if scale == 0 {
			scale = 1
		}
		x := func(v float64) float64 { return mid + v/scale*half*0.9 }
		fill := "#9aa3ad"
		if e.Significant() {
			fill = color
		}
		d.line(x(e.Low), y, x(e.High), y, "#1d2733", 1.4, false)
		d.line(x(e.Low), y-5, x(e.Low), y+5, "#1d2733", 1.4, false)
		d.line(x(e.High), y-5, x(e.High), y+5, "#1d2733", 1.4, false)
		fmt.Fprintf(&d.b, `<circle cx="%.1f" cy="%.1f" r="5" fill="%s"/>`, x(e.Mean), y, fill)
		label := fmt.Sprintf("%s [%s, %s] %s", fmtSigned(e.Mean), fmtSigned(e.Low), fmtSigned(e.High), e.Unit)
		d.text(values, y+4, "start", "#56606b", label, ` font-size="12"`)
	}
	return d.String()
}

func fmtSigned(x float64) string {
	s := fmtNum(x)
	if x > 0 {
		s = "+" + s
	}
	return s
}
