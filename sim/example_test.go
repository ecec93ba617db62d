package sim_test

import (
	"fmt"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/tenant"
)

// Every unbooked call has one reason; JSON and CSV use the codes.
func ExampleReason() {
	for why := range sim.Reason(sim.NumReasons) {
		fmt.Printf("%-20s %s\n", why, why.Text())
	}
	// Output:
	// noEligibleTechnician no eligible technician (skills, unit, zone)
	// noFit                no window where a technician fits
	// idealHeld            held back by the ideal-booking percentage
	// reserveOrRule        held back by a reserve or capacity rule
	// beyondHorizon        beyond the booking horizon
	// declined             customer declined
	// emergencyWait        emergency: everyone on duty busy for the maximum wait
	// emergencyOffDuty     emergency: no one on duty (working or on call) within the maximum wait
}

// Scenario files are read strictly and every problem is reported with its
// path.
func ExampleParseScenario() {
	_, err := sim.ParseScenario([]byte(`{"days": 14, "warmupDays": 14, "booking": {"horizonDays": 45},
		"variants": [{"name": "later", "changes": [{"shiftHours": {"from": "09:00", "to": "19:00"}}]}]}`))
	fmt.Println(err)
	_, err = sim.ParseScenario([]byte(`{"Days": 14}`))
	fmt.Println(err)
	// Output:
	// warmupDays: sim: 14 warm-up days must be at least 0 and fewer than the 14 days
	// booking.horizonDays: sim: 45 days is outside 1…31
	// sim: scenario: Days: unknown field "Days"
}

// A study of the demo tenant far past the two weeks its file spells out:
// the default roster rolls its shifts forward, and every call is either
// booked or lost for one reason.
func ExampleSimulate() {
	s := sim.Default()
	s.Start, s.Days, s.WarmupDays = "2027-09-06", 14, 7
	s.Replications = 2
	s.Variants = nil
	demo, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := sim.Simulate(s, demo.Engine.Data(), sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res.Runs[0]
	fmt.Println("warnings:", len(res.Warnings))
	fmt.Println("calls = booked + lost:", r.Calls == r.Booked+r.LostBy.Total())
	fmt.Println("measured days:", len(r.Days), "from", r.Days[0].Date)
	// Output:
	// warnings: 0
	// calls = booked + lost: true
	// measured days: 7 from 2027-09-13
}

// The least staffing of an emergency line around the clock, offered 5
// Erlangs, that loses at most 1% of its calls: the optimiser finds the
// inverse of Erlang B, 11 technicians.
func ExampleOptimize() {
	q := sim.Queue{Servers: 6, Erlangs: 5, Days: 8, WarmupDays: 1, Replications: 2, Seed: 7}
	s, d, err := q.Study()
	if err != nil {
		fmt.Println(err)
		return
	}
	target := 1.0
	spec := sim.OptimizeSpec{
		Scenario: s,
		Targets:  []sim.Target{{KPI: "emergencyLostShare", AtMost: &target}},
		Levers: []sim.Lever{{Technicians: &sim.TechniciansLever{Like: 1, From: "00:00", To: "24:00", Min: 0, Max: 10,
			Weekdays: []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}}}},
	}
	res, err := sim.Optimize(spec, d, sim.OptimizeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	best := res.Configurations[res.Best]
	fmt.Println("technicians:", q.Servers+best.Values[0])
	fmt.Printf("cost: %.0f technician-hours a week\n", best.Cost)
	// Output:
	// technicians: 11
	// cost: 1848 technician-hours a week
}

// The least staffing may be fewer technicians than rostered: a
// technicians lever's negative values take them off (a
// [sim.ReduceTechnicians] change), and fixed changes set the conditions
// every configuration runs under — here the load 4 Erlangs, scaled to 5.
func ExampleOptimize_belowRoster() {
	q := sim.Queue{Servers: 15, Erlangs: 4, Days: 8, WarmupDays: 1, Replications: 2, Seed: 7}
	s, d, err := q.Study()
	if err != nil {
		fmt.Println(err)
		return
	}
	target, scale := 1.0, 1.25
	spec := sim.OptimizeSpec{
		Scenario: s,
		Changes:  []sim.Change{{ScaleDemand: &scale}},
		Targets:  []sim.Target{{KPI: "emergencyLostShare", AtMost: &target}},
		Levers: []sim.Lever{{Technicians: &sim.TechniciansLever{Like: 1, From: "00:00", To: "24:00", Min: -10, Max: 0,
			Weekdays: []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}}}},
	}
	res, err := sim.Optimize(spec, d, sim.OptimizeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	best := res.Configurations[res.Best]
	fmt.Println("under:", res.Under[0])
	fmt.Println("answer:", best.Label)
	fmt.Println("technicians:", q.Servers+best.Values[0])
	fmt.Printf("cost: %.0f technician-hours a week, the roster %.0f\n", best.Cost, res.RosterCost)
	// Output:
	// under: demand ×1.25
	// answer: −4 Emergency technicians every day 00:00–24:00
	// technicians: 11
	// cost: 1848 technician-hours a week, the roster 2520
}

// ParseResult reads the JSON of a simulation result back, for merging
// shards; a file that is not a result is refused as such, not member by
// member.
func ExampleParseResult() {
	_, err := sim.ParseResult([]byte(`{"businessUnits": [], "technicians": [], "shifts": []}`))
	fmt.Println(err)
	// Output:
	// sim: not a simulation result: it has no "scenario" or "runs" (its members: businessUnits, shifts, technicians)
}

// A queue that waits at heavy load takes long to forget that it started
// empty, and few servers take longest: Queue.Study leaves out four
// relaxation times unless WarmupDays says otherwise.
func ExampleQueue_RelaxationHours() {
	for _, q := range []sim.Queue{
		{Servers: 10, Erlangs: 9.5, Days: 60, Patient: true, Replications: 2},
		{Servers: 300, Erlangs: 285, Days: 60, Patient: true, Replications: 2},
		{Servers: 10, Erlangs: 9.5, Days: 60, Replications: 2},
	} {
		s, _, err := q.Study()
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: relaxes in %.1f hours; warm-up days: %d\n", s.Name, q.RelaxationHours(), s.WarmupDays)
	}
	// Output:
	// M/M/10 at A = 9.5: relaxes in 156.0 hours; warm-up days: 26
	// M/M/300 at A = 285: relaxes in 5.2 hours; warm-up days: 1
	// M/M/10/10 at A = 9.5: relaxes in 1.0 hours; warm-up days: 1
}
