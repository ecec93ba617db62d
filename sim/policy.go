package sim

import (
	"math"

	"github.com/opendispatch/dispatch/capacity"
)

// policy chooses the technician for a booked job among those the capacity
// engine says fit the chosen window (indexes into world.techs, ascending,
// never empty). Ties go to the lowest id, so choices are deterministic.
type policy interface {
	choose(r *rep, candidates []int32, start, end int64, j *job, jt capacity.JobType) int32
}

var policies = map[string]policy{
	"first-available": firstAvailable{},
	"least-loaded":    leastLoaded{},
	"nearest":         nearest{},
	"pro":             pro{},
}

// firstAvailable takes the technician who can arrive earliest.
type firstAvailable struct{}

func (firstAvailable) choose(r *rep, cands []int32, start, end int64, j *job, _ capacity.JobType) int32 {
	best, bestAt := cands[0], int64(math.MaxInt64)
	for _, id := range cands {
		if a, ok := r.techs[id].free.earliestFit(start, end, j.plannedDur); ok && a < bestAt {
			best, bestAt = id, a
		}
	}
	return best
}

// leastLoaded takes the technician with the smallest share of the day's
// working time booked.
type leastLoaded struct{}

func (leastLoaded) choose(r *rep, cands []int32, start, _ int64, _ *job, _ capacity.JobType) int32 {
	best, bestLoad := cands[0], math.Inf(1)
	for _, id := range cands {
		if l := dayLoad(r, id, start); l < bestLoad {
			best, bestLoad = id, l
		}
	}
	return best
}

// dayLoad is the booked share of technician ti's working time on the
// local date of t: |W ∩ Bz ∩ day| ÷ |W ∩ day|, as the engine's Load.
func dayLoad(r *rep, ti int32, t int64) float64 {
	w := r.w
	d := r.kpi.dc.dateIdx(w, t)
	if d < 0 || d >= w.ndays {
		return 1
	}
	n := len(w.techs)
	work := w.workDay[d*n+int(ti)]
	if work == 0 {
		return 1
	}
	return float64(work-r.freeDay[d*n+int(ti)]) / float64(work)
}

// nearest takes the technician closest to the job: from where it is now
// for today's jobs, from home for later days.
type nearest struct{}

func (nearest) choose(r *rep, cands []int32, start, _ int64, j *job, _ capacity.JobType) int32 {
	best, bestKm := cands[0], math.Inf(1)
	for _, id := range cands {
		if km := haversineKm(r.origin(id, start), j.loc); km < bestKm {
			best, bestKm = id, km
		}
	}
	return best
}

// origin is where technician ti would set out from for a job at t.
func (r *rep) origin(ti int32, t int64) point {
	tr := &r.techs[ti]
	if r.kpi.dc.dateOf(r.w, t) == tr.posDate {
		return tr.pos
	}
	return r.w.home[tr.id]
}

// pro scores each candidate in the spirit of Dispatch Pro automation:
// skill match (the share of the technician's skills the job uses, so
// specialists are saved for the jobs that need them), drive time (shorter
// is better) and workload balance (a lighter day is better), weighted.
type pro struct{}

func (pro) choose(r *rep, cands []int32, start, _ int64, j *job, jt capacity.JobType) int32 {
	d := r.w.dispatch
	ws, wd, wl := d.SkillWeight, d.DriveWeight, d.WorkloadWeight
	if ws == 0 && wd == 0 && wl == 0 {
		ws, wd, wl = 1, 1, 1
	}
	best, bestScore := cands[0], math.Inf(-1)
	for _, id := range cands {
		t := &r.w.techs[id]
		match := 1.0
		if len(t.Skills) > 0 {
			match = float64(len(jt.Skills)) / float64(len(t.Skills))
		}
		driveMin := float64(r.driveSeconds(r.origin(id, start), j.loc, j.speed)) / 60
		score := ws*match + wd*(1-math.Min(driveMin/60, 1)) + wl*(1-dayLoad(r, id, start))
		if score > bestScore {
			best, bestScore = id, score
		}
	}
	return best
}
