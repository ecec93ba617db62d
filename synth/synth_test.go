package synth_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

func generate(t testing.TB, name string, seed uint64) []byte {
	p, err := synth.ProfileNamed(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := synth.Generate(p, seed)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministicAndValid(t *testing.T) {
	for _, name := range []string{"small", "medium"} {
		a, b := generate(t, name, 1), generate(t, name, 1)
		if !bytes.Equal(a, b) {
			t.Fatalf("%s: two generations with seed 1 differ", name)
		}
		if c := generate(t, name, 2); bytes.Equal(a, c) {
			t.Errorf("%s: seeds 1 and 2 gave the same tenant", name)
		}
		ten, err := tenant.Parse(a)
		if err != nil {
			t.Fatalf("%s: generated tenant does not load: %v", name, err)
		}
		var out bytes.Buffer
		if err := ten.Save(&out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), a) {
			t.Errorf("%s: save(load(x)) differs from x", name)
		}
		d := ten.Engine.Data()
		techDays := float64(len(d.Technicians) * 10)
		var assigned int
		for _, as := range d.Assignments {
			if as.Status == capacity.Assigned {
				assigned++
			}
		}
		perTechDay := float64(len(d.Appointments)) / techDays
		if perTechDay < 1.5 || perTechDay > 5 {
			t.Errorf("%s: %.2f appointments per technician-day, want about 3", name, perTechDay)
		}
		if unassigned := len(d.Appointments) - assigned; unassigned == 0 {
			t.Errorf("%s: no unassigned appointments", name)
		}
		loc := ten.Engine.Location()
		resp, err := ten.Engine.Capacity(capacity.Request{StartsOnOrAfter: time.Date(2027, 3, 8, 0, 0, 0, 0, loc), EndsOnOrBefore: time.Date(2027, 3, 22, 0, 0, 0, 0, loc)})
		if err != nil || len(resp.Availabilities) != 10 {
			t.Fatalf("%s: capacity over two weeks: %d availabilities, %v; want 10 working days", name, len(resp.Availabilities), err)
		}
		t.Logf("%s: %d bytes, %d technicians, %d appointments (%.2f per technician-day), sha256 %x", name, len(a), len(d.Technicians), len(d.Appointments), perTechDay, sha256.Sum256(a))
	}
}

func ExampleGenerate() {
	p, _ := synth.ProfileNamed("small")
	f, _ := synth.Generate(p, 1)
	fmt.Println(f.Tenant, len(f.Technicians), f.TimeZone, len(f.ArrivalWindows))
	// Output: synth-small-1 10 America/Denver 4
}

// TestProfilesUseControls: every profile sets the capacity controls a
// contractor would (see Generate), loads without warnings, and a profile
// with both HVAC units groups them with the reserve on the group.
func TestProfilesUseControls(t *testing.T) {
	for _, p := range synth.Profiles[:3] {
		f, err := synth.Generate(p, 1)
		if err != nil {
			t.Fatal(err)
		}
		ten, err := tenant.Build(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(ten.Warnings) != 0 {
			t.Errorf("%s: warnings %v", p.Name, ten.Warnings)
		}
		priority := 0
		for _, j := range f.JobTypes {
			if j.Priority {
				priority++
			}
		}
		reserve := f.BusinessUnits[0].ReservePercentage
		if len(f.BusinessUnits) >= 5 {
			if len(f.BusinessUnitGroups) == 0 || f.BusinessUnitGroups[0].ReservePercentage == nil {
				t.Errorf("%s: %d units but no HVAC group with a reserve", p.Name, len(f.BusinessUnits))
			} else {
				reserve = *f.BusinessUnitGroups[0].ReservePercentage
			}
		}
		if f.TravelBufferMinutes == 0 || priority != len(f.BusinessUnits) || reserve != 15 || len(f.CapacityRules) != 1 || len(f.CapacityAdjustments) < 4 {
			t.Errorf("%s: buffer %d, %d priority job types for %d units, reserve %d, %d rules, %d adjustments", p.Name, f.TravelBufferMinutes,
				priority, len(f.BusinessUnits), reserve, len(f.CapacityRules), len(f.CapacityAdjustments))
		}
	}
}
