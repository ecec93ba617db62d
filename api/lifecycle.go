package api

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// This file holds the lifecycle extension operations: appointments
// created, rescheduled and canceled; shifts updated, deactivated,
// reactivated and deleted; technicians added, updated, deactivated and
// reactivated. They are not in the Dispatch API contract; api/openapi.yaml
// documents them as extensions (x-extension: true, tag "Lifecycle").

// Appointment is an appointment in the wire form of the lifecycle
// extension: times in RFC 3339 in the tenant's offset, the arrival window
// left out when there is none, and the technicians assigned now,
// ascending (empty, never null).
type Appointment struct {
	ID                 int64   `json:"id"`
	JobID              int64   `json:"jobId"`
	JobTypeID          int64   `json:"jobTypeId"`
	BusinessUnitID     int64   `json:"businessUnitId"`
	Start              string  `json:"start"`
	End                string  `json:"end"`
	ArrivalWindowStart string  `json:"arrivalWindowStart,omitempty"`
	ArrivalWindowEnd   string  `json:"arrivalWindowEnd,omitempty"`
	Zip                string  `json:"zip,omitempty"`
	Canceled           bool    `json:"canceled"`
	TechnicianIDs      []int64 `json:"technicianIds"`
}

// Point is a position in decimal degrees.
type Point struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Technician is a technician in the wire form of the lifecycle extension.
// Skills and zoneIds are never null; home is left out when unknown.
type Technician struct {
	ID             int64    `json:"id"`
	Name           string   `json:"name"`
	BusinessUnitID int64    `json:"businessUnitId"`
	Skills         []string `json:"skills"`
	ZoneIDs        []int64  `json:"zoneIds"`
	Active         bool     `json:"active"`
	Home           *Point   `json:"home,omitempty"`
}

// Warning is one thing wrong with one technician's assignment to an
// appointment (see [capacity.Warning]): the assignment was made all the
// same. Code is stable for clients to switch on; Message is English whose
// wording may change.
type Warning struct {
	TechnicianID       int64  `json:"technicianId"`
	Code               string `json:"code"`
	OtherAppointmentID int64  `json:"otherAppointmentId,omitempty"`
	Message            string `json:"message"`
}

// Warnings converts the engine's warnings to the wire form, in their
// order; nil for none.
func Warnings(ws []capacity.Warning) []Warning {
	if len(ws) == 0 {
		return nil
	}
	out := make([]Warning, len(ws))
	for i, w := range ws {
		out[i] = Warning{TechnicianID: w.TechnicianID, Code: string(w.Code), OtherAppointmentID: w.OtherAppointmentID, Message: w.Message}
	}
	return out
}

// Canceled is the answer to canceling an appointment: the appointment as
// stored now and the assignment records the cancellation made
// Unassigned, ascending by technician id (empty, never null).
type Canceled struct {
	Appointment Appointment  `json:"appointment"`
	Unassigned  []Assignment `json:"unassigned"`
}

// ParseID reads the id of a path such as /appointments/{id}: a positive
// decimal integer. A bad one is an [capacity.ErrInvalid] at "id".
func ParseID(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || s[0] == '+' {
		return 0, validate.Errors{{Path: "id", Msg: "api: id " + quote(s) + " is not a positive integer", Err: capacity.ErrInvalid}}
	}
	return n, nil
}

// AppointmentOf converts an appointment and its technicians to the wire
// form.
func (s Service) AppointmentOf(a capacity.Appointment, techs []int64) Appointment {
	return Appointment{ID: a.ID, JobID: a.JobID, JobTypeID: a.JobTypeID, BusinessUnitID: a.BusinessUnitID,
		Start: s.local(a.Start), End: s.local(a.End), ArrivalWindowStart: s.local(a.ArrivalWindowStart),
		ArrivalWindowEnd: s.local(a.ArrivalWindowEnd), Zip: a.Zip, Canceled: a.Canceled, TechnicianIDs: nonNil(slices.Clone(techs))}
}

// TechnicianOf converts a technician to the wire form.
func TechnicianOf(t capacity.Technician) Technician {
	out := Technician{ID: t.ID, Name: t.Name, BusinessUnitID: t.BusinessUnitID, Skills: nonNil(slices.Clone(t.Skills)),
		ZoneIDs: nonNil(slices.Clone(t.ZoneIDs)), Active: t.IsActive()}
	if t.Home != nil {
		out.Home = &Point{Latitude: t.Home.Latitude, Longitude: t.Home.Longitude}
	}
	return out
}

// GetAppointment answers GET /appointments/{id}.
func (s Service) GetAppointment(id int64) (Appointment, error) {
	a, techs, ok := s.T.Engine.Appointment(id)
	if !ok {
		return Appointment{}, validate.Errors{{Path: "id", Msg: "api: unknown appointment " + strconv.FormatInt(id, 10), Err: capacity.ErrNotFound}}
	}
	return s.AppointmentOf(a, techs), nil
}

// GetTechnician answers GET /technicians/{id}.
func (s Service) GetTechnician(id int64) (Technician, error) {
	t, ok := s.T.Engine.Technician(id)
	if !ok {
		return Technician{}, validate.Errors{{Path: "id", Msg: "api: unknown technician " + strconv.FormatInt(id, 10), Err: capacity.ErrNotFound}}
	}
	return TechnicianOf(t), nil
}

// times reads the date-times of a body: required ones must be present,
// optional ones may be absent (the zero time). Each is RFC 3339 read with
// [hours.ParseInstant]; problems go to errs at the field's name.
type timeField struct {
	name     string
	v        *string
	dst      *time.Time
	required bool
}

func readTimes(errs *validate.Errors, fields ...timeField) {
	for _, f := range fields {
		if f.v == nil {
			if f.required {
				errs.Add(f.name, "api: %s is required: %w", f.name, capacity.ErrInvalid)
			}
			continue
		}
		t, err := hours.ParseInstant(*f.v)
		if err != nil {
			errs.Add(f.name, "api: %v: %w", err, capacity.ErrInvalid)
			continue
		}
		*f.dst = t
	}
}

// window checks that an arrival window is given whole or not at all.
func window(errs *validate.Errors, start, end *string) {
	if (start == nil) != (end == nil) {
		name := "arrivalWindowEnd"
		if start == nil {
			name = "arrivalWindowStart"
		}
		errs.Add(name, "api: arrivalWindowStart and arrivalWindowEnd go together: give both or neither: %w", capacity.ErrInvalid)
	}
}

func required[T any](errs *validate.Errors, name string, v *T) T {
	var zero T
	if v == nil {
		errs.Add(name, "api: %s is required: %w", name, capacity.ErrInvalid)
		return zero
	}
	return *v
}

// CreateAppointmentRequest is the body of POST /appointments. The id is
// the caller's (appointments come from the job system); jobId is optional
// (0 when absent), as are the arrival window (both ends or neither) and
// the zip.
type CreateAppointmentRequest struct {
	ID                 *int64  `json:"id,omitempty"`
	JobID              int64   `json:"jobId,omitempty"`
	JobTypeID          *int64  `json:"jobTypeId,omitempty"`
	BusinessUnitID     *int64  `json:"businessUnitId,omitempty"`
	Start              *string `json:"start,omitempty"`
	End                *string `json:"end,omitempty"`
	ArrivalWindowStart *string `json:"arrivalWindowStart,omitempty"`
	ArrivalWindowEnd   *string `json:"arrivalWindowEnd,omitempty"`
	Zip                string  `json:"zip,omitempty"`
}

// ParseCreateAppointment decodes and checks an appointment creation body.
func ParseCreateAppointment(body []byte) (capacity.Appointment, error) {
	var r CreateAppointmentRequest
	if err := decode(body, &r); err != nil {
		return capacity.Appointment{}, err
	}
	var errs validate.Errors
	a := capacity.Appointment{ID: required(&errs, "id", r.ID), JobID: r.JobID, JobTypeID: required(&errs, "jobTypeId", r.JobTypeID),
		BusinessUnitID: required(&errs, "businessUnitId", r.BusinessUnitID), Zip: r.Zip}
	checkText(&errs, "zip", r.Zip, true)
	readTimes(&errs, timeField{"start", r.Start, &a.Start, true}, timeField{"end", r.End, &a.End, true},
		timeField{"arrivalWindowStart", r.ArrivalWindowStart, &a.ArrivalWindowStart, false},
		timeField{"arrivalWindowEnd", r.ArrivalWindowEnd, &a.ArrivalWindowEnd, false})
	window(&errs, r.ArrivalWindowStart, r.ArrivalWindowEnd)
	return a, errs.Err()
}

// CreateAppointment answers POST /appointments: the appointment added,
// pending until a technician is assigned.
func (s Service) CreateAppointment(body []byte) (Appointment, error) {
	a, err := ParseCreateAppointment(body)
	if err != nil {
		return Appointment{}, err
	}
	if err := s.T.Engine.AddAppointment(a); err != nil {
		return Appointment{}, err
	}
	return s.GetAppointment(a.ID)
}

// RescheduleRequest is the body of POST /appointments/{id}/reschedule:
// the new span and the new arrival window (both ends or neither; none
// when absent). Every time is replaced.
type RescheduleRequest struct {
	Start              *string `json:"start,omitempty"`
	End                *string `json:"end,omitempty"`
	ArrivalWindowStart *string `json:"arrivalWindowStart,omitempty"`
	ArrivalWindowEnd   *string `json:"arrivalWindowEnd,omitempty"`
}

// ParseReschedule decodes and checks a reschedule body.
func ParseReschedule(body []byte) (capacity.Reschedule, error) {
	var r RescheduleRequest
	if err := decode(body, &r); err != nil {
		return capacity.Reschedule{}, err
	}
	var errs validate.Errors
	var to capacity.Reschedule
	readTimes(&errs, timeField{"start", r.Start, &to.Start, true}, timeField{"end", r.End, &to.End, true},
		timeField{"arrivalWindowStart", r.ArrivalWindowStart, &to.ArrivalWindowStart, false},
		timeField{"arrivalWindowEnd", r.ArrivalWindowEnd, &to.ArrivalWindowEnd, false})
	window(&errs, r.ArrivalWindowStart, r.ArrivalWindowEnd)
	return to, errs.Err()
}

// RescheduleAppointment answers POST /appointments/{id}/reschedule: the
// appointment at its new time, and the warnings of the technicians who
// stay assigned to it (see [capacity.Engine.RescheduleAppointment]).
func (s Service) RescheduleAppointment(id int64, body []byte) (Appointment, []Warning, error) {
	to, err := ParseReschedule(body)
	if err != nil {
		return Appointment{}, nil, err
	}
	ws, err := s.T.Engine.RescheduleAppointment(id, to)
	if err != nil {
		return Appointment{}, nil, err
	}
	a, err := s.GetAppointment(id)
	return a, Warnings(ws), err
}

// CancelAppointment answers POST /appointments/{id}/cancel.
func (s Service) CancelAppointment(id int64) (Canceled, error) {
	recs, err := s.T.Engine.CancelAppointment(id)
	if err != nil {
		return Canceled{}, err
	}
	a, err := s.GetAppointment(id)
	return Canceled{Appointment: a, Unassigned: s.assignments(recs)}, err
}

// UpdateShiftRequest is the body of PATCH /technician-shifts/{id}: the
// fields given replace the shift's, the others stay.
type UpdateShiftRequest struct {
	ShiftType *string `json:"shiftType,omitempty"`
	Title     *string `json:"title,omitempty"`
	Note      *string `json:"note,omitempty"`
	Start     *string `json:"start,omitempty"`
	End       *string `json:"end,omitempty"`
	Active    *bool   `json:"active,omitempty"`
}

// ParseUpdateShift decodes an update body and applies it to the shift's
// current fields.
func ParseUpdateShift(body []byte, cur shifts.Shift) (shifts.Change, error) {
	var r UpdateShiftRequest
	if err := decode(body, &r); err != nil {
		return shifts.Change{}, err
	}
	c := cur.Change()
	var errs validate.Errors
	if r.ShiftType != nil {
		t, err := shifts.ParseType(*r.ShiftType)
		if err != nil {
			errs.Add("shiftType", "%v: %w", err, capacity.ErrInvalid)
		}
		c.Type = t
	}
	if r.Title != nil {
		c.Title = *r.Title
		checkText(&errs, "title", c.Title, true)
	}
	if r.Note != nil {
		c.Note = *r.Note
		checkText(&errs, "note", c.Note, false)
	}
	if r.Active != nil {
		c.Inactive = !*r.Active
	}
	readTimes(&errs, timeField{"start", r.Start, &c.Start, false}, timeField{"end", r.End, &c.End, false})
	return c, errs.Err()
}

func (s Service) shift(id int64) (shifts.Shift, error) {
	sh, ok := s.T.Engine.Shifts().Get(id)
	if !ok {
		return shifts.Shift{}, validate.Errors{{Path: "id", Msg: "api: unknown shift " + strconv.FormatInt(id, 10), Err: capacity.ErrNotFound}}
	}
	return sh, nil
}

// UpdateShift answers PATCH /technician-shifts/{id}. A body that changes
// nothing ({}, or every field as it is) answers the shift unchanged,
// without touching its modifiedOn.
func (s Service) UpdateShift(id int64, body []byte) (Shift, error) {
	cur, err := s.shift(id)
	if err != nil {
		return Shift{}, err
	}
	c, err := ParseUpdateShift(body, cur)
	if err != nil {
		return Shift{}, err
	}
	if c == cur.Change() {
		// Nothing changes ({} or the current values): the shift, its
		// modifiedOn included, stays as it is.
		return s.ShiftOf(cur), nil
	}
	sh, err := s.T.Engine.UpdateShift(id, c)
	if err != nil {
		return Shift{}, err
	}
	return s.ShiftOf(sh), nil
}

// SetShiftActive answers POST /technician-shifts/{id}/deactivate (active
// false) and /reactivate (true).
func (s Service) SetShiftActive(id int64, active bool) (Shift, error) {
	var sh shifts.Shift
	var err error
	if active {
		sh, err = s.T.Engine.ReactivateShift(id)
	} else {
		sh, err = s.T.Engine.DeactivateShift(id)
	}
	if err != nil {
		return Shift{}, err
	}
	return s.ShiftOf(sh), nil
}

// DeleteShift answers DELETE /technician-shifts/{id} with the shift
// deleted.
func (s Service) DeleteShift(id int64) (Shift, error) {
	sh, err := s.T.Engine.DeleteShift(id)
	if err != nil {
		return Shift{}, err
	}
	return s.ShiftOf(sh), nil
}

// TechnicianRequest is the body of POST /technicians (id, name and
// businessUnitId required; the technician is added active) and of PATCH
// /technicians/{id} (every field optional: those given replace the
// technician's; "home": null removes the home). Active is not in it: use
// the deactivate and reactivate operations.
type TechnicianRequest struct {
	ID             *int64          `json:"id,omitempty"`
	Name           *string         `json:"name,omitempty"`
	BusinessUnitID *int64          `json:"businessUnitId,omitempty"`
	Skills         []string        `json:"skills,omitzero"`
	ZoneIDs        []int64         `json:"zoneIds,omitzero"`
	Home           json.RawMessage `json:"home,omitempty"`
}

// apply reads r onto t: the fields given replace t's.
func (r TechnicianRequest) apply(errs *validate.Errors, t *capacity.Technician) {
	if r.Name != nil {
		t.Name = *r.Name
		checkText(errs, "name", t.Name, true)
	}
	if r.BusinessUnitID != nil {
		t.BusinessUnitID = *r.BusinessUnitID
	}
	if r.Skills != nil {
		t.Skills = r.Skills
		for i, sk := range r.Skills {
			checkText(errs, validate.Index("skills", i), sk, true)
		}
	}
	if r.ZoneIDs != nil {
		t.ZoneIDs = r.ZoneIDs
	}
	switch string(r.Home) {
	case "":
	case "null":
		t.Home = nil
	default:
		var p struct {
			Latitude  *float64 `json:"latitude"`
			Longitude *float64 `json:"longitude"`
		}
		if err := validate.Unmarshal(r.Home, &p); err != nil {
			var list validate.Errors
			if errors.As(err, &list) {
				for _, e := range list {
					errs.Add(validate.Join("home", e.Path), "api: %s", e.Msg)
				}
			} else {
				errs.Add("home", "api: %v: %w", err, capacity.ErrInvalid)
			}
			return
		}
		lat, lon := required(errs, "home.latitude", p.Latitude), required(errs, "home.longitude", p.Longitude)
		if lat < -90 || lat > 90 {
			errs.Add("home.latitude", "api: latitude %v is outside -90–90: %w", lat, capacity.ErrInvalid)
		}
		if lon < -180 || lon > 180 {
			errs.Add("home.longitude", "api: longitude %v is outside -180–180: %w", lon, capacity.ErrInvalid)
		}
		t.Home = &capacity.Point{Latitude: lat, Longitude: lon}
	}
}

// ParseAddTechnician decodes and checks a technician addition body.
func ParseAddTechnician(body []byte) (capacity.Technician, error) {
	var r TechnicianRequest
	if err := decode(body, &r, "home"); err != nil {
		return capacity.Technician{}, err
	}
	var errs validate.Errors
	t := capacity.Technician{ID: required(&errs, "id", r.ID)}
	required(&errs, "name", r.Name)
	required(&errs, "businessUnitId", r.BusinessUnitID)
	r.apply(&errs, &t)
	return t, errs.Err()
}

// AddTechnician answers POST /technicians: the technician added, active,
// without shifts (so without capacity until shifts are created).
func (s Service) AddTechnician(body []byte) (Technician, error) {
	t, err := ParseAddTechnician(body)
	if err != nil {
		return Technician{}, err
	}
	if err := s.T.Engine.AddTechnician(t); err != nil {
		return Technician{}, err
	}
	return s.GetTechnician(t.ID)
}

// UpdateTechnician answers PATCH /technicians/{id}.
func (s Service) UpdateTechnician(id int64, body []byte) (Technician, error) {
	var r TechnicianRequest
	if err := decode(body, &r, "home"); err != nil {
		return Technician{}, err
	}
	cur, ok := s.T.Engine.Technician(id)
	if !ok {
		return Technician{}, validate.Errors{{Path: "id", Msg: "api: unknown technician " + strconv.FormatInt(id, 10), Err: capacity.ErrNotFound}}
	}
	var errs validate.Errors
	if r.ID != nil && *r.ID != id {
		errs.Add("id", "api: id %d in the body is not the technician %d of the path: an id does not change: %w", *r.ID, id, capacity.ErrInvalid)
	}
	r.apply(&errs, &cur)
	if err := errs.Err(); err != nil {
		return Technician{}, err
	}
	if err := s.T.Engine.UpdateTechnician(cur); err != nil {
		return Technician{}, err
	}
	return s.GetTechnician(id)
}

// SetTechnicianActive answers POST /technicians/{id}/deactivate (active
// false) and /reactivate (true).
func (s Service) SetTechnicianActive(id int64, active bool) (Technician, error) {
	var err error
	if active {
		err = s.T.Engine.ReactivateTechnician(id)
	} else {
		err = s.T.Engine.DeactivateTechnician(id)
	}
	if err != nil {
		return Technician{}, err
	}
	return s.GetTechnician(id)
}

// ids reads the optional ids parameter: comma-separated positive ids.
func (q *queryErrors) ids(v url.Values) []int64 {
	s := q.get(v, "ids")
	if s == "" {
		return nil
	}
	var out []int64
	for i, part := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil || n <= 0 {
			q.Add(validate.Index("ids", i), "api: ids[%d] %s is not a positive integer: %w", i, quote(part), capacity.ErrInvalid)
			continue
		}
		out = append(out, n)
	}
	return out
}

// ListAppointments answers GET /appointments: every appointment in id
// order, canceled ones included, paged; with ids, those appointments in
// the order given (unknown ids are left out). Without ids it copies the
// tenant's appointments, O(appointments).
func (s Service) ListAppointments(v url.Values) (paging.Page[Appointment], error) {
	var q queryErrors
	q.unknown(v, "page", "pageSize", "ids")
	pq, ids := q.page(v), q.ids(v)
	if err := q.Err(); err != nil {
		return paging.Page[Appointment]{}, err
	}
	e := s.T.Engine
	if ids == nil {
		for _, a := range e.Data().Appointments {
			ids = append(ids, a.ID)
		}
	}
	all := make([]Appointment, 0, len(ids))
	for _, id := range ids {
		if a, techs, ok := e.Appointment(id); ok {
			all = append(all, s.AppointmentOf(a, techs))
		}
	}
	return paging.Slice(all, pq), nil
}

// ListTechnicians answers GET /technicians: every technician in id order,
// inactive ones included, paged; with ids, those technicians in the order
// given (unknown ids are left out).
func (s Service) ListTechnicians(v url.Values) (paging.Page[Technician], error) {
	var q queryErrors
	q.unknown(v, "page", "pageSize", "ids")
	pq, ids := q.page(v), q.ids(v)
	if err := q.Err(); err != nil {
		return paging.Page[Technician]{}, err
	}
	var all []Technician
	if ids == nil {
		for _, t := range s.T.Engine.Technicians() {
			all = append(all, TechnicianOf(t))
		}
	} else {
		for _, id := range ids {
			if t, ok := s.T.Engine.Technician(id); ok {
				all = append(all, TechnicianOf(t))
			}
		}
	}
	return paging.Slice(all, pq), nil
}
