package tenant

import (
	"bytes"
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
	r, err := skipBOMReader(r)
	if err != nil {
		return nil, fmt.Errorf("tenant: %w", err)
	}
	f := new(File)
	return parsed(f, validate.UnmarshalRead(r, f), opts)
}

// skipBOMReader returns a reader of r's bytes without a leading
// byte-order mark. A read error is returned as it is.
func skipBOMReader(r io.Reader) (io.Reader, error) {
	if r == nil {
		return nil, errors.New("no file to read (a nil io.Reader)")
	}
	head := make([]byte, len(validate.BOM))
	n, err := io.ReadFull(r, head)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return bytes.NewReader(validate.TrimBOM(head[:n])), nil
	case err != nil:
		return nil, err
	case string(head) == validate.BOM:
		return r, nil
	}
	return io.MultiReader(bytes.NewReader(head), r), nil
}

// Parse parses and validates a tenant file and builds its engine. The
// options configure the engine (clock, maximum range). The error lists
// every problem with its path; see the package documentation.
func Parse(data []byte, opts ...capacity.Option) (*Tenant, error) {
	data = validate.TrimBOM(data)
	f := new(File)
	return parsed(f, validate.Unmarshal(data, f), opts)
}

// parsed builds the tenant of f, decoded with err. Texts the records'
// types refuse (validate.ErrValue: a date-time that is not RFC 3339, an
// unknown status) are problems of meaning like the builder's own: they
// are reported with them, in the order of the records, and the rest is
// checked all the same. Any other decoding problem stops here.
func parsed(f *File, err error, opts []capacity.Option) (*Tenant, error) {
	var values validate.Errors
	if err != nil {
		var list validate.Errors
		if !errors.As(err, &list) {
			return nil, fmt.Errorf("tenant: %w", err)
		}
		for _, e := range list {
			if !errors.Is(e, validate.ErrValue) {
				_, err := decoded(nil, err)
				return nil, err
			}
		}
		values = list
	}
	return build(f, true, opts, values)
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
	data = validate.TrimBOM(data)
	f := new(File)
	return decoded(f, validate.Unmarshal(data, f))
}

// DecodeReader is [Decode] reading the file from r as it decodes it,
// through a buffer of a few hundred KiB: a large tenant's bytes and its
// decoded records are never in memory together. A read error is returned
// wrapped.
func DecodeReader(r io.Reader) (*File, error) {
	r, err := skipBOMReader(r)
	if err != nil {
		return nil, fmt.Errorf("tenant: %w", err)
	}
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
	// values are the decoder's problems with values of the records, not
	// yet reported (see valuesOf); unlisted is the problem that counts
	// those the decoder found past validate.MaxProblems, reported last.
	values   validate.Errors
	unlisted validate.Errors
	errs     validate.Errors
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

// valuesOf reports, in their order, the decoder's problems with values
// whose path starts with list ("appointments["), or with none of the
// record lists when list is "", with the tenant's prefix unless the
// message names its package already, and marks their records bad.
func (b *builder) valuesOf(list string) {
	keep := b.values[:0]
	for _, e := range b.values {
		in := strings.HasPrefix(e.Path, list)
		if list == "" {
			in = !strings.HasPrefix(e.Path, "shifts[") && !strings.HasPrefix(e.Path, "appointments[") && !strings.HasPrefix(e.Path, "assignments[")
		}
		if !in {
			keep = append(keep, e)
			continue
		}
		msg := e.Msg
		if !hasPackagePrefix(msg) {
			msg = "tenant: " + msg
		}
		// AddErr, not append: past validate.MaxProblems the list counts
		// problems instead of listing them.
		b.errs.AddErr("", &validate.Error{Path: e.Path, Msg: msg, Err: e.Err})
		b.bad = append(b.bad, e.Path)
	}
	b.values = keep
}

// hasPackagePrefix reports whether msg starts with a package's name and a
// colon, as "capacity: unknown assignment status" does.
func hasPackagePrefix(msg string) bool {
	name, _, ok := strings.Cut(msg, ": ")
	if !ok || name == "" {
		return false
	}
	for _, c := range name {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// check checks a decoded time at path: present when required, within
// the years 1900–2199, and whole seconds. A time the decoder could not read was reported
// already.
func (b *builder) check(path at, t time.Time, required bool) {
	if t.IsZero() {
		if required && !b.reported(path) {
			// The decoder gives 0001-01-01T00:00:00Z as it gives an absent
			// member: the zero time.
			b.add(path.String(), "tenant: a date-time is required: it is absent, or 0001-01-01T00:00:00Z, outside the supported years 1900–2199")
		}
		return
	}
	if err := hours.CheckInstant(t); err != nil {
		b.add(path.String(), "%v", err)
		return
	}
	if t.Nanosecond() != 0 {
		// As hours.ParseInstant says it: the engine keeps whole seconds
		// (DESIGN §3), and a fraction silently cut would move the time.
		b.add(path.String(), "tenant: date-time %s has a fraction of a second: instants are whole seconds", t.Format(time.RFC3339Nano))
	}
}

// reported reports whether a problem at path was reported: the zero
// value there is the decoder's, for a text it refused. It is asked only
// for zero times, which a valid file does not have.
func (b *builder) reported(path at) bool { return slices.Contains(b.bad, path.String()) }

// optTime parses an optional RFC 3339 date-time as instant does and
// returns it in the tenant's zone: absent (or not parsed, reported) is the
// zero time. The Unix epoch is an instant like any other (it came back
// absent, and a createdOn at it vanished from the next save).
func (b *builder) optTime(path at, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	n := len(b.bad)
	u := b.instant(path, s)
	if len(b.bad) > n {
		return time.Time{} // reported
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
	t, err := hours.ParseInstant(s) // the one parser: lower-case t and z, whole seconds
	if errors.Is(err, hours.ErrNotRFC3339) {
		b.add(path.String(), "tenant: %q is not an RFC 3339 date-time", s)
		return 0
	}
	if err != nil { // a fraction of a second, or out of range
		b.add(path.String(), "%v", err)
		return 0
	}
	if b.instants == nil {
		b.instants = make(map[string]int64)
	}
	b.instants[s] = t.Unix()
	return t.Unix()
}

func active(p *bool) bool { return p == nil || *p }

// Build validates f's records and builds the tenant. f is not modified;
// a nil f is an error.
//
// Repeated strings (zips, shift titles) and actors are shared rather than
// copied per record: a large tenant repeats a few dispatchers and a few
// hundred zips across hundreds of thousands of records.
func Build(f *File, opts ...capacity.Option) (*Tenant, error) {
	if f == nil {
		return nil, errors.New("tenant: no file to build (a nil *File)")
	}
	return build(f, false, opts, nil)
}

// build is [Build]. With own set, f is the caller's to consume: its
// records become the engine's, and each list of records is dropped from f
// once converted, so that the collector can reclaim it while the rest is
// converted and the engine built. values are the problems decoding found
// in values of f's records (each left zero), reported in their place.
func build(f *File, own bool, opts []capacity.Option, values validate.Errors) (*Tenant, error) {
	var b builder
	b.values = values
	if values.Unlisted() > 0 {
		// The problem that counts the rest has no path: not a value
		// problem outside the record lists.
		b.values, b.unlisted = values[:validate.MaxProblems], values[validate.MaxProblems:]
	}
	strs := map[string]string{}
	intern := func(s string) string {
		if v, ok := strs[s]; ok {
			return v
		}
		strs[s] = s
		return s
	}
	actors := map[capacity.Actor]*capacity.Actor{}
	var lastBy, lastActor *capacity.Actor
	actorOf := func(a *capacity.Actor) *capacity.Actor {
		if a == nil {
			return nil
		}
		if lastBy != nil && *a == *lastBy {
			return lastActor // records of one dispatcher come in runs
		}
		p, ok := actors[*a]
		if !ok {
			p = &capacity.Actor{ID: a.ID, Name: a.Name}
			actors[*a] = p
		}
		lastBy, lastActor = a, p
		return p
	}
	switch f.Version {
	case Version:
	case 0:
		b.add("version", "tenant: the version is missing (or 0): want \"version\": %d", Version)
	default:
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
	b.valuesOf("") // problems of values outside the record lists
	d := capacity.Data{Schedule: sched, Zones: dir, IdealBookingPercentage: f.IdealBookingPercentage, TravelBufferMinutes: f.TravelBufferMinutes}
	units := make(map[int64]bool, len(f.BusinessUnits))
	d.BusinessUnits = slices.Clone(f.BusinessUnits)
	for _, u := range f.BusinessUnits {
		units[u.ID] = true
	}
	for i, w := range f.ArrivalWindows {
		for k, u := range w.BusinessUnitIDs {
			if !units[u] {
				b.add(validate.Index(validate.Index("arrivalWindows", i)+".businessUnitIds", k), "tenant: unknown business unit %d", u)
			}
		}
	}
	d.JobTypes = slices.Clone(f.JobTypes)
	b.controls(f, &d, actorOf)
	d.Technicians = make([]capacity.Technician, 0, len(f.Technicians))
	for _, t := range f.Technicians {
		ct := capacity.Technician{ID: t.ID, Name: t.Name, BusinessUnitID: t.BusinessUnitID, Skills: t.Skills, ZoneIDs: t.ZoneIDs, Inactive: !active(t.Active)}
		if t.Home != nil {
			h := *t.Home
			ct.Home = &h
		}
		d.Technicians = append(d.Technicians, ct)
	}
	b.valuesOf("shifts[")
	d.Shifts = make([]shifts.Shift, 0, len(f.Shifts))
	for i := range f.Shifts {
		s := &f.Shifts[i]
		b.check(at{"shifts", i, ".start"}, s.Start, true)
		b.check(at{"shifts", i, ".end"}, s.End, true)
		b.check(at{"shifts", i, ".modifiedOn"}, s.ModifiedOn, false)
		sh := shifts.Shift{ID: s.ID, TechnicianID: s.TechnicianID, Type: s.ShiftType, Title: intern(s.Title), Note: intern(s.Note),
			Start: s.Start, End: s.End, Inactive: !active(s.Active), ModifiedOn: s.ModifiedOn}
		if !sh.Start.IsZero() && !sh.End.IsZero() && !sh.End.After(sh.Start) {
			// Said here rather than by the shifts package, which reads
			// the times in the location they come in: the times read as
			// the tenant writes them.
			b.add(at{"shifts", i, ".end"}.String(), "tenant: end %s is not after start %s: %w", b.local(sched, sh.End), b.local(sched, sh.Start), shifts.ErrInvalid)
		}
		d.Shifts = append(d.Shifts, sh)
	}
	if own {
		f.Shifts = nil
	}
	b.valuesOf("appointments[")
	d.Appointments = f.Appointments
	if !own {
		d.Appointments = slices.Clone(f.Appointments)
	}
	for i := range d.Appointments {
		a := &d.Appointments[i]
		b.check(at{"appointments", i, ".start"}, a.Start, true)
		b.check(at{"appointments", i, ".end"}, a.End, true)
		b.check(at{"appointments", i, ".arrivalWindowStart"}, a.ArrivalWindowStart, false)
		b.check(at{"appointments", i, ".arrivalWindowEnd"}, a.ArrivalWindowEnd, false)
		a.Zip = intern(a.Zip)
	}
	if own {
		f.Appointments = nil
	}
	b.valuesOf("assignments[")
	d.Assignments = f.Assignments
	if !own {
		d.Assignments = slices.Clone(f.Assignments)
	}
	for i := range d.Assignments {
		a := &d.Assignments[i]
		b.check(at{"assignments", i, ".assignedOn"}, a.AssignedOn, true)
		b.check(at{"assignments", i, ".unassignedOn"}, a.UnassignedOn, false)
		b.check(at{"assignments", i, ".modifiedOn"}, a.ModifiedOn, false)
		a.AssignedBy = actorOf(a.AssignedBy)
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
		rest := slices.DeleteFunc(slices.Clone(list), func(e *validate.Error) bool { return b.covered(e.Path) })
		b.errs.AddErr("", rest) // counted past validate.MaxProblems, as its own count is
	}
	b.errs.AddErr("", b.unlisted)
	if len(b.errs) > 0 {
		return nil, b.errs
	}
	b.strayAdjustments(d)
	return &Tenant{ID: f.Tenant, Engine: eng, GPS: gps.NewStore(pings...), Warnings: b.warns}, nil
}

// local formats t in the tenant's offset for a message, or quotes it as
// the file wrote it when the time zone did not load.
func (b *builder) local(sched *hours.Schedule, t time.Time) string {
	if sched == nil {
		return strconv.Quote(t.Format(time.RFC3339))
	}
	return t.In(sched.Location()).Format(time.RFC3339)
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
		BusinessUnits:          []capacity.BusinessUnit{},
		JobTypes:               []capacity.JobType{},
		Zones:                  []zones.Zone{},
		Technicians:            []Technician{},
		Shifts:                 []Shift{},
		Appointments:           []capacity.Appointment{},
		Assignments:            []capacity.Assignment{},
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
	byID(f.BusinessUnitGroups, func(g capacity.BusinessUnitGroup) int64 { return g.ID })
	byID(f.CapacityRules, func(r capacity.Rule) int64 { return r.ID })
	byID(f.CapacityAdjustments, func(a Adjustment) int64 { return a.ID })
	for _, tc := range d.Technicians {
		ft := Technician{ID: tc.ID, Name: tc.Name, BusinessUnitID: tc.BusinessUnitID, Skills: nonNil(tc.Skills), ZoneIDs: nonNil(tc.ZoneIDs), Active: yes(tc.IsActive())}
		if tc.Home != nil {
			h := *tc.Home
			ft.Home = &h
		}
		f.Technicians = append(f.Technicians, ft)
	}
	for _, s := range d.Shifts {
		f.Shifts = append(f.Shifts, Shift{ID: s.ID, TechnicianID: s.TechnicianID, ShiftType: s.Type, Title: s.Title, Note: s.Note,
			Start: s.Start, End: s.End, Active: yes(s.IsActive()), ModifiedOn: s.ModifiedOn}) // times in the tenant's zone
	}
	// The engine's records, its times in the tenant's zone: written in
	// its offset.
	f.Appointments = append(f.Appointments, d.Appointments...)
	for _, a := range d.Assignments {
		if a.AssignedBy != nil {
			by := *a.AssignedBy
			a.AssignedBy = &by
		}
		f.Assignments = append(f.Assignments, a)
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
