// Package sim is a discrete-event what-if simulator of field-service
// dispatch: "what happens to booking rate, lost calls and overtime if we
// add two technicians on Tuesdays and Thursdays?", answered with 95%
// confidence intervals across replications.
//
// # Model
//
// Calls arrive as a non-homogeneous Poisson process (thinning) with an
// hour-of-week profile, a job-type mix, a zone mix and a share of
// emergencies. A routine call is offered the available arrival windows of
// its job type, business unit and zip over a booking horizon — asked of the
// capacity engine, the same code that answers the API — and the customer
// takes the earliest, or a preferred part of the day, or declines when the
// first offer is too far out. Windows flagged as exceeding the ideal
// booking percentage are held back for emergencies unless the booking
// policy offers them. An emergency takes the earliest arrival any eligible
// technician can make within a maximum wait, or is lost. A dispatch policy
// (first-available, least-loaded, nearest or pro) picks the technician
// among those that fit; the job becomes an appointment in the engine and is
// assigned there, so capacity stays true throughout.
//
// Technicians start each day from home, drive at zone speeds (haversine ×
// a detour factor), work lognormal (or exponential) durations around the
// job type's, run into overtime past the day's working time, and emit GPS
// pings while driving and on site.
//
// # Time and randomness
//
// Virtual time only: an event queue ordered by (time, priority, sequence),
// no goroutine per process, no wall clock. Randomness comes from the
// scenario seed split into streams per purpose and replication (arrivals,
// job types, zones, emergencies, customer choices, durations, travel);
// every call draws the same numbers whatever happens to it, so baseline
// and variants see the same calls (common random numbers) and paired
// differences have tight intervals.
//
// # Results
//
// Replications run in parallel; results depend only on the scenario, never
// on the number of workers or shards. A [Result] holds every replication's
// figures ([Run]) and their [Summary]; shards' partial results [Merge]
// into exactly the single-run result.
package sim
