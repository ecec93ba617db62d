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
// Go's time.Date leaves the gap case unspecified (in practice it moves
// backwards), which is why this package owns the rule. The package imports
// time/tzdata, so results never depend on the host's zone files.
//
// A slot "to" of "24:00" means the next local midnight. Slots are half-open:
// [from, to). A slot across midnight is written as two slots.
//
// # Dates
//
// A [Date] is a civil date with no zone: a count of days since 1970-01-01.
// The local date of an instant depends on the zone; see [DateAt].
//
// # Concurrency
//
// A [Schedule] is immutable after [Compile] and safe for concurrent use.
package hours
