package capacity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/validate"
	"github.com/opendispatch/dispatch/zones"
)

// Request is a capacity request: the contract's body plus the Zip
// extension.
//
// The zero Request has no range: refused by [Engine.Capacity] until
// StartsOnOrAfter and EndsOnOrBefore are set (each missing one reported
// at its own field). Its other zero fields mean
// every business unit, no job type and no zip. A bound outside the years
// 1900–2199 ([hours.CheckInstant]) is refused at its field, as
// [ParseRequest] refuses it; the bounds may be in any locations, the two
// of them in different ones: only their instants count.
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
	BusinessUnitIDs        []int64 `json:"businessUnitIds,omitempty"`
	JobTypeID              *int64  `json:"jobTypeId,omitempty"`
	SkillBasedAvailability bool    `json:"skillBasedAvailability"`
	Zip                    string  `json:"zip"`
}

// ParseRequest decodes a capacity request from JSON, strictly (see
// [validate.Unmarshal]): keys match exactly, and unknown fields, duplicate
// keys, values of the wrong type, missing bounds and malformed date-times
// (RFC 3339 within the years 1900–2199, see [hours.ParseInstant]) and
// members given as null (no member is nullable) are errors naming the field, all of them at once. It is the one parser of the
// body of POST /capacity: the command line and the HTTP API both use it. Checks against the
// tenant (unknown ids, range length) happen in [Engine.Capacity].
func ParseRequest(data []byte) (Request, error) {
	var in requestJSON
	if err := validate.Unmarshal(data, &in); err != nil {
		return Request{}, jsonError(data, err)
	}
	var errs validate.Errors
	for _, name := range validate.Nulls(data) {
		// The contract marks no member nullable: null is a mistake, not
		// "absent" (a "jobTypeId": null asked about no job type).
		errs.Add(name, "capacity: request: %s is null: give a value or leave the member out: %w", name, ErrInvalid)
	}
	var r Request
	// Bounds may carry a fraction of a second (a client's clock), rounded
	// to the whole second that selects the same timeslots.
	parseTime := func(field string, s *string, up bool) time.Time {
		if s == nil {
			errs.Add(field, "capacity: %s is required: %w", field, ErrInvalid)
			return time.Time{}
		}
		t, err := hours.ParseBound(*s, up)
		if err != nil {
			errs.Add(field, "capacity: %v: %w", err, ErrInvalid)
		}
		return t
	}
	r.StartsOnOrAfter = parseTime("startsOnOrAfter", in.StartsOnOrAfter, true)
	r.EndsOnOrBefore = parseTime("endsOnOrBefore", in.EndsOnOrBefore, false)
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
	// The list is Unmarshal's own: its problems are rewritten in place,
	// which keeps the count of those it does not list.
	for _, e := range list {
		msg := e.Msg
		if want, got, ok := strings.Cut(strings.TrimPrefix(msg, "want "), ", got "); ok && strings.HasPrefix(msg, "want ") {
			field := e.Path
			if field == "" {
				field = "the request"
			}
			msg = fmt.Sprintf("%s must be %s, not %s", field, want, got)
		}
		e.Msg, e.Err = "capacity: request: "+msg, errors.Join(ErrInvalid, e.Err)
	}
	return list
}

// MarshalJSON encodes r in the contract's shape, times in UTC; members
// without a value (no units, no job type) are left out, never null, which
// [ParseRequest] refuses.
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
	units    []int64 // R, sorted, distinct
	// rstar is R* (DESIGN §4a item 8): R and every unit sharing a group
	// with one of R, as sorted ids and as unit positions; nil when no
	// units are requested (then R* is every unit).
	rstar    []int64
	rstarPos []int32
	jobType  *JobType
	jobPos   int32 // jobType's position in jobTypeList
	skills   bool  // filter by jobType's skills
	duration int64 // d' in seconds: the job's duration plus its travel buffer; 0 without a job type
	priority bool  // the job type is a priority one: no reserve is held
	zoneIDs  []int64
	zipSet   bool
}

// checkRequest validates r against the tenant and returns its query form.
// Every problem is reported with the request field it concerns.
func (e *Engine) checkRequest(r Request) (query, error) {
	var errs validate.Errors
	q := query{from: r.StartsOnOrAfter.Unix(), to: r.EndsOnOrBefore.Unix()}
	// Each missing bound at its own field, with ParseRequest's words.
	if r.StartsOnOrAfter.IsZero() {
		errs.Add("startsOnOrAfter", "capacity: startsOnOrAfter is required: %w", ErrInvalid)
	}
	if r.EndsOnOrBefore.IsZero() {
		errs.Add("endsOnOrBefore", "capacity: endsOnOrBefore is required: %w", ErrInvalid)
	}
	// Bounds outside the years every boundary accepts: a request built in
	// code skips ParseRequest, and a range of centuries would walk every
	// date in it (or overflow the date arithmetic) before the length check.
	outside := checkInstant(&errs, self, "startsOnOrAfter", r.StartsOnOrAfter)
	outside = checkInstant(&errs, self, "endsOnOrBefore", r.EndsOnOrBefore) || outside
	switch {
	case r.StartsOnOrAfter.IsZero() || r.EndsOnOrBefore.IsZero() || outside:
		// reported above
	case q.to <= q.from:
		errs.Add("endsOnOrBefore", "capacity: endsOnOrBefore %s is not after startsOnOrAfter %s: %w",
			r.EndsOnOrBefore.Format(time.RFC3339), r.StartsOnOrAfter.Format(time.RFC3339), ErrInvalid)
	case e.wallLength(q.from, q.to) > int64(e.maxRange/time.Second):
		errs.Add("endsOnOrBefore", "capacity: the range is %s; at most %s may be asked at once: split the request: %w",
			spell(e.wallLength(q.from, q.to)), spell(int64(e.maxRange/time.Second)), ErrInvalid)
	}
	for i, u := range r.BusinessUnitIDs {
		if !e.hasUnit(u) {
			errs.Add(validate.Index("businessUnitIds", i), "capacity: unknown business unit %d: %w", u, ErrInvalid)
		}
	}
	q.units = sortedUnique(r.BusinessUnitIDs)
	if len(q.units) > 0 {
		for _, u := range q.units {
			p := e.unitPos(u)
			if p < 0 {
				continue // reported above
			}
			if g := e.ctl.groupOf[p]; g >= 0 {
				q.rstarPos = append(q.rstarPos, e.ctl.groups[g].units...)
			} else {
				q.rstarPos = append(q.rstarPos, p)
			}
		}
		slices.Sort(q.rstarPos)
		q.rstarPos = slices.Compact(q.rstarPos)
		q.rstar = make([]int64, len(q.rstarPos))
		for i, p := range q.rstarPos {
			q.rstar[i] = e.unitList[p].ID
		}
	}
	if r.JobTypeID != 0 {
		p := e.jobTypePos(r.JobTypeID)
		if p < 0 {
			errs.Add("jobTypeId", "capacity: unknown job type %d: %w", r.JobTypeID, ErrInvalid)
		} else {
			jt := &e.jobTypeList[p]
			q.jobType = jt
			q.jobPos = p
			buffer := e.ctl.buffer
			if jt.TravelBufferMinutes != nil {
				buffer = *jt.TravelBufferMinutes
			}
			q.duration = int64(jt.DurationMinutes+buffer) * 60
			q.priority = jt.Priority
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

// wallLength returns the length of [from, to) on the tenant's wall clock,
// in seconds: whole local days between the dates, plus the difference of
// the local times of day. A range of 31 local days is 31 days whether or
// not a DST change falls in it, as a dispatcher counts them.
func (e *Engine) wallLength(from, to int64) int64 {
	clock := func(u int64) int64 {
		t := time.Unix(u, 0).In(e.loc)
		return int64(t.Hour()*3600 + t.Minute()*60 + t.Second())
	}
	return int64(hours.DateAt(e.loc, to)-hours.DateAt(e.loc, from))*86400 + clock(to) - clock(from)
}

// spell says a length of seconds in days, hours, minutes and seconds, the
// parts that are not zero: "92 days", "31 days and 1 hour".
func spell(sec int64) string {
	var parts []string
	for _, u := range []struct {
		n    int64
		name string
	}{{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}} {
		if k := sec / u.n; k > 0 {
			p := strconv.FormatInt(k, 10) + " " + u.name
			if k > 1 {
				p += "s"
			}
			parts = append(parts, p)
			sec -= k * u.n
		}
	}
	switch len(parts) {
	case 0:
		return "0 seconds"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
