package sim_test

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/sim"
)

// monotoneLevel is the one-sided level of each paired test below.
const monotoneLevel = 0.01

// pairedBound returns the mean of the paired differences d and the
// half-width t·se of its one-sided bound at monotoneLevel (Student t
// over replications): the test of "E[d] ≥ 0" rejects when mean + t·se
// < 0.
func pairedBound(d []float64) (mean, halfWidth float64) {
	n := float64(len(d))
	for _, x := range d {
		mean += x
	}
	mean /= n
	v := 0.0
	for _, x := range d {
		v += (x - mean) * (x - mean)
	}
	se := math.Sqrt(v/(n-1)) / math.Sqrt(n)
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(1 - monotoneLevel)
	return mean, q * se
}

func booked(r *sim.Run) float64 { return float64(r.Booked) }
func utilisation(r *sim.Run) float64 {
	if r.WorkingSeconds == 0 {
		return math.NaN()
	}
	return 100 * float64(r.OnSiteSeconds) / float64(r.WorkingSeconds)
}

// TestMonotoneInExpectation: under common random numbers (the variant and
// the baseline see the same calls), more technicians do not book fewer
// calls, more demand does not lower utilisation, and a lower ideal
// booking percentage (windows over it held back) does not book more — in
// expectation. Any one replication may go the other way (a dispatch
// anomaly: an extra technician takes a job that a later, longer one then
// misses), so what is asserted is about the mean of the paired
// differences over replications: the one-sided paired t test of "the
// mean moves the right way or not at all" must not reject at 1% (mean +
// t₀.₉₉·se ≥ 0, signs taken so that the right way is up). Each case also
// runs its lever the other way (fewer technicians, less demand, a higher
// percentage, or against the grain), and that must be rejected: the test
// has the power to see a wrong direction.
func TestMonotoneInExpectation(t *testing.T) {
	demo := fileData(t, demoFile(t))
	syn := fileData(t, synthFile(t, 11))
	f := func(x float64) *float64 { return &x }
	add := func(like int64, n int) sim.Change {
		return sim.Change{AddTechnicians: &sim.AddTechnicians{Count: n, Like: like, From: "07:00", To: "17:00"}}
	}
	type lever struct {
		name   string
		change sim.Change
		sign   float64 // +1: the figure may not fall; −1: it may not rise
	}
	for _, tc := range []struct {
		name   string
		data   capacity.Data
		study  func() sim.Scenario
		figure func(*sim.Run) float64
		right  []lever // must not go the wrong way
		wrong  lever   // a change that does go the wrong way, to show power
	}{
		{"demo: technicians → booked", demo, busyDemo, booked,
			[]lever{{"+1 like 101", add(101, 1), +1}, {"+2 like 201", add(201, 2), +1}, {"+3 like 301", add(301, 3), +1}},
			lever{"−3 of 101's unit", sim.Change{ReduceTechnicians: &sim.ReduceTechnicians{Count: 3, Like: 101, From: "07:00", To: "17:00"}}, +1}},
		{"demo: demand → utilisation", demo, busyDemo, utilisation,
			[]lever{{"×1.1", sim.Change{ScaleDemand: f(1.1)}, +1}, {"×1.5", sim.Change{ScaleDemand: f(1.5)}, +1}},
			lever{"×0.6", sim.Change{ScaleDemand: f(0.6)}, +1}},
		{"demo: ideal % → booked", demo, heldDemo, booked,
			[]lever{{"Plumbing 50%", sim.Change{IdealBooking: &sim.IdealBooking{BusinessUnit: 2, Percentage: 50}}, -1},
				{"Electrical 60%", sim.Change{IdealBooking: &sim.IdealBooking{BusinessUnit: 3, Percentage: 60}}, -1}},
			lever{"Plumbing 120%", sim.Change{IdealBooking: &sim.IdealBooking{BusinessUnit: 2, Percentage: 120}}, -1}},
		{"synthetic: technicians → booked", syn, busySynth, booked,
			[]lever{{"+2 like the first", add(firstActive(syn), 2), +1}},
			lever{"−2 like the first", sim.Change{ReduceTechnicians: &sim.ReduceTechnicians{Count: 2, Like: firstActive(syn), From: "07:00", To: "17:00"}}, +1}},
		{"synthetic: demand → utilisation", syn, busySynth, utilisation,
			[]lever{{"×1.25", sim.Change{ScaleDemand: f(1.25)}, +1}},
			lever{"×0.7", sim.Change{ScaleDemand: f(0.7)}, +1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.study()
			for _, l := range append(tc.right, tc.wrong) {
				s.Variants = append(s.Variants, sim.Variant{Name: l.name, Changes: []sim.Change{l.change}})
			}
			t.Logf("seed %d, %d replications, %d days", s.Seed, s.Replications, s.Days)
			res := simulate(t, s, tc.data, sim.Options{})
			nv := len(s.Variants) + 1
			for vi, l := range append(tc.right, tc.wrong) {
				var d []float64
				for i := 0; i < len(res.Runs); i += nv {
					b, v := tc.figure(res.Runs[i]), tc.figure(res.Runs[i+vi+1])
					if !math.IsNaN(b) && !math.IsNaN(v) {
						d = append(d, l.sign*(v-b))
					}
				}
				mean, hw := pairedBound(d)
				against := 0
				for _, x := range d {
					if x < 0 {
						against++
					}
				}
				msg := fmt.Sprintf("%s: paired difference %+.3f (one-sided %g%% half-width %.3f), %d of %d replications the wrong way",
					l.name, l.sign*mean, 100*monotoneLevel, hw, against, len(d))
				wrong := mean+hw < 0
				switch {
				case vi < len(tc.right) && wrong:
					t.Error(msg + ": rejected, the mean goes the wrong way")
				case vi == len(tc.right) && !wrong:
					t.Error(msg + ": not rejected, so the test cannot see a wrong direction here")
				default:
					t.Log(msg)
				}
			}
		})
	}
}

// busyDemo is the demo loaded enough that staff and demand matter: 12
// days with a week's warm-up, 12 replications.
func busyDemo() sim.Scenario {
	s := sim.Default()
	s.Days, s.WarmupDays, s.Replications, s.Seed = 12, 7, 12, 3
	s.Demand.CallsPerDay = 90
	s.Variants = nil
	return s
}

// heldDemo is busyDemo with windows over the ideal percentage held back,
// so that the percentage decides bookings.
func heldDemo() sim.Scenario {
	s := busyDemo()
	s.Booking.OfferExceeding = false
	return s
}

// busySynth is a small synthetic tenant's study with enough calls to
// fill it.
func busySynth() sim.Scenario {
	s := synthStudy()
	s.Tenant.KeepAppointments = false
	s.Days, s.WarmupDays, s.Replications, s.Seed = 12, 7, 12, 5
	s.Demand.CallsPerDay = 45
	return s
}

// firstActive returns the lowest id of an active technician with shifts.
func firstActive(d capacity.Data) int64 {
	has := map[int64]bool{}
	for _, s := range d.Shifts {
		has[s.TechnicianID] = true
	}
	for _, t := range d.Technicians {
		if t.IsActive() && has[t.ID] {
			return t.ID
		}
	}
	panic("no active technician with shifts")
}
