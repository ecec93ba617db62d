package capacity

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
	"github.com/opendispatch/dispatch/zones"
)

// BusinessUnit is a business unit. IdealBookingPercentage is 1–200, or 0
// when unset (its group's, else the tenant default applies); in JSON an
// unset one is left out, and a 0 written out is refused by the strict
// readers (package validate's "nonzero"), not taken for unset.
// ReservePercentage is 0–90: the share of its technicians' capacity held
// back for priority work (DESIGN §4a item 11); its group's percentage, when
// set, replaces it.
//
// The zero BusinessUnit has no id: invalid until ID is set. Its zero
// percentages mean "unset" and "no reserve", as absent members do in the
// tenant file.
type BusinessUnit struct {
	ID                     int64  `json:"id"`
	Name                   string `json:"name"`
	IdealBookingPercentage int    `json:"idealBookingPercentage,omitempty" validate:"nonzero"`
	ReservePercentage      int    `json:"reservePercentage,omitempty"`
}

// JobType is a kind of job. DurationMinutes must be positive: a job type
// without a duration is the known cause of massive overbooking, so it is
// refused rather than read as zero.
//
// Priority marks emergency work, which may take capacity held in reserve.
// TravelBufferMinutes, when not nil, replaces the tenant's travel buffer
// for this job type (0 included: no buffer); nil means the tenant's
// applies.
//
// The zero JobType has no id and no duration: invalid, and refused by
// [Data.Validate] and the engine's updates until ID and DurationMinutes
// are set. It requires no skills and serves every business unit.
type JobType struct {
	ID              int64    `json:"id"`
	Name            string   `json:"name"`
	DurationMinutes int      `json:"durationMinutes"`
	Skills          []string `json:"skills"`
	// BusinessUnitIDs are the units that do this kind of job; empty means
	// every unit. Each must exist ([Data.Validate]), and that is all the
	// engine does with them: capacity does not read them (a request's
	// JobTypeID limits no unit: set [Request.BusinessUnitIDs]),
	// [Engine.AddAppointment] takes an appointment of the job type for any
	// unit, and the assignment warnings compare the technician's unit with
	// the appointment's, never with these. They are read by the command
	// line's listing (dispatch job-types --business-units) and by the
	// simulator (package sim), which books a call of the job type for the
	// first unit listed (the tenant's first when none is) and offers it
	// only technicians of the listed units and of units grouped with them.
	BusinessUnitIDs     []int64 `json:"businessUnitIds"`
	Priority            bool    `json:"priority,omitempty"`
	TravelBufferMinutes *int    `json:"travelBufferMinutes,omitempty"`
}

// Point is a position in decimal degrees.
type Point struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Technician is a field technician. A technician with no ZoneIDs serves
// every zone.
//
// The zero Technician is an active technician with no id, no business unit
// and no skills: invalid until ID and BusinessUnitID are set. Active is the
// default, as in the tenant file: an inactive technician (Inactive set; see
// [Engine.DeactivateTechnician]) is never eligible and adds no capacity.
type Technician struct {
	ID             int64
	Name           string
	BusinessUnitID int64
	Skills         []string
	ZoneIDs        []int64
	Inactive       bool   // false, the zero value, is active
	Home           *Point // optional
}

// IsActive reports whether t is active: !t.Inactive. It reads as
// [shifts.Shift.IsActive], [zones.Zone.IsActive] and
// [hours.ArrivalWindow.IsActive] do.
func (t Technician) IsActive() bool { return !t.Inactive }

// HasSkills reports whether t holds every skill in need.
func (t Technician) HasSkills(need []string) bool {
	for _, s := range need {
		if !slices.Contains(t.Skills, s) {
			return false
		}
	}
	return true
}

// Appointment is a scheduled job visit: the instants [Start, End), and
// the arrival window promised to the customer (both the zero time when
// there is none). Times may be in any location; the engine keeps whole
// seconds and returns them in the tenant's location.
//
// Canceled marks an appointment called off (see
// [Engine.CancelAppointment]): it consumes nothing — it is no one's busy
// time, not pending, not counted by capacity rules — and no technician is
// assigned to it; the records of those who were stay in the ledger as
// history, Unassigned. The zero value, false, is a live appointment.
//
// The zero Appointment is live, unassigned, without arrival window or zip,
// and invalid until ID (positive), JobTypeID and BusinessUnitID (naming
// the tenant's), Start and End (after Start) are set. JobID is optional:
// 0 is no job.
//
// It is the tenant file's record too: the JSON tags are the file's and the
// contract's names, times are RFC 3339 (written in the time's offset: the
// tenant's, for times the engine returns), and an absent arrival window,
// zip or canceled flag is the zero value.
type Appointment struct {
	ID                 int64     `json:"id"`
	JobID              int64     `json:"jobId"`
	JobTypeID          int64     `json:"jobTypeId"`
	BusinessUnitID     int64     `json:"businessUnitId"`
	Start              time.Time `json:"start"`
	End                time.Time `json:"end"`
	ArrivalWindowStart time.Time `json:"arrivalWindowStart,omitzero"`
	ArrivalWindowEnd   time.Time `json:"arrivalWindowEnd,omitzero"`
	Zip                string    `json:"zip,omitempty"`
	Canceled           bool      `json:"canceled,omitempty"`
}

// Equal reports whether a and b are the same appointment: the same
// fields, the times compared as instants ([time.Time.Equal]). Use it
// rather than ==, which also compares the times' locations.
func (a Appointment) Equal(b Appointment) bool {
	return a.ID == b.ID && a.JobID == b.JobID && a.JobTypeID == b.JobTypeID && a.BusinessUnitID == b.BusinessUnitID &&
		a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.ArrivalWindowStart.Equal(b.ArrivalWindowStart) &&
		a.ArrivalWindowEnd.Equal(b.ArrivalWindowEnd) && a.Zip == b.Zip && a.Canceled == b.Canceled
}

// Status is an assignment record's status. The zero Status is neither:
// a record must say Assigned or Unassigned.
type Status uint8

// Assignment statuses. An Unassigned record is history.
const (
	Assigned Status = iota + 1
	Unassigned
)

// String returns "Assigned" or "Unassigned".
func (s Status) String() string {
	switch s {
	case Assigned:
		return "Assigned"
	case Unassigned:
		return "Unassigned"
	}
	return fmt.Sprintf("Status(%d)", s)
}

// MarshalText returns "Assigned" or "Unassigned"; another value is an
// error.
func (s Status) MarshalText() ([]byte, error) {
	if s != Assigned && s != Unassigned {
		return nil, fmt.Errorf("capacity: invalid assignment status %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses "Assigned" or "Unassigned" (see [ParseStatus]).
func (s *Status) UnmarshalText(b []byte) error {
	switch string(b) { // no copy of b: a large file has a status per record
	case "Assigned":
		*s = Assigned
		return nil
	case "Unassigned":
		*s = Unassigned
		return nil
	}
	v, err := ParseStatus(string(b))
	*s = v
	return err
}

// ParseStatus parses "Assigned" or "Unassigned".
func ParseStatus(s string) (Status, error) {
	switch s {
	case "Assigned":
		return Assigned, nil
	case "Unassigned":
		return Unassigned, nil
	}
	return 0, fmt.Errorf("capacity: unknown assignment status %q (want Assigned or Unassigned)", s)
}

// Actor is who made a change. The zero Actor is nobody in particular: id 0,
// no name.
type Actor struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Assignment is one technician's assignment to one appointment, with its
// history. UnassignedOn and ModifiedOn are the zero time when unset. The
// engine stamps AssignedOn, UnassignedOn and ModifiedOn with the clock of
// [WithClock] and returns them in the tenant's location.
//
// The zero Assignment has no status: invalid in [Data] until Status is set
// (an Unassigned record needs UnassignedOn too).
//
// It is the tenant file's record too, with the file's names
// (jobAppointmentId for AppointmentID); absent optional times are the zero
// time.
type Assignment struct {
	ID            int64     `json:"id"`
	AppointmentID int64     `json:"jobAppointmentId"`
	TechnicianID  int64     `json:"technicianId"`
	AssignedBy    *Actor    `json:"assignedBy,omitempty"`
	AssignedOn    time.Time `json:"assignedOn"`
	UnassignedOn  time.Time `json:"unassignedOn,omitzero"`
	Status        Status    `json:"status"`
	ModifiedOn    time.Time `json:"modifiedOn,omitzero"`
}

// Equal reports whether a and b are the same record: the same fields,
// AssignedBy compared by value and the times as instants
// ([time.Time.Equal]). Use it rather than ==, which also compares the
// times' locations and the actors' pointers.
func (a Assignment) Equal(b Assignment) bool {
	if (a.AssignedBy == nil) != (b.AssignedBy == nil) || (a.AssignedBy != nil && *a.AssignedBy != *b.AssignedBy) {
		return false
	}
	return a.ID == b.ID && a.AppointmentID == b.AppointmentID && a.TechnicianID == b.TechnicianID && a.Status == b.Status &&
		a.AssignedOn.Equal(b.AssignedOn) && a.UnassignedOn.Equal(b.UnassignedOn) && a.ModifiedOn.Equal(b.ModifiedOn)
}

// Data is one tenant's raw records: everything the capacity computation
// reads. Field names match the tenant file, and validation paths use them.
type Data struct {
	Schedule *hours.Schedule // business hours, exceptions, arrival windows, zone
	// IdealBookingPercentage is the tenant default, 1–200, or 0 for 100.
	IdealBookingPercentage int
	BusinessUnits          []BusinessUnit
	JobTypes               []JobType
	Technicians            []Technician
	Zones                  *zones.Directory // nil when the tenant has no zones
	Shifts                 []shifts.Shift
	Appointments           []Appointment
	Assignments            []Assignment

	// Capacity controls (DESIGN §4a), all optional.

	// TravelBufferMinutes is the tenant's travel buffer, 0–1440, added to
	// a requested job type's duration unless the job type sets its own.
	TravelBufferMinutes int
	BusinessUnitGroups  []BusinessUnitGroup
	CapacityAdjustments []Adjustment
	CapacityRules       []Rule
}

// Errors returned, wrapped, by the engine. Test with errors.Is.
var (
	// ErrInvalid marks bad input: a malformed request or inconsistent data.
	ErrInvalid = errors.New("invalid")
	// ErrNotFound marks a reference to an unknown appointment, technician,
	// job type or business unit in an update.
	ErrNotFound = errors.New("not found")
	// ErrConflict marks an update that contradicts the current state, such
	// as unassigning a technician who is not assigned.
	ErrConflict = errors.New("conflict")
)

// Validate checks d's records and their references, reporting every
// problem with its path ("technicians[3].businessUnitId: unknown business
// unit 7").
func (d *Data) Validate() error {
	var errs validate.Errors
	d.validateRecords(&errs, d.validateTenant(&errs))
	return errs.Err()
}

// tenantIDs is what validateTenant found: the ids of the business units,
// job types and technicians, each with its index.
type tenantIDs struct{ units, jobTypes, techs idSet }

// validateTenant checks everything but the shifts, appointments and
// assignment records: the schedule, percentages, business units, job
// types, capacity controls and technicians. [New] runs it alone and
// checks the records as it converts them (see [build]).
func (d *Data) validateTenant(errs *validate.Errors) tenantIDs {
	if d.Schedule == nil {
		errs.Add("timeZone", "capacity: no schedule: %w", ErrInvalid)
	}
	checkIdeal(errs, "idealBookingPercentage", d.IdealBookingPercentage)

	units := ids(errs, "businessUnits", d.BusinessUnits, func(u *BusinessUnit) int64 { return u.ID })
	for i, u := range d.BusinessUnits {
		// The paths are spelled only for a unit with a problem.
		if !idealOK(u.IdealBookingPercentage) || !reserveOK(u.ReservePercentage) || !textOK(u.Name, true) {
			path := at{"businessUnits", i}
			checkTextAt(errs, path, ".name", u.Name, true)
			checkIdeal(errs, path.f(".idealBookingPercentage"), u.IdealBookingPercentage)
			checkReserve(errs, path.f(".reservePercentage"), u.ReservePercentage)
		}
	}
	checkBuffer(errs, "travelBufferMinutes", d.TravelBufferMinutes)
	jobTypes := ids(errs, "jobTypes", d.JobTypes, func(j *JobType) int64 { return j.ID })
	for i, j := range d.JobTypes {
		path := at{"jobTypes", i}
		checkTextAt(errs, path, ".name", j.Name, true)
		checkSkills(errs, path, j.Skills)
		if j.DurationMinutes <= 0 {
			errs.Add(path.f(".durationMinutes"), "capacity: job type %d has no positive duration (%d minutes); a missing duration overbooks: %w", j.ID, j.DurationMinutes, ErrInvalid)
		} else if j.DurationMinutes > MaxAppointmentSeconds/60 {
			// Beyond it no window can fit the job, and minutes times 60
			// would overflow for the largest values.
			errs.Add(path.f(".durationMinutes"), "capacity: job type %d lasts %d minutes; at most %d (%d days): %w", j.ID, j.DurationMinutes,
				MaxAppointmentSeconds/60, MaxAppointmentSeconds/86400, ErrInvalid)
		}
		for k, u := range j.BusinessUnitIDs {
			if !units.has(u) {
				errs.Add(validate.Index(path.f(".businessUnitIds"), k), "capacity: unknown business unit %d: %w", u, ErrInvalid)
			}
		}
		if j.TravelBufferMinutes != nil {
			checkBuffer(errs, path.f(".travelBufferMinutes"), *j.TravelBufferMinutes)
		}
	}
	d.validateControls(errs, units, jobTypes)
	techs := ids(errs, "technicians", d.Technicians, func(t *Technician) int64 { return t.ID })
	zone := d.zoneTest()
	for i, t := range d.Technicians {
		checkTechnician(errs, at{"technicians", i}, t, units.has, zone)
	}
	return tenantIDs{units, jobTypes, techs}
}

// validateRecords checks the shifts, appointments and assignment records
// and their references to what validateTenant found.
func (d *Data) validateRecords(errs *validate.Errors, known tenantIDs) {
	// Records naming the same technician, unit or job type come in runs:
	// the last one found is compared before the map is hashed.
	tech, unit, jobType := runOf(known.techs), runOf(known.units), runOf(known.jobTypes)
	uniqueIDs(errs, "shifts", d.Shifts, func(s *shifts.Shift) int64 { return s.ID })
	for i := range d.Shifts {
		s := &d.Shifts[i]
		path := at{"shifts", i}
		if err := s.Validate(); err != nil {
			errs.AddErr(path.f(""), err)
		}
		if s.TechnicianID > 0 && !tech.has(s.TechnicianID) {
			errs.Add(path.f(".technicianId"), "capacity: unknown technician %d: %w", s.TechnicianID, ErrInvalid)
		}
		// The years a tenant file can hold: a shift built in code outside
		// them was saved into a file that would not load.
		checkInstant(errs, path, ".start", s.Start)
		checkInstant(errs, path, ".end", s.End)
		checkInstant(errs, path, ".modifiedOn", s.ModifiedOn)
	}
	appts := uniqueIDs(errs, "appointments", d.Appointments, func(a *Appointment) int64 { return a.ID })
	for i := range d.Appointments {
		a := &d.Appointments[i]
		path := at{"appointments", i}
		if !jobType.has(a.JobTypeID) {
			badRef(errs, path.f(".jobTypeId"), "job type", a.JobTypeID)
		}
		if !unit.has(a.BusinessUnitID) {
			badRef(errs, path.f(".businessUnitId"), "business unit", a.BusinessUnitID)
		}
		checkTimes(errs, path, a.ID, a.Start, a.End, a.ArrivalWindowStart, a.ArrivalWindowEnd, true)
		if a.Zip != "" {
			if _, ok := zones.NormalizeZip(a.Zip); !ok {
				errs.Add(path.f(".zip"), "capacity: malformed zip %q: %w", a.Zip, ErrInvalid)
			}
		}
	}
	uniqueIDs(errs, "assignments", d.Assignments, func(a *Assignment) int64 { return a.ID })
	// Each record's appointment, found by walking the records in
	// appointment order beside the appointments in id order: a map of a
	// large tenant's appointments cost more than the rest of validation.
	// Both are nil when the records are in that order already.
	apptAt := func(k int) idIndex {
		if appts == nil {
			return idIndex{d.Appointments[k].ID, int32(k)}
		}
		return appts[k]
	}
	refs := sortedBy(d.Assignments, func(a *Assignment) int64 { return a.AppointmentID })
	refAt := func(j int) idIndex {
		if refs == nil {
			return idIndex{d.Assignments[j].AppointmentID, int32(j)}
		}
		return refs[j]
	}
	k := 0
	find := func(id int64) int32 { // the index of appointment id, ids coming in order; -1 for none
		for k < len(d.Appointments) && apptAt(k).id < id {
			k++
		}
		if k < len(d.Appointments) && apptAt(k).id == id && id > 0 {
			return apptAt(k).i // the first with the id, as a lookup by id finds
		}
		return -1
	}
	var apptOf []int32 // index in d.Appointments, or -1; found on the way when refs is nil
	if refs != nil {
		apptOf = make([]int32, len(d.Assignments))
		for _, r := range refs {
			apptOf[r.i] = find(r.id)
		}
	}
	for i := range d.Assignments {
		a := &d.Assignments[i]
		path := at{"assignments", i}
		var appt int32
		if refs == nil {
			appt = find(a.AppointmentID)
		} else {
			appt = apptOf[i]
		}
		if appt < 0 {
			errs.Add(path.f(".jobAppointmentId"), "capacity: unknown appointment %d: %w", a.AppointmentID, ErrInvalid)
		}
		if !tech.has(a.TechnicianID) {
			errs.Add(path.f(".technicianId"), "capacity: unknown technician %d: %w", a.TechnicianID, ErrInvalid)
		}
		switch a.Status {
		case Assigned:
			if appt >= 0 && d.Appointments[appt].Canceled {
				errs.Add(path.f(".status"), "capacity: appointment %d is canceled; its records must be Unassigned: %w", a.AppointmentID, ErrInvalid)
			}
		case Unassigned:
			if a.UnassignedOn.IsZero() {
				errs.Add(path.f(".unassignedOn"), "capacity: an Unassigned record needs unassignedOn: %w", ErrInvalid)
			}
		default:
			errs.Add(path.f(".status"), "capacity: status must be Assigned or Unassigned: %w", ErrInvalid)
		}
		if a.AssignedBy != nil {
			checkTextAt(errs, path, ".assignedBy.name", a.AssignedBy.Name, true)
		}
		checkInstant(errs, path, ".assignedOn", a.AssignedOn)
		checkInstant(errs, path, ".unassignedOn", a.UnassignedOn)
		checkInstant(errs, path, ".modifiedOn", a.ModifiedOn)
	}
	// A technician assigned twice to one appointment: each Assigned record
	// against the one before it (by index) with the same appointment and
	// technician, reported in (appointment, technician, index) order.
	var twice [][4]int64 // (appointment, technician, index, index of the one before)
	var run []idIndex    // the Assigned records of one appointment, as (technician, index)
	for lo := 0; lo < len(d.Assignments); {
		appt := refAt(lo).id
		run = run[:0]
		hi := lo
		for ; hi < len(d.Assignments) && refAt(hi).id == appt; hi++ {
			i := refAt(hi).i
			if a := &d.Assignments[i]; a.Status == Assigned {
				run = append(run, idIndex{a.TechnicianID, i})
			}
		}
		if len(run) > 1 {
			slices.SortFunc(run, cmpIDIndex)
			for j := 1; j < len(run); j++ {
				if run[j].id == run[j-1].id {
					twice = append(twice, [4]int64{appt, run[j].id, int64(run[j].i), int64(run[j-1].i)})
				}
			}
		}
		lo = hi
	}
	slices.SortFunc(twice, func(x, y [4]int64) int { return slices.Compare(x[:3], y[:3]) })
	for _, x := range twice {
		errs.Add(validate.Index("assignments", int(x[2])), "capacity: technician %d is already assigned to appointment %d by assignments[%d]: %w", x[1], x[0], x[3], ErrInvalid)
	}
}

// zoneTest returns a test of whether a zone id is in d's directory.
func (d *Data) zoneTest() func(int64) bool {
	if d.Zones == nil {
		return func(int64) bool { return false }
	}
	return d.Zones.Has
}

// idIndex is a record's id (or a reference) and its index in its list.
type idIndex struct {
	id int64
	i  int32
}

func cmpIDIndex(a, b idIndex) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.i, b.i)) }

// sortedBy returns every record's (key, index), sorted, or nil when the
// records are in key order already (then record k is the k-th).
func sortedBy[T any](list []T, key func(*T) int64) []idIndex {
	inOrder := true
	for i := 1; i < len(list) && inOrder; i++ {
		inOrder = key(&list[i-1]) <= key(&list[i])
	}
	if inOrder {
		return nil
	}
	idx := make([]idIndex, len(list))
	for i := range list {
		idx[i] = idIndex{key(&list[i]), int32(i)}
	}
	slices.SortFunc(idx, cmpIDIndex)
	return idx
}

// uniqueIDs checks that the ids of list are positive and distinct, as ids
// does, without building a map, and returns every record's (id, index)
// sorted, or nil when the records are in id order already (then record k
// is the k-th): a lookup walks them. A file written by the engine is in
// id order.
func uniqueIDs[T any](errs *validate.Errors, path string, list []T, id func(*T) int64) []idIndex {
	ascending, prev := true, int64(0) // ids are positive
	for i := 0; i < len(list) && ascending; i++ {
		x := id(&list[i])
		ascending, prev = prev < x, x
	}
	if ascending {
		return nil // positive and distinct, in order
	}
	idx := sortedBy(list, id)
	if idx == nil { // in order, but not all positive and distinct
		idx = make([]idIndex, len(list))
		for i := range list {
			idx[i] = idIndex{id(&list[i]), int32(i)}
		}
	}
	var bad [][3]int64 // (index, id, index of first use or -1 for not positive)
	first := 0
	for k, x := range idx {
		if k == 0 || idx[k-1].id != x.id {
			first = k
		}
		switch {
		case x.id <= 0:
			bad = append(bad, [3]int64{int64(x.i), x.id, -1})
		case k > first:
			bad = append(bad, [3]int64{int64(x.i), x.id, int64(idx[first].i)})
		}
	}
	slices.SortFunc(bad, func(x, y [3]int64) int { return cmp.Compare(x[0], y[0]) }) // file order, as ids reports
	for _, b := range bad {
		p := validate.Index(path, int(b[0])) + ".id"
		if b[2] < 0 {
			errs.Add(p, "capacity: id %d must be positive: %w", b[1], ErrInvalid)
		} else {
			errs.Add(p, "capacity: duplicate id %d (also %s[%d]): %w", b[1], path, b[2], ErrInvalid)
		}
	}
	return idx
}

// run answers whether an id is in a set: by a bit per id when the ids
// lie close together (they usually do), else by the set, remembering the
// last id found.
type run struct {
	set   idSet
	lo    int64
	bits  []uint64 // bit k: id lo+k is in the set; nil when the ids spread far
	last  int64
	found bool
}

func runOf(s idSet) run {
	r := run{set: s}
	if s.len() == 0 {
		return r
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	s.each(func(id int64) { lo, hi = min(lo, id), max(hi, id) })
	if span := uint64(hi) - uint64(lo); span < 64*uint64(s.len())+4096 {
		r.lo, r.bits = lo, make([]uint64, span/64+1)
		s.each(func(id int64) {
			k := uint64(id) - uint64(lo)
			r.bits[k/64] |= 1 << (k % 64)
		})
	}
	return r
}

func (r *run) has(id int64) bool {
	if r.bits != nil {
		k := uint64(id) - uint64(r.lo)
		return k/64 < uint64(len(r.bits)) && r.bits[k/64]&(1<<(k%64)) != 0
	}
	if r.found && id == r.last {
		return true
	}
	if r.set.has(id) {
		r.last, r.found = id, true
		return true
	}
	return false
}

// idSet is the set of the valid ids of a record list. When the ids are
// positive and ascending, as files the engine writes list them, it is
// that list, searched; else a map, made while checking them for
// duplicates. Most tenants' units, job types and technicians need no map.
type idSet struct {
	sorted []int64 // ascending; when m is nil
	m      map[int64]int32
}

func (s *idSet) has(id int64) bool {
	if s.m != nil {
		_, ok := s.m[id]
		return ok
	}
	_, ok := slices.BinarySearch(s.sorted, id)
	return ok
}

func (s *idSet) len() int { return max(len(s.sorted), len(s.m)) }

// each calls f with every id, in no particular order.
func (s *idSet) each(f func(int64)) {
	for _, id := range s.sorted {
		f(id)
	}
	for id := range s.m {
		f(id)
	}
}

// ids checks that the ids of list are positive and distinct and returns the
// set of them.
func ids[T any](errs *validate.Errors, path string, list []T, id func(*T) int64) idSet {
	sorted, prev := make([]int64, 0, len(list)), int64(0)
	for i := range list {
		x := id(&list[i])
		if x <= prev {
			break
		}
		sorted, prev = append(sorted, x), x
	}
	if len(sorted) == len(list) {
		return idSet{sorted: sorted}
	}
	first := make(map[int64]int32, len(list))
	for i := range list {
		x := id(&list[i])
		if x <= 0 {
			errs.Add(validate.Index(path, i)+".id", "capacity: id %d must be positive: %w", x, ErrInvalid)
		} else if j, dup := first[x]; dup {
			errs.Add(validate.Index(path, i)+".id", "capacity: duplicate id %d (also %s[%d]): %w", x, path, j, ErrInvalid)
		} else {
			first[x] = int32(i)
		}
	}
	return idSet{m: first}
}

// at names element i of a record list; its path string is built only when
// a problem is reported, so validating a large tenant allocates nothing per
// record.
type at struct {
	list string
	i    int
}

func (a at) f(field string) string {
	if a.list == "" {
		return strings.TrimPrefix(field, ".") // a record of an update: its own fields
	}
	return validate.Index(a.list, a.i) + field
}

// self is the path of a record given alone, as an update's is: its
// fields' paths are their names.
var self = at{}

// badRef reports a reference to a record that does not exist at path:
// missing when the id is 0 (unset), else unknown. what names the kind
// ("business unit").
func badRef(errs *validate.Errors, path, what string, id int64) {
	if id == 0 {
		errs.Add(path, "capacity: %s is missing: %w", what, ErrInvalid)
		return
	}
	errs.Add(path, "capacity: unknown %s %d: %w", what, id, ErrInvalid)
}

// checkTechnician checks t's values and references; path is t's place.
// A BusinessUnitID of 0 is unset: it is reported missing, not unknown.
func checkTechnician(errs *validate.Errors, path at, t Technician, unit, zone func(int64) bool) {
	checkTextAt(errs, path, ".name", t.Name, true)
	checkSkills(errs, path, t.Skills)
	if !unit(t.BusinessUnitID) {
		badRef(errs, path.f(".businessUnitId"), "business unit", t.BusinessUnitID)
	}
	for k, z := range t.ZoneIDs {
		if !zone(z) {
			errs.Add(validate.Index(path.f(".zoneIds"), k), "capacity: unknown zone %d: %w", z, ErrInvalid)
		}
	}
	if h := t.Home; h != nil {
		if !(h.Latitude >= -90 && h.Latitude <= 90) {
			errs.Add(path.f(".home.latitude"), "capacity: latitude %v is outside −90–90: %w", h.Latitude, ErrInvalid)
		}
		if !(h.Longitude >= -180 && h.Longitude <= 180) {
			errs.Add(path.f(".home.longitude"), "capacity: longitude %v is outside −180–180: %w", h.Longitude, ErrInvalid)
		}
	}
}

// checkText reports free text s at path as [validate.CheckText] does:
// over [validate.MaxText] characters, or a control character (single-line
// text allows tab only; multi-line text tab, line feed and carriage
// return).
func checkText(errs *validate.Errors, path string, s string, singleLine bool) {
	validate.CheckText(errs, path, s, singleLine, ErrInvalid)
}

// textOK reports whether checkText would accept s; it allocates nothing
// when it does.
func textOK(s string, singleLine bool) bool {
	var errs validate.Errors
	return validate.CheckText(&errs, "", s, singleLine, nil)
}

// checkTextAt is checkText of field of the record at path, whose path
// it spells only for a problem.
func checkTextAt(errs *validate.Errors, path at, field, s string, singleLine bool) {
	if !textOK(s, singleLine) {
		checkText(errs, path.f(field), s, singleLine)
	}
}

// checkSkills reports the skills of the technician or job type at path
// that are not single-line text.
func checkSkills(errs *validate.Errors, path at, skills []string) {
	for k, sk := range skills {
		if !textOK(sk, true) {
			checkText(errs, validate.Index(path.f(".skills"), k), sk, true)
		}
	}
}

// MaxAppointmentSeconds is the longest an appointment may last, and a job
// type's duration: seven days, as a shift ([shifts.MaxLength]).
const MaxAppointmentSeconds = shifts.MaxLength

// minInstant and maxInstant are [hours.MinInstant] and
// [hours.MaxInstant] in Unix seconds.
var minInstant, maxInstant = hours.MinInstant.Unix(), hours.MaxInstant.Unix()

// inYears reports whether Unix seconds u lie in the years
// [hours.CheckInstant] accepts, [hours.MinInstant, hours.MaxInstant):
// exactly when the instant does, both bounds being whole seconds. Unset
// does not.
func inYears(u int64) bool { return u >= minInstant && u < maxInstant }

// optInYears is inYears for an optional instant: unset (the zero time,
// not checked here) passes.
func optInYears(u int64) bool { return u == unset || inYears(u) }

// checkInstant reports t at path+field when it is set and outside the
// years [hours.CheckInstant] accepts, and returns whether it reported.
func checkInstant(errs *validate.Errors, path at, field string, t time.Time) bool {
	if t.IsZero() {
		return false // checkTimes reports a missing one
	}
	if err := hours.CheckInstant(t); err != nil {
		errs.Add(path.f(field), "capacity: %v: %w", err, ErrInvalid)
		return true
	}
	return false
}

// checkTimes checks an appointment's span and arrival window; path is the
// appointment's place. Start and End are required; a window is both zero
// (none) or both set. With instants set it also checks that the instants
// lie in the years [hours.CheckInstant] accepts (records built in code
// and updates; a loader that checks them where it parses them reports
// them once, at the same paths).
func checkTimes(errs *validate.Errors, path at, id int64, startT, endT, awStartT, awEndT time.Time, instants bool) {
	start, end, awStart, awEnd := unix(startT), unix(endT), unix(awStartT), unix(awEndT)
	outside := false // an instant out of range: its length is no news
	// This runs for every appointment of a tenant: the instants are
	// compared as Unix seconds, and only a tenant with one out of range
	// takes the slow path, which reports it as [hours.CheckInstant] does.
	// An instant t is in [MinInstant, MaxInstant) exactly when its Unix
	// seconds (rounded down) are: both bounds are whole seconds.
	if instants && !(optInYears(start) && optInYears(end) && optInYears(awStart) && optInYears(awEnd)) {
		outside = checkInstant(errs, path, ".start", startT)
		outside = checkInstant(errs, path, ".end", endT) || outside
		outside = checkInstant(errs, path, ".arrivalWindowStart", awStartT) || outside
		outside = checkInstant(errs, path, ".arrivalWindowEnd", awEndT) || outside
	}
	if startT.IsZero() {
		errs.Add(path.f(".start"), "capacity: appointment %d has no start: %w", id, ErrInvalid)
	}
	if endT.IsZero() {
		errs.Add(path.f(".end"), "capacity: appointment %d has no end: %w", id, ErrInvalid)
	}
	if awStartT.IsZero() != awEndT.IsZero() {
		errs.Add(path.f(".arrivalWindowStart"), "capacity: appointment %d's arrival window has one bound: set both or neither: %w", id, ErrInvalid)
	}
	if !startT.IsZero() && !endT.IsZero() && end <= start {
		errs.Add(path.f(".end"), "capacity: appointment %d ends before it starts: %w", id, ErrInvalid)
	}
	if !startT.IsZero() && !endT.IsZero() && !outside && end-start > MaxAppointmentSeconds {
		// A year typed wrong (2030 for 2027) would otherwise hold its
		// minutes as pending work in every window for years.
		errs.Add(path.f(".end"), "capacity: appointment %d lasts %.1f days; at most %d days: %w", id,
			float64(end-start)/86400, MaxAppointmentSeconds/86400, ErrInvalid)
	}
	if awEnd < awStart && !awEndT.IsZero() {
		errs.Add(path.f(".arrivalWindowEnd"), "capacity: appointment %d's arrival window ends before it starts: %w", id, ErrInvalid)
	}
}
