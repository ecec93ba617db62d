package capacity_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/capref"
	"github.com/opendispatch/dispatch/internal/testkit/straight"
	"github.com/opendispatch/dispatch/internal/testkit/tenantgen"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

var respOpts = []cmp.Option{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(capacity.Response{}, "Zone")}

func mustJSON(t testing.TB, r *capacity.Response) []byte {
	b, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func build(t testing.TB, d capacity.Data) *capacity.Engine {
	t.Helper()
	e, err := capacity.New(d, capacity.WithClock(testClock))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

func query(t testing.TB, e *capacity.Engine, req capacity.Request) *capacity.Response {
	t.Helper()
	resp, err := e.Capacity(req)
	if err != nil {
		t.Fatalf("Capacity(%+v): %v", req, err)
	}
	return resp
}

// agree compares the engine, the minute-bitmap reference and the
// straightforward baseline on one request; it returns a description of the
// first disagreement, or "".
func agree(t testing.TB, e *capacity.Engine, req capacity.Request) string {
	d := e.Data()
	got := query(t, e, req)
	want := capref.Capacity(d, req)
	base := straight.Capacity(&d, req)
	// The JSON holds every field (nil and empty slices alike, as
	// respOpts equates them) and compares faster than reflection; the
	// diff, field by field, is for the message.
	wantJSON := mustJSON(t, want)
	if !bytes.Equal(wantJSON, mustJSON(t, got)) {
		return fmt.Sprintf("engine vs bitmap reference for %+v (-want +got):\n%s", req, cmp.Diff(want, got, respOpts...))
	}
	if !bytes.Equal(wantJSON, mustJSON(t, base)) {
		return fmt.Sprintf("straightforward baseline vs bitmap reference for %+v (-want +got):\n%s", req, cmp.Diff(want, base, respOpts...))
	}
	return ""
}

// TestDifferential asserts engine == reference == baseline on random
// tenants and requests.
func TestDifferential(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 400))
	slots, withIDs := 0, 0
	props.Property("engine equals the references", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 1))
		g := tenantgen.New(r)
		e := build(t, g.Data)
		for range 3 {
			req := g.Request(r)
			if msg := agree(t, e, req); msg != "" {
				return msg
			}
			for _, a := range query(t, e, req).Availabilities {
				for _, ts := range a.Timeslots {
					slots++
					if len(ts.TechnicianIDs) > 0 {
						withIDs++
					}
				}
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("%d timeslots compared, %d with fitting technicians", slots, withIDs)
	if slots == 0 || withIDs == 0 {
		t.Error("the generator produced no timeslots with technicians: the test checks nothing")
	}
}

// TestIncremental applies random updates to the engine and checks that it
// still equals the references recomputed from its records.
func TestIncremental(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 200))
	props.Property("updates keep the engine equal to the references", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 2))
		g := tenantgen.New(r)
		e := build(t, g.Data)
		for step := range 8 {
			what := ""
			switch r.IntN(5) {
			case 0, 1:
				d := e.Data()
				if len(d.Appointments) == 0 {
					continue
				}
				a := d.Appointments[r.IntN(len(d.Appointments))]
				tech := d.Technicians[r.IntN(len(d.Technicians))].ID
				_, _, err := e.Assign(a.ID, []int64{tech}, nil)
				what = fmt.Sprintf("assign %d to %d: %v", tech, a.ID, err)
			case 2:
				d := e.Data()
				var cur []capacity.Assignment
				for _, as := range d.Assignments {
					if as.Status == capacity.Assigned {
						cur = append(cur, as)
					}
				}
				if len(cur) == 0 {
					continue
				}
				as := cur[r.IntN(len(cur))]
				_, err := e.Unassign(as.AppointmentID, []int64{as.TechnicianID}, nil)
				if err != nil {
					return fmt.Sprintf("unassign %+v: %v", as, err)
				}
				what = fmt.Sprintf("unassign %d from %d", as.TechnicianID, as.AppointmentID)
			case 3:
				typ := []shifts.Type{shifts.Normal, shifts.TimeOff, shifts.OnCall}[r.IntN(3)]
				req := g.NewShiftRequest(r, typ)
				if r.IntN(6) == 0 { // beyond the catalog: forces a rebuild
					req.Start = req.Start.Add(10 * 24 * time.Hour)
					req.End = req.End.Add(10 * 24 * time.Hour)
				}
				if _, err := e.CreateShifts(req); err != nil {
					return fmt.Sprintf("create shift %+v: %v", req, err)
				}
				what = fmt.Sprintf("create %+v", req)
			case 4:
				d := e.Data()
				start := d.Shifts[0].Start.Add(15 * time.Minute * time.Duration(r.IntN(400)))
				a := capacity.Appointment{ID: int64(9000 + step), JobTypeID: d.JobTypes[0].ID, BusinessUnitID: d.BusinessUnits[0].ID, Start: start, End: start.Add(90 * time.Minute)}
				if err := e.AddAppointment(a); err != nil {
					return fmt.Sprintf("add appointment: %v", err)
				}
				what = "add appointment"
			}
			if msg := agree(t, e, g.Request(r)); msg != "" {
				return fmt.Sprintf("after step %d (%s): %s", step, what, msg)
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
}

func capacities(resp *capacity.Response) []int64 {
	var out []int64
	for _, a := range resp.Availabilities {
		for _, ts := range a.Timeslots {
			out = append(out, ts.CapacityMinutes)
		}
	}
	return out
}

func TestMetamorphic(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 200))
	props.Property("a Normal shift never lowers capacity, TimeOff never raises it", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 3))
		g := tenantgen.New(r)
		e := build(t, g.Data)
		req := g.Request(r)
		before := capacities(query(t, e, req))
		typ := shifts.Normal
		if r.IntN(2) == 0 {
			typ = shifts.TimeOff
		}
		if _, err := e.CreateShifts(g.NewShiftRequest(r, typ)); err != nil {
			return err.Error()
		}
		after := capacities(query(t, e, req))
		for i := range before {
			if (typ == shifts.Normal && after[i] < before[i]) || (typ == shifts.TimeOff && after[i] > before[i]) {
				return fmt.Sprintf("%v shift moved slot %d capacity %d → %d", typ, i, before[i], after[i])
			}
		}
		return ""
	}, gen.UInt64()))
	props.Property("assign then unassign restores the identical response", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 4))
		g := tenantgen.New(r)
		e := build(t, g.Data)
		if len(g.Data.Appointments) == 0 {
			return ""
		}
		req := g.Request(r)
		before := mustJSON(t, query(t, e, req))
		a := g.Data.Appointments[r.IntN(len(g.Data.Appointments))]
		_, assigned, _ := e.Appointment(a.ID)
		var fresh []int64
		for _, tech := range g.Data.Technicians {
			if !slices.Contains(assigned, tech.ID) && r.IntN(2) == 0 {
				fresh = append(fresh, tech.ID)
			}
		}
		if len(fresh) == 0 {
			return ""
		}
		if _, _, err := e.Assign(a.ID, fresh, nil); err != nil {
			return err.Error()
		}
		if _, err := e.Unassign(a.ID, fresh, nil); err != nil {
			return err.Error()
		}
		if after := mustJSON(t, query(t, e, req)); !bytes.Equal(before, after) {
			return fmt.Sprintf("response changed:\n%s\n%s", before, after)
		}
		return ""
	}, gen.UInt64()))
	props.Property("the response does not depend on the order of input records", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 5))
		g := tenantgen.New(r)
		req := g.Request(r)
		want := mustJSON(t, query(t, build(t, g.Data), req))
		d := g.Data
		shuffle := func(n int, swap func(i, j int)) { r.Shuffle(n, swap) }
		d.Technicians = slices.Clone(d.Technicians)
		shuffle(len(d.Technicians), func(i, j int) { d.Technicians[i], d.Technicians[j] = d.Technicians[j], d.Technicians[i] })
		d.Shifts = slices.Clone(d.Shifts)
		shuffle(len(d.Shifts), func(i, j int) { d.Shifts[i], d.Shifts[j] = d.Shifts[j], d.Shifts[i] })
		d.Appointments = slices.Clone(d.Appointments)
		shuffle(len(d.Appointments), func(i, j int) { d.Appointments[i], d.Appointments[j] = d.Appointments[j], d.Appointments[i] })
		d.Assignments = slices.Clone(d.Assignments)
		shuffle(len(d.Assignments), func(i, j int) { d.Assignments[i], d.Assignments[j] = d.Assignments[j], d.Assignments[i] })
		d.BusinessUnitGroups = slices.Clone(d.BusinessUnitGroups)
		shuffle(len(d.BusinessUnitGroups), func(i, j int) {
			d.BusinessUnitGroups[i], d.BusinessUnitGroups[j] = d.BusinessUnitGroups[j], d.BusinessUnitGroups[i]
		})
		d.CapacityAdjustments = slices.Clone(d.CapacityAdjustments)
		shuffle(len(d.CapacityAdjustments), func(i, j int) {
			d.CapacityAdjustments[i], d.CapacityAdjustments[j] = d.CapacityAdjustments[j], d.CapacityAdjustments[i]
		})
		d.CapacityRules = slices.Clone(d.CapacityRules)
		shuffle(len(d.CapacityRules), func(i, j int) { d.CapacityRules[i], d.CapacityRules[j] = d.CapacityRules[j], d.CapacityRules[i] })
		if got := mustJSON(t, query(t, build(t, d), req)); !bytes.Equal(got, want) {
			return fmt.Sprintf("shuffled records changed the response:\n%s\n%s", want, got)
		}
		return ""
	}, gen.UInt64()))
	props.Property("technicianIds are always eligible technicians", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 6))
		g := tenantgen.New(r)
		e := build(t, g.Data)
		req := g.Request(r)
		jt, _ := e.JobType(req.JobTypeID)
		// R*: the requested units and those sharing a group with them.
		rstar := slices.Clone(req.BusinessUnitIDs)
		for _, grp := range g.Data.BusinessUnitGroups {
			if slices.ContainsFunc(grp.BusinessUnitIDs, func(u int64) bool { return slices.Contains(req.BusinessUnitIDs, u) }) {
				rstar = append(rstar, grp.BusinessUnitIDs...)
			}
		}
		for _, a := range query(t, e, req).Availabilities {
			for _, ts := range a.Timeslots {
				if !slices.IsSorted(ts.TechnicianIDs) {
					return "technicianIds not ascending"
				}
				for _, id := range ts.TechnicianIDs {
					tech, _ := e.Technician(id)
					if !tech.IsActive() || (len(req.BusinessUnitIDs) > 0 && !slices.Contains(rstar, tech.BusinessUnitID)) ||
						(req.SkillBasedAvailability && !tech.HasSkills(jt.Skills)) {
						return fmt.Sprintf("technician %+v is not eligible for %+v", tech, req)
					}
				}
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
}

func TestDeterministicJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	g := tenantgen.New(r)
	req := g.Request(r)
	a := mustJSON(t, query(t, build(t, g.Data), req))
	for range 5 {
		if b := mustJSON(t, query(t, build(t, g.Data), req)); !bytes.Equal(a, b) {
			t.Fatalf("two engines over the same data disagree:\n%s\n%s", a, b)
		}
	}
}

func TestRequestErrors(t *testing.T) {
	e := build(t, oneTech())
	day := time.Date(2027, 3, 9, 0, 0, 0, 0, denver)
	tests := []struct {
		name string
		req  capacity.Request
		want string
	}{
		{"end before start", capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day}, "endsOnOrBefore: capacity: endsOnOrBefore 2027-03-09T00:00:00-07:00 is not after startsOnOrAfter"},
		{"too long", capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 92)},
			"endsOnOrBefore: capacity: the range is 92 days; at most 31 days may be asked at once: split the request"},
		{"a day too long, across the spring change", capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 32)},
			"endsOnOrBefore: capacity: the range is 32 days; at most 31 days may be asked at once: split the request"},
		{"an hour and a half too long", capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 31).Add(90 * time.Minute)},
			"endsOnOrBefore: capacity: the range is 31 days, 1 hour and 30 minutes; at most 31 days may be asked at once: split the request"},
		{"two centuries", capacity.Request{StartsOnOrAfter: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), EndsOnOrBefore: time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC)},
			"endsOnOrBefore: capacity: the range is 109208 days; at most 31 days may be asked at once: split the request"},
		{"unknown job type", capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 1), JobTypeID: 99}, "jobTypeId: capacity: unknown job type 99"},
		{"unknown unit", capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 1), BusinessUnitIDs: []int64{1, 7}}, "businessUnitIds[1]: capacity: unknown business unit 7"},
		{"skills without job type", capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 1), SkillBasedAvailability: true}, "skillBasedAvailability: capacity: skillBasedAvailability needs a jobTypeId"},
		{"bad zip", capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 1), Zip: "8020#"}, `zip: capacity: malformed zip "8020#"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Capacity(tt.req)
			var errs validate.Errors
			if !errors.Is(err, capacity.ErrInvalid) || !errors.As(err, &errs) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v, want %q wrapping ErrInvalid", err, tt.want)
			}
		})
	}
}

// TestRequestMissingBounds: each missing bound is reported at its own
// field, both when both are missing; a request with only StartsOnOrAfter
// used to be told so at startsOnOrAfter.
func TestRequestMissingBounds(t *testing.T) {
	e := build(t, oneTech())
	day := time.Date(2027, 3, 9, 0, 0, 0, 0, denver)
	tests := []struct {
		name string
		req  capacity.Request
		want []string
	}{
		{"no end", capacity.Request{StartsOnOrAfter: day}, []string{"endsOnOrBefore: capacity: endsOnOrBefore is required"}},
		{"no start", capacity.Request{EndsOnOrBefore: day}, []string{"startsOnOrAfter: capacity: startsOnOrAfter is required"}},
		{"neither", capacity.Request{JobTypeID: 10}, []string{
			"startsOnOrAfter: capacity: startsOnOrAfter is required",
			"endsOnOrBefore: capacity: endsOnOrBefore is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Capacity(tt.req)
			var errs validate.Errors
			if !errors.As(err, &errs) || !errors.Is(err, capacity.ErrInvalid) {
				t.Fatalf("got %v, want validate.Errors wrapping ErrInvalid", err)
			}
			var got []string
			for _, x := range errs {
				got = append(got, x.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRangeInLocalDays: the maximum range counts the tenant's local days,
// so a month across a fall-back change (an hour longer in instants) is
// accepted, and one across a spring change (an hour shorter) too.
func TestRangeInLocalDays(t *testing.T) {
	e := build(t, oneTech())
	for _, from := range []time.Time{time.Date(2027, 10, 20, 0, 0, 0, 0, denver), time.Date(2027, 3, 1, 0, 0, 0, 0, denver)} {
		to := from.AddDate(0, 0, 31)
		if _, err := e.Capacity(capacity.Request{StartsOnOrAfter: from, EndsOnOrBefore: to}); err != nil {
			t.Errorf("31 local days from %s (%v of instants): %v", from.Format(time.DateOnly), to.Sub(from), err)
		}
	}
}

func TestParseRequest(t *testing.T) {
	good := `{"startsOnOrAfter":"2027-03-09T08:00:00-06:00","endsOnOrBefore":"2027-03-10T00:00:00Z","businessUnitIds":[1],"jobTypeId":10,"skillBasedAvailability":true,"zip":"80202"}`
	r, err := capacity.ParseRequest([]byte(good))
	if err != nil || r.JobTypeID != 10 || !r.SkillBasedAvailability || r.StartsOnOrAfter.Unix() != time.Date(2027, 3, 9, 14, 0, 0, 0, time.UTC).Unix() {
		t.Fatalf("ParseRequest(good) = %+v, %v", r, err)
	}
	bad := map[string]string{
		`{"startsOnOrAfter":"2027-03-09","endsOnOrBefore":"2027-03-10T00:00:00Z"}`:                           `startsOnOrAfter: capacity: hours: date-time "2027-03-09" is not RFC 3339`,
		`{"startsOnOrAfter":"0001-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-10T00:00:00Z"}`:            `startsOnOrAfter: capacity: hours: date-time 0001-03-09T08:00:00-07:00 is outside the supported years 1900–2199`,
		`{"endsOnOrBefore":"2027-03-10T00:00:00Z"}`:                                                          "startsOnOrAfter: capacity: startsOnOrAfter is required",
		`{"startsOnOrAfter":"2027-03-09T00:00:00Z","endsOnOrBefore":"2027-03-10T00:00:00Z","colour":1}`:      `colour: capacity: request: unknown field "colour"`,
		`{"startsOnOrAfter":"2027-03-09T00:00:00Z","endsOnOrBefore":"2027-03-10T00:00:00Z","jobTypeId":"x"}`: `jobTypeId: capacity: request: jobTypeId must be an integer, not the string "x"`,
		`{"startsOnOrAfter":`: "capacity: request: malformed JSON",
		``:                    "capacity: request: empty body",
		`{} {}`:               "capacity: request: malformed JSON at line 1, column 4: invalid character '{' after top-level value",
	}
	for in, want := range bad {
		_, err := capacity.ParseRequest([]byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, capacity.ErrInvalid) {
			t.Errorf("ParseRequest(%s) = %v, want %q", in, err, want)
		}
	}
}

func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(`{"startsOnOrAfter":"2027-03-09T08:00:00-06:00","endsOnOrBefore":"2027-03-10T00:00:00Z","businessUnitIds":[1],"jobTypeId":10}`))
	f.Add([]byte(`{"zip":"80202"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := capacity.ParseRequest(data)
		if err != nil {
			if !errors.Is(err, capacity.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			var list validate.Errors
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is not a non-empty validate.Errors", err)
			}
			for _, e := range list {
				if e.Msg == "" {
					t.Fatalf("a problem without a message: %v", err)
				}
			}
			return
		}
		if r.StartsOnOrAfter.IsZero() || r.EndsOnOrBefore.IsZero() {
			t.Fatalf("accepted a request without bounds: %s", data)
		}
		for _, at := range []time.Time{r.StartsOnOrAfter, r.EndsOnOrBefore} {
			if err := hours.CheckInstant(at); err != nil {
				t.Fatalf("accepted a bound out of range: %s: %v", data, err)
			}
		}
		// What is accepted writes out and reads back to itself.
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("accepted %s, which does not marshal: %v", data, err)
		}
		back, err := capacity.ParseRequest(out)
		if err != nil {
			t.Fatalf("%s → %s, which does not parse: %v", data, out, err)
		}
		if diff := cmp.Diff(r, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s → %s reads back differently (-first +second):\n%s", data, out, diff)
		}
	})
}

func TestLedger(t *testing.T) {
	now := time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	e, err := capacity.New(oneTech(), capacity.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	by := &capacity.Actor{ID: 1, Name: "Dispatcher"}
	recs, _, err := e.Assign(5003, []int64{101}, by)
	if err != nil || len(recs) != 1 || recs[0].Status != capacity.Assigned || !recs[0].AssignedOn.Equal(now) || recs[0].AssignedBy.Name != "Dispatcher" {
		t.Fatalf("Assign = %+v, %v", recs, err)
	}
	before, _ := e.Assignments(capacity.AssignmentQuery{})
	if _, _, err := e.Assign(5003, []int64{101}, by); err != nil {
		t.Fatal(err)
	}
	after, _ := e.Assignments(capacity.AssignmentQuery{})
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("assigning again changed the ledger:\n%s", diff)
	}
	now = now.Add(time.Hour)
	if _, err := e.Unassign(5003, []int64{101}, by); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Unassign(5003, []int64{101}, by); !errors.Is(err, capacity.ErrConflict) {
		t.Errorf("unassigning again: got %v, want ErrConflict", err)
	}
	if _, _, err := e.Assign(9999, []int64{101}, by); !errors.Is(err, capacity.ErrNotFound) || !strings.Contains(err.Error(), "jobAppointmentId") {
		t.Errorf("unknown appointment: got %v", err)
	}
	if _, _, err := e.Assign(5003, []int64{101, 555}, by); !errors.Is(err, capacity.ErrNotFound) || !strings.Contains(err.Error(), "technicianIds[1]") {
		t.Errorf("unknown technician: got %v", err)
	}
	if _, ids, _ := e.Appointment(5003); len(ids) != 0 {
		t.Errorf("a failed assign changed the appointment: %v", ids)
	}
	tech := int64(101)
	since := now
	page, err := e.Assignments(capacity.AssignmentQuery{TechnicianID: &tech, ModifiedOnOrAfter: since})
	if err != nil || page.TotalCount != 1 || page.Data[0].Status != capacity.Unassigned || !page.Data[0].UnassignedOn.Equal(now) {
		t.Errorf("filtered list = %+v, %v; want the one unassigned record", page, err)
	}
}

func TestConcurrentUpdatesAndQueries(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	var g *tenantgen.Tenant
	for g == nil || len(g.Data.Appointments) < 3 {
		g = tenantgen.New(r)
	}
	e := build(t, g.Data)
	reqs := []capacity.Request{g.Request(r), g.Request(r), g.Request(r)}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				switch w {
				case 0:
					a := g.Data.Appointments[i%len(g.Data.Appointments)]
					tech := g.Data.Technicians[i%len(g.Data.Technicians)].ID
					if _, _, err := e.Assign(a.ID, []int64{tech}, nil); err == nil && i%2 == 0 {
						_, _ = e.Unassign(a.ID, []int64{tech}, nil)
					}
				case 1:
					rr := rand.New(rand.NewPCG(uint64(i), 3))
					if _, err := e.CreateShifts(g.NewShiftRequest(rr, shifts.Normal)); err != nil {
						t.Error(err)
					}
				default:
					if _, err := e.Capacity(reqs[i%3]); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if msg := agree(t, e, reqs[0]); msg != "" {
		t.Error(msg)
	}
}

func TestSteadyStateAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	e := build(t, oneTech())
	req := capacity.Request{StartsOnOrAfter: time.Date(2027, 3, 8, 0, 0, 0, 0, denver), EndsOnOrBefore: time.Date(2027, 3, 13, 0, 0, 0, 0, denver), JobTypeID: 10}
	query(t, e, req)
	// The response: Response, availabilities, timeslots, technician ids.
	if n := testing.AllocsPerRun(50, func() { query(t, e, req) }); n > 4 {
		t.Errorf("a steady-state query allocates %v times, want at most 4 (the response)", n)
	}
}

// TestRunAcrossMidnight pins the one incremental case random tenants
// rarely reach: a free stretch that starts in one date's window and runs
// past midnight, cut short by an assignment on the next date.
func TestRunAcrossMidnight(t *testing.T) {
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: bh,
		ArrivalWindows: []hours.ArrivalWindow{{ID: 1, From: "22:00", To: "24:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	d := capacity.Data{
		Schedule:      sched,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "On call"}},
		JobTypes:      []capacity.JobType{{ID: 1, Name: "Emergency", DurationMinutes: 240}},
		Technicians:   []capacity.Technician{{ID: 1, Name: "Night", BusinessUnitID: 1}},
		Shifts:        []shifts.Shift{{ID: 1, TechnicianID: 1, Type: shifts.Normal, Start: at("2027-03-08", "20:00"), End: at("2027-03-09", "06:00")}},
		Appointments:  []capacity.Appointment{{ID: 1, JobTypeID: 1, BusinessUnitID: 1, Start: at("2027-03-09", "01:00"), End: at("2027-03-09", "02:00")}},
	}
	e := build(t, d)
	req := capacity.Request{StartsOnOrAfter: at("2027-03-08", "00:00"), EndsOnOrBefore: at("2027-03-09", "00:00"), JobTypeID: 1}
	if ids := query(t, e, req).Availabilities[0].Timeslots[0].TechnicianIDs; len(ids) != 1 {
		t.Fatalf("before the assignment the 4-hour job fits from 22:00 to 02:00: got ids %v", ids)
	}
	if _, _, err := e.Assign(1, []int64{1}, nil); err != nil {
		t.Fatal(err)
	}
	if ids := query(t, e, req).Availabilities[0].Timeslots[0].TechnicianIDs; len(ids) != 0 {
		t.Errorf("after assigning 01:00–02:00 the job no longer fits, got ids %v", ids)
	}
	if msg := agree(t, e, req); msg != "" {
		t.Error(msg)
	}
}

// TestWindowInDSTGap pins a case random tenants reach rarely: an arrival
// window swallowed by the spring-forward gap (02:00–03:00 on 2027-03-14 in
// Denver is the instant 03:00 twice) is an empty timeslot, in which no
// one can arrive, even a technician free across it.
func TestWindowInDSTGap(t *testing.T) {
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: bh,
		ArrivalWindows: []hours.ArrivalWindow{{ID: 1, From: "02:00", To: "03:00"}, {ID: 2, From: "03:00", To: "05:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	day := "2027-03-14"
	e := build(t, capacity.Data{
		Schedule:      sched,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "Night"}},
		JobTypes:      []capacity.JobType{{ID: 1, Name: "Check", DurationMinutes: 30}},
		Technicians:   []capacity.Technician{{ID: 1, Name: "Owl", BusinessUnitID: 1}},
		Shifts:        []shifts.Shift{{ID: 1, TechnicianID: 1, Type: shifts.Normal, Start: at(day, "00:00"), End: at(day, "06:00")}},
	})
	req := capacity.Request{StartsOnOrAfter: at(day, "00:00"), EndsOnOrBefore: at(day, "12:00"), JobTypeID: 1}
	slots := query(t, e, req).Availabilities[0].Timeslots
	if len(slots) != 2 || slots[0].Start != slots[0].End || len(slots[0].TechnicianIDs) != 0 || len(slots[1].TechnicianIDs) != 1 {
		t.Errorf("timeslots %+v; want an empty one at 03:00 that no one fits, then 03:00–05:00 with the technician", slots)
	}
	if msg := agree(t, e, req); msg != "" {
		t.Error(msg)
	}
}
