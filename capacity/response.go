package capacity

import (
	"strconv"
	"time"
)

// Response is the answer to a capacity request. Instants are Unix seconds;
// JSON output writes them in RFC 3339 in the tenant's local offset.
type Response struct {
	// StartsOnOrAfter and EndsOnOrBefore echo the request's range.
	StartsOnOrAfter, EndsOnOrBefore int64
	// Availabilities holds one entry per local date with at least one
	// timeslot, in time order.
	Availabilities []Availability
	// Zone is the tenant's time zone, used to format instants.
	Zone *time.Location
}

// Availability is one local date's timeslots. Start and End are its first
// timeslot's start and its last timeslot's end.
type Availability struct {
	Start, End int64
	Timeslots  []Timeslot
}

// Timeslot is the capacity of one arrival window (or business-hours slot).
type Timeslot struct {
	Start, End int64
	// TechnicianIDs are the eligible technicians that fit the job in this
	// window, ascending. Never nil in a response from the engine.
	TechnicianIDs []int64
	// IsAvailable: some technician fits and the pool has free time left
	// after pending work.
	IsAvailable bool
	// IsExceedingIdealBookingPercentage: booking one more job would push
	// booked time past the ideal share of capacity.
	IsExceedingIdealBookingPercentage bool
	// TotalAvailability is max(0, free − pending) in whole minutes.
	TotalAvailability int64
	// CapacityMinutes, BookedMinutes and PendingMinutes are the pool's
	// working, booked and unassigned-appointment time in the window, in
	// whole minutes (summed in seconds, then floored).
	CapacityMinutes, BookedMinutes, PendingMinutes int64
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
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	return append(b, "]}"...)
}

func appendTime(b []byte, u int64, loc *time.Location) []byte {
	b = append(b, '"')
	b = time.Unix(u, 0).In(loc).AppendFormat(b, time.RFC3339)
	return append(b, '"')
}

// Totals are the pool sums behind one timeslot's figures, in seconds.
type Totals struct {
	Capacity, Free, Pending int64
	// IdealCapacity is Σ ideal(bu(t)) × capacity(t): capacity weighted by
	// each technician's ideal booking percentage.
	IdealCapacity int64
	Duration      int64 // the job's duration d
	Fitting       int   // technicians that fit
}

// Timeslot derives a timeslot's reported figures from the pool's totals,
// as the package documentation defines them. With zero capacity and a zero
// duration the ideal-booking flag is false, even when pending work exists.
func (t Totals) Timeslot(start, end int64, ids []int64) Timeslot {
	booked := t.Capacity - t.Free
	avail := t.Free - t.Pending
	ts := Timeslot{
		Start:             start,
		End:               end,
		TechnicianIDs:     ids,
		IsAvailable:       len(ids) > 0 && avail > 0,
		TotalAvailability: max(0, avail) / 60,
		CapacityMinutes:   t.Capacity / 60,
		BookedMinutes:     booked / 60,
		PendingMinutes:    t.Pending / 60,
	}
	if !(t.Capacity == 0 && t.Duration == 0) {
		ts.IsExceedingIdealBookingPercentage = (booked+t.Pending+t.Duration)*100 > t.IdealCapacity
	}
	return ts
}
