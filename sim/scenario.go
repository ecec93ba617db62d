package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/validate"
)

// Scenario is a what-if study: a base tenant, a horizon, a demand model,
// booking and dispatch policies, and variants to compare with the baseline.
// Its JSON form is the scenario file.
type Scenario struct {
	Name string `json:"name"`
	// Tenant is the base tenant: the embedded demo (the default), a file,
	// or a synthetic profile and seed.
	Tenant TenantSource `json:"tenant"`
	// Start is the first local date simulated; Days the horizon's length;
	// WarmupDays the leading days left out of the statistics (the book
	// starts empty, so the first days are not representative).
	Start      string `json:"start"`
	Days       int    `json:"days"`
	WarmupDays int    `json:"warmupDays"`

	Demand    Demand    `json:"demand"`
	Booking   Booking   `json:"booking"`
	Dispatch  Dispatch  `json:"dispatch"`
	Execution Execution `json:"execution"`

	Replications int       `json:"replications"`
	Seed         uint64    `json:"seed"`
	Variants     []Variant `json:"variants"`
}

// TenantSource names the base tenant. At most one of File and Profile is
// set; with neither, the embedded demo tenant is used.
type TenantSource struct {
	File    string `json:"file,omitempty"`
	Profile string `json:"profile,omitempty"`
	Seed    uint64 `json:"seed,omitempty"`
	// KeepAppointments starts from the tenant's own book instead of an
	// empty one.
	KeepAppointments bool `json:"keepAppointments,omitempty"`
}

// Demand is the call arrival model: a non-homogeneous Poisson process.
type Demand struct {
	// CallsPerDay is the mean number of calls a day over a week.
	CallsPerDay float64 `json:"callsPerDay"`
	// HourOfWeek weighs the 168 hours of the week, Sunday 00:00 first, in
	// the tenant's local time. Empty means weekdays 07:00–19:00 at weight
	// 1, Saturday 08:00–14:00 at 0.5, otherwise 0.05. Weights are
	// normalized so CallsPerDay is the daily mean.
	HourOfWeek []float64 `json:"hourOfWeek,omitempty"`
	// JobTypes weighs job type ids (as strings); empty means all equally.
	JobTypes map[string]float64 `json:"jobTypes,omitempty"`
	// Zones weighs zone ids (as strings); empty means all equally. A
	// customer's zip is drawn from the chosen zone.
	Zones map[string]float64 `json:"zones,omitempty"`
	// EmergencyShare is the share of calls that need a technician as soon
	// as possible.
	EmergencyShare float64 `json:"emergencyShare"`
}

// Booking is how routine calls are offered windows and choose.
type Booking struct {
	HorizonDays int `json:"horizonDays"` // windows offered from now to this many days ahead
	// PreferredShare of customers ask for a part of the day (half of them
	// mornings, half afternoons) and take its earliest window; the others
	// take the earliest window.
	PreferredShare float64 `json:"preferredShare"`
	// A customer whose first offer is more than DeclineAfterDays away
	// declines with DeclineProbability.
	DeclineAfterDays   float64 `json:"declineAfterDays"`
	DeclineProbability float64 `json:"declineProbability"`
	// OfferExceeding also offers windows flagged as exceeding the ideal
	// booking percentage; by default they are held back as the reserve for
	// emergencies.
	OfferExceeding bool `json:"offerExceeding"`
	// EmergencyMaxWaitMinutes bounds how long an emergency may wait for an
	// arrival; beyond it the call is lost. 0 makes a loss system.
	EmergencyMaxWaitMinutes int `json:"emergencyMaxWaitMinutes"`
}

// Dispatch chooses the technician among those who fit.
type Dispatch struct {
	Policy string `json:"policy"` // first-available, least-loaded, nearest, pro
	// Weights of the pro policy's score (skill match, drive time, workload
	// balance); zero means the defaults 1, 1, 1.
	SkillWeight    float64 `json:"skillWeight,omitempty"`
	DriveWeight    float64 `json:"driveWeight,omitempty"`
	WorkloadWeight float64 `json:"workloadWeight,omitempty"`
}

// Execution is how the day unfolds.
type Execution struct {
	// DurationCV is the coefficient of variation of actual job durations
	// around the job type's duration (lognormal). With Exponential set,
	// durations are exponential with that mean instead.
	DurationCV  float64 `json:"durationCV"`
	Exponential bool    `json:"exponential,omitempty"`
	// SpeedKmh is the driving speed; ZoneSpeedKmh overrides it per zone id.
	SpeedKmh     float64            `json:"speedKmh"`
	ZoneSpeedKmh map[string]float64 `json:"zoneSpeedKmh,omitempty"`
	// DetourFactor multiplies the haversine distance; 0 means no driving
	// at all (the loss-system validation).
	DetourFactor float64 `json:"detourFactor"`
	// PingSeconds is the GPS ping interval while driving and on site.
	PingSeconds int `json:"pingSeconds"`
}

// Variant is a named list of changes to the baseline.
type Variant struct {
	Name    string   `json:"name"`
	Changes []Change `json:"changes"`
}

// Change is one what-if change; exactly one field is set.
type Change struct {
	AddTechnicians    *AddTechnicians    `json:"addTechnicians,omitempty"`
	RemoveTechnicians *RemoveTechnicians `json:"removeTechnicians,omitempty"`
	ShiftHours        *ShiftHours        `json:"shiftHours,omitempty"`
	IdealBooking      *IdealBooking      `json:"idealBookingPercentage,omitempty"`
	ScaleDemand       *float64           `json:"scaleDemand,omitempty"`
	ScaleDurations    *float64           `json:"scaleDurations,omitempty"`
}

// AddTechnicians adds Count technicians like technician Like (unit,
// skills, zones, home) working From–To local on the given weekdays of the
// horizon.
type AddTechnicians struct {
	Count    int      `json:"count"`
	Like     int64    `json:"like"`
	Weekdays []string `json:"weekdays"`
	From     string   `json:"from"`
	To       string   `json:"to"`
}

// RemoveTechnicians takes technicians off the schedule.
type RemoveTechnicians struct {
	IDs []int64 `json:"ids"`
}

// ShiftHours moves the Normal shifts of the given technicians (all when
// empty) to From–To local on their dates.
type ShiftHours struct {
	Technicians []int64 `json:"technicians,omitempty"`
	From        string  `json:"from"`
	To          string  `json:"to"`
}

// IdealBooking sets an ideal booking percentage: a business unit's, or the
// tenant default when BusinessUnit is 0.
type IdealBooking struct {
	BusinessUnit int64 `json:"businessUnit,omitempty"`
	Percentage   int   `json:"percentage"`
}

// Default returns the default scenario: the demo tenant's two weeks, the
// baseline against two extra technicians on Tuesdays and Thursdays, 30
// replications.
func Default() Scenario {
	return Scenario{
		Name:       "Two extra HVAC technicians on Tuesdays and Thursdays",
		Start:      "2027-03-08",
		Days:       14,
		WarmupDays: 2,
		Demand:     Demand{CallsPerDay: 48, EmergencyShare: 0.06},
		Booking: Booking{HorizonDays: 7, PreferredShare: 0.4, DeclineAfterDays: 3, DeclineProbability: 0.35,
			EmergencyMaxWaitMinutes: 240},
		Dispatch:     Dispatch{Policy: "pro"},
		Execution:    Execution{DurationCV: 0.35, SpeedKmh: 40, DetourFactor: 1.35, PingSeconds: 300},
		Replications: 30,
		Seed:         1,
		Variants: []Variant{{
			Name:    "+2 technicians Tue/Thu",
			Changes: []Change{{AddTechnicians: &AddTechnicians{Count: 2, Like: 101, Weekdays: []string{"Tuesday", "Thursday"}, From: "07:00", To: "17:00"}}},
		}},
	}
}

// ParseScenario decodes a scenario file strictly and validates it,
// reporting every problem with its JSON path. Fields left out take the
// defaults of [Default] (except Variants).
func ParseScenario(data []byte) (Scenario, error) {
	s := Default()
	s.Variants = nil
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Scenario{}, fmt.Errorf("sim: scenario: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Scenario{}, fmt.Errorf("sim: scenario: unexpected data after the JSON object")
	}
	return s, s.Validate()
}

// Validate checks the scenario on its own (references to the tenant's
// technicians are checked when it runs).
func (s Scenario) Validate() error {
	var errs validate.Errors
	if s.Tenant.File != "" && s.Tenant.Profile != "" {
		errs.Add("tenant", "sim: give a file or a profile, not both")
	}
	if _, err := hours.ParseDate(s.Start); err != nil {
		errs.Add("start", "%v", err)
	}
	if s.Days < 1 || s.Days > 366 {
		errs.Add("days", "sim: %d days is outside 1…366", s.Days)
	}
	if s.WarmupDays < 0 || s.WarmupDays >= s.Days {
		errs.Add("warmupDays", "sim: %d warm-up days must be at least 0 and fewer than the %d days", s.WarmupDays, s.Days)
	}
	d := s.Demand
	if d.CallsPerDay <= 0 {
		errs.Add("demand.callsPerDay", "sim: %v calls a day must be positive", d.CallsPerDay)
	}
	if len(d.HourOfWeek) != 0 && len(d.HourOfWeek) != 168 {
		errs.Add("demand.hourOfWeek", "sim: %d weights given, want 168 (one per hour of the week)", len(d.HourOfWeek))
	}
	sum := 0.0
	for i, w := range d.HourOfWeek {
		if w < 0 {
			errs.Add(validate.Index("demand.hourOfWeek", i), "sim: weight %v is negative", w)
		}
		sum += w
	}
	if len(d.HourOfWeek) == 168 && sum == 0 {
		errs.Add("demand.hourOfWeek", "sim: every weight is zero")
	}
	checkMix(&errs, "demand.jobTypes", d.JobTypes)
	checkMix(&errs, "demand.zones", d.Zones)
	if d.EmergencyShare < 0 || d.EmergencyShare > 1 {
		errs.Add("demand.emergencyShare", "sim: %v is outside 0…1", d.EmergencyShare)
	}
	b := s.Booking
	if b.HorizonDays < 1 || b.HorizonDays > 31 {
		errs.Add("booking.horizonDays", "sim: %d is outside 1…31", b.HorizonDays)
	}
	for _, f := range []struct {
		path string
		p    float64
	}{{"booking.preferredShare", b.PreferredShare}, {"booking.declineProbability", b.DeclineProbability}} {
		if f.p < 0 || f.p > 1 {
			errs.Add(f.path, "sim: %v is outside 0…1", f.p)
		}
	}
	if b.DeclineAfterDays < 0 {
		errs.Add("booking.declineAfterDays", "sim: %v is negative", b.DeclineAfterDays)
	}
	if b.EmergencyMaxWaitMinutes < 0 {
		errs.Add("booking.emergencyMaxWaitMinutes", "sim: %d is negative", b.EmergencyMaxWaitMinutes)
	}
	if _, ok := policies[s.Dispatch.Policy]; !ok {
		errs.Add("dispatch.policy", "sim: unknown policy %q (want first-available, least-loaded, nearest or pro)", s.Dispatch.Policy)
	}
	x := s.Execution
	if x.DurationCV < 0 || x.DurationCV > 3 {
		errs.Add("execution.durationCV", "sim: %v is outside 0…3", x.DurationCV)
	}
	if x.DetourFactor != 0 && x.SpeedKmh <= 0 {
		errs.Add("execution.speedKmh", "sim: %v km/h must be positive", x.SpeedKmh)
	}
	for _, z := range sortedKeys(x.ZoneSpeedKmh) {
		if v := x.ZoneSpeedKmh[z]; v <= 0 {
			errs.Add("execution.zoneSpeedKmh."+z, "sim: %v km/h must be positive", v)
		}
	}
	if x.DetourFactor != 0 && x.DetourFactor < 1 {
		errs.Add("execution.detourFactor", "sim: %v is below 1 (0 turns driving off)", x.DetourFactor)
	}
	if x.PingSeconds < 0 {
		errs.Add("execution.pingSeconds", "sim: %d is negative", x.PingSeconds)
	}
	if s.Replications < 2 || s.Replications > 100000 {
		errs.Add("replications", "sim: %d replications is outside 2…100000 (intervals need two)", s.Replications)
	}
	names := map[string]bool{"baseline": true}
	for i, v := range s.Variants {
		path := validate.Index("variants", i)
		if v.Name == "" || names[v.Name] {
			errs.Add(path+".name", "sim: variant name %q is empty or used twice", v.Name)
		}
		names[v.Name] = true
		for j, c := range v.Changes {
			checkChange(&errs, validate.Index(path+".changes", j), c)
		}
	}
	return errs.Err()
}

func checkMix(errs *validate.Errors, path string, mix map[string]float64) {
	sum := 0.0
	for _, k := range sortedKeys(mix) {
		w := mix[k]
		var id int64
		if _, err := fmt.Sscan(k, &id); err != nil || id <= 0 {
			errs.Add(path+"."+k, "sim: key %q is not an id", k)
		}
		if w < 0 {
			errs.Add(path+"."+k, "sim: weight %v is negative", w)
		}
		sum += w
	}
	if len(mix) > 0 && sum == 0 {
		errs.Add(path, "sim: every weight is zero")
	}
}

func checkChange(errs *validate.Errors, path string, c Change) {
	n := 0
	if a := c.AddTechnicians; a != nil {
		n++
		if a.Count < 1 || a.Count > 1000 {
			errs.Add(path+".addTechnicians.count", "sim: %d is outside 1…1000", a.Count)
		}
		checkSpan(errs, path+".addTechnicians", a.From, a.To)
		for k, w := range a.Weekdays {
			if _, err := hours.ParseWeekday(w); err != nil {
				errs.Add(validate.Index(path+".addTechnicians.weekdays", k), "%v", err)
			}
		}
	}
	if c.RemoveTechnicians != nil {
		n++
		if len(c.RemoveTechnicians.IDs) == 0 {
			errs.Add(path+".removeTechnicians.ids", "sim: no technician ids")
		}
	}
	if sh := c.ShiftHours; sh != nil {
		n++
		checkSpan(errs, path+".shiftHours", sh.From, sh.To)
	}
	if ib := c.IdealBooking; ib != nil {
		n++
		if ib.Percentage < 1 || ib.Percentage > 200 {
			errs.Add(path+".idealBookingPercentage.percentage", "sim: %d is outside 1…200", ib.Percentage)
		}
	}
	for _, sc := range []struct {
		name string
		f    *float64
	}{{"scaleDemand", c.ScaleDemand}, {"scaleDurations", c.ScaleDurations}} {
		if sc.f != nil {
			n++
			if *sc.f <= 0 || *sc.f > 100 {
				errs.Add(path+"."+sc.name, "sim: factor %v is outside (0, 100]", *sc.f)
			}
		}
	}
	if n != 1 {
		errs.Add(path, "sim: a change sets exactly one of addTechnicians, removeTechnicians, shiftHours, idealBookingPercentage, scaleDemand, scaleDurations (found %d)", n)
	}
}

func checkSpan(errs *validate.Errors, path, from, to string) {
	if _, err := hours.ParseSlot(hours.TimeSlot{From: from, To: to}); err != nil {
		errs.Add(path, "%v", err)
	}
}

// sortedKeys returns m's keys in order, so that validation reports in a
// stable order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
