// Package capacity answers "who can take this job, and when?" for one
// tenant: technicians, business units, job types, appointments, the
// assignment ledger, and the capacity computation.
//
// # The computation
//
// For a request (startsOnOrAfter, endsOnOrBefore, businessUnitIds,
// jobTypeId, skillBasedAvailability, and the zip extension), with R its
// business units and R* = R plus every unit that shares a business-unit
// group with a unit of R (every unit when R is empty):
//
//  1. Timeslots: for each local date that meets the range and has business
//     hours after exceptions, the active arrival windows of its weekday
//     that apply to R* — or, when the tenant has no active arrival windows
//     at all, that date's business-hours slots. A timeslot is included
//     when start >= startsOnOrAfter and end <= endsOnOrBefore. Windows are
//     not clipped to business hours: a window reaching past closing simply
//     has no working time there.
//  2. Eligible technicians E: active; in a unit of R*; holding every skill
//     of the job type when skillBasedAvailability is set; and, with a zip,
//     serving it (a technician without zones serves everywhere).
//  3. Working time W(t) = (business hours ∩ ⋃ active Normal shifts) −
//     ⋃ active TimeOff shifts. OnCall shifts add nothing.
//  4. Busy time Bz(t) = ⋃ appointments t is currently assigned to.
//  5. Free time F(t) = W(t) − Bz(t).
//  6. Per timeslot S = [s, e): the figures below.
//  7. Availabilities: one per local date with at least one timeslot, in
//     time order, spanning its first timeslot's start to its last
//     timeslot's end; timeslots in order of (start, end, window id).
//
// Per timeslot S = [s, e), with d' the job type's duration plus its travel
// buffer (the job type's own travelBufferMinutes, 0 included, else the
// tenant's), and d' = 0 without a job type:
//
//   - capacity(t) = |W(t) ∩ S|, booked(t) = |W(t) ∩ Bz(t) ∩ S|, free(t) =
//     capacity(t) − booked(t).
//   - t fits when some arrival a in F(t), s <= a < e, has [a, a+d') ⊆
//     F(t): the job may run past the window's end, but only into free
//     working time. technicianIds are the fitting eligible technicians,
//     ascending.
//   - pending = Σ |appointment ∩ S| over the appointments of R*'s units
//     that have no assigned technician (summed, so overlapping ones count
//     twice).
//   - A = Σ minutes × 60 over the capacity adjustments that apply to S:
//     those whose date is S's local date, whose from and to converted on
//     that date are S's start and end instants, and that name no unit or
//     group, or a unit of R*, or a group with a unit in R*.
//   - The pool P = Σ free(t) + A − pending.
//   - The reserve Rv = ⌊Σ reserve(bu(t)) × capacity(t) / 100⌋ seconds
//     over E (fitting or not) for a request whose job type is not a
//     priority one (or that has no job type); 0 for a priority one.
//     Adjustments are not reserved.
//   - A capacity rule applies when it names the job type and, if it names
//     business units, one of them is in R* (always when R is empty). It
//     blocks S when (used + d') × 100 > maxPercentage × max(0, Σ
//     capacity(t) + A), where used = Σ |appointment ∩ S| over every
//     appointment, assigned or not, of a job type the rule names whose
//     unit is in R*.
//   - capacityMinutes = max(0, Σ capacity(t) + A), bookedMinutes =
//     Σ booked(t), pendingMinutes = pending and totalAvailability =
//     max(0, P − Rv), all in whole minutes, floored after summing seconds.
//   - isAvailable: technicianIds is not empty, P − Rv > 0, and no rule
//     blocks.
//   - isExceedingIdealBookingPercentage: (Σ booked(t) + pending + d') ×
//     100 > Σ ideal(bu(t)) × capacity(t) + Σ ideal(adj) × minutes × 60,
//     over E (fitting or not) and the adjustments that apply. The right
//     side is not clamped, and there is no special case: with zero
//     capacity the flag is true as soon as anything is booked or pending
//     or d' > 0, and false only when all three are zero.
//   - unavailableBecause, on an unavailable timeslot only, lists every
//     reason that holds, in this order: noTechnicianFits (technicianIds is
//     empty), poolExhausted (P <= 0), reserveHeld (P > 0 and P − Rv <= 0),
//     then capacityRule:<id> for each blocking rule by ascending id.
//
// The percentages: ideal(bu) is the group's idealBookingPercentage when
// the unit is in a group that sets one, else the unit's, else the
// tenant's, else 100; reserve(bu) is the group's reservePercentage when
// set, else the unit's, else 0; ideal(adj) is ideal(u) for an adjustment
// naming unit u, the group's percentage (else the tenant's, else 100) for
// one naming a group, and the tenant's (else 100) for one naming neither.
// A tenant that sets no control gets the answers of DESIGN §4, plus
// unavailableBecause.
//
// # Choices where the definition leaves room
//
//   - A window whose business units do not meet R* does not apply; with no
//     units requested every window applies.
//   - A local date "meets" the range when any instant of it lies in
//     [startsOnOrAfter, endsOnOrBefore); the inclusion rule then keeps only
//     whole timeslots.
//   - Skills match exactly (case-sensitive), as the tenant file spells them.
//   - A zip no zone serves leaves only technicians without zones eligible.
//   - A group's reserve of 0, when set, replaces its units' reserves: the
//     group is one pool and its setting governs it. A group's ideal is
//     1–200, so 0 there means unset.
//   - The reserve and the ideal weights follow E: technicians left out by
//     skills or zip add to neither, as they add no capacity.
//   - An adjustment matches by instants, not by clocks: on a
//     spring-forward date, 02:30–05:00 names the window 03:30–05:00, as
//     DESIGN §3 converts both. Two windows of a date with the same
//     instants both take it. A unit's or group's adjustment applies to a
//     request without units (R* is every unit then); one naming a group
//     without units applies to none.
//   - A blocking rule does not lower totalAvailability: that figure says
//     how much of the pool is left, the rule says this job type may not
//     take it (the timeslot is unavailable, and says why).
//   - A rule blocks a window with no capacity and no positive adjustment
//     whenever it applies: every job type has d' > 0.
//   - A range's length is measured on the tenant's wall clock, as a
//     dispatcher counts days: 31 local days are 31 days across a DST change
//     too (and 31 days and an hour of instants across a fall-back). A
//     longer range is refused in those terms ("the range is 92 days; at
//     most 31 days may be asked at once: split the request").
//   - An adjustment matching no timeslot of its date is kept when loaded
//     (it applies nowhere, and [Adjustment.FindWindow] finds it out for a
//     warning) but refused by [Engine.AddAdjustment] and
//     [Engine.ChangeAdjustment]. A group that adjustments name cannot be
//     removed until they are.
//
// # Incremental updates
//
// An [Engine] keeps, per technician, W(t) and F(t) as interval sets and
// its assigned appointments, sorted by span (Bz(t) is their union,
// computed for the span an update touches; they also name what an
// assignment overlaps), and, per technician and catalog slot,
// three figures: |W ∩ S|, |F ∩ S| and the longest free run starting in S.
// Per slot and business unit it keeps their sums Σ |W ∩ S| and Σ |F ∩ S|
// over the unit's technicians. A query without skills or zip reads those
// sums for the units of R* and weighs them by the units' ideal and
// reserve percentages; with skills or zip it sums the eligible
// technicians' figures. Only the fit test reads a figure per technician.
// Assigning, unassigning, rescheduling, or creating or changing a shift
// recomputes one technician's sets inside the changed spans and the
// figures of the slots whose values can change (those meeting a span,
// and the earlier ones whose free run reaches into it). A shift beyond
// the catalog's dates rebuilds the catalog. See "Lifecycle" for the
// other changes.
//
// The capacity controls touch no slot figure. Groups and percentages are
// a few numbers per unit, resolved when one changes. Adjustments are kept
// sorted by (date, start, end), where a query finds a window's by binary
// search. Rules are indexed by job type, and for each job type some rule
// names the engine keeps its appointments' spans per unit, so a query sums
// a rule's used time as it sums pending work. Adding, changing or removing
// an adjustment, a rule or a group, or setting a percentage, costs a
// search and an insertion in these small tables, whatever the tenant's
// size (a rule naming a job type no other rule names gathers that job
// type's appointments once).
//
// # Lifecycle
//
// An engine lives on changes; each updates only the technicians and
// catalog slots whose figures it can change, validates its input with
// errors naming the field ([ErrInvalid], [ErrNotFound], [ErrConflict],
// in a validate.Errors), changes nothing when it fails, takes the write
// lock, and stamps records with the clock of [WithClock].
//
//   - Appointments: [Engine.AddAppointment] (pending until someone is
//     assigned), [Engine.RescheduleAppointment] (new span and arrival
//     window; assigned technicians stay, their busy time, the pending
//     time and the rules' counts move with it) and
//     [Engine.CancelAppointment]. A canceled appointment stays, with
//     [Appointment.Canceled] set, and consumes nothing — no one's busy
//     time, not pending, not counted by rules; the records of its
//     technicians become Unassigned (unassignedOn is the clock) and stay
//     as history. [Engine.Data] saves both, so a reload reproduces the
//     state; [Data.Validate] refuses an Assigned record of a canceled
//     appointment. A canceled appointment is not assigned or rescheduled
//     again: book a new one.
//   - Assignments: [Engine.Assign] and [Engine.Unassign]; Assign returns
//     warnings (below).
//   - Shifts: [Engine.CreateShifts], [Engine.UpdateShift] (type, title,
//     note, bounds, active — a [shifts.Change], whose zero Inactive keeps
//     a shift active), [Engine.DeactivateShift], [Engine.ReactivateShift]
//     and [Engine.DeleteShift]. Shift ids count up from the largest
//     stored, so a deleted largest id is given again, as after a reload.
//   - Technicians: [Engine.AddTechnician] (active unless the record
//     sets Inactive: the zero value is active, so that a technician built
//     field by field is not silently without capacity),
//     [Engine.UpdateTechnician] (name, skills, unit, zones, home, all
//     replaced: start from [Engine.Technician]; Inactive ignored),
//     [Engine.DeactivateTechnician] and [Engine.ReactivateTechnician].
//     Technicians are not deleted: their records are history.
//
// What each costs: an appointment change or a shift change recomputes
// the working and free time of the technicians concerned inside the
// spans touched, and the figures of the slots meeting them (a Normal
// shift reaching dates the catalog lacks rebuilds it). Deactivating,
// reactivating or moving a technician to another unit rewrites its
// column of figures, O(slots). Skills, zones and names are read by
// queries as they run and cost nothing to change. Adding a technician
// appends a column: the figures' rows keep spare columns (an eighth more
// when they are laid out again), so it costs amortized O(slots), and
// columns are no longer in id order when it was given an id below the
// largest — queries then walk a permutation.
//
// # Warnings
//
// Assigning always succeeds for known, live appointments and
// technicians — dispatchers override — but [Engine.Assign] returns what
// is wrong, as [Warning] values ordered by technician id, then code;
// [Engine.CheckAssignment] returns them without assigning, and
// [Engine.RescheduleAppointment] returns them for the technicians who
// stay assigned. The codes, stable for clients to switch on:
//
//   - inactiveTechnician ([WarnInactive]): the technician is inactive.
//     The appointment, assigned, is no longer pending, and an inactive
//     technician is busy in no slot: its minutes count nowhere.
//   - missingSkills ([WarnMissingSkills]): it lacks skills the job type
//     requires.
//   - otherBusinessUnit ([WarnOtherBusinessUnit]): its unit is not the
//     appointment's, nor in the same business-unit group (a group is one
//     technician pool, so a unit of it is not "other").
//   - outsideWorkingTime ([WarnOutsideWorkingTime]): the appointment lies
//     wholly or partly outside its working time W(t).
//   - overlappingAppointment ([WarnOverlap]): the appointment overlaps
//     another it is assigned to, named by
//     [Warning.OtherAppointmentID], one warning each.
//
// # Memory
//
// [Engine.Footprint] reports what an engine holds, by part. On the
// synthetic profiles (two to three appointments and ledger records per
// technician-day) the capacity index takes 130–200 bytes per
// technician-day and the records about 290–400: records keep their
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
// The API takes and returns time.Time: appointments, assignment records,
// shifts, adjustments' createdOn, requests, responses, [Engine.Arrival],
// [Engine.Load] and [Engine.Working]. Times may come in any location; the
// engine keeps whole seconds (int64 Unix seconds inside, the instants of
// package interval) and returns every time in the tenant's location
// ([Engine.Location]), so that it prints as the dispatcher reads it; JSON
// output is RFC 3339 in the tenant's local offset. An optional instant
// that is unset (an appointment without arrival window, a record not
// unassigned) is the zero time. Compare records with their Equal methods:
// == also compares the times' locations.
//
// Build local times with [hours.ParseInstantIn] ("2027-03-14T02:30" in
// the tenant's zone) or [hours.Local] (a date and a wall-clock time, in
// Unix seconds): they resolve a time that a DST change skips or repeats
// by the one rule the engine uses for business hours, windows and
// shifts — a skipped time moves forward by the gap, a repeated one takes
// the earlier instant. time.Date leaves both unspecified and in practice
// resolves them by the zone's side of UTC: in America/Denver,
// time.Date(2027, 3, 14, 2, 30, 0, 0, denver) is 01:30 MST, an hour
// before the gap rather than 03:30 MDT after it; in Europe/Berlin it
// moves forward as ours does but takes the later of a repeated time. Any
// time outside a change is the same either way.
//
// The engine never reads the wall clock (DESIGN §2). The clock that stamps
// records is given with [WithClock]; there is no default, because a
// made-up time (the Unix epoch) would be saved without anyone noticing.
// Without a clock the engine answers queries and takes the changes that
// stamp nothing, and refuses those that stamp with [ErrNoClock].
package capacity
