package sim

import (
	"testing"
)

// TestStaffDoesNotMoveCustomers: a zone's calls are at its centre, the
// mean home of the tenant's working technicians serving it, the same in
// every variant. A variant that adds technicians like one (whose home
// they copy), takes some off, or cuts their hours once moved the zone's
// customers towards or away from those homes — so under common random
// numbers "+2 technicians like 101" also drew Denver Central's calls
// closer to 101's home, and its paired difference in driving was partly
// geography.
func TestStaffDoesNotMoveCustomers(t *testing.T) {
	s := Default()
	s.Days = 8
	d := inIDOrder(demoDataInternal(t))
	base, err := newWorld(&s, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []Variant{
		{Name: "add", Changes: []Change{{AddTechnicians: &AddTechnicians{Count: 5, Like: 101, From: "07:00", To: "17:00"}}}},
		{Name: "add on call", Changes: []Change{{AddTechnicians: &AddTechnicians{Count: 3, Like: 203, From: "00:00", To: "24:00", OnCall: true}}}},
		{Name: "remove", Changes: []Change{{RemoveTechnicians: &RemoveTechnicians{IDs: []int64{101, 102, 205, 301}}}}},
		{Name: "reduce", Changes: []Change{{ReduceTechnicians: &ReduceTechnicians{Count: 3, Like: 201, From: "07:00", To: "18:00"}}}},
	} {
		w, err := newWorld(&s, d, &v)
		if err != nil {
			t.Fatal(err)
		}
		for i, z := range w.zones {
			if z.id != base.zones[i].id || z.centre != base.zones[i].centre {
				t.Errorf("%s: zone %d's calls are at %v, the baseline's at %v", v.Name, z.id, z.centre, base.zones[i].centre)
			}
		}
	}
}
