// Package validate collects data problems with the JSON path where each was
// found, so that loaders can report every problem at once instead of only
// the first, and reads JSON strictly.
//
// A path names a field the way a reader finds it in the file:
// "technicians[3].businessUnitId"; a map's key follows a dot too
// ("demand.jobTypes.101") unless it would not read back as one step —
// empty, or holding a dot, bracket, quote, backslash, space or control
// character —, when it is quoted in brackets: `zones["a.b"]`, `m[""]`.
// [Errors] is the error type every loader
// in this module returns for bad data; callers reach the individual
// problems with errors.As.
//
// # Strict JSON
//
// [Unmarshal] and [UnmarshalRead] decode JSON the way every reader in this
// module must: object keys match a field's name exactly (case included),
// unknown members and duplicate keys are errors (a second "assignments"
// would otherwise replace the first silently), numbers must fit their
// field, strings must be valid UTF-8. They report every such problem with
// its path, in the order of the text, and stop at the first syntax error,
// which they report with its line and column. Their rules are those of
// github.com/go-json-experiment/json with unknown members rejected; they
// are fuzzed against it and against encoding/json.
//
// One rule is this module's own: an integer field tagged
// validate:"nonzero" (`json:"idealBookingPercentage,omitempty"
// validate:"nonzero"`) is one whose 0 means "left out", so a 0 written in
// the text is a problem at its path instead of a silent default (null and
// an absent member stay the zero value). The tag on anything but an
// integer, or with another value, panics when the type is first decoded.
//
// They read a large text at several hundred MB/s in one pass, without a
// second decode to find the problems: a plan per Go type drives a scanner
// that writes each value in place. Equal short strings of a large text
// share memory, arrays longer than a thousand elements are gathered in
// chunks and copied once into a slice of their exact length, and
// UnmarshalRead holds only a window of the text, so that a file and the
// values decoded from it are never in memory together.
package validate
