package validate

import (
	"bytes"
	"errors"
	"io"
	"fmt"
	"reflect"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// ErrJSON marks a JSON text that is malformed or does not have the shape
// of the value it is decoded into. Test with errors.Is.
var ErrJSON = errors.New("bad JSON")

// Unmarshal decodes data into v, which must be a non-nil pointer, strictly:
// object keys must match a field's JSON name exactly (case included),
// unknown members and duplicate keys are errors, and nothing may follow the
// value. Problems are returned as [Errors] wrapping [ErrJSON], each with
// the path of the offending value ("technicians[3].active").
func Unmarshal(data []byte, v any) error {
	err := json.Unmarshal(data, v, json.RejectUnknownMembers(true))
	if err == nil {
		return nil
	}
	return Errors{jsonProblem(data, reflect.TypeOf(v), err)}
}

// jsonProblem turns a decoding error into a problem at its path.
func jsonProblem(data []byte, t reflect.Type, err error) *Error {
	var se *json.SemanticError
	var sy *jsontext.SyntacticError
	switch {
	case errors.As(err, &sy):
		path := PointerPath(t, sy.JSONPointer)
		if errors.Is(sy.Err, jsontext.ErrDuplicateName) {
			return &Error{Path: path, Msg: "duplicate key " + strconv.Quote(sy.JSONPointer.LastToken()), Err: ErrJSON}
		}
		line, col := Position(data, sy.ByteOffset)
		if errors.Is(sy.Err, io.ErrUnexpectedEOF) {
			if len(bytes.TrimSpace(data)) == 0 {
				return &Error{Path: path, Msg: "empty input: want a JSON value", Err: ErrJSON}
			}
			return &Error{Path: path, Msg: fmt.Sprintf("malformed JSON at line %d, column %d: unexpected end of input", line, col), Err: ErrJSON}
		}
		return &Error{Path: path, Msg: fmt.Sprintf("malformed JSON at line %d, column %d: %v", line, col, sy.Err), Err: ErrJSON}
	case errors.As(err, &se):
		path := PointerPath(t, se.JSONPointer)
		if len(se.JSONValue) == 0 && se.ByteOffset >= 0 && se.ByteOffset < int64(len(data)) {
			// The value is not always attached: read it at its offset.
			dec := jsontext.NewDecoder(bytes.NewReader(data[se.ByteOffset:]))
			if v, err := dec.ReadValue(); err == nil && (v.Kind() == '"' || v.Kind() == '0') {
				se.JSONValue = v
			}
		}
		switch {
		case errors.Is(se.Err, json.ErrUnknownName):
			return &Error{Path: path, Msg: "unknown field " + strconv.Quote(se.JSONPointer.LastToken()), Err: ErrJSON}
		case se.JSONKind != 0 && se.GoType != nil && se.Err == nil:
			return &Error{Path: path, Msg: fmt.Sprintf("want %s, got %s", describeType(se.GoType), describeKind(se.JSONKind, se.JSONValue)), Err: ErrJSON}
		case se.Err != nil:
			return &Error{Path: path, Msg: se.Err.Error(), Err: ErrJSON}
		}
		return &Error{Path: path, Msg: fmt.Sprintf("cannot decode %s into %s", describeKind(se.JSONKind, se.JSONValue), describeType(se.GoType)), Err: ErrJSON}
	}
	return &Error{Msg: err.Error(), Err: ErrJSON}
}

// Position returns the 1-based line and column of byte offset off in data.
func Position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	line, col = 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
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
		path = Join(path, tok)
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

func describeType(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a value"
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
		s := string(v)
		if len(s) > 42 {
			s = s[:41] + `…"`
		}
		if s == "" {
			return "a string"
		}
		return "the string " + s
	case '0':
		if len(v) == 0 {
			return "a number"
		}
		return "the number " + string(v)
	}
	return "a value"
}
