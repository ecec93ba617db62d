package sim

import (
	"testing"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/tenant"
)

// TestKeptDurationsKeyed: a kept appointment's actual duration depends on
// the appointment and the replication only. A variant that takes a
// technician off — and his kept jobs with him — leaves every other kept
// job's duration as the baseline drew it (common random numbers), and the
// technicians of one appointment get one duration. With one stream read
// in the book's order, every kept job after the first removed one got
// another duration.
func TestKeptDurationsKeyed(t *testing.T) {
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	d := inIDOrder(ten.Engine.Data())
	s := Default()
	s.Variants = nil
	s.Tenant.KeepAppointments = true
	s.Days, s.WarmupDays, s.Replications = 14, 0, 2
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	base, err := newWorld(&s, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(base.kept) < 20 {
		t.Fatalf("%d kept jobs in the demo's book: the test needs a book", len(base.kept))
	}
	// Take off the technician of a kept job early in the book.
	gone := base.techs[base.kept[len(base.kept)/10].tech].ID
	v := Variant{Name: "one fewer", Changes: []Change{{RemoveTechnicians: &RemoveTechnicians{IDs: []int64{gone}}}}}
	less, err := newWorld(&s, d, &v)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ appt, tech int64 }
	durations := func(w *world, idx int) (map[key]int64, map[int64][]int64) {
		r, err := newRep(w, idx, false)
		if err != nil {
			t.Fatal(err)
		}
		byKey, byAppt := map[key]int64{}, map[int64][]int64{}
		for _, j := range r.jobs {
			if !j.kept {
				continue
			}
			// Jobs are queued in the order of w.kept.
			k := w.kept[len(byKey)]
			byKey[key{k.appt, w.techs[k.tech].ID}] = j.actualDur
			byAppt[k.appt] = append(byAppt[k.appt], j.actualDur)
		}
		return byKey, byAppt
	}
	for idx := range 2 {
		all, byAppt := durations(base, idx)
		rest, _ := durations(less, idx)
		if len(rest) >= len(all) || len(rest) == 0 {
			t.Fatalf("replication %d: %d kept jobs with technician %d off, %d without: the variant must drop some", idx, len(rest), gone, len(all))
		}
		same := 0
		for k, dur := range rest {
			if want, ok := all[k]; !ok || dur != want {
				t.Errorf("replication %d: appointment %d of technician %d lasts %d s with technician %d off, %d s in the baseline", idx, k.appt, k.tech, dur, gone, want)
			} else {
				same++
			}
		}
		for appt, ds := range byAppt {
			for _, x := range ds[1:] {
				if x != ds[0] {
					t.Errorf("replication %d: appointment %d's technicians got durations %v, want one", idx, appt, ds)
					break
				}
			}
		}
		t.Logf("replication %d: %d kept jobs, %d left with technician %d off, all with the baseline's durations (%d)", idx, len(all), len(rest), gone, same)
	}
}
