package compare

import (
	"errors"
	"math"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// The statistics of cmd/benchstat's defaults: -confidence 0.95 for the
// summaries' intervals, -alpha 0.05 for the U test.
const confidence = 0.95

var thresholds = benchmath.Thresholds{CompareAlpha: 0.05}

// The projections of cmd/benchstat's defaults: -table .config, -row
// .fullname, -col .file, -filter '*'.
const (
	tableProjection = ".config"
	rowProjection   = ".fullname"
	colProjection   = ".file"
)

// init parses the projections on first use.
func (s *Set) init() {
	if s.tables != nil {
		return
	}
	var err error
	if s.filter, err = benchproc.NewFilter("*"); err != nil {
		panic(err) // a constant: cannot fail
	}
	var p benchproc.ProjectionParser
	must := func(proj *benchproc.Projection, err error) *benchproc.Projection {
		if err != nil {
			panic(err) // constants: cannot fail
		}
		return proj
	}
	s.tableBy, s.unitField, err = p.ParseWithUnit(tableProjection, s.filter)
	must(s.tableBy, err)
	s.rowBy = must(p.Parse(rowProjection, s.filter))
	s.colBy = must(p.Parse(colProjection, s.filter))
	must(p.Parse("", s.filter)) // -ignore
	s.residue = p.Residue()
	s.tables = map[benchproc.Key]*builderTable{}
}

// A builderTable collects one table's cells: one configuration and unit.
type builderTable struct {
	rows, cols map[benchproc.Key]bool
	cells      map[cellKey]*builderCell
}

type cellKey struct{ row, col benchproc.Key }

// A builderCell is the values of one benchmark, unit and file.
type builderCell struct {
	values  []float64
	residue map[benchproc.Key]bool // keys that vary within the cell unseen
}

// add puts each value of r in its table and cell.
func (s *Set) add(r *benchfmt.Result) {
	tableKeys := s.tableBy.ProjectValues(r)
	ck := cellKey{s.rowBy.Project(r), s.colBy.Project(r)}
	residue := s.residue.Project(r)
	for i, tk := range tableKeys {
		t := s.tables[tk]
		if t == nil {
			t = &builderTable{map[benchproc.Key]bool{}, map[benchproc.Key]bool{}, map[cellKey]*builderCell{}}
			s.tables[tk] = t
		}
		c := t.cells[ck]
		if c == nil {
			c = &builderCell{residue: map[benchproc.Key]bool{}}
			t.cells[ck] = c
			t.rows[ck.row] = true
			t.cols[ck.col] = true
		}
		c.values = append(c.values, r.Values[i].Value)
		c.residue[residue] = true
	}
}

// A table is one finished table: a configuration and unit, a row per
// benchmark, a column per file, the first the baseline.
type table struct {
	key        benchproc.Key
	unit       string
	rows, cols []benchproc.Key
	cells      map[cellKey]*cell
	summary    []colSummary // by column
}

// A cell summarizes one benchmark's values in one file and unit.
type cell struct {
	sample     *benchmath.Sample
	summary    benchmath.Summary
	base       *cell // the baseline's cell of the row, if this is not it
	comparison benchmath.Comparison
}

// A colSummary is a column's geometric means: of its cells' summaries
// and of their ratios to the baseline's.
type colSummary struct {
	hasSummary, hasRatio bool
	summary, ratio       float64
	warnings             []error
}

// finish computes the tables, in benchstat's order: tables, rows and
// columns each in the order their keys were first seen.
func (s *Set) finish() []*table {
	if len(s.tables) == 0 {
		return nil
	}
	units := s.reader.Units()
	keys := sortedKeys(s.tables)
	tables := make([]*table, 0, len(keys))
	for _, k := range keys {
		bt := s.tables[k]
		unit := k.Get(s.unitField)
		assumption := units.GetAssumption(unit)
		t := &table{key: k, unit: unit, rows: sortedKeys(bt.rows), cols: sortedKeys(bt.cols), cells: map[cellKey]*cell{}}
		for ck, bc := range bt.cells {
			values := append([]float64(nil), bc.values...)
			t.cells[ck] = &cell{sample: benchmath.NewSample(values, &thresholds)}
		}
		base := t.cols[0]
		for _, row := range t.rows {
			for _, col := range t.cols {
				ck := cellKey{row, col}
				c, ok := t.cells[ck]
				if !ok {
					continue
				}
				if col != base {
					c.base = t.cells[cellKey{row, base}]
				}
				c.summary = assumption.Summary(c.sample, confidence)
				if c.base != nil {
					c.comparison = assumption.Compare(c.base.sample, c.sample)
				}
				if nsk := benchproc.NonSingularFields(sortedKeys(bt.cells[ck].residue)); len(nsk) > 0 {
					names := make([]string, len(nsk))
					for i, f := range nsk {
						names[i] = f.Name
					}
					c.sample.Warnings = append(c.sample.Warnings, errors.New("benchmarks vary in "+strings.Join(names, ", ")))
				}
			}
		}
		t.summarize()
		tables = append(tables, t)
	}
	return tables
}

// summarize computes the geomean row. As in benchstat, a column's ratio
// is the geometric mean of its cells' ratios to the baseline's (0/0
// counting as 1), not the ratio of the columns' geometric means, so that
// it still means something where the columns' benchmarks differ.
func (t *table) summarize() {
	nBase := 0
	for _, row := range t.rows {
		if _, ok := t.cells[cellKey{row, t.cols[0]}]; ok {
			nBase++
		}
	}
	t.summary = make([]colSummary, len(t.cols))
	for i, col := range t.cols {
		s := &t.summary[i]
		var summaries, ratios []float64
		badRatio := false
		for _, row := range t.rows {
			c, ok := t.cells[cellKey{row, col}]
			if !ok {
				continue
			}
			summaries = append(summaries, c.summary.Center)
			if c.base == nil {
				continue
			}
			a, b := c.summary.Center, c.base.summary.Center
			switch {
			case a == b:
				ratios = append(ratios, 1)
			case b == 0:
				badRatio = true
				ratios = append(ratios, 0) // counted for the check below
			default:
				ratios = append(ratios, a/b)
			}
		}
		if i > 0 && nBase != len(ratios) {
			s.warnings = append(s.warnings, errors.New("benchmark set differs from baseline; geomeans may not be comparable"))
		}
		if gm := geoMean(summaries); math.IsNaN(gm) {
			s.warnings = append(s.warnings, errors.New("summaries must be >0 to compute geomean"))
		} else {
			s.hasSummary, s.summary = true, gm
		}
		if i > 0 && !badRatio {
			if gm := geoMean(ratios); math.IsNaN(gm) {
				s.warnings = append(s.warnings, errors.New("ratios must be >0 to compute geomean"))
			} else {
				s.hasRatio, s.ratio = true, gm
			}
		}
	}
}

// geoMean is the geometric mean of xs, NaN if xs is empty or holds a
// value that is not positive. It is go-moremath's stats.GeoMean (which
// benchstat uses), the running mean of the logarithms, so that its last
// digits are the same.
func geoMean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	m := 0.0
	for i, x := range xs {
		if x <= 0 {
			return math.NaN()
		}
		m += (math.Log(x) - m) / float64(i+1)
	}
	return math.Exp(m)
}

// sortedKeys is m's keys in benchproc's order (first seen first, unless
// the projection says otherwise).
func sortedKeys[V any](m map[benchproc.Key]V) []benchproc.Key {
	keys := make([]benchproc.Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	benchproc.SortKeys(keys)
	return keys
}
