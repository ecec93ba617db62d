package capacity

import (
	"strconv"
	"time"
)

// Response is the answer to a capacity request. Its times are in the
// tenant's location (Zone), and JSON output writes them in RFC 3339 in its
// local offset.
type Response struct {
	// StartsOnOrAfter and EndsOnOrBefore echo the request's range.
	StartsOnOrAfter, EndsOnOrBefore time.Time
	// Availabilities holds one entry per local date with at least one
	// timeslot, in time order.
	Availabilities []Availability
	// Zone is the tenant's time zone, used to format instants.
	Zone *time.Location
}

// Availability is one local date's timeslots. Start and End are its first
// timeslot's start and its last timeslot's end.
type Availability struct {
	Start, End time.Time
	Timeslots  []Timeslot
}

// Timeslot is the capacity of one arrival window (or business-hours slot).
type Timeslot struct {
	Start, End time.Time
	// TechnicianIDs are the eligible technicians that fit the job in this
	// window, ascending. Never nil in a response from the engine.
	TechnicianIDs []int64
	// IsAvailable: some technician fits, the pool has time left after
	// pending work and the reserve, and no capacity rule blocks.
	IsAvailable bool
	// IsExceedingIdealBookingPercentage: booking one more job would push
	// booked time past the ideal share of capacity.
	IsExceedingIdealBookingPercentage bool
	// TotalAvailability is max(0, P − Rv) in whole minutes: the pool's
	// free time plus adjustments less pending work, less the reserve.
	TotalAvailability int64
	// CapacityMinutes is max(0, working time + adjustments); BookedMinutes
	// and PendingMinutes are the pool's booked and unassigned-appointment
	// time in the window. All in whole minutes (summed in seconds, then
	// floored).
	CapacityMinutes, BookedMinutes, PendingMinutes int64
	// UnavailableBecause says why the timeslot is unavailable; it is the
	// zero value exactly when IsAvailable is true.
	UnavailableBecause Reasons
}

// Reasons says why a timeslot is unavailable (DESIGN §4a item 13): every
// reason that holds. The zero value, on an available timeslot, holds none;
// an unavailable timeslot holds at least one.
type Reasons struct {
	// NoTechnicianFits: no eligible technician fits the job.
	NoTechnicianFits bool
	// PoolExhausted: the pool P = Σ free + adjustments − pending is not
	// positive.
	PoolExhausted bool
	// ReserveHeld: P is positive but not more than the reserve Rv.
	ReserveHeld bool
	// CapacityRules holds the ids of the rules that block the timeslot,
	// ascending; nil when none does.
	CapacityRules []int64
}

// Reason names, as the JSON output writes them.
const (
	ReasonNoTechnicianFits = "noTechnicianFits"
	ReasonPoolExhausted    = "poolExhausted"
	ReasonReserveHeld      = "reserveHeld"
	// ReasonCapacityRule is followed by the rule's id: "capacityRule:7".
	ReasonCapacityRule = "capacityRule:"
)

// Any reports whether r holds some reason.
func (r Reasons) Any() bool {
	return r.NoTechnicianFits || r.PoolExhausted || r.ReserveHeld || len(r.CapacityRules) > 0
}

// Strings returns r's reasons in their order of DESIGN §4a item 13:
// noTechnicianFits, poolExhausted, reserveHeld, then capacityRule:<id> by
// ascending id. It returns nil when r holds none.
func (r Reasons) Strings() []string {
	var out []string
	for _, x := range [...]struct {
		on   bool
		name string
	}{{r.NoTechnicianFits, ReasonNoTechnicianFits}, {r.PoolExhausted, ReasonPoolExhausted}, {r.ReserveHeld, ReasonReserveHeld}} {
		if x.on {
			out = append(out, x.name)
		}
	}
	for _, id := range r.CapacityRules {
		out = append(out, ReasonCapacityRule+strconv.FormatInt(id, 10))
	}
	return out
}

// appendJSON appends r as a JSON array of strings.
func (r Reasons) appendJSON(b []byte) []byte {
	b = append(b, '[')
	n := len(b)
	for _, x := range [...]struct {
		on   bool
		name string
	}{{r.NoTechnicianFits, ReasonNoTechnicianFits}, {r.PoolExhausted, ReasonPoolExhausted}, {r.ReserveHeld, ReasonReserveHeld}} {
		if x.on {
			if len(b) > n {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, x.name...)
			b = append(b, '"')
		}
	}
	for _, id := range r.CapacityRules {
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, `"`+ReasonCapacityRule...)
		b = strconv.AppendInt(b, id, 10)
		b = append(b, '"')
	}
	return append(b, ']')
}

// MarshalJSON encodes r in the contract's shape with the extra fields.
// Output is byte-identical for identical responses.
func (r *Response) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(make([]byte, 0, 256+len(r.Availabilities)*1024)), nil
}

// AppendJSON appends the JSON encoding of r to b.
func (r *Response) AppendJSON(b []byte) []byte {
	loc := r.Zone
	if loc == nil {
		loc = time.UTC
	}
	b = append(b, `{"startsOnOrAfter":`...)
	b = appendTime(b, r.StartsOnOrAfter, loc)
	b = append(b, `,"endsOnOrBefore":`...)
	b = appendTime(b, r.EndsOnOrBefore, loc)
	b = append(b, `,"availabilities":[`...)
	for i, a := range r.Availabilities {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"start":`...)
		b = appendTime(b, a.Start, loc)
		b = append(b, `,"end":`...)
		b = appendTime(b, a.End, loc)
		b = append(b, `,"timeslots":[`...)
		for j, t := range a.Timeslots {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"start":`...)
			b = appendTime(b, t.Start, loc)
			b = append(b, `,"end":`...)
			b = appendTime(b, t.End, loc)
			b = append(b, `,"technicianIds":[`...)
			for k, id := range t.TechnicianIDs {
				if k > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, id, 10)
			}
			b = append(b, `],"isAvailable":`...)
			b = strconv.AppendBool(b, t.IsAvailable)
			b = append(b, `,"isExceedingIdealBookingPercentage":`...)
			b = strconv.AppendBool(b, t.IsExceedingIdealBookingPercentage)
			b = append(b, `,"totalAvailability":`...)
			b = strconv.AppendInt(b, t.TotalAvailability, 10)
			b = append(b, `,"capacityMinutes":`...)
			b = strconv.AppendInt(b, t.CapacityMinutes, 10)
			b = append(b, `,"bookedMinutes":`...)
			b = strconv.AppendInt(b, t.BookedMinutes, 10)
			b = append(b, `,"pendingMinutes":`...)
			b = strconv.AppendInt(b, t.PendingMinutes, 10)
			if t.UnavailableBecause.Any() {
				b = append(b, `,"unavailableBecause":`...)
				b = t.UnavailableBecause.appendJSON(b)
			}
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	return append(b, "]}"...)
}

func appendTime(b []byte, t time.Time, loc *time.Location) []byte {
	b = append(b, '"')
	b = t.In(loc).AppendFormat(b, time.RFC3339)
	return append(b, '"')
}

// Totals are the pool sums behind one timeslot's figures, in seconds.
type Totals struct {
	// Capacity, Free and Pending are Σ capacity(t), Σ free(t) over the
	// eligible technicians and the pending work in the window.
	Capacity, Free, Pending int64
	// IdealCapacity is Σ ideal(bu(t)) × capacity(t): capacity weighted by
	// each technician's ideal booking percentage.
	IdealCapacity int64
	// Duration is the job's duration with its travel buffer, d'.
	Duration int64
	// Adjustment is A, the adjustments that apply, and AdjustmentIdeal is
	// Σ ideal(adj) × minutes × 60 over them.
	Adjustment, AdjustmentIdeal int64
	// Reserve is Rv, the time held back for priority work (0 for a
	// priority request).
	Reserve int64
	// Blocking holds the ids of the capacity rules that block the
	// timeslot, ascending.
	Blocking []int64
}

// Timeslot derives a timeslot's reported figures from the pool's totals,
// as the package documentation defines them.
func (t Totals) Timeslot(start, end time.Time, ids []int64) Timeslot {
	booked := t.Capacity - t.Free
	pool := t.Free + t.Adjustment - t.Pending // P
	left := pool - t.Reserve                  // P − Rv
	ts := Timeslot{
		Start:             start,
		End:               end,
		TechnicianIDs:     ids,
		IsAvailable:       len(ids) > 0 && left > 0 && len(t.Blocking) == 0,
		TotalAvailability: max(0, left) / 60,
		CapacityMinutes:   max(0, t.Capacity+t.Adjustment) / 60,
		BookedMinutes:     booked / 60,
		PendingMinutes:    t.Pending / 60,
		// No special case: with zero capacity, any booked or pending time
		// or a positive d' exceeds the ideal (DESIGN §4 step 6).
		IsExceedingIdealBookingPercentage: (booked+t.Pending+t.Duration)*100 > t.IdealCapacity+t.AdjustmentIdeal,
	}
	if !ts.IsAvailable {
		ts.UnavailableBecause = Reasons{
			NoTechnicianFits: len(ids) == 0,
			PoolExhausted:    pool <= 0,
			ReserveHeld:      pool > 0 && left <= 0,
			CapacityRules:    t.Blocking,
		}
	}
	return ts
}
