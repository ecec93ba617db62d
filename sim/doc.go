// Package sim is a discrete-event what-if simulator of field-service
// dispatch: "what happens to booking rate, lost calls and overtime if we
// add two technicians on Tuesdays and Thursdays?", answered with 95%
// confidence intervals across replications and paired differences under
// common random numbers. docs/simulation.md is the guide; design §7 the
// definition.
//
// # Model
//
// Calls arrive as a non-homogeneous Poisson process with an hour-of-week
// profile, a job-type mix, a zone mix and a share of emergencies. A
// routine call is offered the available arrival windows of its job type,
// business unit and zip over a booking horizon — exactly the capacity
// engine's answer, the API's, which the replication computes from its own
// index (see Speed) — and the customer takes the
// earliest, or a preferred part of the day, or declines when the first
// offer is too far out. Windows flagged as exceeding the ideal booking
// percentage are offered or held back as the booking policy says; windows
// the engine holds back for a reserve or a capacity rule (design §4a) are
// not offered. An
// emergency takes a priority job type of the unit of the job type drawn
// (the job type drawn when the unit has none) and the earliest arrival
// any eligible technician can make within a maximum wait — in free
// working time or an OnCall shift, running into overtime if it must — or
// is lost: because everyone on duty is busy ([EmergencyWait]) or because
// no one is on duty within the wait ([EmergencyOffDuty]). A dispatch policy
// (first-available, least-loaded, nearest or pro) picks the technician
// among those that fit; the job becomes an assigned appointment in the
// replication's book, so capacity stays true throughout.
//
// Technicians start each day from home, drive at zone speeds (haversine ×
// a detour factor), work lognormal (or exponential) durations around the
// job type's, and emit GPS pings while driving and on site. Overtime is
// work past the end of the technician's own block of working time:
// overnight shifts are one block, and the next shift's time is not
// overtime.
//
// # Horizon and edges
//
// A study runs any dates: with a [Roster] the file's weekly pattern rolls
// forward over dates its shifts do not cover. Calls arrive on Days days;
// the first WarmupDays are left out (a warm-up at least as long as the
// booking horizon starts the measured days on a full book); bookings run a
// horizon past the last call day, so the last measured days are not an
// artefact. A business day on which calls may book but nobody works, and
// a tenant with no business hours on any date on which calls may book,
// are warnings in every report, errors under [Options.Strict].
//
// # Why calls are lost
//
// Every call that is not booked has exactly one [Reason]. Runs tally
// calls, bookings and losses by reason per measured day and job type, and
// per zone; summaries break losses down by job type, business unit, zone
// and day.
//
// # Lost emergencies in the figures
//
// The emergency means (and the share that waited) are of the emergencies
// reached, and are labelled so: losing emergencies would improve them.
// The emergency percentiles are of every emergency, a lost one counting as
// not reached — one minute more than the larger of the maximum wait and the
// longest figure reached in its replication (see [Run]) — so a percentile
// at most T below the maximum wait means that share of all emergencies was
// reached within T. The optimiser refuses a target on an emergency
// percentile at or above the maximum wait, and an upper bound on a
// figure of the emergencies reached without a bound on the share lost.
//
// # Time and randomness
//
// Virtual time only: an event queue ordered by (time, priority, sequence),
// no goroutine per process, no wall clock. Arrivals are exact in
// continuous time: candidates of a Poisson process at the baseline's
// highest hourly rate are thinned to the hour's rate (a variant with more
// demand adds layers of candidates at that rate, so the baseline never
// depends on the variants beside it); a call is
// handled at the whole second it falls in, but the process runs on the
// exact times, so no rounding drifts its rate. Durations round to the
// nearest second. Everything about a call comes from a generator seeded by
// (seed, replication, candidate number), so every variant — whatever it
// changes, even demand — sees the same calls, and paired differences have
// tight intervals. Reduced to M/M/c/c and M/M/c the simulator reproduces
// Erlang B and C (see the tests, which also compare it call by call with
// the Kiefer–Wolfowitz recursion).
//
// # Results
//
// Replications run in parallel; results depend only on the scenario, never
// on the number of workers or shards. A [Result] holds every replication's
// figures ([Run]) and their [Summary]; shards' partial results [Merge]
// into exactly the single-run result. Reports: [WriteText] (100 columns
// for any number of variants), [WriteJSON], [WriteHTML] (self-contained,
// inline SVG), [WriteCSV] (the per-day × unit × job-type table) and
// [WriteUnitWindowsCSV] (each business unit's capacity, bookings and fill
// per arrival window, [UnitWindows]).
//
// # Speed
//
// A replication owns its book: it answers its calls' capacity questions
// from its own index of every technician's free time per arrival window
// (the engine's answers, without its lock or a query per call), finds an
// emergency's technician through an index of lower bounds, and allocates
// nothing per event. The capacity engine holds a replication's book only
// when [Options.Board] asks for a dispatch board.
//
// # The staffing optimiser
//
// [Optimize] finds the cheapest configuration of an [OptimizeSpec]'s
// levers, in technician-hours, that meets every target with a stated
// confidence: sequential feasibility determination in order of cost, with
// Bonferroni-split one-sided t tests and common random numbers; its doc
// states the guarantee and the cost in replications. A technicians lever
// may take staff off the roster as well as add it ([ReduceTechnicians]),
// so the answer may cost less than the roster; fixed changes
// (OptimizeSpec.Changes) set the conditions every configuration runs
// under. Reduced to M/M/c/c it finds the inverse of Erlang B, from below
// the roster or above it. [Queue] is the simulator reduced to
// M/M/c/c or M/M/c, with a warm-up of four relaxation times unless told
// otherwise.
//
// # Concurrency
//
// [Simulate], [Merge], [Optimize] and [MergeOptimization] are safe to
// call concurrently; a Result or Optimization is not modified after they
// return.
package sim
