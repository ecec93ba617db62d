package shifts

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/opendispatch/dispatch/internal/base/footprint"
	"github.com/opendispatch/dispatch/internal/base/strtab"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/paging"
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

// Store holds shifts. It is safe for concurrent use. Create a Store with
// [NewStore].
type Store struct {
	now func() time.Time

	mu     sync.RWMutex
	nextID int64
	all    []stored     // sorted by (start, id)
	texts  strtab.Table // distinct titles and notes
	tech   map[int64]*techShifts
}

func (s *Store) store(sh Shift) stored {
	return stored{id: sh.ID, tech: sh.TechnicianID, start: sh.Start, end: sh.End, modifiedOn: sh.ModifiedOn,
		title: s.texts.Add(sh.Title), note: s.texts.Add(sh.Note), typ: sh.Type, active: sh.Active}
}

func (s *Store) shift(st *stored) Shift {
	return Shift{ID: st.id, TechnicianID: st.tech, Type: st.typ, Title: s.texts.At(st.title), Note: s.texts.At(st.note),
		Start: st.start, End: st.end, Active: st.active, ModifiedOn: st.modifiedOn}
}

// techShifts indexes one technician's active shifts per type, sorted by
// start. Shifts are at most MaxLength long, so every shift meeting [from,
// to) starts in [from−MaxLength, to): a binary search bounds the scan.
type techShifts struct {
	byType [TimeOff + 1][]interval.Span
}

// NewStore returns a store holding the given shifts, whose ids must be
// positive and distinct. now supplies ModifiedOn for created shifts; it is
// never called by reads.
func NewStore(now func() time.Time, initial ...Shift) (*Store, error) {
	s := &Store{now: now, tech: make(map[int64]*techShifts)}
	// Sort small keys, not the shifts themselves: moving 80-byte structs
	// that hold strings is what made loading large tenants slow.
	type key struct {
		start, id int64
		i         int32
	}
	keys := make([]key, len(initial))
	for i, sh := range initial {
		if err := sh.Validate(); err != nil {
			return nil, fmt.Errorf("shift %d (index %d): %w", sh.ID, i, err)
		}
		if sh.ID <= 0 {
			return nil, fmt.Errorf("shifts: shift id %d (index %d) is not positive: %w", sh.ID, i, ErrInvalid)
		}
		s.nextID = max(s.nextID, sh.ID)
		keys[i] = key{sh.Start, sh.ID, int32(i)}
	}
	// Ids must be distinct; new ones count up from the largest, so only
	// the initial ones need checking.
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.id
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return nil, fmt.Errorf("shifts: shift id %d is a duplicate: %w", ids[i], ErrInvalid)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	s.all = make([]stored, len(initial))
	for k, key := range keys {
		s.all[k] = s.store(initial[key.i])
		s.index(&s.all[k]) // in start order, so each list comes out sorted
	}
	return s, nil
}

// index records an active shift in its technician's per-type list,
// unsorted; callers sort or insert in place.
func (s *Store) index(sh *stored) {
	if !sh.active {
		return
	}
	ts := s.tech[sh.tech]
	if ts == nil {
		ts = &techShifts{}
		s.tech[sh.tech] = ts
	}
	ts.byType[sh.typ] = append(ts.byType[sh.typ], interval.Span{Start: sh.start, End: sh.end})
}

// Create validates req and stores one active shift per technician id, with
// increasing ids and ModifiedOn from the store's clock. It returns the new
// shifts in the order of req.TechnicianIDs.
func (s *Store) Create(req CreateRequest) ([]Shift, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	mod := s.now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Shift, len(req.TechnicianIDs))
	for i, tech := range req.TechnicianIDs {
		s.nextID++
		sh := Shift{ID: s.nextID, TechnicianID: tech, Type: req.Type, Title: req.Title, Note: req.Note,
			Start: req.Start, End: req.End, Active: true, ModifiedOn: mod}
		st := s.store(sh)
		at, _ := slices.BinarySearchFunc(s.all, st, byStartID)
		s.all = slices.Insert(s.all, at, st)
		s.index(&st)
		l := s.tech[tech].byType[sh.Type]
		// index appended the span; move it to its sorted place.
		slices.SortStableFunc(l, func(a, b interval.Span) int { return cmp.Compare(a.Start, b.Start) })
		out[i] = sh
	}
	return out, nil
}

// ListQuery filters and pages [Store.List]. Nil bounds are absent.
type ListQuery struct {
	StartsOnOrAfter *int64 // keep shifts with Start >= *StartsOnOrAfter
	EndsOnOrBefore  *int64 // keep shifts with End <= *EndsOnOrBefore
	paging.Query
}

// List returns one page of the shifts that q selects, ordered by start,
// then id.
func (s *Store) List(q ListQuery) (paging.Page[Shift], error) {
	pq, err := q.Query.Normalize()
	if err != nil {
		return paging.Page[Shift]{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	lo := 0
	if q.StartsOnOrAfter != nil {
		lo, _ = slices.BinarySearchFunc(s.all, *q.StartsOnOrAfter, func(sh stored, t int64) int { return cmp.Compare(sh.start, t) })
	}
	var sel []Shift
	for i := lo; i < len(s.all); i++ {
		if sh := &s.all[i]; q.EndsOnOrBefore == nil || sh.end <= *q.EndsOnOrBefore {
			sel = append(sel, s.shift(sh))
		}
	}
	return paging.Slice(sel, pq), nil
}

// All returns a copy of every shift, ordered by start, then id.
func (s *Store) All() []Shift {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Shift, len(s.all))
	for i := range s.all {
		out[i] = s.shift(&s.all[i])
	}
	return out
}

// Len returns the number of shifts stored.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.all)
}

// Set returns the union of technician tech's active shifts of type t,
// clipped to [from, to). It runs in O(log n + k) for n shifts of that type
// and k that start in [from − MaxLength, to).
func (s *Store) Set(tech int64, t Type, from, to int64) interval.Set {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ts := s.tech[tech]
	if ts == nil || !t.IsValid() || from >= to {
		return interval.Set{}
	}
	l := ts.byType[t]
	i, _ := slices.BinarySearchFunc(l, from-MaxLength, func(sp interval.Span, x int64) int { return cmp.Compare(sp.Start, x) })
	var b interval.Builder
	for ; i < len(l) && l[i].Start < to; i++ {
		b.AddRange(max(l[i].Start, from), min(l[i].End, to))
	}
	return b.Set()
}

// Footprint is the memory a Store holds, in bytes, by part: Records is
// the shifts as [Store.List] serves them back (their texts shared with the
// shifts the store was given are not counted); Index is the per-technician
// spans that [Store.Set] reads.
type Footprint struct {
	Records, Index int64
}

// Footprint returns the store's memory, computed from the lengths and
// capacities of its tables.
func (s *Store) Footprint() Footprint {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f := Footprint{
		Records: footprint.Slice(s.all) + s.texts.Bytes(),
		Index:   footprint.Map(s.tech) + int64(len(s.tech))*int64(unsafe.Sizeof(techShifts{})),
	}
	for _, ts := range s.tech {
		for _, l := range ts.byType {
			f.Index += footprint.Slice(l)
		}
	}
	return f
}
