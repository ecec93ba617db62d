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
