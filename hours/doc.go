// Package hours turns a tenant's wall-clock rules — weekly business hours,
// dated exceptions and arrival windows — into instants in the tenant's time
// zone.
//
// # Time zones
//
// Rules are local wall-clock times ("08:00" to "17:00" on Mondays); the
// engine works in instants (int64 Unix seconds). [Local] is the one place
// that converts, using the "compatible" disambiguation of RFC 5545 and
// JavaScript Temporal:
//
//   - a local time that does not exist, because it falls in a spring-forward
//     gap, moves forward by the length of the gap: 02:30 on the day Denver
//     springs forward becomes 03:30 daylight time;
//   - a local time that occurs twice, in a fall-back overlap, takes the
//     earlier instant: 01:30 on the day Denver falls back is 01:30 daylight
//     time.
//
// Go's time.Date leaves both cases unspecified, and in practice resolves
// them by the zone's side of UTC: 02:30 on Denver's spring-forward day is
// 01:30 standard time, an hour before the gap, while in Berlin it moves a
// gap time forward as this package does but takes the later of a repeated
// time. That is why this
// package owns the rule. The package imports time/tzdata, so results never
// depend on the host's zone files.
//
// A slot "to" of "24:00" means the next local midnight. Slots are half-open:
// [from, to). A slot across midnight is written as two slots.
//
// A nil *time.Location, given to any function of this package that takes
// one, is UTC, as in package shifts (time.Time.In would panic on it).
//
// # Zone names
//
// A tenant names its zone the IANA way ("America/Denver"). [LoadLocation]
// refuses an unknown name and suggests the nearest one of [ZoneNames]
// ("America/Denvr" → "America/Denver"). [ZoneWarning] flags names that load
// but are probably not meant: legacy fixed-offset abbreviations ("MST" is
// −07:00 all year, so a Denver tenant's windows are an hour off in summer),
// Etc/GMT±N offsets, POSIX-style rule names ("PST8PDT") and UTC aliases
// other than "UTC". Old aliases of places ("US/Mountain") are fine: they
// give exactly their place's times.
//
// # Dates and date-times
//
// [ParseInstantIn] reads what people type where the zone is known: RFC
// 3339 with any offset, a date (its local midnight), or a local date-time
// without an offset ("2027-03-09T08:00", "2027-03-09 08:00") by the rule
// above, all within the years 1900–2199 ([CheckInstant]).
//
// A [Date] is a civil date with no zone: a count of days since 1970-01-01.
// The local date of an instant depends on the zone; see [DateAt].
//
// # Concurrency
//
// A [Schedule] is immutable after [Compile] and safe for concurrent use.
package hours
