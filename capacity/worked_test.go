package capacity_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// workedTenant is the tenant of the worked examples, small enough to
// compute by hand. Tuesday 2027-03-09 in Denver (MST, UTC−7), arrival
// window W = 08:00–10:00:
//
//   - units 1 Service (ideal 80), 2 Maintenance (no ideal), 3 Plumbing;
//     the tenant's ideal is 90;
//   - technicians Ana (101, Service), Ben (102, Maintenance) and Cy (103,
//     Plumbing), each working 08:00–12:00;
//   - job types 10 Repair (60 min), 11 Install (120 min) and 12
//     Emergency (60 min, priority);
//   - appointment 5001, a Repair of Service 09:00–10:00, assigned to Ana;
//     appointment 5002, an Install of Maintenance 08:00–09:00, unassigned.
//
// Without controls, a Repair request for Service sees in W: E = {Ana},
// capacity 120 min, booked 60 (09–10), free 60, pending 0 (5002 is
// Maintenance's); Ana fits (free 08–09); P = 60 min; ideal: (60 + 0 +
// 60) × 100 = 12000 > 80 × 120 = 9600, so exceeding.
func workedTenant() capacity.Data {
	var bh hours.BusinessHours
	for _, d := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"} {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d, TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: bh, ArrivalWindows: []hours.ArrivalWindow{
		{ID: 1, From: "08:00", To: "10:00"}, {ID: 2, From: "10:00", To: "12:00"},
	}})
	if err != nil {
		panic(err)
	}
	day := "2027-03-09"
	d := capacity.Data{
		Schedule:               sched,
		IdealBookingPercentage: 90,
		BusinessUnits: []capacity.BusinessUnit{
			{ID: 1, Name: "Service", IdealBookingPercentage: 80}, {ID: 2, Name: "Maintenance"}, {ID: 3, Name: "Plumbing"},
		},
		JobTypes: []capacity.JobType{
			{ID: 10, Name: "Repair", DurationMinutes: 60},
			{ID: 11, Name: "Install", DurationMinutes: 120},
			{ID: 12, Name: "Emergency", DurationMinutes: 60, Priority: true},
		},
		Technicians: []capacity.Technician{
			{ID: 101, Name: "Ana", BusinessUnitID: 1},
			{ID: 102, Name: "Ben", BusinessUnitID: 2},
			{ID: 103, Name: "Cy", BusinessUnitID: 3},
		},
		Appointments: []capacity.Appointment{
			{ID: 5001, JobTypeID: 10, BusinessUnitID: 1, Start: at(day, "09:00"), End: at(day, "10:00")},
			{ID: 5002, JobTypeID: 11, BusinessUnitID: 2, Start: at(day, "08:00"), End: at(day, "09:00")},
		},
		Assignments: []capacity.Assignment{{ID: 1, AppointmentID: 5001, TechnicianID: 101, Status: capacity.Assigned}},
	}
	for _, id := range []int64{101, 102, 103} {
		d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: id, Type: shifts.Normal, Start: at(day, "08:00"), End: at(day, "12:00")})
	}
	return d
}

// summary prints a timeslot's figures on one line.
func summary(ts capacity.Timeslot) string {
	return fmt.Sprintf("ids=%v available=%v exceeding=%v total=%d capacity=%d booked=%d pending=%d because=%v",
		ts.TechnicianIDs, ts.IsAvailable, ts.IsExceedingIdealBookingPercentage, ts.TotalAvailability,
		ts.CapacityMinutes, ts.BookedMinutes, ts.PendingMinutes, ts.UnavailableBecause.Strings())
}

var hvac = capacity.BusinessUnitGroup{ID: 1, Name: "HVAC", BusinessUnitIDs: []int64{1, 2}}

func adjustW(id int64, minutes int) capacity.Adjustment {
	return capacity.Adjustment{ID: id, Date: hours.MustParseDate("2027-03-09"), From: hours.MustParseClock("08:00"), To: hours.MustParseClock("10:00"),
		Minutes: minutes, Reason: "worked example"}
}

// TestWorkedExamples computes each control by hand on workedTenant and
// checks the engine's figures for W (and that both references agree).
func TestWorkedExamples(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *capacity.Data)
		units  []int64
		job    int64
		want   string
	}{
		{"no controls", nil, []int64{1}, 10,
			// As in workedTenant's comment.
			"ids=[101] available=true exceeding=true total=60 capacity=120 booked=60 pending=0 because=[]"},
		{"group: Service brings Maintenance's technicians and pending work", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
		}, []int64{1}, 10,
			// R* = {1, 2}: E = {Ana, Ben}, capacity 240, booked 60, free 180;
			// pending 60 (5002); P = 120. Ben fits too. Ideal: (60 + 60 + 60)
			// × 100 = 18000 ≤ 80 × 120 + 90 × 120 = 20400.
			"ids=[101 102] available=true exceeding=false total=120 capacity=240 booked=60 pending=60 because=[]"},
		{"group: Plumbing is not in it", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
		}, []int64{3}, 10,
			// R* = {3}: Cy alone, 120 free minutes; ideal (0 + 0 + 60) × 100 =
			// 6000 ≤ 90 × 120 = 10800.
			"ids=[103] available=true exceeding=false total=120 capacity=120 booked=0 pending=0 because=[]"},
		{"group ideal replaces the units'", func(d *capacity.Data) {
			g := hvac
			g.IdealBookingPercentage = 50
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{g}
		}, []int64{1}, 10,
			// 18000 > 50 × 240 = 12000.
			"ids=[101 102] available=true exceeding=true total=120 capacity=240 booked=60 pending=60 because=[]"},
		{"travel buffer: the tenant's 30 minutes", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.TravelBufferMinutes = 30
		}, []int64{1}, 10,
			// d' = 90: Ana's free run in W is 08–09, 60 minutes: she no longer
			// fits. Ideal: (60 + 60 + 90) × 100 = 21000 > 20400.
			"ids=[102] available=true exceeding=true total=120 capacity=240 booked=60 pending=60 because=[]"},
		{"travel buffer: the job type's own 0 replaces the tenant's", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.TravelBufferMinutes = 30
			d.JobTypes[0].TravelBufferMinutes = new(int)
		}, []int64{1}, 10,
			"ids=[101 102] available=true exceeding=false total=120 capacity=240 booked=60 pending=60 because=[]"},
		{"adjustment: +60 minutes for the group", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			a := adjustW(1, 60)
			a.BusinessUnitGroupID = 1
			d.CapacityAdjustments = []capacity.Adjustment{a}
		}, []int64{1}, 10,
			// capacity 240 + 60 = 300; P = 180 + 60 − 60 = 180; the group
			// has no ideal, so the adjustment's is the tenant's 90: right
			// side 20400 + 90 × 60 = 25800 (in minutes × 100).
			"ids=[101 102] available=true exceeding=false total=180 capacity=300 booked=60 pending=60 because=[]"},
		{"adjustment: the group's does not reach Plumbing", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			a := adjustW(1, 60)
			a.BusinessUnitGroupID = 1
			d.CapacityAdjustments = []capacity.Adjustment{a}
		}, []int64{3}, 10,
			"ids=[103] available=true exceeding=false total=120 capacity=120 booked=0 pending=0 because=[]"},
		{"adjustment: one for a unit weighs by the unit's ideal, its group's here", func(d *capacity.Data) {
			g := hvac
			g.IdealBookingPercentage = 50
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{g}
			a := adjustW(1, 100)
			a.BusinessUnitID = 1
			d.CapacityAdjustments = []capacity.Adjustment{a}
		}, []int64{1}, 10,
			// ideal(1) is the group's 50, not Service's own 80: (60 + 60 + 60)
			// × 100 = 18000 > 50 × 240 + 50 × 100 = 17000 (with 80 it would be
			// 20000, not exceeding). Capacity 340; P = 180 + 100 − 60 = 220.
			"ids=[101 102] available=true exceeding=true total=220 capacity=340 booked=60 pending=60 because=[]"},
		{"adjustment: −300 minutes takes W below zero", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.CapacityAdjustments = []capacity.Adjustment{adjustW(1, -300)}
		}, []int64{1}, 10,
			// capacity max(0, 240 − 300) = 0; P = 180 − 300 − 60 = −180:
			// exhausted, though Ana and Ben still fit. Ideal: the right
			// side 20400 − 90 × 300 = −6600 is not clamped.
			"ids=[101 102] available=false exceeding=true total=0 capacity=0 booked=60 pending=60 because=[poolExhausted]"},
		{"reserve: 20% of Service, 10% of Maintenance", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.BusinessUnits[0].ReservePercentage = 20
			d.BusinessUnits[1].ReservePercentage = 10
		}, []int64{1}, 10,
			// Rv = (20 × 120 + 10 × 120) / 100 = 36 min; P − Rv = 84.
			"ids=[101 102] available=true exceeding=false total=84 capacity=240 booked=60 pending=60 because=[]"},
		{"reserve: held after a −90 adjustment", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.BusinessUnits[0].ReservePercentage = 20
			d.BusinessUnits[1].ReservePercentage = 10
			d.CapacityAdjustments = []capacity.Adjustment{adjustW(1, -90)}
		}, []int64{1}, 10,
			// Adjustments are not reserved: Rv stays 36; P = 120 − 90 = 30 >
			// 0 but P − Rv = −6. Capacity 150; ideal right side 20400 − 90 ×
			// 90 = 12300 < 18000.
			"ids=[101 102] available=false exceeding=true total=0 capacity=150 booked=60 pending=60 because=[reserveHeld]"},
		{"reserve: a priority request takes it", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.BusinessUnits[0].ReservePercentage = 20
			d.BusinessUnits[1].ReservePercentage = 10
			d.CapacityAdjustments = []capacity.Adjustment{adjustW(1, -90)}
		}, []int64{1}, 12,
			"ids=[101 102] available=true exceeding=true total=30 capacity=150 booked=60 pending=60 because=[]"},
		{"reserve: the group's explicit 0 replaces the units'", func(d *capacity.Data) {
			g := hvac
			g.ReservePercentage = new(int)
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{g}
			d.BusinessUnits[0].ReservePercentage = 20
			d.BusinessUnits[1].ReservePercentage = 10
			d.CapacityAdjustments = []capacity.Adjustment{adjustW(1, -90)}
		}, []int64{1}, 10,
			"ids=[101 102] available=true exceeding=true total=30 capacity=150 booked=60 pending=60 because=[]"},
		{"rule: installs at most 50% of W", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.CapacityRules = []capacity.Rule{{ID: 7, Name: "Installs", JobTypeIDs: []int64{11}, MaxPercentage: 50}}
		}, []int64{1}, 11,
			// used = 60 (5002, unassigned, counts); (60 + 120) × 100 = 18000
			// > 50 × 240 = 12000: blocked. Only Ben has 120 free minutes in a
			// row. Ideal: (60 + 60 + 120) × 100 = 24000 > 20400.
			"ids=[102] available=false exceeding=true total=120 capacity=240 booked=60 pending=60 because=[capacityRule:7]"},
		{"rule: at exactly 75% it does not block", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.CapacityRules = []capacity.Rule{{ID: 7, Name: "Installs", JobTypeIDs: []int64{11}, MaxPercentage: 75}}
		}, []int64{1}, 11,
			// 18000 > 75 × 240 = 18000 is false.
			"ids=[102] available=true exceeding=true total=120 capacity=240 booked=60 pending=60 because=[]"},
		{"rule: its units scope the requests it applies to", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.CapacityRules = []capacity.Rule{{ID: 7, Name: "Plumbing installs", JobTypeIDs: []int64{11}, BusinessUnitIDs: []int64{3}, MaxPercentage: 50}}
		}, []int64{1}, 11,
			"ids=[102] available=true exceeding=true total=120 capacity=240 booked=60 pending=60 because=[]"},
		{"rule: without units requested every rule applies", func(d *capacity.Data) {
			d.CapacityRules = []capacity.Rule{{ID: 7, Name: "Plumbing installs", JobTypeIDs: []int64{11}, BusinessUnitIDs: []int64{3}, MaxPercentage: 50}}
		}, nil, 11,
			// E = everyone: capacity 360, booked 60, pending 60, P = 240;
			// used = 60: (60 + 120) × 100 = 18000 ≤ 50 × 360 = 18000, at the
			// boundary: not blocked. Ideal: 24000 ≤ 80×120 + 90×240 = 31200.
			"ids=[102 103] available=true exceeding=false total=240 capacity=360 booked=60 pending=60 because=[]"},
		{"reasons: all of them, rules by ascending id", func(d *capacity.Data) {
			d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
			d.CapacityAdjustments = []capacity.Adjustment{adjustW(1, -200)}
			d.CapacityRules = []capacity.Rule{
				{ID: 7, Name: "Installs", JobTypeIDs: []int64{11}, MaxPercentage: 100},
				{ID: 3, Name: "Long jobs", JobTypeIDs: []int64{10, 11}, MaxPercentage: 90},
			}
			d.TravelBufferMinutes = 150
		}, []int64{1}, 11,
			// d' = 270: nobody has 270 free minutes. Capacity 40; P = 180 −
			// 200 − 60 = −80. Rule 7: (60 + 270) × 100 > 100 × 40; rule 3
			// counts Repairs too: used 120.
			"ids=[] available=false exceeding=true total=0 capacity=40 booked=60 pending=60 because=[noTechnicianFits poolExhausted capacityRule:3 capacityRule:7]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := workedTenant()
			if tt.change != nil {
				tt.change(&d)
			}
			e := build(t, d)
			req := capacity.Request{StartsOnOrAfter: at("2027-03-09", "08:00"), EndsOnOrBefore: at("2027-03-09", "10:00"),
				BusinessUnitIDs: tt.units, JobTypeID: tt.job}
			if msg := agree(t, e, req); msg != "" {
				t.Fatal(msg)
			}
			if got := summary(query(t, e, req).Availabilities[0].Timeslots[0]); got != tt.want {
				t.Errorf("W:\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestWorkedZeroCapacity pins the ideal-booking flag of DESIGN §4 step 6,
// which has no special case: on Wednesday nobody works, and W's flag
// follows (booked + pending + d) × 100 > 0.
func TestWorkedZeroCapacity(t *testing.T) {
	wed := "2027-03-10"
	tests := []struct {
		name    string
		pending bool
		job     int64
		want    string
	}{
		{"nothing booked, pending or asked", false, 0,
			"ids=[] available=false exceeding=false total=0 capacity=0 booked=0 pending=0 because=[noTechnicianFits poolExhausted]"},
		{"pending work and no capacity", true, 0,
			"ids=[] available=false exceeding=true total=0 capacity=0 booked=0 pending=60 because=[noTechnicianFits poolExhausted]"},
		{"a job and no capacity", false, 10,
			"ids=[] available=false exceeding=true total=0 capacity=0 booked=0 pending=0 because=[noTechnicianFits poolExhausted]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := workedTenant()
			if tt.pending {
				d.Appointments = append(d.Appointments, capacity.Appointment{ID: 5003, JobTypeID: 10, BusinessUnitID: 1, Start: at(wed, "09:00"), End: at(wed, "10:00")})
			}
			e := build(t, d)
			req := capacity.Request{StartsOnOrAfter: at(wed, "08:00"), EndsOnOrBefore: at(wed, "10:00"), JobTypeID: tt.job}
			if msg := agree(t, e, req); msg != "" {
				t.Fatal(msg)
			}
			if got := summary(query(t, e, req).Availabilities[0].Timeslots[0]); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestWorkedReserveRounding pins where the reserve is floored: once, after
// summing over technicians, in seconds. Ana (Service) and Ben
// (Maintenance) work 08:00–09:41, 101 minutes each, and both units reserve
// 1%.
func TestWorkedReserveRounding(t *testing.T) {
	day := "2027-03-09"
	tests := []struct {
		name  string
		techs []int64
		want  string
	}{
		// Rv = ⌊1 × 6060 / 100⌋ = ⌊60.6⌋ = 60 s; P − Rv = 6060 − 60 = 6000 s:
		// 100 minutes (rounding Rv up would leave 99).
		{"one technician", []int64{101}, "ids=[101] available=true exceeding=false total=100 capacity=101 booked=0 pending=0 because=[]"},
		// Rv = ⌊1 × 12120 / 100⌋ = 121 s; P − Rv = 11999 s: 199 minutes
		// (flooring each technician's or unit's 60.6 first would leave 200).
		{"two technicians", []int64{101, 102}, "ids=[101 102] available=true exceeding=false total=199 capacity=202 booked=0 pending=0 because=[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := workedTenant()
			d.Appointments, d.Assignments = nil, nil
			d.BusinessUnits[0].ReservePercentage = 1
			d.BusinessUnits[1].ReservePercentage = 1
			d.Shifts = nil
			for _, id := range tt.techs {
				d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: id, Type: shifts.Normal, Start: at(day, "08:00"), End: at(day, "09:41")})
			}
			e := build(t, d)
			req := capacity.Request{StartsOnOrAfter: at(day, "08:00"), EndsOnOrBefore: at(day, "10:00"),
				BusinessUnitIDs: []int64{1, 2}, JobTypeID: 10}
			if msg := agree(t, e, req); msg != "" {
				t.Fatal(msg)
			}
			if got := summary(query(t, e, req).Availabilities[0].Timeslots[0]); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestValidateControls lists every problem of the controls with its path.
func TestValidateControls(t *testing.T) {
	d := workedTenant()
	d.TravelBufferMinutes = -5
	d.BusinessUnits[2].ReservePercentage = 95
	d.BusinessUnits[1].IdealBookingPercentage = 201
	d.JobTypes[1].TravelBufferMinutes = ptr(1441)
	d.BusinessUnitGroups = []capacity.BusinessUnitGroup{
		{ID: 1, Name: "HVAC", BusinessUnitIDs: []int64{1, 2, 9}, IdealBookingPercentage: 201},
		{ID: 2, Name: "Plumbing and HVAC", BusinessUnitIDs: []int64{3, 2, 3}, ReservePercentage: ptr(-1)},
		{ID: 2, Name: "Again"},
	}
	good := adjustW(1, 60)
	both := adjustW(2, 60)
	both.BusinessUnitID, both.BusinessUnitGroupID = 1, 1
	unknown := adjustW(3, 60)
	unknown.BusinessUnitID = 8
	unknownGroup := adjustW(4, 60)
	unknownGroup.BusinessUnitGroupID = 8
	backwards := adjustW(5, 60)
	backwards.From, backwards.To = hours.MustParseClock("10:00"), hours.MustParseClock("08:00")
	huge := adjustW(6, capacity.MaxAdjustmentMinutes+1)
	ancient := adjustW(7, 1)
	ancient.Date = hours.DateOf(1899, 12, 31)
	d.CapacityAdjustments = []capacity.Adjustment{good, both, unknown, unknownGroup, backwards, huge, ancient, good}
	d.CapacityRules = []capacity.Rule{
		{ID: 1, Name: "none", MaxPercentage: 0},
		{ID: 2, Name: "bad refs", JobTypeIDs: []int64{10, 99, 10}, BusinessUnitIDs: []int64{7}, MaxPercentage: 101},
	}
	err := d.Validate()
	if err == nil {
		t.Fatal("Validate accepted bad controls")
	}
	got := err.Error()
	for _, want := range []string{
		"travelBufferMinutes: capacity: travel buffer of -5 minutes is outside 0–1440",
		"businessUnits[1].idealBookingPercentage: capacity: ideal booking percentage 201 is outside 1–200",
		"businessUnits[2].reservePercentage: capacity: reserve percentage 95 is outside 0–90",
		"jobTypes[1].travelBufferMinutes: capacity: travel buffer of 1441 minutes is outside 0–1440",
		"businessUnitGroups[0].businessUnitIds[2]: capacity: unknown business unit 9",
		"businessUnitGroups[0].idealBookingPercentage: capacity: ideal booking percentage 201 is outside 1–200",
		"businessUnitGroups[1].businessUnitIds[1]: capacity: business unit 2 is already in group 1 (businessUnitGroups[0]); a unit is in at most one group",
		"businessUnitGroups[1].businessUnitIds[2]: capacity: business unit 3 is listed twice (also [0])",
		"businessUnitGroups[1].reservePercentage: capacity: reserve percentage -1 is outside 0–90",
		"businessUnitGroups[2].id: capacity: duplicate id 2 (also businessUnitGroups[1])",
		"capacityAdjustments[1].businessUnitGroupId: capacity: the adjustment names both business unit 1 and group 1; name one or neither",
		"capacityAdjustments[2].businessUnitId: capacity: unknown business unit 8",
		"capacityAdjustments[3].businessUnitGroupId: capacity: unknown business unit group 8",
		"capacityAdjustments[4].to: capacity: window 10:00–08:00 is empty or runs past 24:00",
		"capacityAdjustments[5].minutes: capacity: 100000001 minutes is outside ±100000000",
		"capacityAdjustments[6].date: capacity: date 1899-12-31 is outside 1900-01-01–2199-12-31",
		"capacityAdjustments[7].id: capacity: duplicate id 1 (also capacityAdjustments[0])",
		"capacityRules[0].jobTypeIds: capacity: a capacity rule must name at least one job type",
		"capacityRules[0].maxPercentage: capacity: maximum percentage 0 is outside 1–100",
		"capacityRules[1].jobTypeIds[1]: capacity: unknown job type 99",
		"capacityRules[1].jobTypeIds[2]: capacity: job type 10 is listed twice (also [0])",
		"capacityRules[1].businessUnitIds[0]: capacity: unknown business unit 7",
		"capacityRules[1].maxPercentage: capacity: maximum percentage 101 is outside 1–100",
	} {
		if !strings.Contains(got, want+"\n") && !strings.HasSuffix(got, want) {
			t.Errorf("missing problem %q", want)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != 23 {
		t.Errorf("got %d problems, want 23:\n%s", n, got)
	}
	if !errors.Is(err, capacity.ErrInvalid) {
		t.Errorf("%v does not wrap ErrInvalid", err)
	}
	if _, err := capacity.New(d); err == nil {
		t.Error("New accepted bad controls")
	}
}

// TestValidateControlsEdges: every range of the controls accepts its
// bounds and refuses the value just past them (TestValidateControls has
// most of the values past them; mutation testing found the bounds
// themselves unchecked).
func TestValidateControlsEdges(t *testing.T) {
	d := workedTenant()
	d.TravelBufferMinutes = capacity.MaxTravelBufferMinutes
	d.JobTypes[1].TravelBufferMinutes = ptr(0)
	d.BusinessUnits[0].IdealBookingPercentage = 1
	d.BusinessUnits[1].IdealBookingPercentage = 200
	d.BusinessUnits[2].ReservePercentage = capacity.MaxReservePercentage
	d.BusinessUnitGroups = []capacity.BusinessUnitGroup{
		{ID: 1, Name: "Service", BusinessUnitIDs: []int64{1}, IdealBookingPercentage: 200, ReservePercentage: ptr(capacity.MaxReservePercentage)},
		{ID: 2, Name: "Maintenance", BusinessUnitIDs: []int64{2}, IdealBookingPercentage: 1, ReservePercentage: ptr(0)},
	}
	most, least, first, last, wholeDay, lastMinute := adjustW(1, capacity.MaxAdjustmentMinutes), adjustW(2, -capacity.MaxAdjustmentMinutes),
		adjustW(3, 1), adjustW(4, 1), adjustW(5, 1), adjustW(6, 1)
	first.Date, last.Date = hours.DateOf(1900, 1, 1), hours.DateOf(2199, 12, 31)
	wholeDay.From, wholeDay.To = hours.Midnight, hours.EndOfDay
	lastMinute.From, lastMinute.To = hours.MustParseClock("23:59"), hours.EndOfDay
	d.CapacityAdjustments = []capacity.Adjustment{most, least, first, last, wholeDay, lastMinute}
	d.CapacityRules = []capacity.Rule{
		{ID: 1, Name: "least", JobTypeIDs: []int64{10}, MaxPercentage: 1},
		{ID: 2, Name: "most", JobTypeIDs: []int64{10}, MaxPercentage: 100},
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("Validate refused controls at their bounds:\n%v", err)
	}

	d.BusinessUnits[0].IdealBookingPercentage = -1
	d.BusinessUnitGroups[1].ReservePercentage = ptr(capacity.MaxReservePercentage + 1)
	d.JobTypes[1].TravelBufferMinutes = ptr(-1)
	d.CapacityAdjustments[1].Minutes = -capacity.MaxAdjustmentMinutes - 1
	d.CapacityAdjustments[2].Date = hours.DateOf(2200, 1, 1)
	d.CapacityAdjustments[3].To = d.CapacityAdjustments[3].From
	d.CapacityAdjustments[4].From = hours.EndOfDay
	d.CapacityAdjustments[5].To = hours.EndOfDay + 1
	d.CapacityRules[0].MaxPercentage = -1
	err := d.Validate()
	want := []string{
		"businessUnits[0].idealBookingPercentage: capacity: ideal booking percentage -1 is outside 1–200",
		"jobTypes[1].travelBufferMinutes: capacity: travel buffer of -1 minutes is outside 0–1440",
		"businessUnitGroups[1].reservePercentage: capacity: reserve percentage 91 is outside 0–90",
		"capacityAdjustments[1].minutes: capacity: -100000001 minutes is outside ±100000000",
		"capacityAdjustments[2].date: capacity: date 2200-01-01 is outside 1900-01-01–2199-12-31",
		"capacityAdjustments[3].to: capacity: window 08:00–08:00 is empty or runs past 24:00",
		"capacityAdjustments[4].from: capacity: clock 1440 minutes is outside 00:00–23:59",
		"capacityAdjustments[5].to: capacity: window 23:59–24:01 is empty or runs past 24:00",
		"capacityRules[0].maxPercentage: capacity: maximum percentage -1 is outside 1–100",
	}
	if err == nil {
		t.Fatal("Validate accepted controls past their bounds")
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w+"\n") && !strings.HasSuffix(got, w) {
			t.Errorf("missing problem %q", w)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != len(want)+1 { // and adjustment 4's empty window 24:00–24:00
		t.Errorf("got %d problems, want %d:\n%s", n, len(want)+1, got)
	}
}

// TestAdjustmentMatches: an adjustment matches a timeslot by its date and
// the instants its bounds convert to, so across a spring-forward gap a
// clock in the gap names the instant after it.
func TestAdjustmentMatches(t *testing.T) {
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Denver", BusinessHours: bh, ArrivalWindows: []hours.ArrivalWindow{
		{ID: 1, From: "03:00", To: "05:00"}, {ID: 2, From: "08:00", To: "10:00", Weekdays: []string{"Monday"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	spring := hours.MustParseDate("2026-03-08") // 02:00 MST becomes 03:00 MDT
	adj := func(date hours.Date, from, to string) capacity.Adjustment {
		return capacity.Adjustment{ID: 1, Date: date, From: hours.MustParseClock(from), To: hours.MustParseClock(to), Minutes: 30}
	}
	tests := []struct {
		name string
		a    capacity.Adjustment
		want int64 // the window id found, 0 for none
	}{
		{"its own window", adj(spring, "03:00", "05:00"), 1},
		{"a clock in the gap converts to the window's start", adj(spring, "02:00", "05:00"), 1},
		{"the same clocks the next day", adj(spring+1, "03:00", "05:00"), 1},
		{"a window of another weekday", adj(spring, "08:00", "10:00"), 0},
		{"that window on its weekday", adj(spring+1, "08:00", "10:00"), 2},
		{"one bound off", adj(spring+1, "08:00", "09:30"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, ok := tt.a.FindWindow(sched)
			if got := map[bool]int64{true: w.ID}[ok]; got != tt.want {
				t.Errorf("FindWindow = window %d, %v; want window %d", w.ID, ok, tt.want)
			}
			if ok && !tt.a.Matches(sched.Location(), w) {
				t.Error("FindWindow returned a window Matches refuses")
			}
		})
	}
}

// TestControlUpdateErrors: every update names its problem, wraps the
// right sentinel, and changes nothing.
func TestControlUpdateErrors(t *testing.T) {
	d := workedTenant()
	d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
	named := adjustW(1, 60)
	named.BusinessUnitGroupID = 1
	d.CapacityAdjustments = []capacity.Adjustment{named}
	d.CapacityRules = []capacity.Rule{{ID: 7, JobTypeIDs: []int64{11}, MaxPercentage: 50}}
	e := build(t, d)
	before := e.Data()
	stray := adjustW(2, 60)
	stray.To = hours.MustParseClock("09:00")
	saturday := adjustW(3, 60)
	saturday.Date = hours.MustParseDate("2027-03-13") // a Saturday: no business hours
	tests := []struct {
		name string
		err  error
		want string
		is   error
	}{
		{"adjustment matching no window", e.AddAdjustment(stray), "from: capacity: no timeslot 08:00–09:00 on 2027-03-09 (Tuesday): an adjustment must match a window of its date", capacity.ErrInvalid},
		{"adjustment on a closed day", e.AddAdjustment(saturday), "from: capacity: no timeslot 08:00–10:00 on 2027-03-13 (Saturday)", capacity.ErrInvalid},
		{"adjustment id in use", e.AddAdjustment(adjustW(1, 5)), "id: capacity: adjustment 1 exists", capacity.ErrConflict},
		{"adjustment naming both", e.AddAdjustment(func() capacity.Adjustment {
			a := adjustW(4, 5)
			a.BusinessUnitID = 1
			a.BusinessUnitGroupID = 1
			return a
		}()),
			"businessUnitGroupId: capacity: the adjustment names both business unit 1 and group 1", capacity.ErrInvalid},
		{"change of an unknown adjustment", e.ChangeAdjustment(adjustW(9, 5)), "id: capacity: unknown adjustment 9", capacity.ErrNotFound},
		{"removal of an unknown adjustment", func() error { _, err := e.RemoveAdjustment(9); return err }(), "id: capacity: unknown adjustment 9", capacity.ErrNotFound},
		{"rule id in use", e.AddRule(capacity.Rule{ID: 7, JobTypeIDs: []int64{10}, MaxPercentage: 5}), "id: capacity: rule 7 exists", capacity.ErrConflict},
		{"rule with an unknown job type", e.AddRule(capacity.Rule{ID: 8, JobTypeIDs: []int64{99}, MaxPercentage: 5}), "jobTypeIds[0]: capacity: unknown job type 99", capacity.ErrInvalid},
		{"change of an unknown rule", e.ChangeRule(capacity.Rule{ID: 8, JobTypeIDs: []int64{10}, MaxPercentage: 5}), "id: capacity: unknown rule 8", capacity.ErrNotFound},
		{"removal of an unknown rule", func() error { _, err := e.RemoveRule(8); return err }(), "id: capacity: unknown rule 8", capacity.ErrNotFound},
		{"group taking a grouped unit", e.AddGroup(capacity.BusinessUnitGroup{ID: 2, BusinessUnitIDs: []int64{3, 2}}),
			"businessUnitIds[1]: capacity: business unit 2 is already in group 1; a unit is in at most one group", capacity.ErrInvalid},
		{"group id in use", e.AddGroup(capacity.BusinessUnitGroup{ID: 1}), "id: capacity: business unit group 1 exists", capacity.ErrConflict},
		{"group taking the first unit, grouped", e.AddGroup(capacity.BusinessUnitGroup{ID: 2, Name: "first", BusinessUnitIDs: []int64{1}}),
			"businessUnitIds[0]: capacity: business unit 1 is already in group 1; a unit is in at most one group", capacity.ErrInvalid},
		{"change of a group to an unknown unit", e.ChangeGroup(capacity.BusinessUnitGroup{ID: 1, Name: "HVAC", BusinessUnitIDs: []int64{1, 9}}),
			"businessUnitIds[1]: capacity: unknown business unit 9", capacity.ErrInvalid},
		{"change of a rule to an unknown job type", e.ChangeRule(capacity.Rule{ID: 7, Name: "r", JobTypeIDs: []int64{99}, MaxPercentage: 5}),
			"jobTypeIds[0]: capacity: unknown job type 99", capacity.ErrInvalid},
		{"change of an adjustment to no window", e.ChangeAdjustment(func() capacity.Adjustment { a := adjustW(1, 5); a.To = hours.MustParseClock("09:00"); return a }()),
			"from: capacity: no timeslot 08:00–09:00 on 2027-03-09 (Tuesday)", capacity.ErrInvalid},
		{"removal of a group an adjustment names", func() error { _, err := e.RemoveGroup(1); return err }(), "id: capacity: adjustment 1 names business unit group 1", capacity.ErrConflict},
		{"unit percentages out of range", e.SetUnitPercentages(1, 0, 91), "reservePercentage: capacity: reserve percentage 91 is outside 0–90", capacity.ErrInvalid},
		{"percentages of an unknown unit", e.SetUnitPercentages(9, 0, 0), "businessUnitId: capacity: unknown business unit 9", capacity.ErrNotFound},
		{"percentages of an unknown group", e.SetGroupPercentages(9, 0, nil), "businessUnitGroupId: capacity: unknown business unit group 9", capacity.ErrNotFound},
		{"adjustment id 0", e.AddAdjustment(adjustW(0, 5)), "id: capacity: adjustment id 0 must be positive", capacity.ErrInvalid},
		{"rule id 0", e.AddRule(capacity.Rule{ID: 0, Name: "zero", JobTypeIDs: []int64{10}, MaxPercentage: 5}), "id: capacity: rule id 0 must be positive", capacity.ErrInvalid},
		{"group id 0", e.AddGroup(capacity.BusinessUnitGroup{ID: 0, Name: "zero", BusinessUnitIDs: []int64{3}}), "id: capacity: group id 0 must be positive", capacity.ErrInvalid},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.HasPrefix(tt.err.Error(), tt.want) || !errors.Is(tt.err, tt.is) {
			t.Errorf("%s: got %v, want %q wrapping %v", tt.name, tt.err, tt.want, tt.is)
		}
	}
	if diff := gocmp.Diff(before, e.Data(), cmpopts.IgnoreUnexported(hours.Schedule{})); diff != "" {
		t.Errorf("refused updates changed the engine (-before +after):\n%s", diff)
	}
}
