package capacity_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/tenantgen"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/shifts"
)

// recordModel is the plain bookkeeping the engine's narrow record store
// must be indistinguishable from: public records in slices, found by
// scanning.
type recordModel struct {
	appts  []capacity.Appointment
	ledger []capacity.Assignment
	shifts []shifts.Shift
}

func (m *recordModel) assigned(appt, tech int64) int {
	return slices.IndexFunc(m.ledger, func(a capacity.Assignment) bool {
		return a.AppointmentID == appt && a.TechnicianID == tech && a.Status == capacity.Assigned
	})
}

// current returns appt's Assigned records, ascending by technician.
func (m *recordModel) current(appt int64) []capacity.Assignment {
	var out []capacity.Assignment
	for _, a := range m.ledger {
		if a.AppointmentID == appt && a.Status == capacity.Assigned {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y capacity.Assignment) int { return cmp.Compare(x.TechnicianID, y.TechnicianID) })
	return out
}

func (m *recordModel) assign(appt int64, techs []int64, by *capacity.Actor, now int64) {
	for _, tech := range sortedIDs(techs) {
		if m.assigned(appt, tech) >= 0 {
			continue
		}
		id := int64(1)
		for _, a := range m.ledger {
			id = max(id, a.ID+1)
		}
		var actor *capacity.Actor
		if by != nil {
			c := *by
			actor = &c
		}
		m.ledger = append(m.ledger, capacity.Assignment{ID: id, AppointmentID: appt, TechnicianID: tech, AssignedBy: actor,
			AssignedOn: time.Unix(now, 0), Status: capacity.Assigned, ModifiedOn: time.Unix(now, 0)})
	}
}

func (m *recordModel) unassign(appt int64, techs []int64, now int64) bool {
	for _, tech := range techs {
		if m.assigned(appt, tech) < 0 {
			return false
		}
	}
	for _, tech := range sortedIDs(techs) {
		a := &m.ledger[m.assigned(appt, tech)]
		a.Status, a.UnassignedOn, a.ModifiedOn = capacity.Unassigned, time.Unix(now, 0), time.Unix(now, 0)
	}
	return true
}

func sortedIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func byID[T any](list []T, id func(T) int64) []T {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	return out
}

// diff compares the engine's records with the model's. Plain equality
// first: go-cmp's reflection made the test fifty times slower under -race.
func (m *recordModel) diff(e *capacity.Engine) string {
	d := e.Data()
	opts := gocmp.Options{cmpopts.EquateEmpty()}
	if want := byID(m.appts, func(a capacity.Appointment) int64 { return a.ID }); !slices.EqualFunc(want, d.Appointments, capacity.Appointment.Equal) {
		return "appointments (-model +engine):\n" + gocmp.Diff(want, d.Appointments, opts)
	}
	if want := byID(m.ledger, func(a capacity.Assignment) int64 { return a.ID }); !slices.EqualFunc(want, d.Assignments, capacity.Assignment.Equal) {
		return "ledger (-model +engine):\n" + gocmp.Diff(want, d.Assignments, opts)
	}
	if want := byID(m.shifts, func(s shifts.Shift) int64 { return s.ID }); !slices.EqualFunc(want, d.Shifts, shifts.Shift.Equal) {
		return "shifts (-model +engine):\n" + gocmp.Diff(want, d.Shifts, opts)
	}
	if msg := m.diffAssignments(e, d.Technicians); msg != "" {
		return msg
	}
	for _, a := range m.appts {
		want := []int64{}
		for _, rec := range m.current(a.ID) {
			want = append(want, rec.TechnicianID)
		}
		got, ids, ok := e.Appointment(a.ID)
		if !ok || !got.Equal(a) || !slices.Equal(ids, want) {
			return fmt.Sprintf("Appointment(%d) = %+v %v %v, want %+v %v", a.ID, got, ids, ok, a, want)
		}
	}
	return ""
}

// diffAssignments compares Engine.Assignments with the model's ledger in
// id order: unfiltered, for each technician (the first, at column 0,
// among them) and one unknown, and modified on or after a time.
func (m *recordModel) diffAssignments(e *capacity.Engine, techs []capacity.Technician) string {
	all := byID(m.ledger, func(a capacity.Assignment) int64 { return a.ID })
	list := func(q capacity.AssignmentQuery) []capacity.Assignment {
		var out []capacity.Assignment
		for q.Page = 1; ; q.Page++ {
			q.PageSize = paging.MaxSize
			page, err := e.Assignments(q)
			if err != nil {
				panic(err)
			}
			out = append(out, page.Data...)
			if !page.HasMore {
				return out
			}
		}
	}
	check := func(what string, q capacity.AssignmentQuery, keep func(capacity.Assignment) bool) string {
		var want []capacity.Assignment
		for _, a := range all {
			if keep(a) {
				want = append(want, a)
			}
		}
		if got := list(q); !slices.EqualFunc(want, got, capacity.Assignment.Equal) {
			return fmt.Sprintf("Assignments(%s) (-model +engine):\n%s", what, gocmp.Diff(want, got, cmpopts.EquateEmpty()))
		}
		return ""
	}
	if msg := check("all", capacity.AssignmentQuery{}, func(capacity.Assignment) bool { return true }); msg != "" {
		return msg
	}
	ids := []int64{-5}
	for _, tc := range techs {
		ids = append(ids, tc.ID)
	}
	for _, id := range ids {
		if msg := check(fmt.Sprint("technician ", id), capacity.AssignmentQuery{TechnicianID: &id}, func(a capacity.Assignment) bool { return a.TechnicianID == id }); msg != "" {
			return msg
		}
	}
	if len(all) > 0 {
		since := all[len(all)/2].ModifiedOn
		if msg := check(fmt.Sprint("modified on or after ", since), capacity.AssignmentQuery{ModifiedOnOrAfter: since}, func(a capacity.Assignment) bool { return !a.ModifiedOn.Before(since) }); msg != "" {
			return msg
		}
	}
	return ""
}

// TestRecordsMatchModel drives the engine with random assignments (several
// technicians at once, by a few actors or none), unassignments, new
// appointments with zips and new shifts with titles and notes, and checks
// after every step that the records it serves back — Data, Appointment,
// the records Assign and Unassign return — are exactly the model's. The
// differential tests read the engine's records back through Data to feed
// the references, so they would not notice a record lost or changed here.
func TestRecordsMatchModel(t *testing.T) {
	actors := []*capacity.Actor{nil, {ID: 1, Name: "Dispatcher"}, {ID: 2, Name: "Auto-dispatch"}}
	texts := []string{"", "On call", "Vacation", "Training"}
	var steps, several int
	props := gopter.NewProperties(proptest.Params(t, 200))
	props.Property("records equal the model", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 3))
		g := tenantgen.New(r)
		d := g.Data
		d.Assignments = slices.Clone(d.Assignments)
		for i := range d.Assignments {
			d.Assignments[i].AssignedBy = actors[r.IntN(len(actors))]
		}
		clock := int64(1_800_000_000)
		e, err := capacity.New(d, capacity.WithClock(func() time.Time { clock += 60; return time.Unix(clock, 0) }))
		if err != nil {
			return err.Error()
		}
		m := &recordModel{appts: slices.Clone(d.Appointments), ledger: slices.Clone(d.Assignments), shifts: slices.Clone(d.Shifts)}
		if msg := m.diff(e); msg != "" {
			return "as built: " + msg
		}
		techIDs := func(n int) []int64 {
			var ids []int64
			for range n {
				ids = append(ids, d.Technicians[r.IntN(len(d.Technicians))].ID)
			}
			return ids
		}
		for step := range 12 {
			steps++
			var what string
			op := r.IntN(5)
			if len(m.appts) == 0 {
				op = 3 // nothing to assign yet
			}
			switch op {
			case 0, 1:
				a := m.appts[r.IntN(len(m.appts))]
				ids, by := techIDs(1+r.IntN(3)), actors[r.IntN(len(actors))]
				recs, _, err := e.Assign(a.ID, ids, by)
				if err != nil {
					return fmt.Sprintf("step %d: assign %v to %d: %v", step, ids, a.ID, err)
				}
				m.assign(a.ID, ids, by, clock)
				if want := m.current(a.ID); !slices.EqualFunc(want, recs, capacity.Assignment.Equal) {
					return fmt.Sprintf("step %d: Assign returned (-model +engine):\n%s", step, gocmp.Diff(want, recs))
				}
				if len(recs) > 1 {
					several++
				}
				what = fmt.Sprintf("assign %v to %d", ids, a.ID)
			case 2:
				a := m.appts[r.IntN(len(m.appts))]
				ids := techIDs(1 + r.IntN(2))
				recs, err := e.Unassign(a.ID, ids, nil)
				if ok := m.unassign(a.ID, ids, clock); ok != (err == nil) || (!ok && !errors.Is(err, capacity.ErrConflict)) {
					return fmt.Sprintf("step %d: unassign %v from %d: %v (model ok: %v)", step, ids, a.ID, err, ok)
				}
				if err == nil {
					if want := m.current(a.ID); !slices.EqualFunc(want, recs, capacity.Assignment.Equal) {
						return fmt.Sprintf("step %d: Unassign returned (-model +engine):\n%s", step, gocmp.Diff(want, recs))
					}
				}
				what = fmt.Sprintf("unassign %v from %d", ids, a.ID)
			case 3:
				start := u(hours.DayStart(g.Loc, g.First) + 900*int64(r.IntN(400)))
				a := capacity.Appointment{ID: int64(9000 + step), JobID: int64(r.IntN(50)), JobTypeID: d.JobTypes[r.IntN(len(d.JobTypes))].ID,
					BusinessUnitID: d.BusinessUnits[r.IntN(len(d.BusinessUnits))].ID, Start: start, End: start.Add(90 * time.Minute),
					ArrivalWindowStart: start.Add(-time.Hour), ArrivalWindowEnd: start.Add(time.Hour)}
				if r.IntN(2) == 0 {
					a.Zip = g.Zips[r.IntN(len(g.Zips))]
				}
				if err := e.AddAppointment(a); err != nil {
					return fmt.Sprintf("step %d: add appointment: %v", step, err)
				}
				m.appts = append(m.appts, a)
				what = "add appointment"
			case 4:
				req := g.NewShiftRequest(r, []shifts.Type{shifts.Normal, shifts.TimeOff, shifts.OnCall}[r.IntN(3)])
				req.Title, req.Note = texts[r.IntN(len(texts))], texts[r.IntN(len(texts))]
				created, err := e.CreateShifts(req)
				if err != nil {
					return fmt.Sprintf("step %d: create shifts: %v", step, err)
				}
				for i, sh := range created {
					if sh.TechnicianID != req.TechnicianIDs[i] || sh.Title != req.Title || sh.Note != req.Note || !sh.Start.Equal(req.Start) || !sh.End.Equal(req.End) || sh.Type != req.Type || !sh.IsActive() {
						return fmt.Sprintf("step %d: created %+v for %+v", step, sh, req)
					}
				}
				m.shifts = append(m.shifts, created...)
				what = "create shifts"
			}
			if msg := m.diff(e); msg != "" {
				return fmt.Sprintf("after step %d (%s): %s", step, what, msg)
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("%d steps, %d assignments that left several technicians on one appointment", steps, several)
	if several == 0 {
		t.Error("no appointment ever had several technicians: the inline/several switch went untested")
	}
}
