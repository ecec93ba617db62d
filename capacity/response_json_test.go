package capacity_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
)

// TestResponseReasonsJSON: the response's hand-written JSON is valid and
// lists a timeslot's reasons as Reasons.Strings does, for every
// combination of the three flags with none, one and two blocking rules,
// and leaves the member out when there is no reason. (The capacity
// package's own tests never read unavailableBecause back: a separator
// written before the first reason, or none between two, went unseen.)
func TestResponseReasonsJSON(t *testing.T) {
	start := time.Date(2027, 3, 9, 8, 0, 0, 0, time.UTC)
	var slots []capacity.Timeslot
	for mask := range 8 {
		for _, rules := range [][]int64{nil, {7}, {7, 12}} {
			slots = append(slots, capacity.Timeslot{Start: start, End: start.Add(time.Hour), TechnicianIDs: []int64{101},
				UnavailableBecause: capacity.Reasons{NoTechnicianFits: mask&1 != 0, PoolExhausted: mask&2 != 0, ReserveHeld: mask&4 != 0, CapacityRules: rules}})
		}
	}
	resp := &capacity.Response{StartsOnOrAfter: start, EndsOnOrBefore: start.Add(time.Hour),
		Availabilities: []capacity.Availability{{Start: start, End: start.Add(time.Hour), Timeslots: slots}}}
	b, err := resp.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Availabilities []struct {
			Timeslots []struct {
				UnavailableBecause *[]string `json:"unavailableBecause"`
			} `json:"timeslots"`
		} `json:"availabilities"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("the response's JSON does not parse: %v\n%s", err, b)
	}
	for i, ts := range got.Availabilities[0].Timeslots {
		r := slots[i].UnavailableBecause
		switch want := r.Strings(); {
		case !r.Any() && ts.UnavailableBecause != nil:
			t.Errorf("timeslot %d (%+v): unavailableBecause %q, want the member left out", i, r, *ts.UnavailableBecause)
		case r.Any() && (ts.UnavailableBecause == nil || !slices.Equal(*ts.UnavailableBecause, want)):
			t.Errorf("timeslot %d (%+v): unavailableBecause %v, want %q", i, r, ts.UnavailableBecause, want)
		}
	}
}
