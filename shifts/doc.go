// Package shifts holds technician shifts — Normal, OnCall and TimeOff — and a
// store that lists them in the contract's pages and answers per-technician
// interval queries.
//
// # Lifecycle
//
// [Store.Create] adds shifts, [Store.Update] changes one's type, title,
// note, bounds and active flag (a [Change], whose zero Inactive keeps the
// shift active), [Store.Delete] removes one. New ids count up from the
// largest stored, so the id of a deleted largest shift is given again —
// as it would be by a store rebuilt from the saved shifts, which keeps a
// journal replayed over a snapshot handing out the same ids.
//
// # Time
//
// Shift bounds are instants, half-open [Start, End): time.Time in and out
// (the store returns them in its location, the tenant's), int64 Unix
// seconds inside, which [Store.Set] answers in as package interval does.
// The store stamps ModifiedOn with the clock given to [NewStore]; without
// one it refuses changes ([ErrNoClock]).
// Recurring shifts are wall-clock rules: [Expand] turns a repeat rule into
// concrete shifts in the tenant's zone with the DST rule of package hours,
// so a weekly 08:00–17:00 shift stays 08:00–17:00 local across a change.
// A rule it cannot expand — no end date, a negative interval, a weekday
// out of range ([Repeat.Validate]) — is an error, never a panic or an
// endless loop; the zero [Repeat] repeats nothing.
//
// # Concurrency
//
// A [Store] is safe for concurrent use: reads share a read lock, writes take
// the write lock. Returned shifts are copies. [NewStore] builds only what
// [Store.Set] reads (each technician's spans by type); the tables that
// serve the other reads and the changes are built from the store's own
// copy of the shifts by the first that needs them, once, under the write
// lock.
package shifts
