package paging

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/opendispatch/dispatch/validate"
)

// DefaultSize and MaxSize bound page sizes. A size above MaxSize is an
// error, not a silent clamp.
const (
	DefaultSize = 50
	MaxSize     = 500
)

// ErrBadPage is wrapped by every error [Query.Normalize] and [Parse]
// return.
var ErrBadPage = errors.New("bad page")

// Query selects one page. Zero fields take their defaults: page 1, size
// DefaultSize. (The zero value is for callers in Go; [Parse], which reads
// the contract's query parameters, refuses an explicit 0.)
type Query struct {
	Page     int
	PageSize int
}

// Offset returns the index of the page's first item, (Page-1)·PageSize,
// and false when that does not fit in an int. q must be normalized.
func (q Query) Offset() (int, bool) {
	if q.Page < 1 || q.PageSize < 1 || q.Page-1 > maxInt/q.PageSize {
		return 0, false
	}
	return (q.Page - 1) * q.PageSize, true
}

const maxInt = int(^uint(0) >> 1)

// Normalize fills in defaults and checks bounds: Page ≥ 1, PageSize 1 to
// MaxSize, and an offset (Page-1)·PageSize that fits in an int. The error
// is a *validate.Error naming the field ("pageSize: 501 is above the
// maximum 500") and wrapping [ErrBadPage].
func (q Query) Normalize() (Query, error) {
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultSize
	}
	switch {
	case q.Page < 1:
		return q, &validate.Error{Path: "page", Msg: fmt.Sprintf("%d must be at least 1", q.Page), Err: ErrBadPage}
	case q.PageSize < 1:
		return q, &validate.Error{Path: "pageSize", Msg: fmt.Sprintf("%d must be at least 1", q.PageSize), Err: ErrBadPage}
	case q.PageSize > MaxSize:
		return q, &validate.Error{Path: "pageSize", Msg: fmt.Sprintf("%d is above the maximum %d", q.PageSize, MaxSize), Err: ErrBadPage}
	}
	if _, ok := q.Offset(); !ok {
		return q, &validate.Error{Path: "page", Msg: fmt.Sprintf("%d is too large: (page-1)×pageSize with pageSize %d is above %d", q.Page, q.PageSize, maxInt), Err: ErrBadPage}
	}
	return q, nil
}

// Parse reads the contract's page and pageSize query parameters as
// given: an empty string is absent and takes the default, anything else
// must be a decimal integer without a "+" sign, with page ≥ 1 and pageSize 1 to MaxSize, and
// the page's offset must fit in an int. Zero is refused, not defaulted.
// The error is a validate.Errors naming each bad parameter and wrapping
// [ErrBadPage]; the Query returned is normalized when the error is nil.
func Parse(page, pageSize string) (Query, error) {
	var errs validate.Errors
	var q Query
	read := func(name, s string, min int, dst *int) {
		if s == "" {
			return
		}
		n, err := strconv.Atoi(s)
		var ne *strconv.NumError
		switch {
		case s[0] == '+': // Atoi takes "+1"; the contract's integers have no sign
			errs.Add(name, "paging: %s %s is not an integer: %w", name, quote(s), ErrBadPage)
		case errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange):
			if s[0] == '-' {
				errs.Add(name, "paging: %s %s must be at least %d: %w", name, quote(s), min, ErrBadPage)
			} else {
				errs.Add(name, "paging: %s %s is too large: %w", name, quote(s), ErrBadPage)
			}
		case err != nil:
			errs.Add(name, "paging: %s %s is not an integer: %w", name, quote(s), ErrBadPage)
		case n < min:
			errs.Add(name, "paging: %s %d must be at least %d: %w", name, n, min, ErrBadPage)
		default:
			*dst = n
		}
	}
	read("page", page, 1, &q.Page)
	read("pageSize", pageSize, 1, &q.PageSize)
	if q.PageSize > MaxSize {
		errs.Add("pageSize", "paging: pageSize %d is above the maximum %d: %w", q.PageSize, MaxSize, ErrBadPage)
	}
	if len(errs) > 0 {
		return Query{}, errs
	}
	q, err := q.Normalize()
	if err != nil {
		var e *validate.Error
		errors.As(err, &e)
		errs.Add(e.Path, "paging: %s %s: %w", e.Path, e.Msg, ErrBadPage)
		return Query{}, errs
	}
	return q, nil
}

// quote quotes s for a message, cut to 40 bytes.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// Page is one page of a list, in the contract's JSON shape.
type Page[T any] struct {
	Page       int  `json:"page"`
	PageSize   int  `json:"pageSize"`
	HasMore    bool `json:"hasMore"`
	TotalCount int  `json:"totalCount"`
	Data       []T  `json:"data"`
}

// Slice returns the page of items that q selects. items must already be in
// the list's stable order. Zero fields of q take their defaults. Data is
// never nil, so it encodes as [] rather than null. A page past the end,
// however far (its offset need not fit in an int), is empty: Slice never
// overflows.
//
// Slice panics if q.Page or q.PageSize is negative, a programmer error
// that [Query.Normalize] reports as a data error: normalize q first.
func Slice[T any](items []T, q Query) Page[T] {
	if q.Page < 0 || q.PageSize < 0 {
		panic(fmt.Sprintf("paging: Slice of an unchecked query %+v", q))
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultSize
	}
	start := len(items)
	if q.Page-1 <= len(items)/q.PageSize { // (Page-1)·PageSize ≤ len(items)+PageSize: no overflow
		start = min((q.Page-1)*q.PageSize, len(items))
	}
	end := start + min(q.PageSize, len(items)-start)
	return Page[T]{
		Page:       q.Page,
		PageSize:   q.PageSize,
		HasMore:    end < len(items),
		TotalCount: len(items),
		Data:       append(make([]T, 0, end-start), items[start:end]...),
	}
}
