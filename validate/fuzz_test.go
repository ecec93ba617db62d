package validate_test

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"github.com/opendispatch/dispatch/validate"
)

// fzInner and fzOuter exercise every kind the decoder models and the
// opaque ones it hands on: pointers (recursive), slices, maps with string
// keys, integers of several sizes, floats, time.Time, a type with
// UnmarshalJSON, one with UnmarshalText, an interface, "-" and untagged
// fields.
type fzInner struct {
	A   bool       `json:"a"`
	S   string     `json:"s,omitempty"`
	I8  int8       `json:"i8"`
	U16 uint16     `json:"u16"`
	F32 float32    `json:"f32"`
	P   *fzInner   `json:"p,omitempty"`
	L   []int64    `json:"l"`
	T   *time.Time `json:"t,omitempty"`
}

type fzOuter struct {
	Version int                `json:"version"`
	Name    string             `json:"name"`
	Items   []fzInner          `json:"items"`
	Mix     map[string]float64 `json:"mix"`
	When    time.Time          `json:"when"`
	Custom  upper              `json:"custom"`
	Text    colour             `json:"text"`
	Any     any                `json:"any"`
	Ptr     *int               `json:"ptr"`
	Skip    int                `json:"-"`
	NoTag   uint
	Nested  map[string][]*fzInner `json:"nested"`
	F64     float64               `json:"f64"`
	U64     uint64                `json:"u64"`
	Bools   []bool
}

// upper decodes a JSON string in upper case and refuses anything else
// but null.
type upper string

func (u *upper) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := stdjson.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("upper: want a string")
	}
	*u = upper(strings.ToUpper(s))
	return nil
}

// colour decodes the text "red" or "blue".
type colour int

func (c *colour) UnmarshalText(b []byte) error {
	switch string(b) {
	case "red":
		*c = 1
	case "blue":
		*c = 2
	default:
		return fmt.Errorf("colour: unknown colour %q", b)
	}
	return nil
}

// reference decides, independently of the decoder, whether data must
// decode into a fzOuter: encoding/json with DisallowUnknownFields accepts
// it (one value, nothing after it), and beyond encoding/json's rules
// every object key is unique, every key of a struct spells a field's
// name exactly, time stamps pass go-json-experiment's stricter reading of
// RFC 3339, and the text is valid UTF-8 whose \u escapes pair their
// surrogates (encoding/json replaces both faults by U+FFFD silently).
func reference(data []byte) (*fzOuter, bool) {
	var v fzOuter
	dec := stdjson.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	if !utf8.Valid(data) || !surrogatesPaired(data) || hasDuplicateKeys(data) {
		return nil, false
	}
	var generic any
	dec = stdjson.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		panic(err) // encoding/json just decoded it
	}
	if !keysExact(generic, reflect.TypeFor[fzOuter]()) {
		return nil, false
	}
	return &v, true
}

// surrogatesPaired reports whether every \u escape of a UTF-16 surrogate
// in data (valid JSON) is a high surrogate followed by a low one.
func surrogatesPaired(data []byte) bool {
	for i := 0; i < len(data); i++ {
		if data[i] != '\\' {
			continue
		}
		if data[i+1] != 'u' {
			i++ // skip the escaped character, which may be a backslash
			continue
		}
		var r rune
		fmt.Sscanf(string(data[i+2:i+6]), "%04x", &r)
		switch {
		case 0xdc00 <= r && r < 0xe000:
			return false
		case 0xd800 <= r && r < 0xdc00:
			if i+12 > len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
				return false
			}
			var r2 rune
			fmt.Sscanf(string(data[i+8:i+12]), "%04x", &r2)
			if utf16.DecodeRune(r, r2) == utf8.RuneError {
				return false
			}
			i += 11
		default:
			i += 5
		}
	}
	return true
}

// hasDuplicateKeys reports whether some object of data (valid JSON) has
// two keys that are equal once unescaped, reading encoding/json's tokens.
func hasDuplicateKeys(data []byte) bool {
	type frame struct {
		object, wantKey bool
		keys            map[string]bool
	}
	var stack []*frame
	dec := stdjson.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := (*frame)(nil)
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		switch t := tok.(type) {
		case stdjson.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, wantKey: true, keys: map[string]bool{}})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if top != nil && top.object && top.wantKey {
				if top.keys[t] {
					return true
				}
				top.keys[t] = true
				top.wantKey = false
				continue
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// strictRFC3339 applies to s, a time stamp time.Time.UnmarshalJSON
// accepted, the checks of RFC 3339 that package time has disabled
// (go.dev/issue/54580) and go-json-experiment makes: a two-digit hour, a
// period before fractional seconds, an offset within 23:59.
func strictRFC3339(s string) bool {
	num2 := func(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
	switch {
	case s[len("2006-01-02T")+1] == ':':
		return false
	case s[len("2006-01-02T15:04:05")] == ',':
		return false
	case s[len(s)-1] != 'Z':
		return num2(s[len(s)-5:]) < 24 && num2(s[len(s)-2:]) < 60
	}
	return true
}

// keysExact reports whether every key of every object of v that fills a
// struct of type t (or of the types within it) spells a field's JSON name
// exactly. Values of types with their own decoding are not looked into.
func keysExact(v any, t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Time]() {
		s, ok := v.(string)
		return !ok || strictRFC3339(s)
	}
	if t == reflect.TypeFor[upper]() || t == reflect.TypeFor[colour]() {
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return true
		}
		for k, x := range m {
			f, ok := fieldNamed(t, k)
			if !ok || !keysExact(x, f) {
				return false
			}
		}
	case reflect.Slice:
		if arr, ok := v.([]any); ok {
			for _, x := range arr {
				if !keysExact(x, t.Elem()) {
					return false
				}
			}
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			for _, x := range m {
				if !keysExact(x, t.Elem()) {
					return false
				}
			}
		}
	}
	return true
}

func fieldNamed(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		n, _, _ := strings.Cut(tag, ",")
		if n == "" {
			n = f.Name
		}
		if n == name {
			return f.Type, true
		}
	}
	return nil, false
}

// FuzzUnmarshal checks Unmarshal against the reference above and against
// go-json-experiment's strict decode: it succeeds exactly when they say
// it must, decodes the same value, and never panics; every problem it
// reports wraps ErrJSON and says something.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkUnmarshal)
}

// checkUnmarshal is the body of FuzzUnmarshal, shared with
// TestUnmarshalGenerated: Unmarshal of data into a fzOuter succeeds
// exactly when the reference and go-json-experiment say it must, decodes
// what they decode, and reads the same through small windows and awkward
// readers; every problem wraps ErrJSON and says something.
func checkUnmarshal(t *testing.T, data []byte) {
	t.Helper()
	var got fzOuter
	err := validate.Unmarshal(data, &got)
	want, ok := reference(data)
	if (err == nil) != ok {
		t.Fatalf("Unmarshal(%q) = %v; the reference says ok=%v", data, err, ok)
	}
	var v2 fzOuter
	err2 := json.Unmarshal(data, &v2, json.RejectUnknownMembers(true))
	if (err == nil) != (err2 == nil) {
		t.Fatalf("Unmarshal(%q) = %v; go-json-experiment says %v", data, err, err2)
	}
	// Reading through a small window, a byte or a few at a time, with
	// empty reads between, decodes the same and finds the same problems
	// at the same lines and columns.
	for _, c := range []struct {
		window int
		r      io.Reader
	}{
		{1, iotest.OneByteReader(bytes.NewReader(data))},
		{5, iotest.HalfReader(bytes.NewReader(data))},
		{3, &stutterReader{data: data}},
		{8, iotest.DataErrReader(&stutterReader{data: data, sizes: []int{7, 1, 2}})},
	} {
		restore := validate.SetWindowSize(c.window)
		var read fzOuter
		errRead := validate.UnmarshalRead(c.r, &read)
		restore()
		if fmt.Sprint(errRead) != fmt.Sprint(err) {
			t.Fatalf("UnmarshalRead(%q), window %d:\n%v\nUnmarshal:\n%v", data, c.window, errRead, err)
		}
		if diff := cmp.Diff(got, read); diff != "" {
			t.Fatalf("UnmarshalRead(%q), window %d, differs from Unmarshal (-Unmarshal +UnmarshalRead):\n%s", data, c.window, diff)
		}
	}
	if err == nil {
		if diff := cmp.Diff(*want, got); diff != "" {
			t.Fatalf("Unmarshal(%q) differs from encoding/json (-want +got):\n%s", data, diff)
		}
		if diff := cmp.Diff(v2, got); diff != "" {
			t.Fatalf("Unmarshal(%q) differs from go-json-experiment (-want +got):\n%s", data, diff)
		}
		return
	}
	if !errors.Is(err, validate.ErrJSON) {
		t.Fatalf("error does not wrap ErrJSON: %v", err)
	}
	var list validate.Errors
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error is not a non-empty Errors: %v", err)
	}
	for i, e := range list {
		if e.Msg == "" {
			t.Fatalf("problem %d has no message: %v", i, err)
		}
		if errors.Is(e, validate.ErrSyntax) && i != len(list)-1 {
			t.Fatalf("a syntax error is not last: %v", err)
		}
	}
}

// stutterReader returns data in reads of the given sizes in turn (1 when
// none), with an empty read, (0, nil), before each: a reader may do that,
// and the decoder must read on.
type stutterReader struct {
	data  []byte
	sizes []int
	n     int
}

func (r *stutterReader) Read(p []byte) (int, error) {
	r.n++
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if r.n%2 == 1 {
		return 0, nil
	}
	size := 1
	if len(r.sizes) > 0 {
		size = r.sizes[(r.n/2)%len(r.sizes)]
	}
	k := copy(p[:min(len(p), size)], r.data)
	r.data = r.data[k:]
	return k, nil
}

// fuzzSeeds start the fuzzer on valid texts and on each kind of problem.
// More seeds are in testdata/fuzz/FuzzUnmarshal.
var fuzzSeeds = []string{
	`{"version":1,"name":"x","items":[{"a":true,"s":"y","i8":-128,"u16":65535,"f32":1.5,"p":{"l":[1,2]},"l":[],"t":"2027-03-08T07:00:00-07:00"}],` +
		`"mix":{"a":1e3,"b":-0.5},"when":"2027-03-08T07:00:00Z","custom":"abc","text":"red","any":{"k":[1,"two",null,true]},"ptr":3,` +
		`"NoTag":7,"nested":{"k":[{"a":false},null]},"f64":1e308,"u64":18446744073709551615,"Bools":[true,false]}`,
	`{}`, `null`, `{"items":null,"mix":null,"ptr":null,"when":null,"custom":null,"text":null}`,
	`{"Version":1}`, `{"notag":1}`, `{"version":1,"version":2}`, `{"mix":{"a":1,"a":2}}`, `{"any":{"a":1,"a":2}}`,
	`{"items":[{"i8":128}]}`, `{"items":[{"u16":-1}]}`, `{"version":1.5}`, `{"version":1e30}`, `{"u64":-0}`, `{"f64":1e400}`,
	`{"items":[{"f32":1e39}]}`, `{"name":"\ud800"}`, `{"name":"\ud83d\ude00"}`, "{\"name\":\"\xff\"}", `{"name":"a\u00e9\n"}`,
	`{"when":"yesterday"}`, `{"custom":1}`, `{"text":"green"}`, `{"-":1}`, `{"Skip":1}`, `{"vers\u0069on":1}`,
	`{"version":1} {}`, `{"version":`, `[`, ``, ` `, `{"items":[{"a":"yes"},{"a":1},{"x":1}]}`,
	`{"nested":{"k":[{"p":{"p":{"i8":"x"}}}]}}`, `{"version":01}`, `{"version":-}`, `{"name":"\x"}`, `{"a":tru}`,
}

// TestFuzzSeeds keeps the corpus files parseable by the fuzzer: every
// file under testdata/fuzz/FuzzUnmarshal is run by go test as a seed.
func TestFuzzSeeds(t *testing.T) {
	files, err := filepath.Glob("testdata/fuzz/FuzzUnmarshal/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil || !bytes.HasPrefix(b, []byte("go test fuzz v1\n[]byte(")) {
			t.Errorf("%s: not a fuzz corpus file", name)
		}
	}
}
