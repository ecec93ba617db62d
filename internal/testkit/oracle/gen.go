package oracle

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Zones are the time zones Generate draws from: awkward DST of every kind,
// and one zone without DST.
var Zones = []string{
	"America/Denver",      // the usual one-hour changes at 02:00
	"Europe/London",       // changes at 01:00 local
	"Australia/Lord_Howe", // a 30-minute DST
	"America/Santiago",    // changes at midnight: some days have no 00:00
	"America/Havana",      // changes at midnight (00:00 → 01:00, 01:00 → 00:00)
	"Asia/Beirut",         // changes at midnight
	"America/St_Johns",    // −03:30
	"Pacific/Chatham",     // +12:45, changes at 02:45
	"America/Asuncion",    // changes at midnight, until 2024
	"Africa/Casablanca",   // DST that goes backwards around Ramadan
	"Europe/Dublin",       // negative DST in tzdata
	"Asia/Kolkata",        // +05:30, no DST
}

// Case is one generated tenant file with requests over its horizon.
type Case struct {
	Seed     uint64
	Zone     string
	Tenant   []byte   // the tenant file, JSON
	Requests [][]byte // capacity requests, JSON
	// Transition is the offset change the horizon straddles (zero At for
	// a zone without DST), and TransitionDates the local dates of every
	// transition inside the horizon.
	Transition      Transition
	TransitionDates []string
}

// The tenant file as the generator writes it: every member the engine's
// strict reader knows, optional ones left out when unset.
type (
	genFile struct {
		Version                int             `json:"version"`
		Tenant                 string          `json:"tenant"`
		TimeZone               string          `json:"timeZone"`
		IdealBookingPercentage int             `json:"idealBookingPercentage,omitempty"`
		TravelBufferMinutes    int             `json:"travelBufferMinutes,omitempty"`
		BusinessHours          genHours        `json:"businessHours"`
		Exceptions             []genException  `json:"exceptions"`
		ArrivalWindows         []genWindow     `json:"arrivalWindows"`
		BusinessUnits          []genUnit       `json:"businessUnits"`
		BusinessUnitGroups     []genGroup      `json:"businessUnitGroups,omitempty"`
		JobTypes               []genJobType    `json:"jobTypes"`
		CapacityRules          []genRule       `json:"capacityRules,omitempty"`
		CapacityAdjustments    []genAdjustment `json:"capacityAdjustments,omitempty"`
		Zones                  []genZone       `json:"zones"`
		Technicians            []genTech       `json:"technicians"`
		Shifts                 []genShift      `json:"shifts"`
		Appointments           []genAppt       `json:"appointments"`
		Assignments            []genAssignment `json:"assignments"`
		GPSPings               []struct{}      `json:"gpsPings"`
	}
	genHours struct {
		Weekdays []genWeekday `json:"weekdays"`
	}
	genWeekday struct {
		Weekday   string     `json:"weekday"`
		TimeSlots []timeSlot `json:"timeSlots"`
	}
	genException struct {
		Date      string     `json:"date"`
		TimeSlots []timeSlot `json:"timeSlots"`
	}
	genWindow struct {
		ID              int64    `json:"id"`
		From            string   `json:"from"`
		To              string   `json:"to"`
		Weekdays        []string `json:"weekdays"`
		BusinessUnitIDs []int64  `json:"businessUnitIds"`
		Active          *bool    `json:"active,omitempty"`
	}
	genUnit struct {
		ID                     int64  `json:"id"`
		Name                   string `json:"name"`
		IdealBookingPercentage int    `json:"idealBookingPercentage,omitempty"`
		ReservePercentage      int    `json:"reservePercentage,omitempty"`
	}
	genGroup struct {
		ID                     int64   `json:"id"`
		Name                   string  `json:"name"`
		BusinessUnitIDs        []int64 `json:"businessUnitIds"`
		IdealBookingPercentage int     `json:"idealBookingPercentage,omitempty"`
		ReservePercentage      *int    `json:"reservePercentage,omitempty"`
	}
	genJobType struct {
		ID                  int64    `json:"id"`
		Name                string   `json:"name"`
		DurationMinutes     int      `json:"durationMinutes"`
		Skills              []string `json:"skills"`
		BusinessUnitIDs     []int64  `json:"businessUnitIds"`
		Priority            bool     `json:"priority,omitempty"`
		TravelBufferMinutes *int     `json:"travelBufferMinutes,omitempty"`
	}
	genRule struct {
		ID              int64   `json:"id"`
		Name            string  `json:"name"`
		JobTypeIDs      []int64 `json:"jobTypeIds"`
		BusinessUnitIDs []int64 `json:"businessUnitIds"`
		MaxPercentage   int     `json:"maxPercentage"`
	}
	genAdjustment struct {
		ID                  int64  `json:"id"`
		Date                string `json:"date"`
		From                string `json:"from"`
		To                  string `json:"to"`
		BusinessUnitID      int64  `json:"businessUnitId,omitempty"`
		BusinessUnitGroupID int64  `json:"businessUnitGroupId,omitempty"`
		Minutes             int    `json:"minutes"`
		Reason              string `json:"reason"`
	}
	genZone struct {
		ID     int64    `json:"id"`
		Name   string   `json:"name"`
		Zips   []string `json:"zips"`
		Cities []string `json:"cities"`
		Active *bool    `json:"active,omitempty"`
	}
	genTech struct {
		ID             int64    `json:"id"`
		Name           string   `json:"name"`
		BusinessUnitID int64    `json:"businessUnitId"`
		Skills         []string `json:"skills"`
		ZoneIDs        []int64  `json:"zoneIds"`
		Active         *bool    `json:"active,omitempty"`
	}
	genShift struct {
		ID           int64  `json:"id"`
		TechnicianID int64  `json:"technicianId"`
		ShiftType    string `json:"shiftType"`
		Title        string `json:"title"`
		Note         string `json:"note"`
		Start        string `json:"start"`
		End          string `json:"end"`
		Active       *bool  `json:"active,omitempty"`
	}
	genAppt struct {
		ID                 int64  `json:"id"`
		JobID              int64  `json:"jobId"`
		JobTypeID          int64  `json:"jobTypeId"`
		BusinessUnitID     int64  `json:"businessUnitId"`
		Start              string `json:"start"`
		End                string `json:"end"`
		ArrivalWindowStart string `json:"arrivalWindowStart"`
		ArrivalWindowEnd   string `json:"arrivalWindowEnd"`
		Zip                string `json:"zip,omitempty"`
		Canceled           bool   `json:"canceled,omitempty"`
	}
	genAssignment struct {
		ID               int64  `json:"id"`
		JobAppointmentID int64  `json:"jobAppointmentId"`
		TechnicianID     int64  `json:"technicianId"`
		AssignedOn       string `json:"assignedOn"`
		UnassignedOn     string `json:"unassignedOn,omitempty"`
		Status           string `json:"status"`
	}
)

// gen holds one generation's state.
type gen struct {
	r      *rand.Rand
	loc    *time.Location
	tr     Transition
	clocks []int // interesting wall clocks, minutes 0–1440
	wb, wa int   // the wall clock as the transition begins and once it is done
}

var skillNames = []string{"HVAC", "Plumbing", "Electrical", "EPA 608"}

// zipEntries are zone entries; prefixes of one another on purpose.
var zipEntries = []string{"80202", "802", "8020", "80203", "M5V", "M5V 3L9", "M5V3", "SW1A", "SW1A 1AA", "SW1", "2000", "20", "1011 AB", "1011", "T2P"}

// requestZips are codes a request may ask for, in every spelling.
var requestZips = []string{"80202", "80202-1234", "8020", "80299", "m5v 3l9", "M5V3L9", "m5v-1a1", "sw1a 1aa", "SW1A 2AA", "sw1p 3aa", "2000", "2001", "1011 ab", "1011AC", "99999", "t2p 1j9"}

func ptr[T any](v T) *T { return &v }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// subset returns a random subset of xs (possibly empty), in xs's order.
func subset[T any](g *gen, xs []T, p float64) []T {
	out := []T{}
	for _, x := range xs {
		if g.chance(p) {
			out = append(out, x)
		}
	}
	return out
}

// clock picks a wall clock: often one on, in or next to the transition.
func (g *gen) clock() int {
	if g.chance(0.45) {
		return g.clocks[g.r.IntN(len(g.clocks))]
	}
	return 15 * (20 + g.r.IntN(64)) // 05:00–20:45
}

// slot picks a wall-clock slot from < to, to ≤ 24:00.
func (g *gen) slot() (int, int) {
	if g.chance(0.06) {
		return 0, 1440
	}
	near := g.chance(0.3) // both ends on or around the transition
	for {
		a, b := g.clock(), g.clock()
		switch {
		case near && g.wb < g.wa && g.chance(0.5):
			// Starting in the gap: a wall time that moves forward by the
			// gap, perhaps past the slot's end.
			a = g.wb + 15*g.r.IntN(max(1, (g.wa-g.wb)/15))
			b = a + 15*(1+g.r.IntN(6))
		case near:
			a, b = g.clocks[g.r.IntN(len(g.clocks))], g.clocks[g.r.IntN(len(g.clocks))]
		case g.chance(0.3):
			b = a + 15*(1+g.r.IntN(16))
		}
		a, b = min(a, b), max(a, b)
		if 0 <= a && a < b && a < 1440 && b <= 1440 {
			return a, b
		}
	}
}

func fmtClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// stamp formats instant u in RFC 3339: in the tenant's offset, in UTC or
// in another offset, all the same instant.
func (g *gen) stamp(u int64) string {
	t := time.Unix(u, 0)
	switch g.r.IntN(4) {
	case 0:
		t = t.UTC()
	case 1:
		t = t.In(time.FixedZone("", (g.r.IntN(49)-24)*1800))
	default:
		t = t.In(g.loc)
	}
	return t.Format(time.RFC3339)
}

// Generate returns a random tenant file and capacity requests from seed.
// The same seed gives the same case.
func Generate(seed uint64) (Case, error) {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x0dd1_5ba7c4))}
	zone := Zones[g.r.IntN(len(Zones))]
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return Case{}, fmt.Errorf("oracle: %v", err)
	}
	g.loc = loc
	c := Case{Seed: seed, Zone: zone}

	// A transition to straddle: of a random year, else of any year.
	year := 2019 + g.r.IntN(12)
	yearSpan := func(y int) (int64, int64) {
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	}
	ylo, yhi := yearSpan(year)
	ts := Transitions(loc, ylo, yhi)
	if len(ts) == 0 {
		lo, _ := yearSpan(2010)
		_, hi := yearSpan(2035)
		ts = Transitions(loc, lo, hi)
	}
	var tDate civil
	if len(ts) > 0 {
		g.tr = ts[g.r.IntN(len(ts))]
		tDate = dateAt(loc, g.tr.At)
		wb := int(((g.tr.At+g.tr.Before)%86400+86400)%86400) / 60 // wall clock reading as the change begins
		wa := int(((g.tr.At+g.tr.After)%86400+86400)%86400) / 60  // and once it is done
		if wa < wb && g.tr.After > g.tr.Before {
			wb -= 1440 // a gap across midnight: it began the day before
		}
		g.wb, g.wa = wb, wa
		for _, m := range []int{wb, wa, (wb + wa) / 2, wb + 1440, wb - 15, wb - 30, wb - 60, wb + 15, wa - 15, wa + 15, wa + 30, wa + 60, 0, 1440, 30, 60} {
			if m >= 0 && m <= 1440 {
				g.clocks = append(g.clocks, m)
			}
		}
	} else {
		tDate = civilOf(year, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28))
		g.clocks = []int{0, 30, 60, 120, 1440, 1410}
	}
	c.Transition = g.tr
	h0 := tDate - civil(g.r.IntN(4))
	days := 3 + g.r.IntN(5)
	hEnd := h0 + civil(days) // the horizon is the local dates [h0, hEnd)
	for _, t := range Transitions(loc, local(loc, h0, 0), local(loc, hEnd, 0)) {
		c.TransitionDates = append(c.TransitionDates, dateAt(loc, t.At).String())
	}

	f := genFile{Version: 1, Tenant: fmt.Sprintf("%07d", seed%10_000_000), TimeZone: zone,
		Exceptions: []genException{}, ArrivalWindows: []genWindow{}, Zones: []genZone{}, Shifts: []genShift{},
		Appointments: []genAppt{}, Assignments: []genAssignment{}, GPSPings: []struct{}{}}
	if g.chance(0.4) {
		f.IdealBookingPercentage = 1 + g.r.IntN(200)
	}
	if g.chance(0.3) {
		f.TravelBufferMinutes = g.r.IntN(61)
	}

	// Business hours: one or two slots on most weekdays.
	twoSlots := func() []timeSlot {
		if g.chance(0.75) {
			a, b := g.slot()
			return []timeSlot{{fmtClock(a), fmtClock(b)}}
		}
		var cs []int
		for len(cs) < 4 {
			if m := g.clock(); m < 1440 || len(cs) == 3 {
				if !slices.Contains(cs, m) {
					cs = append(cs, m)
				}
			}
			slices.Sort(cs)
		}
		return []timeSlot{{fmtClock(cs[0]), fmtClock(cs[1])}, {fmtClock(cs[2]), fmtClock(cs[3])}}
	}
	f.BusinessHours.Weekdays = []genWeekday{}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if g.chance(0.85) {
			f.BusinessHours.Weekdays = append(f.BusinessHours.Weekdays, genWeekday{wd.String(), twoSlots()})
		}
	}
	g.r.Shuffle(len(f.BusinessHours.Weekdays), func(i, j int) {
		f.BusinessHours.Weekdays[i], f.BusinessHours.Weekdays[j] = f.BusinessHours.Weekdays[j], f.BusinessHours.Weekdays[i]
	})
	// Exceptions: often on the transition date, sometimes elsewhere.
	for d := h0 - 1; d <= hEnd; d++ {
		p := 0.08
		if d == tDate || d == tDate-1 {
			p = 0.35
		}
		if g.chance(p) {
			ex := genException{Date: d.String(), TimeSlots: []timeSlot{}}
			if g.chance(0.7) {
				ex.TimeSlots = twoSlots()
			}
			f.Exceptions = append(f.Exceptions, ex)
		}
	}

	// Business units, groups, job types.
	nu := 1 + g.r.IntN(4)
	var units []int64
	for i := range nu {
		u := genUnit{ID: int64(10 * (i + 1)), Name: fmt.Sprintf("Unit %d", i+1)}
		if g.chance(0.3) {
			u.IdealBookingPercentage = 1 + g.r.IntN(200)
		}
		if g.chance(0.3) {
			u.ReservePercentage = g.r.IntN(91)
		}
		f.BusinessUnits = append(f.BusinessUnits, u)
		units = append(units, u.ID)
	}
	groupIDs := []int64{}
	if nu >= 2 && g.chance(0.4) {
		free := slices.Clone(units)
		g.r.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
		for gi := 0; len(free) >= 2 && gi < 2; gi++ {
			k := 2 + g.r.IntN(len(free)-1)
			grp := genGroup{ID: int64(500 + gi), Name: fmt.Sprintf("Group %d", gi+1), BusinessUnitIDs: free[:k]}
			free = free[k:]
			if g.chance(0.4) {
				grp.IdealBookingPercentage = 1 + g.r.IntN(200)
			}
			if g.chance(0.5) {
				grp.ReservePercentage = ptr(g.r.IntN(91))
			}
			f.BusinessUnitGroups = append(f.BusinessUnitGroups, grp)
			groupIDs = append(groupIDs, grp.ID)
		}
	}
	nj := 1 + g.r.IntN(4)
	var jobTypes []int64
	for i := range nj {
		durs := []int{15, 30, 45, 50, 60, 90, 120, 180, 240, 1 + g.r.IntN(300)}
		jt := genJobType{ID: int64(100 + i), Name: fmt.Sprintf("Job %d", i+1), DurationMinutes: durs[g.r.IntN(len(durs))],
			Skills: subset(g, skillNames, 0.3), BusinessUnitIDs: subset(g, units, 0.5), Priority: g.chance(0.25)}
		if g.chance(0.3) {
			jt.TravelBufferMinutes = ptr(g.r.IntN(46))
		}
		f.JobTypes = append(f.JobTypes, jt)
		jobTypes = append(jobTypes, jt.ID)
	}

	// Arrival windows, some limited by weekday and unit, some inactive.
	var windowSlots [][2]int
	if g.chance(0.8) {
		for i := range 1 + g.r.IntN(6) {
			a, b := g.slot()
			w := genWindow{ID: int64(i + 1), From: fmtClock(a), To: fmtClock(b), Weekdays: []string{}, BusinessUnitIDs: []int64{}}
			if g.chance(0.5) {
				for wd := time.Sunday; wd <= time.Saturday; wd++ {
					if g.chance(0.6) {
						w.Weekdays = append(w.Weekdays, wd.String())
					}
				}
			}
			if g.chance(0.4) {
				w.BusinessUnitIDs = subset(g, units, 0.5)
			}
			switch {
			case g.chance(0.15):
				w.Active = ptr(false)
			case g.chance(0.3):
				w.Active = ptr(true)
			}
			f.ArrivalWindows = append(f.ArrivalWindows, w)
			windowSlots = append(windowSlots, [2]int{a, b})
		}
	}

	// Zones with prefix entries; no normalized entry in two zones.
	var zoneIDs []int64
	used := map[string]bool{}
	for i := range g.r.IntN(4) {
		z := genZone{ID: int64(i + 1), Name: fmt.Sprintf("Zone %d", i+1), Zips: []string{}, Cities: []string{}}
		for range 1 + g.r.IntN(3) {
			e := zipEntries[g.r.IntN(len(zipEntries))]
			n, _ := normalizeZip(e)
			if !used[n] {
				used[n] = true
				z.Zips = append(z.Zips, e)
			}
		}
		if g.chance(0.2) {
			z.Active = ptr(false)
		}
		f.Zones = append(f.Zones, z)
		zoneIDs = append(zoneIDs, z.ID)
	}

	// Technicians.
	nt := 1 + g.r.IntN(8)
	var techIDs []int64
	for i := range nt {
		t := genTech{ID: int64(1000 + 7*i + g.r.IntN(7)), Name: fmt.Sprintf("Tech %d", i+1), BusinessUnitID: units[g.r.IntN(nu)],
			Skills: subset(g, skillNames, 0.6), ZoneIDs: []int64{}}
		if len(zoneIDs) > 0 && g.chance(0.6) {
			t.ZoneIDs = subset(g, zoneIDs, 0.5)
		}
		if g.chance(0.1) {
			t.Active = ptr(false)
		}
		f.Technicians = append(f.Technicians, t)
		techIDs = append(techIDs, t.ID)
	}
	g.r.Shuffle(len(f.Technicians), func(i, j int) { f.Technicians[i], f.Technicians[j] = f.Technicians[j], f.Technicians[i] })

	// Shifts: daily Normal shifts from wall clocks (some overnight, some
	// around the transition instant), time off and on-call stretches.
	addShift := func(tech int64, typ string, s, e int64) {
		sh := genShift{ID: int64(len(f.Shifts) + 1), TechnicianID: tech, ShiftType: typ, Title: typ, Start: g.stamp(s), End: g.stamp(e)}
		if g.chance(0.08) {
			sh.Active = ptr(false)
		}
		f.Shifts = append(f.Shifts, sh)
	}
	randomInstant := func() int64 { // a whole minute in the horizon
		lo, hi := local(loc, h0, 0), local(loc, hEnd, 0)
		return lo + 60*g.r.Int64N((hi-lo)/60)
	}
	for _, tech := range techIDs {
		for d := h0 - 1; d < hEnd; d++ {
			if !g.chance(0.7) {
				continue
			}
			s := local(loc, d, g.clock())
			var e int64
			switch g.r.IntN(3) {
			case 0:
				e = local(loc, d, g.clock())
				if e <= s {
					e = local(loc, d+1, g.clock()) // overnight
				}
			default:
				e = s + int64(60*15*(1+g.r.IntN(48)))
			}
			if e > s {
				addShift(tech, "Normal", s, e)
			}
		}
		if g.tr.At != 0 && g.chance(0.6) {
			s := g.tr.At - int64(60*15*g.r.IntN(24))
			addShift(tech, "Normal", s, g.tr.At+int64(60*15*(1+g.r.IntN(24))))
		}
		for _, typ := range []string{"TimeOff", "OnCall"} {
			for g.chance(0.25) {
				s := randomInstant()
				addShift(tech, typ, s, s+int64(60*15*(1+g.r.IntN(40))))
			}
		}
	}
	g.r.Shuffle(len(f.Shifts), func(i, j int) { f.Shifts[i], f.Shifts[j] = f.Shifts[j], f.Shifts[i] })

	// Appointments: assigned to one or more technicians, unassigned, or
	// canceled, with some reassignment history.
	for i := range g.r.IntN(14) {
		var s int64
		if len(windowSlots) > 0 && g.chance(0.6) {
			w := windowSlots[g.r.IntN(len(windowSlots))]
			s = local(loc, h0+civil(g.r.IntN(days)), w[0]) + int64(60*15*g.r.IntN(4))
		} else {
			s = randomInstant()
		}
		e := s + int64(60*15*(1+g.r.IntN(16)))
		a := genAppt{ID: int64(5000 + i), JobID: int64(900 + i), JobTypeID: jobTypes[g.r.IntN(nj)], BusinessUnitID: units[g.r.IntN(nu)],
			Start: g.stamp(s), End: g.stamp(e), ArrivalWindowStart: g.stamp(s), ArrivalWindowEnd: g.stamp(s + 7200), Canceled: g.chance(0.1)}
		if g.chance(0.3) {
			a.Zip = requestZips[g.r.IntN(len(requestZips))]
		}
		f.Appointments = append(f.Appointments, a)
		record := func(tech int64, status string) {
			as := genAssignment{ID: int64(len(f.Assignments) + 1), JobAppointmentID: a.ID, TechnicianID: tech,
				AssignedOn: g.stamp(s - 86400), Status: status}
			if status == "Unassigned" {
				as.UnassignedOn = g.stamp(s - 3600)
			}
			f.Assignments = append(f.Assignments, as)
		}
		if g.chance(0.3) {
			record(techIDs[g.r.IntN(nt)], "Unassigned") // history
		}
		if a.Canceled || g.chance(0.25) {
			continue // canceled or waiting for a technician
		}
		k := 1 + g.r.IntN(min(3, nt))
		for _, j := range g.r.Perm(nt)[:k] {
			record(techIDs[j], "Assigned")
		}
	}
	g.r.Shuffle(len(f.Assignments), func(i, j int) { f.Assignments[i], f.Assignments[j] = f.Assignments[j], f.Assignments[i] })

	// Capacity controls: adjustments (mostly on a window's bounds) and rules.
	if g.chance(0.4) {
		for i := range 1 + g.r.IntN(3) {
			a, b := g.slot()
			if len(windowSlots) > 0 && g.chance(0.8) {
				w := windowSlots[g.r.IntN(len(windowSlots))]
				a, b = w[0], w[1]
			}
			date := h0 + civil(g.r.IntN(days))
			if gap := g.wa - g.wb; g.tr.At != 0 && gap > 0 && g.chance(0.3) {
				// On the date of a gap, a clock in the gap names the same
				// instant as the clock a gap later: write the window's
				// bounds the other way, which must match all the same.
				date = tDate
				if a >= g.wa && a < g.wa+gap && a-gap >= 0 {
					a -= gap
				}
				if b >= g.wa && b < g.wa+gap && b-gap > a {
					b -= gap
				}
			}
			adj := genAdjustment{ID: int64(i + 1), Date: date.String(), From: fmtClock(a), To: fmtClock(b),
				Minutes: g.r.IntN(601) - 300, Reason: "oracle"}
			switch g.r.IntN(3) {
			case 0:
				adj.BusinessUnitID = units[g.r.IntN(nu)]
			case 1:
				if len(groupIDs) > 0 {
					adj.BusinessUnitGroupID = groupIDs[g.r.IntN(len(groupIDs))]
				}
			}
			f.CapacityAdjustments = append(f.CapacityAdjustments, adj)
		}
	}
	if g.chance(0.3) {
		for i := range 1 + g.r.IntN(2) {
			jts := subset(g, jobTypes, 0.5)
			if len(jts) == 0 {
				jts = []int64{jobTypes[0]}
			}
			f.CapacityRules = append(f.CapacityRules, genRule{ID: int64(i + 1), Name: fmt.Sprintf("Rule %d", i+1), JobTypeIDs: jts,
				BusinessUnitIDs: subset(g, units, 0.4), MaxPercentage: 1 + g.r.IntN(100)})
		}
	}
	if c.Tenant, err = json.MarshalIndent(f, "", " "); err != nil {
		return Case{}, err
	}

	// Requests: the whole horizon, a day, or a stretch between wall clocks.
	for range 3 + g.r.IntN(4) {
		var from, to int64
		switch g.r.IntN(3) {
		case 0:
			from, to = local(loc, h0, 0), local(loc, hEnd, 0)
		case 1:
			d := h0 + civil(g.r.IntN(days))
			from, to = local(loc, d, 0), local(loc, d+1, 0)
		default:
			from = local(loc, h0+civil(g.r.IntN(days)), g.clock())
			to = from + int64(60*15*(1+g.r.IntN(4*24*days)))
		}
		if g.chance(0.1) {
			from -= int64(g.r.IntN(60)) // not a whole minute
		}
		q := map[string]any{"startsOnOrAfter": g.stamp(from), "endsOnOrBefore": g.stamp(to)}
		if g.chance(0.5) {
			q["businessUnitIds"] = subset(g, units, 0.5)
		}
		if g.chance(0.75) {
			q["jobTypeId"] = jobTypes[g.r.IntN(nj)]
			if g.chance(0.5) {
				q["skillBasedAvailability"] = true
			}
		}
		if g.chance(0.3) {
			q["zip"] = requestZips[g.r.IntN(len(requestZips))]
		}
		b, err := json.Marshal(q)
		if err != nil {
			return Case{}, err
		}
		c.Requests = append(c.Requests, b)
	}
	return c, nil
}

// Describe is a one-line summary of c for test logs.
func (c Case) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d, %s", c.Seed, c.Zone)
	if c.Transition.At != 0 {
		fmt.Fprintf(&b, ", transition %s (%+d min)", time.Unix(c.Transition.At, 0).UTC().Format(time.RFC3339), (c.Transition.After-c.Transition.Before)/60)
	}
	return b.String()
}
