// Package oracle is an independent, black-box implementation of the
// capacity definition (docs/design.md §4, with the controls of §4a): it
// reads a tenant FILE and a capacity request in their wire formats and
// writes the response in the wire format, minute by minute, with nothing
// but the standard library.
//
// It shares no code with the engine: not its Go types, not package hours'
// wall-clock conversion, not the zones lookup. Its own references
// (internal/testkit/capref, straight) are fed the engine's records and call
// hours.Local, so a bug in that shared layer passes them; this package is
// the check that does not share it. It imports no package of the module,
// which its tests assert.
//
// # Time zones
//
// Wall-clock rules become instants by the design's rule (§3), implemented
// here from the zone's periods as time.Time.ZoneBounds reports them: a wall
// time that occurs once is that instant; one that occurs twice (a
// fall-back overlap) takes the earlier instant; one that does not occur (a
// spring-forward gap) is read with the offset in force before the gap,
// which moves it forward by the gap's length. "24:00" is the next date's
// midnight, converted by the same rule. A local date "meets" a range when
// the instants from its first moment to the next date's first moment
// intersect it.
//
// # Limits
//
// Working time is kept as one bit per minute, so every shift and
// appointment bound in the file must be a whole minute (the generator's
// are); Capacity returns an error naming the record otherwise. Request
// bounds may be any second. The oracle trusts the file: it is meant for
// files the engine loads, and checks only what it needs to compute.
//
// # Generator
//
// Generate writes random tenant files whose horizons straddle a time zone
// transition in zones chosen for awkward DST (30-minute changes, changes
// at midnight, negative DST, odd offsets), with business hours, windows,
// shifts and exceptions placed on, in and around the gap or the repeated
// hour, and capacity requests over them.
//
// # Concurrency
//
// Capacity and Generate keep no state between calls and are safe for
// concurrent use.
package oracle
