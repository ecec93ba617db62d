package capacity_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/tenantgen"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// recordMutation changes one record of d, which has at least one
// technician, unit, job type, shift, appointment and assignment record:
// most make it invalid in one way Validate checks, some leave it valid but
// unusual (out of id order, an instant at the Unix epoch), which New must
// accept.
type recordMutation struct {
	name string
	f    func(r *rand.Rand, d *capacity.Data)
}

// one returns a random element of list, which must not be empty.
func one[T any](r *rand.Rand, list []T) *T { return &list[r.IntN(len(list))] }

var epoch = time.Unix(0, 0).UTC()

// lowest is set but has the Unix seconds that hold an unset instant
// inside the engine (shifts.Unset): it must not pass for unset.
var lowest = time.Unix(math.MinInt64, 0)

// shuffle puts s in a random order, in place.
func shuffle[T any](r *rand.Rand, s []T) {
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

var recordMutations = []recordMutation{
	// The tenant's lists, whose ids validateTenant checks and the record
	// checks look up: in id order, shuffled, duplicated, not positive.
	{"technicians shuffled", func(r *rand.Rand, d *capacity.Data) {
		d.Technicians = slices.Clone(d.Technicians)
		shuffle(r, d.Technicians)
	}},
	{"technician id duplicate", func(r *rand.Rand, d *capacity.Data) {
		d.Technicians = slices.Clone(d.Technicians)
		one(r, d.Technicians).ID = one(r, d.Technicians).ID
	}},
	{"units shuffled", func(r *rand.Rand, d *capacity.Data) {
		d.BusinessUnits = slices.Clone(d.BusinessUnits)
		shuffle(r, d.BusinessUnits)
	}},
	{"unit id 0", func(r *rand.Rand, d *capacity.Data) {
		d.BusinessUnits = slices.Clone(d.BusinessUnits)
		one(r, d.BusinessUnits).ID = 0
	}},
	{"job types shuffled", func(r *rand.Rand, d *capacity.Data) {
		d.JobTypes = slices.Clone(d.JobTypes)
		shuffle(r, d.JobTypes)
	}},
	{"job type id duplicate", func(r *rand.Rand, d *capacity.Data) {
		d.JobTypes = slices.Clone(d.JobTypes)
		one(r, d.JobTypes).ID = one(r, d.JobTypes).ID
	}},
	// Free text (validate.CheckText): names and skills of the tenant's
	// lists, shift titles and notes.
	{"technician name too long", func(r *rand.Rand, d *capacity.Data) {
		d.Technicians = slices.Clone(d.Technicians)
		one(r, d.Technicians).Name = strings.Repeat("é", validate.MaxText+1)
	}},
	{"technician name at the limit", func(r *rand.Rand, d *capacity.Data) { // valid
		d.Technicians = slices.Clone(d.Technicians)
		one(r, d.Technicians).Name = strings.Repeat("é", validate.MaxText)
	}},
	{"technician name with a NUL", func(r *rand.Rand, d *capacity.Data) {
		d.Technicians = slices.Clone(d.Technicians)
		one(r, d.Technicians).Name = "Ana\x00Ruiz"
	}},
	{"technician skill with a line feed", func(r *rand.Rand, d *capacity.Data) {
		d.Technicians = slices.Clone(d.Technicians)
		t := one(r, d.Technicians)
		t.Skills = append(slices.Clone(t.Skills), "HVAC\nEPA")
	}},
	{"unit name with a BEL", func(r *rand.Rand, d *capacity.Data) {
		d.BusinessUnits = slices.Clone(d.BusinessUnits)
		one(r, d.BusinessUnits).Name = "HVAC\a"
	}},
	{"job type name too long", func(r *rand.Rand, d *capacity.Data) {
		d.JobTypes = slices.Clone(d.JobTypes)
		one(r, d.JobTypes).Name = strings.Repeat("x", validate.MaxText+1)
	}},
	{"job type skill with a DEL", func(r *rand.Rand, d *capacity.Data) {
		d.JobTypes = slices.Clone(d.JobTypes)
		j := one(r, d.JobTypes)
		j.Skills = append(slices.Clone(j.Skills), "gas\x7f")
	}},
	{"shift title too long", func(r *rand.Rand, d *capacity.Data) {
		one(r, d.Shifts).Title = strings.Repeat("é", validate.MaxText+1)
	}},
	{"shift title with a carriage return", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).Title = "on call\r" }},
	{"shift note with a NUL", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).Note = "a\x00b" }},
	{"shift note of lines and tabs", func(r *rand.Rand, d *capacity.Data) { // valid
		one(r, d.Shifts).Note = "line one\r\nline\ttwo"
	}},
	{"record assigned by a name with a tab", func(r *rand.Rand, d *capacity.Data) { // valid
		one(r, d.Assignments).AssignedBy = &capacity.Actor{ID: 1, Name: "Dispatch\tdesk"}
	}},
	{"record assigned by a name with a line feed", func(r *rand.Rand, d *capacity.Data) {
		one(r, d.Assignments).AssignedBy = &capacity.Actor{ID: 1, Name: "Dispatch\n"}
	}},
	// Shifts.
	{"shift id 0", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).ID = 0 }},
	{"shift id negative", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).ID = -3 }},
	{"shift id duplicate", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).ID = one(r, d.Shifts).ID }},
	{"shift technician unknown", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).TechnicianID = 999_999 }},
	{"shift technician 0", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).TechnicianID = 0 }},
	{"shift type unknown", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).Type = shifts.Type(9) }},
	{"shift start unset", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).Start = time.Time{} }},
	{"shift end unset", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).End = time.Time{} }},
	{"shift reversed", func(r *rand.Rand, d *capacity.Data) { s := one(r, d.Shifts); s.Start, s.End = s.End, s.Start }},
	{"shift of eight days", func(r *rand.Rand, d *capacity.Data) { s := one(r, d.Shifts); s.End = s.Start.Add(8 * 24 * time.Hour) }},
	{"shift inactive and reversed", func(r *rand.Rand, d *capacity.Data) {
		s := one(r, d.Shifts)
		s.Inactive, s.Start, s.End = true, s.End, s.Start
	}},
	{"shift in 1850", func(r *rand.Rand, d *capacity.Data) {
		sh := one(r, d.Shifts)
		sh.Start, sh.End = sh.Start.AddDate(-177, 0, 0), sh.End.AddDate(-177, 0, 0)
	}},
	{"shift ends in 2200", func(r *rand.Rand, d *capacity.Data) {
		sh := one(r, d.Shifts)
		sh.End = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
		sh.Start = sh.End.Add(-time.Hour)
	}},
	{"shift modified in 2300", func(r *rand.Rand, d *capacity.Data) {
		one(r, d.Shifts).ModifiedOn = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	}},
	{"shift modified at the epoch", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).ModifiedOn = epoch }}, // valid
	{"shift modified at the lowest Unix second", func(r *rand.Rand, d *capacity.Data) { one(r, d.Shifts).ModifiedOn = lowest }},
	{"shifts shuffled", func(r *rand.Rand, d *capacity.Data) {
		shuffle(r, d.Shifts)
	}},
	// Appointments.
	{"appointment id 0", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).ID = 0 }},
	{"appointment id negative", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).ID = -1 }},
	{"appointment id duplicate", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).ID = one(r, d.Appointments).ID }},
	{"appointments shuffled", func(r *rand.Rand, d *capacity.Data) {
		shuffle(r, d.Appointments)
	}},
	{"appointment job type unknown", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).JobTypeID = 999_999 }},
	{"appointment job type 0", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).JobTypeID = 0 }},
	{"appointment unit unknown", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).BusinessUnitID = 999_999 }},
	{"appointment start unset", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).Start = time.Time{} }},
	{"appointment end unset", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).End = time.Time{} }},
	{"appointment reversed", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.Start, a.End = a.End, a.Start
	}},
	{"appointment empty", func(r *rand.Rand, d *capacity.Data) { a := one(r, d.Appointments); a.End = a.Start }},
	{"appointment of eight days", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.End = a.Start.Add(8 * 24 * time.Hour)
	}},
	{"appointment of seven days", func(r *rand.Rand, d *capacity.Data) { // valid: the maximum
		a := one(r, d.Appointments)
		a.End = a.Start.Add(7 * 24 * time.Hour)
	}},
	{"appointment in 1850", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.Start = a.Start.AddDate(-200, 0, 0)
	}},
	{"appointment ends in 2250", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.Start, a.End = a.Start.AddDate(223, 0, 0), a.End.AddDate(223, 0, 0)
	}},
	{"appointment at the epoch", func(r *rand.Rand, d *capacity.Data) { // valid
		a := one(r, d.Appointments)
		a.Start, a.End, a.ArrivalWindowStart, a.ArrivalWindowEnd = epoch, epoch.Add(time.Hour), time.Time{}, time.Time{}
	}},
	{"arrival window of one bound", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		if r.IntN(2) == 0 {
			a.ArrivalWindowStart, a.ArrivalWindowEnd = a.Start, time.Time{}
		} else {
			a.ArrivalWindowStart, a.ArrivalWindowEnd = time.Time{}, a.Start
		}
	}},
	{"arrival window reversed", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = a.Start.Add(time.Hour), a.Start
	}},
	{"arrival window of one instant", func(r *rand.Rand, d *capacity.Data) { // valid
		a := one(r, d.Appointments)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = a.Start, a.Start
	}},
	{"arrival window in 1850", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = a.Start.AddDate(-200, 0, 0), a.Start
	}},
	{"arrival window at the epoch", func(r *rand.Rand, d *capacity.Data) { // valid
		a := one(r, d.Appointments)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = epoch, a.Start
	}},
	{"arrival window ends at the epoch", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = a.Start, epoch
	}},
	{"arrival window both at the epoch", func(r *rand.Rand, d *capacity.Data) { // valid
		a := one(r, d.Appointments)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = epoch, epoch
	}},
	{"arrival window opens at the lowest Unix second", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = lowest, time.Time{}
	}},
	{"arrival window at the lowest Unix second", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Appointments)
		a.ArrivalWindowStart, a.ArrivalWindowEnd = lowest, lowest
	}},
	{"zip malformed", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).Zip = "80-202!" }},
	{"zip malformed twice", func(r *rand.Rand, d *capacity.Data) {
		one(r, d.Appointments).Zip = "??"
		one(r, d.Appointments).Zip = "??"
	}},
	{"zip repeated", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).Zip = one(r, d.Appointments).Zip }},
	{"appointment canceled", func(r *rand.Rand, d *capacity.Data) { one(r, d.Appointments).Canceled = true }},
	// Assignment records.
	{"record id 0", func(r *rand.Rand, d *capacity.Data) { one(r, d.Assignments).ID = 0 }},
	{"record id duplicate", func(r *rand.Rand, d *capacity.Data) { one(r, d.Assignments).ID = one(r, d.Assignments).ID }},
	{"records shuffled", func(r *rand.Rand, d *capacity.Data) {
		shuffle(r, d.Assignments)
	}},
	{"records by appointment", func(r *rand.Rand, d *capacity.Data) { // valid
		slices.SortStableFunc(d.Assignments, func(a, b capacity.Assignment) int { return cmp.Compare(a.AppointmentID, b.AppointmentID) })
	}},
	{"record appointment unknown", func(r *rand.Rand, d *capacity.Data) { one(r, d.Assignments).AppointmentID = 999_999 }},
	{"record appointment 0", func(r *rand.Rand, d *capacity.Data) { one(r, d.Assignments).AppointmentID = 0 }},
	{"record technician unknown", func(r *rand.Rand, d *capacity.Data) { one(r, d.Assignments).TechnicianID = 999_999 }},
	{"record status unset", func(r *rand.Rand, d *capacity.Data) { one(r, d.Assignments).Status = 0 }},
	{"record status out of range", func(r *rand.Rand, d *capacity.Data) { one(r, d.Assignments).Status = 7 }},
	{"record unassigned without a time", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Assignments)
		a.Status, a.UnassignedOn = capacity.Unassigned, time.Time{}
	}},
	{"record unassigned", func(r *rand.Rand, d *capacity.Data) { // valid
		a := one(r, d.Assignments)
		a.Status, a.UnassignedOn = capacity.Unassigned, a.AssignedOn.Add(time.Minute)
	}},
	{"record assigned in 1850", func(r *rand.Rand, d *capacity.Data) {
		one(r, d.Assignments).AssignedOn = time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC)
	}},
	{"record modified in 2300", func(r *rand.Rand, d *capacity.Data) {
		one(r, d.Assignments).ModifiedOn = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	}},
	{"record modified at the epoch", func(r *rand.Rand, d *capacity.Data) { one(r, d.Assignments).ModifiedOn = epoch }}, // valid
	{"record unassigned at the lowest Unix second", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Assignments)
		a.Status, a.UnassignedOn = capacity.Unassigned, lowest
	}},
	{"record of a canceled appointment", func(r *rand.Rand, d *capacity.Data) {
		a := one(r, d.Assignments)
		a.Status = capacity.Assigned
		for i := range d.Appointments {
			if d.Appointments[i].ID == a.AppointmentID {
				d.Appointments[i].Canceled = true
			}
		}
	}},
	{"technician assigned twice", func(r *rand.Rand, d *capacity.Data) {
		a := *one(r, d.Assignments)
		a.ID, a.Status, a.UnassignedOn = d.Assignments[len(d.Assignments)-1].ID+1, capacity.Assigned, time.Time{}
		d.Assignments = append(d.Assignments, a)
		one(r, d.Assignments).Status = capacity.Assigned
	}},
}

// TestNewChecksAsValidate: New checks the shifts, appointments and
// assignment records as it converts them and runs Validate only when a
// check fails. On random tenants changed by one to three mutations (most
// make a record invalid in one way Validate checks; some leave it valid
// but unusual), New refuses exactly when Validate does, with the same
// problems, and an engine New builds answers as the engine built from the
// same records in id order does. Every mutation is drawn, and both
// outcomes occur.
func TestNewChecksAsValidate(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 600))
	drawn := make([]int, len(recordMutations))
	valid, invalid := 0, 0
	props.Property("New refuses as Validate does", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 14))
		g := tenantgen.New(r)
		d := g.Data
		if len(d.Shifts) == 0 || len(d.Appointments) == 0 || len(d.Assignments) == 0 {
			return ""
		}
		d.Shifts, d.Appointments, d.Assignments = slices.Clone(d.Shifts), slices.Clone(d.Appointments), slices.Clone(d.Assignments)
		var names []string
		for range 1 + r.IntN(3) {
			k := r.IntN(len(recordMutations))
			drawn[k]++
			recordMutations[k].f(r, &d)
			names = append(names, recordMutations[k].name)
		}
		verr := d.Validate()
		e, err := capacity.New(d, capacity.WithClock(testClock))
		switch {
		case verr == nil && err != nil:
			return fmt.Sprintf("%v: Validate accepts, New refuses: %v", names, err)
		case verr != nil && err == nil:
			return fmt.Sprintf("%v: New accepts, Validate refuses: %v", names, verr)
		case verr != nil && err.Error() != verr.Error():
			return fmt.Sprintf("%v: New refuses with\n%v\nValidate with\n%v", names, err, verr)
		case verr != nil:
			invalid++
			return ""
		}
		valid++
		req := g.Request(r)
		got, gerr := e.Capacity(req)
		want, werr := capacity.New(e.Data(), capacity.WithClock(testClock))
		if werr != nil {
			return fmt.Sprintf("%v: the engine's own records are refused: %v", names, werr)
		}
		wantResp, wrerr := want.Capacity(req)
		if (gerr == nil) != (wrerr == nil) {
			return fmt.Sprintf("%v: Capacity errors %v and %v", names, gerr, wrerr)
		}
		if gerr == nil && string(mustJSON(t, got)) != string(mustJSON(t, wantResp)) {
			return fmt.Sprintf("%v: answers differ from the engine of its own records", names)
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("%d tenants valid, %d refused", valid, invalid)
	if valid == 0 || invalid == 0 {
		t.Errorf("%d valid and %d invalid tenants: the test must see both", valid, invalid)
	}
	if testing.Short() {
		return // a tenth of the cases need not draw every mutation
	}
	for k, n := range drawn {
		if n == 0 {
			t.Errorf("mutation %q never drawn", recordMutations[k].name)
		}
	}
}

// TestEpochInstants: an optional instant at the Unix epoch is an instant
// like any other, not "unset": an arrival window opening at the epoch
// and records stamped then come back from the engine as given (they came
// back with one bound, which the engine then refused as its own data).
func TestEpochInstants(t *testing.T) {
	d := oneTech()
	d.Appointments[0].ArrivalWindowStart, d.Appointments[0].ArrivalWindowEnd = epoch, d.Appointments[0].Start
	d.Assignments[0].AssignedOn, d.Assignments[0].ModifiedOn = epoch, epoch
	d.Assignments[1].Status, d.Assignments[1].UnassignedOn = capacity.Unassigned, epoch
	e, err := capacity.New(d, capacity.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	got := e.Data()
	if a := got.Appointments[0]; !a.ArrivalWindowStart.Equal(epoch) || !a.ArrivalWindowEnd.Equal(d.Appointments[0].Start) {
		t.Errorf("arrival window %v–%v, want %v–%v", a.ArrivalWindowStart, a.ArrivalWindowEnd, epoch, d.Appointments[0].Start)
	}
	for i, want := range d.Assignments {
		if !got.Assignments[i].Equal(want) {
			t.Errorf("assignments[%d] = %+v, want %+v", i, got.Assignments[i], want)
		}
	}
	if got.Assignments[0].UnassignedOn != (time.Time{}) {
		t.Errorf("an unset unassignedOn came back as %v", got.Assignments[0].UnassignedOn)
	}
	if _, err := capacity.New(got); err != nil {
		t.Errorf("the engine's own records are refused: %v", err)
	}
}
