// Package benchdata builds the synthetic tenants benchmarks run on, once
// per process, and the standard requests over them.
package benchdata

import (
	"sync"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

// Seed is the seed of every benchmark tenant.
const Seed = 1

var (
	mu    sync.Mutex
	cache = map[string]*tenant.File{}
)

// File returns the synthetic tenant file of the named profile, generated
// once per process.
func File(profile string) *tenant.File {
	mu.Lock()
	defer mu.Unlock()
	if f, ok := cache[profile]; ok {
		return f
	}
	p, err := synth.ProfileNamed(profile)
	if err != nil {
		panic(err)
	}
	f, err := synth.Generate(p, Seed)
	if err != nil {
		panic(err)
	}
	cache[profile] = f
	return f
}

// Tenant builds a fresh tenant of the named profile.
func Tenant(profile string) *tenant.Tenant {
	t, err := tenant.Build(File(profile))
	if err != nil {
		panic(err)
	}
	return t
}

// Days is the horizon of every profile.
const Days = 14

// FullRequest is a request over the whole two-week horizon, with the
// given job type (0 for none).
func FullRequest(e *capacity.Engine, jobType int64) capacity.Request {
	loc := e.Location()
	start := synth.DefaultStart
	return capacity.Request{
		StartsOnOrAfter: time.Unix(hours.DayStart(loc, start), 0),
		EndsOnOrBefore:  time.Unix(hours.DayStart(loc, start+Days), 0),
		JobTypeID:       jobType,
	}
}

// DayRequest is a request over the horizon's second day (a Tuesday).
func DayRequest(e *capacity.Engine, jobType int64) capacity.Request {
	loc := e.Location()
	d := synth.DefaultStart + 1
	return capacity.Request{
		StartsOnOrAfter: time.Unix(hours.DayStart(loc, d), 0),
		EndsOnOrBefore:  time.Unix(hours.DayStart(loc, d+1), 0),
		JobTypeID:       jobType,
	}
}

// HourJobType returns the id of a job type of the tenant lasting 60
// minutes, or the shortest one.
func HourJobType(f *tenant.File) int64 {
	best := f.JobTypes[0]
	for _, j := range f.JobTypes {
		if j.DurationMinutes == 60 {
			return j.ID
		}
		if j.DurationMinutes < best.DurationMinutes {
			best = j
		}
	}
	return best.ID
}
