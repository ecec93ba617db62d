// Package capacity answers "who can take this job, and when?" for one
// tenant: technicians, business units, job types, appointments, the
// assignment ledger, and the capacity computation.
//
// # The computation
//
// For a request (startsOnOrAfter, endsOnOrBefore, businessUnitIds,
// jobTypeId, skillBasedAvailability, and the zip extension):
//
//  1. Timeslots: for each local date that meets the range and has business
//     hours after exceptions, the active arrival windows of its weekday
//     that apply to the requested business units — or, when the tenant has
//     no active arrival windows at all, that date's business-hours slots.
//     A timeslot is included when start >= startsOnOrAfter and end <=
//     endsOnOrBefore. Windows are not clipped to business hours: a window
//     reaching past closing simply has no working time there.
//  2. Eligible technicians E: active; in a requested business unit (all
//     when none); holding every skill of the job type when
//     skillBasedAvailability is set; and, with a zip, serving it (a
//     technician without zones serves everywhere).
//  3. Working time W(t) = (business hours ∩ ⋃ active Normal shifts) −
//     ⋃ active TimeOff shifts. OnCall shifts add nothing.
//  4. Busy time Bz(t) = ⋃ appointments t is currently assigned to.
//  5. Free time F(t) = W(t) − Bz(t).
//  6. Per timeslot S = [s, e) and job duration d (0 without a job type):
//     capacity(t) = |W(t) ∩ S|, booked(t) = |W(t) ∩ Bz(t) ∩ S|, free(t) =
//     capacity(t) − booked(t); t fits when some arrival a in F(t), s <= a <
//     e, has [a, a+d) ⊆ F(t) — the job may run past the window's end, but
//     only into free working time; pending = Σ |appointment ∩ S| over the
//     requested units' appointments with no assigned technician (summed,
//     so overlapping ones count twice). Then technicianIds are the fitting
//     eligible technicians, ascending; totalAvailability = max(0, Σ free −
//     pending) in whole minutes, floored after summing seconds;
//     isAvailable = technicianIds is not empty and Σ free − pending > 0;
//     isExceedingIdealBookingPercentage = (Σ booked + pending + d) × 100 >
//     Σ ideal(bu(t)) × capacity(t), summed over all eligible technicians
//     (fitting or not), where ideal is the business unit's percentage, else
//     the tenant's, else 100.
//  7. Availabilities: one per local date with at least one timeslot, in
//     time order, spanning its first timeslot's start to its last
//     timeslot's end; timeslots in order of (start, end, window id).
//
// # Choices where the definition leaves room
//
//   - With zero capacity and d = 0 the ideal-booking flag is false even when
//     unassigned appointments make pending positive: the definition states
//     the zero case explicitly, and a dispatcher reads "exceeding" as a
//     statement about a pool that has capacity.
//   - A window whose business units do not meet the requested ones does not
//     apply; with no units requested every window applies.
//   - A local date "meets" the range when any instant of it lies in
//     [startsOnOrAfter, endsOnOrBefore); the inclusion rule then keeps only
//     whole timeslots.
//   - Skills match exactly (case-sensitive), as the tenant file spells them.
//   - A zip no zone serves leaves only technicians without zones eligible.
//
// # Incremental updates
//
// An [Engine] keeps, per technician, W(t) and F(t) as interval sets and
// the spans of its assigned appointments (Bz(t) is their union, computed
// for the span an update touches), and, per technician and catalog slot,
// three figures: |W ∩ S|, |F ∩ S|
// and the longest free run starting in S. A query sums those figures over
// the eligible technicians. Assigning, unassigning or creating a shift
// recomputes one technician's sets inside the changed span and the figures
// of the slots whose values can change (those meeting the span, and the
// earlier ones whose free run reaches into it). A shift beyond the catalog's
// dates rebuilds the catalog.
//
// # Memory
//
// [Engine.Footprint] reports what an engine holds, by part. On the
// synthetic profiles (two to three appointments and ledger records per
// technician-day) the capacity index takes 180–250 bytes per
// technician-day and the records about 310–390: records keep their
// instants and ids as int64 but refer to technicians, job types, business
// units, zips and actors by 32-bit table positions.
//
// # Concurrency
//
// An Engine is safe for concurrent use. Queries take a read lock and run in
// parallel; updates take the write lock, so a query sees either all of an
// update or none of it. Updates are short (microseconds), so readers are
// not starved in practice.
//
// # Time
//
// Inside the engine instants are int64 Unix seconds; requests carry
// time.Time, and responses are written in RFC 3339 in the tenant's local
// offset. The engine never reads the wall clock: the clock that stamps
// ledger records is injected with [WithClock].
package capacity
