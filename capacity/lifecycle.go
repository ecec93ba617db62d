package capacity

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// The lifecycle of appointments, shifts and technicians: each change
// updates only the technicians and catalog slots whose figures it can
// change, under the write lock, and changes nothing when it returns an
// error. See the package documentation's "Lifecycle" section.

// --- Appointments ---

// Reschedule is an appointment's new time, for
// [Engine.RescheduleAppointment]: [Start, End) and the arrival window
// promised to the customer. Every field is replaced; a zero window means
// none, as in [Appointment]. The zero Reschedule has no span: refused.
type Reschedule struct {
	Start, End                           time.Time
	ArrivalWindowStart, ArrivalWindowEnd time.Time
}

// RescheduleAppointment moves the appointment with the given id to new
// times. The technicians assigned to it stay assigned, and their busy time
// moves with it; so do its pending time when no one is assigned, and its
// count in the capacity rules that name its job type. Only those
// technicians' figures change, in the catalog slots that meet the old or
// the new span.
//
// It returns what is wrong with the assignments at the new time, as
// [Engine.Assign] does (nil when nothing is or no one is assigned). An
// unknown id is [ErrNotFound], a canceled appointment an [ErrConflict],
// bad times [ErrInvalid] at "start", "end", "arrivalWindowStart" or
// "arrivalWindowEnd"; on error nothing changes.
func (e *Engine) RescheduleAppointment(id int64, to Reschedule) ([]Warning, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs validate.Errors
	a := e.appt(id)
	switch {
	case a == nil:
		errs.Add("id", "capacity: unknown appointment %d: %w", id, ErrNotFound)
	case a.canceled:
		errs.Add("id", "capacity: appointment %d is canceled: %w", id, ErrConflict)
	}
	checkTimes(&errs, self, id, to.Start, to.End, to.ArrivalWindowStart, to.ArrivalWindowEnd, true)
	if len(errs) > 0 {
		return nil, errs
	}
	old, p := a.span(), e.posOf(a)
	var buf [1]assignee
	list := e.assigneesIn(a, &buf) // a's assignees do not change
	cols := e.byID(list)
	if len(list) == 0 {
		e.removePending(a)
	}
	e.uncountAppointment(a)
	for _, i := range cols { // out of the busy lists while its span changes
		e.techs[i].appts.remove(e.appts, p)
	}
	a.start, a.end, a.awStart, a.awEnd = unix(to.Start), unix(to.End), unix(to.ArrivalWindowStart), unix(to.ArrivalWindowEnd)
	if len(list) == 0 {
		e.addPending(a)
	}
	e.countAppointment(a)
	for _, i := range cols {
		e.techs[i].appts.add(e.appts, p)
		e.refreshSpans(i, old, a.span(), false)
	}
	var ws []Warning
	for _, i := range cols {
		ws = e.appendWarnings(ws, a, i)
	}
	return ws, nil
}

// CancelAppointment cancels the appointment with the given id: from now
// on it consumes nothing — it is no one's busy time, not pending, not
// counted by capacity rules. Its Assigned records become Unassigned, with
// unassignedOn and modifiedOn stamped by the engine's clock, and are kept
// as history; it returns them, ascending by technician id. The
// appointment stays, with Canceled set, so that [Engine.Data] saves it
// and a reload reproduces the state; it cannot be assigned or
// rescheduled any more (book a new appointment instead).
//
// An unknown id is [ErrNotFound]; canceling a canceled appointment is an
// [ErrConflict], and changes nothing.
func (e *Engine) CancelAppointment(id int64) ([]Assignment, error) {
	now, err := e.stamp()
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.appt(id)
	switch {
	case a == nil:
		return nil, problem("id", "capacity: unknown appointment %d: %w", id, ErrNotFound)
	case a.canceled:
		return nil, problem("id", "capacity: appointment %d is canceled already: %w", id, ErrConflict)
	}
	var buf [1]assignee
	list := e.assigneesIn(a, &buf)
	if len(list) == 0 {
		e.removePending(a)
	}
	e.uncountAppointment(a)
	out := make([]Assignment, 0, len(list))
	var ac actorCopies
	p := e.posOf(a)
	for _, i := range e.byID(list) {
		k, _ := findAssignee(list, int32(i))
		r := &e.ledger[list[k].rec]
		r.unassign(now)
		out = append(out, e.publicRecord(r, &ac))
		e.techs[i].appts.remove(e.appts, p)
		e.refresh(i, a.start, a.end, false)
	}
	e.setAssignees(a, nil)
	a.canceled = true
	return out, nil
}

// byID returns the columns of list ascending by technician id.
func (e *Engine) byID(list []assignee) []int {
	out := make([]int, len(list))
	for k, x := range list {
		out[k] = int(x.col)
	}
	slices.SortFunc(out, func(i, j int) int { return cmp.Compare(e.cols[i].id, e.cols[j].id) })
	return out
}

// refreshSpans refreshes technician i after a change confined to the
// spans p and q: once over both when they meet or touch, else once each.
func (e *Engine) refreshSpans(i int, p, q interval.Span, work bool) {
	if p.Start <= q.End && q.Start <= p.End {
		e.refresh(i, min(p.Start, q.Start), max(p.End, q.End), work)
		return
	}
	e.refresh(i, p.Start, p.End, work)
	e.refresh(i, q.Start, q.End, work)
}

// --- Shifts ---

// checkInstants reports instants outside the years [hours.CheckInstant]
// accepts, at the given paths.
func checkInstants(errs *validate.Errors, start, end time.Time) {
	for _, x := range []struct {
		path string
		t    time.Time
	}{{"start", start}, {"end", end}} {
		if x.t.IsZero() {
			continue // the shifts package says it is missing
		}
		if err := hours.CheckInstant(x.t); err != nil {
			errs.Add(x.path, "capacity: %v: %w", err, ErrInvalid)
		}
	}
}

// shift returns the stored shift with the given id, or an [ErrNotFound]
// at "id".
func (e *Engine) shift(id int64) (shifts.Shift, error) {
	sh, ok := e.shifts.Get(id)
	if !ok {
		return sh, problem("id", "capacity: unknown shift %d: %w", id, ErrNotFound)
	}
	return sh, nil
}

// UpdateShift replaces the type, title, note, bounds and active flag of
// the shift with the given id by c's (see [shifts.Change]; start from
// [shifts.Shift.Change] to keep some), stamps its ModifiedOn with the
// engine's clock and returns it as stored now. Its technician's working
// and free time are recomputed in the old and new spans, and the figures
// of the slots there; an active Normal shift moved to dates the catalog
// does not cover rebuilds it, as [Engine.CreateShifts] does.
//
// An unknown id is [ErrNotFound]; problems with c wrap
// [shifts.ErrInvalid], as CreateShifts's do, and instants outside the
// years [hours.CheckInstant] accepts are [ErrInvalid]. On error nothing
// changes.
func (e *Engine) UpdateShift(id int64, c shifts.Change) (shifts.Shift, error) {
	if _, err := e.stamp(); err != nil {
		return shifts.Shift{}, err // the store would stamp with it
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs validate.Errors
	old, err := e.shift(id)
	errs.AddErr("", err)
	errs.AddErr("", c.Validate())
	checkInstants(&errs, c.Start, c.End)
	if len(errs) > 0 {
		return shifts.Shift{}, errs
	}
	return e.updateShift(old, c)
}

func (e *Engine) updateShift(old shifts.Shift, c shifts.Change) (shifts.Shift, error) {
	sh, err := e.shifts.Update(old.ID, c)
	if err != nil {
		return shifts.Shift{}, err // checked already
	}
	e.shiftChanged(&old, &sh)
	return sh, nil
}

// DeactivateShift makes the shift with the given id inactive — it gives
// and takes no time — and returns it. Deactivating an inactive shift
// changes nothing. An unknown id is [ErrNotFound].
func (e *Engine) DeactivateShift(id int64) (shifts.Shift, error) { return e.setShiftActive(id, false) }

// ReactivateShift makes the shift with the given id active again and
// returns it. Reactivating an active shift changes nothing. An unknown id
// is [ErrNotFound].
func (e *Engine) ReactivateShift(id int64) (shifts.Shift, error) { return e.setShiftActive(id, true) }

func (e *Engine) setShiftActive(id int64, active bool) (shifts.Shift, error) {
	if _, err := e.stamp(); err != nil {
		return shifts.Shift{}, err // the store would stamp with it
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	sh, err := e.shift(id)
	if err != nil || sh.IsActive() == active {
		return sh, err
	}
	c := sh.Change()
	c.Inactive = !active
	return e.updateShift(sh, c)
}

// DeleteShift deletes the shift with the given id and returns it; its
// technician's capacity is recomputed in its span. An unknown id is
// [ErrNotFound]. The next shift created may take the deleted shift's id
// when it was the largest, as a reload of the saved records would (see
// [shifts.Store]).
func (e *Engine) DeleteShift(id int64) (shifts.Shift, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.shift(id); err != nil {
		return shifts.Shift{}, err
	}
	sh, err := e.shifts.Delete(id)
	if err != nil {
		return shifts.Shift{}, err
	}
	e.shiftChanged(&sh, nil)
	return sh, nil
}

// shiftChanged updates the capacity of the technician of a shift that
// was old (nil when created) and is sh now (nil when deleted).
func (e *Engine) shiftChanged(old, sh *shifts.Shift) {
	if sh != nil && sh.IsActive() && sh.Type == shifts.Normal && e.growTo(sh.Start.Unix(), sh.End.Unix()) {
		return // the rebuild recomputed everyone
	}
	counts := func(s *shifts.Shift) bool { return s != nil && s.IsActive() && s.Type != shifts.OnCall }
	switch {
	case counts(old) && counts(sh):
		e.refreshSpans(e.techIdx[sh.TechnicianID], old.Span(), sh.Span(), true)
	case counts(old):
		sp := old.Span()
		e.refresh(e.techIdx[old.TechnicianID], sp.Start, sp.End, true)
	case counts(sh):
		sp := sh.Span()
		e.refresh(e.techIdx[sh.TechnicianID], sp.Start, sp.End, true)
	}
}

// --- Technicians ---

// hasZone reports whether the tenant has a zone with the given id.
func (e *Engine) hasZone(id int64) bool {
	if e.zones == nil {
		return false
	}
	return e.zones.Has(id) // Zone would copy its codes and cities
}

// checkTechnicianUpdate checks t's values and references for
// AddTechnician and UpdateTechnician.
func (e *Engine) checkTechnicianUpdate(errs *validate.Errors, t Technician) {
	checkTechnician(errs, self, t, e.hasUnit, e.hasZone)
}

// own returns t with its slices and home copied, so that the caller's
// later changes to them do not reach the engine. Technicians come in
// from a caller (New, AddTechnician, UpdateTechnician) and go out to one
// (Technician, Technicians, Data): each side keeps its own lists.
func own(t Technician) Technician {
	var out [1]tech
	ownTechnicians(out[:], []Technician{t})
	return out[0].Technician
}

// ownTechnicians sets dst[i] to a copy of ts[i] that shares no list or
// pointer with it, as own does, but with every technician's skills, zones
// and home in three blocks for all of them: a build copies 10,000
// technicians' lists in three allocations rather than 30,000.
func ownTechnicians(dst []tech, ts []Technician) {
	var nSkills, nZones, nHomes int
	for _, t := range ts {
		nSkills += len(t.Skills)
		nZones += len(t.ZoneIDs)
		if t.Home != nil {
			nHomes++
		}
	}
	skills := make([]string, 0, nSkills)
	zoneIDs := make([]int64, 0, nZones)
	homes := make([]Point, 0, nHomes)
	for i, t := range ts {
		t.Skills, t.ZoneIDs, t.Home = blockCut(&skills, t.Skills), blockCut(&zoneIDs, t.ZoneIDs), blockPtr(&homes, t.Home)
		dst[i] = tech{Technician: t}
	}
}

// ownJobType returns a copy of j that shares no list or pointer with it,
// as own does for a technician.
func ownJobType(j JobType) JobType {
	var out [1]JobType
	ownJobTypes(out[:], []JobType{j})
	return out[0]
}

// ownJobTypes copies js into dst, sharing no list or pointer with js: the
// lists cut from one block of skills, one of unit ids and one of buffers
// (a build of a tenant's job types made three allocations a job type,
// 11,000 instructions of a 10-technician build).
func ownJobTypes(dst, js []JobType) {
	var nSkills, nUnits, nBuffers int
	for _, j := range js {
		nSkills += len(j.Skills)
		nUnits += len(j.BusinessUnitIDs)
		if j.TravelBufferMinutes != nil {
			nBuffers++
		}
	}
	skills := make([]string, 0, nSkills)
	units := make([]int64, 0, nUnits)
	buffers := make([]int, 0, nBuffers)
	for i, j := range js {
		j.Skills, j.BusinessUnitIDs = blockCut(&skills, j.Skills), blockCut(&units, j.BusinessUnitIDs)
		j.TravelBufferMinutes = blockPtr(&buffers, j.TravelBufferMinutes)
		dst[i] = j
	}
}

// blockCut appends s to *block and returns its copy there, capped at its
// length, so that an append to it copies it rather than overwriting the
// next list cut from the block; nil stays nil. A block sized for every
// list beforehand holds them all in one allocation.
func blockCut[T any](block *[]T, s []T) []T {
	if s == nil {
		return nil
	}
	k := len(*block)
	*block = append(*block, s...)
	return (*block)[k:len(*block):len(*block)]
}

// blockPtr appends *p to *block and returns a pointer to its copy there;
// nil stays nil.
func blockPtr[T any](block *[]T, p *T) *T {
	if p == nil {
		return nil
	}
	*block = append(*block, *p)
	return &(*block)[len(*block)-1]
}

// ownAdjustment returns a copy of a that shares no pointer with it.
func ownAdjustment(a Adjustment) Adjustment {
	if a.CreatedBy != nil {
		by := *a.CreatedBy
		a.CreatedBy = &by
	}
	return a
}

// AddTechnician adds technician t, active unless t.Inactive is set (the
// zero value is active, so a technician built field by field is not
// silently without capacity). It starts with no shifts and no
// assignments, so no capacity until [Engine.CreateShifts] gives it some.
//
// The technician takes a new column of the slot figures. Rows keep spare
// columns, so the cost is amortized O(slots) — a search in the id order
// and a zeroed column — and one addition in about n/8 lays the rows out
// again, O(slots × technicians). Technicians added with an id below the
// largest make queries without units, skills or zip walk the columns in
// id order through a permutation.
//
// Its business unit and zones must exist ([ErrInvalid]); an id in use is
// an [ErrConflict]. On error nothing changes.
func (e *Engine) AddTechnician(t Technician) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs validate.Errors
	switch _, exists := e.techIdx[t.ID]; {
	case t.ID <= 0:
		errs.Add("id", "capacity: technician id %d must be positive: %w", t.ID, ErrInvalid)
	case exists:
		errs.Add("id", "capacity: technician %d exists: %w", t.ID, ErrConflict)
	}
	e.checkTechnicianUpdate(&errs, t)
	if len(errs) > 0 {
		return errs
	}
	t = own(t)
	i := e.addColumn(t)
	tt := &e.techs[i]
	tt.work = e.workIn(tt, math.MinInt64, math.MaxInt64).Compact()
	tt.free = tt.work
	if t.IsActive() { // an inactive one keeps its zeroed column, as DeactivateTechnician leaves it
		e.restatSlots(i, 0, len(e.cat.slots))
	}
	return nil
}

// UpdateTechnician replaces the name, skills, business unit, zones and
// home of the technician with t's id by t's. t is the whole record, not a
// patch: a field left zero is set to zero (a Technician{ID, Skills} is
// refused for its missing business unit, and with one would lose its
// name, zones and home), so start from the stored record and change what
// changes:
//
//	t, _ := e.Technician(id)
//	t.Skills = append(t.Skills, "Gas")
//	err := e.UpdateTechnician(t)
//
// t.Inactive is ignored: use
// [Engine.DeactivateTechnician] and [Engine.ReactivateTechnician]. Skills
// and zones are read by queries as they run, so changing them costs
// nothing more; a new business unit moves the technician's figures from
// its old unit's sums to the new one's, O(slots).
//
// An unknown id is [ErrNotFound]; an unknown business unit or zone is
// [ErrInvalid]. On error nothing changes.
func (e *Engine) UpdateTechnician(t Technician) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs validate.Errors
	i, ok := e.techIdx[t.ID]
	if !ok {
		errs.Add("id", "capacity: unknown technician %d: %w", t.ID, ErrNotFound)
	}
	e.checkTechnicianUpdate(&errs, t)
	if len(errs) > 0 {
		return errs
	}
	cur := &e.techs[i]
	t = own(t)
	t.Inactive = cur.Inactive
	unit := e.unitPos(t.BusinessUnitID)
	if unit == e.cols[i].unit {
		cur.Technician = t
		return nil
	}
	e.zeroStats(i) // out of the old unit's sums
	c := &e.cols[i]
	c.unit, c.shard = unit, -1
	shard := e.shardFor(unit) // may renumber other shards, not this one's
	e.cols[i].shard = shard
	cur.Technician = t
	e.restatSlots(i, 0, len(e.cat.slots)) // into the new unit's
	return nil
}

// DeactivateTechnician makes the technician with the given id inactive:
// it is no longer eligible and its figures leave every slot and unit sum,
// O(slots). Its shifts and assignments stay; an appointment it is
// assigned to is still not pending (reassign it if the work must be
// done). Deactivating an inactive technician changes nothing. An unknown
// id is [ErrNotFound].
func (e *Engine) DeactivateTechnician(id int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	i, ok := e.techIdx[id]
	if !ok {
		return problem("id", "capacity: unknown technician %d: %w", id, ErrNotFound)
	}
	t := &e.techs[i]
	if !t.IsActive() {
		return nil
	}
	e.zeroStats(i)
	t.Inactive = true
	k, _ := e.activeAt(id)
	e.active = slices.Delete(e.active, k, k+1)
	return nil
}

// ReactivateTechnician makes the technician with the given id active
// again, its figures recomputed in every slot from its working and free
// time, which the engine kept current: O(slots). Reactivating an active
// technician changes nothing. An unknown id is [ErrNotFound].
func (e *Engine) ReactivateTechnician(id int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	i, ok := e.techIdx[id]
	if !ok {
		return problem("id", "capacity: unknown technician %d: %w", id, ErrNotFound)
	}
	t := &e.techs[i]
	if t.IsActive() {
		return nil
	}
	t.Inactive = false
	k, _ := e.activeAt(id)
	e.active = slices.Insert(e.active, k, int32(i))
	e.restatSlots(i, 0, len(e.cat.slots))
	return nil
}

// activeAt returns where technician id is, or would be, in active.
func (e *Engine) activeAt(id int64) (int, bool) {
	return slices.BinarySearchFunc(e.active, id, func(c int32, id int64) int { return cmp.Compare(e.cols[c].id, id) })
}

// addColumn appends t as a new technician column and returns it: in the
// id index and order, in the active list when active, in a shard of its
// unit, and with a zeroed column of figures, growing the rows when they
// have no spare column.
func (e *Engine) addColumn(t Technician) int {
	i := len(e.techs)
	if i >= e.cat.stride {
		e.restride(i + max(4, i/8))
	}
	e.techs = append(e.techs, tech{Technician: t})
	unit := e.unitPos(t.BusinessUnitID)
	e.cols = append(e.cols, col{id: t.ID, unit: unit, shard: -1})
	e.cols[i].shard = e.shardFor(unit)
	e.techIdx[t.ID] = i
	k, _ := slices.BinarySearchFunc(e.order, t.ID, func(c int32, id int64) int { return cmp.Compare(e.cols[c].id, id) })
	e.order = slices.Insert(e.order, k, int32(i))
	e.runs = columnRuns(e.runs[:0], e.order)
	if t.IsActive() {
		k, _ := e.activeAt(t.ID)
		e.active = slices.Insert(e.active, k, int32(i))
	}
	return i
}

// restride lays the statistics' rows out again with stride columns each.
func (e *Engine) restride(stride int) {
	c := &e.cat
	n := len(e.techs)
	stats := make([]stat, len(c.slots)*stride)
	for k := range c.slots {
		copy(stats[k*stride:k*stride+n], c.stats[k*c.stride:k*c.stride+n])
	}
	c.stats, c.stride = stats, stride
}

// shardFor returns the shard a technician joining unit position u sums
// into: u's last shard, or a new one when that one holds maxShard
// technicians already. -1 for an unknown unit.
func (e *Engine) shardFor(u int32) int32 {
	if u < 0 {
		return -1
	}
	last := e.unitShards[u+1] - 1
	var n int32
	for _, c := range e.cols {
		if c.shard == last {
			n++
		}
	}
	if n < maxShard {
		return last
	}
	return e.insertShard(u)
}

// insertShard adds an empty shard at the end of unit u's and returns it,
// laying out the per-unit sums again and renumbering the shards after it:
// O(slots × shards + technicians).
func (e *Engine) insertShard(u int32) int32 {
	p := e.unitShards[u+1]
	c := &e.cat
	ns := len(e.shardUnit)
	units := make([]unitTotal, len(c.slots)*(ns+1))
	for k := range c.slots {
		row, dst := c.units[k*ns:(k+1)*ns], units[k*(ns+1):(k+1)*(ns+1)]
		copy(dst[:p], row[:p])
		copy(dst[p+1:], row[p:])
	}
	c.units = units
	e.shardUnit = slices.Insert(e.shardUnit, int(p), u)
	for v := u + 1; int(v) < len(e.unitShards); v++ {
		e.unitShards[v]++
	}
	for j := range e.cols {
		if e.cols[j].shard >= p {
			e.cols[j].shard++
		}
	}
	return p
}

// zeroStats sets technician i's figures to zero in every slot and takes
// them out of its shard's sums.
func (e *Engine) zeroStats(i int) {
	c := &e.cat
	ns, shard := len(e.shardUnit), int(e.cols[i].shard)
	for k := range c.slots {
		st := &c.stats[k*c.stride+i]
		if shard >= 0 {
			tot := &c.units[k*ns+shard]
			tot.cap -= st.cap
			tot.free -= st.free
		}
		*st = stat{}
	}
}
