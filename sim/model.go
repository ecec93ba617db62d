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
)

// Event kinds and their priorities at equal times: finishing frees a
// technician before anything else happens at that instant.
const (
	evFinish = iota
	evArrive
	evDepart
	evCall
)

// Random streams: each purpose draws from its own generator, seeded from
// (scenario seed, stream, replication), so a variant that changes one
// thing leaves every other stream — and so every call — as it was.
const (
	streamArrivals = iota + 1
	streamJobTypes
	streamZones
	streamEmergency
	streamCustomer
	streamDurations
	streamTravel
)

func stream(seed uint64, id int, rep int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(id)<<32|uint64(rep)))
}

// job is a booked visit and how it went.
type job struct {
	call       int64 // call time
	emergency  bool
	tech       int32
	planned    int64 // planned arrival (the appointment's start)
	windowEnd  int64 // end of the promised arrival window
	plannedDur int64
	actualDur  int64
	loc        point
	speed      float64 // km/h in the job's zone
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
}

// rep is one replication of one variant.
type rep struct {
	w   *world
	idx int
	eng *capacity.Engine
	q   queue

	arrivals, jobTypes, zones, emergency, customer, durations, travel *rand.Rand

	techs   []techRun
	techIdx map[int64]int32
	jobs    []job
	policy  policy
	nextID  int64
	pings   *gps.Store // nil unless kept
	events  int64
	kpi     *Run
	windows []hours.Slot // the tenant's arrival windows, for per-window figures
}

// newRep builds replication idx of world w.
func newRep(w *world, idx int, keepPings bool) (*rep, error) {
	eng, err := capacity.New(w.data, capacity.WithMaxRange(time.Duration(max(w.s.Booking.HorizonDays+2, 8))*24*time.Hour))
	if err != nil {
		return nil, err
	}
	seed := w.s.Seed
	r := &rep{w: w, idx: idx, eng: eng,
		arrivals: stream(seed, streamArrivals, idx), jobTypes: stream(seed, streamJobTypes, idx), zones: stream(seed, streamZones, idx),
		emergency: stream(seed, streamEmergency, idx), customer: stream(seed, streamCustomer, idx),
		durations: stream(seed, streamDurations, idx), travel: stream(seed, streamTravel, idx),
		techIdx: make(map[int64]int32), policy: policies[w.s.Dispatch.Policy], nextID: 1_000_000,
		kpi: newRun(w, idx)}
	if keepPings {
		r.pings = gps.NewStore()
	}
	for _, t := range eng.Technicians() {
		r.techIdx[t.ID] = int32(len(r.techs))
		r.techs = append(r.techs, techRun{id: t.ID, pos: w.home[t.ID], posDate: -1})
	}
	for _, aw := range eng.Schedule().Rules().ArrivalWindows {
		if aw.IsActive() {
			s, _ := hours.ParseSlot(hours.TimeSlot{From: aw.From, To: aw.To})
			if !slices.Contains(r.windows, s) {
				r.windows = append(r.windows, s)
			}
		}
	}
	slices.SortFunc(r.windows, func(a, b hours.Slot) int { return int(a.From - b.From) })
	return r, nil
}

// run executes the replication to the end of the horizon and returns its
// figures.
func (r *rep) run() *Run {
	r.scheduleNextCall(r.w.start)
	for r.q.len() > 0 {
		ev := r.q.pop()
		r.events++
		switch ev.kind {
		case evCall:
			r.call(ev.at)
			r.scheduleNextCall(ev.at)
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

// scheduleNextCall draws the next call after t by thinning: candidates at
// the week's highest rate, each kept with probability rate(t)/max.
func (r *rep) scheduleNextCall(t int64) {
	w := r.w
	if w.maxRate <= 0 {
		return
	}
	ft := float64(t)
	for {
		ft += r.arrivals.ExpFloat64() / w.maxRate
		if ft >= float64(w.end) {
			return
		}
		at := int64(ft)
		lt := time.Unix(at, 0).In(w.loc)
		rate := w.hourRate[int(lt.Weekday())*24+lt.Hour()]
		if r.arrivals.Float64()*w.maxRate < rate {
			r.q.push(event{at: at, prio: evCall, kind: evCall})
			return
		}
	}
}

func pickCum(r *rand.Rand, c []float64) int {
	u := r.Float64() * c[len(c)-1]
	i, _ := slices.BinarySearch(c, u)
	return min(i, len(c)-1)
}

// call handles one customer call at time now. Every call draws the same
// numbers from each stream whatever happens to it, which keeps the
// streams aligned between variants.
func (r *rep) call(now int64) {
	w := r.w
	jt := w.jobTypes[pickCum(r.jobTypes, w.jtCum)]
	zone := w.zones[pickCum(r.zones, w.zoneCum)]
	zip := ""
	zipDraw := r.zones.IntN(1 << 20)
	if len(zone.zips) > 0 {
		zip = zone.zips[zipDraw%len(zone.zips)]
	}
	emergency := r.emergency.Float64() < w.s.Demand.EmergencyShare
	uDecline, uPrefer, uPart := r.customer.Float64(), r.customer.Float64(), r.customer.Float64()
	factor := r.durationFactor()
	jitter := point{(r.travel.Float64() - 0.5) * 0.04, (r.travel.Float64() - 0.5) * 0.04}

	planned := int64(jt.DurationMinutes) * 60
	actual := max(60, int64(float64(planned)*factor*w.durScale))
	j := job{call: now, emergency: emergency, plannedDur: planned, actualDur: actual,
		loc: point{zone.centre.lat + jitter.lat, zone.centre.lon + jitter.lon}, speed: zone.speed, window: -1}
	r.kpi.call(now, emergency)

	if emergency {
		r.emergencyCall(now, jt, zip, j)
		return
	}
	req := capacity.Request{
		StartsOnOrAfter:        time.Unix(now, 0),
		EndsOnOrBefore:         time.Unix(now+int64(w.s.Booking.HorizonDays)*86400, 0),
		BusinessUnitIDs:        jt.BusinessUnitIDs,
		JobTypeID:              jt.ID,
		SkillBasedAvailability: true,
		Zip:                    zip,
	}
	resp, err := r.eng.Capacity(req)
	if err != nil {
		panic(err) // the request is built from the tenant's own records
	}
	var offers []capacity.Timeslot
	for _, a := range resp.Availabilities {
		for _, ts := range a.Timeslots {
			if ts.IsAvailable && (w.s.Booking.OfferExceeding || !ts.IsExceedingIdealBookingPercentage) {
				offers = append(offers, ts)
			}
		}
	}
	if len(offers) == 0 {
		r.kpi.lost(now, false)
		return
	}
	if float64(offers[0].Start-now) > w.s.Booking.DeclineAfterDays*86400 && uDecline < w.s.Booking.DeclineProbability {
		r.kpi.declined(now)
		return
	}
	chosen := offers[0]
	if uPrefer < w.s.Booking.PreferredShare {
		morning := uPart < 0.5
		for _, o := range offers {
			if (time.Unix(o.Start, 0).In(w.loc).Hour() < 12) == morning {
				chosen = o
				break
			}
		}
	}
	tech := r.policy.choose(r, chosen.TechnicianIDs, chosen.Start, chosen.End, &j, jt)
	a, ok := r.eng.Arrival(tech, chosen.Start, chosen.End, planned)
	if !ok {
		panic("sim: a fitting technician has no arrival")
	}
	j.planned, j.windowEnd = a, chosen.End
	j.window = r.windowIndex(chosen.Start)
	r.book(tech, jt, zip, j, chosen.Start, chosen.End)
}

// durationFactor draws the ratio of actual to planned duration.
func (r *rep) durationFactor() float64 {
	x := r.w.s.Execution
	if x.Exponential {
		return distuv.Exponential{Rate: 1, Src: r.durations}.Rand()
	}
	if x.DurationCV == 0 {
		r.durations.Float64() // keep the stream aligned
		return 1
	}
	// Lognormal with mean 1 and the given coefficient of variation.
	sigma2 := math.Log1p(x.DurationCV * x.DurationCV)
	return distuv.LogNormal{Mu: -sigma2 / 2, Sigma: math.Sqrt(sigma2), Src: r.durations}.Rand()
}

func (r *rep) windowIndex(start int64) int {
	lt := time.Unix(start, 0).In(r.w.loc)
	c := hours.Clock(lt.Hour()*60 + lt.Minute())
	for i, s := range r.windows {
		if s.From == c {
			return i
		}
	}
	return -1
}

// emergencyCall books the earliest arrival any eligible technician can
// make within the maximum wait, the job blocking its actual duration.
func (r *rep) emergencyCall(now int64, jt capacity.JobType, zip string, j job) {
	maxWait := int64(r.w.s.Booking.EmergencyMaxWaitMinutes) * 60
	best, bestAt := int64(0), int64(math.MaxInt64)
	for _, t := range r.w.techs {
		if !t.Active || (len(jt.BusinessUnitIDs) > 0 && !slices.Contains(jt.BusinessUnitIDs, t.BusinessUnitID)) || !t.HasSkills(jt.Skills) {
			continue
		}
		if a, ok := r.eng.Arrival(t.ID, now, now+maxWait+1, j.actualDur); ok && a < bestAt {
			best, bestAt = t.ID, a
		}
	}
	if best == 0 {
		r.kpi.lost(now, true)
		return
	}
	j.planned, j.windowEnd = bestAt, bestAt
	r.book(best, jt, zip, j, bestAt, bestAt)
}

// book records the appointment in the engine, assigns the technician and
// queues the job for execution.
func (r *rep) book(tech int64, jt capacity.JobType, zip string, j job, ws, we int64) {
	r.nextID++
	dur := j.plannedDur
	if j.emergency {
		dur = j.actualDur
	}
	bu := int64(0)
	if len(jt.BusinessUnitIDs) > 0 {
		bu = jt.BusinessUnitIDs[0]
	} else {
		bu = r.w.data.BusinessUnits[0].ID
	}
	appt := capacity.Appointment{ID: r.nextID, JobID: r.nextID, JobTypeID: jt.ID, BusinessUnitID: bu,
		Start: j.planned, End: j.planned + dur, ArrivalWindowStart: ws, ArrivalWindowEnd: we, Zip: zip}
	if err := r.eng.AddAppointment(appt); err != nil {
		panic(err)
	}
	if _, _, err := r.eng.Assign(appt.ID, []int64{tech}, nil); err != nil {
		panic(err)
	}
	ti := r.techIdx[tech]
	j.tech = ti
	r.jobs = append(r.jobs, j)
	r.kpi.booked(j.call)
	t := &r.techs[ti]
	ji := int32(len(r.jobs) - 1)
	at, _ := slices.BinarySearchFunc(t.queue, j.planned, func(k int32, p int64) int { return cmp.Compare(r.jobs[k].planned, p) })
	t.queue = slices.Insert(t.queue, at, ji)
	if !t.busy {
		r.planDeparture(ti, j.call)
	}
}

// driveSeconds is the drive from a to b at speed km/h.
func (r *rep) driveSeconds(a, b point, speed float64) int64 {
	f := r.w.s.Execution.DetourFactor
	if f == 0 || speed <= 0 {
		return 0
	}
	return int64(haversineKm(a, b) * f / speed * 3600)
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
