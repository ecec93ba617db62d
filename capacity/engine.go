package capacity

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/strtab"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
	"github.com/opendispatch/dispatch/zones"
)

// Engine answers capacity requests over one tenant and applies updates to
// it incrementally. It is safe for concurrent use; see the package
// documentation for the locking model.
type Engine struct {
	mu sync.RWMutex

	sched        *hours.Schedule
	loc          *time.Location
	now          func() time.Time
	maxRange     time.Duration
	rawIdeal     int // the tenant's idealBookingPercentage as given, 0 when unset
	defaultIdeal int // rawIdeal, or 100 when unset

	// Business units and job types are fixed at build and sorted by id;
	// they are found by position (unitPos, jobTypePos), through a table
	// or a binary search, not through maps: a tenant has a handful, and
	// two maps cost a small tenant's build more than the lists did.
	unitList    []BusinessUnit
	jobTypeList []JobType
	unitAt      posTable // positions in unitList by id
	jobTypeAt   posTable // positions in jobTypeList by id
	zones       *zones.Directory
	shifts      *shifts.Store

	// techs holds the technicians by column: the column order of stats.
	// A build lays them out ascending by id; AddTechnician appends one,
	// so order lists the columns ascending by id, and runs cuts order
	// into runs of consecutive columns, which a query walks in place:
	// one run, [0, n), until a technician is added below the largest id.
	techs []tech
	order []int32
	runs  []colRun
	// The technicians of a unit are summed in shards of at most maxShard:
	// shardUnit holds each shard's unit position, and unit u's shards are
	// unitShards[u]:unitShards[u+1].
	shardUnit  []int32
	unitShards []int32
	// cols repeats, densely, what a query reads of each technician column,
	// so the hot loop touches 24 bytes per technician, not a whole tech.
	cols    []col
	active  []int32 // columns of the active technicians, ascending by id
	techIdx map[int64]int

	appts []appt // in load order, then added order
	// apptIdx holds the positions in appts, ascending by id (a map cost
	// ~40 bytes an appointment). It is nil while appts are in id order
	// themselves, as a saved tenant's are: the k-th by id is then at k.
	apptIdx []int32
	several map[int64][]assignee // assignees of appointments with more than one
	zips    strtab.Table         // distinct appointment zips

	pending    []bag // unassigned appointments per business unit position
	pendingAll bag   // every unassigned appointment

	ledger   []record // ascending by id
	actors   []*Actor // distinct actors of the ledger, interned
	actorIdx map[Actor]uint32

	cat catalog
	ctl ctl // the capacity controls (DESIGN §4a)
}

// colRun is the columns [lo, hi), consecutive in id order.
type colRun struct{ lo, hi int }

// columnRuns appends the runs of consecutive columns of order to dst.
func columnRuns(dst []colRun, order []int32) []colRun {
	for k, c := range order {
		if k > 0 && int(c) == dst[len(dst)-1].hi {
			dst[len(dst)-1].hi++
		} else {
			dst = append(dst, colRun{int(c), int(c) + 1})
		}
	}
	return dst
}

// ordered reports whether the columns are in id order.
func (e *Engine) ordered() bool { return len(e.runs) <= 1 }

// tech is one technician's incremental state.
type tech struct {
	Technician
	// appts holds the appointments it is assigned to: their union is
	// Bz(t), computed where needed rather than kept.
	appts busy
	// work is W(t), free is F(t) = W(t) − Bz(t).
	work, free interval.Set
}

// col is what a query's inner loop reads of one technician column.
type col struct {
	id    int64
	unit  int32 // position of its business unit in unitList, -1 when unknown
	shard int32 // its unit shard, -1 when its unit is unknown
}

// catalog is the tenant's timeslot catalog over the dates that some
// Normal shift meets (each widened by a day either side), and the
// per-technician statistics of every slot there. On any other date no
// technician has working time, so a request computes that date's windows
// on the fly with zero statistics. The catalog is sparse: a tenant with
// shifts years apart costs only the dates it uses.
type catalog struct {
	dates   []hours.Date   // ascending
	dayBase []int32        // windows of dates[i] are slots[dayBase[i]:dayBase[i+1]]
	slots   []hours.Window // in date, then (start, end, id) order
	open    interval.Set   // business hours on the catalog's dates
	// stats holds, slot-major, one entry per (slot, technician column):
	// stats[k*stride+c]. A row has stride ≥ len(techs) entries: a build
	// leaves none spare, AddTechnician makes an eighth spare when it
	// lays the rows out again, so adding technicians costs amortized
	// O(slots) each. Spare entries are zero.
	stats  []stat
	stride int
	// units holds, per slot and unit shard, the sums of stats over the
	// shard's technicians (inactive ones have zero figures), kept current
	// by restatSlots: units[k*len(shardUnit)+shard]. A query without
	// skills or zip reads them instead of summing a row, whatever its
	// units.
	units []unitTotal
}

// maxShard is the most technicians whose figures one unitTotal sums: a
// slot lasts at most 25 hours, and 20,000 × 90,000 seconds fit an int32.
// A unit with more technicians has several shards. Tests lower it.
var maxShard int32 = 20_000

// index returns the position of date d in the catalog, or false.
func (c *catalog) index(d hours.Date) (int, bool) { return slices.BinarySearch(c.dates, d) }

// unitTotal is a slot's figures summed over one unit shard's
// technicians, in seconds: Σ capacity(t) and Σ free(t). The percentages
// that weigh them (ideal, reserve) are applied by the query, so changing
// one touches no slot. 32 bits keep the small profiles' index within its
// target; maxShard keeps the sums within 32 bits.
type unitTotal struct{ cap, free int32 }

// stat is one technician's figures in one slot [s, e), in seconds.
type stat struct {
	cap  int32 // |W ∩ S|
	free int32 // |F ∩ S|
	// run is the longest stretch of F that begins inside [s, e), measured
	// to its end (possibly past e): a job of duration d fits when run >= d
	// and run > 0.
	run int32
}

// Option configures an Engine.
type Option func(*Engine)

// WithClock sets the clock that stamps the records a change makes or
// edits: assignedOn, unassignedOn and modifiedOn of assignments, modifiedOn
// of shifts, createdOn of adjustments. Servers pass time.Now; simulations
// and tests pass a clock of their own.
//
// There is no default: the engine never reads the wall clock (DESIGN §2),
// and a made-up time (the Unix epoch) would be saved silently. An engine
// built without a clock answers queries and takes every change that stamps
// nothing, and refuses those that do with [ErrNoClock].
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// ErrNoClock is returned by the changes that stamp records (Assign,
// Unassign, CancelAppointment, CreateShifts, UpdateShift, DeactivateShift,
// ReactivateShift, and AddAdjustment without a CreatedOn) on an engine
// built without [WithClock], and wrapped by their error when the clock
// reads a time outside the years [hours.CheckInstant] accepts (the zero
// time included): a record stamped so could not be loaded again.
// Nothing changes.
var ErrNoClock = errors.New("capacity: no clock to stamp the change: build the engine with capacity.WithClock(time.Now)")

// stamp returns the clock's time in Unix seconds, or an error wrapping
// ErrNoClock when there is no clock or it reads a time outside the years.
func (e *Engine) stamp() (int64, error) {
	if e.now == nil {
		return 0, ErrNoClock
	}
	t := e.now()
	if hours.CheckInstant(t) != nil {
		return 0, fmt.Errorf("capacity: the clock reads %s, outside the years 1900–2199: %w", t.Format(time.RFC3339), ErrNoClock)
	}
	return t.Unix(), nil
}

// at returns Unix seconds u as a time in the tenant's location.
func (e *Engine) at(u int64) time.Time { return time.Unix(u, 0).In(e.loc) }

// optAt is at for an optional instant: unset is the zero time.
func (e *Engine) optAt(u int64) time.Time {
	if u == unset {
		return time.Time{}
	}
	return e.at(u)
}

// unset is an optional instant that is not set (the zero time) in Unix
// seconds. It is not 0: that is the Unix epoch, an instant like any
// other, which a record may hold (an arrival window opening at the epoch
// came back with one bound).
const unset = shifts.Unset

// unix returns t in Unix seconds, unset for the zero time.
func unix(t time.Time) int64 { return shifts.Unix(t) }

// WithMaxRange sets the longest request range accepted, measured on the
// tenant's wall clock (default 31 days: a month of local days, whatever
// DST change it spans). A d of less than a second, which would refuse
// every request ("at most 0 seconds may be asked"), keeps the default.
// Whatever d, requests stay within the years 1900–2199.
func WithMaxRange(d time.Duration) Option {
	return func(e *Engine) {
		if d >= time.Second {
			e.maxRange = d
		}
	}
}

// New validates d and builds an engine over it. The error, when not nil,
// lists every problem with its path (see [Data.Validate]).
//
// The tenant's own settings, units, job types, controls and technicians
// are validated first; the shifts, appointments and assignment records
// are checked as the build converts them, in the same pass (in any
// order: records out of id order are sorted there anyway), and only when
// a check fails does New run [Data.Validate] over everything, for the
// full list of problems — the same error, with the same paths, as
// Validate returns. A tenant of some 16,000 records or more (about 250
// technicians' fortnight) stores its shifts and computes the technicians'
// figures on a second goroutine: on a multi-core machine the first answer
// comes sooner. A smaller tenant is built on the calling goroutine:
// handing work to another would cost more than it saves.
//
// The engine keeps its own copies of d's lists and pointers (technicians'
// skills, zones and homes, job types' skills, units and buffers, groups'
// and rules' lists, adjustments' and records' actors): the caller may
// change d afterwards. Only the Schedule and Zones, immutable, are shared.
func New(d Data, opts ...Option) (*Engine, error) {
	if d.Schedule == nil {
		return nil, d.Validate()
	}
	var errs validate.Errors
	if d.validateTenant(&errs); len(errs) > 0 {
		return nil, d.Validate() // every problem, the records' too
	}
	e, sound, err, crash := safeBuild(d, opts...)
	if !sound || err != nil || crash != nil {
		if verr := d.Validate(); verr != nil {
			return nil, verr
		}
		if crash != nil {
			panic(crash) // valid data must build: this is a bug
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// parallelFrom is the fewest records (shifts, appointments and
// assignment records) for which New and a build use a second goroutine
// (about 250 technicians' fortnight); a build splits the technicians'
// figures from parallelFrom/64 technicians. Tests lower it.
//
// Below it, handing work to another goroutine cost more than it saved:
// at 100 technicians (6,200 records) the engine's goroutine was on a CPU
// 70% of the time, waiting for the shift store the rest, and a build and
// first query took 1,026 µs against 962 µs on one goroutine
// (docs/performance.md).
var parallelFrom = 16384

// parallel reports whether d is large enough for New to use a second
// goroutine.
func parallel(d *Data) bool {
	return len(d.Shifts)+len(d.Appointments)+len(d.Assignments) >= parallelFrom
}

// safeBuild runs build, turning a panic on invalid data into a value.
func safeBuild(d Data, opts ...Option) (e *Engine, sound bool, err error, crash any) {
	defer func() { crash = recover() }()
	e, sound, err = build(d, opts...)
	return e, sound, err, nil
}

// build constructs the engine from d, whose tenant-wide records
// validateTenant has passed, without assuming its shifts, appointments
// and assignment records are valid: records with unknown references are
// skipped. It reports whether those records are sound: true only when
// they pass every check [Data.Validate] makes of them. The two agree
// exactly (TestNewChecksAsValidate); a check the pass could not decide
// would have to report false, for New to run Validate and decide.
func build(d Data, opts ...Option) (*Engine, bool, error) {
	e := &Engine{
		sched:        d.Schedule,
		loc:          d.Schedule.Location(),
		maxRange:     DefaultMaxRange,
		rawIdeal:     d.IdealBookingPercentage,
		defaultIdeal: d.IdealBookingPercentage,
		zones:        d.Zones,
		techIdx:      make(map[int64]int, len(d.Technicians)),
		appts:        make([]appt, len(d.Appointments)),
		several:      make(map[int64][]assignee),
		actorIdx:     make(map[Actor]uint32),
	}
	for _, o := range opts {
		o(e)
	}
	if e.defaultIdeal == 0 {
		e.defaultIdeal = 100
	}
	e.unitList = slices.Clone(d.BusinessUnits)
	slices.SortFunc(e.unitList, func(a, b BusinessUnit) int { return cmp.Compare(a.ID, b.ID) })
	e.pending = make([]bag, len(e.unitList))
	e.jobTypeList = make([]JobType, len(d.JobTypes))
	ownJobTypes(e.jobTypeList, d.JobTypes) // the caller may change d afterwards
	slices.SortFunc(e.jobTypeList, func(a, b JobType) int { return cmp.Compare(a.ID, b.ID) })
	e.unitAt = newPosTable(len(e.unitList), func(i int) int64 { return e.unitList[i].ID })
	e.jobTypeAt = newPosTable(len(e.jobTypeList), func(i int) int64 { return e.jobTypeList[i].ID })
	e.techs = make([]tech, len(d.Technicians))
	ownTechnicians(e.techs, d.Technicians) // the caller may change d afterwards
	slices.SortFunc(e.techs, func(a, b tech) int { return cmp.Compare(a.ID, b.ID) })
	e.cols = make([]col, len(e.techs))
	perUnit := make([]int32, len(e.unitList))
	e.order = make([]int32, len(e.techs))
	for i := range e.techs {
		t := &e.techs[i]
		e.order[i] = int32(i)
		e.techIdx[t.ID] = i
		e.cols[i] = col{id: t.ID, unit: e.unitPos(t.BusinessUnitID), shard: -1}
		if u := e.cols[i].unit; u >= 0 {
			e.cols[i].shard = perUnit[u] // its rank in the unit, for now
			perUnit[u]++
		}
		if t.IsActive() {
			e.active = append(e.active, int32(i))
		}
	}
	e.runs = columnRuns(nil, e.order)
	e.unitShards = make([]int32, len(e.unitList)+1)
	for u, n := range perUnit {
		shards := max(1, (n+maxShard-1)/maxShard)
		e.unitShards[u+1] = e.unitShards[u] + shards
		for range shards {
			e.shardUnit = append(e.shardUnit, int32(u))
		}
	}
	for i := range e.cols {
		if c := &e.cols[i]; c.unit >= 0 {
			c.shard = e.unitShards[c.unit] + c.shard/maxShard
		}
	}

	// The shifts are stored and the catalog laid out on a second
	// goroutine while the records are converted on this one: neither
	// reads what the other writes, and on two cores a large tenant's
	// build takes the longer of the two rather than their sum.
	shiftsDone := make(chan shiftWork, 1)
	if parallel(&d) {
		go e.buildShifts(d.Shifts, shiftsDone)
	}
	// Records come in id order when the engine wrote them (a saved file,
	// Data): each sort below is skipped when one pass finds its input
	// sorted already.
	// Each record is checked as it is converted (sound stays true while
	// every check Validate makes of it passes), and a zip when it is
	// first met: the checks Validate makes of ids and references are
	// made where the build finds them anyway.
	zips := e.zips.Len()
	// The lists are read through locals: through d and e the compiler
	// loads them again after every call.
	recs, appts := d.Appointments, e.appts[:len(d.Appointments)]
	sound, inOrder := e.internAppts(appts, recs)
	for z := zips; z < e.zips.Len(); z++ { // each new zip once
		_, ok := zones.NormalizeZip(e.zips.At(int32(z)))
		sound = sound && ok
	}
	if inOrder { // strictly ascending: positive if the first is
		sound = sound && (len(appts) == 0 || appts[0].id > 0)
	} else {
		e.apptIdx = identity(len(e.appts))
		slices.SortFunc(e.apptIdx, func(x, y int32) int { return cmp.Compare(e.appts[x].id, e.appts[y].id) })
		sound = sound && idsAscending(len(e.appts), func(k int) int64 { return e.appts[e.apptPos(k)].id })
	}
	e.ledger = make([]record, len(d.Assignments))
	// Each technician's busy list is sized for the join below: at most
	// its Assigned records, counted as they are converted.
	count := make([]int32, len(e.techs))
	assigned, ledger := d.Assignments, e.ledger[:len(d.Assignments)]
	recsSound, inOrder, byAppt := e.internRecords(ledger, assigned, count)
	sound = sound && recsSound
	// Every record's actor is in the table once: its name is checked
	// there, not on each of the hundreds of records that name it.
	for _, by := range e.actors {
		sound = sound && textOK(by.Name, true)
	}
	if inOrder { // strictly ascending: positive if the first is
		sound = sound && (len(ledger) == 0 || ledger[0].id > 0)
	} else {
		slices.SortFunc(e.ledger, func(a, b record) int { return cmp.Compare(a.id, b.id) })
		sound = sound && idsAscending(len(e.ledger), func(k int) int64 { return e.ledger[k].id })
		byAppt = slices.IsSortedFunc(ledger, func(a, b record) int { return cmp.Compare(a.appt, b.appt) })
	}
	// Join the records to their appointments by walking both in
	// appointment order, rather than looking each one up: every record's
	// appointment must exist, and the current assignments are joined.
	for i, n := range count {
		if n > 0 {
			e.techs[i].appts.pos = make([]int32, 0, n)
		}
	}
	joinSound, joined := e.join(ledger, appts, byAppt)
	sound = sound && joinSound
	for i := range e.techs {
		e.techs[i].appts.init(appts) // sorts only a list pushed out of order
	}
	// Pending bags are built in one sort of every unassigned appointment,
	// the units' bags then filled in that order, each sized first.
	count = slices.Grow(count[:0], len(e.pending))[:len(e.pending)]
	clear(count)
	type pending struct {
		interval.Span
		unit int32
	}
	unassigned := make([]pending, 0, len(appts)-joined) // sized once: at most the appointments left
	for i := range appts {
		if p := &appts[i]; p.col == noneAssigned && p.unit >= 0 && !p.canceled {
			count[p.unit]++
			unassigned = append(unassigned, pending{p.span(), p.unit})
		}
	}
	byStart := func(x, y pending) int { return cmpSpan(x.Span, y.Span) }
	if !slices.IsSortedFunc(unassigned, byStart) {
		slices.SortFunc(unassigned, byStart)
	}
	for u, n := range count {
		if n > 0 {
			e.pending[u].spans = make([]interval.Span, 0, n)
		}
	}
	if len(unassigned) > 0 {
		e.pendingAll.spans = make([]interval.Span, 0, len(unassigned))
	}
	for _, p := range unassigned {
		e.pending[p.unit].spans = append(e.pending[p.unit].spans, p.Span)
		e.pendingAll.spans = append(e.pendingAll.spans, p.Span)
	}
	for i := range e.pending {
		e.pending[i].init() // finds them sorted
	}
	e.pendingAll.init()

	e.initControls(&d)
	// The shift store checks each shift as Validate does, and its id;
	// each shift's technician is checked here (a technician's shifts
	// come together: the last one found is compared first), and their
	// instants' years below, from the store's bounds.
	tech, known := int64(0), false
	for i := range d.Shifts {
		sh := &d.Shifts[i]
		if sh.TechnicianID != tech || !known {
			_, known = e.techIdx[sh.TechnicianID]
			tech = sh.TechnicianID
		}
		sound = sound && known
	}
	if !parallel(&d) {
		e.buildShifts(d.Shifts, shiftsDone)
	}
	sw := <-shiftsDone
	if sw.crash != nil {
		panic(sw.crash) // on this goroutine, where safeBuild recovers it
	}
	if sw.err != nil {
		return nil, false, sw.err // validation reports it, with its path
	}
	// Every shift's start, end and modifiedOn (when set) lie in the years
	// when the earliest and the latest of them do: the store found them
	// converting each shift, where checking each here converted it again.
	if lo, hi := sw.store.GivenBounds(); lo <= hi {
		sound = sound && minInstant <= lo && hi < maxInstant
	}
	e.shifts, e.cat = sw.store, sw.cat
	e.restatAll()
	return e, sound, nil
}

// join joins the ledger's records to their appointments, walking both in
// appointment order (byAppt: the ledger is in that order already),
// pushes each current assignment on its technician's busy list, and
// reports whether every record's appointment exists, no Assigned record
// is of a canceled appointment and no appointment is assigned twice,
// with the number of appointments given their first assignee.
//
// It is a method of its own, not a loop of build: there, build being
// long, the walk kept its position and its tables on the stack, loading
// and storing them at every record.
func (e *Engine) join(ledger []record, appts []appt, byAppt bool) (sound bool, joined int) {
	sound = true
	var order []int32 // the records in appointment order; nil when the ledger is
	if !byAppt {
		order = make([]int32, len(ledger))
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, func(x, y int32) int {
			return cmp.Or(cmp.Compare(ledger[x].appt, ledger[y].appt), cmp.Compare(x, y))
		})
	}
	k := 0
	techs, idx := e.techs, e.apptIdx // locals: through e they are loaded again after every call
	for j := range ledger {
		i := j
		if order != nil {
			i = int(order[j])
		}
		r := &ledger[i]
		// p is the appointment's position in appts.
		p := int32(k)
		if idx == nil { // in id order: read the appointments directly
			for k < len(appts) && appts[k].id < r.appt {
				k++
			}
			p = int32(k)
		} else {
			for k < len(appts) && appts[idx[k]].id < r.appt {
				k++
			}
			if k < len(appts) {
				p = idx[k]
			}
		}
		if k == len(appts) || appts[p].id != r.appt {
			sound = false // an unknown appointment
			continue
		}
		col := r.col
		if r.status() != Assigned || col < 0 {
			continue
		}
		a := &appts[p]
		if a.canceled {
			sound = false // an Assigned record of a canceled appointment
			continue
		}
		if a.col == noneAssigned { // assign's first assignee, in place
			a.col, a.rec = col, int32(i)
			joined++
		} else if !e.assign(a, col, i) {
			sound = false // the technician assigned twice
			continue
		}
		techs[col].appts.push(appts, p)
	}
	return sound, joined
}

// apptSound reports whether an appointment, converted to p, passes the
// checks [Data.Validate] makes of one appointment: its job type and
// business unit known, start and end set, in the supported years, in
// order and at most [MaxAppointmentSeconds] apart, and an arrival window
// of both bounds or none, in those years and in order. Its id and zip
// are checked by the caller. (An unset instant is [unset], outside the
// years.)
//
// It is written to be inlined in the loop that converts the appointments
// (as a call it cost a fifth of that loop): the bounds of a span in order
// are both in the years when the first is not before them and the last
// is before their end.
func apptSound(p *appt) bool {
	ok := p.jobType|p.unit >= 0 && minInstant <= p.start && p.start < p.end && p.end < maxInstant && p.end-p.start <= MaxAppointmentSeconds
	return ok && (p.awStart == unset && p.awEnd == unset || minInstant <= p.awStart && p.awStart <= p.awEnd && p.awEnd < maxInstant)
}

// idsAscending reports whether the n ids id(0), id(1), … are positive
// and strictly ascending: distinct.
func idsAscending(n int, id func(k int) int64) bool {
	prev := int64(0)
	for k := range n {
		x := id(k)
		if x <= prev {
			return false
		}
		prev = x
	}
	return true
}

// shiftWork is what buildShifts hands back: the shift store and the
// catalog laid out over the shifts' dates, or why not.
type shiftWork struct {
	store *shifts.Store
	cat   catalog
	err   error
	crash any // a panic on invalid data, to raise where safeBuild is
}

// buildShifts stores list and lays out the catalog over its dates, and
// sends the result on done. It reads only list and the engine's fields
// set before it started (clock, zone, schedule, the technician count).
func (e *Engine) buildShifts(list []shifts.Shift, done chan<- shiftWork) {
	var w shiftWork
	defer func() {
		w.crash = recover()
		done <- w
	}()
	w.store, w.err = shifts.NewStore(e.loc, e.now, list...)
	if w.err == nil {
		sc := spanPool.Get().(*spanScratch) // the spans in its normal: shiftDates keeps none
		sc.normal = w.store.AppendSpans(sc.normal[:0], shifts.Normal)
		w.cat = e.layout(e.shiftDates(sc.normal))
		spanPool.Put(sc)
	}
}

// appt returns the appointment with the given id, or nil. The pointer is
// valid until the next AddAppointment.
func (e *Engine) appt(id int64) *appt {
	k, ok := e.apptAt(id)
	if !ok {
		return nil
	}
	return &e.appts[e.apptPos(k)]
}

// posOf returns a's position in appts.
func (e *Engine) posOf(a *appt) int32 {
	k, _ := e.apptAt(a.id)
	return e.apptPos(k)
}

// apptPos returns the position in appts of the k-th appointment by id.
func (e *Engine) apptPos(k int) int32 {
	if e.apptIdx == nil {
		return int32(k)
	}
	return e.apptIdx[k]
}

// apptAt returns the rank by id that id has, or would have, among the
// appointments: apptPos gives its position.
func (e *Engine) apptAt(id int64) (int, bool) {
	if e.apptIdx == nil { // read in place: a generic search copies each appt
		lo, hi := 0, len(e.appts)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if e.appts[m].id < id {
				lo = m + 1
			} else {
				hi = m
			}
		}
		return lo, lo < len(e.appts) && e.appts[lo].id == id
	}
	return slices.BinarySearchFunc(e.apptIdx, id, func(i int32, id int64) int { return cmp.Compare(e.appts[i].id, id) })
}

// identity returns the positions 0, 1, …, n−1.
func identity(n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}

// unitPos returns the position of business unit id in unitList, or -1.
func (e *Engine) unitPos(id int64) int32 {
	if p, ok := e.unitAt.at(id); ok {
		return p
	}
	l := e.unitList
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

func (e *Engine) addPending(a *appt) {
	e.pending[a.unit].add(a.span())
	e.pendingAll.add(a.span())
}

func (e *Engine) removePending(a *appt) {
	e.pending[a.unit].remove(a.span())
	e.pendingAll.remove(a.span())
}

// shiftDates returns every local date a span of spans meets (the active
// Normal shifts, in Unix seconds, in any order; an empty span meets
// none), widened by a day each side, sorted and distinct. It may reorder
// spans (sweepDates sorts them) and keeps none of it.
//
// It finds each shift's dates among the day boundaries of the shifts'
// whole extent, an arithmetic guess corrected against them: a large
// tenant has thousands of shifts but few dates, and converting each
// instant to a date, or sorting the shifts, cost more than the rest.
// Shifts spread over a long, sparse extent are swept in start order
// instead (sweepDates). Both read a local date as a function of the
// instant that does not decrease.
func (e *Engine) shiftDates(spans []interval.Span) []hours.Date {
	lo, hi, n := int64(math.MaxInt64), int64(math.MinInt64), 0
	for _, sp := range spans {
		if sp.End > sp.Start {
			lo, hi, n = min(lo, sp.Start), max(hi, sp.End), n+1
		}
	}
	if n == 0 {
		return nil
	}
	first, last := hours.DateAt(e.loc, lo), hours.DateAt(e.loc, hi-1)
	days := int64(last) - int64(first) + 1
	if days > 64+int64(n)/2 { // a day boundary costs about what sorting a shift does
		return e.sweepDates(spans)
	}
	// starts[k] is the first instant of date first+k.
	starts := make([]int64, days+1)
	dayStarts(starts, e.loc, first)
	after := func(k int, u int64) int { // k with starts[k] <= u < starts[k+1], from a k with starts[k] <= u
		for k+1 < int(days) && starts[k+1] <= u {
			k++
		}
		return k
	}
	at := func(u int64) int {
		k := int(min(max((u-starts[0])/86400, 0), days-1))
		for k > 0 && starts[k] > u {
			k--
		}
		return after(k, u)
	}
	met := make([]bool, days)
	for _, sp := range spans {
		if sp.End > sp.Start { // the end's date is found from the start's: at most a week on
			k := at(sp.Start)
			for to := after(k, sp.End-1); k <= to; k++ {
				met[k] = true
			}
		}
	}
	var dates []hours.Date
	for k, ok := range met {
		if !ok {
			continue
		}
		d := first + hours.Date(k)
		for x := d - 1; x <= d+1; x++ {
			if len(dates) == 0 || dates[len(dates)-1] < x {
				dates = append(dates, x)
			}
		}
	}
	return dates
}

// dayStarts sets starts[k] to the first instant of date first+k in loc,
// hours.DayStart's answer. It converts a date only where the zone's
// offset may change: while the offset at the last date converted holds
// from a day before the next midnight to a day after it, that is the
// offset [hours.Local] reads there, and the date starts a whole number of
// days after the last one converted. A tenant's dates mostly lie in one
// offset, and each conversion is four zone lookups (the catalog's day
// starts were a tenth of a small build's zone lookups).
func dayStarts(starts []int64, loc *time.Location, first hours.Date) {
	for k := 0; k < len(starts); {
		d := first + hours.Date(k)
		starts[k] = hours.DayStart(loc, d)
		k++
		t := time.Unix(starts[k-1], 0).In(loc)
		zs, ze := t.ZoneBounds()
		_, off := t.Zone()
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64) // [lo, hi) holds off
		if !zs.IsZero() {
			lo = zs.Unix()
		}
		if !ze.IsZero() {
			hi = ze.Unix()
		}
		for ; k < len(starts); k++ {
			// hours.Local reads the offsets a day either side of the
			// midnight read as UTC; both are off when both lie in [lo, hi).
			wall := int64(first+hours.Date(k)) * 86400
			if wall-86400 < lo || wall+86400 >= hi {
				break
			}
			starts[k] = wall - int64(off)
		}
	}
}

// sweepDates is shiftDates sweeping the spans in start order (it sorts
// spans in place), converting an instant to a date only when a span
// reaches past the dates found so far.
func (e *Engine) sweepDates(spans []interval.Span) []hours.Date {
	slices.SortFunc(spans, func(a, b interval.Span) int { return cmp.Compare(a.Start, b.Start) })
	var dates []hours.Date
	last := hours.Date(math.MinInt32)
	lastStart := int64(math.MinInt64) // first instant of the last date found
	for _, sp := range spans {
		if sp.End <= sp.Start || sp.End <= lastStart {
			continue // its dates and the day after are found already
		}
		from := hours.DateAt(e.loc, sp.Start) - 1
		to := hours.DateAt(e.loc, sp.End-1) + 1
		for d := max(from, last+1); d <= to; d++ {
			dates = append(dates, d)
		}
		if to > last {
			last = to
			lastStart = hours.DayStart(e.loc, last)
		}
	}
	return dates
}

// appendDates appends the local dates [start, end) meets, and the day
// before and after.
func appendDates(dates []hours.Date, loc *time.Location, start, end int64) []hours.Date {
	for d := hours.DateAt(loc, start) - 1; d <= hours.DateAt(loc, end-1)+1; d++ {
		dates = append(dates, d)
	}
	return dates
}

// rebuild lays out the catalog over the given dates and recomputes every
// technician's working and free time and all statistics.
func (e *Engine) rebuild(dates []hours.Date) {
	e.cat = e.layout(dates)
	e.restatAll()
}

// layout returns the catalog over the given dates, in any order and
// repeated, with zero statistics for the engine's technicians.
func (e *Engine) layout(dates []hours.Date) catalog {
	slices.Sort(dates)
	dates = slices.Compact(dates)
	c := catalog{dates: dates, dayBase: make([]int32, len(dates)+1)}
	var open interval.Builder
	most := 0 // the most windows of a date so far
	for i, d := range dates {
		// Size the list for the dates left at the most windows a date
		// has had, rather than let it grow by doubling.
		if need := most * (len(dates) - i); cap(c.slots)-len(c.slots) < need {
			c.slots = slices.Grow(c.slots, need)
		}
		c.dayBase[i] = int32(len(c.slots))
		c.slots = e.sched.WindowsOn(c.slots, d)
		most = max(most, len(c.slots)-int(c.dayBase[i]))
		if i == len(dates)-1 || dates[i+1] != d+1 { // the last of a run of dates
			first := d
			for k := i; k > 0 && dates[k-1] == dates[k]-1; k-- {
				first = dates[k-1]
			}
			open.AddSet(e.sched.Open(hours.DayStart(e.loc, first), hours.DayStart(e.loc, d+1)))
		}
	}
	c.dayBase[len(dates)] = int32(len(c.slots))
	c.open = open.Set()
	c.stride = len(e.techs)
	c.stats = make([]stat, len(c.slots)*c.stride)
	c.units = make([]unitTotal, len(c.slots)*len(e.shardUnit))
	return c
}

// restatAll computes every technician's W and F from the shifts and its
// appointments, and its statistics in every slot of the catalog, whose
// statistics are zero. From parallelFrom/64 technicians they are split
// between two goroutines, each summing its units' figures apart.
func (e *Engine) restatAll() {
	n := len(e.techs)
	if n < parallelFrom/64 {
		e.restatRange(0, n, e.cat.units)
		return
	}
	half := make([]unitTotal, len(e.cat.units))
	var wg sync.WaitGroup
	wg.Go(func() { e.restatRange(n/2, n, half) })
	e.restatRange(0, n/2, e.cat.units)
	wg.Wait()
	for k, u := range half {
		e.cat.units[k].cap += u.cap
		e.cat.units[k].free += u.free
	}
}

// restatRange is restatAll for technicians [lo, hi), adding their figures
// to units (laid out as the catalog's).
func (e *Engine) restatRange(lo, hi int, units []unitTotal) {
	sc := spanPool.Get().(*spanScratch)
	defer spanPool.Put(sc)
	for i := lo; i < hi; i++ {
		t := &e.techs[i]
		t.work = keep(e.workInto(sc, t, math.MinInt64, math.MaxInt64))
		sc.busy = t.appts.appendUnion(sc.busy[:0], e.appts)
		sc.free = slices.Grow(sc.free[:0], t.work.Len()+len(sc.busy))
		t.free = keep(interval.AppendDifference(sc.free, t.work, interval.FromNormalized(sc.busy)))
	}
	e.restatBlock(lo, hi, units)
}

// keep returns s in storage of its own, of exactly its size: s may be in
// a spanScratch (Compact would keep a scratch that happens to be full).
func keep(s interval.Set) interval.Set {
	if s.IsEmpty() {
		return interval.Set{}
	}
	if s.Bytes() > int64(s.Len())*int64(unsafe.Sizeof(interval.Span{})) {
		return s.Compact() // a copy, its storage being larger
	}
	spans := make([]interval.Span, s.Len())
	for i := range spans {
		spans[i] = s.At(i)
	}
	return interval.FromNormalized(spans)
}

// spanScratch is working memory for computing W and F, reused from one
// technician to the next by a rebuild: a set returned in it is valid
// until the next use.
type spanScratch struct{ normal, open, off, work, busy, free []interval.Span }

// spanPool keeps spanScratch from one build to the next: each byte a
// build allocates costs collector work, and a small tenant's build
// allocated its scratch anew.
var spanPool = sync.Pool{New: func() any { return new(spanScratch) }}

// workIn computes W(t) ∩ [a, b) from the raw shifts:
// (business hours ∩ Normal shifts) − TimeOff.
func (e *Engine) workIn(t *tech, a, b int64) interval.Set {
	return e.workInto(nil, t, a, b)
}

// workInto is workIn computing in sc's storage (none when sc is nil).
func (e *Engine) workInto(sc *spanScratch, t *tech, a, b int64) interval.Set {
	open := e.cat.open
	bounds, ok := open.Bounds()
	if !ok {
		return interval.Set{}
	}
	if a > bounds.Start || b < bounds.End {
		a, b = max(a, bounds.Start), min(b, bounds.End)
		if a >= b {
			return interval.Set{}
		}
		open = open.Clip(a, b)
	} else {
		a, b = bounds.Start, bounds.End
	}
	if sc == nil {
		normal := e.shifts.Set(t.ID, shifts.Normal, a, b)
		if normal.IsEmpty() {
			return normal
		}
		w := open.Intersect(normal)
		if off := e.shifts.Set(t.ID, shifts.TimeOff, a, b); !off.IsEmpty() {
			w = w.Difference(off)
		}
		return w
	}
	// In scratch: the shifts' spans, W before time off, and W.
	sc.normal = e.shifts.AppendSet(sc.normal[:0], t.ID, shifts.Normal, a, b)
	if len(sc.normal) == 0 {
		return interval.Set{}
	}
	normal := interval.FromNormalized(sc.normal)
	sc.open = slices.Grow(sc.open[:0], open.Len()+normal.Len())
	w := interval.AppendIntersect(sc.open, open, normal)
	sc.off = e.shifts.AppendSet(sc.off[:0], t.ID, shifts.TimeOff, a, b)
	if len(sc.off) == 0 {
		return w
	}
	sc.work = slices.Grow(sc.work[:0], w.Len()+len(sc.off))
	return interval.AppendDifference(sc.work, w, interval.FromNormalized(sc.off))
}

// splice returns old with [a, b) replaced by inside, which must lie within
// [a, b).
func splice(old interval.Set, a, b int64, inside interval.Set) interval.Set {
	return old.Difference(interval.From(a, b)).Union(inside)
}

// refresh recomputes technician i's state after a change confined to
// [a, b) — to its shifts when work is set, else to its appointments — then
// its free time and the statistics of every slot whose figures can have
// changed.
func (e *Engine) refresh(i int, a, b int64, work bool) {
	t := &e.techs[i]
	oldFree := t.free
	if work {
		t.work = splice(t.work, a, b, e.workIn(t, a, b)).Compact()
	}
	// F ∩ [a, b) = (W ∩ [a, b)) − (Bz ∩ [a, b)), and the busy list gives
	// Bz ∩ [a, b) directly: keeping Bz as a set too cost 30 bytes a
	// technician-day.
	t.free = splice(t.free, a, b, t.work.Clip(a, b).Difference(t.appts.unionIn(e.appts, a, b))).Compact()
	// A slot's run reaches to the end of the free stretch its arrival is
	// in, so slots before a whose stretch reached a change too: start from
	// the beginning of the stretch running into a, before and after.
	lo := a
	for _, f := range [2]interval.Set{oldFree, t.free} {
		if sp, ok := f.SpanAt(a - 1); ok {
			lo = min(lo, sp.Start)
		}
	}
	e.restat(i, lo, b)
}

// restat recomputes technician i's statistics for every catalog slot on
// the dates that meet [lo, hi).
func (e *Engine) restat(i int, lo, hi int64) {
	c := &e.cat
	if lo >= hi || len(c.dates) == 0 {
		return
	}
	d0, _ := slices.BinarySearch(c.dates, hours.DateAt(e.loc, max(lo, math.MinInt64/2)))
	d1, found := slices.BinarySearch(c.dates, hours.DateAt(e.loc, min(hi, math.MaxInt64/2)-1))
	if found {
		d1++
	}
	e.restatSlots(i, int(c.dayBase[d0]), int(c.dayBase[d1]))
}

// restatSlots recomputes technician i's statistics for slots [k0, k1).
//
// An inactive technician's figures stay zero: it is never eligible, and
// zeros let an unfiltered query sum whole rows without checking.
func (e *Engine) restatSlots(i, k0, k1 int) { e.restatInto(i, k0, k1, e.cat.units) }

// restatInto is restatSlots adding the changes of unit sums to units.
func (e *Engine) restatInto(i, k0, k1 int, units []unitTotal) {
	c := &e.cat
	t := &e.techs[i]
	if !t.IsActive() {
		return
	}
	n := c.stride
	ns, shard := len(e.shardUnit), int(e.cols[i].shard)
	sw := statWalk{work: t.work, free: t.free}
	for k := k0; k < k1; k++ {
		st := sw.at(&c.slots[k])
		old := &c.stats[k*n+i]
		if shard >= 0 {
			tot := &units[k*ns+shard]
			tot.cap += st.cap - old.cap
			tot.free += st.free - old.free
		}
		*old = st
	}
}

// statWalk computes one technician's figures slot after slot. Slots come
// in start order, so one forward walk over each set serves them all
// instead of a binary search per slot and figure.
type statWalk struct {
	work, free interval.Set
	wi, fi     int
}

// at returns the figures in slot w, which starts no earlier than the
// slot before.
//
// The walk keeps its positions and the slot's bounds in locals, storing
// the positions back once: read through s and w they were loaded and
// stored again at every step (the compiler cannot tell that the sets do
// not alias them), and this is the loop a build runs for every
// technician and slot, over a tenth of a small build's instructions.
func (s *statWalk) at(w *hours.Window) stat {
	work, free := s.work, s.free
	start, end := w.Start, w.End
	wi, fi := s.wi, s.fi
	for wi < work.Len() && work.At(wi).End <= start {
		wi++
	}
	for fi < free.Len() && free.At(fi).End <= start {
		fi++
	}
	s.wi, s.fi = wi, fi
	var st stat
	if start >= end {
		// A window swallowed by a DST gap is empty (its start, moved
		// forward by the gap, is after its end): it holds no working time
		// and no arrival lies in it.
		return st
	}
	for j := wi; j < work.Len() && work.At(j).Start < end; j++ {
		sp := work.At(j)
		st.cap += int32(min(sp.End, end) - max(sp.Start, start))
	}
	for j := fi; j < free.Len() && free.At(j).Start < end; j++ {
		sp := free.At(j)
		st.free += int32(min(sp.End, end) - max(sp.Start, start))
		st.run = max(st.run, int32(min(sp.End-max(sp.Start, start), math.MaxInt32)))
	}
	return st
}

// statBlock is how many technicians restatBlock walks together: their
// figures in a slot are neighbours in the slot-major table, so a block
// writes a few cache lines a slot where one technician at a time wrote
// one line a slot, each far from the last.
const statBlock = 16

// restatBlock computes the statistics of technicians [lo, hi), whose W
// and F are current, in every slot of a catalog whose statistics are
// zero, adding their unit sums to units.
func (e *Engine) restatBlock(lo, hi int, units []unitTotal) {
	c := &e.cat
	n, ns := c.stride, len(e.shardUnit)
	var walk [statBlock]statWalk
	var shard [statBlock]int32
	var cols [statBlock]int32 // the active technicians of the block
	for b0 := lo; b0 < hi; b0 += statBlock {
		m := 0
		for i := b0; i < min(b0+statBlock, hi); i++ {
			if t := &e.techs[i]; t.IsActive() {
				walk[m], shard[m], cols[m] = statWalk{work: t.work, free: t.free}, e.cols[i].shard, int32(i)
				m++
			}
		}
		for k := range c.slots {
			w := &c.slots[k]
			row := c.stats[k*n : (k+1)*n]
			tots := units[k*ns : (k+1)*ns]
			for j := range m {
				st := walk[j].at(w)
				row[cols[j]] = st
				if sh := shard[j]; sh >= 0 {
					tots[sh].cap += st.cap
					tots[sh].free += st.free
				}
			}
		}
	}
}

// growTo adds the dates a new Normal shift [start, end) meets to the
// catalog, rebuilding it when any is new, and reports whether it did.
func (e *Engine) growTo(start, end int64) bool {
	var missing bool
	for _, d := range appendDates(nil, e.loc, start, end) {
		if _, ok := e.cat.index(d); !ok {
			missing = true
		}
	}
	if !missing {
		return false
	}
	e.rebuild(appendDates(slices.Clone(e.cat.dates), e.loc, start, end))
	return true
}

// Location returns the tenant's time zone.
func (e *Engine) Location() *time.Location { return e.loc }

// Schedule returns the tenant's compiled business hours and windows.
func (e *Engine) Schedule() *hours.Schedule { return e.sched }

// Zones returns the tenant's zone directory, or nil.
func (e *Engine) Zones() *zones.Directory { return e.zones }

// Shifts returns the engine's shift store, for listing and [shifts.Store.Get].
// Change shifts through the engine ([Engine.CreateShifts],
// [Engine.UpdateShift], [Engine.DeleteShift] …) so that capacity follows:
// a change made on the store directly is not seen by the engine.
//
// The store is safe for concurrent use with its own lock, which the
// engine's queries do not share: a read of it during a change may already
// show the change while the engine still computes its capacity, and two
// reads, one of the store and one of the engine, are not one snapshot.
// [Engine.Data] reads the shifts under the engine's lock, with the rest.
func (e *Engine) Shifts() *shifts.Store { return e.shifts }

// Technician returns the technician with the given id, its skills, zones
// and home copied.
func (e *Engine) Technician(id int64) (Technician, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.techIdx[id]
	if !ok {
		return Technician{}, false
	}
	return own(e.techs[i].Technician), true
}

// JobType returns the job type with the given id.
func (e *Engine) JobType(id int64) (JobType, bool) {
	p := e.jobTypePos(id) // the list is immutable after New
	if p < 0 {
		return JobType{}, false
	}
	return ownJobType(e.jobTypeList[p]), true // the caller may change it
}

// Appointment returns the appointment with the given id and the ids of
// the technicians assigned to it now.
func (e *Engine) Appointment(id int64) (Appointment, []int64, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a := e.appt(id)
	if a == nil {
		return Appointment{}, nil, false
	}
	var buf [1]assignee
	list := e.assigneesIn(a, &buf)
	ids := make([]int64, len(list))
	for i, x := range list {
		ids[i] = e.techs[x.col].ID
	}
	slices.Sort(ids) // columns are not in id order after AddTechnician
	return e.public(a), ids, true
}

// Data returns the engine's current records, in id order, for saving.
// The Schedule and Zones are shared (immutable); every slice and pointer
// is a copy the caller may change, down to the records' lists and actors
// (records of one call with the same actor share one copy of it).
func (e *Engine) Data() Data {
	e.mu.RLock()
	defer e.mu.RUnlock()
	d := Data{
		Schedule:      e.sched,
		BusinessUnits: slices.Clone(e.unitList),
		JobTypes:      make([]JobType, len(e.jobTypeList)),
		Zones:         e.zones,
		Shifts:        e.shifts.All(),
		Assignments:   make([]Assignment, len(e.ledger)),

		IdealBookingPercentage: e.rawIdeal,
	}
	e.controlData(&d)
	ownJobTypes(d.JobTypes, e.jobTypeList)
	d.Technicians = e.technicians()
	var ac actorCopies
	for i := range e.ledger {
		d.Assignments[i] = e.publicRecord(&e.ledger[i], &ac)
	}
	d.Appointments = make([]Appointment, len(e.appts))
	for i := range e.appts {
		d.Appointments[i] = e.public(&e.appts[i])
	}
	slices.SortFunc(d.Appointments, func(a, b Appointment) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Shifts, func(a, b shifts.Shift) int { return cmp.Compare(a.ID, b.ID) })
	return d
}

// String describes the engine's size.
func (e *Engine) String() string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return fmt.Sprintf("capacity.Engine{technicians: %d, appointments: %d, dates: %d, slots: %d}",
		len(e.techs), len(e.appts), len(e.cat.dates), len(e.cat.slots))
}

// Arrival returns the earliest instant a in [start, end) at which
// technician tech can arrive for a job of duration d, [a, a+d) lying in
// its free time — the fit test of a capacity timeslot, for one technician
// — in the tenant's location, and false when there is none or the
// technician is unknown. Instants count in whole seconds: a d of less
// than a second, or negative, is 0, which fits at any free instant.
func (e *Engine) Arrival(tech int64, start, end time.Time, d time.Duration) (time.Time, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.techIdx[tech]
	if !ok {
		return time.Time{}, false
	}
	a, ok := e.techs[i].free.EarliestFit(start.Unix(), end.Unix(), int64(d/time.Second))
	if !ok {
		return time.Time{}, false
	}
	return e.at(a), true
}

// Load returns technician tech's working and booked time in [start, end):
// |W ∩ S| and |W ∩ Bz ∩ S|. An empty or reversed span, and an unknown
// technician, have none: 0, 0 (tell an unknown one with
// [Engine.Technician]).
func (e *Engine) Load(tech int64, start, end time.Time) (work, booked time.Duration) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.techIdx[tech]
	if !ok {
		return 0, 0
	}
	t := &e.techs[i]
	w := t.work.MeasureIn(start.Unix(), end.Unix())
	b := w - t.free.MeasureIn(start.Unix(), end.Unix())
	return time.Duration(w) * time.Second, time.Duration(b) * time.Second
}

// Working returns technician tech's working time W(t) within [start,
// end), as a set of spans in Unix seconds: package interval's instants,
// whose algebra (union, measure, clipping) the caller may go on with.
// An empty or reversed span, and an unknown technician, give the empty
// set (tell an unknown one with [Engine.Technician]).
func (e *Engine) Working(tech int64, start, end time.Time) interval.Set {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.techIdx[tech]
	if !ok {
		return interval.Set{}
	}
	return e.techs[i].work.Clip(start.Unix(), end.Unix())
}

// Technicians returns every technician, ascending by id.
func (e *Engine) Technicians() []Technician {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.technicians()
}

func (e *Engine) technicians() []Technician {
	out := make([]Technician, len(e.techs))
	for k, i := range e.order {
		out[k] = own(e.techs[i].Technician) // the caller may change them
	}
	return out
}
