package sim

import (
	"slices"
	"testing"

	"github.com/opendispatch/dispatch/capacity"
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

// TestGeographyWithoutWorkingHomes: when none of the technicians who
// work has a home — or none is active, as in a tenant whose one HVAC
// technician left and a variant adds two like him — the customers are
// where the technicians who have homes live, not at 0°, 0° (the mean of
// no homes), half a world from the added technicians' copied homes.
func TestGeographyWithoutWorkingHomes(t *testing.T) {
	d := inIDOrder(demoDataInternal(t))
	var homes []point
	byZone := map[int64][]point{}
	for _, tc := range d.Technicians {
		if tc.Home == nil {
			t.Fatalf("demo technician %d has no home", tc.ID)
		}
		p := point{tc.Home.Latitude, tc.Home.Longitude}
		homes = append(homes, p)
		for _, z := range tc.ZoneIDs {
			byZone[z] = append(byZone[z], p)
		}
	}
	check := func(name string, d capacity.Data) {
		t.Helper()
		g := geographyOf(d)
		if g.centroid != mean(homes) {
			t.Errorf("%s: centroid %v, want the mean home %v", name, g.centroid, mean(homes))
		}
		for z, ps := range byZone {
			if g.centres[z] != mean(ps) {
				t.Errorf("%s: zone %d's centre %v, want %v", name, z, g.centres[z], mean(ps))
			}
		}
	}
	inactive := d
	inactive.Technicians = slices.Clone(d.Technicians)
	for i := range inactive.Technicians {
		inactive.Technicians[i].Inactive = true
	}
	check("every technician inactive", inactive)
	// The working technicians without homes, every other one inactive
	// with his: the working ones are at the centroid, with the calls.
	mixed := d
	mixed.Technicians = slices.Clone(d.Technicians)
	mixed.Technicians = append(mixed.Technicians, mixed.Technicians...)
	for i := range mixed.Technicians {
		if i < len(d.Technicians) {
			mixed.Technicians[i].Home = nil
			mixed.Technicians[i].ZoneIDs = nil
		} else {
			mixed.Technicians[i].Inactive = true
			mixed.Technicians[i].ID += 1_000_000
		}
	}
	check("working technicians without homes", mixed)
}
