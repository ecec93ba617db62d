package sim

import (
	"math"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
)

// policy chooses the technician for a booked job among those the capacity
// engine says fit the chosen window (ascending ids, never empty). Ties go
// to the lowest id, so choices are deterministic.
type policy interface {
	choose(r *rep, candidates []int64, start, end int64, j *job, jt capacity.JobType) int64
}

var policies = map[string]policy{
	"first-available": firstAvailable{},
	"least-loaded":    leastLoaded{},
	"nearest":         nearest{},
	"pro":             pro{},
}

// firstAvailable takes the technician who can arrive earliest.
type firstAvailable struct{}

func (firstAvailable) choose(r *rep, cands []int64, start, end int64, j *job, _ capacity.JobType) int64 {
	best, bestAt := cands[0], int64(math.MaxInt64)
	for _, id := range cands {
		if a, ok := r.techs[r.techIdx[id]].free.EarliestFit(start, end, j.plannedDur); ok && a < bestAt {
			best, bestAt = id, a
		}
	}
	return best
}

// leastLoaded takes the technician with the smallest share of the day's
// working time booked.
type leastLoaded struct{}

func (leastLoaded) choose(r *rep, cands []int64, start, _ int64, _ *job, _ capacity.JobType) int64 {
	best, bestLoad := cands[0], math.Inf(1)
	for _, id := range cands {
		if l := dayLoad(r, id, start); l < bestLoad {
			best, bestLoad = id, l
		}
	}
	return best
}

// dayLoad is the booked share of technician id's working time on the
// local date of t.
func dayLoad(r *rep, id, t int64) float64 {
	d := hours.DateAt(r.w.loc, t)
	work, booked := r.eng.Load(id, hours.DayStart(r.w.loc, d), hours.DayStart(r.w.loc, d+1))
	if work == 0 {
		return 1
	}
	return float64(booked) / float64(work)
}

// nearest takes the technician closest to the job: from where it is now
// for today's jobs, from home for later days.
type nearest struct{}

func (nearest) choose(r *rep, cands []int64, start, _ int64, j *job, _ capacity.JobType) int64 {
	best, bestKm := cands[0], math.Inf(1)
	for _, id := range cands {
		if km := haversineKm(r.origin(id, start), j.loc); km < bestKm {
			best, bestKm = id, km
		}
	}
	return best
}

// origin is where technician id would set out from for a job at t.
func (r *rep) origin(id, t int64) point {
	tr := &r.techs[r.techIdx[id]]
	if hours.DateAt(r.w.loc, t) == tr.posDate {
		return tr.pos
	}
	return r.w.home[id]
}

// pro scores each candidate in the spirit of Dispatch Pro automation:
// skill match (the share of the technician's skills the job uses, so
// specialists are saved for the jobs that need them), drive time (shorter
// is better) and workload balance (a lighter day is better), weighted.
type pro struct{}

func (pro) choose(r *rep, cands []int64, start, _ int64, j *job, jt capacity.JobType) int64 {
	d := r.w.dispatch
	ws, wd, wl := d.SkillWeight, d.DriveWeight, d.WorkloadWeight
	if ws == 0 && wd == 0 && wl == 0 {
		ws, wd, wl = 1, 1, 1
	}
	best, bestScore := cands[0], math.Inf(-1)
	for _, id := range cands {
		t := &r.w.techs[r.techIdx[id]]
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
