package validate_test

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opendispatch/dispatch/validate"
)

type inner struct {
	Active bool   `json:"active"`
	Name   string `json:"name,omitempty"`
}

type outer struct {
	Version int                `json:"version"`
	Items   []inner            `json:"items"`
	Mix     map[string]float64 `json:"mix"`
}

func TestUnmarshal(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"version": 1, "items": [{"active": true}]}`, ""},
		{`{"Version": 1}`, `Version: unknown field "Version"`},
		{`{"version": 1, "version": 2}`, `version: duplicate key "version"`},
		{`{"items": [{"active": true}, {"active": "yes"}]}`, `items[1].active: want true or false, got the string "yes"`},
		{`{"items": [{"active": true, "extra": 1}]}`, `items[0].extra: unknown field "extra"`},
		{`{"mix": {"101": "x"}}`, `mix.101: want a number, got the string "x"`},
		{`{"version": 1}  {}`, `malformed JSON at line 1, column 17: invalid character '{' after top-level value`},
		{`{"version": 1,`, `malformed JSON at line 1, column 15: unexpected end of input`},
		{`   `, `empty input: want a JSON value`},
	} {
		var v outer
		err := validate.Unmarshal([]byte(c.in), &v)
		got := ""
		if err != nil {
			got = err.Error()
			if !errors.Is(err, validate.ErrJSON) {
				t.Errorf("%s: error does not wrap ErrJSON", c.in)
			}
		}
		if got != c.want {
			t.Errorf("Unmarshal(%s):\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// TestUnmarshalEveryProblem: every problem of shape is reported at once,
// in the order of the text, up to the first syntax error, which ends the
// list.
func TestUnmarshalEveryProblem(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"shape", `{"Version": 1, "version": "1", "version": 2,
			"items": [{"active": 1, "extra": {}}, {"active": true, "name": 7}, {"Name": "x"}],
			"mix": {"a": "b", "a": 1, "c": [1]}}`, []string{
			`Version: unknown field "Version"`,
			`version: want an integer, got the string "1"`,
			`version: duplicate key "version"`,
			`items[0].active: want true or false, got the number 1`,
			`items[0].extra: unknown field "extra"`,
			`items[1].name: want a string, got the number 7`,
			`items[2].Name: unknown field "Name"`,
			`mix.a: want a number, got the string "b"`,
			`mix.a: duplicate key "a"`,
			`mix.c: want a number, got an array`,
		}},
		{"then a syntax error", `{"colour": "red", "items": [{"active": "no"}],
  "version": 1,}`, []string{
			`colour: unknown field "colour"`,
			`items[0].active: want true or false, got the string "no"`,
			`malformed JSON at line 2, column 16: invalid character '}' at start of object key (want '"')`,
		}},
		{"nothing after a syntax error", `{"items": [{"active": tru}], "colour": 1}`, []string{
			`malformed JSON at line 1, column 26: invalid character '}' in literal true`,
		}},
		{"wrong containers", `{"version": {}, "items": {"active": true}, "mix": []}`, []string{
			`version: want an integer, got an object`,
			`items: want an array, got an object`,
			`mix: want an object, got an array`,
		}},
		{"not an object", `[1, 2]`, []string{`want an object, got an array`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v outer
			err := validate.Unmarshal([]byte(tt.in), &v)
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

type numbers struct {
	I8  int8    `json:"i8"`
	I64 int64   `json:"i64"`
	U8  uint8   `json:"u8"`
	U64 uint64  `json:"u64"`
	F32 float32 `json:"f32"`
	F64 float64 `json:"f64"`
}

func TestUnmarshalNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"i8": -128, "u8": 255, "i64": -9223372036854775808, "u64": 18446744073709551615, "f32": 3.4e38, "f64": -1e-400}`, ""},
		{`{"i8": 128}`, `i8: want an integer from -128 to 127, got the number 128`},
		{`{"i8": -129}`, `i8: want an integer from -128 to 127, got the number -129`},
		{`{"i64": 9223372036854775808}`, `i64: want an integer from -9223372036854775808 to 9223372036854775807, got the number 9223372036854775808`},
		{`{"i64": 1e30}`, `i64: want an integer, got the number 1e30`},
		{`{"i64": 1.5}`, `i64: want an integer, got the number 1.5`},
		{`{"i64": 1.0}`, `i64: want an integer, got the number 1.0`},
		{`{"u8": -1}`, `u8: want an integer from 0 to 255, got the number -1`},
		{`{"u8": -0}`, `u8: want an integer from 0 to 255, got the number -0`},
		{`{"u64": 18446744073709551616}`, `u64: want an integer from 0 to 18446744073709551615, got the number 18446744073709551616`},
		{`{"f32": 1e39}`, `f32: want a number of magnitude at most 3.4028235e+38, got the number 1e39`},
		{`{"f64": 1e400}`, `f64: want a number of magnitude at most 1.7976931348623157e+308, got the number 1e400`},
		{`{"i8": "1"}`, `i8: want an integer, got the string "1"`},
		{`{"i8": 01}`, `malformed JSON at line 1, column 9: invalid character '1' after object value (want ',' or '}')`},
		{`{"i8": +1}`, `malformed JSON at line 1, column 8: invalid character '+' at start of value`},
	}
	for _, tt := range tests {
		var v numbers
		err := validate.Unmarshal([]byte(tt.in), &v)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Unmarshal(%s):\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
	var v numbers
	if err := validate.Unmarshal([]byte(`{"i8": -128, "i64": -9223372036854775808, "u64": 18446744073709551615, "f32": 0.1, "f64": 2.5e-3}`), &v); err != nil {
		t.Fatal(err)
	}
	if want := (numbers{I8: -128, I64: -1 << 63, U64: 1<<64 - 1, F32: 0.1, F64: 2.5e-3}); v != want {
		t.Errorf("got %+v, want %+v", v, want)
	}
}

type special struct {
	When  time.Time         `json:"when"`
	At    *time.Time        `json:"at"`
	Level level             `json:"level"`
	Tags  []level           `json:"tags"`
	Any   any               `json:"any"`
	Bytes []byte            `json:"bytes"`
	Pair  [2]int            `json:"pair"`
	ByID  map[int64]string  `json:"byId"`
	Skip  string            `json:"-"`
	Plain string            // named Plain in JSON
	Deep  *map[string]*bool `json:"deep"`
	Emb   embedded          `json:"emb"`
}

// level decodes the text "low" or "high".
type level int

func (l *level) UnmarshalText(b []byte) error {
	i := slices.Index([]string{"low", "high"}, string(b))
	if i < 0 {
		return fmt.Errorf("level %q is neither low nor high", b)
	}
	*l = level(i + 1)
	return nil
}

type Base struct {
	ID int `json:"id"`
}

// embedded has an embedded struct: go-json-experiment decodes it whole.
type embedded struct {
	Base
	Name string `json:"name"`
}

func TestUnmarshalSpecialTypes(t *testing.T) {
	in := `{"when": "2027-03-08T07:00:00-07:00", "at": null, "level": "high", "tags": ["low", "high"],
		"any": {"a": [1, "x", null]}, "bytes": "aGk=", "pair": [1, 2], "byId": {"-3": "x", "7": "y"},
		"Plain": "p", "deep": {"on": true, "off": null}, "emb": {"id": 4, "name": "n"}}`
	var v special
	if err := validate.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	on := true
	want := special{When: time.Date(2027, 3, 8, 7, 0, 0, 0, time.FixedZone("", -7*3600)), Level: 2, Tags: []level{1, 2},
		Any: map[string]any{"a": []any{1.0, "x", nil}}, Bytes: []byte("hi"), Pair: [2]int{1, 2}, ByID: map[int64]string{-3: "x", 7: "y"},
		Plain: "p", Deep: &map[string]*bool{"on": &on, "off": nil}, Emb: embedded{Base{4}, "n"}}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	bad := `{"when": "noon", "at": 5, "level": "mid", "tags": ["low", 3], "any": {"a": 1, "a": 2},
		"bytes": "!", "pair": [1], "byId": {"x": "1", "01": "2"}, "Skip": "s", "plain": "p", "deep": {"on": "yes"},
		"emb": {"id": "4"}}`
	err := validate.Unmarshal([]byte(bad), new(special))
	wantErrs := []string{
		`when: "noon" is not an RFC 3339 date-time`,
		`at: want an RFC 3339 date-time string, got the number 5`,
		`level: level "mid" is neither low nor high`,
		`tags[1]: want a string, got the number 3`,
		`any.a: duplicate key "a"`,
		`bytes: illegal base64 data at input byte 0`,
		`pair: too few array elements`,
		`byId.x: want an integer key of -9223372036854775808 to 9223372036854775807, got "x"`,
		`byId.01: want an integer key of -9223372036854775808 to 9223372036854775807, got "01"`,
		`Skip: unknown field "Skip"`,
		`plain: unknown field "plain"`,
		`deep.on: want true or false, got the string "yes"`,
		`emb.id: want an integer, got the string "4"`,
	}
	var got []string
	if err != nil {
		got = strings.Split(err.Error(), "\n")
	}
	if diff := cmp.Diff(wantErrs, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestUnmarshalNull(t *testing.T) {
	v := special{Plain: "kept?", Tags: []level{1}, Deep: new(map[string]*bool), Level: 2}
	if err := validate.Unmarshal([]byte(`{"Plain": null, "tags": null, "deep": null, "level": null, "when": null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Plain != "" || v.Tags != nil || v.Deep != nil {
		t.Errorf("null did not leave zero values: %+v", v)
	}
	var p *special
	if err := validate.Unmarshal([]byte(`null`), &p); err != nil || p != nil {
		t.Errorf("null into a pointer: %v, %v", p, err)
	}
}

func TestUnmarshalNotAPointer(t *testing.T) {
	var v outer
	for _, arg := range []any{v, (*outer)(nil), nil} {
		err := validate.Unmarshal([]byte(`{}`), arg)
		if err == nil || errors.Is(err, validate.ErrJSON) || !strings.Contains(err.Error(), "non-nil pointer") {
			t.Errorf("Unmarshal into %T: %v", arg, err)
		}
	}
}

// TestUnmarshalLongArrays crosses the length from which arrays are read
// in chunks, into fresh and reused slices, and strings long enough to be
// shared.
func TestUnmarshalLongArrays(t *testing.T) {
	type rec struct {
		N int    `json:"n"`
		S string `json:"s"`
	}
	for _, n := range []int{0, 1, 1023, 1024, 1025, 3000, 70000} {
		var sb strings.Builder
		sb.WriteString("[")
		want := make([]rec, n)
		for i := range n {
			if i > 0 {
				sb.WriteString(",")
			}
			want[i] = rec{i, fmt.Sprint("s", i%500)}
			fmt.Fprintf(&sb, `{"n":%d,"s":"s%d"}`, i, i%500)
		}
		sb.WriteString("]")
		for _, start := range [][]rec{nil, make([]rec, 5, 2000)} {
			got := start
			if start != nil {
				for i := range start[:cap(start)] {
					start[:cap(start)][i] = rec{-1, "old"}
				}
			}
			if err := validate.Unmarshal([]byte(sb.String()), &got); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) || got == nil {
				t.Fatalf("n=%d, start len %d: got %d records, want %d (first differing: %v)", n, len(start), len(got), n, firstDiff(got, want))
			}
			if len(got) > 2000 && cap(got) != len(got) {
				t.Errorf("n=%d: capacity %d, want the exact length", n, cap(got))
			}
		}
	}
}

func firstDiff[T comparable](a, b []T) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("[%d] %v != %v", i, a[i], b[i])
		}
	}
	return "lengths"
}

func TestUnmarshalRecursive(t *testing.T) {
	type node struct {
		V    int     `json:"v"`
		Next *node   `json:"next"`
		Kids []*node `json:"kids"`
	}
	var n node
	err := validate.Unmarshal([]byte(`{"v": 1, "next": {"v": 2, "next": {"v": "3"}}, "kids": [{"v": 4, "kids": [{"w": 5}]}]}`), &n)
	want := "next.next.v: want an integer, got the string \"3\"\nkids[0].kids[0].w: unknown field \"w\""
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want\n%s", err, want)
	}
	deep := strings.Repeat(`{"next":`, 10001) + "null" + strings.Repeat("}", 10001)
	if err := validate.Unmarshal([]byte(deep), &n); err == nil || !strings.Contains(err.Error(), "nested deeper than 10000") {
		t.Errorf("10001 levels: %v", err)
	}
}

func TestPosition(t *testing.T) {
	data := []byte("ab\nçd\n\nx")
	for _, c := range []struct {
		off       int64
		line, col int
	}{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {6, 2, 3}, {8, 4, 1}, {99, 4, 2}, {-1, 1, 1}} {
		if l, col := validate.Position(data, c.off); l != c.line || col != c.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
}

// TestUnmarshalRead: reading through a small window gives what Unmarshal
// gives, on long texts, long strings and values handed whole to
// go-json-experiment; a read error is returned as it is.
func TestUnmarshalRead(t *testing.T) {
	long := strings.Repeat("é∑x", 3000)
	var sb strings.Builder
	sb.WriteString(`{"items": [`)
	for i := range 3000 {
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `{"when": "2027-03-08T07:%02d:00Z", "any": {"k": [%d, "v"]}, "Plain": "p%d"}`, i%60, i, i%7)
	}
	sb.WriteString(`], "text": "` + long + `", "colour": 1}`)
	text := sb.String()
	type item struct {
		When  time.Time `json:"when"`
		Any   any       `json:"any"`
		Plain string
	}
	type doc struct {
		Items []item `json:"items"`
		Text  string `json:"text"`
	}
	var want doc
	wantErr := validate.Unmarshal([]byte(text), &want)
	if wantErr == nil || wantErr.Error() != `colour: unknown field "colour"` || len(want.Items) != 3000 || want.Text != long {
		t.Fatalf("Unmarshal: %v, %d items", wantErr, len(want.Items))
	}
	for _, window := range []int{1, 7, 4096} {
		restore := validate.SetWindowSize(window)
		var got doc
		err := validate.UnmarshalRead(iotest.HalfReader(strings.NewReader(text)), &got)
		restore()
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Errorf("window %d: %v, want %v", window, err, wantErr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("window %d: (-Unmarshal +UnmarshalRead):\n%s", window, diff)
		}
	}

	boom := errors.New("disk on fire")
	var got doc
	err := validate.UnmarshalRead(io.MultiReader(strings.NewReader(text[:5000]), iotest.ErrReader(boom)), &got)
	if !errors.Is(err, boom) || errors.Is(err, validate.ErrJSON) {
		t.Errorf("read error: %v", err)
	}
	err = validate.UnmarshalRead(strings.NewReader(" \n "), &got)
	if !errors.Is(err, validate.ErrEmpty) || err.Error() != "empty input: want a JSON value" {
		t.Errorf("empty: %v", err)
	}
}
