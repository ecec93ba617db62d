package edge_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// writer is one goroutine's sequence of lifecycle changes. The writers
// of TestConcurrentUse touch disjoint records (appointments and the
// ledger; shifts and technicians; the capacity controls), so the state
// they leave does not depend on how their changes interleave: applied one
// writer after another on a fresh engine, they leave the same state.
type writer func(t *testing.T, e *capacity.Engine)

func writers(t *testing.T, n int) []writer {
	day := func(k int) string { return fmt.Sprintf("2027-03-%02d", 8+k%12) }
	at := func(k int, clock string) time.Time { return denver(t, day(k)+"T"+clock) }
	weekday := func(k int) hours.Date { // a weekday of the fortnight
		d := hours.DateOf(2027, 3, 8+k%14)
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d++
		}
		return d
	}
	hvac := []int64{101, 102, 103, 104, 105, 106, 107, 108, 109, 110}
	check := func(t *testing.T, what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	appointments := func(t *testing.T, e *capacity.Engine) {
		for k := range n {
			id := int64(9000 + k)
			start := at(k, fmt.Sprintf("%02d:00", 8+k%8))
			check(t, "add appointment", e.AddAppointment(capacity.Appointment{ID: id, JobTypeID: 101, BusinessUnitID: 1,
				Start: start, End: start.Add(90 * time.Minute), Zip: "80203"}))
			_, _, err := e.Assign(id, []int64{hvac[k%len(hvac)], hvac[(k+3)%len(hvac)]}, &capacity.Actor{ID: int64(k % 3), Name: "Dispatch"})
			check(t, "assign", err)
			if k%3 == 0 {
				_, err := e.Unassign(id, []int64{hvac[k%len(hvac)]}, nil)
				check(t, "unassign", err)
			}
			if k%4 == 1 {
				_, err := e.RescheduleAppointment(id, capacity.Reschedule{Start: start.Add(time.Hour), End: start.Add(150 * time.Minute)})
				check(t, "reschedule", err)
			}
			if k%5 == 2 {
				_, err := e.CancelAppointment(id)
				check(t, "cancel", err)
			}
			if k%6 == 0 { // an appointment of the file's
				old := int64(5001 + 13*k)
				if _, techs, ok := e.Appointment(old); ok && len(techs) > 0 {
					_, err := e.Unassign(old, techs[:1], nil)
					check(t, "unassign old", err)
				}
			}
		}
	}
	shiftsAndTechs := func(t *testing.T, e *capacity.Engine) {
		for k := range n {
			tech := hvac[k%len(hvac)]
			start := at(k, "17:00")
			got, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{tech}, Type: shifts.Normal, Title: "Late",
				Start: start, End: start.Add(3 * time.Hour)})
			check(t, "create shifts", err)
			if len(got) != 1 {
				continue
			}
			id := got[0].ID
			switch k % 4 {
			case 0:
				c := got[0].Change()
				c.End = c.End.Add(time.Hour)
				_, err = e.UpdateShift(id, c)
				check(t, "update shift", err)
			case 1:
				_, err = e.DeactivateShift(id)
				check(t, "deactivate shift", err)
			case 2:
				_, err = e.DeactivateShift(id)
				check(t, "deactivate shift", err)
				_, err = e.ReactivateShift(id)
				check(t, "reactivate shift", err)
			case 3:
				_, err = e.DeleteShift(id)
				check(t, "delete shift", err)
			}
			if k%10 == 0 {
				nt := capacity.Technician{ID: int64(400 + k), Name: "Temp", BusinessUnitID: 1 + int64(k%3), Skills: []string{"HVAC"}, ZoneIDs: []int64{1 + int64(k%4)}}
				check(t, "add technician", e.AddTechnician(nt))
				tc, _ := e.Technician(tech)
				tc.Skills = append(tc.Skills, fmt.Sprint("Skill", k))
				check(t, "update technician", e.UpdateTechnician(tc))
			}
			if k%7 == 3 {
				check(t, "deactivate technician", e.DeactivateTechnician(tech))
				check(t, "reactivate technician", e.ReactivateTechnician(tech))
			}
		}
		check(t, "deactivate technician", e.DeactivateTechnician(205))
	}
	controls := func(t *testing.T, e *capacity.Engine) {
		clocks := [][2]hours.Clock{{8 * 60, 10 * 60}, {10 * 60, 12 * 60}, {12 * 60, 14 * 60}, {14 * 60, 16 * 60}}
		for k := range n {
			c := clocks[k%len(clocks)]
			a := capacity.Adjustment{ID: int64(100 + k), Date: weekday(k), From: c[0], To: c[1], BusinessUnitID: 1 + int64(k%3),
				Minutes: 30 * (k%5 - 2), Reason: "load test"}
			check(t, "add adjustment", e.AddAdjustment(a))
			if k%3 == 0 {
				a.Minutes += 15
				check(t, "change adjustment", e.ChangeAdjustment(a))
			}
			if k%4 == 0 {
				_, err := e.RemoveAdjustment(a.ID)
				check(t, "remove adjustment", err)
			}
			if k%8 == 0 {
				r := capacity.Rule{ID: int64(10 + k), Name: "cap", JobTypeIDs: []int64{101 + int64(k%4)}, MaxPercentage: 30 + k%60}
				check(t, "add rule", e.AddRule(r))
				if k%16 == 0 {
					_, err := e.RemoveRule(r.ID)
					check(t, "remove rule", err)
				}
			}
			if k%5 == 0 {
				check(t, "unit percentages", e.SetUnitPercentages(2, 50+k%100, k%40))
			}
			if k%9 == 0 {
				g := capacity.BusinessUnitGroup{ID: 2, Name: "Trades", BusinessUnitIDs: []int64{2, 3}}
				if k%18 == 0 {
					check(t, "add group", e.AddGroup(g))
				} else {
					_, err := e.RemoveGroup(2)
					check(t, "remove group", err)
				}
			}
		}
	}
	return []writer{appointments, shiftsAndTechs, controls}
}

// checkResponse checks what every answer must satisfy, whatever the
// changes around it.
func checkResponse(t *testing.T, r capacity.Request, res *capacity.Response) {
	var last time.Time
	for _, a := range res.Availabilities {
		if len(a.Timeslots) == 0 {
			t.Errorf("availability %v has no timeslots", a.Start)
		}
		for _, s := range a.Timeslots {
			if s.Start.Before(r.StartsOnOrAfter) || s.End.After(r.EndsOnOrBefore) || !s.Start.Before(s.End) || s.Start.Before(last) {
				t.Errorf("timeslot %v–%v out of the range or order", s.Start, s.End)
			}
			last = s.Start
			if s.TechnicianIDs == nil || !slices.IsSorted(s.TechnicianIDs) || len(slices.Compact(slices.Clone(s.TechnicianIDs))) != len(s.TechnicianIDs) {
				t.Errorf("timeslot %v: technicianIds %v not ascending and distinct", s.Start, s.TechnicianIDs)
			}
			if s.TotalAvailability < 0 || s.CapacityMinutes < 0 || s.BookedMinutes < 0 || s.PendingMinutes < 0 {
				t.Errorf("timeslot %v: negative minutes %+v", s.Start, s)
			}
			if s.IsAvailable == s.UnavailableBecause.Any() {
				t.Errorf("timeslot %v: isAvailable %v with reasons %v", s.Start, s.IsAvailable, s.UnavailableBecause.Strings())
			}
			if s.UnavailableBecause.NoTechnicianFits != (len(s.TechnicianIDs) == 0) {
				t.Errorf("timeslot %v: noTechnicianFits %v with %d technicians", s.Start, s.UnavailableBecause.NoTechnicianFits, len(s.TechnicianIDs))
			}
		}
	}
}

// TestConcurrentUse runs queries and every kind of read from several
// goroutines while writers change the engine, under the race detector
// in scripts/test.sh: no race, no panic, every answer internally
// consistent, and after quiescence the engine answers as one rebuilt from
// its Data and as a fresh engine that ran the same writers one after
// another.
func TestConcurrentUse(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 20
	}
	orig := demoData(t)
	e := newEngine(t, cloneData(orig))
	reqs := probes(t)
	var done atomic.Bool
	var readers, ws sync.WaitGroup
	var queries atomic.Int64
	from, to := denver(t, "2027-03-08"), denver(t, "2027-03-22")
	for g := range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for k := g; !done.Load(); k++ {
				r := reqs[k%len(reqs)]
				res, err := e.Capacity(r)
				if err != nil {
					t.Errorf("capacity: %v", err)
					return
				}
				checkResponse(t, r, res)
				queries.Add(1)
				switch k % 9 {
				case 0:
					_ = e.Data()
				case 1:
					for _, tc := range e.Technicians() {
						e.Load(tc.ID, from, to)
						e.Arrival(tc.ID, from, to, time.Hour)
						e.Working(tc.ID, from, to)
					}
				case 2:
					_ = e.Shifts().All()
					_, _ = e.Shifts().Get(int64(k % 50))
				case 3:
					_ = e.Schedule().WindowsOn(nil, hours.DateOf(2027, 3, 8+k%14))
					_ = e.Zones().Zones()
				case 4:
					if _, err := e.Assignments(capacity.AssignmentQuery{}); err != nil {
						t.Errorf("assignments: %v", err)
					}
				case 5:
					_, _, _ = e.Appointment(int64(9000 + k%n))
					_, _ = e.CheckAssignment(int64(5001+k%900), []int64{101})
				case 6:
					_ = e.Adjustments()
					_ = e.Rules()
					_ = e.BusinessUnitGroups()
				case 7:
					_ = e.Footprint()
					_ = e.String()
				case 8:
					_, _ = e.JobType(101)
					_, _ = e.Technician(101)
				}
			}
		}()
	}
	for _, w := range writers(t, n) {
		ws.Add(1)
		go func() {
			defer ws.Done()
			w(t, e)
		}()
	}
	ws.Wait()
	done.Store(true)
	readers.Wait()
	t.Logf("%d queries during %d×3 changes", queries.Load(), n)

	got := answersOf(t, e, reqs)
	sameAnswers(t, "engine rebuilt from Data", got, answersOf(t, newEngine(t, e.Data()), reqs))
	seq := newEngine(t, cloneData(orig))
	for _, w := range writers(t, n) {
		w(t, seq)
	}
	sameAnswers(t, "writers run one after another", answersOf(t, seq, reqs), got)
}
