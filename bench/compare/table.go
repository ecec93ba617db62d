package compare

import (
	"errors"
	"math"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// The statistics of cmd/benchstat's defaults: -confidence 0.95 for the
// summaries' intervals, -alpha 0.05 for the U test.
const confidence = 0.95

var thresholds = benchmath.Thresholds{CompareAlpha: 0.05}

// The projections of cmd/benchstat's defaults: -table .config, -row
// .fullname, -col .file (its -filter '*' keeps everything).
const (
	tableProjection = ".config"
	rowProjection   = ".fullname"
	colProjection   = ".file"
)

// init parses the projections on first use. benchstat also warns of a
// cell whose results differ in keys no projection shows (its -ignore and
// the parser's residue), but together .config and .fullname show every
// key, so the residue is empty and there is nothing to warn of.
func (s *Set) init() {
	if s.tables != nil {
		return
	}
	var p benchproc.ProjectionParser
	var err error
	s.tableBy, s.unitField, err = p.ParseWithUnit(tableProjection, nil)
	if err == nil {
		s.rowBy, err = p.Parse(rowProjection, nil)
	}
	if err == nil {
		s.colBy, err = p.Parse(colProjection, nil)
	}
	if err != nil {
		panic(err) // constants: cannot fail
	}
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
	values []float64
}

// add puts each value of r in its table and cell.
func (s *Set) add(r *benchfmt.Result) {
	tableKeys := s.tableBy.ProjectValues(r)
	ck := cellKey{s.rowBy.Project(r), s.colBy.Project(r)}
	for i, tk := range tableKeys {
		t := s.tables[tk]
		if t == nil {
			t = &builderTable{map[benchproc.Key]bool{}, map[benchproc.Key]bool{}, map[cellKey]*builderCell{}}
			s.tables[tk] = t
		}
		c := t.cells[ck]
		if c == nil {
			c = &builderCell{}
			t.cells[ck] = c
			t.rows[ck.row] = true
			t.cols[ck.col] = true
		}
		c.values = append(c.values, r.Values[i].Value)
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
