package api

import (
	"unicode"
	"unicode/utf8"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/validate"
)

// MaxText is the most characters (Unicode code points) a free-text field
// of a request may hold: names, titles, notes, reasons, skills, zips. The
// contract gives no maxLength; a bound keeps a 1 MiB reason out of the
// journal and of every answer that echoes it.
const MaxText = 1000

// checkText reports a free-text field over [MaxText] characters, and a
// control character in it: single-line fields (names, titles, skills,
// zips) allow none but tab; multi-line ones (notes, reasons) allow tab,
// line feed and carriage return too.
func checkText(errs *validate.Errors, name, s string, singleLine bool) {
	if n := utf8.RuneCountInString(s); n > MaxText {
		errs.Add(name, "api: %s has %d characters; at most %d: %w", name, n, MaxText, capacity.ErrInvalid)
		return
	}
	for i, r := range s {
		if r == '\t' || !singleLine && (r == '\n' || r == '\r') || !unicode.IsControl(r) {
			continue
		}
		errs.Add(name, "api: %s has the control character %U at byte %d: %w", name, r, i, capacity.ErrInvalid)
		return
	}
}
