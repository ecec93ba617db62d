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
	ids      []int64
	slots    []Timeslot
	dates    []int // index into slots where each date's timeslots begin
	windows  []hours.Window
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// eligible appends the columns of the technicians eligible for q.
func (e *Engine) eligible(dst []int32, q *query) []int32 {
	for _, i32 := range e.active {
		i := int(i32)
		if len(q.units) > 0 {
			if _, ok := slices.BinarySearch(q.units, e.techs[i].BusinessUnitID); !ok {
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

// pendingIn returns Σ |a ∩ [s, e)| over the unassigned appointments of the
// requested business units (all when none are requested).
func (e *Engine) pendingIn(units []int64, s, t int64) int64 {
	if len(units) == 0 {
		return e.pendingAll.overlap(s, t)
	}
	var n int64
	for _, u := range units {
		n += e.pending[u].overlap(s, t)
	}
	return n
}

// Capacity answers a capacity request. Bad requests return a
// validate.Errors wrapping [ErrInvalid], each naming its request field.
//
// A full request costs O(days × windows × eligible technicians) with a
// small constant: per technician and window it reads three precomputed
// figures. Queries share a read lock and run in parallel.
func (e *Engine) Capacity(r Request) (*Response, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	q, err := e.checkRequest(r)
	if err != nil {
		return nil, err
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	// Without filters every active technician is eligible, and inactive
	// ones have zero figures: whole rows are summed, no list is needed.
	all := len(q.units) == 0 && !q.skills && !q.zipSet
	if !all {
		sc.eligible = e.eligible(sc.eligible[:0], &q)
	}
	sc.ids, sc.slots, sc.dates = sc.ids[:0], sc.slots[:0], sc.dates[:0]

	c := &e.cat
	n := len(e.techs)
	last := hours.DateAt(e.loc, q.to-1)
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
		dateStart := len(sc.slots)
		for k := range windows {
			w := &windows[k]
			if w.Start < q.from || w.End > q.to || !w.AppliesTo(q.units) {
				continue
			}
			tot := Totals{Duration: q.duration, Pending: e.pendingIn(q.units, w.Start, w.End)}
			idStart := len(sc.ids)
			if base >= 0 {
				row := c.stats[(base+k)*n : (base+k+1)*n]
				var capSum, freeSum, idealSum int64
				if all {
					// The sums are kept per slot; only the fit test
					// needs the row.
					tot := &c.totals[base+k]
					capSum, freeSum, idealSum = tot.cap, tot.free, tot.ideal
					cols := e.cols[:len(row)]
					d := max(q.duration, 1) // run > 0 and run >= d in one test
					for j := range row {
						if int64(row[j].run) >= d {
							sc.ids = append(sc.ids, cols[j].id)
						}
					}
				} else {
					cols := e.cols
					for _, j := range sc.eligible {
						st := row[j]
						capSum += int64(st.cap)
						freeSum += int64(st.free)
						idealSum += int64(cols[j].ideal) * int64(st.cap)
						if st.run > 0 && int64(st.run) >= q.duration {
							sc.ids = append(sc.ids, cols[j].id)
						}
					}
				}
				tot.Capacity, tot.Free, tot.IdealCapacity = capSum, freeSum, idealSum
			}
			// The ids stay in scratch; respond copies them into the
			// response once its size is known.
			sc.slots = append(sc.slots, tot.Timeslot(w.Start, w.End, sc.ids[idStart:len(sc.ids):len(sc.ids)]))
		}
		if len(sc.slots) > dateStart {
			sc.dates = append(sc.dates, dateStart)
		}
	}
	return e.respond(&q, sc), nil
}

// respond copies the scratch results into a freshly allocated response:
// three allocations, whatever its size, besides the Response itself.
func (e *Engine) respond(q *query, sc *scratch) *Response {
	resp := &Response{StartsOnOrAfter: q.from, EndsOnOrBefore: q.to, Zone: e.loc}
	resp.Availabilities = make([]Availability, len(sc.dates))
	slots := make([]Timeslot, len(sc.slots))
	ids := make([]int64, len(sc.ids))
	copy(ids, sc.ids)
	off := 0
	for i, ts := range sc.slots {
		k := len(ts.TechnicianIDs)
		ts.TechnicianIDs = ids[off : off+k : off+k]
		off += k
		slots[i] = ts
	}
	for i, start := range sc.dates {
		end := len(slots)
		if i+1 < len(sc.dates) {
			end = sc.dates[i+1]
		}
		day := slots[start:end:end]
		slices.SortStableFunc(day, func(a, b Timeslot) int {
			if c := cmp.Compare(a.Start, b.Start); c != 0 {
				return c
			}
			return cmp.Compare(a.End, b.End)
		})
		resp.Availabilities[i] = Availability{Start: day[0].Start, End: day[len(day)-1].End, Timeslots: day}
	}
	return resp
}
