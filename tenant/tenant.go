package tenant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/gps"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
	"github.com/opendispatch/dispatch/zones"
)

// Tenant is one tenant's loaded state.
type Tenant struct {
	// ID is the tenant id of the file ("0000000").
	ID string
	// Engine answers capacity requests and holds technicians, shifts,
	// appointments and the assignment ledger.
	Engine *capacity.Engine
	// GPS holds the technicians' pings.
	GPS *gps.Store
	// Warnings are the file's problems that do not stop it loading, each
	// with its JSON path, in the order found: the tenant loads and answers,
	// but something is probably not what its author meant (today: a legacy
	// time zone name, see [hours.ZoneWarning]). Nil when there are none.
	// Callers show them; the command line prints each on stderr as
	// "dispatch: warning: PATH: MESSAGE" and goes on.
	Warnings validate.Errors
}

// ErrSyntax is wrapped by the error for a file that is not JSON. It is
// [validate.ErrSyntax], which wraps [validate.ErrJSON].
var ErrSyntax = validate.ErrSyntax

// Load reads and parses a tenant file from r. See [Parse]. The file is
// decoded as it is read ([DecodeReader]), never all in memory at once, and
// each list of decoded records is let go as soon as it is converted.
func Load(r io.Reader, opts ...capacity.Option) (*Tenant, error) {
	f, err := DecodeReader(r)
	if err != nil {
		return nil, err
	}
	return build(f, true, opts)
}

// Parse parses and validates a tenant file and builds its engine. The
// options configure the engine (clock, maximum range). The error lists
// every problem with its path; see the package documentation.
func Parse(data []byte, opts ...capacity.Option) (*Tenant, error) {
	f, err := Decode(data)
	if err != nil {
		return nil, err
	}
	return build(f, true, opts)
}

// Decode checks data's JSON shape strictly and decodes it, without
// checking the records' meaning: keys are matched exactly, unknown fields,
// duplicate keys and values of the wrong JSON type are errors, each
// reported with its path (see [validate.Unmarshal]); the error lists them
// all, or the problems before the first syntax error and that error.
//
// The File shares equal short strings (time stamps, postal codes) among
// its records. Decode keeps no reference to data.
func Decode(data []byte) (*File, error) {
	f := new(File)
	return decoded(f, validate.Unmarshal(data, f))
}

// DecodeReader is [Decode] reading the file from r as it decodes it,
// through a buffer of a few hundred KiB: a large tenant's bytes and its
// decoded records are never in memory together. A read error is returned
// wrapped.
func DecodeReader(r io.Reader) (*File, error) {
	f := new(File)
	return decoded(f, validate.UnmarshalRead(r, f))
}

// decoded returns f, or err's problems in the tenant's words.
func decoded(f *File, err error) (*File, error) {
	if err == nil {
		return f, nil
	}
	var list validate.Errors
	if !errors.As(err, &list) {
		return nil, fmt.Errorf("tenant: %w", err)
	}
	for _, e := range list {
		if errors.Is(e, validate.ErrEmpty) {
			e.Msg = "malformed JSON: the file is empty"
		}
		e.Msg = "tenant: " + e.Msg
	}
	return nil, list
}

// builder converts a File's records, collecting problems with paths.
type builder struct {
	errs validate.Errors
	// warns are the non-fatal problems, for Tenant.Warnings.
	warns validate.Errors
	// bad holds the paths of records that had a conversion problem, so
	// that the cross-reference check does not repeat it in other words.
	bad []string
	// instants memoizes the date-times parsed and checked: a large file
	// repeats a few thousand distinct ones millions of times (the decoder
	// shares their strings, but each would still be parsed).
	instants map[string]int64
	// loc is the tenant's time zone once it loaded, else UTC: the
	// records' times are built in it.
	loc *time.Location
}

// time parses a required RFC 3339 time as instant does and returns it in
// the tenant's zone; the zero time when it did not parse (reported).
func (b *builder) time(path at, s string) time.Time { return b.at(b.instant(path, s)) }

// optTime is time for an optional date-time: absent is the zero time.
func (b *builder) optTime(path at, s string) time.Time { return b.at(b.optInstant(path, s)) }

// at returns Unix seconds u in the tenant's zone, or the zero time for 0.
func (b *builder) at(u int64) time.Time {
	if u == 0 {
		return time.Time{}
	}
	return time.Unix(u, 0).In(b.loc)
}

func (b *builder) add(path, format string, args ...any) {
	b.errs.Add(path, format, args...)
	b.bad = append(b.bad, path)
}

// warn records a non-fatal problem at path.
func (b *builder) warn(path, format string, args ...any) { b.warns.Add(path, format, args...) }

// at names a field of element i of a record list ("shifts", 3,
// ".start"); its path string is built only when a problem is reported,
// so that converting a large tenant builds no string per record.
type at struct {
	list  string
	i     int
	field string
}

func (a at) String() string { return validate.Index(a.list, a.i) + a.field }

// instant parses a required RFC 3339 time within the years 1900–2199.
func (b *builder) instant(path at, s string) int64 {
	if u, ok := b.instants[s]; ok {
		return u
	}
	if s == "" {
		b.add(path.String(), "tenant: a date-time is required")
		return 0
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		b.add(path.String(), "tenant: %q is not an RFC 3339 date-time", s)
		return 0
	}
	if err := hours.CheckInstant(t); err != nil {
		b.add(path.String(), "%v", err)
		return 0
	}
	if b.instants == nil {
		b.instants = make(map[string]int64)
	}
	b.instants[s] = t.Unix()
	return t.Unix()
}

// optInstant parses an optional RFC 3339 time; absent is 0.
func (b *builder) optInstant(path at, s string) int64 {
	if s == "" {
		return 0
	}
	return b.instant(path, s)
}

func active(p *bool) bool { return p == nil || *p }

// Build validates f's records and builds the tenant. f is not modified.
//
// Repeated strings (zips, shift titles) and actors are shared rather than
// copied per record: a large tenant repeats a few dispatchers and a few
// hundred zips across hundreds of thousands of records.
func Build(f *File, opts ...capacity.Option) (*Tenant, error) { return build(f, false, opts) }

// build is [Build]. With own set, f is the caller's to consume: each list
// of records is dropped from f once converted, so that the collector can
// reclaim it while the rest is converted and the engine built.
func build(f *File, own bool, opts []capacity.Option) (*Tenant, error) {
	var b builder
	strs := map[string]string{}
	intern := func(s string) string {
		if v, ok := strs[s]; ok {
			return v
		}
		strs[s] = s
		return s
	}
	actors := map[Actor]*capacity.Actor{}
	actorOf := func(a *Actor) *capacity.Actor {
		if a == nil {
			return nil
		}
		p, ok := actors[*a]
		if !ok {
			p = &capacity.Actor{ID: a.ID, Name: a.Name}
			actors[*a] = p
		}
		return p
	}
	if f.Version != Version {
		b.add("version", "tenant: version %d is not supported (want %d)", f.Version, Version)
	}
	if strings.TrimSpace(f.Tenant) == "" {
		b.add("tenant", "tenant: the tenant id is required")
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: f.TimeZone, BusinessHours: f.BusinessHours, Exceptions: f.Exceptions, ArrivalWindows: f.ArrivalWindows})
	b.loc = time.UTC
	if err != nil {
		b.errs.AddErr("", err)
		b.bad = append(b.bad, "timeZone")
	} else {
		b.loc = sched.Location()
		if w := hours.ZoneWarning(f.TimeZone); w != "" {
			b.warn("timeZone", "%s", w)
		}
	}
	dir, err := zones.New(f.Zones)
	if err != nil {
		b.errs.AddErr("zones", err)
		b.bad = append(b.bad, "technicians[") // zone references cannot be checked
	}
	d := capacity.Data{Schedule: sched, Zones: dir, IdealBookingPercentage: f.IdealBookingPercentage, TravelBufferMinutes: f.TravelBufferMinutes}
	units := make(map[int64]bool, len(f.BusinessUnits))
	for _, u := range f.BusinessUnits {
		d.BusinessUnits = append(d.BusinessUnits, capacity.BusinessUnit{ID: u.ID, Name: u.Name, IdealBookingPercentage: u.IdealBookingPercentage,
			ReservePercentage: u.ReservePercentage})
		units[u.ID] = true
	}
	for i, w := range f.ArrivalWindows {
		for k, u := range w.BusinessUnitIDs {
			if !units[u] {
				b.add(validate.Index(validate.Index("arrivalWindows", i)+".businessUnitIds", k), "tenant: unknown business unit %d", u)
			}
		}
	}
	for _, j := range f.JobTypes {
		d.JobTypes = append(d.JobTypes, capacity.JobType{ID: j.ID, Name: j.Name, DurationMinutes: j.DurationMinutes, Skills: j.Skills, BusinessUnitIDs: j.BusinessUnitIDs,
			Priority: j.Priority, TravelBufferMinutes: j.TravelBufferMinutes})
	}
	b.controls(f, &d, actorOf)
	d.Technicians = make([]capacity.Technician, 0, len(f.Technicians))
	for _, t := range f.Technicians {
		ct := capacity.Technician{ID: t.ID, Name: t.Name, BusinessUnitID: t.BusinessUnitID, Skills: t.Skills, ZoneIDs: t.ZoneIDs, Inactive: !active(t.Active)}
		if t.Home != nil {
			ct.Home = &capacity.Point{Latitude: t.Home.Latitude, Longitude: t.Home.Longitude}
		}
		d.Technicians = append(d.Technicians, ct)
	}
	d.Shifts = make([]shifts.Shift, 0, len(f.Shifts))
	for i := range f.Shifts {
		s := &f.Shifts[i]
		typ, err := shifts.ParseType(s.ShiftType)
		if err != nil {
			b.add(at{"shifts", i, ".shiftType"}.String(), "%v", err)
		}
		sh := shifts.Shift{ID: s.ID, TechnicianID: s.TechnicianID, Type: typ, Title: intern(s.Title), Note: intern(s.Note),
			Start: b.time(at{"shifts", i, ".start"}, s.Start), End: b.time(at{"shifts", i, ".end"}, s.End), Inactive: !active(s.Active),
			ModifiedOn: b.optTime(at{"shifts", i, ".modifiedOn"}, s.ModifiedOn)}
		if !sh.Start.IsZero() && !sh.End.IsZero() && !sh.End.After(sh.Start) {
			// Said here rather than by the shifts package, which reads
			// the times in the location they come in: the times read as
			// the tenant writes them.
			b.add(at{"shifts", i, ".end"}.String(), "tenant: end %s is not after start %s: %w", b.local(sched, sh.End.Unix(), s.End), b.local(sched, sh.Start.Unix(), s.Start), shifts.ErrInvalid)
		}
		d.Shifts = append(d.Shifts, sh)
	}
	if own {
		f.Shifts = nil
	}
	d.Appointments = make([]capacity.Appointment, 0, len(f.Appointments))
	for i := range f.Appointments {
		a := &f.Appointments[i]
		d.Appointments = append(d.Appointments, capacity.Appointment{ID: a.ID, JobID: a.JobID, JobTypeID: a.JobTypeID, BusinessUnitID: a.BusinessUnitID,
			Start: b.time(at{"appointments", i, ".start"}, a.Start), End: b.time(at{"appointments", i, ".end"}, a.End),
			ArrivalWindowStart: b.optTime(at{"appointments", i, ".arrivalWindowStart"}, a.ArrivalWindowStart),
			ArrivalWindowEnd:   b.optTime(at{"appointments", i, ".arrivalWindowEnd"}, a.ArrivalWindowEnd), Zip: intern(a.Zip), Canceled: a.Canceled})
	}
	if own {
		f.Appointments = nil
	}
	d.Assignments = make([]capacity.Assignment, 0, len(f.Assignments))
	for i := range f.Assignments {
		a := &f.Assignments[i]
		st, err := capacity.ParseStatus(a.Status)
		if err != nil {
			b.add(at{"assignments", i, ".status"}.String(), "%v", err)
		}
		rec := capacity.Assignment{ID: a.ID, AppointmentID: a.JobAppointmentID, TechnicianID: a.TechnicianID, Status: st,
			AssignedOn: b.time(at{"assignments", i, ".assignedOn"}, a.AssignedOn), UnassignedOn: b.optTime(at{"assignments", i, ".unassignedOn"}, a.UnassignedOn),
			ModifiedOn: b.optTime(at{"assignments", i, ".modifiedOn"}, a.ModifiedOn)}
		rec.AssignedBy = actorOf(a.AssignedBy)
		d.Assignments = append(d.Assignments, rec)
	}
	if own {
		f.Assignments = nil
	}
	techs := make(map[int64]bool, len(f.Technicians))
	for _, t := range f.Technicians {
		techs[t.ID] = true
	}
	pings := make([]gps.Ping, 0, len(f.GPSPings))
	for i := range f.GPSPings {
		p := &f.GPSPings[i]
		gp := gps.Ping{TechnicianID: p.TechnicianID, Latitude: p.Latitude, Longitude: p.Longitude, Speed: p.Speed, Heading: p.Heading,
			Time: b.instant(at{"gpsPings", i, ".utcDateTime"}, p.UTCDateTime)}
		if err := gp.Validate(); err != nil {
			b.errs.AddErr(validate.Index("gpsPings", i), err)
		}
		if !techs[p.TechnicianID] {
			b.add(at{"gpsPings", i, ".technicianId"}.String(), "tenant: unknown technician %d", p.TechnicianID)
		}
		pings = append(pings, gp)
	}
	if own {
		f.GPSPings = nil
	}
	b.instants, strs = nil, nil
	// capacity.New validates the records and their references; its
	// problems join ours, less the ones that only repeat a conversion
	// problem.
	eng, err := capacity.New(d, opts...)
	if err != nil {
		var list validate.Errors
		if !errors.As(err, &list) {
			return nil, err
		}
		for _, e := range list {
			if !b.covered(e.Path) {
				b.errs = append(b.errs, e)
			}
		}
	}
	if len(b.errs) > 0 {
		return nil, b.errs
	}
	b.strayAdjustments(d)
	return &Tenant{ID: f.Tenant, Engine: eng, GPS: gps.NewStore(pings...), Warnings: b.warns}, nil
}

// local formats instant u in the tenant's offset for a message, or quotes
// the file's text when the time zone did not load.
func (b *builder) local(sched *hours.Schedule, u int64, text string) string {
	if sched == nil {
		return strconv.Quote(text)
	}
	return time.Unix(u, 0).In(sched.Location()).Format(time.RFC3339)
}

// covered reports whether a problem at path is a consequence of a
// conversion problem already reported: the same field, or a time or status
// check of a record whose times or status did not parse (they read as
// zero, so "ends before it starts" would only repeat the first message).
func (b *builder) covered(path string) bool {
	derived := map[string]bool{"start": true, "end": true, "arrivalWindowStart": true, "arrivalWindowEnd": true,
		"status": true, "assignedOn": true, "unassignedOn": true, "modifiedOn": true, "shiftType": true}
	if strings.HasPrefix(path, "capacityAdjustments[") {
		// An adjustment's date and clocks: one that did not parse reads
		// as zero, so "the window is empty" would only repeat it.
		derived = map[string]bool{"date": true, "from": true, "to": true}
	}
	for _, p := range b.bad {
		if p == "technicians[" {
			if strings.Contains(path, ".zoneIds") {
				return true
			}
			continue
		}
		if path == p {
			return true
		}
		rec, field, _ := strings.Cut(p, ".")
		if pf, ok := strings.CutPrefix(path, rec+"."); ok && derived[pf] && derived[field] {
			return true
		}
	}
	return false
}

// File returns the tenant's current state in the canonical file form.
func (t *Tenant) File() *File {
	e := t.Engine
	d := e.Data()
	loc := e.Location()
	local := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	optLocal := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return local(t)
	}
	yes := func(v bool) *bool { return &v }
	rules := e.Schedule().Rules()
	f := &File{
		Version:                Version,
		Tenant:                 t.ID,
		TimeZone:               rules.TimeZone,
		IdealBookingPercentage: d.IdealBookingPercentage,
		BusinessHours:          hours.BusinessHours{Weekdays: nonNil(rules.BusinessHours.Weekdays)},
		Exceptions:             nonNil(rules.Exceptions),
		ArrivalWindows:         nonNil(rules.ArrivalWindows),
		BusinessUnits:          []BusinessUnit{},
		JobTypes:               []JobType{},
		Zones:                  []zones.Zone{},
		Technicians:            []Technician{},
		Shifts:                 []Shift{},
		Appointments:           []Appointment{},
		Assignments:            []Assignment{},
		GPSPings:               []Ping{},
	}
	for i := range f.BusinessHours.Weekdays {
		f.BusinessHours.Weekdays[i].TimeSlots = nonNil(f.BusinessHours.Weekdays[i].TimeSlots)
	}
	for i := range f.Exceptions {
		f.Exceptions[i].TimeSlots = nonNil(f.Exceptions[i].TimeSlots)
	}
	for i := range f.ArrivalWindows {
		f.ArrivalWindows[i].Weekdays = nonNil(f.ArrivalWindows[i].Weekdays)
		f.ArrivalWindows[i].BusinessUnitIDs = nonNil(f.ArrivalWindows[i].BusinessUnitIDs)
	}
	if dir := e.Zones(); dir != nil {
		for _, z := range dir.Zones() {
			z.Zips, z.Cities = nonNil(z.Zips), nonNil(z.Cities)
			f.Zones = append(f.Zones, z)
		}
	}
	for _, u := range d.BusinessUnits {
		f.BusinessUnits = append(f.BusinessUnits, BusinessUnitOf(u))
	}
	for _, j := range d.JobTypes {
		f.JobTypes = append(f.JobTypes, JobTypeOf(j))
	}
	f.TravelBufferMinutes = d.TravelBufferMinutes
	for _, g := range d.BusinessUnitGroups {
		f.BusinessUnitGroups = append(f.BusinessUnitGroups, GroupOf(g))
	}
	for _, r := range d.CapacityRules {
		f.CapacityRules = append(f.CapacityRules, RuleOf(r))
	}
	for _, a := range d.CapacityAdjustments {
		f.CapacityAdjustments = append(f.CapacityAdjustments, AdjustmentOf(a, loc))
	}
	byID(f.BusinessUnitGroups, func(g BusinessUnitGroup) int64 { return g.ID })
	byID(f.CapacityRules, func(r Rule) int64 { return r.ID })
	byID(f.CapacityAdjustments, func(a Adjustment) int64 { return a.ID })
	for _, tc := range d.Technicians {
		ft := Technician{ID: tc.ID, Name: tc.Name, BusinessUnitID: tc.BusinessUnitID, Skills: nonNil(tc.Skills), ZoneIDs: nonNil(tc.ZoneIDs), Active: yes(tc.IsActive())}
		if tc.Home != nil {
			ft.Home = &Point{Latitude: tc.Home.Latitude, Longitude: tc.Home.Longitude}
		}
		f.Technicians = append(f.Technicians, ft)
	}
	for _, s := range d.Shifts {
		f.Shifts = append(f.Shifts, Shift{ID: s.ID, TechnicianID: s.TechnicianID, ShiftType: s.Type.String(), Title: s.Title, Note: s.Note,
			Start: local(s.Start), End: local(s.End), Active: yes(s.IsActive()), ModifiedOn: optLocal(s.ModifiedOn)})
	}
	for _, a := range d.Appointments {
		f.Appointments = append(f.Appointments, Appointment{ID: a.ID, JobID: a.JobID, JobTypeID: a.JobTypeID, BusinessUnitID: a.BusinessUnitID,
			Start: local(a.Start), End: local(a.End), ArrivalWindowStart: optLocal(a.ArrivalWindowStart), ArrivalWindowEnd: optLocal(a.ArrivalWindowEnd), Zip: a.Zip,
			Canceled: a.Canceled})
	}
	for _, a := range d.Assignments {
		fa := Assignment{ID: a.ID, JobAppointmentID: a.AppointmentID, TechnicianID: a.TechnicianID, AssignedOn: local(a.AssignedOn),
			UnassignedOn: optLocal(a.UnassignedOn), Status: a.Status.String(), ModifiedOn: optLocal(a.ModifiedOn)}
		if a.AssignedBy != nil {
			fa.AssignedBy = &Actor{ID: a.AssignedBy.ID, Name: a.AssignedBy.Name}
		}
		f.Assignments = append(f.Assignments, fa)
	}
	for _, p := range t.GPS.All() {
		f.GPSPings = append(f.GPSPings, Ping{TechnicianID: p.TechnicianID, Latitude: p.Latitude, Longitude: p.Longitude, Speed: p.Speed, Heading: p.Heading,
			UTCDateTime: time.Unix(p.Time, 0).UTC().Format(time.RFC3339)})
	}
	return f
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clone(s)
}

// Save writes the tenant's canonical file to w.
func (t *Tenant) Save(w io.Writer) error { return t.File().Write(w) }

// Write writes f as indented JSON with a final newline. Text is written as
// it is: "Lakewood & Golden", not "Lakewood \u0026 Golden" (encoding/json
// escapes &, < and > for HTML by default; a tenant file is not HTML).
func (f *File) Write(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("tenant: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
