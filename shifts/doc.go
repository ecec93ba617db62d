// Package shifts holds technician shifts — Normal, OnCall and TimeOff — and a
// store that lists them in the contract's pages and answers per-technician
// interval queries.
//
// # Time
//
// Shift bounds are instants (int64 Unix seconds), half-open [Start, End).
// Recurring shifts are wall-clock rules: [Expand] turns a repeat rule into
// concrete shifts in the tenant's zone with the DST rule of package hours,
// so a weekly 08:00–17:00 shift stays 08:00–17:00 local across a change.
//
// # Concurrency
//
// A [Store] is safe for concurrent use: reads share a read lock, writes take
// the write lock. Returned shifts are copies.
package shifts
