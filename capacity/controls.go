package capacity

import (
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/validate"
)

// The capacity controls of DESIGN §4a: what planners set on top of the
// definition. Their records are here with their checks; the engine's
// state for them is in ctlstate.go.

// BusinessUnitGroup is a set of business units that share one technician
// pool (DESIGN §4a item 8). A unit is in at most one group.
//
// IdealBookingPercentage, 1–200 or 0 when unset, replaces its units' own
// (in JSON an unset one is left out: a 0 written out is refused).
// ReservePercentage, 0–90 or nil when unset, replaces its units' own: a
// group that sets 0 holds nothing back even when a unit of it would.
//
// The zero BusinessUnitGroup has no id and no units: invalid until ID is
// set; its percentages are unset.
type BusinessUnitGroup struct {
	ID                     int64   `json:"id"`
	Name                   string  `json:"name"`
	BusinessUnitIDs        []int64 `json:"businessUnitIds"`
	IdealBookingPercentage int     `json:"idealBookingPercentage,omitempty" validate:"nonzero"`
	ReservePercentage      *int    `json:"reservePercentage,omitempty"`
}

// Percentages returns the ideal booking and reserve percentages that
// apply to business unit u (DESIGN §4a): the ideal of g, u's group, when
// it sets one, else u's own, else tenantIdeal (the tenant's, or 100 when
// it sets none); the reserve of g when it sets one, else u's own. g is
// nil when u is in no group; u must not be nil (it is dereferenced: a
// nil u panics). The engine and the simulator both take their
// percentages from it.
func Percentages(u *BusinessUnit, g *BusinessUnitGroup, tenantIdeal int) (ideal, reserve int) {
	ideal, reserve = u.IdealBookingPercentage, u.ReservePercentage
	if g != nil {
		if g.IdealBookingPercentage != 0 {
			ideal = g.IdealBookingPercentage
		}
		if g.ReservePercentage != nil {
			reserve = *g.ReservePercentage
		}
	}
	if ideal == 0 {
		ideal = tenantIdeal
	}
	return ideal, reserve
}

// Adjustment is a planner's manual change to capacity: signed minutes
// added to one window of one local date (DESIGN §4a item 10), for every
// request, or only for requests whose units (after groups) include
// BusinessUnitID or a unit of BusinessUnitGroupID. At most one of the two
// is set; 0 means unset.
//
// An adjustment applies to a timeslot when Date is the timeslot's local
// date and From and To, converted on Date by the rule of DESIGN §3, are
// the timeslot's start and end instants. One that matches no timeslot of
// its date applies nowhere.
//
// The zero Adjustment has no id and an empty window: refused until ID,
// Date, From and To are set. A zero CreatedOn is stamped by the engine's
// clock when the adjustment is added.
type Adjustment struct {
	ID       int64
	Date     hours.Date
	From, To hours.Clock
	// BusinessUnitID or BusinessUnitGroupID scopes the adjustment.
	BusinessUnitID      int64
	BusinessUnitGroupID int64
	// Minutes is added to the window's capacity: positive is planned
	// overbooking, negative is capacity held back.
	Minutes   int
	Reason    string
	CreatedBy *Actor    // optional
	CreatedOn time.Time // the zero time when unknown
}

// Span returns the instants [start, end) of a's window in loc: From and
// To on Date, by the rule of DESIGN §3, in Unix seconds, as the
// [hours.Window] values of [Adjustment.Matches] and
// [hours.Schedule.WindowsOn] hold them (the low-level view; a dispatcher's
// view is Date, From and To).
func (a Adjustment) Span(loc *time.Location) (start, end int64) {
	return hours.Local(loc, a.Date, a.From), hours.Local(loc, a.Date, a.To)
}

// Matches reports whether a's date and bounds are those of timeslot w:
// w's local date is a.Date and a's span in loc is w's. It does not look
// at a's business unit or group, which select the requests a applies to.
func (a Adjustment) Matches(loc *time.Location, w hours.Window) bool {
	if w.Date != a.Date {
		return false
	}
	s, e := a.Span(loc)
	return s == w.Start && e == w.End
}

// FindWindow returns the first candidate timeslot of a's date in s (see
// [hours.Schedule.WindowsOn]) that a matches, and false when there is
// none: then a applies nowhere, which loading reports as a warning and
// [Engine.AddAdjustment] refuses.
func (a Adjustment) FindWindow(s *hours.Schedule) (hours.Window, bool) {
	var buf [8]hours.Window
	for _, w := range s.WindowsOn(buf[:0], a.Date) {
		if a.Matches(s.Location(), w) {
			return w, true
		}
	}
	return hours.Window{}, false
}

// Rule is a capacity rule (DESIGN §4a item 12): the job types it names may
// take at most MaxPercentage (1–100) of a window's capacity. With
// BusinessUnitIDs it applies only to requests whose units (after groups)
// include one of them; a request without units meets every rule.
//
// The zero Rule has no id, no job types and no percentage: invalid until
// ID, JobTypeIDs and MaxPercentage are set.
type Rule struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	JobTypeIDs      []int64 `json:"jobTypeIds"`
	BusinessUnitIDs []int64 `json:"businessUnitIds"`
	MaxPercentage   int     `json:"maxPercentage"`
}

// Limits of the controls' values.
const (
	// MaxReservePercentage is the largest reserve a unit or group may set.
	MaxReservePercentage = 90
	// MaxTravelBufferMinutes is the longest travel buffer: a day.
	MaxTravelBufferMinutes = 24 * 60
	// MaxAdjustmentMinutes bounds an adjustment's minutes either way.
	MaxAdjustmentMinutes = 100_000_000
)

var (
	minDate = hours.DateAt(time.UTC, hours.MinInstant.Unix())
	maxDate = hours.DateAt(time.UTC, hours.MaxInstant.Unix()-1)
)

func checkIdeal(errs *validate.Errors, path string, p int) {
	if !idealOK(p) {
		errs.Add(path, "capacity: ideal booking percentage %d is outside 1–200: %w", p, ErrInvalid)
	}
}

// idealOK reports whether p is an ideal booking percentage: 0 (none) or
// 1–200.
func idealOK(p int) bool { return p == 0 || (p >= 1 && p <= 200) }

// reserveOK reports whether p is a reserve percentage: 0–MaxReservePercentage.
func reserveOK(p int) bool { return p >= 0 && p <= MaxReservePercentage }

func checkReserve(errs *validate.Errors, path string, p int) {
	if !reserveOK(p) {
		errs.Add(path, "capacity: reserve percentage %d is outside 0–%d: %w", p, MaxReservePercentage, ErrInvalid)
	}
}

func checkBuffer(errs *validate.Errors, path string, m int) {
	if m < 0 || m > MaxTravelBufferMinutes {
		errs.Add(path, "capacity: travel buffer of %d minutes is outside 0–%d: %w", m, MaxTravelBufferMinutes, ErrInvalid)
	}
}

// checkList reports unknown and repeated ids of list at path (the list's
// own path: "capacityRules[2].jobTypeIds"); what names the kind of id.
func checkList(errs *validate.Errors, path, what string, list []int64, known func(int64) bool) {
	for k, id := range list {
		p := validate.Index(path, k)
		if !known(id) {
			errs.Add(p, "capacity: unknown %s %d: %w", what, id, ErrInvalid)
			continue
		}
		for j := range k {
			if list[j] == id {
				errs.Add(p, "capacity: %s %d is listed twice (also [%d]): %w", what, id, j, ErrInvalid)
				break
			}
		}
	}
}

// checkGroup checks g's own values and references; path is g's path ("" in
// an update). Membership across groups is checked by the caller.
func checkGroup(errs *validate.Errors, path string, g BusinessUnitGroup, unit func(int64) bool) {
	checkText(errs, validate.Join(path, "name"), g.Name, true)
	checkList(errs, validate.Join(path, "businessUnitIds"), "business unit", g.BusinessUnitIDs, unit)
	checkIdeal(errs, validate.Join(path, "idealBookingPercentage"), g.IdealBookingPercentage)
	if g.ReservePercentage != nil {
		checkReserve(errs, validate.Join(path, "reservePercentage"), *g.ReservePercentage)
	}
}

// checkAdjustment checks a's values and references; path is a's path (""
// in an update).
func checkAdjustment(errs *validate.Errors, path string, a Adjustment, unit, group func(int64) bool) {
	checkText(errs, validate.Join(path, "reason"), a.Reason, false)
	if a.CreatedBy != nil {
		checkText(errs, validate.Join(path, "createdBy.name"), a.CreatedBy.Name, true)
	}
	if a.Date < minDate || a.Date > maxDate {
		errs.Add(validate.Join(path, "date"), "capacity: date %s is outside %s–%s: %w", a.Date, minDate, maxDate, ErrInvalid)
	}
	if a.From < hours.Midnight || a.From >= hours.EndOfDay {
		errs.Add(validate.Join(path, "from"), "capacity: clock %d minutes is outside 00:00–23:59: %w", int(a.From), ErrInvalid)
	}
	if a.To <= a.From || a.To > hours.EndOfDay {
		errs.Add(validate.Join(path, "to"), "capacity: window %s–%s is empty or runs past 24:00: %w", a.From, a.To, ErrInvalid)
	}
	if a.BusinessUnitID != 0 && !unit(a.BusinessUnitID) {
		errs.Add(validate.Join(path, "businessUnitId"), "capacity: unknown business unit %d: %w", a.BusinessUnitID, ErrInvalid)
	}
	if a.BusinessUnitGroupID != 0 && !group(a.BusinessUnitGroupID) {
		errs.Add(validate.Join(path, "businessUnitGroupId"), "capacity: unknown business unit group %d: %w", a.BusinessUnitGroupID, ErrInvalid)
	}
	if a.BusinessUnitID != 0 && a.BusinessUnitGroupID != 0 {
		errs.Add(validate.Join(path, "businessUnitGroupId"), "capacity: the adjustment names both business unit %d and group %d; name one or neither: %w",
			a.BusinessUnitID, a.BusinessUnitGroupID, ErrInvalid)
	}
	if a.Minutes < -MaxAdjustmentMinutes || a.Minutes > MaxAdjustmentMinutes {
		errs.Add(validate.Join(path, "minutes"), "capacity: %d minutes is outside ±%d: %w", a.Minutes, MaxAdjustmentMinutes, ErrInvalid)
	}
}

// checkRule checks r's values and references; path is r's path ("" in an
// update).
func checkRule(errs *validate.Errors, path string, r Rule, unit, jobType func(int64) bool) {
	checkText(errs, validate.Join(path, "name"), r.Name, true)
	if len(r.JobTypeIDs) == 0 {
		errs.Add(validate.Join(path, "jobTypeIds"), "capacity: a capacity rule must name at least one job type: %w", ErrInvalid)
	}
	checkList(errs, validate.Join(path, "jobTypeIds"), "job type", r.JobTypeIDs, jobType)
	checkList(errs, validate.Join(path, "businessUnitIds"), "business unit", r.BusinessUnitIDs, unit)
	if r.MaxPercentage < 1 || r.MaxPercentage > 100 {
		errs.Add(validate.Join(path, "maxPercentage"), "capacity: maximum percentage %d is outside 1–100: %w", r.MaxPercentage, ErrInvalid)
	}
}

// validateControls checks the groups, adjustments and rules of d, given
// the sets of unit and job type ids.
func (d *Data) validateControls(errs *validate.Errors, units, jobTypes idSet) {
	unit, jobType := units.has, jobTypes.has
	groups := ids(errs, "businessUnitGroups", d.BusinessUnitGroups, func(g *BusinessUnitGroup) int64 { return g.ID })
	memberOf := map[int64]int{} // unit → index of the first group listing it
	for i, g := range d.BusinessUnitGroups {
		path := validate.Index("businessUnitGroups", i)
		checkGroup(errs, path, g, unit)
		for k, u := range g.BusinessUnitIDs {
			j, seen := memberOf[u]
			switch {
			case !seen:
				memberOf[u] = i
			case j != i:
				errs.Add(validate.Index(path+".businessUnitIds", k), "capacity: business unit %d is already in group %d (businessUnitGroups[%d]); a unit is in at most one group: %w",
					u, d.BusinessUnitGroups[j].ID, j, ErrInvalid)
			}
		}
	}
	group := groups.has
	ids(errs, "capacityAdjustments", d.CapacityAdjustments, func(a *Adjustment) int64 { return a.ID })
	for i, a := range d.CapacityAdjustments {
		checkAdjustment(errs, validate.Index("capacityAdjustments", i), a, unit, group)
	}
	ids(errs, "capacityRules", d.CapacityRules, func(r *Rule) int64 { return r.ID })
	for i, r := range d.CapacityRules {
		checkRule(errs, validate.Index("capacityRules", i), r, unit, jobType)
	}
}
