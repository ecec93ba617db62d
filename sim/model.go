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
	window     int // index of the arrival window within the day, -1 for emergencies
}

// techRun is one technician's execution state.
type techRun struct {
	id      int64
	pos     point
	posDate hours.Date
	queue   []int32 // pending jobs, by planned arrival
	busy    bool    // driving or on site
	ver     uint32  // invalidates stale departure events
	// work is W(t) over the simulated span, fixed for the run; free
	// mirrors the engine's F(t) = W(t) − Bz(t) from the latest call on
	// (earlier free time is dropped: nothing can be booked in the past);
	// urgent is when an emergency may start: free time and the
	// technician's OnCall shifts, less time off and bookings; open is when
	// it may run: any time but time off and other bookings, so that an
	// emergency taken late in the day runs into overtime.
	work, free, urgent, open interval.Set
}

// rep is one replication of one variant.
type rep struct {
	w   *world
	idx int
	eng *capacity.Engine
	q   queue

	arrivals *rand.Rand
	callSrc  rand.PCG
	callRNG  *rand.Rand
	callT    float64 // the latest candidate call, seconds after w.start, exact
	cand     uint64  // candidates drawn so far
	nextCand uint64  // the candidate number of the queued call

	hourFrom, hourTo int64 // the local hour the last lookup fell in
	hourIdx          int

	techs   []techRun
	techIdx map[int64]int32
	jobs    []job
	nextID  int64
	pings   *gps.Store // nil unless kept
	events  int64
	kpi     *Run
	windows []hours.Slot // the tenant's arrival windows (or business-hours slots), for per-window figures
	// onCall, when set (by tests), sees every call: its time and actual
	// duration.
	onCall func(now, actual int64)
}

// newRep builds replication idx of world w.
func newRep(w *world, idx int, keepPings bool) (*rep, error) {
	eng, err := capacity.New(w.data, capacity.WithMaxRange(time.Duration(max(2*w.booking.HorizonDays+2, 8))*24*time.Hour))
	if err != nil {
		return nil, err
	}
	seed := w.s.Seed
	r := &rep{w: w, idx: idx, eng: eng,
		arrivals: stream(seed, streamArrivals, idx),
		techIdx:  make(map[int64]int32), nextID: 1_000_000, hourTo: math.MinInt64,
		kpi: newRun(w, idx)}
	r.callRNG = rand.New(&r.callSrc)
	if keepPings {
		r.pings = gps.NewStore()
	}
	lo := hours.DayStart(w.loc, w.first-1)
	for i, t := range eng.Technicians() {
		if t.ID != w.techs[i].ID {
			panic("sim: the engine's technicians are not in the world's order")
		}
		r.techIdx[t.ID] = int32(len(r.techs))
		work := eng.Working(t.ID, lo, w.last)
		urgent := work.Union(w.onCall[t.ID].Clip(lo, w.last))
		open := interval.From(lo, w.last).Difference(w.timeOff[t.ID])
		r.techs = append(r.techs, techRun{id: t.ID, pos: w.home[t.ID], posDate: -1, work: work, free: work, urgent: urgent, open: open})
	}
	// The tenant's own book, when kept: assigned appointments are busy.
	if w.s.Tenant.KeepAppointments {
		for _, a := range w.data.Appointments {
			_, techs, _ := eng.Appointment(a.ID)
			for _, id := range techs {
				t := &r.techs[r.techIdx[id]]
				t.free = t.free.Difference(interval.From(a.Start, a.End))
				t.urgent = t.urgent.Difference(interval.From(a.Start, a.End))
				t.open = t.open.Difference(interval.From(a.Start, a.End))
			}
		}
	}
	for _, win := range w.data.Schedule.Windows(w.measure, w.end) {
		if !slices.Contains(r.windows, win.Slot) {
			r.windows = append(r.windows, win.Slot)
		}
	}
	slices.SortFunc(r.windows, func(a, b hours.Slot) int { return cmp.Or(int(a.From-b.From), int(a.To-b.To)) })
	r.kpi.Windows = make([]Window, len(r.windows))
	for i, s := range r.windows {
		r.kpi.Windows[i].Window = s.String()
	}
	return r, nil
}

// run executes the replication until every booked job is done and
// returns its figures.
func (r *rep) run() *Run {
	r.scheduleNextCall()
	for r.q.len() > 0 {
		ev := r.q.pop()
		r.events++
		switch ev.kind {
		case evCall:
			r.call(ev.at, r.nextCand)
			r.scheduleNextCall()
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
	if w.envelope <= 0 {
		return
	}
	span := float64(w.end - w.start)
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
			r.q.push(event{at: at, prio: evCall, kind: evCall})
			return
		}
	}
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
	if _, zoneEnd := lt.ZoneBounds(); !zoneEnd.IsZero() && zoneEnd.Unix() < r.hourTo {
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
	zipDraw := g.IntN(1 << 20)
	zip := ""
	if len(zone.zips) > 0 {
		zip = zone.zips[zipDraw%len(zone.zips)]
	}
	emergency := g.Float64() < w.emergency
	uDecline, uPrefer, uPart := g.Float64(), g.Float64(), g.Float64()
	factor := r.durationFactor(g)
	jitter := point{(g.Float64() - 0.5) * 0.04, (g.Float64() - 0.5) * 0.04}

	planned := int64(jt.DurationMinutes) * 60
	// Exact to the nearest second (unbiased), at least one second.
	actual := max(1, int64(math.Round(float64(planned)*factor*w.durScale)))
	j := job{call: now, emergency: emergency, jobType: int32(ji), zone: int32(zi), plannedDur: planned, actualDur: actual,
		loc: point{zone.centre.lat + jitter.lat, zone.centre.lon + jitter.lon}, speed: zone.speed, window: -1}
	r.kpi.call(now, ji, zi, emergency)
	if r.onCall != nil {
		r.onCall(now, actual)
	}

	eligible := w.eligible[zip][ji]
	if len(eligible) == 0 {
		r.kpi.lost(now, ji, zi, emergency, NoEligibleTechnician)
		return
	}
	if emergency {
		r.emergencyCall(now, eligible, jt, zip, j)
		return
	}
	horizon := int64(w.booking.HorizonDays) * 86400
	resp := r.capacity(now, now+horizon, jt, zip)
	// The windows offered: the earliest, and the earliest in the morning
	// and in the afternoon, for customers who prefer a part of the day.
	var first, morning, afternoon *capacity.Timeslot
	held, reserved := false, false
	for ai := range resp.Availabilities {
		slots := resp.Availabilities[ai].Timeslots
		for i := range slots {
			ts := &slots[i]
			if !ts.IsAvailable {
				if heldByControl(ts) {
					// Held back by a reserve or a rule; when the ideal
					// percentage would hold it back too, that reason
					// comes first.
					if !w.booking.OfferExceeding && ts.IsExceedingIdealBookingPercentage {
						held = true
					} else {
						reserved = true
					}
				}
				continue
			}
			if !w.booking.OfferExceeding && ts.IsExceedingIdealBookingPercentage {
				held = true
				continue
			}
			if first == nil {
				first = ts
			}
			if morning == nil || afternoon == nil {
				if time.Unix(ts.Start, 0).In(w.loc).Hour() < 12 {
					morning = cmp.Or(morning, ts)
				} else {
					afternoon = cmp.Or(afternoon, ts)
				}
			}
		}
	}
	if first == nil {
		reason := NoFit
		switch {
		case held:
			reason = IdealHeld
		case reserved:
			reason = ReserveOrRule
		case r.offeredWithin(now, now+2*horizon, jt, zip):
			reason = BeyondHorizon
		}
		r.kpi.lost(now, ji, zi, false, reason)
		return
	}
	if float64(first.Start-now) > w.booking.DeclineAfterDays*86400 && uDecline < w.booking.DeclineProbability {
		r.kpi.lost(now, ji, zi, false, Declined)
		return
	}
	chosen := first
	if uPrefer < w.booking.PreferredShare {
		if uPart < 0.5 {
			chosen = cmp.Or(morning, first)
		} else {
			chosen = cmp.Or(afternoon, first)
		}
	}
	tech := w.policy.choose(r, chosen.TechnicianIDs, chosen.Start, chosen.End, &j, jt.JobType)
	a, ok := r.techs[r.techIdx[tech]].free.EarliestFit(chosen.Start, chosen.End, planned)
	if !ok {
		panic("sim: a fitting technician has no arrival")
	}
	j.planned, j.windowEnd = a, chosen.End
	j.window = r.windowIndex(chosen.Start, chosen.End)
	r.book(tech, jt, zip, j, chosen.Start, chosen.End)
}

// heldByControl reports whether timeslot ts, unavailable, would be
// available but for a reserve or a capacity rule (design §4a items 11 and
// 12): a technician fits and the pool has time left before the reserve.
func heldByControl(ts *capacity.Timeslot) bool {
	why := &ts.UnavailableBecause
	return len(ts.TechnicianIDs) > 0 && !why.PoolExhausted && (why.ReserveHeld || len(why.CapacityRules) > 0)
}

// capacity asks the engine for the windows of job type jt at zip in
// [from, to).
func (r *rep) capacity(from, to int64, jt *jobTypeInfo, zip string) *capacity.Response {
	resp, err := r.eng.Capacity(capacity.Request{
		StartsOnOrAfter:        time.Unix(from, 0),
		EndsOnOrBefore:         time.Unix(to, 0),
		BusinessUnitIDs:        jt.BusinessUnitIDs,
		JobTypeID:              jt.ID,
		SkillBasedAvailability: true,
		Zip:                    zip,
	})
	if err != nil {
		panic(err) // the request is built from the tenant's own records
	}
	return resp
}

// offeredWithin reports whether the booking policy would offer some
// window of [from, to).
func (r *rep) offeredWithin(from, to int64, jt *jobTypeInfo, zip string) bool {
	for _, a := range r.capacity(from, to, jt, zip).Availabilities {
		for _, ts := range a.Timeslots {
			if ts.IsAvailable && (r.w.booking.OfferExceeding || !ts.IsExceedingIdealBookingPercentage) {
				return true
			}
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

// windowIndex returns the index in r.windows of the window or slot
// [start, end), or -1.
func (r *rep) windowIndex(start, end int64) int {
	day := hours.DateAt(r.w.loc, start)
	for i, s := range r.windows {
		if a, b := s.Span(r.w.loc, day); a == start && b == end {
			return i
		}
	}
	return -1
}

// emergencyCall books the earliest arrival any eligible technician can
// make within the maximum wait — in free working time or on call, the
// job running into overtime if it must — ties to the lowest id, the job
// blocking its actual duration: first come, first served by earliest
// availability.
// With no driving and a wait bound longer than any wait this is the
// M/M/c queue; with a bound of zero the M/M/c/c loss system.
func (r *rep) emergencyCall(now int64, eligible []int32, jt *jobTypeInfo, zip string, j job) {
	end := min(now+int64(r.w.booking.EmergencyMaxWaitMinutes)*60+1, r.w.last)
	best, bestAt := int32(-1), int64(math.MaxInt64)
	for _, ti := range eligible {
		if a, ok := r.techs[ti].urgentFit(now, min(end, bestAt), j.actualDur); ok && a < bestAt {
			best, bestAt = ti, a
			if a == now {
				break // nobody arrives earlier; later ids lose the tie
			}
		}
	}
	if best < 0 {
		r.kpi.lost(now, int(j.jobType), int(j.zone), true, EmergencyWait)
		return
	}
	j.planned, j.windowEnd = bestAt, bestAt
	r.book(r.techs[best].id, jt, zip, j, bestAt, bestAt)
}

// book records the appointment in the engine, assigns the technician and
// queues the job for execution.
func (r *rep) book(tech int64, jt *jobTypeInfo, zip string, j job, ws, we int64) {
	r.nextID++
	dur := j.plannedDur
	if j.emergency {
		dur = j.actualDur
	}
	appt := capacity.Appointment{ID: r.nextID, JobID: r.nextID, JobTypeID: jt.ID, BusinessUnitID: jt.unit,
		Start: j.planned, End: j.planned + dur, ArrivalWindowStart: ws, ArrivalWindowEnd: we, Zip: zip}
	if err := r.eng.AddAppointment(appt); err != nil {
		panic(err)
	}
	if _, _, err := r.eng.Assign(appt.ID, []int64{tech}, nil); err != nil {
		panic(err)
	}
	ti := r.techIdx[tech]
	t := &r.techs[ti]
	busy := interval.From(appt.Start, appt.End)
	for _, set := range []*interval.Set{&t.free, &t.urgent, &t.open} {
		*set = set.Difference(busy)
		if n := set.Len(); n > 16 && set.At(n/2).End <= j.call {
			*set = set.Clip(j.call, r.w.last) // half of it is past: drop it
		}
	}
	j.tech = ti
	r.jobs = append(r.jobs, j)
	r.kpi.booked(j.call, int(j.jobType), int(j.zone))
	ji := int32(len(r.jobs) - 1)
	at, _ := slices.BinarySearchFunc(t.queue, j.planned, func(k int32, p int64) int { return cmp.Compare(r.jobs[k].planned, p) })
	t.queue = slices.Insert(t.queue, at, ji)
	if !t.busy {
		r.planDeparture(ti, j.call)
	}
}

// urgentFit returns the earliest a in [start, end) at which the
// technician can take an emergency of d seconds: a in urgent time, and
// [a, a+d) in open time.
func (t *techRun) urgentFit(start, end, d int64) (int64, bool) {
	for i := range t.urgent.Len() {
		sp := t.urgent.At(i)
		if sp.End <= start {
			continue
		}
		if sp.Start >= end {
			break
		}
		if a, ok := t.open.EarliestFit(max(sp.Start, start), min(sp.End, end), d); ok {
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
	d := hours.DateAt(r.w.loc, next.planned)
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
	r.q.push(event{at: leave, prio: evDepart, kind: evDepart, tech: ti, ver: t.ver})
}

func (r *rep) depart(ev event) {
	t := &r.techs[ev.tech]
	if ev.ver != t.ver || t.busy || len(t.queue) == 0 {
		return // superseded by a newer plan
	}
	ji := t.queue[0]
	t.queue = t.queue[1:]
	j := &r.jobs[ji]
	r.startOfDay(t, j)
	drive := r.driveSeconds(t.pos, j.loc, j.speed)
	t.busy = true
	j.depart = ev.at
	r.kpi.drive(ev.at, ev.at+drive, ev.tech)
	r.emitTrack(t, ev.at, drive, j.loc, j.speed)
	r.q.push(event{at: ev.at + drive, prio: evArrive, kind: evArrive, tech: ev.tech, job: ji})
}

func (r *rep) arrive(ev event) {
	j := &r.jobs[ev.job]
	j.arrive = ev.at
	t := &r.techs[ev.tech]
	t.pos = j.loc
	r.emitSite(t, ev.at, j.actualDur)
	r.q.push(event{at: ev.at + j.actualDur, prio: evFinish, kind: evFinish, tech: ev.tech, job: ev.job})
}

func (r *rep) finish(ev event) {
	j := &r.jobs[ev.job]
	j.finish = ev.at
	r.kpi.job(r, j)
	t := &r.techs[ev.tech]
	t.busy = false
	r.planDeparture(ev.tech, ev.at)
}

// emitTrack records GPS pings along a drive, when pings are kept.
func (r *rep) emitTrack(t *techRun, at, drive int64, to point, speedKmh float64) {
	every := int64(r.w.s.Execution.PingSeconds)
	if r.pings == nil || every <= 0 {
		return
	}
	from := t.pos
	head := bearing(from, to)
	for s := int64(0); s < drive; s += every {
		f := float64(s) / float64(drive)
		r.pings.Add(gps.Ping{TechnicianID: t.id, Latitude: from.lat + (to.lat-from.lat)*f, Longitude: from.lon + (to.lon-from.lon)*f,
			Speed: speedKmh / 3.6, Heading: math.Round(head), Time: at + s})
	}
}

func (r *rep) emitSite(t *techRun, at, dur int64) {
	every := int64(r.w.s.Execution.PingSeconds)
	if r.pings == nil || every <= 0 {
		return
	}
	for s := int64(0); s < dur; s += every {
		r.pings.Add(gps.Ping{TechnicianID: t.id, Latitude: t.pos.lat, Longitude: t.pos.lon, Time: at + s})
	}
}
