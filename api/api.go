package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/gps"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
	"github.com/opendispatch/dispatch/zones"
)

// Shift is the contract's TechnicianShift.
type Shift struct {
	ID           int64  `json:"id"`
	TechnicianID int64  `json:"technicianId"`
	ShiftType    string `json:"shiftType"`
	Title        string `json:"title"`
	Note         string `json:"note"`
	Start        string `json:"start"`
	End          string `json:"end"`
	Active       bool   `json:"active"`
	ModifiedOn   string `json:"modifiedOn,omitempty"`
}

// Actor is the contract's assignedBy.
type Actor struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Assignment is the contract's AppointmentAssignment. UnassignedOn is left
// out while the technician is assigned: the contract marks it "nullable",
// a 3.0 keyword its 3.1 header no longer honours, and an absent optional
// field is valid under both readings.
type Assignment struct {
	ID               int64   `json:"id"`
	JobAppointmentID int64   `json:"jobAppointmentId"`
	TechnicianID     int64   `json:"technicianId"`
	AssignedBy       *Actor  `json:"assignedBy,omitempty"`
	AssignedOn       string  `json:"assignedOn"`
	UnassignedOn     *string `json:"unassignedOn,omitempty"`
	Status           string  `json:"status"`
	ModifiedOn       string  `json:"modifiedOn"`
}

// Zone is the contract's zone.
type Zone struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Zips   []string `json:"zips"`
	Cities []string `json:"cities"`
	Active bool     `json:"active"`
}

// Ping is the contract's GPS ping.
type Ping struct {
	Latitude    float64 `json:"latitude"`
	Longitude   float64 `json:"longitude"`
	Speed       float64 `json:"speed"`
	Heading     float64 `json:"heading"`
	UTCDateTime string  `json:"utcDateTime"`
}

// List is a response holding only data.
type List[T any] struct {
	Data []T `json:"data"`
}

// Service answers the contract's operations over one tenant. It is safe
// for concurrent use (the tenant's engine and stores are).
type Service struct {
	T *tenant.Tenant
}

func (s Service) loc() *time.Location { return s.T.Engine.Location() }

// local formats t in RFC 3339 in the tenant's offset; the zero time (an
// absent optional instant) is "".
func (s Service) local(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.loc()).Format(time.RFC3339)
}

// ShiftOf converts a shift to the wire form.
func (s Service) ShiftOf(sh shifts.Shift) Shift {
	return Shift{ID: sh.ID, TechnicianID: sh.TechnicianID, ShiftType: sh.Type.String(), Title: sh.Title, Note: sh.Note,
		Start: s.local(sh.Start), End: s.local(sh.End), Active: sh.IsActive(), ModifiedOn: s.local(sh.ModifiedOn)}
}

// AssignmentOf converts an assignment record to the wire form.
func (s Service) AssignmentOf(a capacity.Assignment) Assignment {
	out := Assignment{ID: a.ID, JobAppointmentID: a.AppointmentID, TechnicianID: a.TechnicianID,
		AssignedOn: s.local(a.AssignedOn), Status: a.Status.String(), ModifiedOn: s.local(a.ModifiedOn)}
	if out.ModifiedOn == "" {
		out.ModifiedOn = out.AssignedOn
	}
	if a.AssignedBy != nil {
		out.AssignedBy = &Actor{ID: a.AssignedBy.ID, Name: a.AssignedBy.Name}
	}
	if !a.UnassignedOn.IsZero() {
		u := s.local(a.UnassignedOn)
		out.UnassignedOn = &u
	}
	return out
}

// queryErrors collects query-parameter problems.
type queryErrors struct{ validate.Errors }

// get returns the single value of parameter name ("" when absent); a
// parameter given more than once is an error, since which one counts
// would be a guess.
func (q *queryErrors) get(v url.Values, name string) string {
	switch vs := v[name]; len(vs) {
	case 0:
		return ""
	case 1:
		if vs[0] == "" { // "?pageSize=": a value was meant, and is missing
			q.Add(name, "api: query parameter %s is empty: give a value or leave the parameter out: %w", name, capacity.ErrInvalid)
		}
		return vs[0]
	default:
		q.Add(name, "api: query parameter %s given %d times; give it once: %w", name, len(vs), capacity.ErrInvalid)
		return ""
	}
}

// id reads the optional id filter name ("technicianId=101"): a positive
// decimal integer without a sign, nil when absent. Zero, a negative
// number or anything else is a problem at name: ids are positive, so a
// filter on a non-positive one could only ever answer nothing. Every id
// filter of every list reads its parameter here.
func (q *queryErrors) id(v url.Values, name string) *int64 {
	s := q.get(v, name)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || s[0] == '+' {
		q.Add(name, "api: %s %s is not a positive integer: %w", name, quote(s), capacity.ErrInvalid)
		return nil
	}
	return &n
}

// optTime returns the date-time bound of parameter name, or the zero
// time when it is absent or bad (reported). up says which way a fraction
// of a second rounds (see [hours.ParseBound]).
func (q *queryErrors) optTime(v url.Values, name string, up bool) time.Time {
	s := q.get(v, name)
	if s == "" {
		return time.Time{}
	}
	t, ok := q.instant(name, s, up)
	if !ok {
		return time.Time{}
	}
	return t
}

// instant parses the date-time bound s of field name with
// [hours.ParseBound] (RFC 3339, years 1900–2199; a fraction of a second
// rounded up or down as up says).
func (q *queryErrors) instant(name, s string, up bool) (time.Time, bool) {
	t, err := hours.ParseBound(s, up)
	if err != nil {
		hint := ""
		if n := len(s); n >= 6 && s[n-6] == ' ' && errors.Is(err, hours.ErrNotRFC3339) {
			// Form encoding reads "+" as a space: the offset's sign was
			// sent unescaped.
			hint = ` (a "+" in a query reads as a space: send the offset's + as %2B)`
		}
		q.Add(name, "api: %v%s: %w", err, hint, capacity.ErrInvalid)
		return time.Time{}, false
	}
	return t, true
}

// unknown reports the parameters not in known, in name order.
func (q *queryErrors) unknown(v url.Values, known ...string) {
	var names []string
	for name := range v {
		if !slices.Contains(known, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		q.Add(name, "api: unknown query parameter %s: %w", quote(name), capacity.ErrInvalid)
	}
}

// quote quotes s for a message, cut to 64 bytes so that a huge input
// does not make a huge message.
func quote(s string) string {
	if len(s) > 64 {
		s = strings.ToValidUTF8(s[:64], "") + "…"
	}
	return strconv.Quote(s)
}

func (q *queryErrors) page(v url.Values) paging.Query {
	p, err := paging.Parse(q.get(v, "page"), q.get(v, "pageSize"))
	if err != nil {
		q.AddErr("", err)
	}
	return p
}

// ListShifts answers GET /technician-shifts.
func (s Service) ListShifts(v url.Values) (paging.Page[Shift], error) {
	var q queryErrors
	q.unknown(v, "page", "pageSize", "startsOnOrAfter", "endsOnOrBefore")
	lq := shifts.ListQuery{Query: q.page(v), StartsOnOrAfter: q.optTime(v, "startsOnOrAfter", true), EndsOnOrBefore: q.optTime(v, "endsOnOrBefore", false)}
	if !lq.StartsOnOrAfter.IsZero() && !lq.EndsOnOrBefore.IsZero() && !lq.EndsOnOrBefore.After(lq.StartsOnOrAfter) {
		// No shift, whose length is positive, could meet both: a mistake,
		// said as the command line says it, rather than an empty page.
		q.Add("endsOnOrBefore", "api: endsOnOrBefore %s is not after startsOnOrAfter %s: %w", v.Get("endsOnOrBefore"), v.Get("startsOnOrAfter"), capacity.ErrInvalid)
	}
	if err := q.Err(); err != nil {
		return paging.Page[Shift]{}, err
	}
	p, err := s.T.Engine.Shifts().List(lq)
	if err != nil {
		return paging.Page[Shift]{}, err
	}
	return mapPage(p, s.ShiftOf), nil
}

func mapPage[A, B any](p paging.Page[A], f func(A) B) paging.Page[B] {
	out := paging.Page[B]{Page: p.Page, PageSize: p.PageSize, HasMore: p.HasMore, TotalCount: p.TotalCount, Data: make([]B, len(p.Data))}
	for i, x := range p.Data {
		out.Data[i] = f(x)
	}
	return out
}

// ListAssignments answers GET /appointment-assignments.
func (s Service) ListAssignments(v url.Values) (paging.Page[Assignment], error) {
	var q queryErrors
	q.unknown(v, "page", "pageSize", "modifiedOnOrAfter", "technicianId")
	aq := capacity.AssignmentQuery{Query: q.page(v), ModifiedOnOrAfter: q.optTime(v, "modifiedOnOrAfter", true), TechnicianID: q.id(v, "technicianId")}
	if err := q.Err(); err != nil {
		return paging.Page[Assignment]{}, err
	}
	p, err := s.T.Engine.Assignments(aq)
	if err != nil {
		return paging.Page[Assignment]{}, err
	}
	return mapPage(p, s.AssignmentOf), nil
}

// decode decodes a JSON body strictly into dst with [validate.Unmarshal]:
// exact key case, no unknown members, no duplicate keys, nothing after
// the value. Problems name their JSON path.
//
// A member given as null is a problem at its name unless it is one of
// nullable: no request schema of the contract marks a member nullable, and
// reading null as absent made {"name": null} a silent no-op. The one
// documented extension is the technician's "home": null, which removes
// the home.
func decode(body []byte, dst any, nullable ...string) error {
	if err := validate.Unmarshal(body, dst); err != nil {
		var list validate.Errors
		errors.As(err, &list)
		for _, e := range list {
			e.Msg = "api: " + e.Msg
		}
		return err
	}
	var errs validate.Errors
	for _, name := range validate.Nulls(body) {
		if !slices.Contains(nullable, name) {
			errs.Add(name, "api: %s is null: give a value or leave the member out: %w", name, capacity.ErrInvalid)
		}
	}
	return errs.Err()
}

// AssignRequest is the body of assign-technicians and unassign-technicians.
type AssignRequest struct {
	JobAppointmentID *int64  `json:"jobAppointmentId,omitempty"`
	TechnicianIDs    []int64 `json:"technicianIds,omitzero"`
}

// ParseAssign decodes and checks an assign or unassign body.
func ParseAssign(body []byte) (appointment int64, techs []int64, err error) {
	var r AssignRequest
	if err := decode(body, &r); err != nil {
		return 0, nil, err
	}
	var errs validate.Errors
	if r.JobAppointmentID == nil {
		errs.Add("jobAppointmentId", "api: jobAppointmentId is required: %w", capacity.ErrInvalid)
	}
	if r.TechnicianIDs == nil {
		errs.Add("technicianIds", "api: technicianIds is required: %w", capacity.ErrInvalid)
	}
	// Ids are positive, as in paths, query filters and every other body:
	// 0 or a negative one is bad input, not an unknown record (404).
	if r.JobAppointmentID != nil && *r.JobAppointmentID <= 0 {
		errs.Add("jobAppointmentId", "api: jobAppointmentId %d must be positive: %w", *r.JobAppointmentID, capacity.ErrInvalid)
	}
	for i, id := range r.TechnicianIDs {
		if id <= 0 {
			errs.Add(validate.Index("technicianIds", i), "api: technician id %d must be positive: %w", id, capacity.ErrInvalid)
		}
	}
	if len(errs) > 0 {
		return 0, nil, errs
	}
	return *r.JobAppointmentID, r.TechnicianIDs, nil
}

// Assign answers POST /appointment-assignments/assign-technicians: the
// appointment's assignment records, and what is wrong with the
// assignment (see [capacity.Engine.Assign]; nil when nothing is), which
// does not stop it. The contract's response body has no place for the
// warnings: the HTTP server sends them as Dispatch-Warning headers, the
// command line on stderr.
func (s Service) Assign(body []byte, by *capacity.Actor) ([]Assignment, []Warning, error) {
	appt, techs, err := ParseAssign(body)
	if err != nil {
		return nil, nil, err
	}
	recs, ws, err := s.T.Engine.Assign(appt, techs, by)
	return s.assignments(recs), Warnings(ws), err
}

// Unassign answers POST /appointment-assignments/unassign-technicians.
func (s Service) Unassign(body []byte, by *capacity.Actor) ([]Assignment, error) {
	appt, techs, err := ParseAssign(body)
	if err != nil {
		return nil, err
	}
	recs, err := s.T.Engine.Unassign(appt, techs, by)
	return s.assignments(recs), err
}

func (s Service) assignments(recs []capacity.Assignment) []Assignment {
	out := make([]Assignment, len(recs))
	for i, r := range recs {
		out[i] = s.AssignmentOf(r)
	}
	return out
}

// CreateShiftRequest is the body of POST /technician-shifts.
type CreateShiftRequest struct {
	TechnicianIDs []int64 `json:"technicianIds,omitzero"`
	ShiftType     *string `json:"shiftType,omitempty"`
	Title         *string `json:"title,omitempty"`
	Note          string  `json:"note,omitempty"`
	Start         *string `json:"start,omitempty"`
	End           *string `json:"end,omitempty"`
}

// ParseCreateShift decodes and checks a shift creation body.
func ParseCreateShift(body []byte) (shifts.CreateRequest, error) {
	var r CreateShiftRequest
	if err := decode(body, &r); err != nil {
		return shifts.CreateRequest{}, err
	}
	var errs validate.Errors
	var out shifts.CreateRequest
	out.TechnicianIDs = r.TechnicianIDs
	if r.TechnicianIDs == nil {
		errs.Add("technicianIds", "api: technicianIds is required: %w", capacity.ErrInvalid)
	}
	if r.ShiftType == nil {
		errs.Add("shiftType", "api: shiftType is required: %w", capacity.ErrInvalid)
	} else if t, err := shifts.ParseType(*r.ShiftType); err != nil {
		errs.Add("shiftType", "%v: %w", err, capacity.ErrInvalid)
	} else {
		out.Type = t
	}
	if r.Title == nil {
		errs.Add("title", "api: title is required: %w", capacity.ErrInvalid)
	} else {
		out.Title = *r.Title
		checkText(&errs, "title", out.Title, true)
	}
	out.Note = r.Note
	checkText(&errs, "note", out.Note, false)
	for _, f := range []struct {
		name string
		v    *string
		dst  *time.Time
	}{{"start", r.Start, &out.Start}, {"end", r.End, &out.End}} {
		if f.v == nil {
			errs.Add(f.name, "api: %s is required: %w", f.name, capacity.ErrInvalid)
			continue
		}
		t, err := hours.ParseInstant(*f.v)
		if err != nil {
			errs.Add(f.name, "api: %v: %w", err, capacity.ErrInvalid)
			continue
		}
		*f.dst = t
	}
	return out, errs.Err()
}

// CreateShifts answers POST /technician-shifts: one shift per technician.
func (s Service) CreateShifts(body []byte) ([]Shift, error) {
	req, err := ParseCreateShift(body)
	if err != nil {
		return nil, err
	}
	created, err := s.T.Engine.CreateShifts(req)
	if err != nil {
		return nil, err
	}
	out := make([]Shift, len(created))
	for i, sh := range created {
		out[i] = s.ShiftOf(sh)
	}
	return out, nil
}

// Capacity answers POST /capacity with the response's JSON.
func (s Service) Capacity(body []byte) ([]byte, error) {
	req, err := capacity.ParseRequest(body)
	if err != nil {
		return nil, err
	}
	resp, err := s.T.Engine.Capacity(req)
	if err != nil {
		return nil, err
	}
	return resp.MarshalJSON()
}

// Zones answers GET /zones.
func (s Service) Zones() List[Zone] {
	out := List[Zone]{Data: []Zone{}}
	if dir := s.T.Engine.Zones(); dir != nil {
		for _, z := range dir.Zones() {
			out.Data = append(out.Data, zoneOf(z))
		}
	}
	return out
}

func zoneOf(z zones.Zone) Zone {
	return Zone{ID: z.ID, Name: z.Name, Zips: nonNil(z.Zips), Cities: nonNil(z.Cities), Active: z.IsActive()}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// BusinessHours answers GET /business-hours: the weekly schedule in
// weekday order, Sunday first, closed days left out.
func (s Service) BusinessHours() hours.BusinessHours {
	rules := s.T.Engine.Schedule().Rules()
	out := hours.BusinessHours{Weekdays: []hours.WeekdayHours{}}
	for d := time.Sunday; d <= time.Saturday; d++ {
		for _, wd := range rules.BusinessHours.Weekdays {
			if wd.Weekday == d.String() {
				out.Weekdays = append(out.Weekdays, hours.WeekdayHours{Weekday: wd.Weekday, TimeSlots: nonNil(wd.TimeSlots)})
			}
		}
	}
	return out
}

// GPS answers GET /gps-pings.
func (s Service) GPS(v url.Values) (List[Ping], error) {
	var q queryErrors
	q.unknown(v, "technicianId", "fromUtc", "toUtc")
	var gq gps.Query
	required := func(name string) string {
		s := q.get(v, name)
		if s == "" && len(v[name]) < 2 {
			q.Add(name, "api: %s is required: %w", name, capacity.ErrInvalid)
		}
		return s
	}
	if required("technicianId") != "" {
		if id := q.id(v, "technicianId"); id != nil {
			gq.TechnicianID = *id
		}
	}
	// Pings are those with fromUtc <= time < toUtc: both bounds round a
	// fraction of a second up, and the order is checked on the whole
	// seconds, as the command line's gps --from/--to do.
	var ok [2]bool
	for i, f := range []struct {
		name string
		dst  *int64
	}{{"fromUtc", &gq.From}, {"toUtc", &gq.To}} {
		if s := required(f.name); s != "" {
			var t time.Time
			t, ok[i] = q.instant(f.name, s, true)
			*f.dst = t.Unix()
		}
	}
	if ok[0] && ok[1] && gq.To <= gq.From {
		q.Add("toUtc", "api: toUtc %s is not after fromUtc %s: %w", v.Get("toUtc"), v.Get("fromUtc"), capacity.ErrInvalid)
	}
	if err := q.Err(); err != nil {
		return List[Ping]{}, err
	}
	if _, ok := s.T.Engine.Technician(gq.TechnicianID); !ok {
		return List[Ping]{}, validate.Errors{{Path: "technicianId", Msg: fmt.Sprintf("api: unknown technician %d", gq.TechnicianID), Err: capacity.ErrNotFound}}
	}
	out := List[Ping]{Data: []Ping{}}
	for _, p := range s.T.GPS.Range(gq.TechnicianID, gq.From, gq.To) {
		out.Data = append(out.Data, Ping{Latitude: p.Latitude, Longitude: p.Longitude, Speed: p.Speed, Heading: p.Heading,
			UTCDateTime: time.Unix(p.Time, 0).UTC().Format(time.RFC3339)})
	}
	return out, nil
}

// Status maps an error from this package onto an HTTP status: 404 for
// unknown ids, 409 for conflicts, 400 for any other bad input, 500 for the
// rest.
func Status(err error) int {
	var list validate.Errors
	var one *validate.Error
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, capacity.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, capacity.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, capacity.ErrInvalid), errors.Is(err, paging.ErrBadPage), errors.Is(err, shifts.ErrInvalid),
		errors.As(err, &list), errors.As(err, &one):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// Problem is one field-level message of an error: the field's path ("$"
// for the body as a whole, as ASP.NET-style problem documents have it)
// and what is wrong there, without the path prefix.
type Problem struct {
	Field, Message string
}

// Problems returns the field-level messages of err in the order they were
// found: the elements of a validate.Errors, a single *validate.Error, or
// err's text under "$".
func Problems(err error) []Problem {
	if err == nil {
		return nil
	}
	var list validate.Errors
	if errors.As(err, &list) {
		out := make([]Problem, len(list))
		for i, e := range list {
			out[i] = Problem{key(e.Path), e.Msg}
		}
		return out
	}
	var one *validate.Error
	if errors.As(err, &one) {
		return []Problem{{key(one.Path), one.Msg}}
	}
	return []Problem{{"$", err.Error()}}
}

// Found returns the number of problems err reports: those [Problems]
// lists, and those a [validate.Errors] found past [validate.MaxProblems]
// in place of the one problem that counts them.
func Found(err error) int {
	if err == nil {
		return 0
	}
	var list validate.Errors
	switch {
	case errors.As(err, &list) && list.Unlisted() > 0:
		return len(list) - 1 + list.Unlisted()
	case errors.As(err, &list):
		return len(list)
	}
	return 1 // as Problems: one problem
}

// Fields returns the field-level messages of err keyed by field path, as
// a problem document's "errors" member holds them (see [Problems]).
func Fields(err error) map[string][]string {
	out := map[string][]string{}
	for _, p := range Problems(err) {
		out[p.Field] = append(out[p.Field], p.Message)
	}
	return out
}

func key(path string) string {
	if path == "" {
		return "$"
	}
	return path
}
