package validate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// ErrJSON marks a JSON text that is malformed or does not have the shape
// of the value it is decoded into. Test with errors.Is.
var ErrJSON = errors.New("bad JSON")

// ErrSyntax marks a JSON text that is malformed: not JSON at all, cut
// short, or followed by more than white space. It wraps [ErrJSON].
var ErrSyntax error = &sentinel{"malformed JSON", ErrJSON}

// ErrEmpty marks a JSON text that is empty or only white space. It wraps
// [ErrSyntax].
var ErrEmpty error = &sentinel{"empty JSON text", ErrSyntax}

// ErrValue marks a JSON string of the right shape whose text its type
// refuses: a date-time that is not RFC 3339, a text its UnmarshalText
// rejects. The value is left zero and the rest of the text is read and
// filled; a loader may go on checking the records and report these
// problems beside its own. It wraps [ErrJSON].
var ErrValue error = &sentinel{"bad value", ErrJSON}

type sentinel struct {
	msg    string
	parent error
}

func (s *sentinel) Error() string { return s.msg }
func (s *sentinel) Unwrap() error { return s.parent }

// Unmarshal decodes data into v, which must be a non-nil pointer, strictly:
// object keys must match a field's JSON name exactly (case included),
// unknown members and duplicate keys are errors, numbers must fit the
// field they fill (an int field refuses 1.5 and 1e30), strings must be
// valid UTF-8, and nothing may follow the value. null leaves the zero
// value, as in go-json-experiment, whose rules this follows throughout.
//
// The error is an [Errors] listing every problem, in the order of the
// text, each with the path of the offending value
// ("technicians[3].active: want true or false, got the string \"yes\"")
// and wrapping [ErrJSON]. Problems of shape (unknown or duplicate keys,
// values of the wrong kind or out of range) do not stop the reading; the
// first syntax error does, and is the last problem listed, wrapping
// [ErrSyntax] and giving its line and column instead of a path. On error,
// v holds what could be decoded. Past [MaxProblems], one problem says how
// many more there are (a syntax error is still listed last): the text is
// read to its end, but its problems no longer take memory.
//
// A time.Time in the canonical RFC 3339 form (seconds, "Z" or an offset)
// is parsed once per distinct text of the decode; another RFC 3339 text
// is read by go-json-experiment, with a lower-case "t" or "z" (RFC 3339
// §5.6) read as upper case; a type whose only
// unmarshaling method is UnmarshalText gets the string's text. A text
// either refuses is a problem wrapping [ErrValue]. Other values whose type
// has its own unmarshaling methods (UnmarshalJSON, other time.Time texts),
// interfaces, arrays, []byte, maps with other keys than strings and
// integers, and structs with embedded fields or tag options other than
// omitempty and omitzero are each handed whole to
// github.com/go-json-experiment/json (unknown members rejected), which
// reports the first problem inside them.
//
// Decoding a large text shares equal short strings between the values,
// which saves the memory of repeated time stamps and codes.
//
// Unmarshal is safe for concurrent use. A v that is not a non-nil pointer
// is an error that does not wrap ErrJSON.
func Unmarshal(data []byte, v any) error {
	d := decoder{data: data, mark: -1}
	if len(data) >= cacheFrom {
		d.cache = newStrcache(len(data))
	}
	return d.decode(v, "Unmarshal")
}

// UnmarshalRead is [Unmarshal] reading the text from r, through a window
// of a few MiB at most (it grows only to hold one value that does not fit,
// such as a long string), so that a large file is never all in memory
// beside the values decoded from it. A read error other than io.EOF ends
// the decoding and is returned as it is, wrapped; data problems are
// reported as by Unmarshal, with their lines and columns in the text.
func UnmarshalRead(r io.Reader, v any) error {
	d := decoder{data: make([]byte, 0, windowSize), r: r, mark: -1}
	return d.decode(v, "UnmarshalRead")
}

func (d *decoder) decode(v any, name string) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("validate: %s needs a non-nil pointer, got %T", name, v)
	}
	d.ws()
	if _, ok := d.peek(); !ok {
		if err := d.readErr(); err != nil {
			return err
		}
		return Errors{{Msg: "empty input: want a JSON value", Err: ErrEmpty}}
	}
	d.value(planOf(rv.Type().Elem()), rv.UnsafePointer())
	if !d.stop {
		d.ws()
		if _, ok := d.peek(); ok {
			d.unexpected("after top-level value")
		}
	}
	if err := d.readErr(); err != nil {
		return err
	}
	return d.errs.Err()
}

// readErr returns the error that ended the reader, unless it is io.EOF.
func (d *decoder) readErr() error {
	if d.rerr == nil || d.rerr == io.EOF {
		return nil
	}
	return fmt.Errorf("validate: reading JSON: %w", d.rerr)
}

// jsonProblem turns an error of go-json-experiment, decoding raw (valid
// JSON) into a value of type t, into a problem at its path relative to
// that value.
func jsonProblem(raw []byte, t reflect.Type, err error) *Error {
	var se *json.SemanticError
	var sy *jsontext.SyntacticError
	switch {
	case errors.As(err, &sy):
		path := PointerPath(t, sy.JSONPointer)
		if errors.Is(sy.Err, jsontext.ErrDuplicateName) {
			return &Error{Path: path, Msg: "duplicate key " + strconv.Quote(sy.JSONPointer.LastToken()), Err: ErrJSON}
		}
		// raw has been read as JSON already: what go-json-experiment
		// refuses in it is a limit of its own (nesting into an
		// interface, say), not a syntax error of the text.
		return &Error{Path: path, Msg: sy.Err.Error(), Err: ErrJSON}
	case errors.As(err, &se):
		path := PointerPath(t, se.JSONPointer)
		if off := se.ByteOffset; len(se.JSONValue) == 0 && off >= 0 && off < int64(len(raw)) {
			// The value is not always attached: read it at its offset.
			dec := jsontext.NewDecoder(bytes.NewReader(raw[off:]))
			if v, err := dec.ReadValue(); err == nil && (v.Kind() == '"' || v.Kind() == '0') {
				se.JSONValue = v
			}
		}
		switch {
		case errors.Is(se.Err, json.ErrUnknownName):
			return &Error{Path: path, Msg: "unknown field " + strconv.Quote(se.JSONPointer.LastToken()), Err: ErrJSON}
		case se.JSONKind != 0 && se.GoType != nil && (se.Err == nil || wantsString(se.GoType) && se.JSONKind != '"'):
			return &Error{Path: path, Msg: fmt.Sprintf("want %s, got %s", describeType(se.GoType), describeKind(se.JSONKind, se.JSONValue)), Err: ErrJSON}
		case se.Err != nil:
			return &Error{Path: path, Msg: se.Err.Error(), Err: ErrJSON}
		}
		return &Error{Path: path, Msg: fmt.Sprintf("cannot decode %s into %s", describeKind(se.JSONKind, se.JSONValue), describeType(se.GoType)), Err: ErrJSON}
	}
	return &Error{Msg: err.Error(), Err: ErrJSON}
}

// Position returns the 1-based line and column of byte offset off in data.
// Columns count characters (UTF-8 sequences), as editors do, not bytes.
func Position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	if k := bytes.LastIndexByte(before, '\n'); k >= 0 {
		before = before[k+1:]
	}
	return line, 1 + chars(before)
}

// PointerPath converts a JSON pointer into the path notation of this
// package, reading t (the Go type decoded into) to tell array indexes from
// object keys: "/technicians/3/active" is "technicians[3].active", and
// "/demand/jobTypes/101" is "demand.jobTypes.101".
func PointerPath(t reflect.Type, p jsontext.Pointer) string {
	path := ""
	for tok := range p.Tokens() {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			if i, err := strconv.Atoi(tok); err == nil {
				path = Index(path, i)
				t = t.Elem()
				continue
			}
		}
		path = string(appendName([]byte(path), tok))
		switch {
		case t == nil:
		case t.Kind() == reflect.Map:
			t = t.Elem()
		case t.Kind() == reflect.Struct:
			t = fieldType(t, tok)
		default:
			t = nil
		}
	}
	return path
}

// fieldType returns the type of t's field whose JSON name is name, or nil.
func fieldType(t reflect.Type, name string) reflect.Type {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		n := tag
		for k := range len(tag) {
			if tag[k] == ',' {
				n = tag[:k]
				break
			}
		}
		if n == "" {
			n = f.Name
		}
		if n == name {
			return f.Type
		}
	}
	return nil
}

// wantsString reports whether values of t are written as JSON strings.
func wantsString(t reflect.Type) bool {
	d := describeType(t)
	return d == "a string" || d == "an RFC 3339 date-time string"
}

func describeType(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == nil:
		return "a value"
	case t == reflect.TypeFor[time.Time]():
		return "an RFC 3339 date-time string"
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		return "a string"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

func describeKind(k jsontext.Kind, v jsontext.Value) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 'n':
		return "null"
	case 't':
		return "true"
	case 'f':
		return "false"
	case '"':
		if len(v) == 0 {
			return "a string"
		}
		return "the string " + shortString(string(v))
	case '0':
		if len(v) == 0 {
			return "a number"
		}
		return "the number " + string(v)
	}
	return "a value"
}
