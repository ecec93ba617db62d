package interval_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/bitmap"
	"github.com/opendispatch/dispatch/interval"
)

// Generated sets live in [0, universeEnd) so the bitmap reference stays small
// and collisions (touching, overlapping, identical spans) are frequent.
const universeEnd = 120

var universe = interval.Span{Start: 0, End: universeEnd}

func genSpan() gopter.Gen {
	return gopter.CombineGens(gen.Int64Range(-5, universeEnd+5), gen.Int64Range(-5, 40)).
		Map(func(v []any) interval.Span {
			s := v[0].(int64)
			return interval.Span{Start: s, End: s + v[1].(int64)}
		})
}

func genSpans() gopter.Gen { return gen.SliceOfN(12, genSpan()) }

// genSet clamps the spans to the universe itself rather than through
// Set.Clip: a generator built on an operation under test hides that
// operation's bugs (a Clip that returned the empty set made every generated
// set empty, and every property held; mutation testing found it).
func genSet() gopter.Gen {
	return genSpans().Map(func(sp []interval.Span) interval.Set {
		in := make([]interval.Span, len(sp))
		for i, s := range sp {
			in[i] = interval.Span{Start: max(s.Start, 0), End: min(s.End, universeEnd)}
		}
		return interval.New(in...)
	})
}

func ref(s interval.Set) bitmap.Bitmap { return bitmap.FromSet(s, 0, 1, universeEnd) }

func TestNormalization(t *testing.T) {
	tests := []struct {
		name string
		in   []interval.Span
		want []interval.Span
	}{
		{"empty input", nil, nil},
		{"empty spans dropped", []interval.Span{{5, 5}, {7, 3}}, nil},
		{"unsorted", []interval.Span{{20, 30}, {0, 10}}, []interval.Span{{0, 10}, {20, 30}}},
		{"touching merge", []interval.Span{{10, 20}, {0, 10}, {20, 25}}, []interval.Span{{0, 25}}},
		{"overlap merge", []interval.Span{{0, 15}, {10, 20}, {18, 19}}, []interval.Span{{0, 20}}},
		{"contained", []interval.Span{{0, 100}, {10, 20}}, []interval.Span{{0, 100}}},
		{"gap of one kept", []interval.Span{{0, 10}, {11, 20}}, []interval.Span{{0, 10}, {11, 20}}},
		{"negative", []interval.Span{{-10, -5}, {-5, 0}}, []interval.Span{{-10, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := interval.New(tt.in...)
			if diff := cmp.Diff(tt.want, got.Spans()); diff != "" {
				t.Errorf("New(%v) (-want +got):\n%s", tt.in, diff)
			}
			if !got.Valid() {
				t.Errorf("New(%v) = %v is not normalized", tt.in, got)
			}
		})
	}
}

func TestZeroValue(t *testing.T) {
	var s interval.Set
	if !s.IsEmpty() || s.Measure() != 0 || s.Contains(0) || s.Len() != 0 {
		t.Errorf("zero Set is not empty: %v", s)
	}
	if got := s.Union(interval.From(1, 2)); !got.Equal(interval.From(1, 2)) {
		t.Errorf("zero ∪ [1,2) = %v", got)
	}
	if _, ok := s.EarliestFit(0, 10, 0); ok {
		t.Error("EarliestFit on the empty set succeeded")
	}
	// The empty set as either operand (the generators seldom make one).
	a := interval.New(interval.Span{Start: 0, End: 10}, interval.Span{Start: 20, End: 30})
	for name, c := range map[string]struct{ got, want interval.Set }{
		"a − ∅":          {a.Difference(s), a},
		"∅ − a":          {s.Difference(a), s},
		"a ∩ ∅":          {a.Intersect(s), s},
		"∅ ∩ a":          {s.Intersect(a), s},
		"∅ ∪ ∅":          {s.Union(s), s},
		"complement(∅)":  {s.Complement(interval.Span{Start: 5, End: 25}), interval.From(5, 25)},
		"AppendDiff a−∅": {interval.AppendDifference(nil, a, s), a},
	} {
		if !c.got.Equal(c.want) || !c.got.Valid() {
			t.Errorf("%s = %v, want %v", name, c.got, c.want)
		}
	}
}

func TestFromNormalizedPanics(t *testing.T) {
	tests := []struct {
		name  string
		spans []interval.Span
		want  string
	}{
		{"touching", []interval.Span{{0, 10}, {10, 20}},
			"interval.FromNormalized: span 1 [10, 20) overlaps or touches span 0 [0, 10)"},
		{"overlapping", []interval.Span{{0, 5}, {10, 20}, {15, 30}},
			"interval.FromNormalized: span 2 [15, 30) overlaps or touches span 1 [10, 20)"},
		{"empty span", []interval.Span{{0, 5}, {7, 7}},
			"interval.FromNormalized: span 1 [7, 7) is empty"},
		{"reversed span", []interval.Span{{9, 3}},
			"interval.FromNormalized: span 0 [9, 3) is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if got := recover(); got != tt.want {
					t.Errorf("FromNormalized(%v) panicked with %v, want %q", tt.spans, got, tt.want)
				}
			}()
			interval.FromNormalized(tt.spans)
		})
	}
}

// TestFromEmpty checks that From and the zero-length cases of the span
// accessors treat start >= end as empty, never as a one-instant span.
func TestFromEmpty(t *testing.T) {
	for _, sp := range []interval.Span{{5, 5}, {5, 4}, {-1, -1}} {
		if s := interval.From(sp.Start, sp.End); !s.IsEmpty() || !s.Valid() {
			t.Errorf("From(%d, %d) = %v, want the empty set", sp.Start, sp.End, s)
		}
		if sp.Len() != 0 || !sp.Empty() || sp.Contains(sp.Start) {
			t.Errorf("%v: Len %d, Empty %v, Contains(%d) %v; want 0, true, false", sp, sp.Len(), sp.Empty(), sp.Start, sp.Contains(sp.Start))
		}
	}
	if s := interval.From(5, 6); s.Len() != 1 || s.Measure() != 1 {
		t.Errorf("From(5, 6) = %v, want one span of one instant", s)
	}
}

func TestEarliestFit(t *testing.T) {
	s := interval.New(interval.Span{Start: 0, End: 60}, interval.Span{Start: 120, End: 300})
	tests := []struct {
		start, end, d int64
		want          int64
		ok            bool
	}{
		{0, 60, 0, 0, true},
		{60, 120, 0, 0, false},     // the gap holds no instant
		{30, 60, 30, 30, true},     // exactly fills the rest of the first span
		{30, 60, 31, 0, false},     // one past
		{30, 130, 31, 120, true},   // arrival in the second span
		{100, 121, 180, 120, true}, // job runs past the window's end
		{100, 121, 181, 0, false},
		{250, 300, 50, 250, true},
		{250, 250, 0, 0, false}, // empty window
	}
	for _, tt := range tests {
		got, ok := s.EarliestFit(tt.start, tt.end, tt.d)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("%v.EarliestFit(%d, %d, %d) = %d, %v; want %d, %v", s, tt.start, tt.end, tt.d, got, ok, tt.want, tt.ok)
		}
	}
}

// TestProperties checks the algebraic laws on generated sets, with the
// normalization invariant after every operation.
func TestProperties(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 1000))
	ops := map[string]func(a, b interval.Set) interval.Set{
		"union":      interval.Set.Union,
		"intersect":  interval.Set.Intersect,
		"difference": interval.Set.Difference,
	}
	names := []string{"difference", "intersect", "union"}

	props.Property("normalized after every operation", prop.ForAll(func(a, b interval.Set) bool {
		for _, n := range names {
			if !ops[n](a, b).Valid() {
				return false
			}
		}
		return a.Complement(universe).Valid() && a.Clip(10, 70).Valid() && a.Valid()
	}, genSet(), genSet()))
	props.Property("builder normalizes any input", prop.ForAll(func(sp []interval.Span) bool {
		return interval.New(sp...).Valid()
	}, genSpans()))
	props.Property("builder is order independent", prop.ForAll(func(sp []interval.Span) bool {
		r := slices.Clone(sp)
		slices.Reverse(r)
		return interval.New(sp...).Equal(interval.New(r...))
	}, genSpans()))
	props.Property("commutativity", prop.ForAll(func(a, b interval.Set) bool {
		return a.Union(b).Equal(b.Union(a)) && a.Intersect(b).Equal(b.Intersect(a))
	}, genSet(), genSet()))
	props.Property("associativity", prop.ForAll(func(a, b, c interval.Set) bool {
		return a.Union(b).Union(c).Equal(a.Union(b.Union(c))) &&
			a.Intersect(b).Intersect(c).Equal(a.Intersect(b.Intersect(c)))
	}, genSet(), genSet(), genSet()))
	props.Property("idempotence", prop.ForAll(func(a interval.Set) bool {
		return a.Union(a).Equal(a) && a.Intersect(a).Equal(a) && a.Difference(a).IsEmpty()
	}, genSet()))
	props.Property("distributivity", prop.ForAll(func(a, b, c interval.Set) bool {
		return a.Intersect(b.Union(c)).Equal(a.Intersect(b).Union(a.Intersect(c))) &&
			a.Union(b.Intersect(c)).Equal(a.Union(b).Intersect(a.Union(c)))
	}, genSet(), genSet(), genSet()))
	props.Property("De Morgan inside a universe", prop.ForAll(func(a, b interval.Set) bool {
		return a.Union(b).Complement(universe).Equal(a.Complement(universe).Intersect(b.Complement(universe))) &&
			a.Intersect(b).Complement(universe).Equal(a.Complement(universe).Union(b.Complement(universe)))
	}, genSet(), genSet()))
	props.Property("A−B is disjoint from B", prop.ForAll(func(a, b interval.Set) bool {
		return a.Difference(b).Intersect(b).IsEmpty()
	}, genSet(), genSet()))
	props.Property("inclusion–exclusion of measures", prop.ForAll(func(a, b interval.Set) bool {
		return a.Union(b).Measure()+a.Intersect(b).Measure() == a.Measure()+b.Measure()
	}, genSet(), genSet()))
	props.Property("A−B = A ∩ complement(B)", prop.ForAll(func(a, b interval.Set) bool {
		return a.Difference(b).Equal(a.Intersect(b.Complement(universe)))
	}, genSet(), genSet()))
	props.Property("append variants equal the allocating ones", prop.ForAll(func(a, b interval.Set) bool {
		buf := make([]interval.Span, 3)
		return interval.AppendUnion(buf, a, b).Equal(a.Union(b)) &&
			interval.AppendIntersect(buf[:0:0], a, b).Equal(a.Intersect(b)) &&
			interval.AppendDifference(make([]interval.Span, 0, 40), a, b).Equal(a.Difference(b))
	}, genSet(), genSet()))
	proptest.Run(t, props)
}

// TestAgainstBitmap compares every operation with the tick-by-tick
// reference.
func TestAgainstBitmap(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 1000))
	or := func(x, y bool) bool { return x || y }
	and := func(x, y bool) bool { return x && y }
	andNot := func(x, y bool) bool { return x && !y }
	props.Property("operations agree with the bitmap", prop.ForAll(func(a, b interval.Set) string {
		ra, rb := ref(a), ref(b)
		checks := []struct {
			name string
			got  interval.Set
			want bitmap.Bitmap
		}{
			{"union", a.Union(b), ra.Combine(rb, or)},
			{"intersect", a.Intersect(b), ra.Combine(rb, and)},
			{"difference", a.Difference(b), ra.Combine(rb, andNot)},
			{"complement", a.Complement(universe), ra.Combine(ra, func(x, _ bool) bool { return !x })},
		}
		for _, c := range checks {
			if !c.got.Equal(c.want.Set()) {
				return c.name + ": got " + c.got.String() + ", want " + c.want.Set().String()
			}
		}
		return ""
	}, genSet(), genSet()))
	props.Property("queries agree with the bitmap", prop.ForAll(func(a interval.Set, x, y, d int64) string {
		ra := ref(a)
		lo, hi := min(x, y), max(x, y)
		if a.Contains(x) != ra.Has(x) {
			return "Contains"
		}
		if a.MeasureIn(lo, hi) != ra.Count(lo, hi) || a.Measure() != ra.Count(0, universeEnd) {
			return "MeasureIn"
		}
		if !a.Clip(lo, hi).Equal(ra.Combine(ref(interval.From(lo, hi)), and).Set()) {
			return "Clip"
		}
		got, ok := a.EarliestFit(lo, hi, d)
		want, wok := ra.EarliestFit(lo, hi, d)
		if ok != wok || got != want {
			return "EarliestFit"
		}
		if run := a.LongestRun(lo, hi); (run >= d && run > 0) != ok && d > 0 {
			return "LongestRun"
		}
		if a.ContainsSpan(interval.Span{Start: lo, End: hi}) != (ra.Count(lo, hi) == hi-lo) {
			return "ContainsSpan"
		}
		if a.Overlaps(interval.Span{Start: lo, End: hi}) != (ra.Count(lo, hi) > 0) {
			return "Overlaps"
		}
		if sp, ok := a.SpanAt(x); ok != ra.Has(x) ||
			ok && (!sp.Contains(x) || ra.Count(sp.Start, sp.End) != sp.Len() || ra.Has(sp.Start-1) || ra.Has(sp.End)) {
			return "SpanAt"
		}
		if b, ok := a.Bounds(); ok == a.IsEmpty() ||
			ok && (ra.Count(b.Start, b.End) != a.Measure() || !ra.Has(b.Start) || !ra.Has(b.End-1)) {
			return "Bounds"
		}
		if sp := (interval.Span{Start: lo, End: hi}); sp.Len() != hi-lo || sp.Contains(x) != (lo <= x && x < hi) {
			return "Span"
		}
		return ""
	}, genSet(), gen.Int64Range(0, universeEnd-1), gen.Int64Range(0, universeEnd-1), gen.Int64Range(0, 50)))
	proptest.Run(t, props)
}

func TestAllocs(t *testing.T) {
	a := interval.New(interval.Span{Start: 0, End: 10}, interval.Span{Start: 20, End: 30})
	b := interval.New(interval.Span{Start: 5, End: 25})
	buf := make([]interval.Span, 0, 8)
	for name, f := range map[string]func(){
		"AppendUnion":      func() { interval.AppendUnion(buf, a, b) },
		"AppendIntersect":  func() { interval.AppendIntersect(buf, a, b) },
		"AppendDifference": func() { interval.AppendDifference(buf, a, b) },
		"EarliestFit":      func() { a.EarliestFit(0, 30, 5) },
		"MeasureIn":        func() { a.MeasureIn(0, 30) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per run, want 0", name, n)
		}
	}
}

func FuzzBuilder(f *testing.F) {
	f.Add([]byte{0, 10, 10, 20, 30, 25})
	f.Add([]byte{})
	f.Add([]byte{5, 5, 255, 0, 1, 2, 2, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		var spans []interval.Span
		for i := 0; i+1 < len(data); i += 2 {
			spans = append(spans, interval.Span{Start: int64(data[i]), End: int64(data[i+1])})
		}
		s := interval.New(spans...)
		if !s.Valid() {
			t.Fatalf("New(%v) = %v is not normalized", spans, s)
		}
		m := bitmap.New(0, 1, 256)
		for _, sp := range spans {
			m.SetSpan(sp.Start, sp.End, true)
		}
		if !s.Equal(m.Set()) {
			t.Fatalf("New(%v) = %v, bitmap says %v", spans, s, m.Set())
		}
	})
}

func TestCompact(t *testing.T) {
	a := interval.New(interval.Span{Start: 0, End: 10}, interval.Span{Start: 20, End: 30})
	b := interval.From(5, 25)
	d := a.Difference(b) // sized for the worst case
	c := d.Compact()
	if !c.Equal(d) || !c.Valid() {
		t.Fatalf("Compact changed the set: %v → %v", d, c)
	}
	if d.Bytes() <= c.Bytes() || c.Bytes() != int64(c.Len())*16 {
		t.Errorf("Compact: %d bytes for %d spans (from %d), want %d", c.Bytes(), c.Len(), d.Bytes(), c.Len()*16)
	}
	if n := testing.AllocsPerRun(10, func() { _ = c.Compact() }); n != 0 {
		t.Errorf("compacting a compact set allocates %v times", n)
	}
}
