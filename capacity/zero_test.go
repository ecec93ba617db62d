package capacity_test

import (
	"slices"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/shifts"
)

// TestZeroValuesAreActive: a technician and a shift left at their zero
// values are active, as the tenant file's defaults are, and have capacity;
// Inactive, set on either, takes it away.
func TestZeroValuesAreActive(t *testing.T) {
	if !(capacity.Technician{}).IsActive() || !(shifts.Shift{}).IsActive() {
		t.Fatal("zero Technician or Shift is not active")
	}
	req := capacity.Request{StartsOnOrAfter: time.Unix(at("2027-03-09", "00:00"), 0), EndsOnOrBefore: time.Unix(at("2027-03-10", "00:00"), 0)}
	capacityOf := func(d capacity.Data) (minutes int64, ids []int64) {
		t.Helper()
		e, err := capacity.New(d)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Capacity(req)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Availabilities {
			for _, s := range a.Timeslots {
				minutes += s.CapacityMinutes
				ids = append(ids, s.TechnicianIDs...)
			}
		}
		slices.Sort(ids)
		return minutes, slices.Compact(ids)
	}
	for _, tc := range []struct {
		name        string
		edit        func(*capacity.Data)
		wantMinutes int64
		wantIDs     []int64
	}{
		{"defaults", func(*capacity.Data) {}, 4 * 120, []int64{101}}, // four two-hour windows, 08–16
		{"inactive technician", func(d *capacity.Data) { d.Technicians[0].Inactive = true }, 0, nil},
		{"inactive shift", func(d *capacity.Data) { d.Shifts[0].Inactive = true }, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := oneTech()
			tc.edit(&d)
			minutes, ids := capacityOf(d)
			if minutes != tc.wantMinutes || !slices.Equal(ids, tc.wantIDs) {
				t.Errorf("got %d minutes, technicians %v; want %d, %v", minutes, ids, tc.wantMinutes, tc.wantIDs)
			}
		})
	}
}
