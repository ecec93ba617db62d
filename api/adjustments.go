package api

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
)

// Capacity adjustments (DESIGN §4a item 10) are an extension beside the
// contract: list, create and delete under the tenant's routes, in the
// tenant file's shape.

// Adjustment is a capacity adjustment on the wire: the tenant file's
// record (date "YYYY-MM-DD", from and to "HH:MM" on the tenant's wall
// clock, createdOn RFC 3339 in the tenant's offset).
type Adjustment = tenant.Adjustment

// AdjustmentRequest is the body of POST /capacity-adjustments. Date, from,
// to, minutes and reason are required; at most one of businessUnitId and
// businessUnitGroupId. ID is optional: without it the next free id is
// taken. The author and the time come from who asks and the clock, never
// from the body.
type AdjustmentRequest struct {
	ID                  *int64  `json:"id,omitempty"`
	Date                *string `json:"date,omitempty"`
	From                *string `json:"from,omitempty"`
	To                  *string `json:"to,omitempty"`
	BusinessUnitID      *int64  `json:"businessUnitId,omitempty"`
	BusinessUnitGroupID *int64  `json:"businessUnitGroupId,omitempty"`
	Minutes             *int    `json:"minutes,omitempty"`
	Reason              *string `json:"reason,omitempty"`
}

// ParseAdjustment decodes an adjustment creation body strictly and checks
// its fields on their own, every problem with its field. References to the
// tenant (units, groups, the date's windows) are checked by
// [Service.CreateAdjustment].
func ParseAdjustment(body []byte) (capacity.Adjustment, error) {
	var r AdjustmentRequest
	if err := decode(body, &r); err != nil {
		return capacity.Adjustment{}, err
	}
	var errs validate.Errors
	var a capacity.Adjustment
	required := func(name string, present bool) bool {
		if !present {
			errs.Add(name, "api: %s is required: %w", name, capacity.ErrInvalid)
		}
		return present
	}
	if r.ID != nil {
		if *r.ID <= 0 {
			errs.Add("id", "api: id %d must be positive: %w", *r.ID, capacity.ErrInvalid)
		}
		a.ID = *r.ID
	}
	if required("date", r.Date != nil) {
		d, err := hours.ParseDate(*r.Date)
		if err != nil {
			errs.Add("date", "api: %v: %w", err, capacity.ErrInvalid)
		}
		a.Date = d
	}
	for _, c := range []struct {
		name string
		v    *string
		dst  *hours.Clock
	}{{"from", r.From, &a.From}, {"to", r.To, &a.To}} {
		if required(c.name, c.v != nil) {
			clock, err := hours.ParseClock(*c.v)
			if err != nil {
				errs.Add(c.name, "api: %v: %w", err, capacity.ErrInvalid)
			}
			*c.dst = clock
		}
	}
	if r.BusinessUnitID != nil {
		a.BusinessUnitID = *r.BusinessUnitID
	}
	if r.BusinessUnitGroupID != nil {
		a.BusinessUnitGroupID = *r.BusinessUnitGroupID
	}
	if required("minutes", r.Minutes != nil) {
		if a.Minutes = *r.Minutes; a.Minutes == 0 {
			errs.Add("minutes", "api: 0 minutes changes nothing; give minutes to add (positive) or hold back (negative): %w", capacity.ErrInvalid)
		}
	}
	if required("reason", r.Reason != nil) {
		if a.Reason = *r.Reason; strings.TrimSpace(a.Reason) == "" {
			errs.Add("reason", "api: a reason is required: say why capacity changes, for whoever reads the board next: %w", capacity.ErrInvalid)
		}
		checkText(&errs, "reason", a.Reason, false)
	}
	return a, errs.Err()
}

// NumberAdjustment returns an adjustment creation body with "id" set to
// the next free id when it has none, and the body as it is otherwise, so
// that a journal replays the very adjustment that was created (the same
// id, whatever else the tenant file holds by then). A body that does not
// decode is returned with the decoding problems.
//
// It also refuses a businessUnitId or businessUnitGroupId of 0 or below,
// which [ParseAdjustment] reads as none: a 0 sent for a unit made an
// adjustment for every request. The check is here, where a live request
// passes, and not in ParseAdjustment, so that a journal that recorded
// such an adjustment before still replays it as it was made.
func (s Service) NumberAdjustment(body []byte) ([]byte, error) {
	var r AdjustmentRequest
	if err := decode(body, &r); err != nil {
		return nil, err
	}
	var errs validate.Errors
	for _, c := range []struct {
		name string
		id   *int64
	}{{"businessUnitId", r.BusinessUnitID}, {"businessUnitGroupId", r.BusinessUnitGroupID}} {
		if c.id != nil && *c.id <= 0 {
			errs.Add(c.name, "api: %s %d must be positive (leave it out for an adjustment of every request): %w", c.name, *c.id, capacity.ErrInvalid)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if r.ID != nil {
		return body, nil
	}
	next := int64(1)
	for _, a := range s.T.Engine.Adjustments() {
		next = max(next, a.ID+1)
	}
	r.ID = &next
	return json.Marshal(r)
}

// CreateAdjustment answers POST /capacity-adjustments: it adds the
// adjustment of body, authored by by and stamped with the engine's clock,
// and returns it. Bad fields, unknown units or groups, and a date and
// window that are no window of that date (the message names the date's
// windows) are bad input; an id in use is a conflict.
func (s Service) CreateAdjustment(body []byte, by *capacity.Actor) (Adjustment, error) {
	a, err := ParseAdjustment(body)
	if err != nil {
		return Adjustment{}, err
	}
	if a.ID == 0 {
		// The next free id; the HTTP server numbers bodies before they
		// reach here (NumberAdjustment), so that its journal keeps the id.
		for _, x := range s.T.Engine.Adjustments() {
			a.ID = max(a.ID, x.ID)
		}
		a.ID++
	}
	a.CreatedBy = by
	if err := s.T.Engine.AddAdjustment(a); err != nil {
		return Adjustment{}, s.windowProblem(a, err)
	}
	for _, x := range s.T.Engine.Adjustments() {
		if x.ID == a.ID {
			return tenant.AdjustmentOf(x, s.loc()), nil
		}
	}
	return Adjustment{}, fmt.Errorf("api: adjustment %d was added but is not there", a.ID)
}

// windowProblem returns the engine's error for adjustment a with its
// problem of the window, when a's date and from–to are no window of that
// date, said with the date's windows (the engine says only that there is
// none): "from: api: adjustment 4: no window 09:00–11:00 on 2027-03-09
// (Tuesday); its windows are 08:00–10:00, ...".
func (s Service) windowProblem(a capacity.Adjustment, err error) error {
	var list validate.Errors
	if a.From < hours.Midnight || a.From >= a.To || a.To > hours.EndOfDay || !errors.As(err, &list) {
		return err
	}
	werr := tenant.CheckWindow(s.T.Engine.Schedule(), a)
	if werr == nil {
		return err
	}
	out := slices.DeleteFunc(slices.Clone(list), func(e *validate.Error) bool { return e.Path == "from" })
	msg := strings.Replace(strings.TrimSuffix(werr.Error(), ": "+capacity.ErrInvalid.Error()), "tenant: ", "api: ", 1)
	return append(out, &validate.Error{Path: "from", Msg: msg, Err: capacity.ErrInvalid})
}

// RemoveAdjustment answers DELETE /capacity-adjustments/{id}: it removes
// the adjustment and returns it. An id that is not a positive integer is
// bad input; an unknown one is not found.
func (s Service) RemoveAdjustment(id string) (Adjustment, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return Adjustment{}, validate.Errors{{Path: "id", Msg: fmt.Sprintf("api: adjustment id %s is not a positive integer", quote(id)), Err: capacity.ErrInvalid}}
	}
	a, err := s.T.Engine.RemoveAdjustment(n)
	if err != nil {
		return Adjustment{}, err
	}
	return tenant.AdjustmentOf(a, s.loc()), nil
}

// ListAdjustments answers GET /capacity-adjustments: the adjustments in
// (date, from, to, id) order — the order a planner reads a calendar in —
// paged like the contract's lists, optionally only those on local dates
// in [from, to) ("YYYY-MM-DD") and those that name businessUnitId or
// businessUnitGroupId.
func (s Service) ListAdjustments(v url.Values) (paging.Page[Adjustment], error) {
	var q queryErrors
	q.unknown(v, "page", "pageSize", "from", "to", "businessUnitId", "businessUnitGroupId")
	pq := q.page(v)
	from, to := q.date(v, "from"), q.date(v, "to")
	unit, group := q.id(v, "businessUnitId"), q.id(v, "businessUnitGroupId")
	if from != nil && to != nil && *to <= *from {
		q.Add("to", "api: to %s is not after from %s: %w", *to, *from, capacity.ErrInvalid)
	}
	if unit != nil && group != nil {
		// An adjustment names a unit, a group or neither: the two
		// filters together would list nothing, always.
		q.Add("businessUnitGroupId", "api: businessUnitId and businessUnitGroupId together select nothing (an adjustment names one or neither): give one: %w", capacity.ErrInvalid)
	}
	if err := q.Err(); err != nil {
		return paging.Page[Adjustment]{}, err
	}
	var list []capacity.Adjustment
	for _, a := range s.T.Engine.Adjustments() {
		switch {
		case from != nil && a.Date < *from, to != nil && a.Date >= *to,
			unit != nil && a.BusinessUnitID != *unit, group != nil && a.BusinessUnitGroupID != *group:
			continue
		}
		list = append(list, a)
	}
	SortAdjustments(list)
	out := make([]Adjustment, len(list))
	for i, a := range list {
		out[i] = tenant.AdjustmentOf(a, s.loc())
	}
	return paging.Slice(out, pq), nil
}

// SortAdjustments orders adjustments by (date, from, to, id).
func SortAdjustments(list []capacity.Adjustment) {
	slices.SortFunc(list, func(a, b capacity.Adjustment) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.ID, b.ID))
	})
}

// date reads an optional local date parameter.
func (q *queryErrors) date(v url.Values, name string) *hours.Date {
	s := q.get(v, name)
	if s == "" {
		return nil
	}
	d, err := hours.ParseDate(s)
	if err != nil {
		q.Add(name, "api: %v: %w", err, capacity.ErrInvalid)
		return nil
	}
	return &d
}
