package shifts

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/footprint"
	"github.com/opendispatch/dispatch/internal/base/strtab"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/validate"
)

// byStartID is the store's stable order: start, then id.
func byStartID(a, b stored) int {
	if c := cmp.Compare(a.start, b.start); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// stored is a shift as the store keeps it: 56 bytes, against 88 for a
// Shift, because title and note are positions in a table of distinct
// texts (a tenant repeats a handful of titles across thousands of shifts).
type stored struct {
	id, tech, start, end, modifiedOn int64
	title, note                      int32
	typ                              Type
	active                           bool
}

// given is a shift as NewStore was given it, kept in the store's own list
// until its tables are built: stored's fields, with the title and note not
// interned yet (strings cannot change; the list is the store's).
type given struct {
	id, tech, start, end, modifiedOn int64
	title, note                      string
	typ                              Type
	active                           bool
}

// Store holds shifts. It is safe for concurrent use. Create a Store with
// [NewStore].
type Store struct {
	now func() time.Time
	loc *time.Location // of the times returned

	mu sync.RWMutex
	// tech is built by NewStore: it is all that Set reads, and an engine's
	// build reads nothing else. all, byID and texts — what serves shift
	// reads and changes — are built from given by the first read or change
	// that needs them (tables), under the write lock; built is set once
	// they are, and given is then nil.
	built atomic.Bool
	given []given      // ascending by id, until built
	all   seq[stored]  // sorted by (start, id)
	byID  seq[idStart] // sorted by id
	texts strtab.Table // distinct titles and notes
	tech  map[int64]*techShifts
	// lo and hi are the earliest and latest instant of the shifts given to
	// NewStore (GivenBounds); set there, never changed.
	lo, hi int64
}

// GivenBounds returns the earliest and the latest of the instants the
// shifts given to [NewStore] hold, in Unix seconds: every start and end,
// and every ModifiedOn that is set (as [Unix] converts them, the zero
// time left out). Every one of those instants lies in a range when lo
// and hi do; a caller checks the shifts against the years it supports
// with two comparisons instead of three conversions a shift (an engine's
// build did, a percent of a small tenant's). With no shifts, lo > hi
// (math.MaxInt64 and math.MinInt64). Later changes to the store do not
// move them.
func (s *Store) GivenBounds() (lo, hi int64) { return s.lo, s.hi }

// rlock takes the read lock, the tables built first when they are not.
func (s *Store) rlock() {
	if !s.built.Load() {
		s.mu.Lock()
		s.tables()
		s.mu.Unlock()
	}
	s.mu.RLock()
}

// lock takes the write lock, the tables built when they are not.
func (s *Store) lock() {
	s.mu.Lock()
	s.tables()
}

// tables builds all, byID and texts from given, if not built yet; the
// caller holds the write lock. Each shift goes to its place in start
// order reading the shifts in their order: fetching them in start order,
// from all over a large tenant's list, cost a cache miss each.
func (s *Store) tables() {
	if s.built.Load() {
		return
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	n := len(s.given)
	keys := slices.Grow(sc.keys[:0], n)[:n]
	sc.keys = keys
	byID := make([]idStart, n)
	for i := range s.given {
		g := &s.given[i]
		keys[i] = key{g.start, g.id, int32(i)}
		byID[i] = idStart{g.id, g.start}
	}
	rank := slices.Grow(sc.rank[:0], n)[:n]
	sc.rank = rank
	for k, key := range sortByStart(keys, sc) {
		rank[key.i] = int32(k)
	}
	all := make([]stored, n)
	for i := range s.given {
		all[rank[i]] = s.intern(&s.given[i])
	}
	s.byID, s.all, s.given = seqOf(byID), seqOf(all), nil
	s.built.Store(true)
}

// idStart finds a shift by id: byID holds every shift's id and start,
// ascending by id, and the start leads to the shift in all by binary
// search. 16 bytes a shift, against about 40 for a map.
type idStart struct{ id, start int64 }

// idPos returns where shift id is, or would be, in byID.
func (s *Store) idPos(id int64) pos { return s.byID.lower(func(x *idStart) bool { return x.id < id }) }

// allPos returns where the shift with key st's (start, id) is, or would
// be, in all.
func (s *Store) allPos(st *stored) pos {
	return s.all.lower(func(x *stored) bool { return byStartID(*x, *st) < 0 })
}

// find returns the position of shift id in byID and in all, or false.
func (s *Store) find(id int64) (k, at pos, ok bool) {
	k = s.idPos(id)
	if !s.byID.ok(k) || s.byID.at(k).id != id {
		return k, at, false
	}
	at = s.allPos(&stored{id: id, start: s.byID.at(k).start})
	if !s.all.ok(at) || s.all.at(at).id != id {
		panic("shifts: id index out of step with the shifts") // a bug
	}
	return k, at, true
}

// nextID returns the id the next shift created gets: one more than the
// largest stored. Ids of deleted shifts are not remembered, so that a
// store rebuilt from [Store.All] hands out the same ids as the one it was
// saved from.
func (s *Store) nextID() int64 {
	if last, ok := s.byID.last(); ok {
		return last.id + 1
	}
	return 1
}

func (s *Store) store(sh *Shift) stored {
	g := givenOf(sh)
	return s.intern(&g)
}

func givenOf(sh *Shift) given {
	return given{id: sh.ID, tech: sh.TechnicianID, start: sh.Start.Unix(), end: sh.End.Unix(), modifiedOn: Unix(sh.ModifiedOn),
		title: sh.Title, note: sh.Note, typ: sh.Type, active: sh.IsActive()}
}

// intern returns g as stored, its title and note interned in texts.
func (s *Store) intern(g *given) stored {
	return stored{id: g.id, tech: g.tech, start: g.start, end: g.end, modifiedOn: g.modifiedOn,
		title: s.texts.Add(g.title), note: s.texts.Add(g.note), typ: g.typ, active: g.active}
}

func (s *Store) shift(st *stored) Shift {
	return Shift{ID: st.id, TechnicianID: st.tech, Type: st.typ, Title: s.texts.At(st.title), Note: s.texts.At(st.note),
		Start: time.Unix(st.start, 0).In(s.loc), End: time.Unix(st.end, 0).In(s.loc), Inactive: !st.active, ModifiedOn: TimeIn(st.modifiedOn, s.loc)}
}

// techShifts indexes one technician's active shifts per type, sorted by
// start. Shifts are at most MaxLength long, so every shift meeting [from,
// to) starts in [from−MaxLength, to): a binary search bounds the scan.
type techShifts struct {
	byType [TimeOff + 1][]interval.Span
}

// NewStore returns a store holding the given shifts, whose ids must be
// positive and distinct. The shifts it returns carry their times in loc
// (UTC when nil): the tenant's zone, so that they print as a dispatcher
// reads them. now supplies ModifiedOn for created and updated shifts; it
// is never called by reads, and a nil now is refused by them (see
// [ErrNoClock]). It checks every shift and indexes each technician's
// spans for [Store.Set]; the tables that list, find and change shifts are
// built by the first call that needs them (see the package's Concurrency).
func NewStore(loc *time.Location, now func() time.Time, initial ...Shift) (*Store, error) {
	if loc == nil {
		loc = time.UTC
	}
	s := &Store{now: now, loc: loc, tech: make(map[int64]*techShifts)}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	// Sort small keys, not the shifts themselves: moving 80-byte structs
	// that hold strings is what made loading large tenants slow.
	keys := slices.Grow(sc.keys[:0], len(initial))[:len(initial)]
	sc.keys = keys
	for i := range initial {
		sh := &initial[i]
		if err := sh.Validate(); err != nil {
			return nil, fmt.Errorf("shift %d (index %d): %w", sh.ID, i, err)
		}
		if sh.ID <= 0 {
			return nil, fmt.Errorf("shifts: shift id %d (index %d) is not positive: %w", sh.ID, i, ErrInvalid)
		}
		keys[i] = key{sh.Start.Unix(), sh.ID, int32(i)}
	}
	// Ids must be distinct; new ones count up from the largest, so only
	// the initial ones need checking. A saved store lists them in id
	// order already.
	byIDOrder := func(a, b key) int { return cmp.Compare(a.id, b.id) }
	if !slices.IsSortedFunc(keys, byIDOrder) {
		slices.SortFunc(keys, byIDOrder)
	}
	// The store's own list of the shifts, in id order, from which the
	// tables that serve reads and changes are built when first needed.
	s.given = make([]given, len(keys))
	s.lo, s.hi = math.MaxInt64, math.MinInt64
	for i, k := range keys {
		if i > 0 && k.id == keys[i-1].id {
			return nil, fmt.Errorf("shifts: shift id %d is a duplicate: %w", k.id, ErrInvalid)
		}
		g := &s.given[i]
		*g = givenOf(&initial[k.i])
		// Validate found start before end.
		s.lo, s.hi = min(s.lo, g.start), max(s.hi, g.end)
		if g.modifiedOn != Unset {
			s.lo, s.hi = min(s.lo, g.modifiedOn), max(s.hi, g.modifiedOn)
		}
	}
	// The technicians' lists, walking the shifts in id order: a tenant
	// numbers a technician's shifts together, so each run of one
	// technician's shifts is counted, its lists grown once, then filled.
	// The technicians' indexes and their lists are cut from two blocks
	// sized by a first walk (a list is cut to its length, so that an
	// insert grows it elsewhere), not allocated one by one.
	g := s.given
	runs, active := 0, 0 // runs: at least those with an active shift
	for a := range g {
		if a == 0 || g[a-1].tech != g[a].tech {
			runs++
		}
		if g[a].active {
			active++
		}
	}
	s.tech = make(map[int64]*techShifts, runs)
	block := make([]techShifts, runs)
	spans := make([]interval.Span, active)
	for a := 0; a < len(g); {
		tech := g[a].tech
		b := a
		var n [TimeOff + 1]int
		for ; b < len(g) && g[b].tech == tech; b++ {
			if g[b].active {
				n[g[b].typ]++
			}
		}
		if n != [TimeOff + 1]int{} {
			ts := s.tech[tech]
			if ts == nil {
				ts, block = &block[0], block[1:]
				s.tech[tech] = ts
			}
			for typ, c := range n {
				if l := ts.byType[typ]; len(l) == 0 && c > 0 {
					ts.byType[typ], spans = spans[:0:c], spans[c:]
				} else {
					ts.byType[typ] = slices.Grow(l, c)
				}
			}
			for i := a; i < b; i++ {
				if sh := &g[i]; sh.active {
					ts.byType[sh.typ] = append(ts.byType[sh.typ], interval.Span{Start: sh.start, End: sh.end})
				}
			}
		}
		a = b
	}
	for _, ts := range s.tech {
		for _, l := range ts.byType {
			if !slices.IsSortedFunc(l, cmpSpanStart) {
				slices.SortStableFunc(l, cmpSpanStart)
			}
		}
	}
	return s, nil
}

// key is a shift's start and id, and its index in NewStore's input.
type key struct {
	start, id int64
	i         int32
}

// scratch is NewStore's working memory: the keys, the radix sort's second
// list and counts, and each shift's rank by start (and the technicians
// AppendSpans sorts). It is pooled: allocated
// anew for every store, it was a tenth of the bytes of building a small
// tenant's engine, and each byte allocated costs collector work.
type scratch struct {
	keys, dst []key
	at        []int
	rank      []int32
	techs     []techRef // AppendSpans's
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// sortByStart returns keys, in id order, in (start, id) order, in keys
// or in sc.dst: a stable
// radix sort by start over the starts' range (two passes for the
// fortnight of a large tenant), which took a tenth of the time of a
// comparison sort. A very short list is sorted by comparison.
func sortByStart(keys []key, sc *scratch) []key {
	if len(keys) < 16 {
		slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.id, b.id)) })
		return keys
	}
	lo, hi := keys[0].start, keys[0].start
	for _, k := range keys {
		lo, hi = min(lo, k.start), max(hi, k.start)
	}
	span := uint64(hi) - uint64(lo)
	// Digits of about log2(n) bits, at most 11: few passes, and counts
	// that a short list does not spend its time clearing.
	bits := uint(min(max(bitsLen(len(keys)), 4), 11))
	sc.dst = slices.Grow(sc.dst[:0], len(keys))[:len(keys)]
	sc.at = slices.Grow(sc.at[:0], 1<<bits)[:1<<bits] // not on the stack: a goroutine's first would have to grow
	src, dst, at := keys, sc.dst, sc.at
	mask := uint64(1)<<bits - 1
	for shift := uint(0); shift < 64 && span>>shift != 0; shift += bits {
		clear(at)
		for _, k := range src {
			at[(uint64(k.start)-uint64(lo))>>shift&mask]++
		}
		n := 0
		for d, c := range at {
			at[d], n = n, n+c
		}
		for _, k := range src {
			d := (uint64(k.start) - uint64(lo)) >> shift & mask
			dst[at[d]] = k
			at[d]++
		}
		src, dst = dst, src
	}
	return src
}

// bitsLen returns the bits needed to write n.
func bitsLen(n int) int { return bits.Len(uint(n)) }

func cmpSpanStart(a, b interval.Span) int { return cmp.Compare(a.Start, b.Start) }

// techOf returns technician tech's lists, adding them when new.
func (s *Store) techOf(tech int64) *techShifts {
	ts := s.tech[tech]
	if ts == nil {
		ts = &techShifts{}
		s.tech[tech] = ts
	}
	return ts
}

func cmpStart(a interval.Span, start int64) int { return cmp.Compare(a.Start, start) }

// indexSorted records an active shift in its technician's per-type list
// at its place by start.
func (s *Store) indexSorted(sh *stored) {
	if !sh.active {
		return
	}
	ts := s.techOf(sh.tech)
	l := ts.byType[sh.typ]
	i, _ := slices.BinarySearchFunc(l, sh.start+1, cmpStart) // after those starting at the same instant
	ts.byType[sh.typ] = slices.Insert(l, i, interval.Span{Start: sh.start, End: sh.end})
}

// unindex removes an active shift's span from its technician's per-type
// list (one copy: two shifts may have the same span).
func (s *Store) unindex(sh *stored) {
	ts := s.tech[sh.tech]
	if !sh.active || ts == nil {
		return
	}
	l := ts.byType[sh.typ]
	for i, _ := slices.BinarySearchFunc(l, sh.start, cmpStart); i < len(l) && l[i].Start == sh.start; i++ {
		if l[i].End == sh.end {
			ts.byType[sh.typ] = slices.Delete(l, i, i+1)
			return
		}
	}
	panic("shifts: an active shift missing from its technician's index") // a bug
}

// Create validates req and stores one active shift per technician id, with
// increasing ids and ModifiedOn from the store's clock. It returns the new
// shifts in the order of req.TechnicianIDs.
func (s *Store) Create(req CreateRequest) ([]Shift, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	mod, err := s.stamp()
	if err != nil {
		return nil, err
	}
	s.lock()
	defer s.mu.Unlock()
	out := make([]Shift, len(req.TechnicianIDs))
	for i, tech := range req.TechnicianIDs {
		sh := Shift{ID: s.nextID(), TechnicianID: tech, Type: req.Type, Title: req.Title, Note: req.Note,
			Start: req.Start, End: req.End, ModifiedOn: mod}
		st := s.store(&sh)
		s.insert(st)
		out[i] = s.shift(&st)
	}
	return out, nil
}

// insert adds st to every table; its id is not stored yet.
func (s *Store) insert(st stored) {
	s.all.insert(s.allPos(&st), st)
	s.byID.insert(s.idPos(st.id), idStart{st.id, st.start})
	s.indexSorted(&st)
}

// remove deletes the shift at k in byID and at in all from every table and
// returns it.
func (s *Store) remove(k, at pos) stored {
	st := *s.all.at(at)
	s.unindex(&st)
	s.all.remove(at)
	s.byID.remove(k)
	return st
}

// Get returns the shift with the given id.
func (s *Store) Get(id int64) (Shift, bool) {
	s.rlock()
	defer s.mu.RUnlock()
	_, at, ok := s.find(id)
	if !ok {
		return Shift{}, false
	}
	return s.shift(s.all.at(at)), true
}

// Update replaces the type, title, note, bounds and active flag of the
// shift with the given id by c's, stamps ModifiedOn with the store's
// clock, and returns the shift as stored now. c is checked as
// [CreateRequest.Validate] checks its fields; an unknown id is
// [ErrNotFound]. On error nothing changes. The cost is O(log n) and the
// moves within a chunk of the store's tables.
func (s *Store) Update(id int64, c Change) (Shift, error) {
	if err := c.Validate(); err != nil {
		return Shift{}, err
	}
	mod, err := s.stamp()
	if err != nil {
		return Shift{}, err
	}
	s.lock()
	defer s.mu.Unlock()
	k, at, ok := s.find(id)
	if !ok {
		return Shift{}, notFound(id)
	}
	old := s.all.at(at)
	s.unindex(old)
	sh := Shift{ID: id, TechnicianID: old.tech, Type: c.Type, Title: c.Title, Note: c.Note,
		Start: c.Start, End: c.End, Inactive: c.Inactive, ModifiedOn: mod}
	st := s.store(&sh)
	if st.start == old.start {
		*old = st // its place is the same
	} else {
		s.all.remove(at)
		s.all.insert(s.allPos(&st), st)
	}
	s.byID.at(k).start = st.start
	s.indexSorted(&st)
	return s.shift(&st), nil
}

// ErrNoClock is returned by [Store.Create] and [Store.Update] of a store
// built without a clock: they would have no time to stamp ModifiedOn
// with, and a silent zero (or 1970) is a trap. Their error wraps it too
// when the clock reads a time outside the years [hours.CheckInstant]
// accepts (the zero time included): a shift stamped so could not be
// loaded again.
var ErrNoClock = errors.New("shifts: no clock to stamp the change: give NewStore a clock such as time.Now")

// stamp returns the store's clock, to the second.
func (s *Store) stamp() (time.Time, error) {
	if s.now == nil {
		return time.Time{}, ErrNoClock
	}
	t := s.now()
	if hours.CheckInstant(t) != nil {
		return time.Time{}, fmt.Errorf("shifts: the clock reads %s, outside the years 1900–2199: %w", t.Format(time.RFC3339), ErrNoClock)
	}
	return time.Unix(t.Unix(), 0).In(s.loc), nil
}

// Delete removes the shift with the given id and returns it; an unknown
// id is [ErrNotFound].
func (s *Store) Delete(id int64) (Shift, error) {
	s.lock()
	defer s.mu.Unlock()
	k, at, ok := s.find(id)
	if !ok {
		return Shift{}, notFound(id)
	}
	st := s.remove(k, at)
	return s.shift(&st), nil
}

func notFound(id int64) error {
	var errs validate.Errors
	errs.Add("id", "shifts: unknown shift %d: %w", id, ErrNotFound)
	return errs
}

// ListQuery filters and pages [Store.List]. Zero bounds are absent.
type ListQuery struct {
	StartsOnOrAfter time.Time // keep shifts with Start >= StartsOnOrAfter
	EndsOnOrBefore  time.Time // keep shifts with End <= EndsOnOrBefore
	paging.Query
}

// List returns one page of the shifts that q selects, ordered by start,
// then id.
func (s *Store) List(q ListQuery) (paging.Page[Shift], error) {
	pq, err := q.Query.Normalize()
	if err != nil {
		return paging.Page[Shift]{}, err
	}
	s.rlock()
	defer s.mu.RUnlock()
	var p pos
	if !q.StartsOnOrAfter.IsZero() {
		from := q.StartsOnOrAfter.Unix()
		p = s.all.lower(func(sh *stored) bool { return sh.start < from })
	}
	to, bounded := q.EndsOnOrBefore.Unix(), !q.EndsOnOrBefore.IsZero()
	var sel []Shift
	for ; s.all.ok(p); p = s.all.next(p) {
		if sh := s.all.at(p); !bounded || sh.end <= to {
			sel = append(sel, s.shift(sh))
		}
	}
	return paging.Slice(sel, pq), nil
}

// All returns a copy of every shift, ordered by start, then id.
func (s *Store) All() []Shift {
	s.rlock()
	defer s.mu.RUnlock()
	out := make([]Shift, 0, s.all.n)
	for _, ch := range s.all.chunks {
		for i := range ch {
			out = append(out, s.shift(&ch[i]))
		}
	}
	return out
}

// Len returns the number of shifts stored.
func (s *Store) Len() int {
	s.rlock()
	defer s.mu.RUnlock()
	return s.all.n
}

// Set returns the union of technician tech's active shifts of type t,
// clipped to [from, to), in Unix seconds: the interval algebra's instants,
// as package interval holds them (the low-level query the engine runs; see
// [Shift.Span] and [Unix]). It runs in O(log n + k) for n shifts of that type
// and k that start in [from − MaxLength, to).
func (s *Store) Set(tech int64, t Type, from, to int64) interval.Set {
	return interval.FromNormalized(s.AppendSet(nil, tech, t, from, to))
}

// AppendSet appends the spans of [Store.Set] (ascending, disjoint, not
// touching) to dst and returns the extended slice: with room in dst it
// allocates nothing, where Set allocates the set it returns (an engine
// computing every technician's working time reuses one buffer).
func (s *Store) AppendSet(dst []interval.Span, tech int64, t Type, from, to int64) []interval.Span {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ts := s.tech[tech]
	if ts == nil || !t.IsValid() || from >= to {
		return dst
	}
	l := ts.byType[t]
	i, _ := slices.BinarySearchFunc(l, from-MaxLength, func(sp interval.Span, x int64) int { return cmp.Compare(sp.Start, x) })
	j, _ := slices.BinarySearchFunc(l[i:], to, func(sp interval.Span, x int64) int { return cmp.Compare(sp.Start, x) })
	// The list is in start order: each span extends the last one kept or
	// follows it; a nil dst gets one allocation for them all.
	n0 := len(dst)
	for _, sp := range l[i : i+j] {
		a, b := max(sp.Start, from), min(sp.End, to)
		switch n := len(dst); {
		case a >= b:
		case n > n0 && a <= dst[n-1].End:
			dst[n-1].End = max(dst[n-1].End, b)
		default:
			if dst == nil {
				dst = make([]interval.Span, 0, j)
			}
			dst = append(dst, interval.Span{Start: a, End: b})
		}
	}
	return dst
}

// AppendSpans appends the span of every active shift of type t, in Unix
// seconds, to dst and returns the extended slice: the technicians in
// ascending id order, each technician's spans ascending by start (shifts
// starting at the same instant in the order the store indexed them). It
// builds none of the tables [Store.List] reads: an engine finds the dates
// its shifts meet from these spans. The cost is O(n + k log k) for n spans
// and k technicians.
func (s *Store) AppendSpans(dst []interval.Span, t Type) []interval.Span {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !t.IsValid() {
		return dst
	}
	// The technicians in id order, not the map's: the order reaches the
	// caller (sorting k technicians is cheap beside copying n spans).
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	techs, n := sc.techs[:0], 0
	for id, ts := range s.tech {
		if l := ts.byType[t]; len(l) > 0 {
			techs, n = append(techs, techRef{id, l}), n+len(l)
		}
	}
	slices.SortFunc(techs, func(a, b techRef) int { return cmp.Compare(a.id, b.id) })
	dst = slices.Grow(dst, n)
	for _, r := range techs {
		dst = append(dst, r.spans...)
	}
	clear(techs) // the pool keeps no store's spans alive
	sc.techs = techs
	return dst
}

// techRef is a technician's id and its spans of one type, for
// [Store.AppendSpans] to sort.
type techRef struct {
	id    int64
	spans []interval.Span
}

// Footprint is the memory a Store holds, in bytes, by part: Records is
// the shifts as [Store.List] serves them back — or, until the first read
// or change that needs those tables builds them, the store's copy of the
// shifts it was given (texts shared with those shifts are not counted);
// Index is the per-technician spans that [Store.Set] reads.
type Footprint struct {
	Records, Index int64
}

// Footprint returns the store's memory, computed from the lengths and
// capacities of its tables. It builds none.
func (s *Store) Footprint() Footprint {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f := Footprint{
		Records: footprint.Slice(s.given) + s.all.bytes() + s.byID.bytes() + s.texts.Bytes(),
		Index:   footprint.Map(s.tech) + int64(len(s.tech))*int64(unsafe.Sizeof(techShifts{})),
	}
	for _, ts := range s.tech {
		for _, l := range ts.byType {
			f.Index += footprint.Slice(l)
		}
	}
	return f
}
