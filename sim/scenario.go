package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/validate"
)

// Scenario is a what-if study: a base tenant, a horizon, a roster, a
// demand model, booking and dispatch policies, and variants to compare
// with the baseline. Its JSON form is the scenario file.
type Scenario struct {
	Name string `json:"name"`
	// Tenant is the base tenant: the embedded demo (the default), a file,
	// or a synthetic profile and seed.
	Tenant TenantSource `json:"tenant"`
	// Start is the first local date on which calls arrive; Days the
	// number of days they arrive on; WarmupDays the leading days left out
	// of the statistics (the book starts empty, so the first days are not
	// representative: a warm-up at least as long as the booking horizon
	// makes the first measured day see a full book). Bookings may run
	// past the last day by up to the booking horizon.
	Start      string `json:"start"`
	Days       int    `json:"days"`
	WarmupDays int    `json:"warmupDays"`

	// Roster says how technicians' shifts cover dates the tenant file
	// does not spell out.
	Roster Roster `json:"roster"`

	Demand    Demand    `json:"demand"`
	Booking   Booking   `json:"booking"`
	Dispatch  Dispatch  `json:"dispatch"`
	Execution Execution `json:"execution"`

	Replications int       `json:"replications"`
	Seed         uint64    `json:"seed"`
	Variants     []Variant `json:"variants"`
}

// TenantSource names the base tenant. At most one of File and Profile is
// set; with neither, the embedded demo tenant is used. Seed draws the
// profile's tenant as `dispatch generate --seed` does; 0 means seed 1
// (the generator's default), so a scenario file refuses a seed written as
// 0, which would not draw generate's tenant of seed 0.
type TenantSource struct {
	File    string `json:"file,omitempty"`
	Profile string `json:"profile,omitempty"`
	Seed    uint64 `json:"seed,omitempty" validate:"nonzero"`
	// KeepAppointments starts from the tenant's own book instead of an
	// empty one.
	KeepAppointments bool `json:"keepAppointments,omitempty"`
}

// Roster rolls the tenant's weekly pattern forward. With TemplateStart
// empty the simulation uses the file's shifts as they are, and dates
// they do not cover have no working time (reported as a warning).
//
// With TemplateStart set, the template is the tenant's Normal and OnCall
// shifts that start (local date) in the TemplateWeeks weeks from
// TemplateStart. Every simulated date outside the span the file's Normal
// shifts cover — from the first local date a Normal shift starts on to
// the last — takes the shifts of the template date 7·TemplateWeeks days
// apart from it (same weekday, same place in a multi-week rotation), at
// the same local clock times, so shifts keep their wall-clock hours
// across DST changes. TimeOff shifts are one-off events and are not
// repeated; the file's own stay where they are. Dates the file covers
// keep exactly the file's shifts.
type Roster struct {
	TemplateStart string `json:"templateStart,omitempty"`
	// TemplateWeeks is the length of the rotation, 1–8; 0 means 1.
	TemplateWeeks int `json:"templateWeeks,omitempty"`
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
	// JobTypes weighs job type ids (as strings); empty means all equally
	// except priority job types, whose calls are the emergencies (all of
	// them when every job type is priority), and a job type left out of a
	// non-empty mix gets no calls.
	JobTypes map[string]float64 `json:"jobTypes,omitempty"`
	// Zones weighs zone ids (as strings); empty means all active zones
	// equally. A customer's zip is drawn from the chosen zone.
	Zones map[string]float64 `json:"zones,omitempty"`
	// EmergencyShare is the share of calls that need a technician as soon
	// as possible.
	EmergencyShare float64 `json:"emergencyShare"`
}

// Booking is how routine calls are offered windows and choose.
type Booking struct {
	HorizonDays int `json:"horizonDays"` // windows offered from now to the same clock time this many local days ahead (design §3)
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
	// arrival; beyond it the call is lost. 0 makes a loss system; a bound
	// longer than any wait (up to a year) makes a queue with infinite
	// patience.
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
	// at all (the queueing validations).
	DetourFactor float64 `json:"detourFactor"`
	// PingSeconds is the GPS ping interval while driving and on site.
	PingSeconds int `json:"pingSeconds"`
}

// Variant is a named list of changes to the baseline.
type Variant struct {
	Name    string   `json:"name"`
	Changes []Change `json:"changes"`
}

// Change is one what-if change; exactly one field is set. Every lever a
// planner has is a change, so that each is compared with the baseline
// under common random numbers.
type Change struct {
	// Staff.
	AddTechnicians    *AddTechnicians    `json:"addTechnicians,omitempty"`
	RemoveTechnicians *RemoveTechnicians `json:"removeTechnicians,omitempty"`
	ReduceTechnicians *ReduceTechnicians `json:"reduceTechnicians,omitempty"`
	ShiftHours        *ShiftHours        `json:"shiftHours,omitempty"`
	// Capacity and booking policy.
	IdealBooking       *IdealBooking `json:"idealBookingPercentage,omitempty"`
	OfferExceeding     *bool         `json:"offerExceeding,omitempty"`
	PreferredShare     *float64      `json:"preferredShare,omitempty"`
	BookingHorizonDays *int          `json:"bookingHorizonDays,omitempty"`
	// Dispatch policy.
	DispatchPolicy *string `json:"dispatchPolicy,omitempty"`
	// Demand and durations.
	ScaleDemand     *float64         `json:"scaleDemand,omitempty"`
	DemandMix       *DemandMix       `json:"demandMix,omitempty"`
	ScaleDurations  *float64         `json:"scaleDurations,omitempty"`
	JobTypeDuration *JobTypeDuration `json:"jobTypeDuration,omitempty"`
	// Capacity controls (design §4a).
	ReservePercentage       *ReservePercentage `json:"reservePercentage,omitempty"`
	AddCapacityRule         *CapacityRule      `json:"addCapacityRule,omitempty"`
	RemoveCapacityRule      *int64             `json:"removeCapacityRule,omitempty"`
	AddAdjustments          *AddAdjustments    `json:"addAdjustments,omitempty"`
	TravelBuffer            *TravelBuffer      `json:"travelBufferMinutes,omitempty"`
	BusinessUnitGroup       *BusinessUnitGroup `json:"businessUnitGroup,omitempty"`
	RemoveBusinessUnitGroup *int64             `json:"removeBusinessUnitGroup,omitempty"`
}

// changeNames lists Change's fields as the JSON spells them, in order.
const changeNames = "addTechnicians, removeTechnicians, reduceTechnicians, shiftHours, idealBookingPercentage, offerExceeding, preferredShare, " +
	"bookingHorizonDays, dispatchPolicy, scaleDemand, demandMix, scaleDurations, jobTypeDuration, reservePercentage, " +
	"addCapacityRule, removeCapacityRule, addAdjustments, travelBufferMinutes, businessUnitGroup, removeBusinessUnitGroup"

// ReservePercentage sets the share of capacity held back for priority
// work (design §4a item 11), 0–90, of a business unit or of a group:
// exactly one of BusinessUnit and Group is set. A group's percentage, set,
// replaces its units' own (0 included).
type ReservePercentage struct {
	BusinessUnit int64 `json:"businessUnit,omitempty"`
	Group        int64 `json:"group,omitempty"`
	Percentage   int   `json:"percentage"`
}

// CapacityRule adds a capacity rule (design §4a item 12): JobTypes may
// take at most MaxPercentage (1–100) of a window's capacity; with
// BusinessUnits, in requests reaching one of them only. ID must be free.
type CapacityRule struct {
	ID            int64   `json:"id"`
	Name          string  `json:"name,omitempty"`
	JobTypes      []int64 `json:"jobTypes"`
	BusinessUnits []int64 `json:"businessUnits,omitempty"`
	MaxPercentage int     `json:"maxPercentage"`
}

// AddAdjustments adds capacity adjustments (design §4a item 10): Minutes
// (signed; positive overbooks, negative holds back) on the window From–To
// of every simulated date that falls on one of Weekdays (every day when
// empty) and has that window; for every request, a BusinessUnit's or a
// Group's (at most one of the two).
type AddAdjustments struct {
	Weekdays     []string `json:"weekdays,omitempty"`
	From         string   `json:"from"`
	To           string   `json:"to"`
	BusinessUnit int64    `json:"businessUnit,omitempty"`
	Group        int64    `json:"group,omitempty"`
	Minutes      int      `json:"minutes"`
}

// TravelBuffer sets a travel buffer (design §4a item 9), 0–1440 minutes:
// the tenant's, or a JobType's own (which replaces the tenant's).
type TravelBuffer struct {
	JobType int64 `json:"jobType,omitempty"`
	Minutes int   `json:"minutes"`
}

// BusinessUnitGroup adds the business-unit group with ID, or replaces it
// (design §4a item 8): its units share one technician pool. A unit is in
// at most one group.
type BusinessUnitGroup struct {
	ID                     int64   `json:"id"`
	Name                   string  `json:"name,omitempty"`
	BusinessUnits          []int64 `json:"businessUnits"`
	IdealBookingPercentage int     `json:"idealBookingPercentage,omitempty"`
	ReservePercentage      *int    `json:"reservePercentage,omitempty"`
}

// AddTechnicians adds Count technicians like technician Like (unit,
// skills, zones, home) working From–To local on the given weekdays
// (Monday–Friday when empty) of every simulated date. With OnCall they are
// on call then instead (OnCall shifts): they take no bookings and are not
// working time, but reach emergencies — the way to study night or Sunday
// cover, which Normal shifts outside business hours do not give.
type AddTechnicians struct {
	Count    int      `json:"count"`
	Like     int64    `json:"like"`
	Weekdays []string `json:"weekdays"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	OnCall   bool     `json:"onCall,omitempty"`
}

// RemoveTechnicians takes technicians off the schedule.
type RemoveTechnicians struct {
	IDs []int64 `json:"ids"`
}

// ReduceTechnicians takes Count technicians of technician Like's business
// unit off the roster From–To local on the given weekdays (Monday–Friday
// when empty) of every simulated date: "two fewer HVAC technicians on
// Tuesdays 08:00–17:00", the inverse of [AddTechnicians].
//
// On each such date the first Count technicians of the unit, in a fixed
// order, who have an active Normal shift overlapping the window that date
// lose the window: their Normal shifts are cut to the time outside it
// (a 07:00–17:00 shift cut by 08:00–17:00 keeps 07:00–08:00; a window
// covering the shift removes it). The staffing at every instant of the
// window thus drops by Count, or to zero when fewer work, and the working
// hours by what the chosen technicians would have worked in it. The
// order: technicians with Like's skills and zones first (the kind the
// add lever adds, so that a reduction and an addition of the same lever
// are of the same staff), then the others; highest id first within each,
// so the most recently added records go first and the same technicians
// are chosen on every date where they work. OnCall and TimeOff shifts are
// left as they are.
type ReduceTechnicians struct {
	Count    int      `json:"count"`
	Like     int64    `json:"like"`
	Weekdays []string `json:"weekdays"`
	From     string   `json:"from"`
	To       string   `json:"to"`
}

// ShiftHours moves the Normal shifts of the given technicians (all when
// empty) to From–To local on the dates they start.
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

// DemandMix replaces parts of the demand's mix: the job-type weights, the
// zone weights, the emergency share. Left-out parts stay as they are.
type DemandMix struct {
	JobTypes       map[string]float64 `json:"jobTypes,omitempty"`
	Zones          map[string]float64 `json:"zones,omitempty"`
	EmergencyShare *float64           `json:"emergencyShare,omitempty"`
}

// JobTypeDuration sets a job type's planned duration, the time booked for
// it; actual durations scale with it.
type JobTypeDuration struct {
	JobType int64 `json:"jobType"`
	Minutes int   `json:"minutes"`
}

// Default returns the default scenario: the demo tenant from Monday
// 2027-03-08, a week of warm-up and two measured weeks with the roster
// rolled forward from the file's two weeks, the baseline against two
// extra HVAC technicians on Tuesdays and Thursdays, 30 replications.
func Default() Scenario {
	return Scenario{
		Name:       "Two extra HVAC technicians on Tuesdays and Thursdays",
		Start:      "2027-03-08",
		Days:       21,
		WarmupDays: 7,
		Roster:     Roster{TemplateStart: "2027-03-08", TemplateWeeks: 2},
		Demand: Demand{CallsPerDay: 72, EmergencyShare: 0.06, JobTypes: map[string]float64{
			// A service company's calls are mostly repairs and
			// maintenance; replacements and installs are a few percent.
			"101": 22, "102": 14, "103": 3,
			"201": 18, "202": 5, "203": 10,
			"301": 20, "302": 3, "303": 5,
		}},
		Booking: Booking{HorizonDays: 7, PreferredShare: 0.4, DeclineAfterDays: 3, DeclineProbability: 0.35,
			OfferExceeding: true, EmergencyMaxWaitMinutes: 240},
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

// UnnamedStudy is the name of a scenario file that gives none.
const UnnamedStudy = "What-if study"

// ParseScenario decodes a scenario file strictly — exact key case,
// unknown members and duplicate keys rejected, a leading UTF-8
// byte-order mark skipped as in a tenant file — and validates it,
// reporting every problem with its JSON path. Fields left out take the
// defaults of [Default], except Variants and Name ([UnnamedStudy]); the default roster and job-type
// mix are the demo tenant's, so they apply only when the scenario's
// tenant is the demo and the file does not give its own ("roster": {}
// uses the file's shifts as dated). References to the tenant's records are checked by
// [Scenario.CheckTenant].
func ParseScenario(data []byte) (Scenario, error) {
	data = validate.TrimBOM(data)
	def := Default()
	s := def
	s.Name = ""
	s.Variants = nil
	s.Demand.JobTypes = nil
	s.Roster = Roster{}
	// Problems of the text stop here; problems of members (a typo in a
	// name, a string for a number) are listed with those the values
	// decoded have, so that one run names every problem of the file.
	var decoded validate.Errors
	if err := validate.Unmarshal(data, &s); err != nil {
		if !errors.As(err, &decoded) || slices.ContainsFunc(decoded, func(e *validate.Error) bool {
			return errors.Is(e, validate.ErrSyntax) || errors.Is(e, validate.ErrEmpty)
		}) {
			return Scenario{}, fmt.Errorf("sim: scenario: %w", err)
		}
	}
	if s.Name == "" {
		// The default's name describes its variant, which is not taken.
		s.Name = UnnamedStudy
	}
	if s.Tenant.File == "" && s.Tenant.Profile == "" {
		// Which of the two the file states, even as empty: the decoding
		// above has checked the shape, so this reading cannot fail.
		var given struct {
			Roster *json.RawMessage `json:"roster"`
			Demand struct {
				JobTypes *json.RawMessage `json:"jobTypes"`
			} `json:"demand"`
		}
		_ = json.Unmarshal(data, &given)
		if given.Demand.JobTypes == nil {
			s.Demand.JobTypes = def.Demand.JobTypes
		}
		if given.Roster == nil {
			s.Roster = def.Roster
		}
	}
	if len(decoded) == 0 {
		return s, s.Validate()
	}
	decoded.AddErr("", s.Validate())
	return Scenario{}, fmt.Errorf("sim: scenario: %w", decoded)
}

// checkDateRange reports an error when date d, or the date days after it
// (the end of what is simulated from it), lies outside the range of
// instants [hours.CheckInstant] accepts: the years 1900–2199.
func checkDateRange(d hours.Date, days int) error {
	in := func(x hours.Date) bool {
		y, m, dd := x.Civil()
		return hours.CheckInstant(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)) == nil
	}
	if !in(d) {
		return fmt.Errorf("outside the years 1900–2199")
	}
	if last := d + hours.Date(min(max(days, 0), 100000)); !in(last) {
		return fmt.Errorf("the simulated dates run to %s, past 2199", last)
	}
	return nil
}

// Validate checks the scenario on its own, reporting every problem with
// its path (references to the tenant's records are checked by
// [Scenario.CheckTenant]).
func (s Scenario) Validate() error {
	var errs validate.Errors
	if s.Tenant.File != "" && s.Tenant.Profile != "" {
		errs.Add("tenant", "sim: give a file or a profile, not both")
	}
	if s.Tenant.Seed != 0 && s.Tenant.Profile == "" {
		errs.Add("tenant.seed", "sim: a seed draws a synthetic tenant of a profile: give tenant.profile too, or leave the seed out")
	}
	if d, err := hours.ParseDate(s.Start); err != nil {
		errs.Add("start", "%v", err)
	} else if err := checkDateRange(d, s.Days+2*max(s.Booking.HorizonDays, 0)); err != nil {
		errs.Add("start", "sim: %q: %v", s.Start, err)
	}
	if s.Days < 1 || s.Days > 731 {
		errs.Add("days", "sim: %d days is outside 1…731", s.Days)
	}
	if s.WarmupDays < 0 || s.WarmupDays >= s.Days {
		errs.Add("warmupDays", "sim: %d warm-up days must be at least 0 and fewer than the %d days", s.WarmupDays, s.Days)
	}
	if r := s.Roster; r.TemplateStart != "" || r.TemplateWeeks != 0 {
		if d, err := hours.ParseDate(r.TemplateStart); err != nil {
			errs.Add("roster.templateStart", "%v", err)
		} else if err := checkDateRange(d, 7*max(r.TemplateWeeks, 1)); err != nil {
			errs.Add("roster.templateStart", "sim: %q: %v", r.TemplateStart, err)
		}
		if r.TemplateWeeks < 0 || r.TemplateWeeks > 8 {
			errs.Add("roster.templateWeeks", "sim: %d weeks is outside 1…8 (0 means 1)", r.TemplateWeeks)
		}
	}
	d := s.Demand
	if !(d.CallsPerDay > 0 && d.CallsPerDay <= 1e6) {
		errs.Add("demand.callsPerDay", "sim: %v calls a day is outside (0, 1000000]", d.CallsPerDay)
	}
	if len(d.HourOfWeek) != 0 && len(d.HourOfWeek) != 168 {
		errs.Add("demand.hourOfWeek", "sim: %d weights given, want 168 (one per hour of the week)", len(d.HourOfWeek))
	}
	sum := 0.0
	for i, w := range d.HourOfWeek {
		if !(w >= 0) || w > maxWeight {
			errs.Add(validate.Index("demand.hourOfWeek", i), "sim: weight %v is outside 0…1e12", w)
			continue
		}
		sum += w
	}
	if len(d.HourOfWeek) == 168 && sum == 0 {
		errs.Add("demand.hourOfWeek", "sim: every weight is zero")
	}
	checkMix(&errs, "demand.jobTypes", d.JobTypes)
	checkMix(&errs, "demand.zones", d.Zones)
	checkShare(&errs, "demand.emergencyShare", d.EmergencyShare)
	b := s.Booking
	checkHorizon(&errs, "booking.horizonDays", b.HorizonDays)
	checkShare(&errs, "booking.preferredShare", b.PreferredShare)
	checkShare(&errs, "booking.declineProbability", b.DeclineProbability)
	if !(b.DeclineAfterDays >= 0 && b.DeclineAfterDays <= 366) {
		errs.Add("booking.declineAfterDays", "sim: %v days is outside 0…366", b.DeclineAfterDays)
	}
	if b.EmergencyMaxWaitMinutes < 0 || b.EmergencyMaxWaitMinutes > maxWaitMinutes {
		errs.Add("booking.emergencyMaxWaitMinutes", "sim: %d is outside 0…%d (a year)", b.EmergencyMaxWaitMinutes, maxWaitMinutes)
	}
	checkPolicy(&errs, "dispatch.policy", s.Dispatch.Policy)
	for _, f := range []struct {
		name string
		v    float64
	}{{"skillWeight", s.Dispatch.SkillWeight}, {"driveWeight", s.Dispatch.DriveWeight}, {"workloadWeight", s.Dispatch.WorkloadWeight}} {
		if !(f.v >= 0 && f.v <= 1e6) {
			errs.Add("dispatch."+f.name, "sim: weight %v is outside 0…1e6", f.v)
		}
	}
	x := s.Execution
	if !(x.DurationCV >= 0 && x.DurationCV <= 3) {
		errs.Add("execution.durationCV", "sim: %v is outside 0…3", x.DurationCV)
	}
	if (x.DetourFactor != 0 || x.SpeedKmh != 0) && !(x.SpeedKmh >= minSpeedKmh && x.SpeedKmh <= maxSpeedKmh) {
		errs.Add("execution.speedKmh", "sim: %v km/h is outside %v…%v", x.SpeedKmh, minSpeedKmh, maxSpeedKmh)
	}
	for _, z := range sortedKeys(x.ZoneSpeedKmh) {
		if id, err := strconv.ParseInt(z, 10, 64); err != nil || strconv.FormatInt(id, 10) != z {
			errs.Add("execution.zoneSpeedKmh."+z, "sim: key %q is not an id as the tenant writes it", z)
		}
		if v := x.ZoneSpeedKmh[z]; !(v >= minSpeedKmh && v <= maxSpeedKmh) {
			errs.Add("execution.zoneSpeedKmh."+z, "sim: %v km/h is outside %v…%v", v, minSpeedKmh, maxSpeedKmh)
		}
	}
	if x.DetourFactor != 0 && !(x.DetourFactor >= 1 && x.DetourFactor <= 10) {
		errs.Add("execution.detourFactor", "sim: %v is outside 1…10 (0 turns driving off)", x.DetourFactor)
	}
	if x.PingSeconds < 0 || x.PingSeconds > 3600 {
		errs.Add("execution.pingSeconds", "sim: %d seconds is outside 0…3600 (0 turns pings off)", x.PingSeconds)
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
		checkFactors(&errs, path+".changes", v.Changes)
	}
	return errs.Err()
}

// checkFactors reports changes whose scaleDemand or scaleDurations
// factors multiply, over the list, beyond 100: each is bounded, and so is
// their product, so that call rates and durations stay finite (and the
// candidate process of arrivals within 100 layers of the baseline's).
func checkFactors(errs *validate.Errors, path string, changes []Change) {
	demand, durations := 1.0, 1.0
	for j, c := range changes {
		p := validate.Index(path, j)
		if f := c.ScaleDemand; f != nil && *f > 0 && *f <= 100 {
			if demand *= *f; demand > 100 {
				errs.Add(p+".scaleDemand", "sim: the scaleDemand factors so far multiply to %v, more than 100", demand)
			}
		}
		if f := c.ScaleDurations; f != nil && *f > 0 && *f <= 100 {
			if durations *= *f; durations > 100 {
				errs.Add(p+".scaleDurations", "sim: the scaleDurations factors so far multiply to %v, more than 100", durations)
			}
		}
	}
}

// checkWeekdays reports weekday names that do not parse or repeat.
func checkWeekdays(errs *validate.Errors, path string, names []string) {
	seen := map[time.Weekday]bool{}
	for k, name := range names {
		wd, err := hours.ParseWeekday(name)
		switch {
		case err != nil:
			errs.Add(validate.Index(path, k), "%v", err)
		case seen[wd]:
			errs.Add(validate.Index(path, k), "sim: %s is given twice", wd)
		}
		seen[wd] = true
	}
}

// checkIDs reports ids given twice in a list.
func checkIDs(errs *validate.Errors, path string, ids []int64, what string) {
	seen := map[int64]bool{}
	for k, id := range ids {
		if seen[id] {
			errs.Add(validate.Index(path, k), "sim: %s %d is given twice", what, id)
		}
		seen[id] = true
	}
}

// The driving speeds a scenario may give, km/h: below walking pace a
// drive across town takes days, and nothing on a road goes faster. (A
// speed of 1e-300 km/h once overflowed the drive times to negative
// figures.)
const (
	minSpeedKmh = 1
	maxSpeedKmh = 200
)

// maxWeight is the largest weight of a demand mix or of an hour of the
// week: weights are relative, and a bound keeps their sums finite.
const maxWeight = 1e12

// maxWaitMinutes is the longest emergency wait a scenario may allow: a
// year, longer than any queue worth simulating.
const maxWaitMinutes = 366 * 24 * 60

func checkShare(errs *validate.Errors, path string, p float64) {
	if !(p >= 0 && p <= 1) {
		errs.Add(path, "sim: %v is outside 0…1", p)
	}
}

func checkHorizon(errs *validate.Errors, path string, days int) {
	if days < 1 || days > 31 {
		errs.Add(path, "sim: %d days is outside 1…31", days)
	}
}

func checkPolicy(errs *validate.Errors, path, name string) {
	if _, ok := policies[name]; !ok {
		errs.Add(path, "sim: unknown policy %q (want first-available, least-loaded, nearest or pro)", name)
	}
}

func checkMix(errs *validate.Errors, path string, mix map[string]float64) {
	sum := 0.0
	for _, k := range sortedKeys(mix) {
		w := mix[k]
		if id, err := strconv.ParseInt(k, 10, 64); err != nil || id <= 0 {
			errs.Add(path+"."+k, "sim: key %q is not an id", k)
		} else if c := strconv.FormatInt(id, 10); c != k {
			errs.Add(path+"."+k, "sim: key %q is not an id as the tenant writes it (%s)", k, c)
		}
		if !(w >= 0) || w > maxWeight {
			errs.Add(path+"."+k, "sim: weight %v is outside 0…1e12", w)
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
		checkWeekdays(errs, path+".addTechnicians.weekdays", a.Weekdays)
	}
	if r := c.ReduceTechnicians; r != nil {
		n++
		if r.Count < 1 || r.Count > 1000 {
			errs.Add(path+".reduceTechnicians.count", "sim: %d is outside 1…1000", r.Count)
		}
		checkSpan(errs, path+".reduceTechnicians", r.From, r.To)
		checkWeekdays(errs, path+".reduceTechnicians.weekdays", r.Weekdays)
	}
	if c.RemoveTechnicians != nil {
		n++
		if len(c.RemoveTechnicians.IDs) == 0 {
			errs.Add(path+".removeTechnicians.ids", "sim: no technician ids")
		}
		checkIDs(errs, path+".removeTechnicians.ids", c.RemoveTechnicians.IDs, "technician")
	}
	if sh := c.ShiftHours; sh != nil {
		n++
		checkSpan(errs, path+".shiftHours", sh.From, sh.To)
		checkIDs(errs, path+".shiftHours.technicians", sh.Technicians, "technician")
	}
	if ib := c.IdealBooking; ib != nil {
		n++
		if ib.Percentage < 1 || ib.Percentage > 200 {
			errs.Add(path+".idealBookingPercentage.percentage", "sim: %d is outside 1…200", ib.Percentage)
		}
	}
	if c.OfferExceeding != nil {
		n++
	}
	if c.PreferredShare != nil {
		n++
		checkShare(errs, path+".preferredShare", *c.PreferredShare)
	}
	if c.BookingHorizonDays != nil {
		n++
		checkHorizon(errs, path+".bookingHorizonDays", *c.BookingHorizonDays)
	}
	if c.DispatchPolicy != nil {
		n++
		checkPolicy(errs, path+".dispatchPolicy", *c.DispatchPolicy)
	}
	for _, sc := range []struct {
		name string
		f    *float64
	}{{"scaleDemand", c.ScaleDemand}, {"scaleDurations", c.ScaleDurations}} {
		if sc.f != nil {
			n++
			if !(*sc.f > 0 && *sc.f <= 100) {
				errs.Add(path+"."+sc.name, "sim: factor %v is outside (0, 100]", *sc.f)
			}
		}
	}
	if m := c.DemandMix; m != nil {
		n++
		checkMix(errs, path+".demandMix.jobTypes", m.JobTypes)
		checkMix(errs, path+".demandMix.zones", m.Zones)
		if m.EmergencyShare != nil {
			checkShare(errs, path+".demandMix.emergencyShare", *m.EmergencyShare)
		}
		if m.JobTypes == nil && m.Zones == nil && m.EmergencyShare == nil {
			errs.Add(path+".demandMix", "sim: changes nothing (give jobTypes, zones or emergencyShare)")
		}
	}
	if jd := c.JobTypeDuration; jd != nil {
		n++
		if jd.Minutes < 1 || jd.Minutes > 24*60 {
			errs.Add(path+".jobTypeDuration.minutes", "sim: %d is outside 1…1440", jd.Minutes)
		}
	}
	n += checkControls(errs, path, c)
	if n != 1 {
		errs.Add(path, "sim: a change sets exactly one of %s (found %d)", changeNames, n)
	}
}

// checkControls checks the capacity-control changes of c on their own
// and returns how many c sets.
func checkControls(errs *validate.Errors, path string, c Change) int {
	n := 0
	if r := c.ReservePercentage; r != nil {
		n++
		if (r.BusinessUnit == 0) == (r.Group == 0) {
			errs.Add(path+".reservePercentage", "sim: give a businessUnit or a group, one of them")
		}
		if r.Percentage < 0 || r.Percentage > capacity.MaxReservePercentage {
			errs.Add(path+".reservePercentage.percentage", "sim: %d is outside 0…%d", r.Percentage, capacity.MaxReservePercentage)
		}
	}
	if r := c.AddCapacityRule; r != nil {
		n++
		if r.ID <= 0 {
			errs.Add(path+".addCapacityRule.id", "sim: id %d must be positive", r.ID)
		}
		if len(r.JobTypes) == 0 {
			errs.Add(path+".addCapacityRule.jobTypes", "sim: a rule names at least one job type")
		}
		if r.MaxPercentage < 1 || r.MaxPercentage > 100 {
			errs.Add(path+".addCapacityRule.maxPercentage", "sim: %d is outside 1…100", r.MaxPercentage)
		}
	}
	if c.RemoveCapacityRule != nil {
		n++
	}
	if a := c.AddAdjustments; a != nil {
		n++
		checkSpan(errs, path+".addAdjustments", a.From, a.To)
		checkWeekdays(errs, path+".addAdjustments.weekdays", a.Weekdays)
		if a.BusinessUnit != 0 && a.Group != 0 {
			errs.Add(path+".addAdjustments", "sim: give a businessUnit or a group, not both")
		}
		if a.Minutes == 0 || a.Minutes < -capacity.MaxAdjustmentMinutes || a.Minutes > capacity.MaxAdjustmentMinutes {
			errs.Add(path+".addAdjustments.minutes", "sim: %d minutes: want a number other than 0 within ±%d", a.Minutes, capacity.MaxAdjustmentMinutes)
		}
	}
	if b := c.TravelBuffer; b != nil {
		n++
		if b.Minutes < 0 || b.Minutes > capacity.MaxTravelBufferMinutes {
			errs.Add(path+".travelBufferMinutes.minutes", "sim: %d is outside 0…%d", b.Minutes, capacity.MaxTravelBufferMinutes)
		}
	}
	if g := c.BusinessUnitGroup; g != nil {
		n++
		if g.ID <= 0 {
			errs.Add(path+".businessUnitGroup.id", "sim: id %d must be positive", g.ID)
		}
		if len(g.BusinessUnits) == 0 {
			errs.Add(path+".businessUnitGroup.businessUnits", "sim: a group has at least one business unit (removeBusinessUnitGroup removes one)")
		}
		if p := g.IdealBookingPercentage; p != 0 && (p < 1 || p > 200) {
			errs.Add(path+".businessUnitGroup.idealBookingPercentage", "sim: %d is outside 1…200", p)
		}
		if p := g.ReservePercentage; p != nil && (*p < 0 || *p > capacity.MaxReservePercentage) {
			errs.Add(path+".businessUnitGroup.reservePercentage", "sim: %d is outside 0…%d", *p, capacity.MaxReservePercentage)
		}
	}
	if c.RemoveBusinessUnitGroup != nil {
		n++
	}
	return n
}

// checkSpan checks the clock span from–to of the change at path, naming
// a missing or malformed clock's field.
func checkSpan(errs *validate.Errors, path, from, to string) {
	bad := false
	for _, f := range []struct{ name, v string }{{"from", from}, {"to", to}} {
		if f.v == "" {
			errs.Add(path+"."+f.name, "sim: missing: want a clock time HH:MM")
			bad = true
		} else if _, err := hours.ParseClock(f.v); err != nil {
			errs.Add(path+"."+f.name, "%v", err)
			bad = true
		}
	}
	if bad {
		return
	}
	if _, err := hours.ParseSlot(hours.TimeSlot{From: from, To: to}); err != nil {
		errs.Add(path, "%v", err)
	}
}

// CheckTenant checks the scenario's references to the base tenant's
// records — job type and zone ids in the demand mix and the zone speeds,
// technicians, business units and job types named by variants, the
// roster's template — reporting every unknown id with its path.
func (s Scenario) CheckTenant(d capacity.Data) error {
	var errs validate.Errors
	r := newRefs(d)
	r.mixIDs(&errs, "demand.jobTypes", s.Demand.JobTypes, r.jobTypes, "job type")
	r.mixIDs(&errs, "demand.zones", s.Demand.Zones, r.zones, "zone")
	r.mixIDs(&errs, "execution.zoneSpeedKmh", s.Execution.ZoneSpeedKmh, r.zones, "zone")
	for i, v := range s.Variants {
		for j, c := range v.Changes {
			r.checkChange(&errs, validate.Index(validate.Index("variants", i)+".changes", j), c)
		}
	}
	if s.Roster.TemplateStart != "" && d.Schedule != nil {
		if t, err := hours.ParseDate(s.Roster.TemplateStart); err == nil {
			if len(templateShifts(d, d.Schedule.Location(), t, s.Roster.weeks())) == 0 {
				errs.Add("roster.templateStart", "sim: no Normal shift of the tenant starts in the %d week(s) from %s", s.Roster.weeks(), t)
			}
		}
	}
	return errs.Err()
}

// refs are the ids of a tenant's records, to check references against.
type refs struct {
	jobTypes, zones, techs, units map[int64]bool
}

func newRefs(d capacity.Data) *refs {
	r := &refs{jobTypes: map[int64]bool{}, zones: map[int64]bool{}, techs: map[int64]bool{}, units: map[int64]bool{}}
	for _, jt := range d.JobTypes {
		r.jobTypes[jt.ID] = true
	}
	if d.Zones != nil {
		for _, z := range d.Zones.Zones() {
			r.zones[z.ID] = true
		}
	}
	for _, t := range d.Technicians {
		r.techs[t.ID] = true
	}
	for _, u := range d.BusinessUnits {
		r.units[u.ID] = true
	}
	return r
}

func (r *refs) mixIDs(errs *validate.Errors, path string, mix map[string]float64, known map[int64]bool, what string) {
	for _, k := range sortedKeys(mix) {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil && id > 0 && !known[id] {
			errs.Add(path+"."+k, "sim: unknown %s %d", what, id)
		}
	}
}

func (r *refs) techIDs(errs *validate.Errors, path string, ids []int64) {
	for k, id := range ids {
		if !r.techs[id] {
			errs.Add(validate.Index(path, k), "sim: unknown technician %d", id)
		}
	}
}

// checkChange checks the references of change c, at path, to the
// tenant's records.
func (r *refs) checkChange(errs *validate.Errors, path string, c Change) {
	switch {
	case c.AddTechnicians != nil:
		if !r.techs[c.AddTechnicians.Like] {
			errs.Add(path+".addTechnicians.like", "sim: unknown technician %d", c.AddTechnicians.Like)
		}
	case c.ReduceTechnicians != nil:
		if !r.techs[c.ReduceTechnicians.Like] {
			errs.Add(path+".reduceTechnicians.like", "sim: unknown technician %d", c.ReduceTechnicians.Like)
		}
	case c.RemoveTechnicians != nil:
		r.techIDs(errs, path+".removeTechnicians.ids", c.RemoveTechnicians.IDs)
	case c.ShiftHours != nil:
		r.techIDs(errs, path+".shiftHours.technicians", c.ShiftHours.Technicians)
	case c.IdealBooking != nil:
		if u := c.IdealBooking.BusinessUnit; u != 0 && !r.units[u] {
			errs.Add(path+".idealBookingPercentage.businessUnit", "sim: unknown business unit %d", u)
		}
	case c.DemandMix != nil:
		r.mixIDs(errs, path+".demandMix.jobTypes", c.DemandMix.JobTypes, r.jobTypes, "job type")
		r.mixIDs(errs, path+".demandMix.zones", c.DemandMix.Zones, r.zones, "zone")
	case c.JobTypeDuration != nil:
		if !r.jobTypes[c.JobTypeDuration.JobType] {
			errs.Add(path+".jobTypeDuration.jobType", "sim: unknown job type %d", c.JobTypeDuration.JobType)
		}
	default:
		checkControlRefs(errs, path, c, r.units, r.jobTypes)
	}
}

// weeks is the template's length in weeks.
func (r Roster) weeks() int { return max(r.TemplateWeeks, 1) }

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

// checkControlRefs checks the references of a capacity-control change to
// the base tenant's units, groups, job types and rules. (A group or rule
// an earlier change of the same variant adds is found when the variant is
// applied.)
func checkControlRefs(errs *validate.Errors, path string, c Change, units, jobTypes map[int64]bool) {
	unit := func(p string, id int64) {
		if id != 0 && !units[id] {
			errs.Add(p, "sim: unknown business unit %d", id)
		}
	}
	jobType := func(p string, id int64) {
		if id != 0 && !jobTypes[id] {
			errs.Add(p, "sim: unknown job type %d", id)
		}
	}
	switch {
	case c.ReservePercentage != nil:
		unit(path+".reservePercentage.businessUnit", c.ReservePercentage.BusinessUnit)
	case c.AddCapacityRule != nil:
		for k, id := range c.AddCapacityRule.JobTypes {
			jobType(validate.Index(path+".addCapacityRule.jobTypes", k), id)
		}
		for k, id := range c.AddCapacityRule.BusinessUnits {
			unit(validate.Index(path+".addCapacityRule.businessUnits", k), id)
		}
	case c.AddAdjustments != nil:
		unit(path+".addAdjustments.businessUnit", c.AddAdjustments.BusinessUnit)
	case c.TravelBuffer != nil:
		jobType(path+".travelBufferMinutes.jobType", c.TravelBuffer.JobType)
	case c.BusinessUnitGroup != nil:
		for k, id := range c.BusinessUnitGroup.BusinessUnits {
			unit(validate.Index(path+".businessUnitGroup.businessUnits", k), id)
		}
	}
}
