package sim

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/validate"
)

// OptimizeSpec is a staffing question: the least staffing, in
// technician-hours, that meets every target. Its JSON form is the
// optimize-scenario file ([ParseOptimizeSpec]).
type OptimizeSpec struct {
	Name string `json:"name"`
	// Scenario is the study every configuration runs: a scenario as the
	// scenario file spells it (the same defaults), without variants —
	// the optimiser makes its own, one per configuration.
	Scenario Scenario `json:"scenario"`
	// Changes are applied to every configuration, before its levers':
	// the conditions to staff for ("under +20% demand"), in the
	// vocabulary of a variant's changes ([Change]). They count in the
	// cost when they change staffing.
	Changes []Change `json:"changes,omitempty"`
	// Targets must all hold, each on the mean over replications of a
	// per-replication figure ([OptimizeMetrics]).
	Targets []Target `json:"targets"`
	// Levers span the configurations: every combination of their values.
	Levers []Lever `json:"levers"`
	// Confidence is the probability with which the answer meets every
	// target, 0.5–0.999; 0 means 0.95.
	Confidence float64 `json:"confidence,omitempty"`
	// Replications per configuration: First at the first look, doubling
	// up to Max; 0 means 8 and 64.
	Replications Looks `json:"replications"`
	// MaxConfigurations bounds the number of combinations, 1–100000; 0
	// means 5000.
	MaxConfigurations int `json:"maxConfigurations,omitempty"`
	// OnCallCost is what an hour on call costs, in working hours, 0–1:
	// a configuration's cost is its working hours a week plus OnCallCost
	// times its hours on call outside working time. Studies without an
	// on-call lever may leave it out (on-call hours then cost nothing,
	// as before it existed); an on-call lever needs it, since at no cost
	// the least staffing would take every on-call technician offered.
	OnCallCost *float64 `json:"onCallCost,omitempty"`
}

// Looks are the replication counts of the sequential procedure.
type Looks struct {
	First int `json:"first,omitempty"`
	Max   int `json:"max,omitempty"`
}

// Target is one requirement: the metric's mean at most or at least a
// value (exactly one of the two is set).
type Target struct {
	KPI     string   `json:"kpi"`
	AtMost  *float64 `json:"atMost,omitempty"`
	AtLeast *float64 `json:"atLeast,omitempty"`
}

// Lever is one thing the optimiser may set; exactly one field is set.
type Lever struct {
	// Technicians sets the staffing of one business unit From–To on
	// Weekdays, Min…Max technicians from the roster: a value k > 0 adds
	// k technicians like one of the tenant's (unit, skills, zones, home;
	// [AddTechnicians]), k < 0 takes −k of that unit's technicians off
	// the roster in that window ([ReduceTechnicians]), 0 leaves the
	// roster as it is. With OnCall the k added are on call From–To
	// instead (night or Sunday cover for emergencies); such a lever only
	// adds (Min ≥ 0), and the spec must say what an hour on call costs
	// ([OptimizeSpec.OnCallCost]).
	Technicians *TechniciansLever `json:"technicians,omitempty"`
	// ShiftHours moves Normal shifts to one of the Options' hours, or
	// leaves them (value 0).
	ShiftHours *ShiftHoursLever `json:"shiftHours,omitempty"`
	// IdealBookingPercentage and ReservePercentage step a business
	// unit's percentage from Min to Max.
	IdealBookingPercentage *PercentLever `json:"idealBookingPercentage,omitempty"`
	ReservePercentage      *PercentLever `json:"reservePercentage,omitempty"`
}

// TechniciansLever adds or removes technicians; see [Lever]. Min and Max
// are within ±1000, and −Min at most the unit's active technicians.
type TechniciansLever struct {
	Like     int64    `json:"like"`
	Weekdays []string `json:"weekdays"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Min      int      `json:"min"`
	Max      int      `json:"max"`
	OnCall   bool     `json:"onCall,omitempty"`
}

// ShiftHoursLever moves the Normal shifts of Technicians (all when
// empty); see [Lever].
type ShiftHoursLever struct {
	Technicians []int64          `json:"technicians,omitempty"`
	Options     []hours.TimeSlot `json:"options"`
}

// PercentLever steps a business unit's percentage; Step 0 means 1. A
// reserve lever may step a business-unit group's reserve instead (Group
// set, BusinessUnit 0): a group's reserve, set, replaces its units' own,
// so a unit in such a group is refused.
type PercentLever struct {
	BusinessUnit int64 `json:"businessUnit,omitempty"`
	Group        int64 `json:"group,omitempty"`
	Min          int   `json:"min"`
	Max          int   `json:"max"`
	Step         int   `json:"step,omitempty"`
}

// values returns the lever's values, ascending.
func (l Lever) values() []int {
	var out []int
	switch {
	case l.Technicians != nil:
		for v := l.Technicians.Min; v <= l.Technicians.Max; v++ {
			out = append(out, v)
		}
	case l.ShiftHours != nil:
		for v := range len(l.ShiftHours.Options) + 1 {
			out = append(out, v)
		}
	default:
		p := l.percent()
		step := max(p.Step, 1)
		for v := p.Min; v <= p.Max; v += step {
			out = append(out, v)
			if v > p.Max-step { // the next one is past max: v+step would wrap past the top of int
				break
			}
		}
	}
	return out
}

func (l Lever) percent() *PercentLever {
	if l.IdealBookingPercentage != nil {
		return l.IdealBookingPercentage
	}
	return l.ReservePercentage
}

// change returns the variant change of value v, or false for none.
func (l Lever) change(v int) (Change, bool) {
	switch {
	case l.Technicians != nil:
		t := l.Technicians
		switch {
		case v < 0:
			return Change{ReduceTechnicians: &ReduceTechnicians{Count: -v, Like: t.Like, Weekdays: t.Weekdays, From: t.From, To: t.To}}, true
		case v > 0:
			return Change{AddTechnicians: &AddTechnicians{Count: v, Like: t.Like, Weekdays: t.Weekdays, From: t.From, To: t.To, OnCall: t.OnCall}}, true
		}
		return Change{}, false
	case l.ShiftHours != nil:
		if v == 0 {
			return Change{}, false
		}
		o := l.ShiftHours.Options[v-1]
		return Change{ShiftHours: &ShiftHours{Technicians: l.ShiftHours.Technicians, From: o.From, To: o.To}}, true
	case l.IdealBookingPercentage != nil:
		return Change{IdealBooking: &IdealBooking{BusinessUnit: l.IdealBookingPercentage.BusinessUnit, Percentage: v}}, true
	default:
		return Change{ReservePercentage: &ReservePercentage{BusinessUnit: l.ReservePercentage.BusinessUnit, Group: l.ReservePercentage.Group, Percentage: v}}, true
	}
}

// names are the tenant's names for its records, for labels.
type names struct {
	tech, unit, group map[int64]string
	techUnit          map[int64]int64
}

func newNames(d capacity.Data) *names {
	n := &names{tech: map[int64]string{}, unit: map[int64]string{}, group: map[int64]string{}, techUnit: map[int64]int64{}}
	for _, t := range d.Technicians {
		n.tech[t.ID], n.techUnit[t.ID] = t.Name, t.BusinessUnitID
	}
	for _, u := range d.BusinessUnits {
		n.unit[u.ID] = u.Name
	}
	for _, g := range d.BusinessUnitGroups {
		n.group[g.ID] = g.Name
	}
	return n
}

func (n *names) groupName(id int64) string {
	if s := n.group[id]; s != "" {
		return "group " + s
	}
	return fmt.Sprintf("group %d", id)
}

func (n *names) unitName(id int64) string {
	if s := n.unit[id]; s != "" {
		return s
	}
	return fmt.Sprintf("unit %d", id)
}

func (n *names) techName(id int64) string {
	if s := n.tech[id]; s != "" {
		return s
	}
	return fmt.Sprintf("technician %d", id)
}

// staff spells a signed number of technicians of like's unit: "+2 HVAC
// technicians", "−1 HVAC technician".
func (n *names) staff(k int, like int64) string {
	sign, noun := "+", "technicians"
	if k < 0 {
		sign, k = "−", -k
	}
	if k == 1 {
		noun = "technician"
	}
	return fmt.Sprintf("%s%d %s %s", sign, k, n.unitName(n.techUnit[like]), noun)
}

// techList spells a list of technicians: names up to three, else a count.
func (n *names) techList(ids []int64) string {
	if len(ids) > 3 {
		return fmt.Sprintf("%d technicians", len(ids))
	}
	var out []string
	for _, id := range ids {
		out = append(out, n.techName(id))
	}
	return strings.Join(out, ", ")
}

// label describes value v of the lever in the tenant's names; roster
// reports whether it changes staffing (a neutral staffing value is "").
func (l Lever) label(v int, n *names) (text string, roster bool) {
	switch {
	case l.Technicians != nil:
		t := l.Technicians
		if v == 0 {
			return "", true
		}
		onCall := ""
		if t.OnCall {
			onCall = " on call"
		}
		return fmt.Sprintf("%s%s %s %s–%s", n.staff(v, t.Like), onCall, weekdaysText(t.Weekdays), t.From, t.To), true
	case l.ShiftHours != nil:
		if v == 0 {
			return "", true
		}
		o := l.ShiftHours.Options[v-1]
		if len(l.ShiftHours.Technicians) == 0 {
			return "every shift " + o.From + "–" + o.To, true
		}
		return "shifts of " + n.techList(l.ShiftHours.Technicians) + " " + o.From + "–" + o.To, true
	case l.IdealBookingPercentage != nil:
		unit := "tenant default"
		if u := l.IdealBookingPercentage.BusinessUnit; u != 0 {
			unit = n.unitName(u)
		}
		return fmt.Sprintf("ideal booking %d%% %s", v, unit), false
	default:
		if g := l.ReservePercentage.Group; g != 0 {
			return fmt.Sprintf("reserve %d%% %s", v, n.groupName(g)), false
		}
		return fmt.Sprintf("reserve %d%% %s", v, n.unitName(l.ReservePercentage.BusinessUnit)), false
	}
}

// configLabel describes a configuration: its staffing changes, or "base
// roster", then its other settings.
func configLabel(levers []Lever, vals []int, n *names) string {
	var staff, other []string
	for i, l := range levers {
		text, roster := l.label(vals[i], n)
		switch {
		case text == "":
		case roster:
			staff = append(staff, text)
		default:
			other = append(other, text)
		}
	}
	if len(staff) == 0 {
		staff = []string{"base roster"}
	}
	return strings.Join(append(staff, other...), ", ")
}

// changeText describes a fixed change in the tenant's names; changes
// without a short wording are spelled as their JSON.
func changeText(c Change, n *names) string {
	switch {
	case c.AddTechnicians != nil:
		a := c.AddTechnicians
		return fmt.Sprintf("%s %s %s–%s", n.staff(a.Count, a.Like), weekdaysText(a.Weekdays), a.From, a.To)
	case c.ReduceTechnicians != nil:
		r := c.ReduceTechnicians
		return fmt.Sprintf("%s %s %s–%s", n.staff(-r.Count, r.Like), weekdaysText(r.Weekdays), r.From, r.To)
	case c.RemoveTechnicians != nil:
		return "without " + n.techList(c.RemoveTechnicians.IDs)
	case c.ScaleDemand != nil:
		return "demand ×" + strconv.FormatFloat(*c.ScaleDemand, 'g', -1, 64)
	case c.ScaleDurations != nil:
		return "durations ×" + strconv.FormatFloat(*c.ScaleDurations, 'g', -1, 64)
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// weekdaysText spells weekdays short, a run of consecutive days as a
// range: "Mon–Fri", "Tue/Thu", "every day"; none means Monday–Friday.
func weekdaysText(names []string) string {
	var set [7]bool
	for _, n := range names {
		if d, err := hours.ParseWeekday(n); err == nil {
			set[d] = true
		}
	}
	if len(names) == 0 {
		for d := 1; d <= 5; d++ {
			set[d] = true
		}
	}
	short := [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	var parts []string
	all := true
	for d := 0; d < 7; {
		if !set[d] {
			all = false
			d++
			continue
		}
		e := d
		for e+1 < 7 && set[e+1] {
			e++
		}
		switch {
		case e-d >= 2:
			parts = append(parts, short[d]+"–"+short[e])
		case e > d:
			parts = append(parts, short[d], short[e])
		default:
			parts = append(parts, short[d])
		}
		d = e + 1
	}
	if all {
		return "every day"
	}
	return strings.Join(parts, "/")
}

func (s OptimizeSpec) confidence() float64 {
	if s.Confidence == 0 {
		return 0.95
	}
	return s.Confidence
}

// looks returns the replication counts at which each configuration is
// judged: First, doubling, up to Max.
func (s OptimizeSpec) looks() []int {
	first, last := s.Replications.First, s.Replications.Max
	if first == 0 {
		first = 8
	}
	if last == 0 {
		last = max(64, first)
	}
	var out []int
	for n := first; ; n = min(2*n, last) {
		out = append(out, n)
		if n == last {
			return out
		}
	}
}

// reachedKPIs are the emergency figures of the emergencies reached only,
// which losing emergencies improves (censoredKPIs, beside kpis, are the
// percentiles in which a lost emergency counts as over the maximum wait).
var reachedKPIs = []string{"emergencyWaited", "emergencyWaitMean", "emergencyResponse"}

// checkTargetRange refuses a target no configuration can meet or that
// would not mean what it says: outside its metric's range (0–100 for a
// percentage, at least 0 for the rest), an emergency percentile at or
// above the maximum wait (a lost emergency counts as over it, so only a
// bound below it says how many were reached in time), and an upper bound
// on a figure of the emergencies reached without a bound on the share
// lost (losing emergencies would improve it).
func (s OptimizeSpec) checkTargetRange(errs *validate.Errors, path string, t Target) {
	m, ok := metricIndex(t.KPI)
	if !ok {
		return
	}
	field, v := path+".atMost", t.AtMost
	if v == nil {
		field, v = path+".atLeast", t.AtLeast
	}
	k := optMetrics[m]
	switch {
	case *v < 0:
		errs.Add(field, "sim: %s is below 0, the least %s can be", strconv.FormatFloat(*v, 'g', -1, 64), t.KPI)
		return
	case k.unit == "%" && *v > 100:
		errs.Add(field, "sim: %s is above 100, the most a percentage (%s) can be", strconv.FormatFloat(*v, 'g', -1, 64), t.KPI)
		return
	case *v > maxTarget:
		errs.Add(field, "sim: %s is beyond any figure a study gives (at most %g)", strconv.FormatFloat(*v, 'g', -1, 64), maxTarget)
		return
	}
	limit := float64(s.Scenario.Booking.EmergencyMaxWaitMinutes)
	if censoredKPIs[t.KPI] > 0 && *v >= limit {
		errs.Add(field, "sim: %s minutes is not below the maximum wait (scenario.booking.emergencyMaxWaitMinutes %d): a lost emergency counts as over the maximum, so only a bound below it says how many were reached in time",
			strconv.FormatFloat(*v, 'g', -1, 64), s.Scenario.Booking.EmergencyMaxWaitMinutes)
	}
	if slices.Contains(reachedKPIs, t.KPI) && t.AtMost != nil && !slices.ContainsFunc(s.Targets, func(o Target) bool {
		return (o.KPI == "emergencyLostShare" || o.KPI == "emergencyLost") && o.AtMost != nil
	}) {
		errs.Add(field, "sim: %s is of the emergencies reached only, and losing emergencies lowers it: bound emergencyLostShare too, or use a percentile (emergencyWaitP90, emergencyResponseP90), which counts lost ones", t.KPI)
	}
}

// maxTarget bounds target values: no figure of a study comes near it.
const maxTarget = 1e9

func (s OptimizeSpec) maxConfigurations() int {
	if s.MaxConfigurations == 0 {
		return 5000
	}
	return s.MaxConfigurations
}

// ParseOptimizeSpec decodes an optimize-scenario file strictly — exact key
// case, unknown members and duplicate keys rejected, a leading byte-order
// mark skipped — and validates it, reporting every problem with its JSON
// path. Its "scenario" reads like a scenario file (the same defaults);
// references to the tenant's records are checked by
// [OptimizeSpec.CheckTenant].
func ParseOptimizeSpec(data []byte) (OptimizeSpec, error) {
	data = validate.TrimBOM(data)
	var raw struct {
		Name              string          `json:"name"`
		Scenario          json.RawMessage `json:"scenario"`
		Changes           []Change        `json:"changes"`
		Targets           []Target        `json:"targets"`
		Levers            []Lever         `json:"levers"`
		Confidence        float64         `json:"confidence"`
		Replications      Looks           `json:"replications"`
		MaxConfigurations int             `json:"maxConfigurations"`
		OnCallCost        *float64        `json:"onCallCost"`
	}
	var errs validate.Errors
	if err := validate.Unmarshal(data, &raw); err != nil {
		// As ParseScenario: problems of members are listed with the
		// rest; only text that is not JSON stops here.
		if !errors.As(err, &errs) || slices.ContainsFunc(errs, func(e *validate.Error) bool {
			return errors.Is(e, validate.ErrSyntax) || errors.Is(e, validate.ErrEmpty)
		}) {
			return OptimizeSpec{}, fmt.Errorf("sim: optimize scenario: %w", err)
		}
	}
	s := OptimizeSpec{Name: raw.Name, Changes: raw.Changes, Targets: raw.Targets, Levers: raw.Levers, Confidence: raw.Confidence,
		Replications: raw.Replications, MaxConfigurations: raw.MaxConfigurations, OnCallCost: raw.OnCallCost}
	if len(raw.Scenario) == 0 || string(raw.Scenario) == "null" {
		errs.Add("scenario", "sim: missing: give the study every configuration runs")
	} else {
		sc, err := ParseScenario(raw.Scenario)
		var ve validate.Errors
		switch {
		case errors.As(err, &ve):
			errs.AddErr("scenario", ve)
		case err != nil:
			errs.Add("scenario", "%v", err)
		}
		s.Scenario = sc
	}
	// What the file states that the decoded spec cannot tell apart from
	// a default: a step of 0 (an omitted step means 1). The decoding
	// above has checked the shape, so this reading cannot fail.
	var given struct {
		Levers []struct {
			IdealBookingPercentage *struct {
				Step *int `json:"step"`
			} `json:"idealBookingPercentage"`
			ReservePercentage *struct {
				Step *int `json:"step"`
			} `json:"reservePercentage"`
		} `json:"levers"`
	}
	_ = json.Unmarshal(data, &given)
	for i, l := range given.Levers {
		for _, p := range []struct {
			name string
			step *int
		}{{"idealBookingPercentage", nil}, {"reservePercentage", nil}} {
			switch {
			case p.name == "idealBookingPercentage" && l.IdealBookingPercentage != nil:
				p.step = l.IdealBookingPercentage.Step
			case p.name == "reservePercentage" && l.ReservePercentage != nil:
				p.step = l.ReservePercentage.Step
			}
			if p.step != nil && *p.step == 0 {
				errs.Add(validate.Index("levers", i)+"."+p.name+".step", "sim: a step of 0 never moves from min: give a positive step (left out, it is 1)")
			}
		}
	}
	errs.AddErr("", s.validateOwn())
	if err := errs.Err(); err != nil {
		return OptimizeSpec{}, err
	}
	return s, nil
}

// Validate checks the spec on its own, reporting every problem with its
// path.
func (s OptimizeSpec) Validate() error {
	var errs validate.Errors
	errs.AddErr("scenario", s.Scenario.Validate())
	errs.AddErr("", s.validateOwn())
	return errs.Err()
}

func (s OptimizeSpec) validateOwn() error {
	var errs validate.Errors
	if len(s.Scenario.Variants) > 0 {
		errs.Add("scenario.variants", "sim: the optimiser makes its own variants, one per configuration: leave them out (changes every configuration shares go in \"changes\")")
	}
	for i, c := range s.Changes {
		checkChange(&errs, validate.Index("changes", i), c)
	}
	checkFactors(&errs, "changes", s.Changes)
	if len(s.Targets) == 0 {
		errs.Add("targets", "sim: no target: say what the staffing must achieve")
	}
	for i, t := range s.Targets {
		path := validate.Index("targets", i)
		if _, ok := metricIndex(t.KPI); !ok {
			errs.Add(path+".kpi", "sim: unknown figure %q (want one of %s)", t.KPI, strings.Join(metricKeys(), ", "))
		}
		switch {
		case (t.AtMost == nil) == (t.AtLeast == nil):
			errs.Add(path, "sim: give exactly one of atMost and atLeast")
		case t.AtMost != nil && (math.IsNaN(*t.AtMost) || math.IsInf(*t.AtMost, 0)):
			errs.Add(path+".atMost", "sim: %v is not a number", *t.AtMost)
		case t.AtLeast != nil && (math.IsNaN(*t.AtLeast) || math.IsInf(*t.AtLeast, 0)):
			errs.Add(path+".atLeast", "sim: %v is not a number", *t.AtLeast)
		default:
			s.checkTargetRange(&errs, path, t)
		}
	}
	if len(s.Levers) == 0 {
		errs.Add("levers", "sim: no lever: say what the optimiser may change")
	}
	combos := 1
	for i, l := range s.Levers {
		path := validate.Index("levers", i)
		n := 0
		problems := len(errs)
		if t := l.Technicians; t != nil {
			n++
			checkSpan(&errs, path+".technicians", t.From, t.To)
			for k, d := range t.Weekdays {
				if _, err := hours.ParseWeekday(d); err != nil {
					errs.Add(validate.Index(path+".technicians.weekdays", k), "%v", err)
				}
			}
			if t.Min < -1000 || t.Max < t.Min || t.Max > 1000 {
				errs.Add(path+".technicians", "sim: min %d and max %d: want -1000 <= min <= max <= 1000", t.Min, t.Max)
			}
			if t.OnCall && t.Min < 0 {
				errs.Add(path+".technicians.min", "sim: %d: an on-call lever adds technicians on call (min 0 or more); to take technicians off, use a lever without onCall", t.Min)
			}
			if t.OnCall && s.OnCallCost == nil {
				errs.Add(path+".technicians.onCall", "sim: an on-call lever needs onCallCost, what an hour on call costs in working hours (0–1): at no cost the least staffing would take every on-call technician offered")
			}
		}
		if h := l.ShiftHours; h != nil {
			n++
			if len(h.Options) == 0 {
				errs.Add(path+".shiftHours.options", "sim: no option")
			}
			for k, o := range h.Options {
				checkSpan(&errs, validate.Index(path+".shiftHours.options", k), o.From, o.To)
			}
		}
		for _, p := range []struct {
			name string
			l    *PercentLever
			lo   int
			hi   int
		}{{"idealBookingPercentage", l.IdealBookingPercentage, 1, 200}, {"reservePercentage", l.ReservePercentage, 0, capacity.MaxReservePercentage}} {
			if p.l == nil {
				continue
			}
			n++
			if p.l.Min < p.lo || p.l.Max > p.hi || p.l.Max < p.l.Min || p.l.Step < 0 {
				errs.Add(path+"."+p.name, "sim: min %d, max %d, step %d: want %d <= min <= max <= %d and a step of 0 or more", p.l.Min, p.l.Max, p.l.Step, p.lo, p.hi)
			}
			switch {
			case p.l.Group != 0 && p.name != "reservePercentage":
				errs.Add(path+"."+p.name+".group", "sim: an ideal-percentage lever steps a business unit's or the tenant's percentage, not a group's")
			case p.l.Group != 0 && p.l.BusinessUnit != 0:
				errs.Add(path+"."+p.name, "sim: give businessUnit or group, not both")
			case p.name == "reservePercentage" && p.l.Group == 0 && p.l.BusinessUnit == 0:
				errs.Add(path+"."+p.name, "sim: give the businessUnit or the group whose reserve to step")
			}
		}
		if n != 1 {
			errs.Add(path, "sim: a lever sets exactly one of technicians, shiftHours, idealBookingPercentage, reservePercentage (found %d)", n)
			continue
		}
		if len(errs) > problems {
			// Not counted: values lists a range out of bounds one by
			// one (a max of 10,000,000 took 470 MB before this error).
			continue
		}
		combos = min(combos*max(len(l.values()), 1), math.MaxInt32)
	}
	if c := s.Confidence; c != 0 && !(c >= 0.5 && c <= 0.999) {
		errs.Add("confidence", "sim: %v is outside 0.5…0.999", c)
	}
	if r := s.Replications; r.First < 0 || r.Max < 0 || (r.First == 1) || (r.First > 0 && r.Max > 0 && r.Max < r.First) || r.Max > 100000 {
		errs.Add("replications", "sim: first %d and max %d: want 2 <= first <= max <= 100000 (0 for the defaults 8 and 64)", r.First, r.Max)
	}
	if c := s.OnCallCost; c != nil && !(*c >= 0 && *c <= 1) {
		errs.Add("onCallCost", "sim: %v is outside 0…1 (working hours an hour on call costs)", *c)
	}
	if m := s.MaxConfigurations; m < 0 || m > 100000 {
		errs.Add("maxConfigurations", "sim: %d is outside 1…100000 (0 means 5000)", m)
	}
	if len(s.Levers) > 0 && combos > s.maxConfigurations() {
		errs.Add("levers", "sim: the levers make %d configurations, more than the %d allowed (maxConfigurations)", combos, s.maxConfigurations())
	}
	return errs.Err()
}

// CheckTenant checks the spec's references to the base tenant's records:
// the scenario's and the levers' technicians and business units.
func (s OptimizeSpec) CheckTenant(d capacity.Data) error {
	var errs validate.Errors
	errs.AddErr("scenario", s.Scenario.CheckTenant(d))
	r := newRefs(d)
	techs, units := r.techs, r.units
	removed := map[int64]bool{} // inactive in every configuration
	for i, c := range s.Changes {
		r.checkChange(&errs, validate.Index("changes", i), c)
		if c.RemoveTechnicians != nil {
			for _, id := range c.RemoveTechnicians.IDs {
				removed[id] = true
			}
		}
	}
	for i, l := range s.Levers {
		path := validate.Index("levers", i)
		switch {
		case l.Technicians != nil:
			t := l.Technicians
			if !techs[t.Like] {
				errs.Add(path+".technicians.like", "sim: unknown technician %d", t.Like)
				break
			}
			if t.Min < 0 {
				unit, staff := int64(0), 0
				for _, x := range d.Technicians {
					if x.ID == t.Like {
						unit = x.BusinessUnitID
					}
				}
				for _, x := range d.Technicians {
					if x.IsActive() && x.BusinessUnitID == unit && !removed[x.ID] {
						staff++
					}
				}
				if -t.Min > staff {
					under := ""
					if len(removed) > 0 {
						under = " left after changes remove technicians"
					}
					errs.Add(path+".technicians.min", "sim: %d takes off more technicians than the %d active ones of technician %d's business unit %d%s: those configurations would remove nobody more", t.Min, staff, t.Like, unit, under)
				}
			}
		case l.ShiftHours != nil:
			for k, id := range l.ShiftHours.Technicians {
				if !techs[id] {
					errs.Add(validate.Index(path+".shiftHours.technicians", k), "sim: unknown technician %d", id)
				}
			}
		case l.IdealBookingPercentage != nil:
			if u := l.IdealBookingPercentage.BusinessUnit; u != 0 && !units[u] {
				errs.Add(path+".idealBookingPercentage.businessUnit", "sim: unknown business unit %d", u)
				break
			}
			// Tried on the tenant: a unit whose group sets the
			// percentage, or a default no unit uses, studies nothing.
			c, _ := l.change(l.IdealBookingPercentage.Min)
			dd := d
			dd.BusinessUnits = slices.Clone(d.BusinessUnits)
			if err := (&world{}).apply(&dd, c); err != nil {
				field, msg := changeMember(err)
				errs.Add(validate.Join(path, field), "sim: %s", msg)
			}
		case l.ReservePercentage != nil:
			// The change a value makes, tried on the tenant, says what is
			// wrong with the lever's unit or group.
			c, _ := l.change(l.ReservePercentage.Min)
			dd := d
			dd.BusinessUnits = slices.Clone(d.BusinessUnits)
			dd.BusinessUnitGroups = slices.Clone(d.BusinessUnitGroups)
			if err := (&world{}).applyControl(&dd, c); err != nil {
				field, msg := changeMember(err)
				if field == "" {
					field = "businessUnit" // a problem of the lever's unit
				}
				errs.Add(validate.Join(path, field), "sim: %s", msg)
			}
		}
	}
	return errs.Err()
}

// OptimizeMetrics are the figures targets may name and the optimiser
// reports, in the order of [OptimizeRun.Values]: every KPI of a
// simulation ([VariantSummary.KPIs], by key) and lostShare (% of calls
// not booked), emergencyLostShare (% of emergencies lost), overtimePerWeek
// (hours a week) and technicianHours (working hours a week: the cost).
func OptimizeMetrics() []Metric {
	out := make([]Metric, len(optMetrics))
	for i, k := range optMetrics {
		out[i] = Metric{Key: k.key, Name: strings.TrimSpace(k.name), Unit: k.unit}
	}
	return out
}

// Metric names one figure.
type Metric struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Unit string `json:"unit"`
}

var optMetrics = append(slices.Clip(kpis),
	kpi{key: "lostShare", name: "share of calls lost", unit: "%", f: func(r *Run) float64 { return ratio(r.Lost, r.Calls, 100) }, trials: "calls"},
	kpi{key: "overtimePerWeek", name: "overtime per week", unit: "hours", f: func(r *Run) float64 {
		return float64(r.OvertimeSeconds) / 3600 / runWeeks(r)
	}},
	kpi{key: "technicianHours", name: "technician-hours per week", unit: "hours", f: func(r *Run) float64 {
		return float64(r.WorkingSeconds) / 3600 / runWeeks(r)
	}},
	// The trials of the shares (kpi.trials), kept with every run for the
	// exact intervals of the shares' pooled events.
	kpi{key: "emergencyCalls", name: "emergency calls", unit: "calls", f: func(r *Run) float64 { return float64(r.EmergencyCalls) }},
	kpi{key: "emergencyJobs", name: "emergencies reached", unit: "calls", f: func(r *Run) float64 { return float64(r.EmergencyJobs) }},
	kpi{key: "routineJobs", name: "routine jobs", unit: "jobs", f: func(r *Run) float64 { return float64(r.RoutineJobs) }},
)

// runWeeks returns the measured days of run r in weeks: local dates, so
// that a fortnight with a 23- or 25-hour day in it is two weeks, and a
// roster of 40 hours a week reads 40 across a clock change.
func runWeeks(r *Run) float64 { return float64(len(r.Days)) / 7 }

func metricIndex(key string) (int, bool) {
	i := slices.IndexFunc(optMetrics, func(k kpi) bool { return k.key == key })
	return i, i >= 0
}

func metricKeys() []string {
	var out []string
	for _, k := range optMetrics {
		out = append(out, k.key)
	}
	return out
}

// Optimization is the optimiser's answer: every configuration in order of
// cost with what was found about it, the runs behind it, and the best.
// A partial result (a shard's, or one that needs another round) has
// Complete false.
type Optimization struct {
	Spec     OptimizeSpec `json:"spec"`
	Shard    string       `json:"shard,omitempty"`
	Complete bool         `json:"complete"`
	Warnings []string     `json:"warnings"`
	// Under describes Spec.Changes, applied to every configuration, in
	// the tenant's names.
	Under []string `json:"under,omitempty"`
	// RosterCost is the cost of the roster as it is (under Changes), in
	// technician-hours a week over the measured days: what the answer's
	// cost compares with.
	RosterCost float64  `json:"rosterCost"`
	Metrics    []Metric `json:"metrics"`
	// Configurations are every combination of the levers' values, in
	// order of cost (ties in the order the levers enumerate them).
	Configurations []Configuration `json:"configurations"`
	// Best is the cheapest configuration found to meet every target, an
	// index into Configurations, or -1.
	Best int `json:"best"`
	// RunnersUp are the configurations the procedure could not separate
	// from Best: as cheap or cheaper, and neither shown to meet the
	// targets nor shown to miss one within the replication budget.
	RunnersUp []int `json:"runnersUp"`
	// Replications is the number of replications run in all; Level the
	// one-sided level of each test (see [Optimize]).
	Replications int           `json:"replications"`
	Level        float64       `json:"level"`
	Runs         []OptimizeRun `json:"runs"`
}

// Configuration is one combination of lever values.
type Configuration struct {
	Values []int   `json:"values"` // per lever
	Label  string  `json:"label"`
	Cost   float64 `json:"cost"` // technician-hours a week over the measured days
	// Status is feasible (every target met with the confidence asked),
	// infeasible (a target shown missed), undecided (neither, with the
	// most replications allowed) or unexamined.
	Status       string     `json:"status"`
	Replications int        `json:"replications"`
	KPIs         []Estimate `json:"kpis,omitempty"` // per metric, over its replications
	// Differences are a runner-up's paired differences from the best
	// under common random numbers, per metric.
	Differences []Estimate `json:"differences,omitempty"`
	Why         string     `json:"why,omitempty"`
}

// OptimizeRun is one replication of one configuration: its figures, in
// the order of Optimization.Metrics (null where undefined).
type OptimizeRun struct {
	Config      int           `json:"config"`
	Replication int           `json:"replication"`
	Values      []MetricValue `json:"values"`
}

// MetricValue is a figure, NaN when undefined (JSON null).
type MetricValue float64

// MarshalJSON writes null for NaN.
func (v MetricValue) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON reads null as NaN.
func (v *MetricValue) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = MetricValue(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("sim: figure %q is not a number", b)
	}
	*v = MetricValue(f)
	return nil
}

// OptimizeOptions control how the optimiser runs, not what it finds.
type OptimizeOptions struct {
	// Workers run replications in parallel; 0 means one per CPU.
	Workers int
	// Batch is how many configurations a round may examine at once
	// (those after the first undecided one in cost order are speculative:
	// their runs are dropped if an earlier one settles the answer); 0
	// means Workers. Shards of one round must use the same Batch.
	Batch int
	// Shard and Shards run a deterministic share of one round's
	// replications and return a partial result; Prior carries the runs
	// of the rounds before (a merged partial result). Shards 0 or 1 runs
	// every round to the end. A problem with Prior is a *PartError with
	// Part 0.
	Shard, Shards int
	Prior         *Optimization
	// Progress, when set, is called after each round with the
	// configurations settled, their total and the replications run.
	Progress func(settled, total, replications int)
}

// Optimize finds the cheapest configuration of spec's levers, in
// technician-hours a week over the measured days, that meets every target
// with the confidence asked, by simulating spec's scenario under each
// configuration as a variant of the base tenant.
//
// # Procedure
//
// Costs do not depend on chance: they are computed first, and the
// configurations are examined in order of cost (sequential feasibility
// determination). Each is judged at a few looks — First replications,
// then twice as many, up to Max — by one-sided Student-t bounds on the
// mean of every target's per-replication figure: a configuration is
// feasible when every bound clears its target, infeasible when some
// target's opposite bound misses it, and undecided when neither holds at
// Max. The first feasible configuration is the answer; undecided ones as
// cheap or cheaper are its runners-up. Every configuration uses the same
// replication numbers, so every one sees the same calls (common random
// numbers), and a runner-up's paired differences from the answer have
// tight intervals.
//
// # Guarantee
//
// Each test runs at level α′ = (1 − confidence) ÷ (configurations ×
// targets × looks), a Bonferroni split over every test the procedure could
// make. A bound on a share of calls or jobs, or on a count of lost
// calls, also contains the exact bound of the events pooled over the
// replications (as in every report's intervals, see [Estimate]): with
// few events the replication means are far from normal. So, as far as
// the replication means are normal or the events few and independent,
// with probability at least the confidence
// every configuration declared feasible meets every target — the answer
// included — and, with the same probability, every configuration declared
// infeasible misses one: nothing cheaper than the answer was wrongly
// discarded, except the runners-up, which are reported.
//
// # Cost
//
// A configuration costs First replications when its figures are far from
// the targets, and up to Max when they are close: about (t·σ/δ)² for a
// figure with per-replication spread σ at distance δ from its target,
// t the one-sided quantile at α′ (about 3.5–4.5 for typical sizes).
// Configurations past the answer in cost order are not simulated. The
// result states the replications used.
//
// Results depend only on the spec and the tenant: not on Workers, Batch
// or sharding.
func Optimize(spec OptimizeSpec, base capacity.Data, opt OptimizeOptions) (*Optimization, error) {
	if base.Schedule == nil {
		return nil, fmt.Errorf("sim: the base tenant has no schedule")
	}
	var errs validate.Errors
	errs.AddErr("", spec.Validate())
	errs.AddErr("", spec.CheckTenant(base))
	if err := errs.Err(); err != nil {
		return nil, err
	}
	o, err := newOptimizer(spec, base, opt)
	if err != nil {
		return nil, err
	}
	if p := opt.Prior; p != nil {
		if err := o.absorb(p); err != nil {
			return nil, &PartError{Part: 0, Err: err}
		}
	}
	shards := max(opt.Shards, 1)
	if opt.Shard < 0 || opt.Shard >= shards {
		return nil, fmt.Errorf("sim: shard %d of %d does not exist", opt.Shard, shards)
	}
	for {
		need := o.decide()
		if opt.Progress != nil {
			opt.Progress(o.settled, len(o.configs), len(o.runs))
		}
		if len(need) == 0 {
			return o.result(true, ""), nil
		}
		if shards > 1 {
			var mine []task
			for i, t := range need {
				if i%shards == opt.Shard {
					mine = append(mine, t)
				}
			}
			if err := o.simulate(mine); err != nil {
				return nil, err
			}
			// The partial result carries the prior rounds' runs too, so
			// that merging one round's shards is enough.
			return o.result(false, fmt.Sprintf("%d/%d", opt.Shard, shards)), nil
		}
		if err := o.simulate(need); err != nil {
			return nil, err
		}
	}
}

// MergeOptimization combines partial results of one spec — the shards
// of a round and the prior rounds they continued — and carries the
// procedure as far as their runs allow: the result is complete when they
// settle the answer, and otherwise a partial result to continue from
// (OptimizeOptions.Prior) with another round of shards. A problem with
// one part is a *PartError.
func MergeOptimization(spec OptimizeSpec, base capacity.Data, parts ...*Optimization) (*Optimization, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("sim: nothing to merge")
	}
	o, err := newOptimizer(spec, base, OptimizeOptions{})
	if err != nil {
		return nil, err
	}
	for i, p := range parts {
		if err := o.absorb(p); err != nil {
			return nil, &PartError{Part: i, Err: err}
		}
	}
	need := o.decide()
	return o.result(len(need) == 0, ""), nil
}

type task struct{ config, rep int }

type optimizer struct {
	spec    OptimizeSpec
	base    capacity.Data
	opt     OptimizeOptions
	levers  [][]int // values per lever
	configs []optConfig
	byKey   map[string]int // config values → index in configs
	runs    map[task][]float64
	order   []OptimizeRun // runs in the order they were made
	looks   []int
	level   float64
	tq      map[int]float64 // one-sided t quantile by replications
	targets []int           // metric index per target
	envel   float64
	warn    []string
	under   []string
	roster  float64
	worlds  map[int]*world // of the configurations still being examined
	settled int
	// decisions
	best    int
	runners []int
	used    map[int]int // replications the decision used, per config
	status  map[int]string
	why     map[int]string
}

type optConfig struct {
	values []int
	label  string
	cost   float64
}

func newOptimizer(spec OptimizeSpec, base capacity.Data, opt OptimizeOptions) (*optimizer, error) {
	if err := checkBase(&base); err != nil {
		return nil, err
	}
	base = inIDOrder(base)
	o := &optimizer{spec: spec, base: base, opt: opt, runs: map[task][]float64{}, looks: spec.looks(), byKey: map[string]int{}, tq: map[int]float64{}}
	for _, t := range spec.Targets {
		i, _ := metricIndex(t.KPI)
		o.targets = append(o.targets, i)
	}
	for _, l := range spec.Levers {
		o.levers = append(o.levers, l.values())
	}
	// Every combination, the first lever varying slowest.
	var combos [][]int
	var rec func(i int, cur []int)
	rec = func(i int, cur []int) {
		if i == len(o.levers) {
			combos = append(combos, slices.Clone(cur))
			return
		}
		for _, v := range o.levers[i] {
			rec(i+1, append(cur, v))
		}
	}
	rec(0, nil)
	// Costs: the working time of each staffing, which only the
	// technicians and shift-hours levers change.
	staffing := map[string]float64{}
	s := spec.Scenario
	var fixed *Variant
	if len(spec.Changes) > 0 {
		fixed = &Variant{Name: "changes", Changes: spec.Changes}
	}
	b, err := newWorld(&s, base, fixed)
	if err != nil {
		return nil, err
	}
	n := newNames(base)
	for _, c := range spec.Changes {
		o.under = append(o.under, changeText(c, n))
	}
	o.envel = b.maxRate
	o.roster = b.costPerWeek(spec.onCallCost())
	o.warn = b.checkWorld(b.eng)
	for _, vals := range combos {
		var key strings.Builder
		for i, l := range spec.Levers {
			if l.Technicians != nil || l.ShiftHours != nil {
				fmt.Fprintf(&key, "%d,", vals[i])
			}
		}
		changes := spec.changes(vals, true)
		cost, ok := staffing[key.String()]
		if !ok {
			w := b
			if len(changes) > len(spec.Changes) {
				if w, err = newWorld(&s, base, &Variant{Name: "cost", Changes: changes}); err != nil {
					return nil, err
				}
			}
			cost = w.costPerWeek(spec.onCallCost())
			staffing[key.String()] = cost
		}
		o.configs = append(o.configs, optConfig{values: vals, label: configLabel(spec.Levers, vals, n), cost: cost})
	}
	slices.SortStableFunc(o.configs, func(a, b optConfig) int { return cmp.Compare(a.cost, b.cost) })
	for i, c := range o.configs {
		o.byKey[fmt.Sprint(c.values)] = i
	}
	alpha := 1 - spec.confidence()
	o.level = alpha / float64(len(o.configs)*len(o.targets)*len(o.looks))
	return o, nil
}

// changes returns the variant changes of the configuration with lever
// values vals: the spec's fixed changes, then the shift-hours levers',
// then the technicians levers' (so that a lever's added technicians work
// the hours it says, and a reduction cuts the shifts as moved), then, unless
// staffOnly, the percentage levers'.
func (s OptimizeSpec) changes(vals []int, staffOnly bool) []Change {
	out := slices.Clip(s.Changes)
	for _, pass := range []func(Lever) bool{
		func(l Lever) bool { return l.ShiftHours != nil },
		func(l Lever) bool { return l.Technicians != nil },
		func(l Lever) bool { return !staffOnly && l.ShiftHours == nil && l.Technicians == nil },
	} {
		for i, l := range s.Levers {
			if !pass(l) {
				continue
			}
			if c, ok := l.change(vals[i]); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// costPerWeek is a staffing's cost in technician-hours a week of local
// dates over the measured days: working hours, plus onCall times the
// hours on call outside working time (an hour both on call and working is
// paid once).
func (w *world) costPerWeek(onCall float64) float64 {
	var work, call int64
	for i, t := range w.techs {
		if t.IsActive() {
			work += w.work[i].MeasureIn(w.measure, w.end)
			if onCall > 0 {
				call += w.onCall[t.ID].Difference(w.work[i]).MeasureIn(w.measure, w.end)
			}
		}
	}
	return (float64(work) + onCall*float64(call)) / 3600 / (float64(w.s.Days-w.s.WarmupDays) / 7) // local dates, as runWeeks
}

// onCallCost is OnCallCost, 0 when unset.
func (s OptimizeSpec) onCallCost() float64 {
	if s.OnCallCost == nil {
		return 0
	}
	return *s.OnCallCost
}

// metricsDiff says how the metrics ms differ from this version's: the
// first that differs, by position.
func metricsDiff(ms []Metric) string {
	for i, k := range optMetrics {
		switch {
		case i >= len(ms):
			return fmt.Sprintf("it lacks %s", k.key)
		case ms[i].Key != k.key:
			return fmt.Sprintf("figure %d is %s, not %s", i+1, ms[i].Key, k.key)
		}
	}
	return fmt.Sprintf("it has %s besides", ms[len(optMetrics)].Key)
}

// absorb adds the runs of a partial result of the same spec.
func (o *optimizer) absorb(p *Optimization) error {
	a, _ := json.Marshal(p.Spec)
	b, _ := json.Marshal(o.spec)
	if string(a) != string(b) {
		if p.Spec.Name != o.spec.Name {
			return fmt.Errorf("it is a result of another optimize scenario (%q, not %q)", p.Spec.Name, o.spec.Name)
		}
		return fmt.Errorf("it is a result of another optimize scenario: the name is the same (%q) but other members differ", p.Spec.Name)
	}
	// A run's values are in the order of the metrics of the version that
	// wrote it: another version's (other metrics, or in another order)
	// cannot be read as this one's.
	if !slices.EqualFunc(p.Metrics, optMetrics, func(m Metric, k kpi) bool { return m.Key == k.key }) {
		return fmt.Errorf("it was written by another version of dispatch: its runs carry %d figures, this version's %d (%s); run the study again with this version",
			len(p.Metrics), len(optMetrics), metricsDiff(p.Metrics))
	}
	for _, r := range p.Runs {
		if r.Config < 0 || r.Config >= len(o.configs) || r.Replication < 0 || len(r.Values) != len(optMetrics) {
			return fmt.Errorf("run of configuration %d, replication %d does not fit the study", r.Config, r.Replication)
		}
		vals := make([]float64, len(r.Values))
		for i, v := range r.Values {
			vals[i] = float64(v)
		}
		if err := checkValues(vals); err != nil {
			return fmt.Errorf("run of configuration %d, replication %d: %w", r.Config, r.Replication, err)
		}
		k := task{r.Config, r.Replication}
		if old, ok := o.runs[k]; ok {
			if !slices.EqualFunc(old, vals, func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }) {
				return fmt.Errorf("configuration %d, replication %d differs between parts", r.Config, r.Replication)
			}
			continue
		}
		o.runs[k] = vals
		o.order = append(o.order, r)
	}
	return nil
}

// checkValues checks the figures behind the exact bounds (see
// [kpi.exact]) in a run's values, in the order of optMetrics: a share in
// %, undefined or from 0 to 100 of trials no fewer than 0; a count of lost
// calls not negative.
func checkValues(vals []float64) error {
	for i, k := range optMetrics {
		x := vals[i]
		switch {
		case k.trials != "":
			if t := vals[k.trialsAt()]; t < 0 || math.IsNaN(t) {
				return fmt.Errorf("%s is %v: a count cannot be negative or undefined", k.trials, t)
			}
			if x < 0 || x > 100 {
				return fmt.Errorf("%s is %v, not a share from 0 to 100%%", k.key, x)
			}
		case k.count && (x < 0 || math.IsNaN(x)):
			return fmt.Errorf("%s is %v: a count cannot be negative or undefined", k.key, x)
		}
	}
	return nil
}

// tQuantile is the one-sided quantile of Student's t at the test level
// with n−1 degrees of freedom.
func (o *optimizer) tQuantile(n int) float64 {
	if q, ok := o.tq[n]; ok {
		return q
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - o.level)
	o.tq[n] = q
	return q
}

// judge returns a configuration's verdict from its first n replications:
// +1 feasible, -1 infeasible, 0 not yet, and why.
func (o *optimizer) judge(c, n int) (int, string) {
	verdict := 1
	var why []string
	for ti, m := range o.targets {
		t := o.spec.Targets[ti]
		var xs, ts []float64
		for r := range n {
			if x := o.runs[task{c, r}][m]; !math.IsNaN(x) && !math.IsInf(x, 0) {
				xs = append(xs, x)
				ts = append(ts, o.trials(optMetrics[m], c, r))
			}
		}
		if len(xs) < 2 {
			verdict = min(verdict, 0)
			why = append(why, fmt.Sprintf("%s undefined", t.KPI))
			continue
		}
		mean, sd := meanStdDev(xs)
		hw := o.tQuantile(len(xs)) * sd / math.Sqrt(float64(len(xs)))
		lo, hi := mean-hw, mean+hw
		if elo, ehi, ok := optMetrics[m].exact(xs, ts, o.level); ok {
			// Few events: replication means are far from normal.
			lo, hi = min(lo, elo), max(hi, ehi)
		}
		switch {
		case t.AtMost != nil && lo > *t.AtMost, t.AtLeast != nil && hi < *t.AtLeast:
			bound, rel := *pick(t.AtMost, t.AtLeast), ">"
			if t.AtLeast != nil {
				rel = "<"
			}
			return -1, fmt.Sprintf("%s %s [%s, %s] %s %s", t.KPI, fmtNum(mean), fmtNum(lo), fmtNum(hi), rel, fmtNum(bound))
		case t.AtMost != nil && hi <= *t.AtMost, t.AtLeast != nil && lo >= *t.AtLeast:
		default:
			verdict = min(verdict, 0)
			why = append(why, fmt.Sprintf("%s %s [%s, %s]", t.KPI, fmtNum(mean), fmtNum(lo), fmtNum(hi)))
		}
	}
	return verdict, strings.Join(why, "; ")
}

// trials returns the trials of share k in replication r of
// configuration c, or 0 when k is no share.
func (o *optimizer) trials(k kpi, c, r int) float64 {
	if k.trials == "" {
		return 0
	}
	return o.runs[task{c, r}][k.trialsAt()]
}

// decide runs the procedure over the runs at hand and returns the runs it
// needs next (none when the answer is settled): the next look of the
// first undecided configurations in cost order, up to the batch.
func (o *optimizer) decide() []task {
	o.best, o.runners = -1, nil
	o.used, o.status, o.why = map[int]int{}, map[int]string{}, map[int]string{}
	o.settled = 0
	batch := o.opt.Batch
	if batch <= 0 {
		batch = o.workers()
	}
	var need []task
	pending := 0
	bestCost := math.Inf(1)
	for c := range o.configs {
		if o.configs[c].cost > bestCost {
			break
		}
		verdict, why, n, missing := 0, "", 0, -1
		for _, look := range o.looks {
			if !o.have(c, look) {
				missing = look
				break
			}
			n = look
			if verdict, why = o.judge(c, look); verdict != 0 {
				break
			}
		}
		if verdict == 0 && missing >= 0 {
			// Not settled yet: its next look is needed, and nothing after
			// it is settled until it is.
			pending++
			for r := range missing {
				if _, ok := o.runs[task{c, r}]; !ok {
					need = append(need, task{c, r})
				}
			}
			if pending >= batch {
				break
			}
			continue
		}
		if pending > 0 {
			// Settled, but after an unsettled one: speculative, not part
			// of the answer yet.
			continue
		}
		o.settled++
		o.used[c] = n
		o.why[c] = why
		switch verdict {
		case 1:
			o.status[c] = "feasible"
			if o.best < 0 {
				o.best, bestCost = c, o.configs[c].cost
			} else {
				o.runners = append(o.runners, c)
			}
		case -1:
			o.status[c] = "infeasible"
		default:
			o.status[c] = "undecided"
			o.runners = append(o.runners, c)
		}
	}
	if len(need) == 0 && o.best >= 0 {
		// Runners-up cost no more than the answer.
		o.runners = slices.DeleteFunc(o.runners, func(c int) bool { return o.configs[c].cost > bestCost })
	}
	return need
}

// have reports whether configuration c has replications 0…n−1.
func (o *optimizer) have(c, n int) bool {
	for r := range n {
		if _, ok := o.runs[task{c, r}]; !ok {
			return false
		}
	}
	return true
}

func (o *optimizer) workers() int {
	if o.opt.Workers > 0 {
		return o.opt.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// simulate runs the tasks, in parallel, and records their figures.
func (o *optimizer) simulate(ts []task) error {
	// One world per configuration, kept while it is examined.
	if o.worlds == nil {
		o.worlds = map[int]*world{}
	}
	for c := range o.worlds {
		if _, ok := o.status[c]; ok {
			delete(o.worlds, c) // settled
		}
	}
	worlds := o.worlds
	s := o.spec.Scenario
	for _, t := range ts {
		if _, ok := worlds[t.config]; ok {
			continue
		}
		changes := o.spec.changes(o.configs[t.config].values, false)
		w, err := newWorld(&s, o.base, &Variant{Name: o.configs[t.config].label, Changes: changes})
		if err != nil {
			return err
		}
		w.eng = nil
		w.setEnvelope(o.envel)
		worlds[t.config] = w
	}
	out := make([][]float64, len(ts))
	err := parallel(len(ts), o.workers(), func(k int) error {
		t := ts[k]
		r, err := newRep(worlds[t.config], t.rep, false)
		if err != nil {
			return err
		}
		run := r.run()
		vals := make([]float64, len(optMetrics))
		for i, m := range optMetrics {
			vals[i] = m.f(run)
		}
		out[k] = vals
		return nil
	})
	if err != nil {
		return err
	}
	for k, t := range ts {
		o.runs[t] = out[k]
		r := OptimizeRun{Config: t.config, Replication: t.rep, Values: make([]MetricValue, len(out[k]))}
		for i, v := range out[k] {
			r.Values[i] = MetricValue(v)
		}
		o.order = append(o.order, r)
	}
	return nil
}

// result writes what the procedure found; a complete result keeps only
// the runs its decisions used, so it does not depend on how the work was
// batched or sharded.
func (o *optimizer) result(complete bool, shard string) *Optimization {
	res := &Optimization{Spec: o.spec, Shard: shard, Complete: complete, Warnings: slices.Clip(append([]string{}, o.warn...)),
		Under: o.under, RosterCost: o.roster, Metrics: OptimizeMetrics(), Best: -1, RunnersUp: []int{}, Level: o.level, Runs: []OptimizeRun{}}
	if complete {
		res.Best = o.best
		res.RunnersUp = append(res.RunnersUp, o.runners...)
	}
	for c, cf := range o.configs {
		conf := Configuration{Values: cf.values, Label: cf.label, Cost: cf.cost, Status: "unexamined"}
		if st, ok := o.status[c]; ok && complete {
			conf.Status, conf.Why, conf.Replications = st, o.why[c], o.used[c]
			conf.KPIs = o.estimates(c, o.used[c])
		}
		res.Configurations = append(res.Configurations, conf)
	}
	if complete {
		for _, r := range o.order {
			if r.Replication < o.used[r.Config] {
				res.Runs = append(res.Runs, r)
			}
		}
		slices.SortFunc(res.Runs, func(a, b OptimizeRun) int { return cmp.Or(a.Config-b.Config, a.Replication-b.Replication) })
		res.Replications = len(res.Runs)
		if o.best >= 0 {
			for _, c := range o.runners {
				res.Configurations[c].Differences = o.differences(c, o.best)
			}
		}
	} else {
		res.Runs = slices.Clone(o.order)
		slices.SortFunc(res.Runs, func(a, b OptimizeRun) int { return cmp.Or(a.Config-b.Config, a.Replication-b.Replication) })
		res.Replications = len(res.Runs)
	}
	return res
}

// estimates returns every metric's estimate over configuration c's first
// n replications.
func (o *optimizer) estimates(c, n int) []Estimate {
	var out []Estimate
	for i, m := range optMetrics {
		xs, ts := make([]float64, n), make([]float64, n)
		for r := range n {
			xs[r], ts[r] = o.runs[task{c, r}][i], o.trials(m, c, r)
		}
		out = append(out, levelOf(m, xs, ts))
	}
	return out
}

// differences returns c − best per metric over the replications both have
// (common random numbers), with the intervals of the study's paired
// differences ([differenceOf]).
func (o *optimizer) differences(c, best int) []Estimate {
	n := min(o.used[c], o.used[best])
	var out []Estimate
	for i, m := range optMetrics {
		xv, xb := make([]float64, n), make([]float64, n)
		var tv, tb []float64
		if m.trials != "" {
			tv, tb = make([]float64, n), make([]float64, n)
		}
		for r := range n {
			xv[r], xb[r] = o.runs[task{c, r}][i], o.runs[task{best, r}][i]
			if tv != nil {
				tv[r], tb[r] = o.trials(m, c, r), o.trials(m, best, r)
			}
		}
		out = append(out, differenceOf(m, xv, xb, tv, tb))
	}
	return out
}
