package shifts

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/validate"
)

// Type is a shift's kind. The zero Type is not valid.
type Type uint8

// The shift types of the contract. Only Normal shifts give working time;
// TimeOff removes it; OnCall adds nothing to capacity.
const (
	Normal Type = iota + 1
	OnCall
	TimeOff
)

var typeNames = [...]string{Normal: "Normal", OnCall: "OnCall", TimeOff: "TimeOff"}

// ParseType parses "Normal", "OnCall" or "TimeOff".
func ParseType(s string) (Type, error) {
	for t := Normal; t <= TimeOff; t++ {
		if typeNames[t] == s {
			return t, nil
		}
	}
	return 0, fmt.Errorf("shifts: unknown shift type %q (want Normal, OnCall or TimeOff)", s)
}

// IsValid reports whether t is one of the three shift types.
func (t Type) IsValid() bool { return t >= Normal && t <= TimeOff }

// String returns the contract's name of t.
func (t Type) String() string {
	if !t.IsValid() {
		return fmt.Sprintf("Type(%d)", t)
	}
	return typeNames[t]
}

// MarshalText returns the contract's name of t.
func (t Type) MarshalText() ([]byte, error) {
	if !t.IsValid() {
		return nil, fmt.Errorf("shifts: invalid shift type %d", t)
	}
	return []byte(t.String()), nil
}

// UnmarshalText parses the contract's name of a shift type.
func (t *Type) UnmarshalText(b []byte) error {
	for v := Normal; v <= TimeOff; v++ {
		if typeNames[v] == string(b) { // no copy of b: a large file names a type per shift
			*t = v
			return nil
		}
	}
	v, err := ParseType(string(b))
	*t = v
	return err
}

// MaxLength is the longest shift accepted: seven days.
const MaxLength = 7 * 24 * 3600

// Errors of this package, wrapped; test with errors.Is.
var (
	// ErrInvalid is wrapped by every validation error of this package.
	ErrInvalid = errors.New("invalid shift")
	// ErrNotFound marks an update or deletion of an unknown shift id.
	ErrNotFound = errors.New("shift not found")
)

// Shift is one technician's shift: the instants [Start, End), half-open.
// ModifiedOn is when it last changed, the zero time when unknown. Shifts a
// [Store] returns carry the store's location, so they print as the
// dispatcher reads them; any location is accepted on the way in, and only
// the instant counts (whole seconds: sub-second parts are dropped).
//
// The zero Shift is an active shift with no id, technician, type or span:
// invalid until those are set ([Shift.Validate]). Active is the default,
// as in the tenant file: an inactive shift (Inactive set) gives and takes
// no time.
//
// Compare shifts with [Shift.Equal], not ==: == also compares the
// locations of the times.
type Shift struct {
	ID           int64
	TechnicianID int64
	Type         Type
	Title        string
	Note         string
	Start, End   time.Time
	Inactive     bool // false, the zero value, is active
	ModifiedOn   time.Time
}

// Equal reports whether s and o are the same shift: the same fields, the
// times compared as instants ([time.Time.Equal]).
func (s Shift) Equal(o Shift) bool {
	return s.ID == o.ID && s.TechnicianID == o.TechnicianID && s.Type == o.Type && s.Title == o.Title && s.Note == o.Note &&
		s.Start.Equal(o.Start) && s.End.Equal(o.End) && s.Inactive == o.Inactive && s.ModifiedOn.Equal(o.ModifiedOn)
}

// Span returns [s.Start, s.End) in Unix seconds, as package interval
// holds instants.
func (s Shift) Span() interval.Span { return interval.Span{Start: Unix(s.Start), End: Unix(s.End)} }

// Unset is an unset optional instant (the zero time) in Unix seconds, as
// [Unix] returns it. It is not 0: that is the Unix epoch, an instant a
// record may hold.
const Unset = math.MinInt64

// Unix returns t in Unix seconds, or [Unset] for the zero time (an unset
// optional instant), as the engine keeps instants inside. A time that is
// set but whose seconds are Unset's (time.Unix(math.MinInt64, 0)) is
// returned as Unset+1, so that Unset means the zero time and only it;
// both lie far outside the years a record may hold.
func Unix(t time.Time) int64 {
	if t.IsZero() {
		return Unset
	}
	if u := t.Unix(); u != Unset {
		return u
	}
	return Unset + 1
}

// TimeIn returns Unix seconds u as a time in loc (UTC when nil), or the
// zero time for [Unset]: the inverse of [Unix].
func TimeIn(u int64, loc *time.Location) time.Time {
	if u == Unset {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Unix(u, 0).In(loc)
}

// IsActive reports whether s is active: !s.Inactive. An inactive shift
// gives and takes no time.
func (s Shift) IsActive() bool { return !s.Inactive }

// Validate checks s on its own: a known type, a technician, End after Start,
// a length of at most [MaxLength], and a title (single-line) and note
// (multi-line) of free text as [validate.CheckText] allows. Paths in the error are the contract's
// field names.
func (s Shift) Validate() error {
	var errs validate.Errors
	if s.TechnicianID <= 0 {
		errs.Add("technicianId", "shifts: technician id %d must be positive: %w", s.TechnicianID, ErrInvalid)
	}
	checkCommon(&errs, s.Type, s.Title, s.Note, s.Start, s.End)
	return errs.Err()
}

// checkCommon checks what a shift, a request to create shifts and a
// change have in common: the type, the title (single-line text) and note
// (multi-line text; see [validate.CheckText]), and the bounds.
func checkCommon(errs *validate.Errors, t Type, title, note string, startT, endT time.Time) {
	if !t.IsValid() {
		errs.Add("shiftType", "shifts: shift type is missing or unknown: %w", ErrInvalid)
	}
	// Empty text is fit; most notes are, and a store checks every shift.
	if title != "" {
		validate.CheckText(errs, "title", title, true, ErrInvalid)
	}
	if note != "" {
		validate.CheckText(errs, "note", note, false, ErrInvalid)
	}
	if startT.IsZero() {
		errs.Add("start", "shifts: start is missing: %w", ErrInvalid)
	}
	if endT.IsZero() {
		errs.Add("end", "shifts: end is missing: %w", ErrInvalid)
	}
	if startT.IsZero() || endT.IsZero() {
		return
	}
	start, end := startT.Unix(), endT.Unix()
	switch {
	case end <= start:
		errs.Add("end", "shifts: end %s is not after start %s: %w", endT.Format(time.RFC3339), startT.Format(time.RFC3339), ErrInvalid)
	case end-start > MaxLength:
		errs.Add("end", "shifts: shift of %v is longer than the 7-day maximum: %w", time.Duration(end-start)*time.Second, ErrInvalid)
	}
}

// CreateRequest is the contract's body for creating shifts: one shift per
// technician id, all with the same type, title, note and bounds. The
// shifts are created active.
//
// The zero CreateRequest names no technician, type or bounds: invalid
// ([CreateRequest.Validate] says which).
type CreateRequest struct {
	TechnicianIDs []int64
	Type          Type
	Title, Note   string
	Start, End    time.Time // [Start, End), any location
}

// Validate checks the request as [Shift.Validate] does, and that it names at
// least one technician, each once.
func (r CreateRequest) Validate() error {
	var errs validate.Errors
	if len(r.TechnicianIDs) == 0 {
		errs.Add("technicianIds", "shifts: at least one technician id is required: %w", ErrInvalid)
	}
	seen := make(map[int64]bool, len(r.TechnicianIDs))
	for i, id := range r.TechnicianIDs {
		if id <= 0 {
			errs.Add(validate.Index("technicianIds", i), "shifts: technician id %d must be positive: %w", id, ErrInvalid)
		} else if seen[id] {
			errs.Add(validate.Index("technicianIds", i), "shifts: technician id %d listed twice: %w", id, ErrInvalid)
		}
		seen[id] = true
	}
	checkCommon(&errs, r.Type, r.Title, r.Note, r.Start, r.End)
	return errs.Err()
}

// Change is the new value of a shift's own fields, for [Store.Update]:
// everything but its id and technician, which do not change, and
// ModifiedOn, which the store stamps. Every field is replaced; start from
// [Shift.Change] to change some and keep the others.
//
// The zero Change is not valid (it has no type and an empty span).
// Inactive is false in it, so a Change built field by field keeps the
// shift active unless it says otherwise.
type Change struct {
	Type        Type
	Title, Note string
	Start, End  time.Time // [Start, End), any location
	Inactive    bool      // the shift gives and takes no time while inactive
}

// Equal reports whether c and o are the same change, the times compared
// as instants.
func (c Change) Equal(o Change) bool {
	return c.Type == o.Type && c.Title == o.Title && c.Note == o.Note && c.Start.Equal(o.Start) && c.End.Equal(o.End) && c.Inactive == o.Inactive
}

// Change returns s's own fields as a Change, to edit and pass to
// [Store.Update].
func (s Shift) Change() Change {
	return Change{Type: s.Type, Title: s.Title, Note: s.Note, Start: s.Start, End: s.End, Inactive: s.Inactive}
}

// Validate checks c as [Shift.Validate] checks a shift's type, title, note
// and bounds.
func (c Change) Validate() error {
	var errs validate.Errors
	checkCommon(&errs, c.Type, c.Title, c.Note, c.Start, c.End)
	return errs.Err()
}
