package oracle

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The tenant file as the oracle reads it: only the members the capacity
// definition uses, decoded by encoding/json on their own. Absent numbers
// read as 0, which the design treats as unset.
type file struct {
	TimeZone               string `json:"timeZone"`
	IdealBookingPercentage int64  `json:"idealBookingPercentage"`
	TravelBufferMinutes    int64  `json:"travelBufferMinutes"`
	BusinessHours          struct {
		Weekdays []struct {
			Weekday   string     `json:"weekday"`
			TimeSlots []timeSlot `json:"timeSlots"`
		} `json:"weekdays"`
	} `json:"businessHours"`
	Exceptions []struct {
		Date      string     `json:"date"`
		TimeSlots []timeSlot `json:"timeSlots"`
	} `json:"exceptions"`
	ArrivalWindows []struct {
		ID              int64    `json:"id"`
		From            string   `json:"from"`
		To              string   `json:"to"`
		Weekdays        []string `json:"weekdays"`
		BusinessUnitIDs []int64  `json:"businessUnitIds"`
		Active          *bool    `json:"active"`
	} `json:"arrivalWindows"`
	BusinessUnits []struct {
		ID                     int64 `json:"id"`
		IdealBookingPercentage int64 `json:"idealBookingPercentage"`
		ReservePercentage      int64 `json:"reservePercentage"`
	} `json:"businessUnits"`
	BusinessUnitGroups []struct {
		ID                     int64   `json:"id"`
		BusinessUnitIDs        []int64 `json:"businessUnitIds"`
		IdealBookingPercentage int64   `json:"idealBookingPercentage"`
		ReservePercentage      *int64  `json:"reservePercentage"`
	} `json:"businessUnitGroups"`
	JobTypes []struct {
		ID                  int64    `json:"id"`
		DurationMinutes     int64    `json:"durationMinutes"`
		Skills              []string `json:"skills"`
		Priority            bool     `json:"priority"`
		TravelBufferMinutes *int64   `json:"travelBufferMinutes"`
	} `json:"jobTypes"`
	CapacityRules []struct {
		ID              int64   `json:"id"`
		JobTypeIDs      []int64 `json:"jobTypeIds"`
		BusinessUnitIDs []int64 `json:"businessUnitIds"`
		MaxPercentage   int64   `json:"maxPercentage"`
	} `json:"capacityRules"`
	CapacityAdjustments []struct {
		Date                string `json:"date"`
		From                string `json:"from"`
		To                  string `json:"to"`
		BusinessUnitID      int64  `json:"businessUnitId"`
		BusinessUnitGroupID int64  `json:"businessUnitGroupId"`
		Minutes             int64  `json:"minutes"`
	} `json:"capacityAdjustments"`
	Zones []struct {
		ID     int64    `json:"id"`
		Zips   []string `json:"zips"`
		Active *bool    `json:"active"`
	} `json:"zones"`
	Technicians []struct {
		ID             int64    `json:"id"`
		BusinessUnitID int64    `json:"businessUnitId"`
		Skills         []string `json:"skills"`
		ZoneIDs        []int64  `json:"zoneIds"`
		Active         *bool    `json:"active"`
	} `json:"technicians"`
	Shifts []struct {
		TechnicianID int64  `json:"technicianId"`
		ShiftType    string `json:"shiftType"`
		Start        string `json:"start"`
		End          string `json:"end"`
		Active       *bool  `json:"active"`
	} `json:"shifts"`
	Appointments []struct {
		ID             int64  `json:"id"`
		JobTypeID      int64  `json:"jobTypeId"`
		BusinessUnitID int64  `json:"businessUnitId"`
		Start          string `json:"start"`
		End            string `json:"end"`
		Canceled       bool   `json:"canceled"`
	} `json:"appointments"`
	Assignments []struct {
		JobAppointmentID int64  `json:"jobAppointmentId"`
		TechnicianID     int64  `json:"technicianId"`
		Status           string `json:"status"`
	} `json:"assignments"`
}

type timeSlot struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// request is the capacity request's wire form, with the zip extension.
type request struct {
	StartsOnOrAfter        string  `json:"startsOnOrAfter"`
	EndsOnOrBefore         string  `json:"endsOnOrBefore"`
	BusinessUnitIDs        []int64 `json:"businessUnitIds"`
	JobTypeID              int64   `json:"jobTypeId"`
	SkillBasedAvailability bool    `json:"skillBasedAvailability"`
	Zip                    string  `json:"zip"`
}

// Response is the capacity response's wire form, field for field in the
// engine's order. Instants are RFC 3339 strings in the tenant's offset.
type Response struct {
	StartsOnOrAfter string         `json:"startsOnOrAfter"`
	EndsOnOrBefore  string         `json:"endsOnOrBefore"`
	Availabilities  []Availability `json:"availabilities"`
}

// Availability is one local date's timeslots.
type Availability struct {
	Start     string     `json:"start"`
	End       string     `json:"end"`
	Timeslots []Timeslot `json:"timeslots"`
}

// Timeslot is one window's figures.
type Timeslot struct {
	Start                             string   `json:"start"`
	End                               string   `json:"end"`
	TechnicianIDs                     []int64  `json:"technicianIds"`
	IsAvailable                       bool     `json:"isAvailable"`
	IsExceedingIdealBookingPercentage bool     `json:"isExceedingIdealBookingPercentage"`
	TotalAvailability                 int64    `json:"totalAvailability"`
	CapacityMinutes                   int64    `json:"capacityMinutes"`
	BookedMinutes                     int64    `json:"bookedMinutes"`
	PendingMinutes                    int64    `json:"pendingMinutes"`
	UnavailableBecause                []string `json:"unavailableBecause,omitempty"`
}

// clock parses "HH:MM" (00:00–24:00) into minutes after midnight.
func clock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("oracle: clock %q is not HH:MM", s)
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("oracle: clock %q is out of range", s)
	}
	return h*60 + m, nil
}

// instant parses an RFC 3339 date-time into Unix seconds.
func instant(what, s string) (int64, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return 0, fmt.Errorf("oracle: %s: %v", what, err)
	}
	return t.Unix(), nil
}

// minuteInstant is instant for a record bound, which must be a whole
// minute.
func minuteInstant(what, s string) (int64, error) {
	u, err := instant(what, s)
	if err == nil && u%60 != 0 {
		err = fmt.Errorf("oracle: %s %q is not a whole minute", what, s)
	}
	return u, err
}

// normalizeZip upper-cases and drops spaces and hyphens (design §5); ok
// is false unless the result is 2–10 ASCII letters or digits.
func normalizeZip(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	n := b.Len()
	return b.String(), n >= 2 && n <= 10
}

func isActive(p *bool) bool { return p == nil || *p }

// window is one timeslot candidate of one local date.
type window struct {
	date       civil
	start, end int64
}

// Capacity answers the capacity request req (JSON, the contract's body
// plus "zip") over the tenant file tenant (JSON, design §5) and returns
// the response's JSON. Both must be valid: Capacity checks only what it
// needs to compute and reports that with the field it concerns.
func Capacity(tenant, req []byte) ([]byte, error) {
	r, err := Compute(tenant, req)
	if err != nil {
		return nil, err
	}
	return json.Marshal(r)
}

// Compute is Capacity returning the response as a value.
func Compute(tenantJSON, reqJSON []byte) (*Response, error) {
	var f file
	if err := json.Unmarshal(tenantJSON, &f); err != nil {
		return nil, fmt.Errorf("oracle: tenant file: %v", err)
	}
	var q request
	if err := json.Unmarshal(reqJSON, &q); err != nil {
		return nil, fmt.Errorf("oracle: request: %v", err)
	}
	loc, err := time.LoadLocation(f.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("oracle: timeZone: %v", err)
	}
	from, err := instant("startsOnOrAfter", q.StartsOnOrAfter)
	if err != nil {
		return nil, err
	}
	to, err := instant("endsOnOrBefore", q.EndsOnOrBefore)
	if err != nil {
		return nil, err
	}
	if to <= from {
		return nil, errors.New("oracle: endsOnOrBefore is not after startsOnOrAfter")
	}

	// Wall-clock conversions, memoized: dates and clocks repeat.
	memo := map[[2]int64]int64{}
	localIn := func(d civil, minute int) int64 {
		k := [2]int64{int64(d), int64(minute)}
		u, ok := memo[k]
		if !ok {
			u = local(loc, d, minute)
			memo[k] = u
		}
		return u
	}
	dayStart := func(d civil) int64 { return localIn(d, 0) }

	// Business hours of a date, after exceptions, as wall-clock minutes.
	exceptions := map[civil][]timeSlot{}
	for i, ex := range f.Exceptions {
		d, err := parseCivil(ex.Date)
		if err != nil {
			return nil, fmt.Errorf("exceptions[%d].date: %w", i, err)
		}
		exceptions[d] = ex.TimeSlots
	}
	weekly := map[string][]timeSlot{}
	for _, wd := range f.BusinessHours.Weekdays {
		weekly[wd.Weekday] = wd.TimeSlots
	}
	hoursOn := func(d civil) ([][2]int, error) {
		src, ok := exceptions[d]
		if !ok {
			src = weekly[d.weekday().String()]
		}
		var out [][2]int
		for _, ts := range src {
			a, err := clock(ts.From)
			if err != nil {
				return nil, err
			}
			b, err := clock(ts.To)
			if err != nil {
				return nil, err
			}
			out = append(out, [2]int{a, b})
		}
		return out, nil
	}

	// R*: the requested units and every unit sharing a group with one.
	groupOf := map[int64]int{} // unit → index in BusinessUnitGroups
	for gi, g := range f.BusinessUnitGroups {
		for _, u := range g.BusinessUnitIDs {
			groupOf[u] = gi
		}
	}
	star := map[int64]bool{}
	for _, u := range q.BusinessUnitIDs {
		star[u] = true
		if gi, ok := groupOf[u]; ok {
			for _, v := range f.BusinessUnitGroups[gi].BusinessUnitIDs {
				star[v] = true
			}
		}
	}
	inStar := func(u int64) bool { return len(q.BusinessUnitIDs) == 0 || star[u] }
	meetsStar := func(units []int64) bool {
		if len(units) == 0 || len(q.BusinessUnitIDs) == 0 {
			return true
		}
		return slices.ContainsFunc(units, func(u int64) bool { return star[u] })
	}

	// Step 1: timeslots of every local date that meets [from, to).
	anyActive := false
	for _, aw := range f.ArrivalWindows {
		anyActive = anyActive || isActive(aw.Active)
	}
	var dates []civil
	for d := dateAt(loc, from) - 2; d <= dateAt(loc, to)+2; d++ {
		if dayStart(d) < to && dayStart(d+1) > from {
			dates = append(dates, d)
		}
	}
	type dated struct {
		date civil
		ws   []window
	}
	var days []dated
	for _, d := range dates {
		open, err := hoursOn(d)
		if err != nil {
			return nil, err
		}
		if len(open) == 0 {
			continue
		}
		var ws []window
		if !anyActive {
			for _, s := range open {
				ws = append(ws, window{d, localIn(d, s[0]), localIn(d, s[1])})
			}
		} else {
			for i, aw := range f.ArrivalWindows {
				if !isActive(aw.Active) {
					continue
				}
				if len(aw.Weekdays) > 0 && !slices.Contains(aw.Weekdays, d.weekday().String()) {
					continue
				}
				if !meetsStar(aw.BusinessUnitIDs) {
					continue
				}
				a, err := clock(aw.From)
				if err != nil {
					return nil, fmt.Errorf("arrivalWindows[%d].from: %w", i, err)
				}
				b, err := clock(aw.To)
				if err != nil {
					return nil, fmt.Errorf("arrivalWindows[%d].to: %w", i, err)
				}
				ws = append(ws, window{d, localIn(d, a), localIn(d, b)})
			}
		}
		var kept []window
		for _, w := range ws {
			if w.start >= from && w.end <= to {
				kept = append(kept, w)
			}
		}
		sort.SliceStable(kept, func(i, j int) bool {
			if kept[i].start != kept[j].start {
				return kept[i].start < kept[j].start
			}
			return kept[i].end < kept[j].end
		})
		if len(kept) > 0 {
			days = append(days, dated{d, kept})
		}
	}
	resp := &Response{
		StartsOnOrAfter: time.Unix(from, 0).In(loc).Format(time.RFC3339),
		EndsOnOrBefore:  time.Unix(to, 0).In(loc).Format(time.RFC3339),
		Availabilities:  []Availability{},
	}
	if len(days) == 0 {
		return resp, nil
	}

	// The job: its duration plus travel buffer (d'), in minutes.
	var dur int64
	var jobSkills []string
	priority := false
	jobFound := false
	for _, jt := range f.JobTypes {
		if q.JobTypeID != 0 && jt.ID == q.JobTypeID {
			jobFound = true
			buf := f.TravelBufferMinutes
			if jt.TravelBufferMinutes != nil {
				buf = *jt.TravelBufferMinutes
			}
			dur = jt.DurationMinutes + buf
			jobSkills = jt.Skills
			priority = jt.Priority
		}
	}
	if q.JobTypeID != 0 && !jobFound {
		return nil, fmt.Errorf("oracle: jobTypeId: unknown job type %d", q.JobTypeID)
	}

	// The minute grid covers every timeslot and the longest job after it.
	lo, hi := forever, never
	for _, day := range days {
		for _, w := range day.ws {
			lo, hi = min(lo, w.start, w.end), max(hi, w.start, w.end)
		}
	}
	lo = floorMinute(lo) - 60
	hi = floorMinute(hi) + dur*60 + 120
	n := int((hi - lo) / 60)
	idx := func(u int64) int { // the minute holding u, clamped to the grid
		m := (u - lo) / 60
		return int(max(0, min(int64(n), m)))
	}
	fill := func(bits []bool, s, e int64) {
		for m := idx(s); m < idx(e); m++ {
			bits[m] = true
		}
	}
	open := make([]bool, n)
	for d := dateAt(loc, lo) - 1; d <= dateAt(loc, hi)+1; d++ {
		slots, err := hoursOn(d)
		if err != nil {
			return nil, err
		}
		for _, s := range slots {
			fill(open, localIn(d, s[0]), localIn(d, s[1]))
		}
	}

	// Zip: the active zone with the longest entry prefixing the code.
	zipZone, zipSet := int64(0), q.Zip != ""
	if zipSet {
		code, ok := normalizeZip(q.Zip)
		if !ok {
			return nil, fmt.Errorf("oracle: zip: malformed %q", q.Zip)
		}
		best := 0
		for _, z := range f.Zones {
			if !isActive(z.Active) {
				continue
			}
			for _, e := range z.Zips {
				ne, _ := normalizeZip(e)
				if strings.HasPrefix(code, ne) && len(ne) > best {
					best, zipZone = len(ne), z.ID
				}
			}
		}
	}

	tenantIdeal := f.IdealBookingPercentage
	if tenantIdeal == 0 {
		tenantIdeal = 100
	}
	unitIdeal := map[int64]int64{}
	unitReserve := map[int64]int64{}
	for _, u := range f.BusinessUnits {
		unitIdeal[u.ID] = u.IdealBookingPercentage
		unitReserve[u.ID] = u.ReservePercentage
	}
	idealOf := func(u int64) int64 {
		if gi, ok := groupOf[u]; ok && f.BusinessUnitGroups[gi].IdealBookingPercentage != 0 {
			return f.BusinessUnitGroups[gi].IdealBookingPercentage
		}
		if p := unitIdeal[u]; p != 0 {
			return p
		}
		return tenantIdeal
	}
	reserveOf := func(u int64) int64 {
		if gi, ok := groupOf[u]; ok && f.BusinessUnitGroups[gi].ReservePercentage != nil {
			return *f.BusinessUnitGroups[gi].ReservePercentage
		}
		return unitReserve[u]
	}

	// Appointments and who is assigned to them now.
	type appt struct {
		id, jobType, unit int64
		start, end        int64
		canceled          bool
	}
	appts := make([]appt, 0, len(f.Appointments))
	for i, a := range f.Appointments {
		s, err := minuteInstant(fmt.Sprintf("appointments[%d].start", i), a.Start)
		if err != nil {
			return nil, err
		}
		e, err := minuteInstant(fmt.Sprintf("appointments[%d].end", i), a.End)
		if err != nil {
			return nil, err
		}
		appts = append(appts, appt{a.ID, a.JobTypeID, a.BusinessUnitID, s, e, a.Canceled})
	}
	assigned := map[int64]map[int64]bool{} // appointment → technicians with an Assigned record
	for _, as := range f.Assignments {
		if as.Status != "Assigned" {
			continue
		}
		if assigned[as.JobAppointmentID] == nil {
			assigned[as.JobAppointmentID] = map[int64]bool{}
		}
		assigned[as.JobAppointmentID][as.TechnicianID] = true
	}

	// Steps 2–5: the eligible technicians, ascending, with W(t) and Bz(t).
	type tech struct {
		id, ideal, reserve int64
		work, busy         []bool
		run                []int32 // minutes of free time from each minute on
	}
	techs := slices.Clone(f.Technicians)
	sort.Slice(techs, func(i, j int) bool { return techs[i].ID < techs[j].ID })
	var pool []tech
	for _, t := range techs {
		if !isActive(t.Active) || !inStar(t.BusinessUnitID) {
			continue
		}
		if q.SkillBasedAvailability && !allIn(jobSkills, t.Skills) {
			continue
		}
		if zipSet && len(t.ZoneIDs) > 0 && !slices.Contains(t.ZoneIDs, zipZone) {
			continue // zipZone 0 is no zone: such a code is served only by technicians without zones
		}
		normal := make([]bool, n)
		off := make([]bool, n)
		for i, sh := range f.Shifts {
			if sh.TechnicianID != t.ID || !isActive(sh.Active) {
				continue
			}
			s, err := minuteInstant(fmt.Sprintf("shifts[%d].start", i), sh.Start)
			if err != nil {
				return nil, err
			}
			e, err := minuteInstant(fmt.Sprintf("shifts[%d].end", i), sh.End)
			if err != nil {
				return nil, err
			}
			switch sh.ShiftType {
			case "Normal":
				fill(normal, s, e)
			case "TimeOff":
				fill(off, s, e)
			case "OnCall":
			default:
				return nil, fmt.Errorf("oracle: shifts[%d].shiftType: unknown %q", i, sh.ShiftType)
			}
		}
		tm := tech{id: t.ID, ideal: idealOf(t.BusinessUnitID), reserve: reserveOf(t.BusinessUnitID),
			work: make([]bool, n), busy: make([]bool, n), run: make([]int32, n+1)}
		for m := range n {
			tm.work[m] = open[m] && normal[m] && !off[m]
		}
		for _, a := range appts {
			if !a.canceled && assigned[a.id][t.ID] {
				fill(tm.busy, a.start, a.end)
			}
		}
		for m := n - 1; m >= 0; m-- {
			if tm.work[m] && !tm.busy[m] {
				tm.run[m] = tm.run[m+1] + 1
			}
		}
		pool = append(pool, tm)
	}

	rules := slices.Clone(f.CapacityRules)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	groupByID := map[int64]int{}
	for gi, g := range f.BusinessUnitGroups {
		groupByID[g.ID] = gi
	}
	overlap := func(s1, e1, s2, e2 int64) int64 { return max(0, min(e1, e2)-max(s1, s2)) }

	// Step 6 per timeslot, with the controls of §4a.
	for _, day := range days {
		av := Availability{}
		for _, w := range day.ws {
			s, e := idx(w.start), idx(w.end)
			var capSum, bookedSum, idealSum, reserveSum int64
			ids := []int64{}
			for _, tm := range pool {
				var c, b int64
				fits := false
				for m := s; m < e; m++ {
					if tm.work[m] {
						c += 60
						if tm.busy[m] {
							b += 60
						}
						// With d = 0 a free minute is a fit; otherwise the
						// free time from m on must hold the whole job.
						if !tm.busy[m] && int64(tm.run[m]) >= max(dur, 1) {
							fits = true
						}
					}
				}
				capSum += c
				bookedSum += b
				idealSum += tm.ideal * c
				reserveSum += tm.reserve * c
				if fits {
					ids = append(ids, tm.id)
				}
			}
			var pending int64
			for _, a := range appts {
				if a.canceled || !inStar(a.unit) || len(assigned[a.id]) > 0 {
					continue
				}
				pending += overlap(a.start, a.end, w.start, w.end)
			}
			// Item 10: adjustments of this date whose bounds are the
			// timeslot's and whose unit or group meets R*.
			var adj, adjIdeal int64
			for i, a := range f.CapacityAdjustments {
				d, err := parseCivil(a.Date)
				if err != nil {
					return nil, fmt.Errorf("capacityAdjustments[%d].date: %w", i, err)
				}
				if d != day.date {
					continue
				}
				fm, err := clock(a.From)
				if err != nil {
					return nil, err
				}
				toM, err := clock(a.To)
				if err != nil {
					return nil, err
				}
				if localIn(d, fm) != w.start || localIn(d, toM) != w.end {
					continue
				}
				pct := tenantIdeal
				switch {
				case a.BusinessUnitID != 0:
					if !inStar(a.BusinessUnitID) {
						continue
					}
					pct = idealOf(a.BusinessUnitID)
				case a.BusinessUnitGroupID != 0:
					gi, ok := groupByID[a.BusinessUnitGroupID]
					if !ok || !slices.ContainsFunc(f.BusinessUnitGroups[gi].BusinessUnitIDs, inStar) {
						continue
					}
					if p := f.BusinessUnitGroups[gi].IdealBookingPercentage; p != 0 {
						pct = p
					}
				}
				adj += a.Minutes * 60
				adjIdeal += pct * a.Minutes * 60
			}
			// Item 12: capacity rules naming the job type.
			var blocking []string
			if q.JobTypeID != 0 {
				for _, r := range rules {
					if !slices.Contains(r.JobTypeIDs, q.JobTypeID) || !meetsStar(r.BusinessUnitIDs) {
						continue
					}
					var used int64
					for _, a := range appts {
						if !a.canceled && slices.Contains(r.JobTypeIDs, a.jobType) && inStar(a.unit) {
							used += overlap(a.start, a.end, w.start, w.end)
						}
					}
					if (used+dur*60)*100 > r.MaxPercentage*max(0, capSum+adj) {
						blocking = append(blocking, "capacityRule:"+strconv.FormatInt(r.ID, 10))
					}
				}
			}
			// Item 11: the reserve, unless the job type is a priority one.
			var reserve int64
			if !priority {
				reserve = reserveSum / 100
			}
			p := capSum - bookedSum + adj - pending
			ts := Timeslot{
				Start:                             time.Unix(w.start, 0).In(loc).Format(time.RFC3339),
				End:                               time.Unix(w.end, 0).In(loc).Format(time.RFC3339),
				TechnicianIDs:                     ids,
				IsAvailable:                       len(ids) > 0 && p-reserve > 0 && len(blocking) == 0,
				IsExceedingIdealBookingPercentage: (bookedSum+pending+dur*60)*100 > idealSum+adjIdeal,
				TotalAvailability:                 max(0, p-reserve) / 60,
				CapacityMinutes:                   max(0, capSum+adj) / 60,
				BookedMinutes:                     bookedSum / 60,
				PendingMinutes:                    pending / 60,
			}
			if !ts.IsAvailable {
				if len(ids) == 0 {
					ts.UnavailableBecause = append(ts.UnavailableBecause, "noTechnicianFits")
				}
				if p <= 0 {
					ts.UnavailableBecause = append(ts.UnavailableBecause, "poolExhausted")
				}
				if p > 0 && p-reserve <= 0 {
					ts.UnavailableBecause = append(ts.UnavailableBecause, "reserveHeld")
				}
				ts.UnavailableBecause = append(ts.UnavailableBecause, blocking...)
			}
			av.Timeslots = append(av.Timeslots, ts)
		}
		av.Start = av.Timeslots[0].Start
		av.End = av.Timeslots[len(av.Timeslots)-1].End
		resp.Availabilities = append(resp.Availabilities, av)
	}
	return resp, nil
}

// floorMinute rounds u down to a whole minute.
func floorMinute(u int64) int64 {
	if r := u % 60; r < 0 {
		return u - r - 60
	} else {
		return u - r
	}
}

// allIn reports whether every element of need is in have.
func allIn(need, have []string) bool {
	for _, s := range need {
		if !slices.Contains(have, s) {
			return false
		}
	}
	return true
}
