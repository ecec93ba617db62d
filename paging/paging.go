package paging

import (
	"errors"
	"fmt"

	"github.com/opendispatch/dispatch/validate"
)

// DefaultSize and MaxSize bound page sizes. A size above MaxSize is an
// error, not a silent clamp.
const (
	DefaultSize = 50
	MaxSize     = 500
)

// ErrBadPage is wrapped by every error [Query.Normalize] returns.
var ErrBadPage = errors.New("bad page")

// Query selects one page. Zero fields take their defaults: page 1, size
// DefaultSize.
type Query struct {
	Page     int
	PageSize int
}

// Normalize fills in defaults and checks bounds. The error is a
// *validate.Error naming the field ("pageSize: 501 is above the maximum
// 500") and wrapping [ErrBadPage].
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
	return q, nil
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
// the list's stable order; q must be normalized. Data is never nil, so it
// encodes as [] rather than null.
func Slice[T any](items []T, q Query) Page[T] {
	start := min((q.Page-1)*q.PageSize, len(items))
	end := min(start+q.PageSize, len(items))
	return Page[T]{
		Page:       q.Page,
		PageSize:   q.PageSize,
		HasMore:    end < len(items),
		TotalCount: len(items),
		Data:       append(make([]T, 0, end-start), items[start:end]...),
	}
}
