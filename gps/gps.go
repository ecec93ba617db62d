package gps

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/opendispatch/dispatch/validate"
)

// Ping is one position report. Speed is in metres per second, Heading in
// degrees clockwise from north.
type Ping struct {
	TechnicianID        int64
	Latitude, Longitude float64
	Speed, Heading      float64
	Time                int64 // Unix seconds (the contract's utcDateTime)
}

// Validate checks coordinates and the technician id, naming the field.
func (p Ping) Validate() error {
	var errs validate.Errors
	if p.TechnicianID <= 0 {
		errs.Add("technicianId", "gps: technician id %d must be positive", p.TechnicianID)
	}
	if p.Latitude < -90 || p.Latitude > 90 {
		errs.Add("latitude", "gps: latitude %v is outside −90…90", p.Latitude)
	}
	if p.Longitude < -180 || p.Longitude > 180 {
		errs.Add("longitude", "gps: longitude %v is outside −180…180", p.Longitude)
	}
	if p.Speed < 0 {
		errs.Add("speed", "gps: speed %v is negative", p.Speed)
	}
	if p.Heading < 0 || p.Heading >= 360 {
		errs.Add("heading", "gps: heading %v is outside 0…360", p.Heading)
	}
	return errs.Err()
}

// Store holds pings per technician, sorted by time (stable for equal
// times: insertion order).
type Store struct {
	mu     sync.RWMutex
	byTech map[int64][]Ping
	n      int
}

// NewStore returns a store holding pings.
func NewStore(pings ...Ping) *Store {
	s := &Store{byTech: make(map[int64][]Ping)}
	s.Add(pings...)
	return s
}

// Add stores pings.
func (s *Store) Add(pings ...Ping) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range pings {
		l := s.byTech[p.TechnicianID]
		i := len(l)
		for i > 0 && l[i-1].Time > p.Time { // pings mostly arrive in order
			i--
		}
		s.byTech[p.TechnicianID] = slices.Insert(l, i, p)
		s.n++
	}
}

// Len returns the number of pings stored.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.n
}

// Range returns technician tech's pings with from <= Time < to, in time
// order. O(log n + k).
func (s *Store) Range(tech, from, to int64) []Ping {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l := s.byTech[tech]
	cmpTime := func(p Ping, t int64) int { return cmp.Compare(p.Time, t) }
	i, _ := slices.BinarySearchFunc(l, from, cmpTime)
	j, _ := slices.BinarySearchFunc(l, to, cmpTime)
	if j < i {
		j = i
	}
	return slices.Clone(l[i:j])
}

// All returns every ping, by technician id and then time.
func (s *Store) All() []Ping {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]int64, 0, len(s.byTech))
	for id := range s.byTech {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]Ping, 0, s.n)
	for _, id := range ids {
		out = append(out, s.byTech[id]...)
	}
	return out
}

// Query is the contract's range query: all three fields are required and
// From must be before To.
type Query struct {
	TechnicianID int64
	From, To     int64
}

// ParseQuery parses the contract's query parameters, naming each bad one.
func ParseQuery(technicianID, fromUTC, toUTC string) (Query, error) {
	var errs validate.Errors
	var q Query
	if technicianID == "" {
		errs.Add("technicianId", "gps: technicianId is required")
	} else if _, err := fmt.Sscan(technicianID, &q.TechnicianID); err != nil || q.TechnicianID <= 0 {
		errs.Add("technicianId", "gps: technicianId %q is not a positive integer", technicianID)
	}
	parse := func(field, v string) int64 {
		if v == "" {
			errs.Add(field, "gps: %s is required", field)
			return 0
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			errs.Add(field, "gps: %s %q is not an RFC 3339 date-time", field, v)
			return 0
		}
		return t.Unix()
	}
	q.From = parse("fromUtc", fromUTC)
	q.To = parse("toUtc", toUTC)
	if len(errs) == 0 && q.To <= q.From {
		errs.Add("toUtc", "gps: toUtc %s is not after fromUtc %s", toUTC, fromUTC)
	}
	return q, errs.Err()
}
