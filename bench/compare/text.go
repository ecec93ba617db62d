// The text format below is that of golang.org/x/perf/cmd/benchstat
// (internal/benchtab's Table.ToText and internal/texttab's layout),
// rewritten here so that the comparison is ours, tested and documented,
// and prints what benchstat prints. Those packages are
// Copyright 2020 The Go Authors, under a BSD-style licence:
// https://cs.opensource.google/go/x/perf/+/master:LICENSE

package compare

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"
)

// WriteText writes the comparison of the files in s to w as benchstat's
// text: each table is preceded by the configuration lines ("goos:
// linux") that changed since the table before, and separated from it by
// a blank line; a table has a header of file names over units, a row for
// each benchmark (median ± interval in each column, and after the
// baseline's each column's change and its p-value and counts), the geomean
// row if there is more than one benchmark, and the footnotes it refers to
// (¹ need >= 6 samples for confidence interval at level 0.95). It writes
// nothing if s is empty, and returns w's first error.
func (s *Set) WriteText(w io.Writer) error {
	tables := s.finish()
	if len(tables) == 0 {
		return nil
	}
	bw := bufio.NewWriter(w)
	fields := tables[0].key.Projection().FlattenedFields()
	var prev benchproc.Key
	for i, t := range tables {
		if i > 0 {
			bw.WriteString("\n")
		}
		for _, f := range fields {
			if f.Name == ".unit" {
				continue // the table shows it
			}
			if v := t.key.Get(f); prev.IsZero() || v != prev.Get(f) {
				fmt.Fprintf(bw, "%s: %s\n", f.Name, v)
			}
		}
		prev = t.key
		t.writeText(bw)
	}
	return bw.Flush()
}

// A table's layout columns: the row labels; then for each file three
// columns (center, "± range", footnotes), and for each file but the
// baseline three more (change, "(p=… n=…)", footnotes).
const (
	labelCols  = 1
	centerCols = 3
	deltaCols  = 3
)

// startCol is the first layout column of file i's columns.
func startCol(i int) int {
	if i == 0 {
		return labelCols
	}
	return labelCols + centerCols + (i-1)*(centerCols+deltaCols)
}

func (t *table) writeText(w io.Writer) {
	var g grid
	var notes []string
	noteIndex := map[string]int{}
	footnotes := func(lists ...[]error) {
		var marks []string
		for _, list := range lists {
			for _, err := range list {
				msg := err.Error()
				i, ok := noteIndex[msg]
				if !ok {
					i = len(notes)
					noteIndex[msg] = i
					notes = append(notes, msg)
				}
				marks = append(marks, superscript(i+1))
			}
		}
		g.cell(strings.Join(marks, " "))
	}

	// The header: the files' names, over their units and "vs base".
	rEdge := startCol(len(t.cols) + 1)
	nodes := benchproc.NewKeyHeader(t.cols).Top
	for len(nodes) > 0 {
		var next []*benchproc.KeyHeaderNode
		g.row()
		for _, n := range nodes {
			l, r := startCol(n.Start), startCol(n.Start+n.Len)
			g.col(l).span(r-l, n.Value, alignCenter, " │ ")
			next = append(next, n.Children...)
		}
		g.col(rEdge).cell("", alignLeft, " │")
		nodes = next
	}
	g.row()
	for i := range t.cols {
		l := startCol(i)
		g.col(l)
		g.span(centerCols, t.unit, alignCenter, " │ ")
		if i > 0 {
			g.span(deltaCols, "vs base", alignLeft, "  ")
		}
		// Only a file's first column stretches to fit a header.
		for j := l + 1; j < g.curCol; j++ {
			g.setShrink(j)
		}
	}
	g.col(rEdge).cell("", alignLeft, " │")

	// A row for each benchmark, its values scaled alike.
	class := benchunit.ClassOf(t.unit)
	for _, row := range t.rows {
		g.row()
		g.cell(row.StringValues())
		var centers []float64
		for _, col := range t.cols {
			if c, ok := t.cells[cellKey{row, col}]; ok {
				centers = append(centers, c.summary.Center)
			}
		}
		scaler := benchunit.CommonScale(centers, class)
		for i, col := range t.cols {
			c, ok := t.cells[cellKey{row, col}]
			if !ok {
				continue
			}
			g.col(startCol(i))
			g.cell(scaler.Format(c.summary.Center), alignRight)
			// "±" in the margin lines the ±s up and leaves the
			// geomean, which has none, in the value's column.
			g.cell(c.summary.PctRangeString(), alignRight, " ± ")
			footnotes(c.sample.Warnings, c.summary.Warnings)
			if i > 0 && c.base != nil {
				g.cell(c.comparison.FormatDelta(c.base.summary.Center, c.summary.Center), alignRight)
				g.cell("(" + c.comparison.String() + ")")
				footnotes(c.comparison.Warnings)
			}
		}
	}

	// The geomean row.
	if len(t.rows) > 1 {
		g.row()
		g.cell("geomean")
		for i := range t.cols {
			s := t.summary[i]
			if s.hasSummary {
				g.col(startCol(i))
				g.cell(benchunit.Scale(s.summary, class), alignRight)
			}
			if i > 0 {
				g.col(startCol(i) + centerCols)
				if s.hasRatio {
					g.cell(fmt.Sprintf("%+.2f%%", (s.ratio-1)*100), alignRight)
				} else {
					g.cell("?")
				}
			}
			g.col(startCol(i+1) - 1)
			footnotes(s.warnings)
		}
	}

	g.write(w)
	for i, msg := range notes {
		fmt.Fprintf(w, "%s %s\n", superscript(i+1), msg)
	}
}

// superscript is i in superscript digits (i ≥ 1).
func superscript(i int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	d := []rune(digits)
	var s []rune
	for ; i > 0; i /= 10 {
		s = append([]rune{d[i%10]}, s...)
	}
	return string(s)
}

type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// A gridCell is text in a row, from a column over span columns, printed
// after its left margin.
type gridCell struct {
	row, col, span int
	text           string
	margin         string
	align          align
}

// A grid lays text out in columns: cells may span columns, and a column
// is as wide as its widest cell (its widest margin included); a cell
// wider than the columns it spans widens the first of them not marked to
// shrink.
type grid struct {
	cells          []gridCell
	cols           int
	shrink         []bool
	curRow, curCol int
}

// row starts a new row.
func (g *grid) row() *grid {
	if len(g.cells) > 0 {
		g.curRow++
	}
	g.curCol = 0
	return g
}

// col moves to column c of the row (c ≥ the current column).
func (g *grid) col(c int) *grid {
	g.curCol = c
	return g
}

// cell adds a one-column cell: options are an alignment and a margin.
func (g *grid) cell(text string, opts ...any) *grid { return g.span(1, text, opts...) }

// span adds a cell over n columns. Its margin is one space unless it is
// in the first column or empty, or opts give one.
func (g *grid) span(n int, text string, opts ...any) *grid {
	c := gridCell{row: g.curRow, col: g.curCol, span: n, text: text}
	if g.curCol != 0 && text != "" {
		c.margin = " "
	}
	for _, o := range opts {
		switch o := o.(type) {
		case align:
			c.align = o
		case string:
			c.margin = o
		}
	}
	g.cells = append(g.cells, c)
	g.curCol += n
	g.cols = max(g.cols, g.curCol)
	return g
}

func (g *grid) setShrink(c int) {
	for len(g.shrink) <= c {
		g.shrink = append(g.shrink, false)
	}
	g.shrink[c] = true
}

func (g *grid) shrinks(c int) bool { return c < len(g.shrink) && g.shrink[c] }

func runes(s string) int { return utf8.RuneCountInString(s) }

// write lays the grid out and writes it, each row ending in "\n",
// without trailing blanks.
func (g *grid) write(w io.Writer) {
	margin := make([]int, g.cols) // each column's widest margin
	for _, c := range g.cells {
		margin[c.col] = max(margin[c.col], runes(c.margin))
	}
	// Widths, margins included: one-column cells first, then each
	// wider cell, narrowest first, widens what it spans if it must.
	width := make([]int, g.cols)
	sort.SliceStable(g.cells, func(i, j int) bool { return g.cells[i].span < g.cells[j].span })
	for _, c := range g.cells {
		need := runes(c.text) + margin[c.col]
		if c.span == 1 {
			width[c.col] = max(width[c.col], need)
			continue
		}
		// In a table's layout a spanning cell has one column that may
		// grow, the first of a file's columns (the others shrink): it
		// takes what the cell needs beyond the others.
		grow := -1
		for i := c.col; i < c.col+c.span; i++ {
			if g.shrinks(i) {
				need -= width[i]
			} else if grow < 0 {
				grow = i
			}
		}
		if grow >= 0 {
			width[grow] = max(width[grow], need)
		}
	}
	offset := make([]int, g.cols+1)
	for i, wd := range width {
		offset[i+1] = offset[i] + wd
	}

	sort.SliceStable(g.cells, func(i, j int) bool {
		if g.cells[i].row != g.cells[j].row {
			return g.cells[i].row < g.cells[j].row
		}
		return g.cells[i].col < g.cells[j].col
	})
	var b strings.Builder
	row, at := 0, 0
	for _, c := range g.cells {
		if c.text == "" && c.margin == "" {
			continue // nothing to see: no trailing blanks
		}
		for ; row < c.row; row++ {
			b.WriteString("\n")
			at = 0
		}
		fmt.Fprintf(&b, "%*s%*s", offset[c.col]-at, "", margin[c.col], c.margin)
		at = offset[c.col] + margin[c.col]
		inner := offset[c.col+c.span] - at
		var s string
		switch c.align {
		case alignCenter:
			s = fmt.Sprintf("%*s%s", (inner-runes(c.text))/2, "", c.text)
		case alignRight:
			s = fmt.Sprintf("%*s", inner, c.text)
		default:
			s = c.text
		}
		b.WriteString(s)
		at += runes(s)
	}
	if len(g.cells) > 0 {
		b.WriteString("\n")
	}
	io.WriteString(w, b.String())
}
