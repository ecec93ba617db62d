package capacity

import (
	"fmt"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// twoUnits is a tenant of two business units, 1 and 2, with technician
// 101 in unit 1 and n technicians from 201 in unit 2, each working
// 08:00–17:00 on Tuesday 2027-03-09 (Denver).
func twoUnits(t *testing.T, n int) Data {
	t.Helper()
	bh := hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Tuesday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}}}}
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: bh,
		ArrivalWindows: []hours.ArrivalWindow{{ID: 1, From: "08:00", To: "12:00"}, {ID: 2, From: "12:00", To: "17:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	day := func(hhmm string) time.Time {
		at, err := time.ParseInLocation("2006-01-02 15:04", "2027-03-09 "+hhmm, sched.Location())
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	d := Data{Schedule: sched,
		BusinessUnits: []BusinessUnit{{ID: 1, Name: "Service"}, {ID: 2, Name: "Install"}},
		JobTypes:      []JobType{{ID: 10, Name: "Tune-up", DurationMinutes: 60}},
		Technicians:   []Technician{{ID: 101, Name: "Ana", BusinessUnitID: 1}},
	}
	for k := range n {
		d.Technicians = append(d.Technicians, Technician{ID: int64(201 + k), Name: fmt.Sprint("Tech ", k), BusinessUnitID: 2})
	}
	for k, tc := range d.Technicians {
		d.Shifts = append(d.Shifts, shifts.Shift{ID: int64(1 + k), TechnicianID: tc.ID, Type: shifts.Normal, Start: day("08:00"), End: day("17:00")})
	}
	return d
}

// TestShardForCountsOthers: a technician joining a unit — added, or moved
// there from another — goes into the unit's last shard unless that shard
// holds maxShard technicians already, counting the technicians in it, not
// the one joining; a unit position of -1 (none) has shard -1. (The
// figures are right either way: a shard opened one technician early only
// costs memory and a longer sum, so the lifecycle property cannot see
// it.)
func TestShardForCountsOthers(t *testing.T) {
	defer SetMaxShard(2)()
	for _, move := range []bool{false, true} {
		e, err := New(twoUnits(t, 1)) // unit 1 (position 0): shard 0 with 101; unit 2: shard 1 with 201
		if err != nil {
			t.Fatal(err)
		}
		if got := e.shardFor(-1); got != -1 {
			t.Fatalf("shardFor(-1) = %d, want -1 for no unit", got) // unreachable through the API, which refuses unknown units
		}
		if len(e.shardUnit) != 2 || e.cols[e.techIdx[201]].shard != 1 {
			t.Fatalf("built with shards %v, technician 201 in shard %d: want one shard a unit, 201 in shard 1", e.shardUnit, e.cols[e.techIdx[201]].shard)
		}
		id := int64(202)
		if move {
			id = 101
			err = e.UpdateTechnician(Technician{ID: 101, Name: "Ana", BusinessUnitID: 2})
		} else {
			err = e.AddTechnician(Technician{ID: 202, Name: "Bo", BusinessUnitID: 2})
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := e.cols[e.techIdx[id]].shard; got != 1 || len(e.shardUnit) != 2 {
			t.Errorf("move %v: technician %d joined shard %d of %v; want shard 1, which held one of 2", move, id, got, e.shardUnit)
		}
	}
}

// TestRestrideSpare: the first technician added to a build of n lays the
// rows out with max(4, n/8) spare columns, and the next ones use them, as
// AddTechnician's doc says (one addition in about n/8 lays the rows out
// again). More spare columns give the same figures, so only the stride
// shows the memory.
func TestRestrideSpare(t *testing.T) {
	for _, n := range []int{1, 40, 100} {
		e, err := New(twoUnits(t, n-1))
		if err != nil {
			t.Fatal(err)
		}
		if e.cat.stride != n {
			t.Fatalf("%d technicians: built with stride %d", n, e.cat.stride)
		}
		want := n + max(4, n/8)
		for k := range want - n {
			if err := e.AddTechnician(Technician{ID: int64(1000 + k), Name: "New", BusinessUnitID: 1}); err != nil {
				t.Fatal(err)
			}
			if e.cat.stride != want {
				t.Fatalf("%d technicians, %d added: stride %d, want %d", n, k+1, e.cat.stride, want)
			}
		}
	}
}

// TestOwnInBlocks: ownTechnicians and ownJobTypes copy every record's
// lists and pointers into one block per kind — skills, zones and homes;
// skills, units and buffers — sized beforehand, so that a build of many
// records makes one allocation per kind, none when no record has one.
// (A block sized too small still gives right copies, from more
// allocations.)
func TestOwnInBlocks(t *testing.T) {
	for _, some := range []bool{false, true} {
		ts := make([]Technician, 50)
		js := make([]JobType, 50)
		want := 0.0
		for i := range ts {
			ts[i] = Technician{ID: int64(i + 1)}
			js[i] = JobType{ID: int64(i + 1)}
			if some {
				ts[i].Skills, ts[i].ZoneIDs, ts[i].Home = []string{"HVAC"}, []int64{1}, &Point{Latitude: 1}
				js[i].Skills, js[i].BusinessUnitIDs, js[i].TravelBufferMinutes = []string{"HVAC"}, []int64{1}, new(int)
				want = 3
			}
		}
		dst, jdst := make([]tech, len(ts)), make([]JobType, len(js))
		if n := testing.AllocsPerRun(10, func() { ownTechnicians(dst, ts) }); n != want {
			t.Errorf("lists %v: ownTechnicians allocates %v times, want %v", some, n, want)
		}
		if n := testing.AllocsPerRun(10, func() { ownJobTypes(jdst, js) }); n != want {
			t.Errorf("lists %v: ownJobTypes allocates %v times, want %v", some, n, want)
		}
		for i := range ts {
			if some && (dst[i].Home == ts[i].Home || *dst[i].Home != *ts[i].Home || jdst[i].TravelBufferMinutes == js[i].TravelBufferMinutes) {
				t.Fatalf("record %d: the pointers are shared or not copied", i)
			}
		}
	}
}
