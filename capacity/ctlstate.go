package capacity

import (
	"cmp"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/validate"
)

// ctl is the engine's state of the capacity controls. None of it is per
// technician or per slot: the catalog's per-unit sums serve every control,
// so changing a control touches only the small tables here.
type ctl struct {
	buffer  int     // the tenant's travel buffer, minutes
	groups  []group // ascending by id
	groupOf []int32 // per unit position: its group's position in groups, or -1
	ideal   []int64 // per unit position: ideal(bu), DESIGN §4a item 8
	reserve []int64 // per unit position: reserve(bu), item 11

	adjs  []Adjustment // ascending by id, as stored
	slots []slotAdj    // the same adjustments by (date, start, end, id)

	rules []rule // ascending by id
	// rulesOf holds, per job type position, the positions in rules of the
	// rules naming it, ascending.
	rulesOf [][]int32
	// counted holds, per job type position that some rule names, the
	// spans of its appointments (assigned or not) per unit position; nil
	// for job types no rule names.
	counted [][]bag
}

// group is a business-unit group and the positions of its units.
type group struct {
	BusinessUnitGroup
	units []int32 // ascending
}

// slotAdj is an adjustment as a query reads it: where it matches and what
// it adds.
type slotAdj struct {
	date       hours.Date
	start, end int64
	id         int64
	unit       int32 // unit position when it names a unit, else -1
	group      int64 // group id when it names a group, else 0
	seconds    int64 // minutes × 60
}

func cmpSlotAdj(a, b slotAdj) int {
	return cmp.Or(cmp.Compare(a.date, b.date), cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), cmp.Compare(a.id, b.id))
}

// rule is a capacity rule with its references as positions.
type rule struct {
	Rule
	jobTypes []int32 // job type positions, ascending
	units    []int32 // unit positions, ascending; empty: every request
}

// initControls loads d's controls into the engine, tolerating the bad
// references validation reports.
func (e *Engine) initControls(d *Data) {
	c := &e.ctl
	c.buffer = d.TravelBufferMinutes
	c.ideal = make([]int64, len(e.unitList))
	c.reserve = make([]int64, len(e.unitList))
	c.groupOf = make([]int32, len(e.unitList))
	for _, g := range d.BusinessUnitGroups {
		c.groups = append(c.groups, e.internGroup(g))
	}
	slices.SortFunc(c.groups, func(a, b group) int { return cmp.Compare(a.ID, b.ID) })
	e.resolvePercentages()
	for _, a := range d.CapacityAdjustments {
		c.adjs = append(c.adjs, ownAdjustment(a))
		c.slots = append(c.slots, e.internAdjustment(a))
	}
	slices.SortFunc(c.adjs, func(a, b Adjustment) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(c.slots, cmpSlotAdj)
	for _, r := range d.CapacityRules {
		c.rules = append(c.rules, e.internRule(r))
	}
	slices.SortFunc(c.rules, func(a, b rule) int { return cmp.Compare(a.ID, b.ID) })
	e.indexRules()
}

// controlData copies the controls into d, for saving.
func (e *Engine) controlData(d *Data) {
	c := &e.ctl
	d.TravelBufferMinutes = c.buffer
	for _, g := range c.groups {
		out := g.BusinessUnitGroup
		out.BusinessUnitIDs = slices.Clone(g.BusinessUnitIDs)
		if g.ReservePercentage != nil {
			p := *g.ReservePercentage
			out.ReservePercentage = &p
		}
		d.BusinessUnitGroups = append(d.BusinessUnitGroups, out)
	}
	d.CapacityAdjustments = make([]Adjustment, len(c.adjs))
	for i, a := range c.adjs {
		d.CapacityAdjustments[i] = ownAdjustment(a)
	}
	for _, r := range c.rules {
		out := r.Rule
		out.JobTypeIDs = slices.Clone(r.JobTypeIDs)
		out.BusinessUnitIDs = slices.Clone(r.BusinessUnitIDs)
		d.CapacityRules = append(d.CapacityRules, out)
	}
}

// posTable finds positions by id in a list sorted by id, whose ids lie
// close together (a tenant numbers its units and job types 1, 2, 3…): a
// table indexed by id, against a binary search of a few compares, each
// a branch the processor mispredicts, for every appointment a build
// converts. Its zero value decides nothing.
type posTable struct {
	lo  int64
	pos []int32 // pos[id-lo] is the position of id, or -1; nil when the ids spread far
}

// newPosTable returns the table of the n ascending, distinct ids id(0),
// id(1), …, or the zero table when they spread over more than 4,096 plus
// 64 per id (a table of at most 16 KiB plus 256 bytes an id: ids 101–105,
// 201–205, … numbering job types by trade fit).
func newPosTable(n int, id func(i int) int64) posTable {
	if n == 0 {
		return posTable{}
	}
	lo, hi := id(0), id(n-1)
	if span := uint64(hi) - uint64(lo); span >= 64*uint64(n)+4096 {
		return posTable{}
	}
	t := posTable{lo: lo, pos: make([]int32, hi-lo+1)}
	for k := range t.pos {
		t.pos[k] = -1
	}
	for i := range n {
		t.pos[id(i)-lo] = int32(i)
	}
	return t
}

// at returns the position of id, or -1 for none, and whether the table
// decides: false for the zero table.
func (t *posTable) at(id int64) (int32, bool) {
	if t.pos == nil {
		return -1, false
	}
	if k := uint64(id) - uint64(t.lo); k < uint64(len(t.pos)) {
		return t.pos[k], true
	}
	return -1, true
}

// jobTypePos returns the position of job type id in jobTypeList, or -1.
// Like unitPos it reads the ids in place: a generic search, copying each
// job type it compares, cost a large tenant's build more than the rest of
// converting its appointments.
func (e *Engine) jobTypePos(id int64) int32 {
	if p, ok := e.jobTypeAt.at(id); ok {
		return p
	}
	l := e.jobTypeList
	lo, hi := 0, len(l)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if l[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(l) && l[lo].ID == id {
		return int32(lo)
	}
	return -1
}

// positions returns the positions of the known ids, ascending and
// distinct.
func positions(ids []int64, pos func(int64) int32) []int32 {
	var out []int32
	for _, id := range ids {
		if p := pos(id); p >= 0 {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (e *Engine) internGroup(g BusinessUnitGroup) group {
	g.BusinessUnitIDs = slices.Clone(g.BusinessUnitIDs)
	if g.ReservePercentage != nil {
		p := *g.ReservePercentage
		g.ReservePercentage = &p
	}
	return group{BusinessUnitGroup: g, units: positions(g.BusinessUnitIDs, e.unitPos)}
}

func (e *Engine) internRule(r Rule) rule {
	r.JobTypeIDs = slices.Clone(r.JobTypeIDs)
	r.BusinessUnitIDs = slices.Clone(r.BusinessUnitIDs)
	return rule{Rule: r, jobTypes: positions(r.JobTypeIDs, e.jobTypePos), units: positions(r.BusinessUnitIDs, e.unitPos)}
}

func (e *Engine) internAdjustment(a Adjustment) slotAdj {
	s, t := a.Span(e.loc)
	out := slotAdj{date: a.Date, start: s, end: t, id: a.ID, unit: -1, seconds: int64(a.Minutes) * 60}
	if a.BusinessUnitID != 0 {
		out.unit = e.unitPos(a.BusinessUnitID)
		if out.unit < 0 {
			out.unit = -2 // unknown: applies to no request (validation reports it)
		}
	}
	out.group = a.BusinessUnitGroupID
	return out
}

// resolvePercentages recomputes groupOf and, per unit, ideal(bu) and
// reserve(bu) from the units, the groups and the tenant default.
func (e *Engine) resolvePercentages() {
	c := &e.ctl
	for u := range c.groupOf {
		c.groupOf[u] = -1
	}
	for gi, g := range c.groups {
		for _, u := range g.units {
			if c.groupOf[u] < 0 {
				c.groupOf[u] = int32(gi)
			}
		}
	}
	for u := range e.unitList {
		var g *BusinessUnitGroup
		if gi := c.groupOf[u]; gi >= 0 {
			g = &c.groups[gi].BusinessUnitGroup
		}
		ideal, reserve := Percentages(&e.unitList[u], g, e.defaultIdeal)
		c.ideal[u], c.reserve[u] = int64(ideal), int64(reserve)
	}
}

// indexRules rebuilds rulesOf, and counted for the job types the rules
// name: a job type newly named gets its appointments' spans, one no
// longer named loses them.
func (e *Engine) indexRules() {
	c := &e.ctl
	c.rulesOf = make([][]int32, len(e.jobTypeList))
	for ri, r := range c.rules {
		for _, j := range r.jobTypes {
			c.rulesOf[j] = append(c.rulesOf[j], int32(ri))
		}
	}
	if len(c.counted) != len(e.jobTypeList) {
		c.counted = make([][]bag, len(e.jobTypeList))
	}
	var fresh []int32
	for j := range c.counted {
		switch named := len(c.rulesOf[j]) > 0; {
		case named && c.counted[j] == nil:
			c.counted[j] = make([]bag, len(e.unitList))
			fresh = append(fresh, int32(j))
		case !named:
			c.counted[j] = nil
		}
	}
	if len(fresh) == 0 {
		return
	}
	for i := range e.appts {
		a := &e.appts[i]
		if a.jobType >= 0 && a.unit >= 0 && !a.canceled && slices.Contains(fresh, a.jobType) {
			b := &c.counted[a.jobType][a.unit]
			b.spans = append(b.spans, a.span())
		}
	}
	for _, j := range fresh {
		for u := range c.counted[j] {
			c.counted[j][u].init()
		}
	}
}

// countAppointment adds a live appointment's span to the rules' counts.
func (e *Engine) countAppointment(a *appt) {
	if a.jobType >= 0 && a.unit >= 0 && !a.canceled && e.ctl.counted[a.jobType] != nil {
		e.ctl.counted[a.jobType][a.unit].add(a.span())
	}
}

// uncountAppointment removes a live appointment's span from the rules'
// counts, before it moves or is canceled.
func (e *Engine) uncountAppointment(a *appt) {
	if a.jobType >= 0 && a.unit >= 0 && !a.canceled && e.ctl.counted[a.jobType] != nil {
		e.ctl.counted[a.jobType][a.unit].remove(a.span())
	}
}

// --- Updates ---

func (e *Engine) hasUnit(id int64) bool  { return e.unitPos(id) >= 0 }
func (e *Engine) hasGroup(id int64) bool { _, ok := e.groupAt(id); return ok }
func (e *Engine) hasJobType(id int64) bool {
	return e.jobTypePos(id) >= 0
}

func (e *Engine) groupAt(id int64) (int, bool) {
	return slices.BinarySearchFunc(e.ctl.groups, id, func(g group, id int64) int { return cmp.Compare(g.ID, id) })
}

func (e *Engine) adjustmentAt(id int64) (int, bool) {
	return slices.BinarySearchFunc(e.ctl.adjs, id, func(a Adjustment, id int64) int { return cmp.Compare(a.ID, id) })
}

func (e *Engine) ruleAt(id int64) (int, bool) {
	return slices.BinarySearchFunc(e.ctl.rules, id, func(r rule, id int64) int { return cmp.Compare(r.ID, id) })
}

// BusinessUnitGroups returns the business-unit groups, ascending by id.
func (e *Engine) BusinessUnitGroups() []BusinessUnitGroup {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var d Data
	e.controlData(&d)
	return d.BusinessUnitGroups
}

// Adjustments returns the capacity adjustments, ascending by id.
func (e *Engine) Adjustments() []Adjustment {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]Adjustment, len(e.ctl.adjs))
	for i, a := range e.ctl.adjs {
		out[i] = ownAdjustment(a) // the caller may change CreatedBy
	}
	return out
}

// Rules returns the capacity rules, ascending by id.
func (e *Engine) Rules() []Rule {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var d Data
	e.controlData(&d)
	return d.CapacityRules
}

// checkAdjustmentUpdate checks a for AddAdjustment and ChangeAdjustment:
// its values and references, and that it matches a window of its date.
func (e *Engine) checkAdjustmentUpdate(a Adjustment) error {
	var errs validate.Errors
	if a.ID <= 0 {
		errs.Add("id", "capacity: adjustment id %d must be positive: %w", a.ID, ErrInvalid)
	}
	checkAdjustment(&errs, "", a, e.hasUnit, e.hasGroup)
	if len(errs) == 0 {
		if _, ok := a.FindWindow(e.sched); !ok {
			errs.Add("from", "capacity: no timeslot %s–%s on %s (%s): an adjustment must match a window of its date: %w",
				a.From, a.To, a.Date, a.Date.Weekday(), ErrInvalid)
		}
	}
	return errs.Err()
}

// AddAdjustment adds a capacity adjustment. It must match a timeslot of
// its date (see [Adjustment.FindWindow]); an id in use is an
// [ErrConflict]. A zero CreatedOn is stamped with the engine's clock.
// Only the adjustment's own timeslot changes: the cost is a search in the
// adjustments, whatever the tenant's size.
func (e *Engine) AddAdjustment(a Adjustment) error {
	if a.CreatedOn.IsZero() {
		now, err := e.stamp()
		if err != nil {
			return err
		}
		a.CreatedOn = time.Unix(now, 0)
	}
	a.CreatedOn = e.optAt(unix(a.CreatedOn)) // whole seconds, in the tenant's location
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.checkAdjustmentUpdate(a); err != nil {
		return err
	}
	k, found := e.adjustmentAt(a.ID)
	if found {
		return problem("id", "capacity: adjustment %d exists: %w", a.ID, ErrConflict)
	}
	e.ctl.adjs = slices.Insert(e.ctl.adjs, k, ownAdjustment(a))
	e.insertSlotAdj(a)
	return nil
}

// ChangeAdjustment replaces the adjustment with a's id by a; an unknown id
// is [ErrNotFound]. A zero CreatedOn keeps the one stored.
func (e *Engine) ChangeAdjustment(a Adjustment) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.checkAdjustmentUpdate(a); err != nil {
		return err
	}
	k, found := e.adjustmentAt(a.ID)
	if !found {
		return problem("id", "capacity: unknown adjustment %d: %w", a.ID, ErrNotFound)
	}
	if a.CreatedOn.IsZero() {
		a.CreatedOn = e.ctl.adjs[k].CreatedOn
	} else {
		a.CreatedOn = e.optAt(unix(a.CreatedOn))
	}
	e.removeSlotAdj(e.ctl.adjs[k])
	e.ctl.adjs[k] = ownAdjustment(a)
	e.insertSlotAdj(a)
	return nil
}

// RemoveAdjustment removes the adjustment with the given id and returns
// it; an unknown id is [ErrNotFound].
func (e *Engine) RemoveAdjustment(id int64) (Adjustment, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, found := e.adjustmentAt(id)
	if !found {
		return Adjustment{}, problem("id", "capacity: unknown adjustment %d: %w", id, ErrNotFound)
	}
	a := e.ctl.adjs[k]
	e.ctl.adjs = slices.Delete(e.ctl.adjs, k, k+1)
	e.removeSlotAdj(a)
	return a, nil
}

func (e *Engine) insertSlotAdj(a Adjustment) {
	s := e.internAdjustment(a)
	k, _ := slices.BinarySearchFunc(e.ctl.slots, s, cmpSlotAdj)
	e.ctl.slots = slices.Insert(e.ctl.slots, k, s)
}

func (e *Engine) removeSlotAdj(a Adjustment) {
	s := e.internAdjustment(a)
	if k, ok := slices.BinarySearchFunc(e.ctl.slots, s, cmpSlotAdj); ok {
		e.ctl.slots = slices.Delete(e.ctl.slots, k, k+1)
	}
}

func (e *Engine) checkRuleUpdate(r Rule) error {
	var errs validate.Errors
	if r.ID <= 0 {
		errs.Add("id", "capacity: rule id %d must be positive: %w", r.ID, ErrInvalid)
	}
	checkRule(&errs, "", r, e.hasUnit, e.hasJobType)
	return errs.Err()
}

// AddRule adds a capacity rule; an id in use is an [ErrConflict]. The
// cost is in the rule's job types: the first rule naming a job type
// gathers that job type's appointments.
func (e *Engine) AddRule(r Rule) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.checkRuleUpdate(r); err != nil {
		return err
	}
	k, found := e.ruleAt(r.ID)
	if found {
		return problem("id", "capacity: rule %d exists: %w", r.ID, ErrConflict)
	}
	e.ctl.rules = slices.Insert(e.ctl.rules, k, e.internRule(r))
	e.indexRules()
	return nil
}

// ChangeRule replaces the rule with r's id by r; an unknown id is
// [ErrNotFound].
func (e *Engine) ChangeRule(r Rule) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.checkRuleUpdate(r); err != nil {
		return err
	}
	k, found := e.ruleAt(r.ID)
	if !found {
		return problem("id", "capacity: unknown rule %d: %w", r.ID, ErrNotFound)
	}
	e.ctl.rules[k] = e.internRule(r)
	e.indexRules()
	return nil
}

// RemoveRule removes the rule with the given id and returns it; an
// unknown id is [ErrNotFound].
func (e *Engine) RemoveRule(id int64) (Rule, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, found := e.ruleAt(id)
	if !found {
		return Rule{}, problem("id", "capacity: unknown rule %d: %w", id, ErrNotFound)
	}
	r := e.ctl.rules[k].Rule
	e.ctl.rules = slices.Delete(e.ctl.rules, k, k+1)
	e.indexRules()
	return r, nil
}

// checkGroupUpdate checks g as the new value of the group with its id:
// its values, references, and that none of its units is in another group.
func (e *Engine) checkGroupUpdate(g BusinessUnitGroup) error {
	var errs validate.Errors
	if g.ID <= 0 {
		errs.Add("id", "capacity: group id %d must be positive: %w", g.ID, ErrInvalid)
	}
	checkGroup(&errs, "", g, e.hasUnit)
	for k, u := range g.BusinessUnitIDs {
		if p := e.unitPos(u); p >= 0 {
			if gi := e.ctl.groupOf[p]; gi >= 0 && e.ctl.groups[gi].ID != g.ID {
				errs.Add(validate.Index("businessUnitIds", k), "capacity: business unit %d is already in group %d; a unit is in at most one group: %w",
					u, e.ctl.groups[gi].ID, ErrInvalid)
			}
		}
	}
	return errs.Err()
}

// AddGroup adds a business-unit group; an id in use is an [ErrConflict].
// Its units' pools, percentages and the requests that reach them change;
// no slot figure does, so the cost is in the number of units.
func (e *Engine) AddGroup(g BusinessUnitGroup) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.checkGroupUpdate(g); err != nil {
		return err
	}
	k, found := e.groupAt(g.ID)
	if found {
		return problem("id", "capacity: business unit group %d exists: %w", g.ID, ErrConflict)
	}
	e.ctl.groups = slices.Insert(e.ctl.groups, k, e.internGroup(g))
	e.resolvePercentages()
	return nil
}

// ChangeGroup replaces the group with g's id by g (its units and
// percentages); an unknown id is [ErrNotFound].
func (e *Engine) ChangeGroup(g BusinessUnitGroup) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.checkGroupUpdate(g); err != nil {
		return err
	}
	k, found := e.groupAt(g.ID)
	if !found {
		return problem("id", "capacity: unknown business unit group %d: %w", g.ID, ErrNotFound)
	}
	e.ctl.groups[k] = e.internGroup(g)
	e.resolvePercentages()
	return nil
}

// RemoveGroup removes the group with the given id and returns it; an
// unknown id is [ErrNotFound], and a group that adjustments name is an
// [ErrConflict] (remove or change them first).
func (e *Engine) RemoveGroup(id int64) (BusinessUnitGroup, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, found := e.groupAt(id)
	if !found {
		return BusinessUnitGroup{}, problem("id", "capacity: unknown business unit group %d: %w", id, ErrNotFound)
	}
	var errs validate.Errors
	for _, a := range e.ctl.adjs {
		if a.BusinessUnitGroupID == id {
			errs.Add("id", "capacity: adjustment %d names business unit group %d: %w", a.ID, id, ErrConflict)
		}
	}
	if len(errs) > 0 {
		return BusinessUnitGroup{}, errs
	}
	g := e.ctl.groups[k].BusinessUnitGroup
	e.ctl.groups = slices.Delete(e.ctl.groups, k, k+1)
	e.resolvePercentages()
	return g, nil
}

// SetUnitPercentages sets a business unit's ideal booking percentage
// (1–200, or 0 for unset) and reserve percentage (0–90). An unknown unit
// is [ErrNotFound]. No slot figure changes: queries weigh the per-unit
// sums by the percentages, so the cost is in the number of units.
func (e *Engine) SetUnitPercentages(unitID int64, ideal, reserve int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs validate.Errors
	var u *BusinessUnit
	if p := e.unitPos(unitID); p >= 0 {
		u = &e.unitList[p]
	} else {
		errs.Add("businessUnitId", "capacity: unknown business unit %d: %w", unitID, ErrNotFound)
	}
	checkIdeal(&errs, "idealBookingPercentage", ideal)
	checkReserve(&errs, "reservePercentage", reserve)
	if len(errs) > 0 {
		return errs
	}
	u.IdealBookingPercentage, u.ReservePercentage = ideal, reserve
	e.resolvePercentages()
	return nil
}

// SetGroupPercentages sets a group's ideal booking percentage (1–200, or 0
// for unset) and reserve percentage (0–90, or nil for unset). An unknown
// group is [ErrNotFound].
func (e *Engine) SetGroupPercentages(groupID int64, ideal int, reserve *int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs validate.Errors
	k, found := e.groupAt(groupID)
	if !found {
		errs.Add("businessUnitGroupId", "capacity: unknown business unit group %d: %w", groupID, ErrNotFound)
	}
	checkIdeal(&errs, "idealBookingPercentage", ideal)
	if reserve != nil {
		checkReserve(&errs, "reservePercentage", *reserve)
	}
	if len(errs) > 0 {
		return errs
	}
	g := &e.ctl.groups[k]
	g.IdealBookingPercentage = ideal
	g.ReservePercentage = nil
	if reserve != nil {
		p := *reserve
		g.ReservePercentage = &p
	}
	e.resolvePercentages()
	return nil
}

// problem returns one problem at path as a validate.Errors.
func problem(path, format string, args ...any) error {
	var errs validate.Errors
	errs.Add(path, format, args...)
	return errs
}
