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

	unlisted int // of the problem that ends a full Errors: how many it stands for
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
//
// A list holds at most [MaxProblems] problems and then one more that says
// how many more were found (its Err the first unlisted problem's, for
// errors.Is; [Errors.Unlisted] gives the number): the methods below, and
// [Unmarshal], stop listing there.
type Errors []*Error

// MaxProblems is the most problems an [Errors] lists. Reading every
// problem of a 1 MiB request body, 96,000 unknown members each with its
// path and message, took 40 MB; 48 such requests at once took a server
// from 20 MB to 1.3 GB. A reader fixes the first thousand before the rest
// matter.
const MaxProblems = 1000

// push appends e, or, past MaxProblems, counts it in the problem that
// says how many are not listed.
func (es *Errors) push(e *Error) {
	if len(*es) < MaxProblems {
		*es = append(*es, e)
		return
	}
	es.more(e.Err, 1)
}

// more counts n problems past MaxProblems, the first wrapping err, without
// listing them: the list's last problem says how many there are. (A list
// not yet full, given another list's count, lists the count.)
func (es *Errors) more(err error, n int) {
	if len(*es) < MaxProblems {
		*es = append(*es, &Error{Msg: "validate: " + strconv.Itoa(n) + " more problems, not listed", Err: err})
		return
	}
	if len(*es) == MaxProblems {
		*es = append(*es, &Error{Err: err})
	}
	last := (*es)[MaxProblems]
	last.unlisted += n
	last.Msg = "validate: " + strconv.Itoa(last.unlisted) + " more problems, not listed"
}

// full reports whether es lists no more problems.
func (es Errors) full() bool { return len(es) >= MaxProblems }

// Unlisted returns the number of problems found past [MaxProblems] that es
// does not list (its last problem says so); 0 when it lists every one.
func (es Errors) Unlisted() int {
	if len(es) > MaxProblems {
		return es[MaxProblems].unlisted
	}
	return 0
}

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
	if es.full() {
		var wrapped error
		if len(args) > 0 && strings.HasSuffix(format, "%w") {
			wrapped, _ = args[len(args)-1].(error)
		}
		es.more(wrapped, 1)
		return
	}
	if f, ok := strings.CutSuffix(format, ": %w"); ok && len(args) > 0 {
		if wrapped, isErr := args[len(args)-1].(error); isErr {
			es.push(&Error{Path: path, Msg: fmt.Sprintf(f, args[:len(args)-1]...), Err: wrapped})
			return
		}
	}
	err := fmt.Errorf(format, args...)
	es.push(&Error{Path: path, Msg: err.Error(), Err: errors.Unwrap(err)})
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
			if e.unlisted > 0 {
				es.more(e.Err, e.unlisted) // the count, not its message
				continue
			}
			es.push(&Error{Path: Join(path, e.Path), Msg: e.Msg, Err: e.Err})
		}
		return
	}
	var one *Error
	if errors.As(err, &one) {
		es.push(&Error{Path: Join(path, one.Path), Msg: one.Msg, Err: one.Err})
		return
	}
	es.push(&Error{Path: path, Msg: err.Error(), Err: err})
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
