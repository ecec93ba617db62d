package capacity

import (
	"testing"

	"github.com/opendispatch/dispatch/zones"
)

// TestHasZoneCopiesNothing: AddTechnician and UpdateTechnician check each
// zone id with hasZone, which asks the directory whether the zone is
// there; Directory.Zone would copy the zone's postal codes and cities to
// answer that.
func TestHasZoneCopiesNothing(t *testing.T) {
	d, err := zones.New([]zones.Zone{{ID: 7, Name: "Central", Zips: []string{"80202", "80203"}, Cities: []string{"Denver"}}})
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{zones: d}
	if !e.hasZone(7) || e.hasZone(8) || (&Engine{}).hasZone(7) {
		t.Fatal("hasZone: want zone 7 only, and none without a directory")
	}
	if n := testing.AllocsPerRun(100, func() { e.hasZone(7) }); n != 0 {
		t.Errorf("hasZone allocates %v times, want 0", n)
	}
}
