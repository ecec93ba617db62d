package validate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Error is one data problem at one path.
type Error struct {
	Path string // JSON path of the offending value, e.g. "shifts[2].end"
	Msg  string // what is wrong, quoting the value
	Err  error  // optional underlying error, reachable with errors.Is
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errors is a list of problems, in the order they were found. A nil or empty
// Errors is no error; use [Errors.Err] to return it.
type Errors []*Error

func (es Errors) Error() string {
	var sb strings.Builder
	for i, e := range es {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(e.Error())
	}
	return sb.String()
}

// Unwrap returns the individual problems, so errors.Is and errors.As look
// through the list.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Err returns es as an error, or nil when es is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Add records a problem at path with a formatted message. A format ending
// in ": %w" makes the last argument the wrapped error, reachable with
// errors.Is, and leaves its text out of the message: the sentinel
// classifies the problem, the message describes it.
func (es *Errors) Add(path, format string, args ...any) {
	if f, ok := strings.CutSuffix(format, ": %w"); ok && len(args) > 0 {
		if wrapped, isErr := args[len(args)-1].(error); isErr {
			*es = append(*es, &Error{Path: path, Msg: fmt.Sprintf(f, args[:len(args)-1]...), Err: wrapped})
			return
		}
	}
	err := fmt.Errorf(format, args...)
	*es = append(*es, &Error{Path: path, Msg: err.Error(), Err: errors.Unwrap(err)})
}

// AddErr records err at path. When err is itself an Errors or an *Error, its
// paths are nested under path.
func (es *Errors) AddErr(path string, err error) {
	if err == nil {
		return
	}
	var list Errors
	if errors.As(err, &list) {
		for _, e := range list {
			*es = append(*es, &Error{Path: Join(path, e.Path), Msg: e.Msg, Err: e.Err})
		}
		return
	}
	var one *Error
	if errors.As(err, &one) {
		*es = append(*es, &Error{Path: Join(path, one.Path), Msg: one.Msg, Err: one.Err})
		return
	}
	*es = append(*es, &Error{Path: path, Msg: err.Error(), Err: err})
}

// Join appends a child path to a parent: Join("a", "b") is "a.b",
// Join("a", "[2]") is "a[2]", and an empty side is dropped.
func Join(parent, child string) string {
	switch {
	case parent == "":
		return child
	case child == "":
		return parent
	case child[0] == '[':
		return parent + child
	}
	return parent + "." + child
}

// Index returns the path of element i of the array at path: "shifts[3]".
func Index(path string, i int) string {
	var buf [20]byte
	return path + "[" + string(strconv.AppendInt(buf[:0], int64(i), 10)) + "]"
}
