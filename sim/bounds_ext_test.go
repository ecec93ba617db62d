package sim_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/sim"
)

// TestScenarioBounds: every numeric field a scenario gives is bounded, so
// that no figure overflows (review 5, findings 3 and 4), and fields that
// were accepted and ignored, or misread, are errors naming their path
// (findings 12 and 14).
func TestScenarioBounds(t *testing.T) {
	maxInt := strconv.Itoa(math.MaxInt) // pingSeconds is an int: 2^63−1, or 2^31−1 on 32-bit platforms
	hours := make([]string, 168)
	for i := range hours {
		hours[i] = "1"
	}
	hours[0] = "1e308" // s/h2.json: hung the simulator
	for _, bad := range []struct{ json, msg string }{
		{`{"demand": {"hourOfWeek": [` + strings.Join(hours, ",") + `]}}`, `demand.hourOfWeek[0]: sim: weight 1e+308 is outside 0…1e12`},
		{`{"execution": {"speedKmh": 1e-300}}`, `execution.speedKmh: sim: 1e-300 km/h is outside 1…200`},
		{`{"execution": {"speedKmh": 0.01}}`, `execution.speedKmh: sim: 0.01 km/h is outside 1…200`},
		{`{"execution": {"speedKmh": 5000}}`, `execution.speedKmh: sim: 5000 km/h is outside 1…200`},
		{`{"execution": {"speedKmh": 0}}`, `execution.speedKmh: sim: 0 km/h is outside 1…200`},
		{`{"execution": {"zoneSpeedKmh": {"1": 1e-300}}}`, `execution.zoneSpeedKmh.1: sim: 1e-300 km/h is outside 1…200`},
		{`{"execution": {"pingSeconds": ` + maxInt + `}}`, `execution.pingSeconds: sim: ` + maxInt + ` seconds is outside 0…3600`}, // an int: the largest the platform holds
		{`{"booking": {"declineAfterDays": 1e308}}`, `booking.declineAfterDays: sim: 1e+308 days is outside 0…366`},
		{`{"dispatch": {"policy": "pro", "skillWeight": 1e308}}`, `dispatch.skillWeight: sim: weight 1e+308 is outside 0…1e6`},
		{`{"variants": [{"name": "v", "changes": [{"scaleDemand": 100}, {"scaleDemand": 100}]}]}`, `variants[0].changes[1].scaleDemand: sim: the scaleDemand factors so far multiply to 10000, more than 100`},
		{`{"variants": [{"name": "v", "changes": [{"scaleDurations": 50}, {"scaleDurations": 50}]}]}`, `variants[0].changes[1].scaleDurations: sim: the scaleDurations factors so far multiply to 2500, more than 100`},
		{`{"tenant": {"seed": 5}}`, `tenant.seed: sim: a seed draws a synthetic tenant of a profile`},
		// 0 would draw seed 1's tenant, not generate --seed 0's.
		{`{"tenant": {"profile": "small", "seed": 0}}`, `tenant.seed: 0 is not allowed in seed (it would read as the member left out)`},
		{`{"demand": {"jobTypes": {"0101": 1}}}`, `demand.jobTypes.0101: sim: key "0101" is not an id as the tenant writes it (101)`},
		{`{"execution": {"zoneSpeedKmh": {"01": 30}}}`, `execution.zoneSpeedKmh.01: sim: key "01" is not an id as the tenant writes it`},
		{`{"variants": [{"name": "v", "changes": [{"addTechnicians": {"count": 1, "like": 101, "weekdays": ["Sunday", "Sunday"], "from": "07:00", "to": "17:00"}}]}]}`,
			`variants[0].changes[0].addTechnicians.weekdays[1]: sim: Sunday is given twice`},
		{`{"variants": [{"name": "v", "changes": [{"addAdjustments": {"weekdays": ["Monday", "Monday"], "from": "08:00", "to": "10:00", "minutes": 60}}]}]}`,
			`variants[0].changes[0].addAdjustments.weekdays[1]: sim: Monday is given twice`},
		{`{"variants": [{"name": "v", "changes": [{"removeTechnicians": {"ids": [101, 101]}}]}]}`, `variants[0].changes[0].removeTechnicians.ids[1]: sim: technician 101 is given twice`},
		{`{"variants": [{"name": "v", "changes": [{"addTechnicians": {"count": 1, "like": 101}}]}]}`, `variants[0].changes[0].addTechnicians.from: sim: missing: want a clock time HH:MM`},
		{`{"variants": [{"name": "v", "changes": [{"addTechnicians": {"count": 1, "like": 101, "from": "07:00"}}]}]}`, `variants[0].changes[0].addTechnicians.to: sim: missing: want a clock time HH:MM`},
	} {
		_, err := sim.ParseScenario([]byte(bad.json))
		if err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%s:\ngot  %v\nwant %q", bad.json, err, bad.msg)
		}
	}
	// Within the bounds: accepted.
	for _, good := range []string{
		`{"execution": {"speedKmh": 1}}`, `{"execution": {"speedKmh": 200}}`,
		`{"execution": {"speedKmh": 0, "detourFactor": 0}}`, `{"execution": {"pingSeconds": 3600}}`,
		`{"variants": [{"name": "v", "changes": [{"scaleDemand": 10}, {"scaleDemand": 10}]}]}`,
		`{"tenant": {"profile": "small", "seed": 5}}`,
	} {
		if _, err := sim.ParseScenario([]byte(good)); err != nil {
			t.Errorf("%s: %v", good, err)
		}
	}
}

// TestOptimizeBounds: an optimize file's levers and changes are read as
// strictly (review 5, finding 12): a step of 0, and a technicians lever
// that takes off more of a unit than the changes leave (s/o_rm.json:
// every HVAC technician removed, "−k HVAC" simulated as if it removed
// someone).
func TestOptimizeBounds(t *testing.T) {
	const head = `{"scenario": {"start": "2027-04-05", "days": 21, "warmupDays": 7}, "targets": [{"kpi": "bookingRate", "atLeast": 93}],`
	_, err := sim.ParseOptimizeSpec([]byte(head + `"levers": [{"reservePercentage": {"businessUnit": 1, "min": 0, "max": 20, "step": 0}}]}`))
	if want := "levers[0].reservePercentage.step: sim: a step of 0 never moves from min"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("step 0: got %v, want %q", err, want)
	}
	if _, err := sim.ParseOptimizeSpec([]byte(head + `"levers": [{"reservePercentage": {"businessUnit": 1, "min": 0, "max": 20}}]}`)); err != nil {
		t.Errorf("step left out: %v", err)
	}
	spec, err := sim.ParseOptimizeSpec([]byte(head + `"changes": [{"removeTechnicians": {"ids": [101, 102, 103, 104, 105, 106, 107, 108, 109, 110]}}],
		"levers": [{"technicians": {"like": 101, "from": "07:00", "to": "17:00", "min": -5, "max": 1}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	err = spec.CheckTenant(demoData(t))
	if want := "levers[0].technicians.min: sim: -5 takes off more technicians than the 0 active ones of technician 101's business unit"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("removals of nobody: got %v, want %q", err, want)
	}
}
