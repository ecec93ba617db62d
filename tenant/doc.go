// Package tenant loads and saves one tenant's whole state — business hours,
// arrival windows, business units, job types, zones, technicians, shifts,
// appointments, assignments and GPS pings, and the capacity controls of
// DESIGN §4a (business-unit groups, reserves, priority job types, travel
// buffers, capacity rules and adjustments) — in the JSON file format of
// version 1, and wires it into a capacity engine, a shift store, a zone
// directory and a GPS store.
//
// # Loading
//
// Loading is strict: unknown fields (keys are matched exactly, so
// "Version" is unknown, although encoding/json would accept it for
// "version"), duplicate keys (a second "assignments" would otherwise
// replace the first), values of the wrong JSON type or out of range,
// malformed times, unknown time zones, duplicate ids, references to unknown
// records and job types without a duration are all errors. Every problem is
// reported with its JSON path, not only the first; problems of shape come
// in the order of the file, and a syntax error ends the list with its line
// and column:
//
//	technicians[3].businessUnitId: capacity: unknown business unit 7: invalid
//	shifts[0].start: tenant: "2027-03-09 08:00" is not an RFC 3339 date-time
//
// The error is a [validate.Errors]; errors.As reaches each problem.
// Messages about instants speak the tenant's offset ("shifts[0].end:
// tenant: end 2026-03-09T06:30:00-06:00 is not after start
// 2026-03-09T07:00:00-06:00"), and instants outside the years 1900–2199
// are refused. A file without "version" is told so. A UTF-8 byte-order
// mark at the start of the file is skipped, as RFC 8259 §8.1 allows
// (Windows editors write one); a saved file has none.
//
// # Records
//
// The file's business units, groups, job types, rules, appointments and
// assignments are the capacity package's records themselves, decoded
// straight into the engine's types (see [File]): no parallel family to
// keep in step. Their date-times are time.Time; an appointment's arrival
// window may be absent (both members), as the API creates appointments.
// Technicians, shifts, adjustments and GPS pings keep types of this
// package, because the file spells them differently from the engine
// (an "active" that defaults to true, wall-clock dates and clocks, UTC
// ping times); each type says how.
//
// # Warnings
//
// Some problems do not stop a tenant loading but are probably not what its
// author meant: a legacy time zone name such as "MST" (a fixed offset, so
// every window is an hour off in summer; see [hours.ZoneWarning]), and a
// capacity adjustment whose from–to is no window of its date, which
// applies nowhere (DESIGN §4a item 10; the warning names the date's
// windows, see [CheckWindow]). They
// are collected with their paths in [Tenant.Warnings], a [validate.Errors]
// like the loading error, and it is the caller's business to show them.
//
// # Saving
//
// [Tenant.Save] writes the canonical form: records in id order, times in
// RFC 3339 in the tenant's local offset (GPS times in UTC), "active"
// written out, empty lists as []. The capacity controls are optional and
// written only when set: a tenant without groups, rules or adjustments has
// no such members, a unit without a reserve no "reservePercentage", a job
// type no "priority" unless it is one; a job type's or group's value that
// may be 0 or absent with different meanings (a job type's
// travelBufferMinutes, a group's reservePercentage) keeps 0 apart from
// absent. Saving a loaded canonical file reproduces it byte for byte.
//
// [File.Write] writes the bytes of encoding/json's indented encoding of
// the File exactly, but by hand and streamed to its writer in pieces of
// about 64 KiB: the file is never built whole in memory, and an error (a
// value JSON cannot hold) may come after part of it is written. Writing a
// file atomically is therefore the caller's business: the command-line
// program streams the save into a temporary file, fsyncs and renames it
// (internal/base/atomicfile), and leaves the old file on any error.
package tenant
