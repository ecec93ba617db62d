package capacity_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
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
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
)

// dataOpts compare two engines' records: the schedule and zones are
// shared pointers (compared apart), nil and empty slices alike.
var dataOpts = gocmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(capacity.Data{}, "Schedule", "Zones")}

// sameAsFresh checks e against an engine built from scratch from e's
// records: the records it gives back and its answers to n random
// requests, every field, and to one request over every date the records
// reach (lifecycle steps move shifts and appointments past the tenant's
// days, where the random requests do not look: a catalog not grown to a
// working shift there answers nothing).
func sameAsFresh(t testing.TB, r *rand.Rand, g *tenantgen.Tenant, e *capacity.Engine, n int) string {
	d := e.Data()
	fresh, err := capacity.New(d)
	if err != nil {
		return fmt.Sprintf("the engine's records do not build: %v", err)
	}
	fd := fresh.Data()
	if fd.Schedule != d.Schedule || fd.Zones != d.Zones {
		return "a fresh build has another schedule or zone directory"
	}
	if !sameData(d, fd) {
		return fmt.Sprintf("the records of a fresh build differ (-engine +fresh):\n%s", gocmp.Diff(d, fd, dataOpts))
	}
	reqs := make([]capacity.Request, 0, n+1)
	for range n {
		reqs = append(reqs, g.Request(r))
	}
	reqs = append(reqs, wideRequest(r, g, &d))
	for _, req := range reqs {
		if a, b := mustJSON(t, query(t, e, req)), mustJSON(t, query(t, fresh, req)); string(a) != string(b) {
			return fmt.Sprintf("engine and fresh build differ for %+v (-fresh +engine):\n%s", req,
				gocmp.Diff(query(t, fresh, req), query(t, e, req), respOpts...))
		}
	}
	return ""
}

// wideRequest returns a random request of g over every date d's shifts
// and appointments reach, from the day before the tenant's first (at most
// 30 days: the engine refuses a longer range).
func wideRequest(r *rand.Rand, g *tenantgen.Tenant, d *capacity.Data) capacity.Request {
	last := g.First + hours.Date(g.Days)
	for _, sh := range d.Shifts {
		last = max(last, hours.DateAt(g.Loc, sh.End.Unix()))
	}
	for _, a := range d.Appointments {
		last = max(last, hours.DateAt(g.Loc, a.End.Unix()))
	}
	req := g.Request(r)
	first := g.First - 1
	req.StartsOnOrAfter = time.Unix(hours.DayStart(g.Loc, first), 0)
	req.EndsOnOrBefore = time.Unix(hours.DayStart(g.Loc, min(last+1, first+30)), 0)
	return req
}

// warnCheck is an Assign or Reschedule whose warnings the test checks
// against refWarnings over the records after it.
type warnCheck struct {
	appt  int64
	techs []int64
	got   []capacity.Warning
}

// lifeStep applies one random lifecycle change to e — or a control
// change, or a change the engine must refuse — and names it.
func lifeStep(t testing.TB, r *rand.Rand, g *tenantgen.Tenant, e *capacity.Engine) (string, *warnCheck, error) {
	d := e.Data()
	base := time.Unix(hours.DayStart(g.Loc, g.First), 0).In(g.Loc)
	quarter := func(n int) time.Duration { return 15 * time.Minute * time.Duration(r.IntN(n)) }
	mins := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	var live []capacity.Appointment
	for _, a := range d.Appointments {
		if !a.Canceled {
			live = append(live, a)
		}
	}
	techIDs := func() []int64 {
		ids := []int64{pick(r, d.Technicians).ID}
		if other := pick(r, d.Technicians).ID; other != ids[0] && r.IntN(3) == 0 {
			ids = append(ids, other)
		}
		return ids
	}
	var techMax int64
	for _, t := range d.Technicians {
		techMax = max(techMax, t.ID)
	}
	switch r.IntN(20) {
	case 0:
		start := base.Add(quarter(g.Days * 96))
		a := capacity.Appointment{ID: newID(r, apptIDs(d)), JobID: int64(r.IntN(90)), JobTypeID: pick(r, d.JobTypes).ID, BusinessUnitID: pick(r, d.BusinessUnits).ID,
			Start: start, End: start.Add(mins(15 * (1 + r.IntN(12)))), ArrivalWindowStart: start, ArrivalWindowEnd: start.Add(2 * time.Hour), Canceled: r.IntN(8) == 0}
		if r.IntN(3) == 0 {
			a.Zip = pick(r, g.Zips)
		}
		if a.Canceled {
			return "add canceled appointment", nil, e.AddAppointment(a)
		}
		return "add appointment", nil, e.AddAppointment(a)
	case 1, 2:
		if len(live) == 0 {
			return "none", nil, nil
		}
		a := pick(r, live)
		var to capacity.Reschedule
		switch r.IntN(4) {
		case 0: // a little earlier or later, overlapping its old span often
			to.Start = a.Start.Add(mins(15 * (r.IntN(9) - 4)))
		case 1: // beyond the catalog's dates
			to.Start = base.Add(time.Duration(g.Days+5)*24*time.Hour + quarter(96))
		default:
			to.Start = base.Add(quarter(g.Days * 96))
		}
		to.End = to.Start.Add(mins(15 * (1 + r.IntN(16))))
		if r.IntN(3) != 0 {
			to.ArrivalWindowStart, to.ArrivalWindowEnd = to.Start, to.Start.Add(mins(60*r.IntN(3)))
		}
		_, ids, _ := e.Appointment(a.ID)
		ws, err := e.RescheduleAppointment(a.ID, to)
		what := "reschedule pending"
		if len(ids) > 0 {
			what = "reschedule assigned"
		}
		return what, &warnCheck{appt: a.ID, techs: ids, got: ws}, err
	case 3:
		if len(live) == 0 {
			return "none", nil, nil
		}
		a := pick(r, live)
		_, ids, _ := e.Appointment(a.ID)
		recs, err := e.CancelAppointment(a.ID)
		if err == nil {
			if len(recs) != len(ids) {
				return "cancel", nil, fmt.Errorf("canceling %d closed %d records, but %d technicians were assigned", a.ID, len(recs), len(ids))
			}
			for i, rec := range recs {
				if rec.TechnicianID != ids[i] || rec.Status != capacity.Unassigned || rec.UnassignedOn.IsZero() || !rec.ModifiedOn.Equal(rec.UnassignedOn) {
					return "cancel", nil, fmt.Errorf("canceling %d returned %+v", a.ID, rec)
				}
			}
		}
		if len(ids) > 0 {
			return "cancel assigned", nil, err
		}
		return "cancel pending", nil, err
	case 4, 5:
		if len(live) == 0 {
			return "none", nil, nil
		}
		a, ids := pick(r, live), techIDs()
		_, ws, err := e.Assign(a.ID, ids, nil)
		return "assign", &warnCheck{appt: a.ID, techs: ids, got: ws}, err
	case 6:
		var cur []capacity.Assignment
		for _, as := range d.Assignments {
			if as.Status == capacity.Assigned {
				cur = append(cur, as)
			}
		}
		if len(cur) == 0 {
			return "none", nil, nil
		}
		as := pick(r, cur)
		_, err := e.Unassign(as.AppointmentID, []int64{as.TechnicianID}, nil)
		return "unassign", nil, err
	case 7:
		typ := pick(r, []shifts.Type{shifts.Normal, shifts.Normal, shifts.TimeOff, shifts.OnCall})
		start := base.Add(quarter(g.Days * 96))
		if r.IntN(6) == 0 {
			start = start.Add(10 * 24 * time.Hour) // beyond the catalog: a rebuild
		}
		_, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: techIDs(), Type: typ, Title: "extra", Start: start, End: start.Add(mins(15 * (1 + r.IntN(48))))})
		return "create shift", nil, err
	case 8, 9:
		if len(d.Shifts) == 0 {
			return "none", nil, nil
		}
		sh := pick(r, d.Shifts)
		c := sh.Change()
		if r.IntN(3) == 0 {
			c.Type = pick(r, []shifts.Type{shifts.Normal, shifts.TimeOff, shifts.OnCall})
		}
		if r.IntN(3) != 0 {
			c.Start = c.Start.Add(mins(15 * (r.IntN(17) - 8)))
			c.End = c.Start.Add(mins(15 * (1 + r.IntN(48))))
			if r.IntN(8) == 0 {
				c.Start, c.End = c.Start.Add(12*24*time.Hour), c.End.Add(12*24*time.Hour) // beyond the catalog
			}
		}
		if r.IntN(4) == 0 {
			c.Inactive = !c.Inactive
		}
		c.Title, c.Note = pick(r, []string{"Day", "Late", ""}), pick(r, []string{"", "swapped"})
		got, err := e.UpdateShift(sh.ID, c)
		if err == nil && (!got.Change().Equal(c) || got.ID != sh.ID || got.TechnicianID != sh.TechnicianID) {
			return "update shift", nil, fmt.Errorf("UpdateShift(%d, %+v) = %+v", sh.ID, c, got)
		}
		return "update shift", nil, err
	case 10:
		if len(d.Shifts) == 0 {
			return "none", nil, nil
		}
		sh := pick(r, d.Shifts)
		got, err := e.DeactivateShift(sh.ID)
		if err == nil && got.IsActive() {
			return "deactivate shift", nil, fmt.Errorf("DeactivateShift(%d) = %+v", sh.ID, got)
		}
		return "deactivate shift", nil, err
	case 11:
		var off []shifts.Shift
		for _, sh := range d.Shifts {
			if !sh.IsActive() {
				off = append(off, sh)
			}
		}
		if len(off) == 0 {
			return "none", nil, nil
		}
		_, err := e.ReactivateShift(pick(r, off).ID)
		return "reactivate shift", nil, err
	case 12:
		if len(d.Shifts) == 0 {
			return "none", nil, nil
		}
		sh := pick(r, d.Shifts)
		got, err := e.DeleteShift(sh.ID)
		if err == nil && !got.Equal(sh) {
			return "delete shift", nil, fmt.Errorf("DeleteShift(%d) = %+v, want %+v", sh.ID, got, sh)
		}
		return "delete shift", nil, err
	case 13:
		tc := capacity.Technician{ID: techMax + 1 + int64(r.IntN(3)), Name: "New", BusinessUnitID: pick(r, d.BusinessUnits).ID}
		what := "add technician"
		if r.IntN(2) == 0 { // an id below the largest: columns leave id order
			for range 5 {
				id := 1 + r.Int64N(techMax)
				if !slices.ContainsFunc(d.Technicians, func(x capacity.Technician) bool { return x.ID == id }) {
					tc.ID, what = id, "add technician below"
					break
				}
			}
		}
		for _, s := range []string{"HVAC", "Plumbing", "Electrical"} {
			if r.IntN(2) == 0 {
				tc.Skills = append(tc.Skills, s)
			}
		}
		if d.Zones != nil && r.IntN(2) == 0 {
			tc.ZoneIDs = []int64{1 + r.Int64N(2)}
		}
		if r.IntN(2) == 0 {
			tc.Home = &capacity.Point{Latitude: 39.7, Longitude: -105}
		}
		if r.IntN(4) == 0 { // added inactive: the zero value is active, Inactive is honoured
			tc.Inactive, what = true, what+" inactive"
		}
		if err := e.AddTechnician(tc); err != nil {
			return what, nil, err
		}
		if got, _ := e.Technician(tc.ID); got.Inactive != tc.Inactive {
			return what, nil, fmt.Errorf("added technician %d: Inactive %v, want %v", tc.ID, got.Inactive, tc.Inactive)
		}
		// A shift for it, half the time, so that it has figures.
		if r.IntN(2) == 0 {
			start := base.Add(quarter(g.Days * 96))
			_, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{tc.ID}, Type: shifts.Normal, Start: start, End: start.Add(mins(15 * (8 + r.IntN(40))))})
			return what, nil, err
		}
		return what, nil, nil
	case 14:
		tc := pick(r, d.Technicians)
		what := "update technician"
		if u := pick(r, d.BusinessUnits).ID; u != tc.BusinessUnitID {
			tc.BusinessUnitID, what = u, "move technician"
		}
		tc.Name += "'"
		tc.Skills = nil
		for _, s := range []string{"HVAC", "Plumbing", "Electrical"} {
			if r.IntN(2) == 0 {
				tc.Skills = append(tc.Skills, s)
			}
		}
		tc.ZoneIDs = nil
		if d.Zones != nil && r.IntN(2) == 0 {
			tc.ZoneIDs = []int64{1 + r.Int64N(2)}
		}
		active := tc.IsActive()
		tc.Inactive = r.IntN(2) == 0 // ignored
		if err := e.UpdateTechnician(tc); err != nil {
			return what, nil, err
		}
		if got, _ := e.Technician(tc.ID); got.IsActive() != active || got.BusinessUnitID != tc.BusinessUnitID || !slices.Equal(got.Skills, tc.Skills) {
			return what, nil, fmt.Errorf("UpdateTechnician(%+v) left %+v", tc, got)
		}
		return what, nil, nil
	case 15:
		tc := pick(r, d.Technicians)
		return "deactivate technician", nil, e.DeactivateTechnician(tc.ID)
	case 16:
		tc := pick(r, d.Technicians)
		return "reactivate technician", nil, e.ReactivateTechnician(tc.ID)
	case 17:
		return refusedStep(t, r, g, e, d, live)
	default:
		what, err := controlStep(r, g, e)
		return "control: " + what, nil, err
	}
}

// refusedStep tries a change the engine must refuse, checks the error's
// sentinel and field, and that nothing changed.
func refusedStep(t testing.TB, r *rand.Rand, g *tenantgen.Tenant, e *capacity.Engine, d capacity.Data, live []capacity.Appointment) (string, *warnCheck, error) {
	base := time.Unix(hours.DayStart(g.Loc, g.First), 0).In(g.Loc)
	var canceled []int64
	for _, a := range d.Appointments {
		if a.Canceled {
			canceled = append(canceled, a.ID)
		}
	}
	unknown := int64(1 << 40)
	type try struct {
		what  string
		do    func() error
		is    error
		field string
	}
	tries := []try{
		{"reschedule unknown", func() error {
			_, err := e.RescheduleAppointment(unknown, capacity.Reschedule{Start: base, End: base.Add(time.Hour)})
			return err
		}, capacity.ErrNotFound, "id"},
		{"cancel unknown", func() error { _, err := e.CancelAppointment(unknown); return err }, capacity.ErrNotFound, "id"},
		{"update unknown shift", func() error {
			_, err := e.UpdateShift(unknown, shifts.Change{Type: shifts.Normal, Start: base, End: base.Add(time.Hour)})
			return err
		}, capacity.ErrNotFound, "id"},
		{"delete unknown shift", func() error { _, err := e.DeleteShift(unknown); return err }, capacity.ErrNotFound, "id"},
		{"deactivate unknown technician", func() error { return e.DeactivateTechnician(unknown) }, capacity.ErrNotFound, "id"},
		{"add existing technician", func() error {
			t := pick(r, d.Technicians)
			t.Name = "Twin"
			return e.AddTechnician(t)
		}, capacity.ErrConflict, "id"},
		{"add technician of unknown unit", func() error {
			return e.AddTechnician(capacity.Technician{ID: unknown, BusinessUnitID: unknown})
		}, capacity.ErrInvalid, "businessUnitId"},
		{"move technician to unknown unit", func() error {
			t := pick(r, d.Technicians)
			t.BusinessUnitID = unknown
			return e.UpdateTechnician(t)
		}, capacity.ErrInvalid, "businessUnitId"},
	}
	if len(d.Appointments) > 0 {
		a := pick(r, d.Appointments)
		tries = append(tries, try{"add existing appointment", func() error { return e.AddAppointment(a) }, capacity.ErrConflict, "id"})
	}
	if len(d.Shifts) > 0 {
		sh := pick(r, d.Shifts)
		tries = append(tries, try{"update shift backwards", func() error {
			c := sh.Change()
			c.End = c.Start
			_, err := e.UpdateShift(sh.ID, c)
			return err
		}, shifts.ErrInvalid, "end"})
	}
	if len(live) > 0 {
		a := pick(r, live)
		tries = append(tries, try{"reschedule backwards", func() error {
			_, err := e.RescheduleAppointment(a.ID, capacity.Reschedule{Start: a.Start, End: a.Start, ArrivalWindowStart: a.Start, ArrivalWindowEnd: a.Start.Add(-time.Minute)})
			return err
		}, capacity.ErrInvalid, "end"})
	}
	if len(canceled) > 0 {
		id := pick(r, canceled)
		tries = append(tries,
			try{"assign canceled", func() error { _, _, err := e.Assign(id, []int64{d.Technicians[0].ID}, nil); return err }, capacity.ErrConflict, "jobAppointmentId"},
			try{"cancel canceled", func() error { _, err := e.CancelAppointment(id); return err }, capacity.ErrConflict, "id"},
			try{"reschedule canceled", func() error {
				_, err := e.RescheduleAppointment(id, capacity.Reschedule{Start: base, End: base.Add(time.Hour)})
				return err
			}, capacity.ErrConflict, "id"})
	}
	tr := pick(r, tries)
	req := g.Request(r)
	before := mustJSON(t, query(t, e, req))
	err := tr.do()
	switch {
	case err == nil:
		return "refuse " + tr.what, nil, errors.New("accepted")
	case tr.is != nil && !errors.Is(err, tr.is):
		return "refuse " + tr.what, nil, fmt.Errorf("error %v does not wrap %v", err, tr.is)
	case tr.field != "" && !strings.HasPrefix(err.Error(), tr.field+": "):
		return "refuse " + tr.what, nil, fmt.Errorf("error %q does not name the field %s", err, tr.field)
	}
	if after := e.Data(); !sameData(d, after) {
		return "refuse " + tr.what, nil, fmt.Errorf("a refused change changed the records (-before +after):\n%s", gocmp.Diff(d, after, dataOpts))
	}
	if after := mustJSON(t, query(t, e, req)); string(after) != string(before) {
		return "refuse " + tr.what, nil, fmt.Errorf("a refused change changed an answer:\n%s\n%s", before, after)
	}
	return "refuse " + tr.what, nil, nil
}

// TestLifecycle applies random sequences of every change — appointments
// added (some canceled), rescheduled, canceled, assigned and unassigned;
// shifts created, updated, deactivated, reactivated and deleted;
// technicians added (some below the largest id), updated (some to another
// unit), deactivated and reactivated; the controls of DESIGN §4a; and
// changes that must be refused — on tenants with every control. After each
// step the engine must give back the records a fresh build from them
// gives back and answer random requests as it does — and one over every
// date the records reach — field by field, its per-unit sums must be
// laid out and summed as CheckShards says, and the warnings of Assign
// and RescheduleAppointment must be those computed from the records;
// after the sequence it must agree with the bitmap reference and the
// straightforward baseline. With small shards too, so that adding
// technicians and moving them between units opens new ones.
func TestLifecycle(t *testing.T) {
	for _, shard := range []int32{0, 2} {
		t.Run(fmt.Sprint("shard=", shard), func(t *testing.T) {
			if shard > 0 {
				defer capacity.SetMaxShard(shard)()
				defer capacity.SetParallelFrom(2)() // builds and catalog rebuilds split too
			}
			cases := 1000
			if shard > 0 {
				cases = 300
			}
			steps, warned := map[string]int{}, map[capacity.WarningCode]int{}
			var compared int
			props := gopter.NewProperties(proptest.Params(t, cases))
			props.Property("lifecycle changes keep the engine equal to a fresh build and the references", prop.ForAll(func(seed uint64) string {
				r := rand.New(rand.NewPCG(seed, 31))
				g := tenantgen.NewControlled(r)
				clock := int64(1_800_000_000)
				e, err := capacity.New(g.Data, capacity.WithClock(func() time.Time { return time.Unix(clock, 0) }))
				if err != nil {
					return err.Error()
				}
				for step := range 14 {
					clock += 60
					what, wc, err := lifeStep(t, r, g, e)
					if err != nil {
						return fmt.Sprintf("step %d (%s): %v", step, what, err)
					}
					steps[what]++
					if wc != nil {
						d := e.Data()
						want := refWarnings(&d, wc.appt, wc.techs)
						if msg := sameWarnings(want, wc.got); msg != "" {
							return fmt.Sprintf("step %d (%s): %s", step, what, msg)
						}
						for _, w := range wc.got {
							warned[w.Code]++
						}
					}
					if err := e.CheckShards(); err != nil {
						return fmt.Sprintf("after step %d (%s): %v", step, what, err)
					}
					if msg := sameAsFresh(t, r, g, e, 3); msg != "" {
						return fmt.Sprintf("after step %d (%s): %s", step, what, msg)
					}
					compared += 4 // three random requests and a wide one
				}
				for range 2 {
					if msg := agree(t, e, g.Request(r)); msg != "" {
						return "after the sequence: " + msg
					}
				}
				return ""
			}, gen.UInt64()))
			proptest.Run(t, props)
			t.Logf("%d answers compared with fresh builds; steps: %v; warnings: %v", compared, steps, warned)
			for _, want := range []string{"add appointment", "add canceled appointment", "reschedule pending", "reschedule assigned",
				"cancel pending", "cancel assigned", "assign", "unassign", "create shift", "update shift", "deactivate shift",
				"reactivate shift", "delete shift", "add technician", "add technician below", "add technician inactive", "update technician", "move technician",
				"deactivate technician", "reactivate technician", "control: add adjustment", "control: change rule", "control: add group",
				"control: unit percentages", "refuse reschedule unknown", "refuse assign canceled", "refuse update shift backwards",
				"refuse add existing technician"} {
				if steps[want] == 0 {
					t.Errorf("no sequence took the step %q", want)
				}
			}
			for _, c := range []capacity.WarningCode{capacity.WarnInactive, capacity.WarnMissingSkills, capacity.WarnOtherBusinessUnit,
				capacity.WarnOutsideWorkingTime, capacity.WarnOverlap} {
				if warned[c] == 0 {
					t.Errorf("no step warned %s", c)
				}
			}
		})
	}
}

// refWarnings computes the warnings of the technicians on the appointment
// from the records alone, as DESIGN and the doc of WarningCode say.
func refWarnings(d *capacity.Data, apptID int64, techs []int64) []capacity.Warning {
	var appt capacity.Appointment
	for _, a := range d.Appointments {
		if a.ID == apptID {
			appt = a
		}
	}
	var jt capacity.JobType
	for _, j := range d.JobTypes {
		if j.ID == appt.JobTypeID {
			jt = j
		}
	}
	group := func(unit int64) int64 {
		for _, g := range d.BusinessUnitGroups {
			if slices.Contains(g.BusinessUnitIDs, unit) {
				return g.ID
			}
		}
		return 0
	}
	var out []capacity.Warning
	for _, id := range sortedIDs(techs) {
		var t capacity.Technician
		for _, x := range d.Technicians {
			if x.ID == id {
				t = x
			}
		}
		w := func(code capacity.WarningCode, other int64) {
			out = append(out, capacity.Warning{TechnicianID: id, Code: code, OtherAppointmentID: other})
		}
		if !t.IsActive() {
			w(capacity.WarnInactive, 0)
		}
		if !t.HasSkills(jt.Skills) {
			w(capacity.WarnMissingSkills, 0)
		}
		if t.BusinessUnitID != appt.BusinessUnitID && (group(t.BusinessUnitID) == 0 || group(t.BusinessUnitID) != group(appt.BusinessUnitID)) {
			w(capacity.WarnOtherBusinessUnit, 0)
		}
		// W(t) ∩ appointment: business hours ∩ active Normal − active TimeOff.
		var normal, off interval.Builder
		for _, sh := range d.Shifts {
			if sh.TechnicianID == id && sh.IsActive() {
				switch sh.Type {
				case shifts.Normal:
					normal.AddRange(max(sh.Start.Unix(), appt.Start.Unix()), min(sh.End.Unix(), appt.End.Unix()))
				case shifts.TimeOff:
					off.AddRange(max(sh.Start.Unix(), appt.Start.Unix()), min(sh.End.Unix(), appt.End.Unix()))
				}
			}
		}
		work := d.Schedule.Open(appt.Start.Unix(), appt.End.Unix()).Intersect(normal.Set()).Difference(off.Set())
		if work.Measure() < appt.End.Unix()-appt.Start.Unix() {
			w(capacity.WarnOutsideWorkingTime, 0)
		}
		var others []int64
		for _, as := range d.Assignments {
			if as.TechnicianID != id || as.Status != capacity.Assigned || as.AppointmentID == apptID {
				continue
			}
			for _, b := range d.Appointments {
				if b.ID == as.AppointmentID && b.Start.Before(appt.End) && appt.Start.Before(b.End) {
					others = append(others, b.ID)
				}
			}
		}
		slices.Sort(others)
		for _, o := range others {
			w(capacity.WarnOverlap, o)
		}
	}
	return out
}

// sameWarnings compares warnings but for their messages, which must name
// the technician.
func sameWarnings(want, got []capacity.Warning) string {
	strip := func(ws []capacity.Warning) []capacity.Warning {
		out := make([]capacity.Warning, len(ws))
		for i, w := range ws {
			w.Message = ""
			out[i] = w
		}
		return out
	}
	if diff := gocmp.Diff(want, strip(got), cmpopts.EquateEmpty()); diff != "" {
		return fmt.Sprintf("warnings (-records +engine):\n%s", diff)
	}
	for _, w := range got {
		if !strings.Contains(w.Message, fmt.Sprintf("technician %d", w.TechnicianID)) {
			return fmt.Sprintf("warning %+v does not name its technician", w)
		}
	}
	return ""
}

func nextID(ids []int64) int64 { return slices.Max(append(ids, 0)) + 1 }

// newID returns an id none of ids has: one above them all, or at times
// one below the largest (in a gap, or below the smallest), which the
// engine must place among the others rather than after them.
func newID(r *rand.Rand, ids []int64) int64 {
	top := nextID(ids)
	if top > 1 && r.IntN(3) == 0 {
		used := make(map[int64]bool, len(ids))
		for _, id := range ids {
			used[id] = true
		}
		for range 20 {
			if id := 1 + r.Int64N(top-1); !used[id] {
				return id
			}
		}
	}
	return top
}

// TestLifecycleErrors pins the messages, sentinels and fields of refused
// lifecycle changes, and that each leaves the records as they were.
func TestLifecycleErrors(t *testing.T) {
	day := "2027-03-09"
	tests := []struct {
		name string
		do   func(e *capacity.Engine) error
		is   error
		want string
	}{
		{"reschedule unknown", func(e *capacity.Engine) error {
			_, err := e.RescheduleAppointment(9, capacity.Reschedule{Start: at(day, "09:00"), End: at(day, "10:00")})
			return err
		}, capacity.ErrNotFound, "id: capacity: unknown appointment 9"},
		{"reschedule backwards, window too", func(e *capacity.Engine) error {
			_, err := e.RescheduleAppointment(5001, capacity.Reschedule{Start: at(day, "10:00"), End: at(day, "09:00"),
				ArrivalWindowStart: at(day, "10:00"), ArrivalWindowEnd: at(day, "08:00")})
			return err
		}, capacity.ErrInvalid, "end: capacity: appointment 5001 ends before it starts\narrivalWindowEnd: capacity: appointment 5001's arrival window ends before it starts"},
		{"reschedule for three years (a year typed wrong)", func(e *capacity.Engine) error {
			_, err := e.RescheduleAppointment(5001, capacity.Reschedule{Start: at(day, "09:00"), End: at(day, "10:00").AddDate(3, 0, 0)})
			return err
		}, capacity.ErrInvalid, "end: capacity: appointment 5001 lasts 1096.0 days; at most 7 days"},
		{"reschedule to year 2300", func(e *capacity.Engine) error {
			_, err := e.RescheduleAppointment(5001, capacity.Reschedule{Start: at(day, "09:00"), End: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)})
			return err
		}, capacity.ErrInvalid, "end: capacity: hours: date-time 2300-01-01T00:00:00Z is outside the supported years 1900–2199"},
		{"cancel unknown", func(e *capacity.Engine) error { _, err := e.CancelAppointment(9); return err },
			capacity.ErrNotFound, "id: capacity: unknown appointment 9"},
		{"add appointment with a bad zip and window", func(e *capacity.Engine) error {
			return e.AddAppointment(capacity.Appointment{ID: 7, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, "09:00"), End: at(day, "10:00"),
				ArrivalWindowStart: at(day, "09:00"), ArrivalWindowEnd: at(day, "08:00"), Zip: "8"})
		}, capacity.ErrInvalid, "arrivalWindowEnd: capacity: appointment 7's arrival window ends before it starts\nzip: capacity: malformed zip \"8\""},
		{"add appointment with id 0", func(e *capacity.Engine) error {
			return e.AddAppointment(capacity.Appointment{ID: 0, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, "09:00"), End: at(day, "10:00")})
		}, capacity.ErrInvalid, "id: capacity: appointment id 0 must be positive"},
		{"update unknown shift", func(e *capacity.Engine) error {
			_, err := e.UpdateShift(9, shifts.Change{Type: shifts.Normal, Start: at(day, "09:00"), End: at(day, "10:00")})
			return err
		}, capacity.ErrNotFound, "id: capacity: unknown shift 9"},
		{"update shift to nothing", func(e *capacity.Engine) error { _, err := e.UpdateShift(1, shifts.Change{}); return err },
			shifts.ErrInvalid, "shiftType: shifts: shift type is missing or unknown\nstart: shifts: start is missing\nend: shifts: end is missing"},
		{"update shift to eight days", func(e *capacity.Engine) error {
			_, err := e.UpdateShift(1, shifts.Change{Type: shifts.Normal, Start: at(day, "09:00"), End: at(day, "09:00").Add(8 * 24 * time.Hour)})
			return err
		}, shifts.ErrInvalid, "end: shifts: shift of 192h0m0s is longer than the 7-day maximum"},
		{"deactivate unknown shift", func(e *capacity.Engine) error { _, err := e.DeactivateShift(9); return err },
			capacity.ErrNotFound, "id: capacity: unknown shift 9"},
		{"delete unknown shift", func(e *capacity.Engine) error { _, err := e.DeleteShift(9); return err },
			capacity.ErrNotFound, "id: capacity: unknown shift 9"},
		{"add technician twice", func(e *capacity.Engine) error {
			return e.AddTechnician(capacity.Technician{ID: 101, BusinessUnitID: 1})
		},
			capacity.ErrConflict, "id: capacity: technician 101 exists"},
		{"add technician with bad references", func(e *capacity.Engine) error {
			return e.AddTechnician(capacity.Technician{ID: 0, BusinessUnitID: 5, ZoneIDs: []int64{3}, Home: &capacity.Point{Latitude: 91}})
		}, capacity.ErrInvalid, "id: capacity: technician id 0 must be positive\nbusinessUnitId: capacity: unknown business unit 5\nzoneIds[0]: capacity: unknown zone 3\nhome.latitude: capacity: latitude 91 is outside −90–90"},
		{"update unknown technician", func(e *capacity.Engine) error {
			return e.UpdateTechnician(capacity.Technician{ID: 9, BusinessUnitID: 1})
		},
			capacity.ErrNotFound, "id: capacity: unknown technician 9"},
		{"reactivate unknown technician", func(e *capacity.Engine) error { return e.ReactivateTechnician(9) },
			capacity.ErrNotFound, "id: capacity: unknown technician 9"},
		{"check an unknown technician", func(e *capacity.Engine) error { _, err := e.CheckAssignment(5001, []int64{9}); return err },
			capacity.ErrNotFound, "technicianIds[0]: capacity: unknown technician 9"},
		{"create shifts for an unknown technician and id 0, backwards", func(e *capacity.Engine) error {
			_, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{9, 0, 101}, Type: shifts.Normal, Start: at(day, "18:00"), End: at(day, "17:00")})
			return err
		}, capacity.ErrNotFound, "technicianIds[0]: capacity: unknown technician 9\ntechnicianIds[1]: shifts: technician id 0 must be positive\n" +
			"end: shifts: end 2027-03-09T17:00:00-07:00 is not after start 2027-03-09T18:00:00-07:00"},
		{"create shifts for an unknown technician", func(e *capacity.Engine) error {
			_, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101, 9}, Type: shifts.Normal, Start: at(day, "18:00"), End: at(day, "19:00")})
			return err
		}, capacity.ErrNotFound, "technicianIds[1]: capacity: unknown technician 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := build(t, oneTech())
			before := e.Data()
			err := tt.do(e)
			if !errors.Is(err, tt.is) || err.Error() != tt.want {
				t.Errorf("got %v, want %q wrapping %v", err, tt.want, tt.is)
			}
			if diff := gocmp.Diff(before, e.Data(), dataOpts); diff != "" {
				t.Errorf("a refused change changed the records (-before +after):\n%s", diff)
			}
		})
	}
}

// TestCreateShiftsBeyondRange: a working shift created on a date past
// every date the engine held (three months on) adds its hours to the
// technician's capacity there; time off there takes none away elsewhere.
func TestCreateShiftsBeyondRange(t *testing.T) {
	e := build(t, oneTech())
	day := "2027-06-02"
	if _, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.TimeOff, Start: at("2027-06-09", "08:00"), End: at("2027-06-09", "12:00")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.Normal, Start: at(day, "08:00"), End: at(day, "12:00")}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		day  string
		work time.Duration
	}{{day, 4 * time.Hour}, {"2027-03-09", 9 * time.Hour}, {"2027-06-09", 0}} {
		if work, _ := e.Load(101, at(c.day, "00:00"), at(c.day, "23:59")); work != c.work {
			t.Errorf("%s: work %v, want %v", c.day, work, c.work)
		}
	}
}

// TestCanceledRoundTrip: a canceled appointment is saved with Canceled
// set and its records Unassigned, a build from the saved records gives
// them back, and a canceled appointment with an Assigned record is
// refused.
func TestCanceledRoundTrip(t *testing.T) {
	now := time.Date(2027, 3, 8, 9, 0, 0, 0, time.UTC)
	e, err := capacity.New(oneTech(), capacity.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := e.CancelAppointment(5001)
	if err != nil || len(recs) != 1 || recs[0].Status != capacity.Unassigned || !recs[0].UnassignedOn.Equal(now) || !recs[0].ModifiedOn.Equal(now) {
		t.Fatalf("CancelAppointment = %+v, %v", recs, err)
	}
	if _, err := e.CancelAppointment(5001); !errors.Is(err, capacity.ErrConflict) {
		t.Errorf("canceling twice: %v, want ErrConflict", err)
	}
	d := e.Data()
	if !d.Appointments[0].Canceled || d.Assignments[0].Status != capacity.Unassigned {
		t.Fatalf("saved %+v and %+v", d.Appointments[0], d.Assignments[0])
	}
	if diff := gocmp.Diff(d, build(t, d).Data(), dataOpts); diff != "" {
		t.Errorf("reloaded records differ (-saved +reloaded):\n%s", diff)
	}
	d.Assignments[0].Status, d.Assignments[0].UnassignedOn = capacity.Assigned, time.Time{}
	_, err = capacity.New(d)
	if want := "assignments[0].status: capacity: appointment 5001 is canceled; its records must be Unassigned"; err == nil || err.Error() != want {
		t.Errorf("an Assigned record of a canceled appointment: got %v, want %q", err, want)
	}
}

// TestWarningsGroup: a technician of a unit in the appointment's unit's
// group is not of "another" business unit; one outside it is, and the
// message names the group.
func TestWarningsGroup(t *testing.T) {
	d := workedTenant() // Ana 101 Service (1), Ben 102 Maintenance (2), Cy 103 Plumbing (3)
	d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
	e := build(t, d)
	ws, err := e.CheckAssignment(5001, []int64{103, 102})
	if err != nil {
		t.Fatal(err)
	}
	want := []capacity.Warning{{TechnicianID: 103, Code: capacity.WarnOtherBusinessUnit,
		Message: "technician 103 (Cy) is in business unit 3 (Plumbing); appointment 5001 is for business unit 1 (Service) (group 1, HVAC, does not include it)"}}
	if diff := gocmp.Diff(want, ws); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// Without the group, Ben is of another unit too.
	e = build(t, workedTenant())
	if ws, _ := e.CheckAssignment(5001, []int64{102}); len(ws) != 1 || ws[0].Code != capacity.WarnOtherBusinessUnit {
		t.Errorf("without a group: %v, want Ben of another unit", ws)
	}
}

// TestWarningsTouching: an appointment that ends when another of the
// technician's starts, or starts when one ends, does not overlap it; one
// that reaches into both overlaps each, by the minutes they share.
func TestWarningsTouching(t *testing.T) {
	e := build(t, oneTech()) // 101 works 08:00–17:00 and has 5001 10:00–11:00 and 5002 14:00–15:00
	day := "2027-03-09"
	for id, span := range map[int64][2]string{7001: {"11:00", "14:00"}, 7002: {"10:30", "14:30"}} {
		if err := e.AddAppointment(capacity.Appointment{ID: id, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, span[0]), End: at(day, span[1])}); err != nil {
			t.Fatal(err)
		}
	}
	if ws, err := e.CheckAssignment(7001, []int64{101}); err != nil || len(ws) != 0 {
		t.Errorf("touching both: %v, %v; want no warning", ws, err)
	}
	ws, err := e.CheckAssignment(7002, []int64{101})
	want := []string{
		"overlappingAppointment: appointment 7002 (2027-03-09 10:30–14:30) overlaps appointment 5001 (2027-03-09 10:00–11:00), to which technician 101 (Ana Ruiz) is assigned, for 30 minutes",
		"overlappingAppointment: appointment 7002 (2027-03-09 10:30–14:30) overlaps appointment 5002 (2027-03-09 14:00–15:00), to which technician 101 (Ana Ruiz) is assigned, for 30 minutes",
	}
	var got []string
	for _, w := range ws {
		got = append(got, w.String())
	}
	if diff := gocmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("reaching into both: %v (-want +got):\n%s", err, diff)
	}
}

// TestWarningSpans: a warning writes an appointment's span with one date
// when it ends on the date it starts — on the 25-hour day that ends
// daylight saving time too, where it may last 24 hours — and with both
// when it ends on a later date.
func TestWarningSpans(t *testing.T) {
	e := build(t, oneTech())
	for id, span := range map[int64][2]time.Time{
		7003: {at("2027-11-07", "00:30"), at("2027-11-07", "23:30")},
		7004: {at("2027-03-09", "22:00"), at("2027-03-10", "01:00")},
		7005: {at("2027-03-09", "23:00"), at("2027-03-10", "00:00")},
	} {
		if err := e.AddAppointment(capacity.Appointment{ID: id, JobTypeID: 10, BusinessUnitID: 1, Start: span[0], End: span[1]}); err != nil {
			t.Fatal(err)
		}
	}
	for id, want := range map[int64]string{
		7003: "2027-11-07 00:30–23:30",
		7004: "2027-03-09 22:00–2027-03-10 01:00",
		7005: "2027-03-09 23:00–2027-03-10 00:00",
	} {
		ws, err := e.CheckAssignment(id, []int64{101})
		msg := fmt.Sprintf("technician 101 (Ana Ruiz) has no working time during appointment %d (%s)", id, want)
		if err != nil || len(ws) != 1 || ws[0].Message != msg {
			t.Errorf("appointment %d: %v, %v; want %q", id, ws, err, msg)
		}
	}
}

// TestConcurrentLifecycle runs every kind of change beside queries (go
// test -race finds unsynchronized access), then checks the engine against
// a fresh build and the references.
func TestConcurrentLifecycle(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 12))
	g := tenantgen.NewControlled(r)
	// A clock, so that the records unassigned have unassignedOn set (the
	// default clock answers the epoch, 0, which reads as unset).
	e, err := capacity.New(g.Data, capacity.WithClock(func() time.Time { return time.Unix(1_800_000_000, 0) }))
	if err != nil {
		t.Fatal(err)
	}
	reqs := []capacity.Request{g.Request(r), g.Request(r), g.Request(r)}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rr := rand.New(rand.NewPCG(uint64(w), 13))
			for i := range 60 {
				if w == 3 {
					if _, err := e.Capacity(reqs[i%3]); err != nil {
						errs <- err
						return
					}
					continue
				}
				// Steps are chosen from a snapshot that another goroutine's
				// change may overtake (a shift deleted meanwhile), so
				// their errors and checks are not the point here: the
				// race detector and the final comparison are.
				_, _, _ = lifeStep(t, rr, g, e)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if msg := sameAsFresh(t, r, g, e, 5); msg != "" {
		t.Error(msg)
	}
	if msg := agree(t, e, reqs[0]); msg != "" {
		t.Error(msg)
	}
}

// TestLifecycleAllocations: after a technician is added below the largest
// id (so queries walk columns through the id order), a steady-state query
// still allocates only its response.
func TestLifecycleAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	e := crew()
	if err := e.AddTechnician(capacity.Technician{ID: 100, Name: "Al", BusinessUnitID: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{100}, Type: shifts.Normal, Start: at("2027-03-09", "08:00"), End: at("2027-03-09", "12:00")}); err != nil {
		t.Fatal(err)
	}
	req := capacity.Request{StartsOnOrAfter: time.Date(2027, 3, 9, 0, 0, 0, 0, denver), EndsOnOrBefore: time.Date(2027, 3, 10, 0, 0, 0, 0, denver), JobTypeID: 10}
	if ids := query(t, e, req).Availabilities[0].Timeslots[0].TechnicianIDs; !slices.Equal(ids, []int64{100, 101, 102}) {
		t.Fatalf("technicianIds %v, want ascending [100 101 102]", ids)
	}
	if n := testing.AllocsPerRun(50, func() { query(t, e, req) }); n > 4 {
		t.Errorf("a steady-state query allocates %v times, want at most 4 (the response)", n)
	}
}

// sameData reports whether two engines' records are equal, as dataOpts
// compares them, without reflection: go-cmp made TestLifecycle several
// times slower under the race detector. The schedule and zones are not
// compared.
func sameData(a, b capacity.Data) bool {
	eqPtr := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqActor := func(x, y *capacity.Actor) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.IdealBookingPercentage == b.IdealBookingPercentage && a.TravelBufferMinutes == b.TravelBufferMinutes &&
		slices.Equal(a.BusinessUnits, b.BusinessUnits) &&
		slices.EqualFunc(a.JobTypes, b.JobTypes, func(x, y capacity.JobType) bool {
			return x.ID == y.ID && x.Name == y.Name && x.DurationMinutes == y.DurationMinutes && slices.Equal(x.Skills, y.Skills) &&
				slices.Equal(x.BusinessUnitIDs, y.BusinessUnitIDs) && x.Priority == y.Priority && eqPtr(x.TravelBufferMinutes, y.TravelBufferMinutes)
		}) &&
		slices.EqualFunc(a.Technicians, b.Technicians, func(x, y capacity.Technician) bool {
			return x.ID == y.ID && x.Name == y.Name && x.BusinessUnitID == y.BusinessUnitID && slices.Equal(x.Skills, y.Skills) &&
				slices.Equal(x.ZoneIDs, y.ZoneIDs) && x.IsActive() == y.IsActive() && (x.Home == nil) == (y.Home == nil) && (x.Home == nil || *x.Home == *y.Home)
		}) &&
		slices.EqualFunc(a.Shifts, b.Shifts, shifts.Shift.Equal) && slices.EqualFunc(a.Appointments, b.Appointments, capacity.Appointment.Equal) &&
		slices.EqualFunc(a.Assignments, b.Assignments, capacity.Assignment.Equal) &&
		slices.EqualFunc(a.BusinessUnitGroups, b.BusinessUnitGroups, func(x, y capacity.BusinessUnitGroup) bool {
			return x.ID == y.ID && x.Name == y.Name && slices.Equal(x.BusinessUnitIDs, y.BusinessUnitIDs) &&
				x.IdealBookingPercentage == y.IdealBookingPercentage && eqPtr(x.ReservePercentage, y.ReservePercentage)
		}) &&
		slices.EqualFunc(a.CapacityAdjustments, b.CapacityAdjustments, func(x, y capacity.Adjustment) bool {
			cx, cy := x.CreatedBy, y.CreatedBy
			tx, ty := x.CreatedOn, y.CreatedOn
			x.CreatedBy, y.CreatedBy, x.CreatedOn, y.CreatedOn = nil, nil, time.Time{}, time.Time{}
			return x == y && eqActor(cx, cy) && tx.Equal(ty)
		}) &&
		slices.EqualFunc(a.CapacityRules, b.CapacityRules, func(x, y capacity.Rule) bool {
			return x.ID == y.ID && x.Name == y.Name && slices.Equal(x.JobTypeIDs, y.JobTypeIDs) &&
				slices.Equal(x.BusinessUnitIDs, y.BusinessUnitIDs) && x.MaxPercentage == y.MaxPercentage
		})
}

// TestTechniciansAreCopies: the technicians AddTechnician takes and the
// accessors give are copies, so that changing their skills, zones or home
// afterwards does not reach the engine.
func TestTechniciansAreCopies(t *testing.T) {
	e := crew()
	in := capacity.Technician{ID: 103, Name: "Cy", BusinessUnitID: 1, Skills: []string{"HVAC"}, Home: &capacity.Point{Latitude: 39, Longitude: -105}}
	if err := e.AddTechnician(in); err != nil {
		t.Fatal(err)
	}
	in.Skills[0], in.Home.Latitude = "Plumbing", 0
	got, _ := e.Technician(103)
	got.Skills[0] = "Electrical"
	e.Technicians()[0].Skills[0] = "Electrical"
	e.Data().Technicians[1].Skills[0] = "Electrical"
	for _, id := range []int64{101, 102, 103} {
		tech, _ := e.Technician(id)
		if want := map[int64]string{101: "HVAC", 102: "Plumbing", 103: "HVAC"}[id]; tech.Skills[0] != want {
			t.Errorf("technician %d has skill %q, want %q", id, tech.Skills[0], want)
		}
	}
	if tech, _ := e.Technician(103); tech.Home.Latitude != 39 {
		t.Errorf("home changed to %+v", tech.Home)
	}
}
