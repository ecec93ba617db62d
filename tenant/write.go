package tenant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/opendispatch/dispatch/capacity"
)

// flushAt is the size at which the writer hands its buffer to the
// destination: large enough that a file is written in few calls, small
// enough that a whole file is never held in memory.
const flushAt = 64 << 10

// Write writes f as indented JSON with a final newline, in the canonical
// form of the package documentation. Text is written as it is:
// "Lakewood & Golden", not "Lakewood \u0026 Golden" (encoding/json
// escapes &, < and > for HTML by default; a tenant file is not HTML).
//
// The bytes are exactly those of encoding/json's Encoder with
// SetEscapeHTML(false) and SetIndent("", "  ") (the differential tests
// hold Write to it), but the large lists — technicians, shifts,
// appointments, assignments and GPS pings — are written by hand, without
// reflection, and the file is streamed to w in pieces of about 64 KiB
// rather than built whole in memory first.
//
// A value JSON cannot hold (a time whose year is outside 0–9999 or whose
// offset is not whole minutes under 24 hours, a NaN or infinite float, an
// invalid status or shift type) is an error naming its path, e.g.
// "tenant: shifts[3].end: …". The file may then have been written in
// part: write to a temporary file and rename it only on success, as
// internal/base/atomicfile does.
func (f *File) Write(w io.Writer) error {
	e := &encoder{w: w, b: make([]byte, 0, flushAt+4096)}
	e.file(f)
	if e.err == nil {
		e.flush()
	}
	if e.err != nil {
		return e.err
	}
	return nil
}

// encoder appends the file to b and hands b to w whenever it passes
// flushAt. err is the first error, of writing or of a value; once set,
// nothing more is written.
type encoder struct {
	w   io.Writer
	b   []byte
	err error
}

func (e *encoder) flush() {
	if e.err != nil || len(e.b) == 0 {
		return
	}
	_, e.err = e.w.Write(e.b)
	e.b = e.b[:0]
}

// maybeFlush flushes the buffer once it is full; called between records.
func (e *encoder) maybeFlush() {
	if len(e.b) >= flushAt {
		e.flush()
	}
}

// fail records the first value error, with its path.
func (e *encoder) fail(path string, err error) {
	if e.err == nil {
		e.err = fmt.Errorf("tenant: %s: %w", path, err)
	}
}

// Indentation, by depth: depth d is 2d spaces.
const spaces = "                    "

func (e *encoder) nl(depth int) {
	e.b = append(e.b, '\n')
	e.b = append(e.b, spaces[:2*depth]...)
}

// key starts a member of an object at depth (its members' indentation):
// a comma unless first, the new line, the name and ": ".
func (e *encoder) key(depth int, first bool, name string) {
	if !first {
		e.b = append(e.b, ',')
	}
	e.nl(depth)
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	e.b = append(e.b, '"', ':', ' ')
}

func (e *encoder) int(v int64) { e.b = strconv.AppendInt(e.b, v, 10) }

func (e *encoder) bool(v bool) { e.b = strconv.AppendBool(e.b, v) }

func (e *encoder) string(s string) { e.b = appendString(e.b, s) }

// float writes member of list[i], f; the path is built only for an error.
func (e *encoder) float(list string, i int, member string, f float64) {
	b, err := appendFloat(e.b, f)
	if err != nil {
		e.fail(path(list, i, member), err)
		return
	}
	e.b = b
}

// time writes member of list[i], t; the path is built only for an error.
func (e *encoder) time(list string, i int, member string, t time.Time) {
	b, err := appendTime(e.b, t)
	if err != nil {
		e.fail(path(list, i, member), err)
		return
	}
	e.b = b
}

// timeMember writes member of list[i], t, at a record's depth; an unset
// optional instant (omitZero and the zero time) is left out.
func (e *encoder) timeMember(list string, i int, member string, t time.Time, omitZero bool) {
	if omitZero && t.IsZero() {
		return
	}
	e.key(3, false, member)
	e.time(list, i, member, t)
}

// value writes v by reflection, as encoding/json does within an indented
// value at depth: for the file's small lists and objects, where it costs
// nothing that matters.
func (e *encoder) value(path string, depth int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(spaces[:2*depth], "  ")
	if err := enc.Encode(v); err != nil {
		e.fail(path, err)
		return
	}
	e.b = append(e.b, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...)
}

// list writes a JSON array of n elements at depth, each written by elem
// at depth+1 after its new line: [] when empty, null when nil.
func (e *encoder) list(isNil bool, n, depth int, elem func(i int)) {
	switch {
	case isNil:
		e.b = append(e.b, "null"...)
		return
	case n == 0:
		e.b = append(e.b, '[', ']')
		return
	}
	e.b = append(e.b, '[')
	for i := 0; i < n && e.err == nil; i++ {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.nl(depth + 1)
		elem(i)
		e.maybeFlush()
	}
	e.nl(depth)
	e.b = append(e.b, ']')
}

func (e *encoder) ints(v []int64, depth int) {
	e.list(v == nil, len(v), depth, func(i int) { e.int(v[i]) })
}

func (e *encoder) strings(v []string, depth int) {
	e.list(v == nil, len(v), depth, func(i int) { e.string(v[i]) })
}

// file writes f: its members in the order of File's fields, with their
// omitempty and omitzero rules.
func (e *encoder) file(f *File) {
	e.b = append(e.b, '{')
	e.key(1, true, "version")
	e.int(int64(f.Version))
	e.key(1, false, "tenant")
	e.string(f.Tenant)
	e.key(1, false, "timeZone")
	e.string(f.TimeZone)
	if f.IdealBookingPercentage != 0 {
		e.key(1, false, "idealBookingPercentage")
		e.int(int64(f.IdealBookingPercentage))
	}
	if f.TravelBufferMinutes != 0 {
		e.key(1, false, "travelBufferMinutes")
		e.int(int64(f.TravelBufferMinutes))
	}
	e.key(1, false, "businessHours")
	e.value("businessHours", 1, f.BusinessHours)
	e.key(1, false, "exceptions")
	e.value("exceptions", 1, f.Exceptions)
	e.key(1, false, "arrivalWindows")
	e.value("arrivalWindows", 1, f.ArrivalWindows)
	e.key(1, false, "businessUnits")
	e.value("businessUnits", 1, f.BusinessUnits)
	if len(f.BusinessUnitGroups) > 0 {
		e.key(1, false, "businessUnitGroups")
		e.value("businessUnitGroups", 1, f.BusinessUnitGroups)
	}
	e.key(1, false, "jobTypes")
	e.value("jobTypes", 1, f.JobTypes)
	if len(f.CapacityRules) > 0 {
		e.key(1, false, "capacityRules")
		e.value("capacityRules", 1, f.CapacityRules)
	}
	if len(f.CapacityAdjustments) > 0 {
		e.key(1, false, "capacityAdjustments")
		e.value("capacityAdjustments", 1, f.CapacityAdjustments)
	}
	e.key(1, false, "zones")
	e.value("zones", 1, f.Zones)
	e.maybeFlush()
	e.key(1, false, "technicians")
	e.list(f.Technicians == nil, len(f.Technicians), 1, func(i int) { e.technician(i, &f.Technicians[i]) })
	e.key(1, false, "shifts")
	e.list(f.Shifts == nil, len(f.Shifts), 1, func(i int) { e.shift(i, &f.Shifts[i]) })
	e.key(1, false, "appointments")
	e.list(f.Appointments == nil, len(f.Appointments), 1, func(i int) { e.appointment(i, &f.Appointments[i]) })
	e.key(1, false, "assignments")
	e.list(f.Assignments == nil, len(f.Assignments), 1, func(i int) { e.assignment(i, &f.Assignments[i]) })
	e.key(1, false, "gpsPings")
	e.list(f.GPSPings == nil, len(f.GPSPings), 1, func(i int) { e.ping(i, &f.GPSPings[i]) })
	e.nl(0)
	e.b = append(e.b, '}', '\n')
}

// The records of the large lists, at depth 2 (members at 3).

func (e *encoder) technician(i int, t *Technician) {
	e.b = append(e.b, '{')
	e.key(3, true, "id")
	e.int(t.ID)
	e.key(3, false, "name")
	e.string(t.Name)
	e.key(3, false, "businessUnitId")
	e.int(t.BusinessUnitID)
	e.key(3, false, "skills")
	e.strings(t.Skills, 3)
	e.key(3, false, "zoneIds")
	e.ints(t.ZoneIDs, 3)
	if t.Active != nil {
		e.key(3, false, "active")
		e.bool(*t.Active)
	}
	if t.Home != nil {
		e.key(3, false, "home")
		e.b = append(e.b, '{')
		e.key(4, true, "latitude")
		e.float("technicians", i, "home.latitude", t.Home.Latitude)
		e.key(4, false, "longitude")
		e.float("technicians", i, "home.longitude", t.Home.Longitude)
		e.nl(3)
		e.b = append(e.b, '}')
	}
	e.nl(2)
	e.b = append(e.b, '}')
}

func (e *encoder) shift(i int, s *Shift) {
	e.b = append(e.b, '{')
	e.key(3, true, "id")
	e.int(s.ID)
	e.key(3, false, "technicianId")
	e.int(s.TechnicianID)
	e.key(3, false, "shiftType")
	if !s.ShiftType.IsValid() {
		_, err := s.ShiftType.MarshalText()
		e.fail(path("shifts", i, "shiftType"), err)
	} else {
		e.b = appendString(e.b, s.ShiftType.String()) // MarshalText's text, without its copy
	}
	e.key(3, false, "title")
	e.string(s.Title)
	e.key(3, false, "note")
	e.string(s.Note)
	e.timeMember("shifts", i, "start", s.Start, false)
	e.timeMember("shifts", i, "end", s.End, false)
	if s.Active != nil {
		e.key(3, false, "active")
		e.bool(*s.Active)
	}
	e.timeMember("shifts", i, "modifiedOn", s.ModifiedOn, true)
	e.nl(2)
	e.b = append(e.b, '}')
}

func (e *encoder) appointment(i int, a *capacity.Appointment) {
	e.b = append(e.b, '{')
	e.key(3, true, "id")
	e.int(a.ID)
	e.key(3, false, "jobId")
	e.int(a.JobID)
	e.key(3, false, "jobTypeId")
	e.int(a.JobTypeID)
	e.key(3, false, "businessUnitId")
	e.int(a.BusinessUnitID)
	e.timeMember("appointments", i, "start", a.Start, false)
	e.timeMember("appointments", i, "end", a.End, false)
	e.timeMember("appointments", i, "arrivalWindowStart", a.ArrivalWindowStart, true)
	e.timeMember("appointments", i, "arrivalWindowEnd", a.ArrivalWindowEnd, true)
	if a.Zip != "" {
		e.key(3, false, "zip")
		e.string(a.Zip)
	}
	if a.Canceled {
		e.key(3, false, "canceled")
		e.bool(true)
	}
	e.nl(2)
	e.b = append(e.b, '}')
}

func (e *encoder) assignment(i int, a *capacity.Assignment) {
	e.b = append(e.b, '{')
	e.key(3, true, "id")
	e.int(a.ID)
	e.key(3, false, "jobAppointmentId")
	e.int(a.AppointmentID)
	e.key(3, false, "technicianId")
	e.int(a.TechnicianID)
	if a.AssignedBy != nil {
		e.key(3, false, "assignedBy")
		e.b = append(e.b, '{')
		e.key(4, true, "id")
		e.int(a.AssignedBy.ID)
		e.key(4, false, "name")
		e.string(a.AssignedBy.Name)
		e.nl(3)
		e.b = append(e.b, '}')
	}
	e.timeMember("assignments", i, "assignedOn", a.AssignedOn, false)
	e.timeMember("assignments", i, "unassignedOn", a.UnassignedOn, true)
	e.key(3, false, "status")
	if a.Status != capacity.Assigned && a.Status != capacity.Unassigned {
		_, err := a.Status.MarshalText()
		e.fail(path("assignments", i, "status"), err)
	} else {
		e.b = appendString(e.b, a.Status.String()) // MarshalText's text, without its copy
	}
	e.timeMember("assignments", i, "modifiedOn", a.ModifiedOn, true)
	e.nl(2)
	e.b = append(e.b, '}')
}

func (e *encoder) ping(i int, p *Ping) {
	e.b = append(e.b, '{')
	e.key(3, true, "technicianId")
	e.int(p.TechnicianID)
	e.key(3, false, "latitude")
	e.float("gpsPings", i, "latitude", p.Latitude)
	e.key(3, false, "longitude")
	e.float("gpsPings", i, "longitude", p.Longitude)
	e.key(3, false, "speed")
	e.float("gpsPings", i, "speed", p.Speed)
	e.key(3, false, "heading")
	e.float("gpsPings", i, "heading", p.Heading)
	e.key(3, false, "utcDateTime")
	e.string(p.UTCDateTime)
	e.nl(2)
	e.b = append(e.b, '}')
}

// path is a record's member's JSON path, built only for an error.
func path(list string, i int, member string) string {
	return list + "[" + strconv.Itoa(i) + "]." + member
}

// appendFloat appends f as encoding/json writes a float64: like
// strconv's shortest 'f', but 'e' for magnitudes below 1e-6 or from 1e21
// up (ES6 number to string), with a one-digit negative exponent unpadded
// ("1e-7", not "1e-07"). Copied from floatEncoder.encode in
// $GOROOT/src/encoding/json/encode.go (Go 1.26), which cites
// golang.org/issue/6384 and 14135. NaN and infinities are an error, as
// there (json.UnsupportedValueError).
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendTime appends t quoted, as time.Time.MarshalJSON writes it: RFC
// 3339 with the fraction of a second only when not zero, its trailing
// zeros dropped (time.RFC3339Nano). The checks are those of
// Time.appendStrictRFC3339 in $GOROOT/src/time/format_rfc3339.go (Go
// 1.26): a year outside 0–9999, or an offset of 24 hours or more or with
// seconds, has no RFC 3339 form and is an error.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	n0 := len(b)
	b = t.AppendFormat(b, time.RFC3339Nano)
	num2 := func(b []byte) byte { return 10*(b[0]-'0') + (b[1] - '0') }
	switch {
	case b[n0+len("9999")] != '-': // year must be exactly 4 digits wide
		return b[:n0-1], errors.New("Time.MarshalJSON: year outside of range [0,9999]")
	case b[len(b)-1] != 'Z':
		c := b[len(b)-len("Z07:00")]
		if ('0' <= c && c <= '9') || num2(b[len(b)-len("07:00"):]) >= 24 {
			return b[:n0-1], errors.New("Time.MarshalJSON: timezone hour outside of range [0,23]")
		}
	}
	return append(b, '"'), nil
}

// appendString appends s quoted as encoding/json writes a string with
// SetEscapeHTML(false): `"` and `\` escaped with a backslash, the
// control characters below U+0020 as \b, \f, \n, \r, \t or \u00XX, each
// byte of invalid UTF-8 as \ufffd, and U+2028 and U+2029 as \u2028 and
// \u2029; everything else as it is. Copied from appendString in
// $GOROOT/src/encoding/json/encode.go (Go 1.26), where safeSet admits
// every ASCII byte from U+0020 up but `"` and `\`.
func appendString[S []byte | string](dst []byte, src S) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(src); {
		if b := src[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, src[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		n := min(len(src)-i, utf8.UTFMax)
		c, size := utf8.DecodeRuneInString(string(src[i : i+n]))
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, src[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, src[start:]...)
	dst = append(dst, '"')
	return dst
}
