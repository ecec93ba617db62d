package edge_test

import (
	"slices"
	"testing"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/shifts"
)

// TestInputsUntouched: the engine reads the slices a caller passes and
// never writes them — a caller may share one request or id list among
// goroutines — even when it sorts or deduplicates what they hold.
func TestInputsUntouched(t *testing.T) {
	e := newEngine(t, demoData(t))
	tue := func(s string) string { return "2027-03-09T" + s }
	ids := func() []int64 { return []int64{108, 101, 105, 101} }
	check := func(what string, got []int64) {
		t.Helper()
		if !slices.Equal(got, ids()) {
			t.Errorf("%s changed its input to %v", what, got)
		}
	}
	in := ids()
	_, _ = e.CheckAssignment(5003, in)
	check("CheckAssignment", in)
	in = ids()
	_, _, _ = e.Assign(5003, in, nil)
	check("Assign", in)
	in = ids()
	_, _ = e.Unassign(5003, in, nil)
	check("Unassign", in)
	in = []int64{4, 1, 2, 1}
	r := capacity.Request{StartsOnOrAfter: denver(t, "2027-03-09"), EndsOnOrBefore: denver(t, "2027-03-10"), BusinessUnitIDs: in}
	_, _ = e.Capacity(r)
	if !slices.Equal(in, []int64{4, 1, 2, 1}) {
		t.Errorf("Capacity changed BusinessUnitIDs to %v", in)
	}
	in = []int64{108, 101, 105}
	_, _ = e.CreateShifts(shifts.CreateRequest{TechnicianIDs: in, Type: shifts.Normal, Start: denver(t, tue("18:00")), End: denver(t, tue("19:00"))})
	if !slices.Equal(in, []int64{108, 101, 105}) {
		t.Errorf("CreateShifts changed TechnicianIDs to %v", in)
	}
	g := capacity.BusinessUnitGroup{ID: 5, Name: "Trades", BusinessUnitIDs: []int64{3, 2}}
	_ = e.AddGroup(g)
	rl := capacity.Rule{ID: 5, Name: "r", JobTypeIDs: []int64{202, 101}, BusinessUnitIDs: []int64{3, 1}, MaxPercentage: 50}
	_ = e.AddRule(rl)
	tc := capacity.Technician{ID: 450, Name: "N", BusinessUnitID: 1, Skills: []string{"Zed", "HVAC"}, ZoneIDs: []int64{3, 1}}
	_ = e.AddTechnician(tc)
	if !slices.Equal(g.BusinessUnitIDs, []int64{3, 2}) || !slices.Equal(rl.JobTypeIDs, []int64{202, 101}) || !slices.Equal(rl.BusinessUnitIDs, []int64{3, 1}) ||
		!slices.Equal(tc.Skills, []string{"Zed", "HVAC"}) || !slices.Equal(tc.ZoneIDs, []int64{3, 1}) {
		t.Errorf("AddGroup, AddRule or AddTechnician changed their input: %v %v %v", g, rl, tc)
	}
	d := demoData(t)
	d.Technicians[0].Skills = []string{"Zed", "HVAC"}
	d.BusinessUnitGroups[0].BusinessUnitIDs = []int64{4, 1}
	// Records out of id order, which New sorts for itself.
	slices.Reverse(d.Technicians)
	slices.Reverse(d.Shifts)
	slices.Reverse(d.Appointments)
	slices.Reverse(d.Assignments)
	slices.Reverse(d.JobTypes)
	slices.Reverse(d.CapacityAdjustments)
	want := cloneData(d)
	newEngine(t, d)
	sameAnswers(t, "New changed its Data", answers{Data: want}, answers{Data: d})
}
