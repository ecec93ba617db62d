package capacity

import (
	"cmp"
	"slices"
	"sync"

	"github.com/opendispatch/dispatch/hours"
)

func sortedUnique(ids []int64) []int64 {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// scratch is a query's working memory, pooled so that steady-state queries
// allocate only their response.
type scratch struct {
	eligible []int32
	ids      []int64 // fitting technicians, then blocking rules, per timeslot
	dates    []int   // index into the timeslots where each date's begin
	windows  []hours.Window
	inR      []bool    // per unit position: in R*
	units    []int32   // the unit positions of R*: every unit when none is requested
	unitSum  []unitSum // what each unit of units adds to a window's sums
	rules    []int32   // positions of the rules that apply to the request
	bags     []*bag    // the appointment spans each applying rule counts, rule after rule
	bagEnd   []int     // where each applying rule's bags end in bags
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// unitSum is what a query reads to add a unit of R* to a window's sums:
// the unit's shards in the window's row of unit totals, and its ideal and
// reserve percentages. Gathered once a query, they spare each window a
// lookup of each in its own table (at 10 technicians the loop over
// windows and units was a fifth of Capacity's own instructions).
type unitSum struct {
	lo, hi         int32
	ideal, reserve int64
}

// eligible appends the columns of the technicians eligible for q: active,
// in R*, with the skills and serving the zip when asked.
func (e *Engine) eligible(dst []int32, q *query, inR []bool) []int32 {
	for _, i32 := range e.active {
		i := int(i32)
		if len(q.units) > 0 {
			if u := e.cols[i].unit; u < 0 || !inR[u] {
				continue
			}
		}
		if q.skills && !e.techs[i].HasSkills(q.jobType.Skills) {
			continue
		}
		if q.zipSet && len(e.techs[i].ZoneIDs) > 0 && !servesAny(e.techs[i].ZoneIDs, q.zoneIDs) {
			continue
		}
		dst = append(dst, int32(i))
	}
	return dst
}

func servesAny(have, want []int64) bool {
	for _, z := range have {
		if slices.Contains(want, z) {
			return true
		}
	}
	return false
}

// anyIn reports whether some unit position of units is marked in inR.
func anyIn(units []int32, inR []bool) bool {
	for _, u := range units {
		if inR[u] {
			return true
		}
	}
	return false
}

// pendingIn returns Σ |a ∩ [s, e)| over the unassigned appointments of
// the units of R* (all when no unit is requested).
func (e *Engine) pendingIn(q *query, s, t int64) int64 {
	if q.rstarPos == nil {
		return e.pendingAll.overlap(s, t)
	}
	var n int64
	for _, u := range q.rstarPos {
		n += e.pending[u].overlap(s, t)
	}
	return n
}

// adjustIn returns A, the seconds of the adjustments that apply to
// timeslot w for a request whose R* is inR, and Σ ideal(adj) × seconds
// over them (DESIGN §4a item 10).
func (e *Engine) adjustIn(w *hours.Window, inR []bool) (sec, ideal int64) {
	s := e.ctl.slots
	k, _ := slices.BinarySearchFunc(s, w, func(a slotAdj, w *hours.Window) int {
		return cmp.Or(cmp.Compare(a.date, w.Date), cmp.Compare(a.start, w.Start), cmp.Compare(a.end, w.End))
	})
	for ; k < len(s) && s[k].date == w.Date && s[k].start == w.Start && s[k].end == w.End; k++ {
		a := &s[k]
		pct := int64(e.defaultIdeal)
		switch {
		case a.unit >= 0:
			if !inR[a.unit] {
				continue
			}
			pct = e.ctl.ideal[a.unit]
		case a.unit < -1:
			continue // an unknown unit
		case a.group != 0:
			gi, ok := e.groupAt(a.group)
			if !ok || !anyIn(e.ctl.groups[gi].units, inR) {
				continue
			}
			if g := &e.ctl.groups[gi]; g.IdealBookingPercentage != 0 {
				pct = int64(g.IdealBookingPercentage)
			}
		}
		sec += a.seconds
		ideal += pct * a.seconds
	}
	return sec, ideal
}

// Capacity answers a capacity request. Bad requests return a
// validate.Errors wrapping [ErrInvalid], each naming its request field.
//
// A full request costs O(days × windows × eligible technicians) with a
// small constant: per technician and window it reads three precomputed
// figures, and per window the sums of each business unit of R*, the
// adjustments of the window (a binary search) and, per capacity rule that
// applies, the overlap of the appointments it counts. Queries share a
// read lock and run in parallel.
func (e *Engine) Capacity(r Request) (*Response, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	q, err := e.checkRequest(r)
	if err != nil {
		return nil, err
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)

	// R*: membership by unit position, and the units whose sums to read.
	nu := len(e.unitList)
	sc.inR = slices.Grow(sc.inR[:0], nu)[:nu]
	sc.units = sc.units[:0]
	if q.rstarPos == nil {
		for u := range nu {
			sc.inR[u] = true
			sc.units = append(sc.units, int32(u))
		}
	} else {
		clear(sc.inR)
		for _, u := range q.rstarPos {
			sc.inR[u] = true
		}
		sc.units = append(sc.units, q.rstarPos...)
	}
	// Without skills or zip the pool is whole units, whose sums are kept
	// per slot; without units either, every active technician is
	// eligible, and inactive ones have zero figures: whole rows are
	// scanned for the fit test and no list is needed.
	unitSums := !q.skills && !q.zipSet
	all := len(q.units) == 0 && unitSums
	if !all {
		sc.eligible = e.eligible(sc.eligible[:0], &q, sc.inR)
	}
	sc.rules, sc.bags, sc.bagEnd = sc.rules[:0], sc.bags[:0], sc.bagEnd[:0]
	if q.jobType != nil {
		for _, ri := range e.ctl.rulesOf[q.jobPos] {
			rl := &e.ctl.rules[ri]
			if len(rl.units) > 0 && len(q.units) > 0 && !anyIn(rl.units, sc.inR) {
				continue // its units are not among the request's
			}
			sc.rules = append(sc.rules, ri)
			for _, j := range rl.jobTypes {
				for _, u := range sc.units {
					if b := &e.ctl.counted[j][u]; len(b.spans) > 0 {
						sc.bags = append(sc.bags, b)
					}
				}
			}
			sc.bagEnd = append(sc.bagEnd, len(sc.bags))
		}
	}
	sc.ids, sc.dates = sc.ids[:0], sc.dates[:0]

	c := &e.cat
	n := len(e.techs)
	ideal, reserve := e.ctl.ideal, e.ctl.reserve
	sc.unitSum = sc.unitSum[:0]
	for _, u := range sc.units {
		sc.unitSum = append(sc.unitSum, unitSum{e.unitShards[u], e.unitShards[u+1], ideal[u], reserve[u]})
	}
	last := hours.DateAt(e.loc, q.to-1)
	// The timeslots go straight into the response's list, sized for the
	// windows of the range (those of a date outside the catalog are
	// counted by computing them): built in scratch, they were copied,
	// pointers and all, a second time.
	bound := 0
	for d := hours.DateAt(e.loc, q.from); d <= last; d++ {
		if di, ok := c.index(d); ok {
			bound += int(c.dayBase[di+1] - c.dayBase[di])
		} else {
			sc.windows = e.sched.WindowsOn(sc.windows[:0], d)
			bound += len(sc.windows)
		}
	}
	slots := make([]Timeslot, 0, bound)
	for d := hours.DateAt(e.loc, q.from); d <= last; d++ {
		// The date's windows: from the catalog with statistics, or computed
		// here when no technician works that date (all figures zero).
		var windows []hours.Window
		base := -1
		if di, ok := c.index(d); ok {
			windows = c.slots[c.dayBase[di]:c.dayBase[di+1]]
			base = int(c.dayBase[di])
		} else {
			sc.windows = e.sched.WindowsOn(sc.windows[:0], d)
			windows = sc.windows
		}
		dateStart := len(slots)
		for k := range windows {
			w := &windows[k]
			if w.Start < q.from || w.End > q.to || !w.AppliesTo(q.rstar) {
				continue
			}
			tot := Totals{Duration: q.duration, Pending: e.pendingIn(&q, w.Start, w.End)}
			var reserveSum int64 // Σ reserve(bu(t)) × capacity(t)
			idStart := len(sc.ids)
			if base >= 0 {
				row := c.stats[(base+k)*c.stride : (base+k)*c.stride+n]
				if unitSums {
					ns := len(e.shardUnit)
					ut := c.units[(base+k)*ns : (base+k+1)*ns]
					for _, us := range sc.unitSum {
						var capU, freeU int64
						for _, x := range ut[us.lo:us.hi] {
							capU += int64(x.cap)
							freeU += int64(x.free)
						}
						tot.Capacity += capU
						tot.Free += freeU
						tot.IdealCapacity += us.ideal * capU
						reserveSum += us.reserve * capU
					}
				}
				if all {
					d := max(q.duration, 1)    // run > 0 and run >= d in one test
					for _, r := range e.runs { // in id order
						part, cols := row[r.lo:r.hi], e.cols[r.lo:r.hi]
						cols = cols[:len(part)]
						for j := range part {
							if int64(part[j].run) >= d {
								sc.ids = append(sc.ids, cols[j].id)
							}
						}
					}
				} else {
					cols := e.cols
					for _, j := range sc.eligible {
						st := row[j]
						if !unitSums {
							u := cols[j].unit
							tot.Capacity += int64(st.cap)
							tot.Free += int64(st.free)
							tot.IdealCapacity += ideal[u] * int64(st.cap)
							reserveSum += reserve[u] * int64(st.cap)
						}
						if st.run > 0 && int64(st.run) >= q.duration {
							sc.ids = append(sc.ids, cols[j].id)
						}
					}
				}
			}
			if !q.priority {
				tot.Reserve = reserveSum / 100
			}
			if len(e.ctl.slots) > 0 {
				tot.Adjustment, tot.AdjustmentIdeal = e.adjustIn(w, sc.inR)
			}
			// The ids stay in scratch, the blocking rules' ids after the
			// technicians'; respond copies both into the response once its
			// size is known.
			idEnd := len(sc.ids)
			b0 := 0
			for i, ri := range sc.rules {
				var used int64
				for _, b := range sc.bags[b0:sc.bagEnd[i]] {
					used += b.overlap(w.Start, w.End)
				}
				b0 = sc.bagEnd[i]
				rl := &e.ctl.rules[ri]
				if (used+q.duration)*100 > int64(rl.MaxPercentage)*max(0, tot.Capacity+tot.Adjustment) {
					sc.ids = append(sc.ids, rl.ID)
				}
			}
			if len(sc.ids) > idEnd {
				tot.Blocking = sc.ids[idEnd:len(sc.ids):len(sc.ids)]
			}
			slots = append(slots, tot.Timeslot(e.at(w.Start), e.at(w.End), sc.ids[idStart:idEnd:idEnd]))
		}
		if len(slots) > dateStart {
			sc.dates = append(sc.dates, dateStart)
		}
	}
	return e.respond(&q, sc, slots), nil
}

// cmpTimeslot orders timeslots by start, then end.
func cmpTimeslot(a, b *Timeslot) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return a.End.Compare(b.End)
}

// timeslotsSorted reports whether day is in cmpTimeslot's order.
func timeslotsSorted(day []Timeslot) bool {
	for i := 1; i < len(day); i++ {
		if cmpTimeslot(&day[i-1], &day[i]) > 0 {
			return false
		}
	}
	return true
}

// respond makes the response of slots, whose ids lie in the scratch: they
// are copied to a list of their own (two allocations, whatever its size,
// besides the Response itself).
func (e *Engine) respond(q *query, sc *scratch, slots []Timeslot) *Response {
	resp := &Response{StartsOnOrAfter: e.at(q.from), EndsOnOrBefore: e.at(q.to), Zone: e.loc}
	resp.Availabilities = make([]Availability, len(sc.dates))
	ids := make([]int64, len(sc.ids))
	copy(ids, sc.ids)
	off := 0
	for i := range slots {
		// Each timeslot's technician ids, then its blocking rules' ids.
		ts := &slots[i]
		k := len(ts.TechnicianIDs)
		ts.TechnicianIDs = ids[off : off+k : off+k]
		off += k
		if k := len(ts.UnavailableBecause.CapacityRules); k > 0 {
			ts.UnavailableBecause.CapacityRules = ids[off : off+k : off+k]
			off += k
		}
	}
	for i, start := range sc.dates {
		end := len(slots)
		if i+1 < len(sc.dates) {
			end = sc.dates[i+1]
		}
		day := slots[start:end:end]
		// The windows come in instant order, so the day is sorted already;
		// checked in place, since the sort's comparison takes two
		// Timeslots (144 bytes each) by value: checking the sorted days of
		// a 14-day query (40 timeslots) that way took 7 thousand
		// instructions.
		if !timeslotsSorted(day) {
			slices.SortStableFunc(day, func(a, b Timeslot) int { return cmpTimeslot(&a, &b) })
		}
		resp.Availabilities[i] = Availability{Start: day[0].Start, End: day[len(day)-1].End, Timeslots: day}
	}
	return resp
}
