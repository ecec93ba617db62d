package validate_test

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"

	"github.com/opendispatch/dispatch/validate"
)

// The tests of this file pin what a mutation test of the package found
// no test deciding (docs/testing.md, "Mutation testing", second round).

// TestSyntaxMessages: each syntax error at the end of the text or inside
// an escape is reported with its position and what is wrong, quoting the
// bad escape as written unless it ends in a byte that needs quoting.
func TestSyntaxMessages(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`"ab\`, `malformed JSON at line 1, column 5: unexpected end of input`},
		{`"\u12`, `malformed JSON at line 1, column 6: unexpected end of input`},
		{`"\ud83d\`, `malformed JSON at line 1, column 2: invalid escape \ud83d in string: UTF-16 surrogates must come in pairs, high then low`},
		{`"\ud83dx"`, `malformed JSON at line 1, column 2: invalid escape \ud83d in string: UTF-16 surrogates must come in pairs, high then low`},
		{`"\ud83d\u0000"`, `malformed JSON at line 1, column 2: invalid escape \ud83d\u0000 in string: UTF-16 surrogates must come in pairs, high then low`},
		{`"\udc00\udc00"`, `malformed JSON at line 1, column 2: invalid escape \udc00 in string: UTF-16 surrogates must come in pairs, high then low`},
		{`"\ud83d\ud83d"`, `malformed JSON at line 1, column 2: invalid escape \ud83d\ud83d in string: UTF-16 surrogates must come in pairs, high then low`},
		{`"\x"`, `malformed JSON at line 1, column 2: invalid escape \x in string`},
		{`"\ "`, `malformed JSON at line 1, column 2: invalid escape \  in string`},
		{"\"\\\x01\"", `malformed JSON at line 1, column 2: invalid escape "\\\x01" in string`},
		{"\"\\\x7f\"", `malformed JSON at line 1, column 2: invalid escape "\\\x7f" in string`},
		{"\"\\\xff\"", `malformed JSON at line 1, column 2: invalid escape "\\\xff" in string`},
		{"\"\\é\"", `malformed JSON at line 1, column 2: invalid escape \é in string`}, // the whole character, not its first byte
		{"\"\\u12é4\"", `malformed JSON at line 1, column 2: invalid escape \u12é in string`},
		{"\"\\\xc3\"", `malformed JSON at line 1, column 2: invalid escape "\\\xc3" in string`}, // a first byte alone
		{`"\u00g0"`, `malformed JSON at line 1, column 2: invalid escape \u00g in string`},
		{"\"a\x80\"", `malformed JSON at line 1, column 3: invalid UTF-8 in string`},
		{"\"abcdefgh\x80\"", `malformed JSON at line 1, column 10: invalid UTF-8 in string`},
		{`tru`, `malformed JSON at line 1, column 4: unexpected end of input`},
		{`1e`, `malformed JSON at line 1, column 3: unexpected end of input`},
		{`1e+`, `malformed JSON at line 1, column 4: unexpected end of input`},
		{`"x"` + "\xff", `malformed JSON at line 1, column 4: invalid character byte 0xff after top-level value`},
		{`"x"` + "é", `malformed JSON at line 1, column 4: invalid character 'é' after top-level value`},
		{`"x" "`, `malformed JSON at line 1, column 5: invalid character '"' after top-level value`},
	} {
		var v any
		err := validate.Unmarshal([]byte(c.in), &v)
		if fmt.Sprint(err) != c.want || !errors.Is(err, validate.ErrSyntax) {
			t.Errorf("Unmarshal(%q):\n got %v\nwant %s", c.in, err, c.want)
		}
		var s string
		if err := validate.Unmarshal([]byte(c.in), &s); fmt.Sprint(err) != c.want {
			t.Errorf("Unmarshal(%q) into a string:\n got %v\nwant %s", c.in, err, c.want)
		}
		for window := 1; window <= 16; window++ {
			restore := validate.SetWindowSize(window)
			err := validate.UnmarshalRead(iotest.OneByteReader(strings.NewReader(c.in)), &s)
			restore()
			if fmt.Sprint(err) != c.want {
				t.Errorf("UnmarshalRead(%q), window %d:\n got %v\nwant %s", c.in, window, err, c.want)
			}
		}
	}
}

// TestEscapesAtEveryOffset: a string of escapes and multi-byte characters
// decodes the same at every offset of the text, read whole or through
// windows of every small size, so that each escape and character falls
// across the window's edge at every place.
func TestEscapesAtEveryOffset(t *testing.T) {
	// The first eight bytes, "a4Xo K\n" with its escape, are a chunk a
	// wrong constant in the eight-at-a-time scan read as plain.
	const body = `a4Xo K\na\u00e9\ud83d\ude00é∑\n\"\\\/\u0041😀z`
	want := "a4Xo K\naé😀é∑\n\"\\/A😀z"
	for pad := range 14 {
		text := strings.Repeat(" ", pad) + `{"s": "` + strings.Repeat("x", pad) + body + `"}`
		for window := 0; window <= 16; window++ {
			var got struct {
				S string `json:"s"`
			}
			var err error
			if window == 0 {
				err = validate.Unmarshal([]byte(text), &got)
			} else {
				restore := validate.SetWindowSize(window)
				err = validate.UnmarshalRead(iotest.HalfReader(strings.NewReader(text)), &got)
				restore()
			}
			if err != nil || got.S != strings.Repeat("x", pad)+want {
				t.Fatalf("pad %d, window %d: %q, %v", pad, window, got.S, err)
			}
		}
	}
}

// TestPositionAcrossWindows: line and column of a syntax error are the
// same read whole and through windows of every small size, with the
// lines before it dropped from the window, a newline first in a dropped
// part among them.
func TestPositionAcrossWindows(t *testing.T) {
	for _, text := range []string{
		"\n\n{\"a\":\n  [1,\n   2,]}",
		"{\"a\": \"é∑\",\n\"b\":\n\n    tru }",
		"\n{\"a\":1}\n\n x",
		"[\n1\n,\n2\n,\n\"é\nx\"]",
	} {
		var want any
		wantErr := validate.Unmarshal([]byte(text), &want)
		if !errors.Is(wantErr, validate.ErrSyntax) {
			t.Fatalf("%q: %v, want a syntax error", text, wantErr)
		}
		for window := 1; window <= 16; window++ {
			for _, r := range []io.Reader{iotest.OneByteReader(strings.NewReader(text)), iotest.HalfReader(strings.NewReader(text)), strings.NewReader(text)} {
				restore := validate.SetWindowSize(window)
				var got any
				err := validate.UnmarshalRead(r, &got)
				restore()
				if fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Fatalf("%q, window %d:\n got %v\nwant %v", text, window, err, wantErr)
				}
			}
		}
	}
	if line, col := validate.Position([]byte("\nab"), 2); line != 2 || col != 2 {
		t.Errorf("Position after a leading newline = %d:%d, want 2:2", line, col)
	}
}

// TestUnmarshalReadTopLevel: a value handed whole to go-json-experiment
// at the very start of the text (the mark at offset 0) is kept in the
// window until it is read, at every window size.
func TestUnmarshalReadTopLevel(t *testing.T) {
	for _, text := range []string{`{"k": [1, "two", {"x": null}], "é": "∑"}`, `"2026-03-09T10:00:00.5Z"`, `"2026-03-09T10:00:00+00:00"`} {
		var want any
		var wantTime time.Time
		wantErr := validate.Unmarshal([]byte(text), &want)
		wantTimeErr := validate.Unmarshal([]byte(text), &wantTime)
		for window := 1; window <= 16; window++ {
			restore := validate.SetWindowSize(window)
			var got any
			var gotTime time.Time
			err := validate.UnmarshalRead(iotest.OneByteReader(strings.NewReader(text)), &got)
			errTime := validate.UnmarshalRead(iotest.OneByteReader(strings.NewReader(text)), &gotTime)
			restore()
			if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("%s, window %d: %v, %v; Unmarshal %v, %v", text, window, got, err, want, wantErr)
			}
			if fmt.Sprint(errTime) != fmt.Sprint(wantTimeErr) || !gotTime.Equal(wantTime) {
				t.Errorf("%s into a time, window %d: %v, %v; Unmarshal %v, %v", text, window, gotTime, errTime, wantTime, wantTimeErr)
			}
		}
	}
	// Short date-times that are not one, at the very end of the text.
	for _, text := range []string{`"x"`, `"yesterday"`, `"2026-03-09T10:00Z"`} {
		var at time.Time
		err := validate.Unmarshal([]byte(text), &at)
		if want := text + " is not an RFC 3339 date-time"; fmt.Sprint(err) != want || !errors.Is(err, validate.ErrValue) {
			t.Errorf("Unmarshal(%s) into a time: %v, want %s wrapping ErrValue", text, err, want)
		}
	}
}

// emptyReader returns (0, nil) for ever.
type emptyReader struct{ n int }

func (r *emptyReader) Read([]byte) (int, error) { r.n++; return 0, nil }

// TestUnmarshalReadNoProgress: a reader that returns nothing and no error
// for ever ends the decoding with io.ErrNoProgress after 100 reads.
func TestUnmarshalReadNoProgress(t *testing.T) {
	var v any
	r := &emptyReader{}
	err := validate.UnmarshalRead(r, &v)
	if !errors.Is(err, io.ErrNoProgress) || errors.Is(err, validate.ErrJSON) || r.n != 101 {
		t.Errorf("UnmarshalRead of a reader of empty reads: %v after %d reads, want io.ErrNoProgress after 101", err, r.n)
	}
}

// TestUnmarshalReadWindowBounded: UnmarshalRead of a 10 MB text whose
// values take no memory allocates about its window, not the text.
func TestUnmarshalReadWindowBounded(t *testing.T) {
	const n = 3 << 20
	text := `{"v": [` + strings.Repeat("{},", n) + `{}]}`
	var v struct {
		V []struct{} `json:"v"`
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := validate.UnmarshalRead(strings.NewReader(text), &v)
	runtime.ReadMemStats(&after)
	if err != nil || len(v.V) != n+1 {
		t.Fatalf("%d elements, %v", len(v.V), err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Errorf("UnmarshalRead of %d MB allocated %d MB, want at most 4 MB", len(text)>>20, got>>20)
	}
}

// TestLargeStructs: members of structs with more fields than are looked
// up one by one (12), and more than a 64-bit set of seen fields holds,
// are found, and unknown and duplicate ones reported.
func TestLargeStructs(t *testing.T) {
	for _, n := range []int{14, 70} {
		fields := make([]reflect.StructField, n)
		for i := range fields {
			fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: reflect.TypeFor[int](), Tag: reflect.StructTag(fmt.Sprintf(`json:"f%d"`, i))}
		}
		typ := reflect.StructOf(fields)
		last := n - 1
		text := fmt.Sprintf(`{"f0": 1, "f%d": 2, "zz": 3, "f%d": 4, "f0": 5, "f1": 6, "F1": 7}`, last, last)
		v := reflect.New(typ)
		err := validate.Unmarshal([]byte(text), v.Interface())
		want := fmt.Sprintf("zz: unknown field \"zz\"\nf%d: duplicate key \"f%d\"\nf0: duplicate key \"f0\"\nF1: unknown field \"F1\"", last, last)
		if fmt.Sprint(err) != want {
			t.Errorf("%d fields:\n got %v\nwant %s", n, err, want)
		}
		got := []int64{v.Elem().Field(0).Int(), v.Elem().Field(1).Int(), v.Elem().Field(last).Int()}
		if diff := cmp.Diff([]int64{5, 6, 4}, got); diff != "" {
			t.Errorf("%d fields: f0, f1, f%d (-want +got):\n%s", n, last, diff)
		}
	}
}

// TestReusedElements: decoding into a slice whose array holds earlier
// values zeroes each element before filling it, so a member absent from
// the text leaves the zero value, not the old one.
func TestReusedElements(t *testing.T) {
	type rec struct {
		N int    `json:"n"`
		S string `json:"s"`
	}
	for _, n := range []int{3, 1500} {
		start := make([]rec, 1, 2000)
		for i := range start[:cap(start)] {
			start[:cap(start)][i] = rec{-1, "old"}
		}
		text := "[" + strings.Repeat(`{"n": 1},`, n-1) + `{"s": "x"}]`
		got := start
		if err := validate.Unmarshal([]byte(text), &got); err != nil {
			t.Fatal(err)
		}
		for i, r := range got {
			want := rec{N: 1}
			if i == n-1 {
				want = rec{S: "x"}
			}
			if r != want {
				t.Fatalf("%d elements: [%d] = %+v, want %+v", n, i, r, want)
			}
		}
	}
}

// TestSyntaxErrorInLongArray: on a syntax error inside an element, the
// slice holds the elements before it and the one cut, short array or
// long (read in chunks).
func TestSyntaxErrorInLongArray(t *testing.T) {
	for _, n := range []int{5, 3000} {
		text := "[" + strings.Repeat("7,", n-1) + "tru]"
		var got []int
		err := validate.Unmarshal([]byte(text), &got)
		if !errors.Is(err, validate.ErrSyntax) || len(got) != n || got[n-2] != 7 || got[n-1] != 0 {
			t.Errorf("%d elements, the last cut: len %d, %v", n, len(got), err)
		}
	}
}

// TestEmptyContainersDepth: empty arrays and objects close the nesting
// they open, in values decoded and in values skipped, so that many of
// them side by side are not nested deeper than 10,000; 10,000 levels are
// accepted, 10,001 are not.
func TestEmptyContainersDepth(t *testing.T) {
	many := func(s string) string { return strings.TrimSuffix(strings.Repeat(s+",", 10001), ",") }
	text := `{"l": [` + many("[]") + `], "o": [` + many("{}") + `], "m": [` + many("{}") + `], "x": [` + many("[]") + `], "y": [` + many("{}") + `]}`
	var v struct {
		L [][]int          `json:"l"`
		O []struct{}       `json:"o"`
		M []map[string]int `json:"m"`
	}
	err := validate.Unmarshal([]byte(text), &v)
	if want := "x: unknown field \"x\"\ny: unknown field \"y\""; fmt.Sprint(err) != want || len(v.L) != 10001 || len(v.M) != 10001 {
		t.Errorf("got %v, want %s", err, want)
	}
	var deep any
	if err := validate.Unmarshal([]byte(strings.Repeat("[", 10000)+strings.Repeat("]", 10000)), &deep); err != nil {
		t.Errorf("10,000 levels: %v", err)
	}
	if err := validate.Unmarshal([]byte("{\"a\":"+strings.Repeat("[", 9999)+strings.Repeat("]", 9999)+"}"), &struct {
		A any `json:"a"`
	}{}); err != nil {
		t.Errorf("10,000 levels in an object: %v", err)
	}
}

// TestValueProblems: a text its type's UnmarshalText refuses, and a
// date-time that is not one, are problems wrapping ErrValue (and
// ErrJSON); the values go-json-experiment reads whole are described as
// the others are: a string of more than 40 characters shortened to 40
// and an ellipsis, by characters (it was cut at 41 bytes, in the middle
// of a character, which no message may hold).
func TestValueProblems(t *testing.T) {
	var v special
	err := validate.Unmarshal([]byte(`{"level": "mid"}`), &v)
	if !errors.Is(err, validate.ErrValue) || fmt.Sprint(err) != `level: level "mid" is neither low nor high` {
		t.Errorf("level: %v, want a problem wrapping ErrValue", err)
	}
	err = validate.Unmarshal([]byte(`{"when": "noon"}`), &v)
	if !errors.Is(err, validate.ErrValue) {
		t.Errorf("when: %v, want a problem wrapping ErrValue", err)
	}
	s40 := strings.Repeat("é", 40)
	s41 := strings.Repeat("é", 41)
	for _, c := range []struct{ in, want string }{
		{`{"Plain": "` + s40 + `"}`, ""},
		{`{"Plain": 5}`, `Plain: want a string, got the number 5`},
		{`{"tags": ["` + s40 + `"]}`, `tags[0]: level "` + s40 + `" is neither low nor high`},
		{`{"pair": ["` + s40 + `", 1]}`, `pair[0]: want an integer, got the string "` + s40 + `"`},
		{`{"pair": ["` + s41 + `", 1]}`, `pair[0]: want an integer, got the string "` + s40 + `…"`},
		{`{"pair": ["` + strings.Repeat("∑", 41) + `", 1]}`, `pair[0]: want an integer, got the string "` + strings.Repeat("∑", 40) + `…"`},
		{`{"emb": {"name": 5}}`, `emb.name: want a string, got the number 5`},
		{`{"emb": {"id": "` + strings.Repeat("x", 40) + `"}}`, `emb.id: want an integer, got the string "` + strings.Repeat("x", 40) + `"`},
		{`{"emb": {"id": "` + strings.Repeat("x", 41) + `"}}`, `emb.id: want an integer, got the string "` + strings.Repeat("x", 40) + `…"`},
	} {
		var v special
		err := validate.Unmarshal([]byte(c.in), &v)
		if fmt.Sprint(err) != c.want && !(c.want == "" && err == nil) || !utf8.ValidString(fmt.Sprint(err)) {
			t.Errorf("Unmarshal(%s):\n got %v\nwant %s", c.in, err, c.want)
		}
	}
	// Values go-json-experiment reads whole, wrong at their top (at
	// offset 0 of their text) or through pointers.
	for _, c := range []struct{ in, want string }{
		{`{"emb": 5}`, `emb: want an object, got the number 5`},
		{`{"emb": "x"}`, `emb: want an object, got the string "x"`},
		{`{"emb": [1]}`, `emb: want an object, got an array`},
	} {
		var v special
		if err := validate.Unmarshal([]byte(c.in), &v); fmt.Sprint(err) != c.want {
			t.Errorf("Unmarshal(%s):\n got %v\nwant %s", c.in, err, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{`{"p": "x"}`, `p: want an integer, got the string "x"`},
		{`{"q": "x"}`, `q: want an array, got the string "x"`},
		{`{"q": ["x"]}`, `q[0]: want an integer, got the string "x"`},
		{`5`, `want an object, got the number 5`},
	} {
		var v withPointers
		if err := validate.Unmarshal([]byte(c.in), &v); fmt.Sprint(err) != c.want {
			t.Errorf("Unmarshal(%s) into a struct with pointers:\n got %v\nwant %s", c.in, err, c.want)
		}
	}
	type wide struct {
		ID int `json:"id"`
	}
	for _, c := range []struct{ in, want string }{
		{`{"id": "` + strings.Repeat("x", 40) + `"}`, `id: want an integer, got the string "` + strings.Repeat("x", 40) + `"`},
		{`{"id": "` + strings.Repeat("x", 41) + `"}`, `id: want an integer, got the string "` + strings.Repeat("x", 40) + `…"`},
		{`{"id": "` + s40 + `"}`, `id: want an integer, got the string "` + s40 + `"`},
		{`{"id": "` + s41 + `"}`, `id: want an integer, got the string "` + s40 + `…"`},
	} {
		var v wide
		if err := validate.Unmarshal([]byte(c.in), &v); fmt.Sprint(err) != c.want {
			t.Errorf("Unmarshal(%s):\n got %v\nwant %s", c.in, err, c.want)
		}
	}
}

// withPointers embeds a struct, so that go-json-experiment reads it
// whole, and has fields behind pointers.
type withPointers struct {
	Base
	P *int    `json:"p"`
	Q **[]int `json:"q"`
}

// TestTimeAtTheEnd: a canonical date-time that is the whole text, in a
// slice with no capacity past it, is read without looking past its end.
func TestTimeAtTheEnd(t *testing.T) {
	for _, s := range []string{`"2026-03-09T10:00:00Z"`, `"2026-03-09T10:00:00-06:00"`} {
		b := []byte(s)
		var at time.Time
		err := validate.Unmarshal(b[:len(b):len(b)], &at)
		want, _ := time.Parse(time.RFC3339, s[1:len(s)-1])
		if err != nil || !at.Equal(want) {
			t.Errorf("Unmarshal(%s) = %v, %v", s, at, err)
		}
	}
}

// TestPointerPath: a JSON pointer reads as a path, through pointers,
// slices, arrays, maps and struct fields named by tag (with options) or
// by their Go name.
func TestPointerPath(t *testing.T) {
	type leaf struct {
		B []int `json:"b,omitempty"`
		C *[2]int
		D map[string][]int `json:"d"`
	}
	type root struct {
		A  []*leaf           `json:"a"`
		M  map[string]*leaf  `json:"m"`
		P  **[]leaf          `json:"p"`
		Ig int               `json:"-"`
		N  map[int64][]int64 `json:"n"`
	}
	for _, c := range []struct{ ptr, want string }{
		{"/a/3/b/1", "a[3].b[1]"},
		{"/a/0/C/1", "a[0].C[1]"},
		{"/a/0/d/k/2", "a[0].d.k[2]"},
		{"/a/0/d/7/2", "a[0].d.7[2]"},
		{"/m/7/b/0", "m.7.b[0]"},
		{"/p/2/b/4", "p[2].b[4]"},
		{"/n/-3/1", "n.-3[1]"},
		{"/x/1/2", "x.1.2"},
		{"/a/x", "a.x"},
		{"/a/1/zz/3", "a[1].zz.3"},
	} {
		if got := validate.PointerPath(reflect.TypeFor[*root](), jsontext.Pointer(c.ptr)); got != c.want {
			t.Errorf("PointerPath(%s) = %q, want %q", c.ptr, got, c.want)
		}
	}
}

// TestStrcacheCollisions: a string cache whose entries collide (here a
// single entry) returns each string's own text, not an entry holding a
// prefix of it with leftover bytes of a longer one.
func TestStrcacheCollisions(t *testing.T) {
	get := validate.NewStrcache(1)
	for _, s := range []string{"abc", "ab", "abc", "abd", "ab", "", "a", "abc", "abc"} {
		if got := get([]byte(s)); got != s {
			t.Errorf("get(%q) = %q", s, got)
		}
	}
}

// TestUnlistedAtTheCap: a list of exactly MaxProblems problems lists them
// all.
func TestUnlistedAtTheCap(t *testing.T) {
	var es validate.Errors
	for i := range validate.MaxProblems {
		es.Add(validate.Index("x", i), "bad")
	}
	if len(es) != validate.MaxProblems || es.Unlisted() != 0 {
		t.Errorf("%d problems, %d unlisted; want %d, 0", len(es), es.Unlisted(), validate.MaxProblems)
	}
}

// TestMemberNamePaths: a map key that would not read back as one step of
// a path (empty, or with a dot, bracket, quote, backslash, space or
// control character) is quoted in brackets; others follow a dot. The
// scanner's paths and PointerPath's (go-json-experiment's pointers)
// agree.
func TestMemberNamePaths(t *testing.T) {
	for _, c := range []struct{ key, path string }{
		{"ok", "m.ok"},
		{"80202", "m.80202"},
		{"2027-03-08", "m.2027-03-08"},
		{"08:00", "m.08:00"},
		{"café", "m.café"},
		{"", `m[""]`},
		{"a.b", `m["a.b"]`},
		{"a[1]", `m["a[1]"]`},
		{`say "hi"`, `m["say \"hi\""]`},
		{`back\slash`, `m["back\\slash"]`},
		{"two words", `m["two words"]`},
		{"tab\there", `m["tab\there"]`},
		{"nl\n", `m["nl\n"]`},
	} {
		text, _ := json.Marshal(map[string]map[string]string{"m": {c.key: "x"}})
		var v struct {
			M map[string]int `json:"m"`
		}
		err := validate.Unmarshal(text, &v)
		var es validate.Errors
		if !errors.As(err, &es) || len(es) != 1 || es[0].Path != c.path {
			t.Errorf("key %q: %v, want one problem at %s", c.key, err, c.path)
		}
		ptr := jsontext.Pointer("").AppendToken("m").AppendToken(c.key)
		if got := validate.PointerPath(reflect.TypeFor[struct {
			M map[string]int `json:"m"`
		}](), ptr); got != c.path {
			t.Errorf("key %q: PointerPath %q, want %q", c.key, got, c.path)
		}
	}
}
