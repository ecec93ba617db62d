package tenant_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/gps"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/tenantgen"
	"github.com/opendispatch/dispatch/tenant"
)

// controls replaces strings in testdata/controls.json, a small tenant
// that sets every capacity control of DESIGN §4a.
func controls(t testing.TB, pairs ...string) []byte {
	s := string(load(t, "testdata/controls.json"))
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("fixture lacks %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return []byte(s)
}

// TestControlsLoad: every field of the controls reaches the engine, and
// the canonical form keeps what is set apart from what is not (a job
// type's travel buffer of 0 and a group's reserve of 0 against absent
// ones), in id order, and is a fixed point.
func TestControlsLoad(t *testing.T) {
	// Records out of id order in the file come out in id order.
	in := controls(t,
		`{"id": 1, "name": "Installs"`, `{"id": 3, "name": "Installs"`,
		`{"id": 1, "date": "2026-03-09"`, `{"id": 9, "date": "2026-03-09"`)
	ten, err := tenant.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(ten.Warnings) != 0 {
		t.Errorf("warnings: %v", ten.Warnings)
	}
	d := ten.Engine.Data()
	zero, fifteen, ten10 := 0, 15, 10
	want := capacity.Data{
		TravelBufferMinutes: 20,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "HVAC Service", IdealBookingPercentage: 85}, {ID: 2, Name: "HVAC Maintenance"},
			{ID: 3, Name: "Plumbing", ReservePercentage: 10}},
		BusinessUnitGroups: []capacity.BusinessUnitGroup{{ID: 1, Name: "HVAC", BusinessUnitIDs: []int64{1, 2}, IdealBookingPercentage: 90, ReservePercentage: &fifteen},
			{ID: 2, Name: "Plumbing crew", BusinessUnitIDs: []int64{3}, ReservePercentage: &zero}},
		JobTypes: []capacity.JobType{
			{ID: 10, Name: "AC Repair", DurationMinutes: 90, Skills: []string{"HVAC"}, BusinessUnitIDs: []int64{1}},
			{ID: 11, Name: "Tune-up", DurationMinutes: 60, Skills: []string{"HVAC"}, BusinessUnitIDs: []int64{2}, TravelBufferMinutes: &zero},
			{ID: 12, Name: "No Heat", DurationMinutes: 120, Skills: []string{"HVAC"}, BusinessUnitIDs: []int64{1}, Priority: true, TravelBufferMinutes: &ten10},
			{ID: 13, Name: "Water Heater Install", DurationMinutes: 180, Skills: []string{"Plumbing"}, BusinessUnitIDs: []int64{3}},
		},
		CapacityRules: []capacity.Rule{
			{ID: 2, Name: "Tune-ups in the mornings", JobTypeIDs: []int64{11}, BusinessUnitIDs: []int64{2}, MaxPercentage: 25},
			{ID: 3, Name: "Installs", JobTypeIDs: []int64{13}, BusinessUnitIDs: []int64{}, MaxPercentage: 40},
		},
		CapacityAdjustments: []capacity.Adjustment{
			{ID: 2, Date: hours.MustParseDate("2026-03-09"), From: hours.MustParseClock("10:00"), To: hours.MustParseClock("12:00"), BusinessUnitGroupID: 1, Minutes: -60, Reason: "hold back for the storm"},
			{ID: 3, Date: hours.MustParseDate("2026-03-09"), From: hours.MustParseClock("10:00"), To: hours.MustParseClock("12:00"), BusinessUnitID: 3, Minutes: 30},
			{ID: 9, Date: hours.MustParseDate("2026-03-09"), From: hours.MustParseClock("08:00"), To: hours.MustParseClock("10:00"), Minutes: 120, Reason: "overbook the first window",
				CreatedBy: &capacity.Actor{ID: 1, Name: "Dispatcher"}, CreatedOn: time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC)},
		},
	}
	got := capacity.Data{TravelBufferMinutes: d.TravelBufferMinutes, BusinessUnits: d.BusinessUnits, BusinessUnitGroups: d.BusinessUnitGroups,
		JobTypes: d.JobTypes, CapacityRules: d.CapacityRules, CapacityAdjustments: d.CapacityAdjustments}
	slicesByID(&got)
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(capacity.Data{})); diff != "" {
		t.Errorf("controls (-want +got):\n%s", diff)
	}

	var once bytes.Buffer
	if err := ten.Save(&once); err != nil {
		t.Fatal(err)
	}
	saved := once.String()
	for _, want := range []string{
		"\"idealBookingPercentage\": 80,\n  \"travelBufferMinutes\": 20,\n",
		"\"name\": \"Plumbing\",\n      \"reservePercentage\": 10\n",
		"\"name\": \"HVAC Maintenance\"\n", // no ideal, no reserve
		"\"businessUnitIds\": [\n        3\n      ],\n      \"reservePercentage\": 0\n",
		"\"priority\": true,\n      \"travelBufferMinutes\": 10\n",
		"\"travelBufferMinutes\": 0\n",
		"\"createdOn\": \"2026-03-02T09:00:00-07:00\"",
		"\"reason\": \"\"\n", // a reason is always written
	} {
		if !strings.Contains(saved, want) {
			t.Errorf("saved file lacks %q", want)
		}
	}
	for _, order := range [][]string{{`"id": 2,
      "name": "Tune-ups`, `"id": 3,
      "name": "Installs"`}, {`"id": 2,
      "date"`, `"id": 3,
      "date"`, `"id": 9,
      "date"`}} {
		at := -1
		for _, s := range order {
			i := strings.Index(saved, s)
			if i <= at {
				t.Errorf("%q is not after the record before it: not in id order", s)
			}
			at = i
		}
	}
	if strings.Count(saved, `"travelBufferMinutes"`) != 3 || strings.Count(saved, `"reservePercentage"`) != 3 || strings.Count(saved, `"priority"`) != 1 {
		t.Errorf("an unset control was written:\n%s", saved)
	}
	fixedPoint(t, once.Bytes())

	// A tenant without controls saves without them: no empty lists.
	plain, err := tenant.Parse(load(t, "testdata/tiny.json"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	plain.Save(&b)
	for _, key := range []string{"businessUnitGroups", "capacityRules", "capacityAdjustments", "travelBufferMinutes", "reservePercentage", "priority"} {
		if strings.Contains(b.String(), key) {
			t.Errorf("a tenant without controls saves %q", key)
		}
	}
}

func slicesByID(d *capacity.Data) {
	// Data is in id order already; the test states it rather than
	// assuming it.
	for i := 1; i < len(d.CapacityAdjustments); i++ {
		if d.CapacityAdjustments[i-1].ID > d.CapacityAdjustments[i].ID {
			panic("capacity.Engine.Data: adjustments out of id order")
		}
	}
}

// fixedPoint checks that saved, a canonical file, loads and saves to
// itself.
func fixedPoint(t *testing.T, saved []byte) {
	t.Helper()
	again, err := tenant.Parse(saved)
	if err != nil {
		t.Fatalf("the saved file does not load: %v", err)
	}
	var twice bytes.Buffer
	again.Save(&twice)
	if !bytes.Equal(saved, twice.Bytes()) {
		t.Errorf("save(load(save(x))) differs from save(x):\n%s", cmp.Diff(string(saved), twice.String()))
	}
}

// TestControlsFixedPoint: for random tenants that use every control
// (tenantgen.NewControlled: groups, reserves of 0 and more, travel buffers
// of 0 and more on the tenant and job types, priority job types, rules,
// adjustments on windows and off them, with and without createdBy and
// createdOn; assignments and adjustments by several actors or none),
// load→save→load→save is byte-identical, and the records
// loaded back are the ones saved.
func TestControlsFixedPoint(t *testing.T) {
	params := proptest.Params(t, 300)
	props := gopter.NewProperties(params)
	props.Property("canonical save is a fixed point", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 13))
		g := tenantgen.NewControlled(r)
		d := g.Data
		loc := g.Loc
		// A few actors, in runs and apart: the loader shares equal ones
		// and remembers the last.
		actors := []capacity.Actor{{ID: 1, Name: "Planner"}, {ID: 2, Name: "Dispatcher"}, {ID: 1, Name: "Planner (night)"}}
		actor := func() *capacity.Actor {
			if r.IntN(4) == 0 {
				return nil
			}
			a := actors[r.IntN(len(actors))]
			return &a
		}
		for i := range d.Assignments {
			d.Assignments[i].AssignedBy = actor()
		}
		for i := range d.CapacityAdjustments {
			a := &d.CapacityAdjustments[i]
			if r.IntN(2) == 0 {
				a.CreatedOn = time.Unix(hours.DayStart(loc, a.Date)-int64(r.IntN(30*86400)), 0)
			}
			a.CreatedBy = actor()
			if r.IntN(3) == 0 {
				a.Reason = "a reason & <another>"
			}
		}
		// Records out of id order: loading sorts nothing away.
		r.Shuffle(len(d.CapacityAdjustments), func(i, j int) {
			d.CapacityAdjustments[i], d.CapacityAdjustments[j] = d.CapacityAdjustments[j], d.CapacityAdjustments[i]
		})
		e, err := capacity.New(d)
		if err != nil {
			return "capacity.New: " + err.Error()
		}
		first := &tenant.Tenant{ID: "gen", Engine: e, GPS: gps.NewStore()}
		var once, twice bytes.Buffer
		if err := first.Save(&once); err != nil {
			return err.Error()
		}
		again, err := tenant.Parse(once.Bytes())
		if err != nil {
			return "the saved file does not load: " + err.Error()
		}
		again.Save(&twice)
		if !bytes.Equal(once.Bytes(), twice.Bytes()) {
			return "save(load(save(x))) != save(x):\n" + cmp.Diff(once.String(), twice.String())
		}
		want, got := e.Data(), again.Engine.Data()
		opts := []cmp.Option{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(capacity.Data{}, "Schedule", "Zones")}
		if diff := cmp.Diff(want, got, opts...); diff != "" {
			return "records changed by saving and loading (-want +got):\n" + diff
		}
		// Every adjustment that matches no window is a warning, and only
		// those.
		stray := 0
		for _, a := range want.CapacityAdjustments {
			if _, ok := a.FindWindow(want.Schedule); !ok {
				stray++
			}
		}
		if len(again.Warnings) != stray {
			return "warnings " + again.Warnings.Error()
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
}

// TestControlsBadInput: every problem of the controls, with its path, all
// at once; the conversion problems first (in file order), then capacity's
// checks of values and references.
func TestControlsBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []string
	}{
		{"unit in two groups, unknown ids, unit and group", controls(t,
			`"businessUnitIds": [3], "reservePercentage": 0`, `"businessUnitIds": [3, 1, 7], "reservePercentage": 0`,
			`"jobTypeIds": [13], "businessUnitIds": []`, `"jobTypeIds": [13, 99], "businessUnitIds": [8]`,
			`"businessUnitGroupId": 1, "minutes": -60`, `"businessUnitGroupId": 5, "minutes": -60`,
			`"businessUnitId": 3, "minutes": 30`, `"businessUnitId": 3, "businessUnitGroupId": 2, "minutes": 30`,
		), []string{
			`businessUnitGroups[1].businessUnitIds[2]: capacity: unknown business unit 7`,
			`businessUnitGroups[1].businessUnitIds[1]: capacity: business unit 1 is already in group 1 (businessUnitGroups[0]); a unit is in at most one group`,
			`capacityAdjustments[1].businessUnitGroupId: capacity: unknown business unit group 5`,
			`capacityAdjustments[2].businessUnitGroupId: capacity: the adjustment names both business unit 3 and group 2; name one or neither`,
			`capacityRules[0].jobTypeIds[1]: capacity: unknown job type 99`,
			`capacityRules[0].businessUnitIds[0]: capacity: unknown business unit 8`,
		}},
		{"percentages and buffers out of range", controls(t,
			`"travelBufferMinutes": 20`, `"travelBufferMinutes": 1441`,
			`"reservePercentage": 10`, `"reservePercentage": 91`,
			`"idealBookingPercentage": 90, "reservePercentage": 15`, `"idealBookingPercentage": 201, "reservePercentage": -1`,
			`"priority": true, "travelBufferMinutes": 10`, `"priority": true, "travelBufferMinutes": -5`,
			`"maxPercentage": 40`, `"maxPercentage": 0`,
			`"maxPercentage": 25`, `"maxPercentage": 101`,
		), []string{
			`businessUnits[2].reservePercentage: capacity: reserve percentage 91 is outside 0–90`,
			`travelBufferMinutes: capacity: travel buffer of 1441 minutes is outside 0–1440`,
			`jobTypes[2].travelBufferMinutes: capacity: travel buffer of -5 minutes is outside 0–1440`,
			`businessUnitGroups[0].idealBookingPercentage: capacity: ideal booking percentage 201 is outside 1–200`,
			`businessUnitGroups[0].reservePercentage: capacity: reserve percentage -1 is outside 0–90`,
			`capacityRules[0].maxPercentage: capacity: maximum percentage 0 is outside 1–100`,
			`capacityRules[1].maxPercentage: capacity: maximum percentage 101 is outside 1–100`,
		}},
		// In these members 0 means "left out" (the default percentage, an
		// adjustment of every unit): one written as 0 is refused, not read
		// as the default (a unit's businessUnitId of 0 made an adjustment
		// of every request).
		{"explicit zeros", controls(t,
			`"idealBookingPercentage": 80,`, `"idealBookingPercentage": 0,`,
			`"name": "HVAC Service", "idealBookingPercentage": 85`, `"name": "HVAC Service", "idealBookingPercentage": 0`,
			`"idealBookingPercentage": 90, "reservePercentage": 15`, `"idealBookingPercentage": 0, "reservePercentage": 15`,
			`"businessUnitGroupId": 1, "minutes": -60`, `"businessUnitGroupId": 0, "minutes": -60`,
			`"businessUnitId": 3, "minutes": 30`, `"businessUnitId": 0, "minutes": 30`,
		), []string{
			`idealBookingPercentage: tenant: 0 is not allowed in idealBookingPercentage (it would read as the member left out): give a value, or leave the member out`,
			`businessUnits[0].idealBookingPercentage: tenant: 0 is not allowed in idealBookingPercentage (it would read as the member left out): give a value, or leave the member out`,
			`businessUnitGroups[0].idealBookingPercentage: tenant: 0 is not allowed in idealBookingPercentage (it would read as the member left out): give a value, or leave the member out`,
			`capacityAdjustments[1].businessUnitGroupId: tenant: 0 is not allowed in businessUnitGroupId (it would read as the member left out): give a value, or leave the member out`,
			`capacityAdjustments[2].businessUnitId: tenant: 0 is not allowed in businessUnitId (it would read as the member left out): give a value, or leave the member out`,
		}},
		{"dates, clocks and instants", controls(t,
			`"date": "2026-03-09", "from": "08:00", "to": "10:00"`, `"date": "2026-02-30", "from": "8am", "to": "10:00"`,
			`"createdOn": "2026-03-02T09:00:00-07:00"`, `"createdOn": "yesterday"`,
			`"date": "2026-03-09", "from": "10:00", "to": "12:00", "businessUnitGroupId"`, `"date": "2300-03-09", "from": "12:00", "to": "10:00", "businessUnitGroupId"`,
		), []string{
			`capacityAdjustments[0].createdOn: tenant: "yesterday" is not an RFC 3339 date-time`,
			`capacityAdjustments[0].date: hours: date "2026-02-30": February 2026 has 28 days`,
			`capacityAdjustments[0].from: hours: clock "8am": want HH:MM`,
			`capacityAdjustments[1].date: capacity: date 2300-03-09 is outside 1900-01-01–2199-12-31`,
			`capacityAdjustments[1].to: capacity: window 12:00–10:00 is empty or runs past 24:00`,
		}},
		{"ids", controls(t,
			`{"id": 2, "name": "Plumbing crew"`, `{"id": 1, "name": "Plumbing crew"`,
			`{"id": 3, "date"`, `{"id": 0, "date"`,
		), []string{
			`businessUnitGroups[1].id: capacity: duplicate id 1 (also businessUnitGroups[0])`,
			`capacityAdjustments[2].id: capacity: id 0 must be positive`,
		}},
		{"shapes", controls(t,
			`"minutes": 120`, `"minutes": "120"`,
			`"priority": true`, `"priority": 1`,
			`"reason": "hold back for the storm"`, `"reason": "hold back for the storm", "colour": 1`,
		), []string{
			`jobTypes[2].priority: tenant: want true or false, got the number 1`,
			`capacityAdjustments[0].minutes: tenant: want an integer, got the string "120"`,
			`capacityAdjustments[1].colour: tenant: unknown field "colour"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tenant.Parse(tt.in)
			if err == nil {
				t.Fatal("Parse accepted bad input")
			}
			if got := err.Error(); got != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestStrayAdjustment: an adjustment matching no window of its date loads
// with a warning naming the date's windows, and applies nowhere.
func TestStrayAdjustment(t *testing.T) {
	for _, c := range []struct {
		name, from, to, date string
		warning              string
	}{
		{"between windows", "09:00", "11:00", "2026-03-09",
			`capacityAdjustments[0]: tenant: adjustment 1 applies nowhere: no window 09:00–11:00 on 2026-03-09 (Monday); its windows are 08:00–10:00 and 10:00–12:00`},
		{"a closed day", "08:00", "10:00", "2026-03-10",
			`capacityAdjustments[0]: tenant: adjustment 1 applies nowhere: no window 08:00–10:00 on 2026-03-10 (Tuesday); it has no windows (no business hours)`},
		// A minute past midnight is a clock like any other, not the
		// loader's mark of one that did not parse.
		{"a minute past midnight", "00:01", "10:00", "2026-03-09",
			`capacityAdjustments[0]: tenant: adjustment 1 applies nowhere: no window 00:01–10:00 on 2026-03-09 (Monday); its windows are 08:00–10:00 and 10:00–12:00`},
	} {
		t.Run(c.name, func(t *testing.T) {
			stray, err := tenant.Parse(controls(t, `"date": "2026-03-09", "from": "08:00", "to": "10:00"`,
				`"date": "`+c.date+`", "from": "`+c.from+`", "to": "`+c.to+`"`))
			if err != nil {
				t.Fatal(err)
			}
			if len(stray.Warnings) != 1 || stray.Warnings[0].Error() != c.warning {
				t.Fatalf("warnings %q, want %q", stray.Warnings, c.warning)
			}
			// CheckWindow, which the HTTP API refuses an adjustment with,
			// says the same, wrapping capacity.ErrInvalid; it passes the
			// adjustment of the fixture, which matches a window.
			adjs := stray.Engine.Data().CapacityAdjustments
			_, msg, _ := strings.Cut(c.warning, "applies nowhere: ")
			err = tenant.CheckWindow(stray.Engine.Schedule(), adjs[0])
			if err == nil || err.Error() != "tenant: "+msg+": "+capacity.ErrInvalid.Error() || !errors.Is(err, capacity.ErrInvalid) {
				t.Errorf("CheckWindow = %v, want %q wrapping capacity.ErrInvalid", err, "tenant: "+msg)
			}
			// It applies nowhere: the first window has the capacity it has
			// without the adjustment.
			without, err := tenant.Parse(controls(t, `"minutes": 120`, `"minutes": 0`))
			if err != nil {
				t.Fatal(err)
			}
			req := capacity.Request{StartsOnOrAfter: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), EndsOnOrBefore: time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)}
			a, _ := stray.Engine.Capacity(req)
			b, _ := without.Engine.Capacity(req)
			ja, _ := a.MarshalJSON()
			jb, _ := b.MarshalJSON()
			if !bytes.Equal(ja, jb) {
				t.Errorf("a stray adjustment changed the answer:\n%s\n%s", ja, jb)
			}
			if len(without.Warnings) != 0 {
				t.Errorf("warnings without a stray adjustment: %v", without.Warnings)
			}
			for _, a := range without.Engine.Data().CapacityAdjustments {
				if err := tenant.CheckWindow(without.Engine.Schedule(), a); err != nil {
					t.Errorf("CheckWindow(adjustment %d of the fixture) = %v", a.ID, err)
				}
			}
		})
	}
}

// TestCreatedOnAtTheEpoch: an adjustment created at the Unix epoch keeps
// its createdOn through load and save (it was read as absent and vanished
// from the next save).
func TestCreatedOnAtTheEpoch(t *testing.T) {
	ten, err := tenant.Parse(controls(t, `"createdOn": "2026-03-02T09:00:00-07:00"`, `"createdOn": "1970-01-01T00:00:00Z"`))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, a := range ten.Engine.Data().CapacityAdjustments {
		if !a.CreatedOn.IsZero() {
			found = true
			if !a.CreatedOn.Equal(time.Unix(0, 0)) {
				t.Errorf("createdOn = %v, want the epoch", a.CreatedOn)
			}
		}
	}
	if !found {
		t.Fatal("the adjustment's createdOn at the epoch came back absent")
	}
	var saved bytes.Buffer
	if err := ten.Save(&saved); err != nil {
		t.Fatal(err)
	}
	if want := `"createdOn": "1969-12-31T17:00:00-07:00"`; !strings.Contains(saved.String(), want) {
		t.Errorf("saved file lacks %s", want)
	}
	fixedPoint(t, saved.Bytes())
}
