package validate

import (
	"bytes"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// MaxText is the most characters (Unicode code points) a free-text field
// may hold: names, titles, notes, reasons, skills, cities. The tenant
// file, the library, the command line and the HTTP API all hold text to
// it; a bound keeps a 1 MiB reason out of the journal and of every answer
// that echoes it.
const MaxText = 1000

// CheckText adds to errs, at path, a problem of the free-text value s: more
// than [MaxText] characters, bytes that are not UTF-8, or a control
// character. (JSON readers refuse text that is not UTF-8; a value built in
// code could carry it into a file, whose writer would replace it with
// U+FFFD, so that the text read back differed from the text saved.) Single-line fields
// (names, titles, skills, cities) allow no control character but tab;
// multi-line ones (notes, reasons) allow tab, line feed and carriage
// return too. A control character is one [unicode.IsControl] reports:
// U+0000–U+001F, U+007F–U+009F. At most one problem of s is added: its
// length when too long, else its first byte that is not UTF-8 or its first
// control character, with its byte offset; the message quotes the start
// of s.
//
// The problem wraps wrap, when not nil, for errors.Is: the caller's
// sentinel of invalid data. CheckText reports whether s is fit.
func CheckText(errs *Errors, path, s string, singleLine bool, wrap error) bool {
	if len(s) <= MaxText && plainASCII(s) {
		return true // the common case, in one pass over the bytes
	}
	if n := utf8.RuneCountInString(s); n > MaxText {
		addText(errs, path, wrap, "validate: text %s has %d characters; at most %d", quoteStart(s), n, MaxText)
		return false
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				addText(errs, path, wrap, "validate: text %s is not UTF-8 at byte %d", quoteStart(s), i)
				return false
			}
		}
		if r == '\t' || !singleLine && (r == '\n' || r == '\r') || !unicode.IsControl(r) {
			continue
		}
		addText(errs, path, wrap, "validate: text %s has the control character %U at byte %d", quoteStart(s), r, i)
		return false
	}
	return true
}

// quoteStart quotes s, or its first 20 characters and an ellipsis when it
// is longer: enough to find it, not the megabyte it may be.
func quoteStart(s string) string {
	const show = 20
	n := 0
	for i := range s {
		if n == show {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}

// plainASCII reports whether s is printable ASCII: bytes 0x20–0x7E.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f {
			return false
		}
	}
	return true
}

func addText(errs *Errors, path string, wrap error, format string, args ...any) {
	if wrap == nil {
		errs.Add(path, format, args...)
		return
	}
	errs.Add(path, format+": %w", append(args, wrap)...)
}

// BOM is the UTF-8 byte-order mark, U+FEFF. RFC 8259 §8.1: a parser MAY
// ignore one at the start of a JSON text, and Windows editors write it.
const BOM = "\ufeff"

// TrimBOM returns data without a leading byte-order mark: what this
// module's file readers (tenant, scenario and request files) take. [Unmarshal]
// itself refuses one, as the API's bodies must.
func TrimBOM(data []byte) []byte { return bytes.TrimPrefix(data, []byte(BOM)) }
