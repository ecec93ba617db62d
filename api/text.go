package api

import (
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/validate"
)

// MaxText is the most characters (Unicode code points) a free-text field
// of a request may hold: names, titles, notes, reasons, skills, zips. The
// contract gives no maxLength; the bound is the library's and the tenant
// file's, [validate.MaxText].
const MaxText = validate.MaxText

// checkText reports a free-text field over [MaxText] characters, and a
// control character in it, as [validate.CheckText] does: single-line
// fields (names, titles, skills, zips) allow none but tab; multi-line ones
// (notes, reasons) allow tab, line feed and carriage return too.
func checkText(errs *validate.Errors, name, s string, singleLine bool) {
	validate.CheckText(errs, name, s, singleLine, capacity.ErrInvalid)
}
