package sim

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// world is one variant's fixed inputs: the tenant's records after the
// roster and the variant's changes, the policies, and the derived tables
// the model reads. It is built once per variant and shared, read-only, by
// its replications.
type world struct {
	s    *Scenario
	name string
	data capacity.Data
	loc  *time.Location

	first   hours.Date
	start   int64 // first instant calls arrive
	measure int64 // first instant after the warm-up
	end     int64 // first instant after the last call day
	// last is the end of the simulated roster: the booking tail past end
	// (bookings run up to a horizon after the last call) and a second
	// horizon the loss classification looks into.
	last int64

	booking  Booking
	dispatch Dispatch
	policy   policy

	jobTypes []jobTypeInfo // every job type of the tenant, by id
	jtCum    []float64     // cumulative demand weights of jobTypes
	// emType[ji] lists the priority job types (indexes) an emergency
	// drawn as job type ji becomes, with emCum their cumulative weights;
	// empty when ji's unit has none (the emergency keeps ji).
	emType    [][]int32
	emCum     [][]float64
	zones     []zoneInfo
	zoneCum   []float64
	emergency float64      // share of emergencies
	hourRate  [168]float64 // calls per second in each hour of the week
	maxRate   float64      // the highest of hourRate
	// envelope is the rate of one layer of candidate calls: the
	// baseline's highest hourly rate, the same for every variant. A world
	// whose maxRate is higher draws from layers candidate processes at
	// that rate (see scheduleNextCall), so the baseline's calls never
	// depend on the variants beside it.
	envelope float64
	layers   int
	durScale float64 // scaleDurations

	// unitLabel is each technician's business unit as its position in
	// Labels.BusinessUnits (units by id), -1 for none; nunits their number.
	unitLabel []int32
	nunits    int

	home map[int64]point
	// duty is each technician's working and OnCall time: an emergency
	// no eligible technician is on duty for within the maximum wait is
	// lost for EmergencyOffDuty, else for EmergencyWait.
	duty  []interval.Set
	techs []capacity.Technician
	// onCall is each technician's OnCall time less its TimeOff, which
	// emergencies may use; timeOff its TimeOff.
	onCall, timeOff map[int64]interval.Set
	// eligible[zip][jobType] lists the indexes (in techs order) of the
	// technicians eligible for the job type at the zip, ascending.
	eligible map[string][][]int32
	zipZones map[string][]int64 // active zones serving each demand zip
	// emLists are the distinct lists of eligible; emOf[zip][jobType]
	// the position of eligible[zip][jobType] in it, for emergencies.
	emLists [][]int32
	emOf    map[string][]int32

	// The capacity index (index.go): the catalog of slots over the
	// simulated dates from lo, each technician's working time and its
	// figures per slot and per date, the request classes of routine calls.
	lo        int64
	catFirst  hours.Date
	ndays     int
	dayBase   []int32 // per catalog date: its first slot; one more at the end
	dayStarts []int64 // per catalog date: its first instant; one more at the end
	slots     []slotInfo
	windows   []hours.Slot // arrival windows of the measured days, for per-window figures
	ctl       *controls
	unitOf    []int32 // per technician: its unit's position
	work      []interval.Set
	free0     []interval.Set // initial free, urgent and open time
	urgent0   []interval.Set
	open0     []interval.Set
	capTS     []int32   // |W ∩ S| per slot and technician (slot-major)
	stats0    []figures // initial figures per slot and technician
	capAll    []int64   // Σ |W ∩ S| per slot over every technician
	adjAll    []int64   // adjustments per slot for a request of every unit
	// Per unit position: the technicians of its pool (its unit's, or its
	// group's when it is in one: R* of a request of the unit), and the
	// adjustments per slot for a request of the unit; per technician, the
	// unit positions whose pool holds it.
	poolTechs [][]int32
	adjUnit   [][]int64
	techPools [][]int32
	workDay   []int64 // |W ∩ day| per catalog date and technician (date-major)
	freeDay0  []int64
	used0     []int64 // per bag and slot: time rules count, from the tenant's book
	classes   map[string][]*class

	// kept are the assigned appointments of the tenant's own book that
	// start in the simulated span, in the book's order, which every
	// replication carries out; keptPending counts those no technician is
	// assigned to, which hold capacity as pending work only.
	kept        []keptJob
	keptPending int
	keptRemoved int // assignments of the kept book to inactive technicians

	eng *capacity.Engine // the variant's engine, until Simulate has checked the world
	// offHours describes the changes whose shift hours reach outside
	// business hours, for a warning: working time is shift time within
	// business hours, so those hours take no bookings and no emergencies.
	offHours []string
	excepted map[string]bool // the dates of the schedule's exceptions, for offBusiness
}

type jobTypeInfo struct {
	capacity.JobType
	unit int64 // the business unit its appointments are booked in
}

type zoneInfo struct {
	id     int64 // 0 when the tenant has no zones
	zips   []string
	centre point
	speed  float64 // km/h
	// at holds, per zip (or one without zips), what calls there need:
	// the eligible technicians, emergency list and routine request class
	// of each job type.
	at []zipInfo
}

type zipInfo struct {
	zip  string
	elig [][]int32
	em   []int32
	cls  []*class
}

type point struct{ lat, lon float64 }

// haversineKm is the great-circle distance between a and b.
func haversineKm(a, b point) float64 {
	const r = 6371.0
	φ1, φ2 := a.lat*math.Pi/180, b.lat*math.Pi/180
	dφ, dλ := φ2-φ1, (b.lon-a.lon)*math.Pi/180
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

func bearing(a, b point) float64 {
	φ1, φ2 := a.lat*math.Pi/180, b.lat*math.Pi/180
	Δλ := (b.lon - a.lon) * math.Pi / 180
	θ := math.Atan2(math.Sin(Δλ)*math.Cos(φ2), math.Cos(φ1)*math.Sin(φ2)-math.Sin(φ1)*math.Cos(φ2)*math.Cos(Δλ))
	return math.Mod(θ*180/math.Pi+360, 360)
}

// defaultHourOfWeek is the demand profile when the scenario gives none.
func defaultHourOfWeek() []float64 {
	w := make([]float64, 168)
	for d := range 7 {
		for h := range 24 {
			v := 0.05
			switch {
			case d >= 1 && d <= 5 && h >= 7 && h < 19:
				v = 1
			case d == 6 && h >= 8 && h < 14:
				v = 0.5
			}
			w[d*24+h] = v
		}
	}
	return w
}

// newWorld applies the roster and variant v (nil for the baseline) to
// base. The scenario has been validated and checked against base.
func newWorld(s *Scenario, base capacity.Data, v *Variant) (*world, error) {
	w := &world{s: s, name: "baseline", durScale: 1, booking: s.Booking, dispatch: s.Dispatch, emergency: s.Demand.EmergencyShare}
	if v != nil {
		w.name = v.Name
	}
	w.loc = base.Schedule.Location()
	w.first = mustDate(s.Start)
	w.start = hours.DayStart(w.loc, w.first)
	w.measure = hours.DayStart(w.loc, w.first+hours.Date(s.WarmupDays))
	w.end = hours.DayStart(w.loc, w.first+hours.Date(s.Days))

	// Policies and demand first: a variant may change the horizon, which
	// sets how far the roster must reach.
	demand := 1.0
	jtMix, zoneMix := s.Demand.JobTypes, s.Demand.Zones
	durations := map[int64]int{}
	for _, c := range variantChanges(v) {
		switch {
		case c.OfferExceeding != nil:
			w.booking.OfferExceeding = *c.OfferExceeding
		case c.PreferredShare != nil:
			w.booking.PreferredShare = *c.PreferredShare
		case c.BookingHorizonDays != nil:
			w.booking.HorizonDays = *c.BookingHorizonDays
		case c.DispatchPolicy != nil:
			w.dispatch.Policy = *c.DispatchPolicy
		case c.ScaleDemand != nil:
			demand *= *c.ScaleDemand
		case c.ScaleDurations != nil:
			w.durScale *= *c.ScaleDurations
		case c.DemandMix != nil:
			if c.DemandMix.JobTypes != nil {
				jtMix = c.DemandMix.JobTypes
			}
			if c.DemandMix.Zones != nil {
				zoneMix = c.DemandMix.Zones
			}
			if c.DemandMix.EmergencyShare != nil {
				w.emergency = *c.DemandMix.EmergencyShare
			}
		case c.JobTypeDuration != nil:
			durations[c.JobTypeDuration.JobType] = c.JobTypeDuration.Minutes
		}
	}
	w.policy = policies[w.dispatch.Policy]
	w.last = hours.DayStart(w.loc, w.first+hours.Date(s.Days+2*w.booking.HorizonDays+1))

	d := base
	d.BusinessUnits = slices.Clone(base.BusinessUnits)
	d.Technicians = slices.Clone(base.Technicians)
	d.JobTypes = slices.Clone(base.JobTypes)
	d.BusinessUnitGroups = slices.Clone(base.BusinessUnitGroups)
	d.CapacityRules = slices.Clone(base.CapacityRules)
	d.CapacityAdjustments = slices.Clone(base.CapacityAdjustments)
	d.Shifts = rollRoster(base, w.loc, s.Roster, w.first-1, w.first+hours.Date(s.Days+2*w.booking.HorizonDays+1))
	if !s.Tenant.KeepAppointments {
		d.Appointments, d.Assignments = nil, nil
	}
	for i, jt := range d.JobTypes {
		if m, ok := durations[jt.ID]; ok {
			d.JobTypes[i].DurationMinutes = m
		}
	}
	var errs validate.Errors
	for j, c := range variantChanges(v) {
		if err := w.apply(&d, c); err != nil {
			field, msg := changeMember(err)
			errs.Add(validate.Join(validate.Index("changes", j), field), "sim: %s", msg)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("sim: variant %q: %w", v.Name, errs)
	}
	w.data = d
	w.techs = d.Technicians
	// Each technician's business unit, as its position among the units
	// by id (the order of Labels.BusinessUnits), -1 for none.
	unitIDs := make([]int64, 0, len(d.BusinessUnits))
	for _, u := range d.BusinessUnits {
		unitIDs = append(unitIDs, u.ID)
	}
	slices.Sort(unitIDs)
	w.nunits = len(unitIDs)
	w.unitLabel = make([]int32, len(w.techs))
	for i, t := range w.techs {
		w.unitLabel[i] = -1
		if k, ok := slices.BinarySearch(unitIDs, t.BusinessUnitID); ok {
			w.unitLabel[i] = int32(k)
		}
	}
	w.onCall, w.timeOff = onCallTime(d)

	geo := geographyOf(base)
	centroid := geo.centroid
	w.home = make(map[int64]point)
	for _, t := range d.Technicians {
		w.home[t.ID] = centroid
		if t.Home != nil {
			w.home[t.ID] = point{t.Home.Latitude, t.Home.Longitude}
		}
	}

	// Job types (all of them, so that tallies line up across variants)
	// and the mix.
	// An empty mix weighs every job type equally, except priority ones:
	// their calls are the emergencies (emergencyShare), so a routine call
	// of one — a No-Heat Emergency offered a window days out, and
	// declined — would be nonsense. A tenant whose job types are all
	// priority weighs them all.
	allPriority := !slices.ContainsFunc(d.JobTypes, func(jt capacity.JobType) bool { return !jt.Priority })
	for _, jt := range d.JobTypes {
		weight := 1.0
		if len(jtMix) > 0 {
			weight = jtMix[strconv.FormatInt(jt.ID, 10)]
		} else if jt.Priority && !allPriority {
			weight = 0
		}
		unit := int64(0)
		if len(jt.BusinessUnitIDs) > 0 {
			unit = jt.BusinessUnitIDs[0]
		} else if len(d.BusinessUnits) > 0 {
			unit = d.BusinessUnits[0].ID
		}
		w.jobTypes = append(w.jobTypes, jobTypeInfo{JobType: jt, unit: unit})
		w.jtCum = append(w.jtCum, cum(w.jtCum)+weight)
	}
	if cum(w.jtCum) == 0 {
		return nil, fmt.Errorf("sim: demand.jobTypes: no job type of the tenant has a positive weight")
	}
	w.emergencyTypes(&d)

	// Zones (all active ones), their centres (the mean home of the
	// technicians serving them) and the mix.
	w.zipZones = map[string][]int64{}
	for _, z := range zoneList(d) {
		weight := 1.0
		if len(zoneMix) > 0 {
			weight = zoneMix[strconv.FormatInt(z.ID, 10)]
		}
		c, ok := geo.centres[z.ID]
		if !ok {
			c = centroid
		}
		speed := s.Execution.SpeedKmh
		if v, ok := s.Execution.ZoneSpeedKmh[strconv.FormatInt(z.ID, 10)]; ok {
			speed = v
		}
		w.zones = append(w.zones, zoneInfo{id: z.ID, zips: z.Zips, centre: c, speed: speed})
		w.zoneCum = append(w.zoneCum, cum(w.zoneCum)+weight)
		for _, zip := range z.Zips {
			if _, ok := w.zipZones[zip]; !ok {
				ids, _ := d.Zones.LookupZip(zip)
				w.zipZones[zip] = ids
			}
		}
	}
	if len(w.zones) == 0 {
		w.zones = []zoneInfo{{centre: centroid, speed: s.Execution.SpeedKmh}}
		w.zoneCum = []float64{1}
	}
	if cum(w.zoneCum) == 0 {
		return nil, fmt.Errorf("sim: demand.zones: no active zone of the tenant has a positive weight")
	}
	w.eligibility()
	w.emergencyLists()

	// Hourly call rates: weights normalized to a week of CallsPerDay.
	profile := s.Demand.HourOfWeek
	if len(profile) == 0 {
		profile = defaultHourOfWeek()
	}
	rates, err := hourRates(profile, s.Demand.CallsPerDay*demand)
	if err != nil {
		return nil, fmt.Errorf("sim: variant %q: %w", w.name, err)
	}
	w.hourRate = rates
	for _, r := range rates {
		w.maxRate = math.Max(w.maxRate, r)
	}
	w.setEnvelope(w.maxRate)
	eng, err := capacity.New(w.data)
	if err != nil {
		return nil, fmt.Errorf("sim: variant %q: %w", w.name, err)
	}
	w.eng = eng
	w.buildIndex(eng)
	for i := range w.zones {
		z := &w.zones[i]
		zips := z.zips
		if len(zips) == 0 {
			zips = []string{""}
		}
		for _, zip := range zips {
			z.at = append(z.at, zipInfo{zip: zip, elig: w.eligible[zip], em: w.emOf[zip], cls: w.classes[zip]})
		}
	}
	return w, nil
}

// maxLayers bounds the layers of candidate calls: a variant's demand is
// at most 100 times the baseline's (checkFactors), so it never needs more
// than 100, and the layer number fits the 7 bits of a candidate's key.
const maxLayers = 127

// setEnvelope sets the rate of one layer of candidates to e (the
// baseline's highest hourly rate) and the number of layers the world's
// own highest rate needs.
func (w *world) setEnvelope(e float64) {
	w.envelope, w.layers = e, 1
	if e > 0 && w.maxRate > e {
		// The ratio is a product of scaleDemand factors up to rounding:
		// a hair over a whole number is that number.
		w.layers = min(maxLayers, max(1, int(math.Ceil(w.maxRate/e*(1-1e-12)))))
	}
}

// hourRates returns the call rate, calls per second, of each hour of the
// week: the weights' shares of a week of perDay calls a day. Each weight
// is divided by the sum before it is scaled, so no weight the scenario
// accepts overflows; a profile whose rates would not be finite, or that
// has no positive rate, is an error (the thinning of arrivals needs a
// finite, positive envelope to advance).
func hourRates(profile []float64, perDay float64) ([168]float64, error) {
	var rates [168]float64
	sum := 0.0
	for _, x := range profile {
		sum += x
	}
	if len(profile) != 168 || !(sum > 0) || math.IsInf(sum, 0) {
		return rates, fmt.Errorf("demand.hourOfWeek: the weights sum to %v over %d hours: want 168 finite weights, one positive", sum, len(profile))
	}
	peak := 0.0
	for h, x := range profile {
		rates[h] = x / sum * (perDay * 7 / 3600)
		if !(rates[h] >= 0) || math.IsInf(rates[h], 0) {
			return rates, fmt.Errorf("%s: weight %v gives a call rate of %v per second", validate.Index("demand.hourOfWeek", h), x, rates[h])
		}
		peak = math.Max(peak, rates[h])
	}
	if !(peak > 0) {
		return rates, fmt.Errorf("demand.hourOfWeek: no hour has a positive call rate (%v calls a day)", perDay)
	}
	return rates, nil
}

// emergencyLists interns the eligible lists: equal lists share one
// emergency index per replication.
func (w *world) emergencyLists() {
	w.emOf = map[string][]int32{}
	ids := map[string]int32{}
	done := map[*[]int32][]int32{} // zips of the same zones share their lists
	for zip, byJT := range w.eligible {
		if len(byJT) > 0 {
			if of, ok := done[&byJT[0]]; ok {
				w.emOf[zip] = of
				continue
			}
		}
		of := make([]int32, len(byJT))
		for ji, list := range byJT {
			key := fmt.Sprint(list)
			id, ok := ids[key]
			if !ok {
				id = int32(len(w.emLists))
				ids[key] = id
				w.emLists = append(w.emLists, list)
			}
			of[ji] = id
		}
		if len(byJT) > 0 {
			done[&byJT[0]] = of
		}
		w.emOf[zip] = of
	}
}

// changeMember splits err, a problem of a change found as it was applied,
// into the member it names first ("reservePercentage.group: unknown …")
// and the rest, for the member to go into the problem's path as a
// scenario file's own problems name theirs; field is "" when the message
// names none.
func changeMember(err error) (field, msg string) {
	msg = err.Error()
	if f, rest, ok := strings.Cut(msg, ": "); ok && memberPath.MatchString(f) {
		return f, rest
	}
	return "", msg
}

// memberPath matches a JSON member path as apply's errors begin with one:
// "addAdjustments.group", "businessUnitGroup.businessUnits[1]".
var memberPath = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*|\[[0-9]+\])*$`)

// variantChanges returns v's changes, or none for the baseline.
func variantChanges(v *Variant) []Change {
	if v == nil {
		return nil
	}
	return v.Changes
}

// zoneList returns the tenant's active zones, by id.
func zoneList(d capacity.Data) []zoneDef {
	if d.Zones == nil {
		return nil
	}
	var out []zoneDef
	for _, z := range d.Zones.Zones() {
		if z.IsActive() {
			out = append(out, zoneDef{ID: z.ID, Name: z.Name, Zips: z.Zips})
		}
	}
	slices.SortFunc(out, func(a, b zoneDef) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

type zoneDef struct {
	ID   int64
	Name string
	Zips []string
}

// eligibility fills w.eligible: per demand zip and job type, the
// technicians the capacity engine considers for that zip (§4 step 2 with
// the zip extension): active, in one of the job type's units, holding its
// skills, and serving one of the zones the zip belongs to or without
// zones.
func (w *world) eligibility() {
	w.eligible = map[string][][]int32{}
	zips := []string{""}
	for _, z := range w.zones {
		zips = append(zips, z.zips...)
	}
	// A job type's units and every unit grouped with one of them (R* of
	// design §4a item 8): a group shares its technicians.
	units := make([][]int64, len(w.jobTypes))
	for ji, jt := range w.jobTypes {
		units[ji] = withGroups(jt.BusinessUnitIDs, w.data.BusinessUnitGroups)
	}
	// Eligibility depends on a zip's zones only: zips of the same zones
	// share their lists.
	byZones := map[string][][]int32{}
	for _, zip := range zips {
		if _, ok := w.eligible[zip]; ok {
			continue
		}
		zz := w.zipZones[zip]
		key := "-"
		if zip != "" {
			key = fmt.Sprint(zz)
		}
		if byJT, ok := byZones[key]; ok {
			w.eligible[zip] = byJT
			continue
		}
		byJT := make([][]int32, len(w.jobTypes))
		for ji, jt := range w.jobTypes {
			for ti, t := range w.techs {
				if !t.IsActive() || (len(units[ji]) > 0 && !slices.Contains(units[ji], t.BusinessUnitID)) || !t.HasSkills(jt.Skills) {
					continue
				}
				if zip != "" && len(t.ZoneIDs) > 0 && !servesAny(t.ZoneIDs, zz) {
					continue
				}
				byJT[ji] = append(byJT[ji], int32(ti))
			}
		}
		byZones[key] = byJT
		w.eligible[zip] = byJT
	}
}

// geography is where a tenant's customers are: the centre of each zone
// (by id), where its calls are, and the centroid, the home of a
// technician without one.
type geography struct {
	centroid point
	centres  map[int64]point
}

// geographyOf returns the geography of the base tenant d, the same for
// every variant: the centroid is the mean home of the technicians who
// work — active, with an active Normal or OnCall shift in d — and a
// zone's centre the mean home of those of them serving it (technicians
// without a home at the centroid), or the centroid when none does. When
// none of those who work has a home (or no one works), the active
// technicians count instead, and when none of those has one either,
// every technician; with no home anywhere, everything is at 0°, 0°.
//
// A zone's customers do not move with the staff: a variant that adds
// technicians like one or takes some off, or a technician with no
// shifts, changes no call's place (TestIrrelevantAdditions,
// TestStaffDoesNotMoveCustomers).
func geographyOf(d capacity.Data) geography {
	working := map[int64]bool{}
	for _, s := range d.Shifts {
		if s.IsActive() && (s.Type == shifts.Normal || s.Type == shifts.OnCall) {
			working[s.TechnicianID] = true
		}
	}
	// The first of these with a home among them: a tenant whose working
	// technicians have no homes, or who has none working or active (a
	// variant may add technicians like an inactive one, at his home),
	// has its customers where its technicians live, not at 0°, 0°.
	var staff []capacity.Technician
	for _, in := range []func(capacity.Technician) bool{
		func(t capacity.Technician) bool { return t.IsActive() && working[t.ID] },
		capacity.Technician.IsActive,
		func(capacity.Technician) bool { return true },
	} {
		var tier []capacity.Technician
		for _, t := range d.Technicians {
			if in(t) {
				tier = append(tier, t)
			}
		}
		if staff == nil {
			staff = tier
		}
		if slices.ContainsFunc(tier, func(t capacity.Technician) bool { return t.Home != nil }) {
			staff = tier
			break
		}
	}
	var all []point
	for _, t := range staff {
		if t.Home != nil {
			all = append(all, point{t.Home.Latitude, t.Home.Longitude})
		}
	}
	g := geography{centroid: mean(all), centres: map[int64]point{}}
	byZone := map[int64][]point{}
	for _, t := range staff {
		home := g.centroid
		if t.Home != nil {
			home = point{t.Home.Latitude, t.Home.Longitude}
		}
		for _, z := range t.ZoneIDs {
			byZone[z] = append(byZone[z], home)
		}
	}
	for z, homes := range byZone {
		g.centres[z] = mean(homes)
	}
	return g
}

func servesAny(have, want []int64) bool {
	for _, z := range have {
		if slices.Contains(want, z) {
			return true
		}
	}
	return false
}

func cum(c []float64) float64 {
	if len(c) == 0 {
		return 0
	}
	return c[len(c)-1]
}

func mean(ps []point) point {
	if len(ps) == 0 {
		return point{}
	}
	var m point
	for _, p := range ps {
		m.lat += p.lat
		m.lon += p.lon
	}
	return point{m.lat / float64(len(ps)), m.lon / float64(len(ps))}
}

func mustDate(s string) hours.Date {
	d, err := hours.ParseDate(s)
	if err != nil {
		panic(err) // Validate checked it
	}
	return d
}

// apply changes d by one staffing or capacity change; the policy and
// demand changes were applied by newWorld.
func (w *world) apply(d *capacity.Data, c Change) error {
	techIdx := func(id int64) int {
		return slices.IndexFunc(d.Technicians, func(t capacity.Technician) bool { return t.ID == id })
	}
	switch {
	case c.AddTechnicians != nil:
		a := c.AddTechnicians
		i := techIdx(a.Like)
		if i < 0 {
			return fmt.Errorf("addTechnicians.like: unknown technician %d", a.Like)
		}
		like := d.Technicians[i]
		slot, _ := hours.ParseSlot(hours.TimeSlot{From: a.From, To: a.To})
		days := weekdayMask(a.Weekdays)
		nextTech, nextShift := int64(0), int64(0)
		for _, t := range d.Technicians {
			nextTech = max(nextTech, t.ID)
		}
		for _, s := range d.Shifts {
			nextShift = max(nextShift, s.ID)
		}
		typ := shifts.Normal
		if a.OnCall {
			typ = shifts.OnCall // on call off hours is the point: no warning
		} else if out, all := w.outsideBusiness(d, slot, days); offHoursWorth(out, all) {
			w.offHours = append(w.offHours, fmt.Sprintf("addTechnicians like %d %s–%s: %s of %s hours a technician", a.Like, a.From, a.To, fmtHours(out), fmtHours(all)))
		}
		for k := range a.Count {
			t := like
			nextTech++
			t.ID = nextTech
			t.Name = fmt.Sprintf("Extra %d (like %s)", k+1, like.Name)
			t.Inactive = false
			d.Technicians = append(d.Technicians, t)
			for day := w.first; hours.DayStart(w.loc, day) < w.last; day++ {
				if days&(1<<day.Weekday()) == 0 {
					continue
				}
				st, en := slot.Span(w.loc, day)
				nextShift++
				d.Shifts = append(d.Shifts, shifts.Shift{ID: nextShift, TechnicianID: t.ID, Type: typ, Title: "What-if", Start: time.Unix(st, 0).In(w.loc), End: time.Unix(en, 0).In(w.loc)})
			}
		}
	case c.ReduceTechnicians != nil:
		r := c.ReduceTechnicians
		if techIdx(r.Like) < 0 {
			return fmt.Errorf("reduceTechnicians.like: unknown technician %d", r.Like)
		}
		w.reduce(d, r)
	case c.RemoveTechnicians != nil:
		for _, id := range c.RemoveTechnicians.IDs {
			i := techIdx(id)
			if i < 0 {
				return fmt.Errorf("removeTechnicians: unknown technician %d", id)
			}
			d.Technicians[i].Inactive = true
		}
	case c.ShiftHours != nil:
		sh := c.ShiftHours
		slot, _ := hours.ParseSlot(hours.TimeSlot{From: sh.From, To: sh.To})
		for _, id := range sh.Technicians {
			if techIdx(id) < 0 {
				return fmt.Errorf("shiftHours.technicians: unknown technician %d", id)
			}
		}
		var out, all int64
		for i, s := range d.Shifts {
			if s.Type != shifts.Normal || (len(sh.Technicians) > 0 && !slices.Contains(sh.Technicians, s.TechnicianID)) {
				continue
			}
			day := hours.DateAt(w.loc, s.Start.Unix())
			st, en := slot.Span(w.loc, day)
			d.Shifts[i].Start, d.Shifts[i].End = time.Unix(st, 0).In(w.loc), time.Unix(en, 0).In(w.loc)
			if day >= w.first && day < w.first+hours.Date(w.s.Days) {
				out, all = out+w.offBusiness(d, day, st, en), all+en-st
			}
		}
		if offHoursWorth(out, all) {
			w.offHours = append(w.offHours, fmt.Sprintf("shiftHours %s–%s: %s of %s shift hours", sh.From, sh.To, fmtHours(out), fmtHours(all)))
		}
	case c.IdealBooking != nil:
		ib := c.IdealBooking
		if ib.BusinessUnit == 0 {
			// The default applies only to units with no percentage of
			// their own or of their group: with none, it would study
			// nothing, and the variant would read as "no effect".
			var own []string
			for _, u := range d.BusinessUnits {
				if g, ok := groupOf(d, u.ID, func(g capacity.BusinessUnitGroup) bool { return g.IdealBookingPercentage != 0 }); ok {
					own = append(own, fmt.Sprintf("%d %s %d%% (group %s)", u.ID, u.Name, g.IdealBookingPercentage, g.Name))
				} else if u.IdealBookingPercentage != 0 {
					own = append(own, fmt.Sprintf("%d %s %d%%", u.ID, u.Name, u.IdealBookingPercentage))
				} else {
					own = nil
					break
				}
			}
			if len(own) > 0 {
				return fmt.Errorf("idealBookingPercentage: every business unit has an ideal percentage of its own or of its group (%s), which wins over the tenant's default, so changing the default changes nothing: name a businessUnit",
					strings.Join(own, ", "))
			}
			d.IdealBookingPercentage = ib.Percentage
			break
		}
		i := slices.IndexFunc(d.BusinessUnits, func(u capacity.BusinessUnit) bool { return u.ID == ib.BusinessUnit })
		if i < 0 {
			return fmt.Errorf("idealBookingPercentage.businessUnit: unknown business unit %d", ib.BusinessUnit)
		}
		if g, ok := groupOf(d, ib.BusinessUnit, func(g capacity.BusinessUnitGroup) bool { return g.IdealBookingPercentage != 0 }); ok {
			return fmt.Errorf("idealBookingPercentage.businessUnit: business unit %d is in group %d (%s), whose ideal of %d%% replaces the unit's: set the group's with a businessUnitGroup change",
				ib.BusinessUnit, g.ID, g.Name, g.IdealBookingPercentage)
		}
		d.BusinessUnits[i].IdealBookingPercentage = ib.Percentage
	default:
		return w.applyControl(d, c)
	}
	return nil
}

// offHoursWorth reports whether out seconds of a change's all shift
// seconds outside business hours are worth a warning: 5% or more. A
// shift moved to 09:00–15:00 on a Saturday that closes at 14:00 has an
// hour there, 0.4% of the change's hours, and a warning — which --strict
// turns into a refusal — would only be noise.
func offHoursWorth(out, all int64) bool { return out > 0 && out*20 >= all }

// outsideBusiness returns the seconds of slot on the call days of the
// weekdays in mask that fall outside d's weekly business hours (see
// offBusiness), and all of them.
func (w *world) outsideBusiness(d *capacity.Data, slot hours.Slot, mask uint8) (out, all int64) {
	for day := w.first; day < w.first+hours.Date(w.s.Days); day++ {
		if mask&(1<<day.Weekday()) == 0 {
			continue
		}
		st, en := slot.Span(w.loc, day)
		out, all = out+w.offBusiness(d, day, st, en), all+en-st
	}
	return out, all
}

// offBusiness returns the seconds of [st, en), a span of date day, outside
// d's business hours of that day; none on a date with an exception (a
// holiday, special hours): those are one-off, the warning is about the
// weekly hours.
func (w *world) offBusiness(d *capacity.Data, day hours.Date, st, en int64) int64 {
	if w.excepted == nil {
		// Once per variant: Rules copies the schedule's rules.
		w.excepted = map[string]bool{}
		for _, e := range d.Schedule.Rules().Exceptions {
			w.excepted[e.Date] = true
		}
	}
	if w.excepted[day.String()] {
		return 0
	}
	in := int64(0)
	for _, b := range d.Schedule.SlotsOn(day) {
		bs, be := b.Span(w.loc, day)
		in += max(0, min(en, be)-max(st, bs))
	}
	return en - st - in
}

// fmtHours writes seconds as whole hours, or with one decimal under 10.
func fmtHours(sec int64) string {
	h := float64(sec) / 3600
	if h < 10 {
		return strconv.FormatFloat(h, 'f', 1, 64)
	}
	return strconv.FormatFloat(h, 'f', 0, 64)
}

// weekdayMask returns the days of names as bits by time.Weekday,
// Monday–Friday when there are none.
func weekdayMask(names []string) uint8 {
	var days uint8
	for _, name := range names {
		wd, _ := hours.ParseWeekday(name)
		days |= 1 << wd
	}
	if days == 0 {
		days = 0b0111110 // Monday–Friday
	}
	return days
}

// reduce applies r to d (see [ReduceTechnicians]); r.Like is known.
func (w *world) reduce(d *capacity.Data, r *ReduceTechnicians) {
	like := d.Technicians[slices.IndexFunc(d.Technicians, func(t capacity.Technician) bool { return t.ID == r.Like })]
	same := func(t capacity.Technician) bool {
		return slices.Equal(sortedStrings(t.Skills), sortedStrings(like.Skills)) && slices.Equal(sortedIDs(t.ZoneIDs), sortedIDs(like.ZoneIDs))
	}
	type cand struct {
		id   int64
		same bool
	}
	var cands []cand
	for _, t := range d.Technicians {
		if t.IsActive() && t.BusinessUnitID == like.BusinessUnitID {
			cands = append(cands, cand{t.ID, same(t)})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.same != b.same {
			if a.same {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.id, a.id)
	})
	// The Normal shifts of each candidate, as indices into d.Shifts.
	of := map[int64][]int{}
	for _, c := range cands {
		of[c.id] = nil
	}
	for i, s := range d.Shifts {
		if _, ok := of[s.TechnicianID]; ok && s.IsActive() && s.Type == shifts.Normal {
			of[s.TechnicianID] = append(of[s.TechnicianID], i)
		}
	}
	nextShift := int64(0)
	for _, s := range d.Shifts {
		nextShift = max(nextShift, s.ID)
	}
	slot, _ := hours.ParseSlot(hours.TimeSlot{From: r.From, To: r.To})
	days := weekdayMask(r.Weekdays)
	for day := w.first; hours.DayStart(w.loc, day) < w.last; day++ {
		if days&(1<<day.Weekday()) == 0 {
			continue
		}
		wsU, weU := slot.Span(w.loc, day)
		ws, we := time.Unix(wsU, 0).In(w.loc), time.Unix(weU, 0).In(w.loc)
		left := r.Count
		for _, c := range cands {
			if left == 0 {
				break
			}
			cut := false
			for _, i := range of[c.id] {
				s := d.Shifts[i]
				if !s.IsActive() || !s.End.After(ws) || !s.Start.Before(we) {
					continue
				}
				cut = true
				switch {
				case s.Start.Before(ws) && s.End.After(we): // the window splits it
					d.Shifts[i].End = ws
					nextShift++
					tail := s
					tail.ID, tail.Start = nextShift, we
					d.Shifts = append(d.Shifts, tail)
					of[c.id] = append(of[c.id], len(d.Shifts)-1)
				case s.Start.Before(ws):
					d.Shifts[i].End = ws
				case s.End.After(we):
					d.Shifts[i].Start = we
				default:
					d.Shifts[i].Inactive = true
				}
			}
			if cut {
				left--
			}
		}
	}
}

func sortedStrings(xs []string) []string { return slices.Sorted(slices.Values(xs)) }
func sortedIDs(xs []int64) []int64       { return slices.Sorted(slices.Values(xs)) }

// onCallTime returns each technician's active OnCall shifts less its
// TimeOff shifts, and its TimeOff shifts.
func onCallTime(d capacity.Data) (onCall, timeOff map[int64]interval.Set) {
	on, off := map[int64][]interval.Span{}, map[int64][]interval.Span{}
	for _, s := range d.Shifts {
		switch {
		case !s.IsActive():
		case s.Type == shifts.OnCall:
			on[s.TechnicianID] = append(on[s.TechnicianID], s.Span())
		case s.Type == shifts.TimeOff:
			off[s.TechnicianID] = append(off[s.TechnicianID], s.Span())
		}
	}
	onCall, timeOff = map[int64]interval.Set{}, map[int64]interval.Set{}
	for id, spans := range off {
		timeOff[id] = interval.New(spans...)
	}
	for id, spans := range on {
		onCall[id] = interval.New(spans...).Difference(timeOff[id])
	}
	return onCall, timeOff
}

// templateShifts returns the active Normal and OnCall shifts of d that
// start (local date) in the weeks from t.
func templateShifts(d capacity.Data, loc *time.Location, t hours.Date, weeks int) []shifts.Shift {
	var out []shifts.Shift
	for _, s := range d.Shifts {
		if !s.IsActive() || (s.Type != shifts.Normal && s.Type != shifts.OnCall) {
			continue
		}
		if sd := hours.DateAt(loc, s.Start.Unix()); sd >= t && sd < t+hours.Date(7*weeks) {
			out = append(out, s)
		}
	}
	return out
}

// rollRoster returns the shifts of d over the local dates [from, to)
// under roster r (see [Roster]): the file's shifts, and on dates outside
// the span the file's Normal shifts cover, the template's.
func rollRoster(d capacity.Data, loc *time.Location, r Roster, from, to hours.Date) []shifts.Shift {
	out := slices.Clone(d.Shifts)
	if r.TemplateStart == "" {
		return out
	}
	t := mustDate(r.TemplateStart)
	period := hours.Date(7 * r.weeks())
	lo, hi := hours.Date(math.MaxInt32), hours.Date(math.MinInt32)
	nextID := int64(0)
	for _, s := range d.Shifts {
		nextID = max(nextID, s.ID)
		if s.IsActive() && s.Type == shifts.Normal {
			sd := hours.DateAt(loc, s.Start.Unix())
			lo, hi = min(lo, sd), max(hi, sd)
		}
	}
	byDate := map[hours.Date][]shifts.Shift{}
	for _, s := range templateShifts(d, loc, t, r.weeks()) {
		sd := hours.DateAt(loc, s.Start.Unix())
		byDate[sd] = append(byDate[sd], s)
	}
	for day := from; day < to; day++ {
		if day >= lo && day <= hi {
			continue // the file covers it
		}
		k := (day - t) % period
		if k < 0 {
			k += period
		}
		for _, s := range byDate[t+k] {
			sd, sc, ss := split(loc, s.Start.Unix())
			ed, ec, es := split(loc, s.End.Unix())
			nextID++
			n := s
			n.ID = nextID
			n.Start = time.Unix(hours.Local(loc, day, sc)+ss, 0).In(loc)
			n.End = time.Unix(hours.Local(loc, day+(ed-sd), ec)+es, 0).In(loc)
			if n.End.After(n.Start) {
				out = append(out, n)
			}
		}
	}
	return out
}

// daysAhead returns the instant days local days after instant now: the
// same wall-clock time in the tenant's zone, days dates later (design
// §3: a time in a spring-forward gap moves forward by the gap, one that
// occurs twice takes the earlier instant). The booking horizon is local
// days, as a dispatcher reads it: a call on Monday at 08:30 with a 7-day
// horizon sees next Monday's 08:00 window whether or not a clock change
// lies between, where 7×86,400 seconds reach an hour short of it across
// a fall-back and an hour past it across a spring-forward.
func (w *world) daysAhead(now int64, days int) int64 {
	d, c, sec := split(w.loc, now)
	return hours.Local(w.loc, d+hours.Date(days), c) + sec
}

// split returns the local date, the wall-clock minute and the leftover
// seconds of instant u in loc.
func split(loc *time.Location, u int64) (hours.Date, hours.Clock, int64) {
	t := time.Unix(u, 0).In(loc)
	y, m, dd := t.Date()
	return hours.DateOf(y, m, dd), hours.Clock(t.Hour()*60 + t.Minute()), int64(t.Second())
}

// checkWorld returns the world's warnings: no business hours on any date
// on which calls may book, business days on which calls may book that
// have no working time at all, and a warm-up shorter than the booking
// horizon.
func (w *world) checkWorld(eng *capacity.Engine) []string {
	var out []string
	var empty []hours.Date
	bookEnd := w.first + hours.Date(w.s.Days+w.booking.HorizonDays)
	open := 0
	for day := w.first; day < bookEnd; day++ {
		if len(w.data.Schedule.SlotsOn(day)) == 0 {
			continue
		}
		open++
		ds, de := hours.DayStart(w.loc, day), hours.DayStart(w.loc, day+1)
		work := int64(0)
		for _, t := range w.techs {
			if t.IsActive() {
				work += eng.Working(t.ID, time.Unix(ds, 0), time.Unix(de, 0)).Measure()
				if work > 0 {
					break
				}
			}
		}
		if work == 0 {
			empty = append(empty, day)
		}
	}
	if open == 0 {
		out = append(out, fmt.Sprintf("none of the %d dates on which calls may book (%s to %s) has business hours: no call can book a window, and only technicians on call can reach an emergency",
			bookEnd-w.first, w.first, bookEnd-1))
	}
	if len(empty) > 0 {
		var dates []string
		for i, d := range empty {
			if i == 6 {
				dates = append(dates, fmt.Sprintf("… (%d in all)", len(empty)))
				break
			}
			dates = append(dates, d.String())
		}
		hint := "; roll the roster forward with \"roster\": {\"templateStart\": …}"
		if w.s.Roster.TemplateStart != "" {
			hint = ""
		}
		out = append(out, fmt.Sprintf("%d business day(s) on which calls may book have no working time at all (no technician's shift meets business hours): %s; their capacity is lost: calls book on other days if they can%s",
			len(empty), strings.Join(dates, ", "), hint))
	}
	if w.keptPending > 0 {
		out = append(out, fmt.Sprintf("%d appointment(s) of the kept book in the simulated span have no technician assigned: they hold capacity as pending work, as in the capacity engine, but no one carries them out, so utilisation, jobs and overtime leave them out",
			w.keptPending))
	}
	if w.keptRemoved > 0 {
		out = append(out, fmt.Sprintf("%d assignment(s) of the kept book are to technicians who are inactive: their time stays booked, but no one carries the jobs out", w.keptRemoved))
	}
	if len(w.offHours) > 0 {
		out = append(out, fmt.Sprintf("shift hours outside business hours over the call days (%s): working time is shift time within business hours, so those hours take no bookings and reach no emergencies; for cover outside business hours, add technicians on call (addTechnicians with \"onCall\": true)",
			strings.Join(w.offHours, "; ")))
	}
	if w.emergency < 1 && w.s.WarmupDays < w.booking.HorizonDays {
		out = append(out, fmt.Sprintf("the %d warm-up day(s) are fewer than the %d-day booking horizon: the first measured days see a book that is not yet full, and book more than a steady state would",
			w.s.WarmupDays, w.booking.HorizonDays))
	}
	if w.name != "baseline" {
		for i := range out {
			out[i] = "variant " + strconv.Quote(w.name) + ": " + out[i]
		}
	}
	return out
}

// emergencyTypes sets emType and emCum: an emergency takes a priority job
// type of the unit of the job type drawn from the mix — or, when that
// unit has none, of the units it shares a business-unit group with (one
// technician pool, design §4a item 8: HVAC Maintenance's emergencies are
// HVAC Service's No-Heat Emergencies, not emergency furnace tune-ups) —
// weighted by the mix when it gives any of them weight, else equally, and
// keeps the job type drawn when neither has one.
func (w *world) emergencyTypes(d *capacity.Data) {
	byUnit := map[int64][]int32{}
	for i, jt := range w.jobTypes {
		if jt.Priority {
			byUnit[jt.unit] = append(byUnit[jt.unit], int32(i))
		}
	}
	w.emType = make([][]int32, len(w.jobTypes))
	w.emCum = make([][]float64, len(w.jobTypes))
	for i, jt := range w.jobTypes {
		list := byUnit[jt.unit]
		if g, ok := groupOf(d, jt.unit, func(capacity.BusinessUnitGroup) bool { return true }); ok && len(list) == 0 {
			// The group's, in job-type order (as byUnit's are).
			for k, o := range w.jobTypes {
				if o.Priority && slices.Contains(g.BusinessUnitIDs, o.unit) {
					list = append(list, int32(k))
				}
			}
		}
		if len(list) == 0 {
			continue
		}
		mixed := slices.ContainsFunc(list, func(k int32) bool { return w.jtWeight(int(k)) > 0 })
		var c []float64
		for _, k := range list {
			wt := 1.0
			if mixed {
				wt = w.jtWeight(int(k))
			}
			c = append(c, cum(c)+wt)
		}
		w.emType[i], w.emCum[i] = list, c
	}
}
