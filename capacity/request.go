package capacity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/validate"
	"github.com/opendispatch/dispatch/zones"
)

// Request is a capacity request: the contract's body plus the Zip
// extension.
type Request struct {
	// StartsOnOrAfter and EndsOnOrBefore bound the timeslots reported: a
	// timeslot is included when start >= StartsOnOrAfter and end <=
	// EndsOnOrBefore.
	StartsOnOrAfter, EndsOnOrBefore time.Time
	// BusinessUnitIDs limits technicians and arrival windows; empty means
	// all.
	BusinessUnitIDs []int64
	// JobTypeID gives the job duration and, with SkillBasedAvailability,
	// the skills required. 0 means none.
	JobTypeID              int64
	SkillBasedAvailability bool
	// Zip, when set, limits technicians to those whose zones serve it (a
	// technician with no zones serves everywhere). Any country's postal
	// code; see package zones.
	Zip string
}

// requestJSON is the wire form of Request.
type requestJSON struct {
	StartsOnOrAfter        *string `json:"startsOnOrAfter"`
	EndsOnOrBefore         *string `json:"endsOnOrBefore"`
	BusinessUnitIDs        []int64 `json:"businessUnitIds"`
	JobTypeID              *int64  `json:"jobTypeId"`
	SkillBasedAvailability bool    `json:"skillBasedAvailability"`
	Zip                    string  `json:"zip"`
}

// ParseRequest decodes a capacity request from JSON, strictly (see
// [validate.Unmarshal]): keys match exactly, and unknown fields, duplicate
// keys, values of the wrong type, missing bounds and malformed date-times
// are errors naming the field, all of them at once. Checks against the
// tenant (unknown ids, range length) happen in [Engine.Capacity].
func ParseRequest(data []byte) (Request, error) {
	var in requestJSON
	if err := validate.Unmarshal(data, &in); err != nil {
		return Request{}, jsonError(data, err)
	}
	var errs validate.Errors
	var r Request
	parseTime := func(field string, s *string) time.Time {
		if s == nil {
			errs.Add(field, "capacity: %s is required: %w", field, ErrInvalid)
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339, *s)
		if err != nil {
			errs.Add(field, "capacity: date-time %q is not RFC 3339: %w", *s, ErrInvalid)
		}
		return t
	}
	r.StartsOnOrAfter = parseTime("startsOnOrAfter", in.StartsOnOrAfter)
	r.EndsOnOrBefore = parseTime("endsOnOrBefore", in.EndsOnOrBefore)
	r.BusinessUnitIDs = in.BusinessUnitIDs
	if in.JobTypeID != nil {
		r.JobTypeID = *in.JobTypeID
		if r.JobTypeID <= 0 {
			errs.Add("jobTypeId", "capacity: job type id %d must be positive: %w", r.JobTypeID, ErrInvalid)
		}
	}
	r.SkillBasedAvailability = in.SkillBasedAvailability
	r.Zip = in.Zip
	return r, errs.Err()
}

// jsonError turns the problems of decoding data into problems of the
// request: "jobTypeId: capacity: request: jobTypeId must be an integer, not
// the string \"x\"". Each wraps ErrInvalid and the validate sentinel.
func jsonError(data []byte, err error) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return validate.Errors{{Msg: "capacity: request: empty body", Err: errors.Join(ErrInvalid, validate.ErrSyntax)}}
	}
	var list validate.Errors
	if !errors.As(err, &list) {
		return validate.Errors{{Msg: "capacity: request: " + err.Error(), Err: ErrInvalid}}
	}
	out := make(validate.Errors, len(list))
	for i, e := range list {
		msg := e.Msg
		if want, got, ok := strings.Cut(strings.TrimPrefix(msg, "want "), ", got "); ok && strings.HasPrefix(msg, "want ") {
			field := e.Path
			if field == "" {
				field = "the request"
			}
			msg = fmt.Sprintf("%s must be %s, not %s", field, want, got)
		}
		out[i] = &validate.Error{Path: e.Path, Msg: "capacity: request: " + msg, Err: errors.Join(ErrInvalid, e.Err)}
	}
	return out
}

// MarshalJSON encodes r in the contract's shape, times in UTC.
func (r Request) MarshalJSON() ([]byte, error) {
	s, e := r.StartsOnOrAfter.Format(time.RFC3339), r.EndsOnOrBefore.Format(time.RFC3339)
	out := requestJSON{StartsOnOrAfter: &s, EndsOnOrBefore: &e, BusinessUnitIDs: r.BusinessUnitIDs,
		SkillBasedAvailability: r.SkillBasedAvailability, Zip: r.Zip}
	if r.JobTypeID != 0 {
		out.JobTypeID = &r.JobTypeID
	}
	return json.Marshal(out)
}

// DefaultMaxRange is the longest request range accepted by default.
const DefaultMaxRange = 31 * 24 * time.Hour

// query is a request checked against the tenant.
type query struct {
	from, to int64
	units    []int64 // sorted, distinct
	jobType  *JobType
	skills   bool  // filter by jobType's skills
	duration int64 // seconds
	zoneIDs  []int64
	zipSet   bool
}

// checkRequest validates r against the tenant and returns its query form.
// Every problem is reported with the request field it concerns.
func (e *Engine) checkRequest(r Request) (query, error) {
	var errs validate.Errors
	q := query{from: r.StartsOnOrAfter.Unix(), to: r.EndsOnOrBefore.Unix()}
	switch {
	case r.StartsOnOrAfter.IsZero() || r.EndsOnOrBefore.IsZero():
		errs.Add("startsOnOrAfter", "capacity: startsOnOrAfter and endsOnOrBefore are required: %w", ErrInvalid)
	case q.to <= q.from:
		errs.Add("endsOnOrBefore", "capacity: endsOnOrBefore %s is not after startsOnOrAfter %s: %w",
			r.EndsOnOrBefore.Format(time.RFC3339), r.StartsOnOrAfter.Format(time.RFC3339), ErrInvalid)
	case time.Duration(q.to-q.from)*time.Second > e.maxRange:
		errs.Add("endsOnOrBefore", "capacity: range of %v is longer than the maximum %v: %w",
			time.Duration(q.to-q.from)*time.Second, e.maxRange, ErrInvalid)
	}
	for i, u := range r.BusinessUnitIDs {
		if _, ok := e.units[u]; !ok {
			errs.Add(validate.Index("businessUnitIds", i), "capacity: unknown business unit %d: %w", u, ErrInvalid)
		}
	}
	q.units = sortedUnique(r.BusinessUnitIDs)
	if r.JobTypeID != 0 {
		jt, ok := e.jobTypes[r.JobTypeID]
		if !ok {
			errs.Add("jobTypeId", "capacity: unknown job type %d: %w", r.JobTypeID, ErrInvalid)
		} else {
			q.jobType = jt
			q.duration = int64(jt.DurationMinutes) * 60
			q.skills = r.SkillBasedAvailability
		}
	} else if r.SkillBasedAvailability {
		errs.Add("skillBasedAvailability", "capacity: skillBasedAvailability needs a jobTypeId: %w", ErrInvalid)
	}
	if r.Zip != "" {
		q.zipSet = true
		if e.zones != nil {
			ids, err := e.zones.LookupZip(r.Zip)
			if err != nil {
				errs.Add("zip", "%v: %w", err, ErrInvalid)
			}
			q.zoneIDs = ids
		} else if _, ok := zones.NormalizeZip(r.Zip); !ok {
			errs.Add("zip", "capacity: malformed zip %q: %w", r.Zip, ErrInvalid)
		}
	}
	return q, errs.Err()
}
