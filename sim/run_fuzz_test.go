package sim_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
)

// boundWork shrinks a scenario that parsed to a few seconds of work at
// most: two replications of up to three days (one of warm-up), a
// horizon of up to three days, at most 60 calls a day and one variant
// whose levers are capped the same way. Every field it does not cap is
// as fuzzed.
func boundWork(s *sim.Scenario) {
	s.Replications = 2
	s.Days = min(max(s.Days, 1), 3)
	s.WarmupDays = min(s.WarmupDays, s.Days-1)
	s.Booking.HorizonDays = min(s.Booking.HorizonDays, 3)
	s.Demand.CallsPerDay = min(s.Demand.CallsPerDay, 60)
	if len(s.Variants) > 1 {
		s.Variants = s.Variants[:1]
	}
	for i := range s.Variants {
		for j := range s.Variants[i].Changes {
			c := &s.Variants[i].Changes[j]
			if c.ScaleDemand != nil {
				*c.ScaleDemand = min(*c.ScaleDemand, 2)
			}
			if c.ScaleDurations != nil {
				*c.ScaleDurations = min(*c.ScaleDurations, 2)
			}
			if c.BookingHorizonDays != nil {
				*c.BookingHorizonDays = min(*c.BookingHorizonDays, 3)
			}
			if c.AddTechnicians != nil {
				c.AddTechnicians.Count = min(c.AddTechnicians.Count, 5)
			}
		}
	}
}

// checkFieldError fails unless err is a list of problems, each naming
// the scenario's field it concerns.
func checkFieldError(t *testing.T, what string, data []byte, err error) {
	t.Helper()
	var list validate.Errors
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("%s: %s\nerror %q (%T) does not name the field", what, data, err, err)
	}
	for _, e := range list {
		if e.Path == "" || e.Msg == "" {
			t.Fatalf("%s: %s\na problem without its field or message: %q", what, data, e)
		}
	}
}

// FuzzScenarioRun runs a fuzzed scenario file on the demo tenant, the
// small tenant of package tenant's tests or testdata's around-the-clock
// tenant, with its work bounded
// (boundWork). A scenario that parses either fails the tenant's checks or
// the run with errors naming the field, or runs to a result that writes
// out as JSON and reads back (ParseResult); never a panic, never a hang.
//
// Seeds: the scenario files of testdata, a scenario on the small tenant's
// week of 2026-03-09, and the default's levers.
func FuzzScenarioRun(f *testing.F) {
	data := []capacity.Data{demoData(f)}
	for _, path := range []string{filepath.Join("..", "tenant", "testdata", "tiny.json"), filepath.Join("testdata", "around-the-clock.json")} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		ten, err := tenant.Parse(b)
		if err != nil {
			f.Fatal(err)
		}
		data = append(data, ten.Engine.Data())
	}
	def, _ := json.Marshal(sim.Default())
	f.Add(def, uint8(0))
	f.Add([]byte(`{"start": "2026-03-09", "days": 2, "warmupDays": 1, "roster": {}, "demand": {"callsPerDay": 5, "emergencyShare": 0.2, "jobTypes": {"10": 1}}, "variants": [{"name": "more", "changes": [{"scaleDemand": 2}]}]}`), uint8(1))
	f.Add([]byte(`{"start": "2026-03-09", "days": 1, "warmupDays": 0, "roster": {}, "demand": {"callsPerDay": 8, "emergencyShare": 0, "jobTypes": {"10": 1}}, "variants": [{"name": "one more", "changes": [{"addTechnicians": {"count": 1, "like": 101, "from": "07:00", "to": "17:00"}}]}]}`), uint8(1))
	f.Add([]byte(`{"days": 3, "warmupDays": 1, "replications": 2}`), uint8(0))
	for _, name := range []string{"reserve.scenario.json", "controls.scenario.json", "levers.scenario.json", "around-the-clock.scenario.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		which := uint8(0)
		if name == "around-the-clock.scenario.json" {
			which = 2
		}
		f.Add(b, which)
	}
	f.Fuzz(func(t *testing.T, file []byte, which uint8) {
		s, err := sim.ParseScenario(file)
		if err != nil {
			return // FuzzParseScenario checks the parser's errors
		}
		boundWork(&s)
		if s.Validate() != nil {
			t.Skip() // bounded into a scenario that is no longer valid
		}
		d := data[int(which)%len(data)]
		if err := s.CheckTenant(d); err != nil {
			checkFieldError(t, "CheckTenant", file, err)
			return
		}
		res, err := sim.Simulate(s, d, sim.Options{Workers: 1})
		if err != nil {
			checkFieldError(t, "Simulate", file, err)
			return
		}
		out, err := json.Marshal(res)
		if err != nil {
			t.Fatalf("%s\nthe result does not marshal: %v", file, err)
		}
		back, err := sim.ParseResult(out)
		if err != nil {
			t.Fatalf("%s\nthe result does not read back: %v", file, err)
		}
		if again, _ := json.Marshal(back); !bytes.Equal(again, out) {
			t.Fatalf("%s\nthe result reads back differently", file)
		}
	})
}
