package sim

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/gps"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
)

// Event kinds and their priorities at equal times: finishing frees a
// technician before anything else happens at that instant.
const (
	evFinish = iota
	evArrive
	evDepart
	evCall
)

// Random streams. The arrival stream of a replication draws the candidate
// times and their thinning; everything about one call (job type, zone,
// zip, emergency, the customer's choices, its duration, where exactly it
// is) comes from a generator seeded by (scenario seed, replication,
// candidate number), so a variant that changes anything — even the
// demand's scale or mix — leaves every other call exactly as it was
// (common random numbers).
const (
	streamArrivals = iota + 1
	streamCall
	streamKept // the actual durations of the kept book's jobs, keyed by appointment
	// streamLayers+l is the arrival stream of candidate layer l ≥ 1
	// (at most maxLayers: the id stays within its 8 bits).
	streamLayers = 8
)

// mix64 is the SplitMix64 finalizer: it spreads structured seeds
// (consecutive candidates, replications) over the whole state space.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func stream(seed uint64, id int, rep int) *rand.Rand {
	return rand.New(rand.NewPCG(mix64(seed^uint64(id)<<56), mix64(uint64(rep)<<1|1)))
}

// job is a booked visit and how it went.
type job struct {
	call       int64 // call time
	emergency  bool
	jobType    int32 // index into world.jobTypes
	zone       int32 // index into world.zones
	tech       int32
	planned    int64 // planned arrival (the appointment's start)
	windowEnd  int64 // end of the promised arrival window
	plannedDur int64
	actualDur  int64
	loc        point
	speed      float64 // km/h in the job's zone
	depart     int64   // when the technician set out for it
	arrive     int64   // actual arrival on site, 0 until then
	finish     int64
	window     int  // index of the arrival window within the day, -1 for emergencies
	kept       bool // of the tenant's kept book: no call of the simulation
}

// techRun is one technician's execution state.
type techRun struct {
	id      int64
	pos     point
	posDate hours.Date
	queue   []int32 // pending jobs, by planned arrival
	busy    bool    // driving or on site
	ver     uint32  // invalidates stale departure events
	// free mirrors the engine's F(t) = W(t) − Bz(t) from the latest call
	// on (earlier free time is dropped: nothing can be booked in the
	// past); urgent is when an emergency may start: free time and the
	// technician's OnCall shifts, less time off and bookings; open is when
	// it may run: any time but time off and other bookings, so that an
	// emergency taken late in the day runs into overtime. W(t) is the
	// world's, fixed for the run.
	free, urgent, open spans
}

// rep is one replication of one variant. It owns its book: the figures
// of its capacity index (see index.go), its technicians' free time and
// its event queue, so nothing in it takes a lock.
type rep struct {
	w   *world
	idx int
	q   queue

	arrivals *rand.Rand
	callSrc  rand.PCG
	callRNG  *rand.Rand
	callT    float64 // the latest candidate call, seconds after w.start, exact
	cand     uint64  // candidates drawn so far
	nextCand uint64  // the candidate number of the queued call
	// The candidate layers of a world with more demand than the
	// baseline (world.layers > 1): each layer's stream, its next
	// candidate's time and its candidates drawn so far; layer 0 is the
	// baseline's own process.
	layerRNG  []*rand.Rand
	layerT    []float64
	layerCand []uint64

	hourFrom, hourTo int64 // the local hour the last lookup fell in
	hourIdx          int

	techs   []techRun
	stats   []figures // per catalog slot and technician (slot-major)
	freeDay []int64   // per catalog date and technician (date-major): |F ∩ day|
	used    []int64   // per bag and catalog slot: appointment time rules count
	emIdx   []*emIndex
	cands   []int32 // scratch: the fitting technicians of a window
	cur     job     // scratch: the call being handled
	jobs    []job   // booked jobs not yet done
	spare   []int32 // indexes of jobs that are done, for reuse
	nextID  int64
	events  int64
	kpi     *Run

	// keep records the book and the GPS pings for a dispatch board
	// ([Options.Board]); eng is that book in a capacity engine, built at
	// the end.
	running bool // the event loop runs: handlers may handle events at once
	keep    bool
	made    []booking
	pings   []gps.Ping
	eng     *capacity.Engine
	// onCall, when set (by tests), sees every call: its time and actual
	// duration; onRoutine sees every routine call's class and time before
	// it is answered, onBook every booking.
	onCall    func(now, actual int64)
	onRoutine func(c *class, zip string, now int64)
	onBook    func(b booking)
	// onEmergency sees each emergency's search and its answer (list
	// position and start, or -1).
	onEmergency func(list []int32, now, end, d int64, pos int32, at int64)
	// onDone sees every job when it is done.
	onDone func(j *job)
}

// booking is an appointment the replication made and its technician.
type booking struct {
	appt capacity.Appointment
	tech int64
}

// newRep builds replication idx of world w.
func newRep(w *world, idx int, keep bool) (*rep, error) {
	seed := w.s.Seed
	r := &rep{w: w, idx: idx, keep: keep,
		arrivals: stream(seed, streamArrivals, idx),
		nextID:   1_000_000, hourTo: math.MinInt64,
		kpi:   newRun(w, idx),
		stats: slices.Clone(w.stats0), freeDay: slices.Clone(w.freeDay0), used: slices.Clone(w.used0),
		emIdx: make([]*emIndex, len(w.emLists))}
	r.callRNG = rand.New(&r.callSrc)
	if w.layers > 1 && w.envelope > 0 && !math.IsInf(w.envelope, 0) {
		r.layerRNG = make([]*rand.Rand, w.layers)
		r.layerT = make([]float64, w.layers)
		r.layerCand = make([]uint64, w.layers)
		r.layerRNG[0] = r.arrivals
		for l := range w.layers {
			if l > 0 {
				r.layerRNG[l] = stream(seed, streamLayers+l, idx)
			}
			r.layerT[l] = r.layerRNG[l].ExpFloat64() / w.envelope
		}
	}
	r.techs = make([]techRun, len(w.techs))
	for i, t := range w.techs {
		r.techs[i] = techRun{id: t.ID, pos: w.home[t.ID], posDate: -1,
			free: spansOf(w.free0[i]), urgent: spansOf(w.urgent0[i]), open: spansOf(w.open0[i])}
	}
	r.kpi.Windows = make([]Window, len(w.windows))
	for i, s := range w.windows {
		r.kpi.Windows[i].Window = s.String()
	}
	r.kpi.UnitWindows = make([]UnitWindows, len(w.poolTechs))
	for u := range r.kpi.UnitWindows {
		uw := &r.kpi.UnitWindows[u]
		uw.Windows = make([]Window, len(w.windows))
		for i, s := range w.windows {
			uw.Windows[i].Window = s.String()
		}
		if g := w.ctl.groupOf[u]; g >= 0 {
			for _, p := range w.ctl.groupUnits[g] {
				uw.Pool = append(uw.Pool, w.ctl.units[p])
			}
		}
	}
	r.keepBook()
	return r, nil
}

// keepBook queues the kept book's assigned appointments as jobs of their
// technicians, their actual durations drawn as a call's are, and plans
// each technician's first departure.
//
// Each appointment's duration comes from a stream keyed by its id (and
// the replication), as each call's draws are keyed by the call: one
// stream read in the book's order gave every later appointment another
// duration when a variant took a technician, and with him his kept jobs,
// off, which blurred the paired differences (TestKeptDurationsKeyed).
// The technicians of one appointment carry out one job: they get the
// same duration.
func (r *rep) keepBook() {
	w := r.w
	if len(w.kept) == 0 {
		return
	}
	var src rand.PCG
	g := rand.New(&src)
	for _, k := range w.kept {
		src.Seed(mix64(w.s.Seed^uint64(streamKept)<<56), mix64(uint64(r.idx)<<40^mix64(uint64(k.appt))))
		actual := max(1, int64(math.Round(float64(k.planned)*r.durationFactor(g)*w.durScale)))
		r.jobs = append(r.jobs, job{call: k.start, jobType: k.jobType, zone: k.zone, planned: k.start, windowEnd: k.windowEnd,
			tech: k.tech, plannedDur: k.planned, actualDur: actual, loc: k.loc, speed: k.speed, window: -1, kept: true})
		ji := int32(len(r.jobs) - 1)
		t := &r.techs[k.tech]
		at, _ := slices.BinarySearchFunc(t.queue, k.start, func(q int32, p int64) int { return cmp.Compare(r.jobs[q].planned, p) })
		t.queue = slices.Insert(t.queue, at, ji)
	}
	for ti := range r.techs {
		r.planDeparture(int32(ti), w.lo)
	}
}

// run executes the replication until every booked job is done and
// returns its figures.
func (r *rep) run() *Run {
	r.running = true
	r.scheduleNextCall()
	for r.q.len() > 0 {
		ev := r.q.pop()
		r.events++
		switch ev.kind() {
		case evCall:
			// The next call first: what the call schedules must see it.
			k := r.nextCand
			r.scheduleNextCall()
			r.call(ev.at, k)
		case evDepart:
			r.depart(ev)
		case evArrive:
			r.arrive(ev)
		case evFinish:
			r.finish(ev)
		}
	}
	r.kpi.finish(r)
	return r.kpi
}

// scheduleNextCall draws the next call by thinning, exactly in continuous
// time: candidates form a Poisson process at the envelope rate (the same
// for every variant), each kept with probability rate(t)/envelope. The
// clock of the process is the exact candidate time; a call is handled at
// the whole second it falls in, which never shifts the next one.
func (r *rep) scheduleNextCall() {
	w := r.w
	if !(w.envelope > 0) || math.IsInf(w.envelope, 0) {
		return // newWorld refuses such rates; never loop on one
	}
	span := float64(w.end - w.start)
	if r.layerT != nil {
		r.scheduleLayered(span)
		return
	}
	for {
		r.callT += r.arrivals.ExpFloat64() / w.envelope
		if r.callT >= span {
			return
		}
		at := w.start + int64(r.callT) // floor: callT ≥ 0
		k := r.cand
		r.cand++
		if r.arrivals.Float64()*w.envelope < w.hourRate[r.hourOfWeek(at)] {
			r.nextCand = k
			r.q.pushSide(event{at: at}, evCall)
			return
		}
	}
}

// scheduleLayered draws the next call of a world with more demand than
// the baseline: its rate r(t) is split over layers of candidates, each a
// Poisson process at the envelope rate E (the baseline's highest), layer
// l keeping a candidate with probability clamp(r(t) − l·E, 0, E)/E. The
// superposition has rate r(t); layer 0 is the baseline's own process
// (the same draws in the same order, the same candidate numbers), kept
// whole where r(t) ≥ E, so every call of the baseline is a call of the
// variant, and a variant with more demand has every call of one with
// less. A candidate of layer l ≥ 1 is numbered with l in the key's top
// seven bits, so that its call's generator is its own.
func (r *rep) scheduleLayered(span float64) {
	w := r.w
	for {
		l := 0
		for i := 1; i < len(r.layerT); i++ {
			if r.layerT[i] < r.layerT[l] {
				l = i
			}
		}
		t := r.layerT[l]
		if t >= span {
			return // every layer is past the end
		}
		g := r.layerRNG[l]
		at := w.start + int64(t) // floor: t ≥ 0
		k := r.layerCand[l]
		r.layerCand[l]++
		keep := g.Float64()*w.envelope < min(max(w.hourRate[r.hourOfWeek(at)]-float64(l)*w.envelope, 0), w.envelope)
		r.layerT[l] += g.ExpFloat64() / w.envelope
		if keep {
			r.nextCand = k | uint64(l)<<57
			r.q.pushSide(event{at: at}, evCall)
			return
		}
	}
}

// at returns instant u in the tenant's zone, as the engine takes and
// returns times; 0 (no arrival window) is the zero time.
func (r *rep) at(u int64) time.Time {
	if u == 0 {
		return time.Time{}
	}
	return time.Unix(u, 0).In(r.w.loc)
}

// hourOfWeek returns the local hour of the week of instant t, Sunday
// 00:00 first, caching the hour it last looked up.
func (r *rep) hourOfWeek(t int64) int {
	if t >= r.hourFrom && t < r.hourTo {
		return r.hourIdx
	}
	lt := time.Unix(t, 0).In(r.w.loc)
	r.hourFrom = t - int64(lt.Minute()*60+lt.Second())
	r.hourTo = r.hourFrom + 3600
	// The local hour lies within the offset's span: after a change the
	// hour may have begun before it (Lord Howe's 02:00 daylight time is
	// 01:30 standard time, of hour 01) or end after the next one.
	zoneStart, zoneEnd := lt.ZoneBounds()
	if !zoneStart.IsZero() && zoneStart.Unix() > r.hourFrom {
		r.hourFrom = zoneStart.Unix()
	}
	if !zoneEnd.IsZero() && zoneEnd.Unix() < r.hourTo {
		r.hourTo = zoneEnd.Unix()
	}
	r.hourIdx = int(lt.Weekday())*24 + lt.Hour()
	return r.hourIdx
}

// rng returns the generator of candidate call k.
func (r *rep) rng(k uint64) *rand.Rand {
	r.callSrc.Seed(mix64(r.w.s.Seed^uint64(streamCall)<<56), mix64(uint64(r.idx)<<40^k))
	return r.callRNG
}

func pickCum(u float64, c []float64) int {
	// The first entry whose cumulative weight exceeds x: entries of zero
	// weight are never picked.
	x := u * c[len(c)-1]
	i, _ := slices.BinarySearchFunc(c, x, func(e, t float64) int {
		if e <= t {
			return -1
		}
		return 1
	})
	return min(i, len(c)-1)
}

// call handles candidate call k at time now.
func (r *rep) call(now int64, k uint64) {
	w := r.w
	g := r.rng(k)
	ji := pickCum(g.Float64(), w.jtCum)
	zi := pickCum(g.Float64(), w.zoneCum)
	jt, zone := &w.jobTypes[ji], &w.zones[zi]
	at := &zone.at[g.IntN(1<<20)%len(zone.at)]
	zip := at.zip
	emergency := g.Float64() < w.emergency
	uDecline, uPrefer, uPart := g.Float64(), g.Float64(), g.Float64()
	factor := r.durationFactor(g)
	jitter := point{(g.Float64() - 0.5) * 0.04, (g.Float64() - 0.5) * 0.04}
	// Drawn last and always, so that the draws before it stay the same
	// whatever the tenant's priority job types and the emergency share.
	uEm := g.Float64()
	if emergency && len(w.emType[ji]) > 0 {
		ji = int(w.emType[ji][pickCum(uEm, w.emCum[ji])])
		jt = &w.jobTypes[ji]
	}

	planned := int64(jt.DurationMinutes) * 60
	// Exact to the nearest second (unbiased), at least one second.
	actual := max(1, int64(math.Round(float64(planned)*factor*w.durScale)))
	j := &r.cur
	*j = job{call: now, emergency: emergency, jobType: int32(ji), zone: int32(zi), plannedDur: planned, actualDur: actual,
		loc: point{zone.centre.lat + jitter.lat, zone.centre.lon + jitter.lon}, speed: zone.speed, window: -1}
	r.kpi.call(now, ji, zi, emergency)
	if r.onCall != nil {
		r.onCall(now, actual)
	}

	if len(at.elig[ji]) == 0 {
		r.kpi.lost(now, ji, zi, emergency, NoEligibleTechnician)
		return
	}
	if emergency {
		r.emergencyCall(now, at.em[ji], jt, zip, j)
		return
	}
	cl := at.cls[ji]
	if r.onRoutine != nil {
		r.onRoutine(cl, zip, now)
	}
	horizonEnd := w.daysAhead(now, w.booking.HorizonDays)
	// The windows offered, in time order: the customer takes the earliest,
	// or the earliest in the part of the day it prefers (the earliest when
	// that part has none).
	part := 0 // 1 morning, 2 afternoon
	if uPrefer < w.booking.PreferredShare {
		part = 2
		if uPart < 0.5 {
			part = 1
		}
	}
	first, chosen := -1, -1
	held, reserved := false, false
	for k := r.slotsFrom(now); k < len(w.slots) && w.slots[k].Start < horizonEnd; k++ {
		st := r.status(cl, k, now, horizonEnd)
		if st&slotAvailable == 0 {
			if st&slotReserved != 0 {
				// Held back by a reserve or a rule; when the ideal
				// percentage would hold it back too, that reason comes
				// first.
				if !w.booking.OfferExceeding && st&slotExceeding != 0 {
					held = true
				} else {
					reserved = true
				}
			}
			continue
		}
		if !w.booking.OfferExceeding && st&slotExceeding != 0 {
			held = true
			continue
		}
		if first < 0 {
			first = k
			if part == 0 {
				break
			}
		}
		if (part == 1) == w.slots[k].morning {
			chosen = k
			break
		}
	}
	if first < 0 {
		reason := NoFit
		switch {
		case held:
			reason = IdealHeld
		case reserved:
			reason = ReserveOrRule
		case r.offeredWithin(cl, now, w.daysAhead(now, 2*w.booking.HorizonDays)):
			reason = BeyondHorizon
		}
		r.kpi.lost(now, ji, zi, false, reason)
		return
	}
	fs := &w.slots[first]
	if float64(fs.Start-now) > w.booking.DeclineAfterDays*86400 && uDecline < w.booking.DeclineProbability {
		r.kpi.lost(now, ji, zi, false, Declined)
		return
	}
	if chosen < 0 {
		chosen = first
	}
	cs := &w.slots[chosen]
	r.cands = r.fitting(cl, chosen, r.cands[:0])
	ti := w.policy.choose(r, r.cands, cs.Start, cs.End, j, jt.JobType)
	a, ok := r.techs[ti].free.earliestFit(cs.Start, cs.End, planned)
	if !ok {
		panic("sim: a fitting technician has no arrival")
	}
	j.planned, j.windowEnd = a, cs.End
	j.window = int(cs.window)
	r.book(ti, jt, zip, j, cs.Start, cs.End)
}

// slotsFrom returns the index of the first catalog slot of the local date
// of t: a request's slots start there, in catalog order, which is the
// engine's response order.
func (r *rep) slotsFrom(t int64) int {
	d := r.kpi.dc.dateIdx(r.w, t)
	return int(r.w.dayBase[min(max(d, 0), r.w.ndays)])
}

// Slot states: what the engine answers for one timeslot of a request.
const (
	slotListed    = 1 << iota // the timeslot is in the response
	slotAvailable             // isAvailable
	slotExceeding             // isExceedingIdealBookingPercentage
	// slotReserved: a technician fits and the pool has time, but the
	// reserve holds it back or a capacity rule blocks the timeslot.
	slotReserved
)

// status answers for catalog slot k what the engine answers for a request
// of class c over [from, to), as slot states.
func (r *rep) status(c *class, k int, from, to int64) uint8 {
	s := &r.w.slots[k]
	cs := &c.slots[k]
	if s.Start < from || s.End > to || !cs.applies {
		return 0
	}
	n := len(r.w.techs)
	row := r.stats[k*n : (k+1)*n]
	var free int64
	fit := false
	d := max(c.dur, 1)
	for _, t := range c.elig {
		st := row[t]
		free += int64(st.free)
		fit = fit || int64(st.run) >= d
	}
	st := uint8(slotListed)
	if booked := cs.capacity - free; (booked+cs.pending+c.dur)*100 > cs.idealCap+cs.adjustIdl {
		st |= slotExceeding
	}
	pool := free + cs.adjust - cs.pending
	if !fit || pool <= 0 {
		return st
	}
	if pool-cs.reserve <= 0 {
		return st | slotReserved
	}
	ns := len(r.w.slots)
	for _, rl := range c.rules {
		var used int64
		for _, b := range rl.bags {
			used += r.used[int(b)*ns+k]
		}
		if (used+c.dur)*100 > rl.maxPct*max(0, cs.capacity+cs.adjust) {
			return st | slotReserved
		}
	}
	return st | slotAvailable
}

// fitting appends the eligible technicians of class c who fit its job in
// slot k, ascending: the engine's technicianIds.
func (r *rep) fitting(c *class, k int, dst []int32) []int32 {
	n := len(r.w.techs)
	row := r.stats[k*n : (k+1)*n]
	d := max(c.dur, 1)
	for _, t := range c.elig {
		if int64(row[t].run) >= d {
			dst = append(dst, t)
		}
	}
	return dst
}

// offeredWithin reports whether the booking policy would offer some
// window of [from, to) to class c.
func (r *rep) offeredWithin(c *class, from, to int64) bool {
	for k := r.slotsFrom(from); k < len(r.w.slots) && r.w.slots[k].Start < to; k++ {
		if st := r.status(c, k, from, to); st&slotAvailable != 0 && (r.w.booking.OfferExceeding || st&slotExceeding == 0) {
			return true
		}
	}
	return false
}

// durationFactor draws the ratio of actual to planned duration.
func (r *rep) durationFactor(g *rand.Rand) float64 {
	x := r.w.s.Execution
	if x.Exponential {
		return g.ExpFloat64()
	}
	if x.DurationCV == 0 {
		return 1
	}
	// Lognormal with mean 1 and the given coefficient of variation.
	sigma2 := math.Log1p(x.DurationCV * x.DurationCV)
	return distuv.LogNormal{Mu: -sigma2 / 2, Sigma: math.Sqrt(sigma2), Src: g}.Rand()
}

// emergencyCall books the earliest arrival any eligible technician can
// make within the maximum wait — in free working time or on call, the
// job running into overtime if it must — ties to the lowest id, the job
// blocking its actual duration: first come, first served by earliest
// availability. The technicians of the call's eligible list are found
// through an index ([emIndex]) rather than by asking each.
// With no driving and a wait bound longer than any wait this is the
// M/M/c queue; with a bound of zero the M/M/c/c loss system.
func (r *rep) emergencyCall(now int64, list int32, jt *jobTypeInfo, zip string, j *job) {
	end := min(now+int64(r.w.booking.EmergencyMaxWaitMinutes)*60+1, r.w.last)
	x := r.emIdx[list]
	if x == nil {
		x = newEmIndex(r.w.emLists[list])
		r.emIdx[list] = x
	}
	pos, at := x.earliest(r, now, end, j.actualDur)
	if r.onEmergency != nil {
		r.onEmergency(x.list, now, end, j.actualDur, pos, at)
	}
	if pos < 0 {
		why := EmergencyOffDuty
		for _, ti := range x.list {
			if r.w.duty[ti].Overlaps(interval.Span{Start: now, End: end}) {
				why = EmergencyWait
				break
			}
		}
		r.kpi.lost(now, int(j.jobType), int(j.zone), true, why)
		return
	}
	j.planned, j.windowEnd = at, at
	ti := x.list[pos]
	r.book(ti, jt, zip, j, at, at)
	x.booked(r, pos, now)
}

// book records the appointment, assigns technician ti and queues the job
// for execution.
func (r *rep) book(ti int32, jt *jobTypeInfo, zip string, j *job, ws, we int64) {
	r.nextID++
	dur := j.plannedDur
	if j.emergency {
		dur = j.actualDur
	}
	t := &r.techs[ti]
	start, end := j.planned, j.planned+dur
	if r.keep || r.onBook != nil {
		b := booking{capacity.Appointment{ID: r.nextID, JobID: r.nextID, JobTypeID: jt.ID, BusinessUnitID: jt.unit,
			Start: r.at(start), End: r.at(end), ArrivalWindowStart: r.at(ws), ArrivalWindowEnd: r.at(we), Zip: zip}, t.id}
		if r.keep {
			r.made = append(r.made, b)
		}
		if r.onBook != nil {
			r.onBook(b)
		}
	}
	r.take(ti, start, end, j.call)
	if c := r.w.ctl; c.nbags > 0 && c.bagOf[j.jobType] != nil {
		if u := c.unitPos(jt.unit); u >= 0 {
			r.w.count(r.used, c.bagOf[j.jobType][u], start, end)
		}
	}
	j.tech = ti
	var ji int32
	if n := len(r.spare); n > 0 {
		ji = r.spare[n-1]
		r.spare = r.spare[:n-1]
		r.jobs[ji] = *j
	} else {
		ji = int32(len(r.jobs))
		r.jobs = append(r.jobs, *j)
	}
	r.kpi.booked(j.call, int(j.jobType), int(j.zone))
	at, _ := slices.BinarySearchFunc(t.queue, j.planned, func(k int32, p int64) int { return cmp.Compare(r.jobs[k].planned, p) })
	t.queue = slices.Insert(t.queue, at, ji)
	if !t.busy {
		r.planDeparture(ti, j.call)
	}
}

// take makes [a, b) busy for technician ti at time now: its free, urgent
// and open time lose it, and the figures of the slots and dates it
// touches follow.
func (r *rep) take(ti int32, a, b, now int64) {
	w := r.w
	t := &r.techs[ti]
	n, ns := len(w.techs), len(w.slots)
	// Runs and daily loads serve routine calls only.
	routine := w.emergency < 1
	// The free stretch running into a reaches the slots before it: their
	// runs change too.
	lo := a
	if sp, ok := t.free.spanAt(a - 1); ok && routine {
		lo = sp.Start
	}
	// Free time lost, slot by slot and date by date.
	for i := t.free.search(a); i < len(t.free) && t.free[i].Start < b; i++ {
		x, y := max(t.free[i].Start, a), min(t.free[i].End, b)
		dx := r.kpi.dc.dateIdx(w, x)
		for k := w.firstSlotMeeting(dx); k < ns && w.slots[k].Start < y; k++ {
			if ov := min(y, w.slots[k].End) - max(x, w.slots[k].Start); ov > 0 {
				r.stats[k*n+int(ti)].free -= int32(ov)
			}
		}
		for d := max(dx, 0); routine && d < w.ndays; d++ {
			ds, de := w.dayStart(d), w.dayStart(d+1)
			if ds >= y {
				break
			}
			if ov := min(y, de) - max(x, ds); ov > 0 {
				r.freeDay[d*n+int(ti)] -= ov
			}
		}
	}
	t.free.subtract(a, b)
	t.urgent.subtract(a, b)
	t.open.subtract(a, b)
	// Runs of the slots from lo to b that a later request may ask for.
	for k := w.firstSlotMeeting(r.kpi.dc.dateIdx(w, lo)); routine && k < ns && w.slots[k].Start < b; k++ {
		s := &w.slots[k]
		if s.End <= lo || s.Start < now {
			continue
		}
		var run int32
		for i := t.free.search(s.Start); i < len(t.free) && t.free[i].Start < s.End; i++ {
			run = max(run, int32(min(t.free[i].End-max(t.free[i].Start, s.Start), math.MaxInt32)))
		}
		r.stats[k*n+int(ti)].run = run
	}
	t.free.dropBefore(now)
	t.urgent.dropBefore(now)
	t.open.dropBefore(now)
}

// urgentFit returns the earliest a in [start, end) at which the
// technician can take an emergency of d seconds: a in urgent time, and
// [a, a+d) in open time.
func (t *techRun) urgentFit(start, end, d int64) (int64, bool) {
	return t.urgentFitFrom(t.urgent.search(start), start, end, d)
}

// urgentFitFrom is urgentFit given i, the index of the first urgent span
// that ends after start.
func (t *techRun) urgentFitFrom(i int, start, end, d int64) (int64, bool) {
	for ; i < len(t.urgent) && t.urgent[i].Start < end; i++ {
		sp := t.urgent[i]
		if a, ok := t.open.earliestFit(max(sp.Start, start), min(sp.End, end), d); ok {
			return a, true
		}
	}
	return 0, false
}

// driveSeconds is the drive from a to b at speed km/h.
func (r *rep) driveSeconds(a, b point, speed float64) int64 {
	f := r.w.s.Execution.DetourFactor
	if f == 0 || speed <= 0 {
		return 0
	}
	return int64(math.Round(haversineKm(a, b) * f / speed * 3600))
}

// startOfDay moves an idle technician home when its next job is on a new
// local date: days start from home.
func (r *rep) startOfDay(t *techRun, next *job) {
	d := r.kpi.dc.dateOf(r.w, next.planned)
	if d != t.posDate {
		t.pos, t.posDate = r.w.home[t.id], d
	}
}

// planDeparture schedules an idle technician's departure for its next job
// so that it arrives at the planned time, or now if that is already late.
func (r *rep) planDeparture(ti int32, now int64) {
	t := &r.techs[ti]
	if len(t.queue) == 0 {
		return
	}
	j := &r.jobs[t.queue[0]]
	r.startOfDay(t, j)
	leave := max(now, j.planned-r.driveSeconds(t.pos, j.loc, j.speed))
	t.ver++
	r.handle(event{at: leave, tech: ti, job: int32(t.ver)}, evDepart)
}

// handle schedules an event, or handles it at once when it would be the
// next one popped anyway — the order of events, and their count, are the
// same. Only a handler may do so, as its last act: nothing it schedules
// after could then come first.
func (r *rep) handle(ev event, prio uint8) {
	if !r.running || !r.q.first(ev.at, prio) {
		r.q.push(ev, prio)
		return
	}
	r.q.seq++ // the sequence number the event would have had
	ev.key = uint64(prio)<<56 | r.q.seq
	r.events++
	switch prio {
	case evDepart:
		r.depart(ev)
	case evArrive:
		r.arrive(ev)
	}
}

func (r *rep) depart(ev event) {
	t := &r.techs[ev.tech]
	if uint32(ev.job) != t.ver || t.busy || len(t.queue) == 0 {
		return // superseded by a newer plan
	}
	ji := t.queue[0]
	t.queue = t.queue[:copy(t.queue, t.queue[1:])]
	j := &r.jobs[ji]
	r.startOfDay(t, j)
	drive := r.driveSeconds(t.pos, j.loc, j.speed)
	t.busy = true
	j.depart = ev.at
	r.kpi.drive(ev.at, ev.at+drive, ev.tech)
	r.emitTrack(t, ev.at, drive, j.loc, j.speed)
	r.handle(event{at: ev.at + drive, tech: ev.tech, job: ji}, evArrive)
}

func (r *rep) arrive(ev event) {
	j := &r.jobs[ev.job]
	j.arrive = ev.at
	t := &r.techs[ev.tech]
	t.pos = j.loc
	r.emitSite(t, ev.at, j.actualDur)
	r.q.push(event{at: ev.at + j.actualDur, tech: ev.tech, job: ev.job}, evFinish)
}

func (r *rep) finish(ev event) {
	j := &r.jobs[ev.job]
	j.finish = ev.at
	r.kpi.job(r, j)
	if r.onDone != nil {
		r.onDone(j)
	}
	r.spare = append(r.spare, ev.job)
	t := &r.techs[ev.tech]
	t.busy = false
	r.planDeparture(ev.tech, ev.at)
}

// emitTrack records GPS pings along a drive, when pings are kept.
func (r *rep) emitTrack(t *techRun, at, drive int64, to point, speedKmh float64) {
	every := int64(r.w.s.Execution.PingSeconds)
	if !r.keep || every <= 0 {
		return
	}
	from := t.pos
	head := bearing(from, to)
	for s := int64(0); s < drive; s += every {
		f := float64(s) / float64(drive)
		r.pings = append(r.pings, gps.Ping{TechnicianID: t.id, Latitude: from.lat + (to.lat-from.lat)*f, Longitude: from.lon + (to.lon-from.lon)*f,
			Speed: speedKmh / 3.6, Heading: math.Round(head), Time: at + s})
	}
}

func (r *rep) emitSite(t *techRun, at, dur int64) {
	every := int64(r.w.s.Execution.PingSeconds)
	if !r.keep || every <= 0 {
		return
	}
	for s := int64(0); s < dur; s += every {
		r.pings = append(r.pings, gps.Ping{TechnicianID: t.id, Latitude: t.pos.lat, Longitude: t.pos.lon, Time: at + s})
	}
}

// board builds the replication's book in a capacity engine — the tenant
// and every booking, in the order they were made — for a dispatch board.
// The assignments are stamped with the study's first day: the simulated
// clock, never the wall clock.
func (r *rep) board() (*capacity.Engine, error) {
	w := r.w
	first := time.Unix(hours.DayStart(w.loc, w.first), 0).In(w.loc)
	eng, err := capacity.New(w.data, capacity.WithMaxRange(time.Duration(max(2*w.booking.HorizonDays+2, 8))*24*time.Hour),
		capacity.WithClock(func() time.Time { return first }))
	if err != nil {
		return nil, err
	}
	for _, b := range r.made {
		if err := eng.AddAppointment(b.appt); err != nil {
			return nil, err
		}
		if _, _, err := eng.Assign(b.appt.ID, []int64{b.tech}, nil); err != nil {
			return nil, err
		}
	}
	return eng, nil
}
