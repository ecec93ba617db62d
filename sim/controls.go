package sim

import (
	"fmt"
	"slices"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
)

// The capacity controls of design §4a as variant changes: reserves,
// capacity rules, adjustments, travel buffers and business-unit groups.
// Each changes the records the variant's engine is built from; the engine
// does the rest, as it does for the live API.

// applyControl changes d by one capacity-control change. newWorld has
// cloned the slices it changes; records shared with the base (a group's
// units, a job type's buffer) are replaced, never written through.
func (w *world) applyControl(d *capacity.Data, c Change) error {
	unitIdx := func(id int64) int {
		return slices.IndexFunc(d.BusinessUnits, func(u capacity.BusinessUnit) bool { return u.ID == id })
	}
	groupIdx := func(id int64) int {
		return slices.IndexFunc(d.BusinessUnitGroups, func(g capacity.BusinessUnitGroup) bool { return g.ID == id })
	}
	switch {
	case c.ReservePercentage != nil:
		r := c.ReservePercentage
		if r.Group != 0 {
			i := groupIdx(r.Group)
			if i < 0 {
				return fmt.Errorf("reservePercentage.group: unknown business-unit group %d", r.Group)
			}
			p := r.Percentage
			d.BusinessUnitGroups[i].ReservePercentage = &p
			break
		}
		i := unitIdx(r.BusinessUnit)
		if i < 0 {
			return fmt.Errorf("reservePercentage.businessUnit: unknown business unit %d", r.BusinessUnit)
		}
		// A group's reserve, set, replaces its units' own (design §4a): a
		// change to the unit's would change nothing, and a study of it
		// would mislead.
		if g, ok := groupOf(d, r.BusinessUnit, func(g capacity.BusinessUnitGroup) bool { return g.ReservePercentage != nil }); ok {
			return fmt.Errorf("reservePercentage.businessUnit: business unit %d is in group %d (%s), whose reserve of %d%% replaces the unit's: set the group's (\"group\": %d)",
				r.BusinessUnit, g.ID, g.Name, *g.ReservePercentage, g.ID)
		}
		d.BusinessUnits[i].ReservePercentage = r.Percentage
	case c.AddCapacityRule != nil:
		r := c.AddCapacityRule
		if slices.ContainsFunc(d.CapacityRules, func(x capacity.Rule) bool { return x.ID == r.ID }) {
			return fmt.Errorf("addCapacityRule.id: the tenant has a capacity rule %d", r.ID)
		}
		d.CapacityRules = append(d.CapacityRules, capacity.Rule{ID: r.ID, Name: r.Name, JobTypeIDs: slices.Clone(r.JobTypes),
			BusinessUnitIDs: slices.Clone(r.BusinessUnits), MaxPercentage: r.MaxPercentage})
	case c.RemoveCapacityRule != nil:
		id := *c.RemoveCapacityRule
		i := slices.IndexFunc(d.CapacityRules, func(x capacity.Rule) bool { return x.ID == id })
		if i < 0 {
			return fmt.Errorf("removeCapacityRule: unknown capacity rule %d", id)
		}
		d.CapacityRules = slices.Delete(d.CapacityRules, i, i+1)
	case c.AddAdjustments != nil:
		return w.addAdjustments(d, c.AddAdjustments, groupIdx)
	case c.TravelBuffer != nil:
		b := c.TravelBuffer
		if b.JobType == 0 {
			d.TravelBufferMinutes = b.Minutes
			break
		}
		i := slices.IndexFunc(d.JobTypes, func(j capacity.JobType) bool { return j.ID == b.JobType })
		if i < 0 {
			return fmt.Errorf("travelBufferMinutes.jobType: unknown job type %d", b.JobType)
		}
		m := b.Minutes
		d.JobTypes[i].TravelBufferMinutes = &m
	case c.BusinessUnitGroup != nil:
		g := c.BusinessUnitGroup
		for k, u := range g.BusinessUnits {
			for _, other := range d.BusinessUnitGroups {
				if other.ID != g.ID && slices.Contains(other.BusinessUnitIDs, u) {
					return fmt.Errorf("businessUnitGroup.businessUnits[%d]: business unit %d is in group %d; a unit is in at most one group (change or remove that one first)", k, u, other.ID)
				}
			}
		}
		out := capacity.BusinessUnitGroup{ID: g.ID, Name: g.Name, BusinessUnitIDs: slices.Clone(g.BusinessUnits), IdealBookingPercentage: g.IdealBookingPercentage}
		if g.ReservePercentage != nil {
			p := *g.ReservePercentage
			out.ReservePercentage = &p
		}
		if out.Name == "" {
			out.Name = fmt.Sprintf("Group %d", g.ID)
		}
		if i := groupIdx(g.ID); i >= 0 {
			d.BusinessUnitGroups[i] = out
		} else {
			d.BusinessUnitGroups = append(d.BusinessUnitGroups, out)
		}
	case c.RemoveBusinessUnitGroup != nil:
		id := *c.RemoveBusinessUnitGroup
		i := groupIdx(id)
		if i < 0 {
			return fmt.Errorf("removeBusinessUnitGroup: unknown business-unit group %d", id)
		}
		d.BusinessUnitGroups = slices.Delete(d.BusinessUnitGroups, i, i+1)
		// The group's adjustments go with it.
		d.CapacityAdjustments = slices.DeleteFunc(d.CapacityAdjustments, func(a capacity.Adjustment) bool { return a.BusinessUnitGroupID == id })
	}
	return nil
}

// addAdjustments adds a's adjustment on every simulated date (the roster's
// dates, booking tail included) on one of its weekdays that has its
// window. Ids follow the tenant's highest.
func (w *world) addAdjustments(d *capacity.Data, a *AddAdjustments, groupIdx func(int64) int) error {
	if a.Group != 0 && groupIdx(a.Group) < 0 {
		return fmt.Errorf("addAdjustments.group: unknown business-unit group %d", a.Group)
	}
	slot, _ := hours.ParseSlot(hours.TimeSlot{From: a.From, To: a.To}) // Validate checked it
	var days uint8
	for _, name := range a.Weekdays {
		wd, _ := hours.ParseWeekday(name)
		days |= 1 << wd
	}
	if days == 0 {
		days = 0b1111111
	}
	next := int64(0)
	for _, x := range d.CapacityAdjustments {
		next = max(next, x.ID)
	}
	added := 0
	for day := w.first; hours.DayStart(w.loc, day) < w.last; day++ {
		if days&(1<<day.Weekday()) == 0 {
			continue
		}
		next++
		adj := capacity.Adjustment{ID: next, Date: day, From: slot.From, To: slot.To, BusinessUnitID: a.BusinessUnit, BusinessUnitGroupID: a.Group,
			Minutes: a.Minutes, Reason: "what-if"}
		if _, ok := adj.FindWindow(d.Schedule); !ok {
			next--
			continue
		}
		d.CapacityAdjustments = append(d.CapacityAdjustments, adj)
		added++
	}
	if added == 0 {
		return fmt.Errorf("addAdjustments: no simulated date has a window %s–%s", slot.From, slot.To)
	}
	return nil
}

// withGroups returns units and every unit that shares a group with one
// of them, in the order found; empty stays empty (every unit).
func withGroups(units []int64, groups []capacity.BusinessUnitGroup) []int64 {
	out := slices.Clone(units)
	for _, g := range groups {
		if slices.ContainsFunc(g.BusinessUnitIDs, func(u int64) bool { return slices.Contains(units, u) }) {
			for _, u := range g.BusinessUnitIDs {
				if !slices.Contains(out, u) {
					out = append(out, u)
				}
			}
		}
	}
	return out
}

// groupOf returns the first group of d holding unit for which set holds.
func groupOf(d *capacity.Data, unit int64, set func(capacity.BusinessUnitGroup) bool) (capacity.BusinessUnitGroup, bool) {
	for _, g := range d.BusinessUnitGroups {
		if slices.Contains(g.BusinessUnitIDs, unit) && set(g) {
			return g, true
		}
	}
	return capacity.BusinessUnitGroup{}, false
}
