package sim

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/opendispatch/dispatch/hours"
)

// TextWidth is the widest line WriteText writes, in runes, for any number
// of variants (variant names longer than a column are shortened).
const TextWidth = 100

// WriteJSON writes the full, machine-readable result: objects indented,
// arrays of numbers on one line.
func WriteJSON(w io.Writer, r *Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	compactIndent(&out, b)
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// compactIndent indents the compact JSON src like json.Indent with two
// spaces, except that an array holding no object or array, and a short
// object holding no object, stay on one line.
func compactIndent(dst *bytes.Buffer, src []byte) {
	depth := 0
	newline := func() {
		dst.WriteByte('\n')
		for range depth {
			dst.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			j := skipString(src, i)
			dst.Write(src[i : j+1])
			i = j
		case '[', '{':
			if end, ok := flat(src, i); ok {
				inline(dst, src[i:end+1])
				i = end
				continue
			}
			dst.WriteByte(c)
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst.WriteByte(c)
		case ',':
			dst.WriteByte(c)
			newline()
		case ':':
			dst.WriteString(": ")
		default:
			dst.WriteByte(c)
		}
	}
}

// skipString returns the index of the quote closing the string that opens
// at src[i].
func skipString(src []byte, i int) int {
	j := i + 1
	for ; j < len(src) && src[j] != '"'; j++ {
		if src[j] == '\\' {
			j++
		}
	}
	return j
}

// flat reports whether the container opening at src[i] stays on one
// line — an array without objects or arrays inside, or an object of at
// most 100 bytes without objects inside — and where it closes.
func flat(src []byte, i int) (int, bool) {
	depth := 0
	for j := i; j < len(src); j++ {
		switch src[j] {
		case '"':
			j = skipString(src, j)
		case '{':
			if j > i {
				return 0, false
			}
			depth++
		case '[':
			if j > i && src[i] == '[' {
				return 0, false
			}
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return j, src[i] == '[' || j-i <= 100
			}
		}
	}
	return 0, false
}

// inline writes a flat container with a space after each comma and colon.
func inline(dst *bytes.Buffer, src []byte) {
	for k := 0; k < len(src); k++ {
		switch ch := src[k]; ch {
		case '"':
			j := skipString(src, k)
			dst.Write(src[k : j+1])
			k = j
		case ',', ':':
			dst.WriteByte(ch)
			dst.WriteByte(' ')
		default:
			dst.WriteByte(ch)
		}
	}
}

func fmtNum(x float64) string {
	switch a := math.Abs(x); {
	case a >= 1000:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 1, 64)
	default:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
}

func fmtEst(e Estimate) string {
	if e.Censored > 0 {
		return notReached(e)
	}
	if e.N == 0 {
		return "—"
	}
	return fmtNum(e.Mean) + " ±" + fmtNum(halfWidth(e))
}

// offCentreNote says what ± shows where [halfWidth] is an interval's
// longer side, after the text reports' tables; exactNote is its part the
// HTML's key-figure note says too.
const (
	exactNote     = "A share's or lost-call count's interval also contains the exact interval of its events pooled over the replications, so with few events it lies off the mean (none seen: from 0 up to the ± shown): ± is then its longer side. So does a paired difference of these or of booked calls where fewer than 10 events, pooled over the replications, differ between the variants (none: 0 ± the exact bound). JSON has both bounds."
	offCentreNote = "± is the 95% interval's half-width. " + exactNote
)

// halfWidth is what "mean ±h" shows of e's interval: its half-width, or,
// when the interval is not centred on the mean (a share's or a count's
// that contains the exact interval of rare events, see [Estimate]), its
// longer side, so that mean ± h contains it. JSON has the bounds.
func halfWidth(e Estimate) float64 {
	h := (e.High - e.Low) / 2
	if up, down := e.High-e.Mean, e.Mean-e.Low; math.Abs(up-down) > 1e-9*math.Max(math.Abs(e.High), math.Abs(e.Low)) {
		h = max(up, down)
	}
	return h
}

// notReached writes a censored percentile (see [Estimate]): of a
// variant, in how many replications; of a difference, only that.
func notReached(e Estimate) string {
	if e.N == 0 {
		return "not reached"
	}
	return fmt.Sprintf("not reached %d/%d", e.Censored, e.N)
}

func fmtDelta(e Estimate) string {
	if e.Censored > 0 {
		return notReached(e)
	}
	if e.N == 0 {
		return "—"
	}
	s := fmtNum(e.Mean) + " ±" + fmtNum(halfWidth(e))
	if e.Mean > 0 {
		s = "+" + s
	}
	if e.Significant() {
		s += " *"
	}
	return s
}

// shorten cuts s to at most n runes, ending in "…" when cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// kpiLabel is the short label of KPI i in the text tables.
func kpiLabel(i int) string {
	if k := kpis[i]; strings.HasPrefix(k.key, "lost.") {
		return "  " + reasonShort[i-3]
	}
	return kpis[i].name
}

var reasonShort = [NumReasons]string{"no eligible technician", "no window fits", "held by ideal booking %", "held by reserve or rule",
	"beyond booking horizon", "customer declined", "emergency: all busy", "emergency: none on duty"}

var reasonAbbrev = [NumReasons]string{"elig", "fit", "ideal", "resv", "horiz", "decl", "busy", "duty"}

// header writes the study's description and its warnings.
func header(w io.Writer, r *Result) {
	s := &r.Scenario
	first := mustDate(s.Start)
	fmt.Fprintf(w, "%s\n", s.Name)
	fmt.Fprintf(w, "Calls on %d days from %s; %d warm-up days left out, measured %s to %s.\n", s.Days, s.Start, s.WarmupDays,
		(first + hours.Date(s.WarmupDays)).String(), (first + hours.Date(s.Days-1)).String())
	roster := "the tenant's shifts as dated"
	if s.Roster.TemplateStart != "" {
		roster = fmt.Sprintf("shifts rolled forward from the %d week(s) of %s", s.Roster.weeks(), s.Roster.TemplateStart)
	}
	fmt.Fprintf(w, "%d replications, seed %d; dispatch %s; booking horizon %d days; %s.\n", s.Replications, s.Seed,
		s.Dispatch.Policy, s.Booking.HorizonDays, roster)
	for _, msg := range r.Warnings {
		fmt.Fprintf(w, "\nWARNING: %s\n", msg)
	}
}

// WriteText writes a readable report within [TextWidth] columns: each KPI
// per variant with its 95% interval and each variant's paired difference
// from the baseline, then where calls are lost, by reason, job type,
// business unit, zone and day.
func WriteText(w io.Writer, r *Result) error {
	s := r.Summary
	if s == nil {
		return fmt.Errorf("sim: a partial result (shard %s) has no summary: merge the shards first", r.Shard)
	}
	var b bytes.Buffer
	header(&b, r)
	fmt.Fprintf(&b, "\nKey figures (mean ±95%% half-width over replications)\n\n")
	wide := kpiTableWide(s)
	if maxWidth(wide) <= TextWidth {
		b.WriteString(wide)
	} else {
		b.WriteString(kpiTableStacked(s))
	}
	if len(s.Differences) > 0 {
		b.WriteString("\n* the paired difference's interval excludes zero (common random numbers: both saw the same calls)\n")
	}
	b.WriteString("\n" + offCentreNote + "\n")
	b.WriteString("\n" + emergencyNote(r.Scenario.Booking.EmergencyMaxWaitMinutes) + "\n")
	for _, v := range s.Variants {
		unitTable(&b, v)
		unitWindowTable(&b, v)
		lossTables(&b, r, v)
	}
	fmt.Fprintf(&b, "\nReasons: elig = %s; fit = %s; ideal = %s; resv = %s; horiz = %s; decl = %s; busy = %s; duty = %s.\n",
		reasonTexts[0], reasonTexts[1], reasonTexts[2], reasonTexts[3], reasonTexts[4], reasonTexts[5], reasonTexts[6], reasonTexts[7])
	out := wrap(b.String(), TextWidth) // the warnings and the legend
	_, err := io.WriteString(w, out)
	return err
}

func maxWidth(s string) int {
	m := 0
	for line := range strings.SplitSeq(s, "\n") {
		m = max(m, utf8.RuneCountInString(line))
	}
	return m
}

// wrap breaks lines longer than width at spaces.
func wrap(s string, width int) string {
	var out strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		w := width
		for utf8.RuneCountInString(line) > w {
			r := []rune(line)
			cut := strings.LastIndex(string(r[:w]), " ")
			if cut <= 0 {
				break
			}
			out.WriteString(line[:cut])
			out.WriteString("\n  ")
			line = strings.TrimLeft(line[cut:], " ")
			w = width - 2
		}
		out.WriteString(line)
	}
	return out.String()
}

// kpiTableWide is the KPI table with one column per variant and per
// difference; variant names longer than their column are shortened.
func kpiTableWide(s *Summary) string {
	head := []string{"KPI", "unit"}
	for _, v := range s.Variants {
		head = append(head, v.Name)
	}
	for _, d := range s.Differences {
		head = append(head, "Δ "+strings.TrimSuffix(d.Name, " − baseline"))
	}
	var body [][]string
	for i := range kpis {
		row := []string{kpiLabel(i), s.Variants[0].KPIs[i].Unit}
		for _, v := range s.Variants {
			row = append(row, fmtEst(v.KPIs[i]))
		}
		for _, d := range s.Differences {
			row = append(row, fmtDelta(d.KPIs[i]))
		}
		body = append(body, row)
	}
	var b bytes.Buffer
	table(&b, headed(head, body), 2)
	return b.String()
}

// padColumn pads the first cell of every row to one width, so that a
// right-aligning tabwriter shows that column left-aligned.
func padColumn(rows [][]string) {
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	for _, r := range rows {
		r[0] += strings.Repeat(" ", width-utf8.RuneCountInString(r[0]))
	}
}

// table writes rows through a right-aligning tabwriter with the first
// column left-aligned and no leading padding.
func table(w io.Writer, rows [][]string, gap int) {
	padColumn(rows)
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, gap, ' ', tabwriter.AlignRight)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
	}
	tw.Flush()
	for line := range strings.SplitSeq(strings.TrimSuffix(b.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(strings.TrimPrefix(line, strings.Repeat(" ", gap)), " "))
	}
}

// wrapWords breaks s into lines of at most width runes at spaces (a word
// longer than width is shortened).
func wrapWords(s string, width int) []string {
	return wrapEach(s, width, func(w string) string { return shorten(w, width) })
}

// wrapEach breaks s into lines of at most width runes at spaces, each word
// first passed through word; a word that is still longer than width has a
// line of its own. It returns one empty line for an empty s.
func wrapEach(s string, width int, word func(string) string) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		w = word(w)
		switch {
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	return append(lines, cur)
}

// headed prepends header rows to body: each column's title wrapped to
// the width of the column's widest value (at least 8), so long variant
// names take several lines instead of widening the table.
func headed(titles []string, body [][]string) [][]string {
	cols := make([][]string, len(titles))
	depth := 1
	for c, t := range titles {
		width := 8
		for _, r := range body {
			width = max(width, utf8.RuneCountInString(r[c]))
		}
		if c == 0 {
			width = max(width, utf8.RuneCountInString(t))
		}
		cols[c] = wrapWords(t, width)
		depth = max(depth, len(cols[c]))
	}
	var rows [][]string
	for i := range depth {
		row := make([]string, len(titles))
		for c, lines := range cols {
			// Bottom-align the titles.
			if k := i - (depth - len(lines)); k >= 0 {
				row[c] = lines[k]
			}
		}
		rows = append(rows, row)
	}
	return append(rows, body...)
}

// kpiTableStacked is the KPI table for many variants: one block per KPI,
// one row per variant, its estimate and its paired difference.
func kpiTableStacked(s *Summary) string {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KPI / variant\tmean ±95%\tΔ vs baseline ±95%\t")
	for i, k := range kpis {
		label := strings.TrimSpace(kpiLabel(i))
		if strings.HasPrefix(k.key, "lost.") {
			label = "lost: " + label
		}
		fmt.Fprintf(tw, "%s (%s)\t\t\t\n", label, s.Variants[0].KPIs[i].Unit)
		for vi, v := range s.Variants {
			d := ""
			if vi > 0 {
				d = fmtDelta(s.Differences[vi-1].KPIs[i])
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t\n", shorten(v.Name, 40), fmtEst(v.KPIs[i]), d)
		}
	}
	tw.Flush()
	var out strings.Builder
	for line := range strings.SplitSeq(strings.TrimSuffix(b.String(), "\n"), "\n") {
		out.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return out.String()
}

// unitTable writes variant v's time figures by business unit: a
// saturated unit beside idle ones shows here, not in the fleet's figure.
func unitTable(b *bytes.Buffer, v VariantSummary) {
	if len(v.Units) == 0 {
		return
	}
	fmt.Fprintf(b, "\nBy business unit: %s (mean ±95%% half-width over replications)\n\n", shorten(v.Name, 50))
	ci := func(c CI) string { return fmtNum(c.Mean) + " ±" + fmtNum((c.High-c.Low)/2) }
	rows := [][]string{{"", "utilisation %", "drive share %", "overtime h", "working h"}}
	for _, u := range v.Units {
		util, drive := ci(u.Utilisation), ci(u.DriveShare)
		if u.WorkingHours.High <= 0 {
			util, drive = "—", "—" // no working time: undefined
		}
		rows = append(rows, []string{shorten(fmt.Sprintf("%d %s", u.ID, u.Label), 28), util, drive, ci(u.OvertimeHours), ci(u.WorkingHours)})
	}
	table(b, rows, 2)
}

// unitWindowTable writes variant v's window fill by business unit:
// booked ÷ capacity minutes, %, one row per unit and one column per
// arrival window, the windows split over several tables when they do not
// fit in [TextWidth]; "—" for a window without capacity. Units of a group
// share its pool, and their rows say so.
func unitWindowTable(b *bytes.Buffer, v VariantSummary) {
	if len(v.UnitWindows) == 0 || len(v.UnitWindows[0].Windows) == 0 {
		return
	}
	fmt.Fprintf(b, "\nWindow fill by business unit: %s (%%, mean ±95%% half-width)\n\n", shorten(v.Name, 50))
	label := func(u UnitWindowsEst) string {
		l := shorten(fmt.Sprintf("%d %s", u.ID, u.Label), 24)
		if len(u.Pool) > 0 {
			l += " †"
		}
		return l
	}
	cell := func(e UnitWindowEst) string {
		if e.CapacityMinutes.High <= 0 {
			return "—"
		}
		return strconv.FormatFloat(e.Fill.Mean, 'f', 1, 64) + " ±" + strconv.FormatFloat((e.Fill.High-e.Fill.Low)/2, 'f', 1, 64)
	}
	build := func(from, to int) [][]string {
		head := []string{""}
		for _, w := range v.UnitWindows[0].Windows[from:to] {
			head = append(head, w.Window)
		}
		rows := [][]string{head}
		for _, u := range v.UnitWindows {
			row := []string{label(u)}
			for _, w := range u.Windows[from:to] {
				row = append(row, cell(w))
			}
			rows = append(rows, row)
		}
		return rows
	}
	nw := len(v.UnitWindows[0].Windows)
	for from := 0; from < nw; {
		to := from + 1
		for to < nw {
			var t bytes.Buffer
			table(&t, build(from, to+1), 2)
			if maxWidth(t.String()) > TextWidth {
				break
			}
			to++
		}
		if from > 0 {
			b.WriteString("\n")
		}
		table(b, build(from, to), 2)
		from = to
	}
	note := "Fill: booked ÷ capacity minutes in the window over the measured days, as the engine reports them for a request of the unit."
	if pools := poolUnits(v.UnitWindows); pools != "" {
		note += fmt.Sprintf(" † A unit in a business-unit group books into the group's pool, and its row is the pool's (units %s).", pools)
	}
	b.WriteString(note + "\n")
}

// poolUnits lists the business-unit groups among us, a group's units
// once, at its first unit: "1, 4; units 5, 6", or "" for none.
func poolUnits(us []UnitWindowsEst) string {
	var pools []string
	for _, u := range us {
		if len(u.Pool) > 0 && u.Pool[0] == u.ID {
			pools = append(pools, idList(u.Pool, ", "))
		}
	}
	return strings.Join(pools, "; units ")
}

// idList writes ids in decimal, separated by sep.
func idList(ids []int64, sep string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(out, sep)
}

// lossTables writes where variant v's calls are lost.
func lossTables(b *bytes.Buffer, r *Result, v VariantSummary) {
	if v.Losses == nil {
		return
	}
	fmt.Fprintf(b, "\nWhere calls are lost: %s (calls per replication over the measured days)\n\n", shorten(v.Name, 50))
	head := append([]string{"", "calls", "booked", "lost"}, reasonAbbrev[:]...)
	rows := [][]string{head}
	section := func(title string, list []LossRow, label func(LossRow) string) {
		rows = append(rows, append([]string{title}, make([]string, len(head)-1)...))
		for _, row := range list {
			cells := []string{"  " + shorten(label(row), 28), fmtNum(row.Calls.Mean), fmtNum(row.Booked.Mean), fmtNum(row.Lost.Mean)}
			for _, l := range row.LostBy {
				cells = append(cells, fmtShort(l.Mean))
			}
			rows = append(rows, cells)
		}
	}
	idLabel := func(row LossRow) string { return fmt.Sprintf("%d %s", row.ID, row.Label) }
	section("by job type", v.Losses.ByJobType, idLabel)
	section("by business unit", v.Losses.ByBusinessUnit, idLabel)
	section("by zone", v.Losses.ByZone, idLabel)
	section("by day", v.Losses.ByDay, func(row LossRow) string {
		d, _ := hours.ParseDate(row.Label)
		return row.Label + " " + d.Weekday().String()[:3]
	})
	table(b, rows, 1)
}

func fmtShort(x float64) string {
	if x == 0 {
		return "·"
	}
	if math.Abs(x) >= 100 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// csvText makes a text cell (a name) inert in a spreadsheet: one starting
// with =, +, -, @, a tab or a carriage return would be read as a formula
// ("=HYPERLINK(...)" from a tenant's business unit name), so it gets a
// leading single quote, as OWASP's CSV injection guidance has it. Only
// text cells pass here: a negative number stays a number.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes the per-day × business-unit × job-type table for
// spreadsheets: one row per variant, measured date and job type with the
// mean calls per replication, booked, lost and lost by reason, and the
// utilisation of the job type's business unit that date (the same on
// each of the unit's rows of the date; a ratio, not to be summed; empty
// when the unit has no working time that date). A name that a
// spreadsheet would read as a formula is written with a leading single
// quote (see csvText).
func WriteCSV(w io.Writer, r *Result) error {
	if r.Summary == nil {
		return fmt.Errorf("sim: a partial result (shard %s) has no summary: merge the shards first", r.Shard)
	}
	cw := csv.NewWriter(w)
	head := []string{"variant", "date", "weekday", "business_unit_id", "business_unit", "job_type_id", "job_type", "replications", "calls", "booked", "lost"}
	for i := range NumReasons {
		head = append(head, "lost_"+Reason(i).String())
	}
	head = append(head, "business_unit_utilisation_pct")
	unitPos := map[int64]int{}
	for i, u := range r.Labels.BusinessUnits {
		unitPos[u.ID] = i
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	units := map[int64]string{}
	for _, u := range r.Labels.BusinessUnits {
		units[u.ID] = u.Name
	}
	names := []string{"baseline"}
	for _, v := range r.Scenario.Variants {
		names = append(names, v.Name)
	}
	n := len(names)
	f := func(sum int64, reps int) string { return strconv.FormatFloat(float64(sum)/float64(reps), 'f', 3, 64) }
	for vi, name := range names {
		var rs []*Run
		for i := vi; i < len(r.Runs); i += n {
			rs = append(rs, r.Runs[i])
		}
		for di, day := range rs[0].Days {
			d, _ := hours.ParseDate(day.Date)
			for ji, jt := range r.Labels.JobTypes {
				var t Tally
				for _, run := range rs {
					t.add(run.Days[di].JobTypes[ji])
				}
				row := []string{csvText(name), day.Date, d.Weekday().String(), strconv.FormatInt(jt.BusinessUnitID, 10), csvText(units[jt.BusinessUnitID]),
					strconv.FormatInt(jt.ID, 10), csvText(jt.Name), strconv.Itoa(len(rs)), f(t.Calls, len(rs)), f(t.Booked, len(rs)), f(t.LostBy.Total(), len(rs))}
				for _, l := range t.LostBy {
					row = append(row, f(l, len(rs)))
				}
				// The unit's utilisation that date: its technicians' time
				// on site ÷ working time over every replication.
				util := ""
				if ui, ok := unitPos[jt.BusinessUnitID]; ok {
					var on, work int64
					for _, run := range rs {
						if us := run.Days[di].Units; len(us) == len(r.Labels.BusinessUnits) {
							on, work = on+us[ui].OnSiteSeconds, work+us[ui].WorkingSeconds
						}
					}
					if work > 0 {
						util = strconv.FormatFloat(100*float64(on)/float64(work), 'f', 3, 64)
					}
				}
				row = append(row, util)
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteUnitWindowsCSV writes the business unit × arrival window table for
// spreadsheets: one row per variant, business unit (in
// Labels.BusinessUnits order) and window with the means per replication
// over the measured days of the capacity minutes, booked minutes and
// booked jobs, and the fill (booked ÷ capacity minutes, %) with its 95%
// interval, empty for a window without capacity (see [UnitWindows]).
// pool lists, space-separated, the units whose technicians a row counts
// when the unit is in a business-unit group. Names a spreadsheet would
// read as a formula get a leading single quote (see csvText). A result
// without the figures (of an older version) writes the header only.
func WriteUnitWindowsCSV(w io.Writer, r *Result) error {
	if r.Summary == nil {
		return fmt.Errorf("sim: a partial result (shard %s) has no summary: merge the shards first", r.Shard)
	}
	cw := csv.NewWriter(w)
	head := []string{"variant", "business_unit_id", "business_unit", "pool", "window", "replications",
		"capacity_minutes", "booked_minutes", "booked_jobs", "fill_pct", "fill_pct_low", "fill_pct_high"}
	if err := cw.Write(head); err != nil {
		return err
	}
	reps := strconv.Itoa(len(r.Runs) / (len(r.Scenario.Variants) + 1))
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	for _, v := range r.Summary.Variants {
		for _, u := range v.UnitWindows {
			pool := idList(u.Pool, " ")
			for _, e := range u.Windows {
				fill := []string{"", "", ""}
				if e.CapacityMinutes.High > 0 {
					fill = []string{f(e.Fill.Mean), f(e.Fill.Low), f(e.Fill.High)}
				}
				row := append([]string{csvText(v.Name), strconv.FormatInt(u.ID, 10), csvText(u.Label), pool, e.Window, reps,
					f(e.CapacityMinutes.Mean), f(e.BookedMinutes.Mean), f(e.Booked.Mean)}, fill...)
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
