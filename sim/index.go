package sim

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
)

// The replication's own capacity index.
//
// A replication owns its book, so it answers the capacity questions of its
// calls itself instead of asking a shared, locked capacity.Engine: the
// answers are the engine's (package capacity's documentation defines
// them, and TestOffersMatchEngine compares every call's with a real
// engine kept in step), but the figures are kept for exactly the requests
// the simulator makes. Per technician and catalog slot it keeps |W ∩ S|
// (fixed, in the world), |F ∩ S| and the longest free run starting in S
// (the replication's); per request class — a job type and the set of
// zones of the customer's zip — the world keeps the eligible technicians
// and every figure that bookings do not change (capacity, its weighting
// by the ideal and reserve percentages, adjustments, pending work). A
// booking restats the few slots of one technician it touches; a call sums
// its eligible technicians' free time slot by slot only until the windows
// it needs are found.

// slotInfo is one candidate timeslot of the catalog.
type slotInfo struct {
	hours.Window
	morning bool  // starts before noon, local time
	window  int32 // index in world.windows, or -1
}

// figures are one technician's figures in one slot, in seconds: |F ∩ S| and
// the longest free run starting in S.
type figures struct {
	free, run int32
}

// class is a routine request the simulator makes: a job type, its units
// after groups, skills, and the zones of the customer's zip.
type class struct {
	jt       *jobTypeInfo
	elig     []int32 // eligible technicians (indexes into world.techs, ascending)
	dur      int64   // d': duration and travel buffer, seconds
	priority bool
	slots    []classSlot // per catalog slot
	rules    []classRule
}

// classSlot is what bookings do not change of one slot for one class.
type classSlot struct {
	applies           bool
	capacity          int64 // Σ |W ∩ S| over the eligible
	idealCap          int64 // Σ ideal(bu) × |W ∩ S|
	reserve           int64 // Rv, 0 for a priority job type
	pending           int64
	adjust, adjustIdl int64
}

// classRule is a capacity rule that applies to a class: it blocks a slot
// when (used + d') × 100 > maxPct × max(0, capacity + A), used summed over
// bags (indexes into the replication's counted time).
type classRule struct {
	maxPct int64
	bags   []int32
}

// controls are the tenant's capacity controls resolved per unit position
// (the units sorted by id).
type controls struct {
	units        []int64 // unit ids, ascending
	ideal        []int64 // ideal(bu) per unit position
	reserve      []int64 // reserve(bu)
	groupOf      []int32 // group position per unit position, or -1
	groups       []capacity.BusinessUnitGroup
	groupUnits   [][]int32
	defaultIdeal int64
	buffer       int
	adjs         [][]slotAdj // per catalog slot
	rules        []capacity.Rule
	// bags are the (job type, unit) pairs whose appointments some rule
	// counts; bagOf[jobType][unit] is the bag's index or -1.
	bagOf [][]int32
	nbags int
}

// slotAdj is an adjustment matching a catalog slot.
type slotAdj struct {
	unit    int32 // unit position, -1 for none, -2 unknown
	group   int64
	seconds int64
}

func (c *controls) unitPos(id int64) int32 {
	i, ok := slices.BinarySearch(c.units, id)
	if !ok {
		return -1
	}
	return int32(i)
}

// newControls resolves d's percentages, as the engine does: a unit's
// group's ideal when set, else its own, else the tenant's, else 100; the
// group's reserve when set, else the unit's.
func newControls(d *capacity.Data) *controls {
	c := &controls{defaultIdeal: int64(d.IdealBookingPercentage), buffer: d.TravelBufferMinutes}
	if c.defaultIdeal == 0 {
		c.defaultIdeal = 100
	}
	units := slices.Clone(d.BusinessUnits)
	slices.SortFunc(units, func(a, b capacity.BusinessUnit) int { return cmp.Compare(a.ID, b.ID) })
	for _, u := range units {
		c.units = append(c.units, u.ID)
	}
	c.groups = slices.Clone(d.BusinessUnitGroups)
	slices.SortFunc(c.groups, func(a, b capacity.BusinessUnitGroup) int { return cmp.Compare(a.ID, b.ID) })
	c.groupOf = make([]int32, len(units))
	for i := range c.groupOf {
		c.groupOf[i] = -1
	}
	for gi, g := range c.groups {
		var pos []int32
		for _, id := range g.BusinessUnitIDs {
			if p := c.unitPos(id); p >= 0 {
				pos = append(pos, p)
			}
		}
		slices.Sort(pos)
		pos = slices.Compact(pos)
		c.groupUnits = append(c.groupUnits, pos)
		for _, p := range pos {
			if c.groupOf[p] < 0 {
				c.groupOf[p] = int32(gi)
			}
		}
	}
	for p := range units {
		var g *capacity.BusinessUnitGroup
		if gi := c.groupOf[p]; gi >= 0 {
			g = &c.groups[gi]
		}
		ideal, reserve := capacity.Percentages(&units[p], g, int(c.defaultIdeal))
		c.ideal = append(c.ideal, int64(ideal))
		c.reserve = append(c.reserve, int64(reserve))
	}
	c.rules = slices.Clone(d.CapacityRules)
	slices.SortFunc(c.rules, func(a, b capacity.Rule) int { return cmp.Compare(a.ID, b.ID) })
	return c
}

// rstar returns R* for units: them and every unit sharing a group with
// one of them, as positions and membership; nil positions and every unit
// a member when units is empty.
func (c *controls) rstar(units []int64) (pos []int32, in []bool) {
	in = make([]bool, len(c.units))
	if len(units) == 0 {
		for i := range in {
			in[i] = true
		}
		return nil, in
	}
	for _, id := range units {
		p := c.unitPos(id)
		if p < 0 {
			continue
		}
		if g := c.groupOf[p]; g >= 0 {
			pos = append(pos, c.groupUnits[g]...)
		} else {
			pos = append(pos, p)
		}
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	for _, p := range pos {
		in[p] = true
	}
	return pos, in
}

// adjustIn returns A and Σ ideal(adj) × seconds over the adjustments of
// catalog slot k that apply to a request whose R* is in.
func (c *controls) adjustIn(k int, in []bool) (sec, ideal int64) {
	for _, a := range c.adjs[k] {
		pct := c.defaultIdeal
		switch {
		case a.unit >= 0:
			if !in[a.unit] {
				continue
			}
			pct = c.ideal[a.unit]
		case a.unit < -1:
			continue
		case a.group != 0:
			gi, ok := slices.BinarySearchFunc(c.groups, a.group, func(g capacity.BusinessUnitGroup, id int64) int { return cmp.Compare(g.ID, id) })
			if !ok || !slices.ContainsFunc(c.groupUnits[gi], func(u int32) bool { return in[u] }) {
				continue
			}
			if g := c.groups[gi]; g.IdealBookingPercentage != 0 {
				pct = int64(g.IdealBookingPercentage)
			}
		}
		sec += a.seconds
		ideal += pct * a.seconds
	}
	return sec, ideal
}

// buildIndex lays out the world's catalog of slots over the simulated
// dates and each technician's figures in them, from the engine's working
// time and the tenant's own book when it is kept, and the request
// classes of the routine calls.
func (w *world) buildIndex(eng *capacity.Engine) {
	loc := w.loc
	lo := hours.DayStart(loc, w.first-1)
	w.lo = lo
	w.catFirst = w.first - 1
	lastDate := hours.DateAt(loc, w.last-1)
	for d := w.catFirst; d <= lastDate+1; d++ {
		w.dayBase = append(w.dayBase, int32(len(w.slots)))
		for _, win := range w.data.Schedule.WindowsOn(nil, d) {
			w.slots = append(w.slots, slotInfo{Window: win, morning: time.Unix(win.Start, 0).In(loc).Hour() < 12, window: -1})
		}
	}
	w.dayBase = append(w.dayBase, int32(len(w.slots)))
	w.ndays = len(w.dayBase) - 1
	for d := range w.ndays + 1 {
		w.dayStarts = append(w.dayStarts, hours.DayStart(loc, w.catFirst+hours.Date(d)))
	}

	// Arrival windows of the measured days, for the per-window figures.
	for _, win := range w.data.Schedule.Windows(w.measure, w.end) {
		if !slices.Contains(w.windows, win.Slot) {
			w.windows = append(w.windows, win.Slot)
		}
	}
	slices.SortFunc(w.windows, func(a, b hours.Slot) int { return cmp.Or(int(a.From-b.From), int(a.To-b.To)) })
	for k := range w.slots {
		w.slots[k].window = int32(w.windowIndex(w.slots[k].Start, w.slots[k].End))
	}

	// The tenant's own book: busy time per technician, pending work, and
	// the appointments that capacity rules count.
	c := newControls(&w.data)
	w.ctl = c
	n := len(w.techs)
	busy := make([][]interval.Span, n)
	var pendingAll []interval.Span
	pendingBy := make([][]interval.Span, len(c.units))
	type counted struct {
		jt   int
		unit int32
		sp   interval.Span
	}
	var book []counted
	techIdx := make(map[int64]int32, n)
	for i, t := range w.techs {
		techIdx[t.ID] = int32(i)
	}
	jtPos := make(map[int64]int, len(w.jobTypes))
	for i, jt := range w.jobTypes {
		jtPos[jt.ID] = i
	}
	if w.s.Tenant.KeepAppointments {
		for _, a := range w.data.Appointments {
			sp := interval.Span{Start: a.Start.Unix(), End: a.End.Unix()}
			_, techs, _ := eng.Appointment(a.ID)
			for _, id := range techs {
				busy[techIdx[id]] = append(busy[techIdx[id]], sp)
			}
			w.keepJobs(a, techs, techIdx, jtPos)
			u := c.unitPos(a.BusinessUnitID)
			if len(techs) == 0 && u >= 0 {
				pendingBy[u] = append(pendingBy[u], sp)
				pendingAll = append(pendingAll, sp)
			}
			if j, ok := jtPos[a.JobTypeID]; ok && u >= 0 {
				book = append(book, counted{j, u, sp})
			}
		}
	}

	// Working and free time, and the static sets of emergencies.
	w.work = make([]interval.Set, n)
	w.free0 = make([]interval.Set, n)
	w.urgent0 = make([]interval.Set, n)
	w.duty = make([]interval.Set, n)
	w.open0 = make([]interval.Set, n)
	w.unitOf = make([]int32, n)
	for i, t := range w.techs {
		w.unitOf[i] = c.unitPos(t.BusinessUnitID)
		work := eng.Working(t.ID, time.Unix(lo, 0), time.Unix(math.MaxInt64/4, 0))
		bz := interval.New(busy[i]...)
		w.work[i] = work
		w.free0[i] = work.Difference(bz)
		w.duty[i] = work.Clip(lo, w.last).Union(w.onCall[t.ID].Clip(lo, w.last))
		w.urgent0[i] = w.duty[i].Difference(bz)
		w.open0[i] = interval.From(lo, w.last).Difference(w.timeOff[t.ID]).Difference(bz)
	}

	// Per slot and technician: |W ∩ S| and the initial figures.
	ns := len(w.slots)
	w.capTS = make([]int32, ns*n)
	w.stats0 = make([]figures, ns*n)
	w.capAll = make([]int64, ns)
	for i, t := range w.techs {
		if !t.IsActive() {
			continue // never eligible; zeros, as the engine keeps them
		}
		for k := range w.slots {
			s := &w.slots[k]
			cp := int32(w.work[i].MeasureIn(s.Start, s.End))
			w.capTS[k*n+i] = cp
			w.capAll[k] += int64(cp)
			w.stats0[k*n+i] = slotStat(w.free0[i], s.Start, s.End)
		}
	}
	w.workDay = make([]int64, n*w.ndays)
	w.freeDay0 = make([]int64, n*w.ndays)
	for i := range w.techs {
		for d := range w.ndays {
			a, b := w.dayStart(d), w.dayStart(d+1)
			w.workDay[d*n+i] = w.work[i].MeasureIn(a, b)
			w.freeDay0[d*n+i] = w.free0[i].MeasureIn(a, b)
		}
	}

	// Adjustments by slot.
	c.adjs = make([][]slotAdj, ns)
	for _, a := range w.data.CapacityAdjustments {
		di := int(a.Date - w.catFirst)
		if di < 0 || di >= w.ndays {
			continue
		}
		s, e := a.Span(loc)
		sa := slotAdj{unit: -1, group: a.BusinessUnitGroupID, seconds: int64(a.Minutes) * 60}
		if a.BusinessUnitID != 0 {
			if sa.unit = c.unitPos(a.BusinessUnitID); sa.unit < 0 {
				sa.unit = -2
			}
		}
		for k := w.dayBase[di]; k < w.dayBase[di+1]; k++ {
			if w.slots[k].Start == s && w.slots[k].End == e {
				c.adjs[k] = append(c.adjs[k], sa)
			}
		}
	}
	_, all := c.rstar(nil)
	w.adjAll = make([]int64, ns)
	for k := range w.slots {
		w.adjAll[k], _ = c.adjustIn(k, all)
	}

	// Pools per unit, for the per-unit window figures.
	w.poolTechs = make([][]int32, len(c.units))
	w.adjUnit = make([][]int64, len(c.units))
	w.techPools = make([][]int32, n)
	for u := range c.units {
		_, in := c.rstar(c.units[u : u+1])
		for i := range w.techs {
			if p := w.unitOf[i]; p >= 0 && in[p] {
				w.poolTechs[u] = append(w.poolTechs[u], int32(i))
				w.techPools[i] = append(w.techPools[i], int32(u))
			}
		}
		w.adjUnit[u] = make([]int64, ns)
		for k := range w.slots {
			w.adjUnit[u][k], _ = c.adjustIn(k, in)
		}
	}

	// Bags: the (job type, unit) pairs some rule counts.
	c.bagOf = make([][]int32, len(w.jobTypes))
	for _, rl := range c.rules {
		for _, id := range rl.JobTypeIDs {
			j, ok := jtPos[id]
			if !ok || c.bagOf[j] != nil {
				continue
			}
			c.bagOf[j] = make([]int32, len(c.units))
			for u := range c.bagOf[j] {
				c.bagOf[j][u] = int32(c.nbags)
				c.nbags++
			}
		}
	}
	w.used0 = make([]int64, c.nbags*ns)
	for _, b := range book {
		if c.bagOf[b.jt] != nil {
			w.count(w.used0, c.bagOf[b.jt][b.unit], b.sp.Start, b.sp.End)
		}
	}

	// Request classes: a job type and the zones of a zip.
	w.classes = map[string][]*class{}
	byKey := map[string]*class{}
	for zip := range w.eligible {
		zs := w.zipZones[zip]
		key := fmtInts(zs)
		if zip == "" {
			key = "-"
		}
		byJT := make([]*class, len(w.jobTypes))
		for ji := range w.jobTypes {
			if w.jtWeight(ji) == 0 {
				continue
			}
			k := key + "/" + strconv.Itoa(ji)
			cl, ok := byKey[k]
			if !ok {
				cl = w.newClass(ji, zip, zs, pendingBy, pendingAll)
				byKey[k] = cl
			}
			byJT[ji] = cl
		}
		w.classes[zip] = byJT
	}
}

func fmtInts(xs []int64) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(x, 10))
	}
	return b.String()
}

// jtWeight is the demand weight of job type ji.
func (w *world) jtWeight(ji int) float64 {
	if ji == 0 {
		return w.jtCum[0]
	}
	return w.jtCum[ji] - w.jtCum[ji-1]
}

// newClass builds the class of job type ji at a zip in zones zs.
func (w *world) newClass(ji int, zip string, zs []int64, pendingBy [][]interval.Span, pendingAll []interval.Span) *class {
	c := w.ctl
	jt := &w.jobTypes[ji]
	buffer := c.buffer
	if jt.TravelBufferMinutes != nil {
		buffer = *jt.TravelBufferMinutes
	}
	cl := &class{jt: jt, dur: int64(jt.DurationMinutes+buffer) * 60, priority: jt.Priority}
	units := slices.Clone(jt.BusinessUnitIDs)
	slices.Sort(units)
	units = slices.Compact(units)
	rpos, in := c.rstar(units)
	var rstar []int64
	for _, p := range rpos {
		rstar = append(rstar, c.units[p])
	}
	for i, t := range w.techs {
		if !t.IsActive() {
			continue
		}
		if len(units) > 0 {
			if u := w.unitOf[i]; u < 0 || !in[u] {
				continue
			}
		}
		if !t.HasSkills(jt.Skills) {
			continue
		}
		if zip != "" && len(t.ZoneIDs) > 0 && !servesAny(t.ZoneIDs, zs) {
			continue
		}
		cl.elig = append(cl.elig, int32(i))
	}
	n := len(w.techs)
	cl.slots = make([]classSlot, len(w.slots))
	var pend []interval.Span
	if len(units) == 0 {
		pend = pendingAll
	} else {
		for _, p := range rpos {
			pend = append(pend, pendingBy[p]...)
		}
	}
	for k := range w.slots {
		s := &w.slots[k]
		cs := &cl.slots[k]
		cs.applies = s.AppliesTo(rstar)
		if !cs.applies {
			continue
		}
		var rv int64
		for _, i := range cl.elig {
			cp := int64(w.capTS[k*n+int(i)])
			u := w.unitOf[i]
			cs.capacity += cp
			cs.idealCap += c.ideal[u] * cp
			rv += c.reserve[u] * cp
		}
		if !cl.priority {
			cs.reserve = rv / 100
		}
		for _, sp := range pend {
			cs.pending += max(0, min(sp.End, s.End)-max(sp.Start, s.Start))
		}
		cs.adjust, cs.adjustIdl = c.adjustIn(k, in)
	}
	// Rules naming the job type whose units meet R* (any rule when no
	// unit is asked for); each counts its job types' appointments in the
	// units of R* (every unit when none is asked for).
	reqUnits := rpos
	if len(units) == 0 {
		reqUnits = make([]int32, len(c.units))
		for i := range reqUnits {
			reqUnits[i] = int32(i)
		}
	}
	for _, rl := range c.rules {
		if !slices.Contains(rl.JobTypeIDs, jt.ID) {
			continue
		}
		if len(rl.BusinessUnitIDs) > 0 && len(units) > 0 {
			meets := false
			for _, id := range rl.BusinessUnitIDs {
				if p := c.unitPos(id); p >= 0 && in[p] {
					meets = true
				}
			}
			if !meets {
				continue
			}
		}
		cr := classRule{maxPct: int64(rl.MaxPercentage)}
		seen := map[int]bool{}
		for _, id := range rl.JobTypeIDs {
			j := slices.IndexFunc(w.jobTypes, func(x jobTypeInfo) bool { return x.ID == id })
			if j < 0 || seen[j] {
				continue
			}
			seen[j] = true
			for _, u := range reqUnits {
				cr.bags = append(cr.bags, c.bagOf[j][u])
			}
		}
		cl.rules = append(cl.rules, cr)
	}
	return cl
}

// slotStat returns the figures of free time f in [s, e).
func slotStat(f interval.Set, s, e int64) figures {
	var st figures
	for i := 0; i < f.Len(); i++ {
		sp := f.At(i)
		if sp.End <= s {
			continue
		}
		if sp.Start >= e {
			break
		}
		st.free += int32(min(sp.End, e) - max(sp.Start, s))
		st.run = max(st.run, int32(min(sp.End-max(sp.Start, s), math.MaxInt32)))
	}
	return st
}

// dayStart is the first instant of catalog date d (an index from
// catFirst), 0 ≤ d ≤ ndays.
func (w *world) dayStart(d int) int64 { return w.dayStarts[d] }

// dateIdx returns the catalog date of instant t as an index from
// catFirst: -1 before the catalog, ndays after it.
func (w *world) dateIdx(t int64) int {
	ds := w.dayStarts
	if t < ds[0] {
		return -1
	}
	lo, hi := 0, len(ds)-1 // ds[lo] <= t; t < ds[hi] unless hi is the end
	if t >= ds[hi] {
		return w.ndays
	}
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if ds[m] <= t {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// dateCache remembers the catalog date of the latest lookup: a
// replication's instants mostly fall on the day it is at.
type dateCache struct {
	from, to int64
	idx      int
}

// dateIdx is world.dateIdx, remembering the date found.
func (c *dateCache) dateIdx(w *world, t int64) int {
	if t >= c.from && t < c.to {
		return c.idx
	}
	d := w.dateIdx(t)
	if d >= 0 && d < w.ndays {
		c.from, c.to, c.idx = w.dayStarts[d], w.dayStarts[d+1], d
	}
	return d
}

// dateOf returns the local date of instant t.
func (c *dateCache) dateOf(w *world, t int64) hours.Date {
	if d := c.dateIdx(w, t); d >= 0 && d < w.ndays {
		return w.catFirst + hours.Date(d)
	}
	return hours.DateAt(w.loc, t)
}

// count adds the overlap of [a, b) with each slot to bag b's time.
func (w *world) count(used []int64, bag int32, a, b int64) {
	ns := len(w.slots)
	for k := w.firstSlotMeeting(w.dateIdx(a)); k < ns && w.slots[k].Start < b; k++ {
		if ov := min(b, w.slots[k].End) - max(a, w.slots[k].Start); ov > 0 {
			used[int(bag)*ns+k] += ov
		}
	}
}

// firstSlotMeeting returns a catalog index from which every slot that
// meets [t, ∞) follows, given t's catalog date d: the first slot of the
// date before (a window may run past midnight).
func (w *world) firstSlotMeeting(d int) int {
	d = min(max(d-1, 0), w.ndays)
	return int(w.dayBase[d])
}

// windowIndex returns the index in w.windows of the window or slot
// [start, end), or -1.
func (w *world) windowIndex(start, end int64) int {
	day := hours.DateAt(w.loc, start)
	for i, s := range w.windows {
		if a, b := s.Span(w.loc, day); a == start && b == end {
			return i
		}
	}
	return -1
}

// keptJob is an appointment of the tenant's own book (kept with
// [TenantSource.KeepAppointments]) that a technician is assigned to: each
// replication carries it out like a booked job — the drive, the time on
// site, overtime — so a kept book shows in utilisation.
type keptJob struct {
	appt      int64 // the appointment's id: its duration's random stream
	tech      int32
	jobType   int32
	zone      int32
	start     int64 // the appointment's start: the planned arrival
	planned   int64 // its length, seconds
	windowEnd int64
	loc       point
	speed     float64
}

// keepJobs records appointment a of the kept book, assigned to techs, as
// jobs to carry out when it starts within the simulated roster, and
// counts it as pending when no technician is assigned.
func (w *world) keepJobs(a capacity.Appointment, techs []int64, techIdx map[int64]int32, jtPos map[int64]int) {
	st, en := a.Start.Unix(), a.End.Unix()
	if st < w.start || st >= w.last || en <= st {
		return
	}
	if len(techs) == 0 {
		w.keptPending++
		return
	}
	zi := 0
	if ids := w.zipZones[a.Zip]; len(ids) > 0 {
		for i, z := range w.zones {
			if slices.Contains(ids, z.id) {
				zi = i
				break
			}
		}
	}
	z := &w.zones[zi]
	we := en
	if !a.ArrivalWindowEnd.IsZero() {
		we = a.ArrivalWindowEnd.Unix()
	}
	for _, id := range techs {
		ti, ok := techIdx[id]
		if !ok || !w.techs[ti].IsActive() {
			w.keptRemoved++ // a variant took the technician off
			continue
		}
		w.kept = append(w.kept, keptJob{appt: a.ID, tech: ti, jobType: int32(jtPos[a.JobTypeID]), zone: int32(zi), start: st, planned: en - st,
			windowEnd: we, loc: z.centre, speed: z.speed})
	}
}
