package sim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// world is one variant's fixed inputs: the tenant's records after the
// variant's changes, and the derived tables the model reads. It is built
// once per variant and shared, read-only, by its replications.
type world struct {
	s        *Scenario
	name     string
	data     capacity.Data
	loc      *time.Location
	first    hours.Date
	start    int64 // first instant of the horizon
	measure  int64 // first instant after the warm-up
	end      int64 // first instant after the horizon
	jobTypes []capacity.JobType
	jtCum    []float64 // cumulative weights of jobTypes
	zones    []zoneInfo
	zoneCum  []float64
	hourRate [168]float64 // calls per second in each hour of the week
	maxRate  float64
	demand   float64 // scaleDemand
	durScale float64 // scaleDurations
	home     map[int64]point
	techs    []capacity.Technician
}

type zoneInfo struct {
	id     int64
	zips   []string
	centre point
	speed  float64 // km/h
}

type point struct{ lat, lon float64 }

// haversineKm is the great-circle distance between a and b.
func haversineKm(a, b point) float64 {
	const r = 6371.0
	φ1, φ2 := a.lat*math.Pi/180, b.lat*math.Pi/180
	dφ, dλ := φ2-φ1, (b.lon-a.lon)*math.Pi/180
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

func bearing(a, b point) float64 {
	φ1, φ2 := a.lat*math.Pi/180, b.lat*math.Pi/180
	Δλ := (b.lon - a.lon) * math.Pi / 180
	θ := math.Atan2(math.Sin(Δλ)*math.Cos(φ2), math.Cos(φ1)*math.Sin(φ2)-math.Sin(φ1)*math.Cos(φ2)*math.Cos(Δλ))
	return math.Mod(θ*180/math.Pi+360, 360)
}

// defaultHourOfWeek is the demand profile when the scenario gives none.
func defaultHourOfWeek() []float64 {
	w := make([]float64, 168)
	for d := range 7 {
		for h := range 24 {
			v := 0.05
			switch {
			case d >= 1 && d <= 5 && h >= 7 && h < 19:
				v = 1
			case d == 6 && h >= 8 && h < 14:
				v = 0.5
			}
			w[d*24+h] = v
		}
	}
	return w
}

// newWorld applies variant v (nil for the baseline) to base.
func newWorld(s *Scenario, base capacity.Data, v *Variant) (*world, error) {
	w := &world{s: s, name: "baseline", demand: 1, durScale: 1}
	if v != nil {
		w.name = v.Name
	}
	w.loc = base.Schedule.Location()
	w.first = mustDate(s.Start)
	w.start = hours.DayStart(w.loc, w.first)
	w.measure = hours.DayStart(w.loc, w.first+hours.Date(s.WarmupDays))
	w.end = hours.DayStart(w.loc, w.first+hours.Date(s.Days))

	d := base
	d.BusinessUnits = slices.Clone(base.BusinessUnits)
	d.Technicians = slices.Clone(base.Technicians)
	d.Shifts = slices.Clone(base.Shifts)
	if !s.Tenant.KeepAppointments {
		d.Appointments, d.Assignments = nil, nil
	}
	if v != nil {
		var errs validate.Errors
		for j, c := range v.Changes {
			if err := w.apply(&d, c); err != nil {
				errs.Add(validate.Index("changes", j), "%v", err)
			}
		}
		if len(errs) > 0 {
			return nil, fmt.Errorf("sim: variant %q: %w", v.Name, errs)
		}
	}
	w.data = d
	w.techs = d.Technicians

	w.home = make(map[int64]point)
	var all []point
	for _, t := range d.Technicians {
		if t.Home != nil {
			p := point{t.Home.Latitude, t.Home.Longitude}
			w.home[t.ID] = p
			all = append(all, p)
		}
	}
	centroid := mean(all)
	for _, t := range d.Technicians {
		if _, ok := w.home[t.ID]; !ok {
			w.home[t.ID] = centroid
		}
	}

	// Job types and their mix.
	for _, jt := range d.JobTypes {
		weight := 1.0
		if len(s.Demand.JobTypes) > 0 {
			weight = s.Demand.JobTypes[strconv.FormatInt(jt.ID, 10)]
		}
		if weight > 0 {
			w.jobTypes = append(w.jobTypes, jt)
			w.jtCum = append(w.jtCum, cum(w.jtCum)+weight)
		}
	}
	if len(w.jobTypes) == 0 {
		return nil, fmt.Errorf("sim: demand.jobTypes: no job type of the tenant has a positive weight")
	}

	// Zones, their centres (the mean home of the technicians serving
	// them) and the mix.
	if d.Zones != nil {
		for _, z := range d.Zones.Zones() {
			if !z.IsActive() {
				continue
			}
			weight := 1.0
			if len(s.Demand.Zones) > 0 {
				weight = s.Demand.Zones[strconv.FormatInt(z.ID, 10)]
			}
			if weight <= 0 {
				continue
			}
			var homes []point
			for _, t := range d.Technicians {
				if slices.Contains(t.ZoneIDs, z.ID) {
					homes = append(homes, w.home[t.ID])
				}
			}
			c := centroid
			if len(homes) > 0 {
				c = mean(homes)
			}
			speed := s.Execution.SpeedKmh
			if v, ok := s.Execution.ZoneSpeedKmh[strconv.FormatInt(z.ID, 10)]; ok {
				speed = v
			}
			w.zones = append(w.zones, zoneInfo{id: z.ID, zips: z.Zips, centre: c, speed: speed})
			w.zoneCum = append(w.zoneCum, cum(w.zoneCum)+weight)
		}
	}
	if len(w.zones) == 0 {
		w.zones = []zoneInfo{{centre: centroid, speed: s.Execution.SpeedKmh}}
		w.zoneCum = []float64{1}
	}

	// Hourly call rates: weights normalized to a week of CallsPerDay.
	profile := s.Demand.HourOfWeek
	if len(profile) == 0 {
		profile = defaultHourOfWeek()
	}
	sum := 0.0
	for _, x := range profile {
		sum += x
	}
	for h, x := range profile {
		w.hourRate[h] = s.Demand.CallsPerDay * 7 * x / sum / 3600 * w.demand
		w.maxRate = math.Max(w.maxRate, w.hourRate[h])
	}
	return w, nil
}

func cum(c []float64) float64 {
	if len(c) == 0 {
		return 0
	}
	return c[len(c)-1]
}

func mean(ps []point) point {
	if len(ps) == 0 {
		return point{}
	}
	var m point
	for _, p := range ps {
		m.lat += p.lat
		m.lon += p.lon
	}
	return point{m.lat / float64(len(ps)), m.lon / float64(len(ps))}
}

func mustDate(s string) hours.Date {
	d, err := hours.ParseDate(s)
	if err != nil {
		panic(err) // Validate checked it
	}
	return d
}

// apply changes d by one what-if change.
func (w *world) apply(d *capacity.Data, c Change) error {
	techIdx := func(id int64) int {
		return slices.IndexFunc(d.Technicians, func(t capacity.Technician) bool { return t.ID == id })
	}
	switch {
	case c.AddTechnicians != nil:
		a := c.AddTechnicians
		i := techIdx(a.Like)
		if i < 0 {
			return fmt.Errorf("addTechnicians.like: unknown technician %d", a.Like)
		}
		like := d.Technicians[i]
		slot, _ := hours.ParseSlot(hours.TimeSlot{From: a.From, To: a.To})
		var days uint8
		for _, name := range a.Weekdays {
			wd, _ := hours.ParseWeekday(name)
			days |= 1 << wd
		}
		if days == 0 {
			days = 0b0111110 // Monday–Friday
		}
		nextTech, nextShift := int64(0), int64(0)
		for _, t := range d.Technicians {
			nextTech = max(nextTech, t.ID)
		}
		for _, s := range d.Shifts {
			nextShift = max(nextShift, s.ID)
		}
		for k := range a.Count {
			t := like
			nextTech++
			t.ID = nextTech
			t.Name = fmt.Sprintf("Extra %d (like %s)", k+1, like.Name)
			t.Active = true
			d.Technicians = append(d.Technicians, t)
			for day := w.first; day < w.first+hours.Date(w.s.Days); day++ {
				if days&(1<<day.Weekday()) == 0 {
					continue
				}
				st, en := slot.Span(w.loc, day)
				nextShift++
				d.Shifts = append(d.Shifts, shifts.Shift{ID: nextShift, TechnicianID: t.ID, Type: shifts.Normal, Title: "What-if", Start: st, End: en, Active: true})
			}
		}
	case c.RemoveTechnicians != nil:
		for _, id := range c.RemoveTechnicians.IDs {
			i := techIdx(id)
			if i < 0 {
				return fmt.Errorf("removeTechnicians: unknown technician %d", id)
			}
			d.Technicians[i].Active = false
		}
	case c.ShiftHours != nil:
		sh := c.ShiftHours
		slot, _ := hours.ParseSlot(hours.TimeSlot{From: sh.From, To: sh.To})
		for _, id := range sh.Technicians {
			if techIdx(id) < 0 {
				return fmt.Errorf("shiftHours.technicians: unknown technician %d", id)
			}
		}
		for i, s := range d.Shifts {
			if s.Type != shifts.Normal || (len(sh.Technicians) > 0 && !slices.Contains(sh.Technicians, s.TechnicianID)) {
				continue
			}
			day := hours.DateAt(w.loc, s.Start)
			d.Shifts[i].Start, d.Shifts[i].End = slot.Span(w.loc, day)
		}
	case c.IdealBooking != nil:
		ib := c.IdealBooking
		if ib.BusinessUnit == 0 {
			d.IdealBookingPercentage = ib.Percentage
			break
		}
		i := slices.IndexFunc(d.BusinessUnits, func(u capacity.BusinessUnit) bool { return u.ID == ib.BusinessUnit })
		if i < 0 {
			return fmt.Errorf("idealBookingPercentage.businessUnit: unknown business unit %d", ib.BusinessUnit)
		}
		d.BusinessUnits[i].IdealBookingPercentage = ib.Percentage
	case c.ScaleDemand != nil:
		w.demand *= *c.ScaleDemand
	case c.ScaleDurations != nil:
		w.durScale *= *c.ScaleDurations
	}
	return nil
}
