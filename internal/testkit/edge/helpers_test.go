package edge_test

import (
	"fmt"
	"math"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
)

// clockAt is the fixed clock every engine of these tests stamps with.
var clockAt = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)

func withClock() capacity.Option {
	return capacity.WithClock(func() time.Time { return clockAt })
}

// demoData returns the demo tenant's records, a fresh deep copy per call.
func demoData(t testing.TB) capacity.Data {
	t.Helper()
	tn, err := tenant.Parse(dispatch.DemoTenant, withClock())
	if err != nil {
		t.Fatal(err)
	}
	return tn.Engine.Data()
}

func newEngine(t testing.TB, d capacity.Data) *capacity.Engine {
	t.Helper()
	e, err := capacity.New(d, withClock())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// noPanic runs f and reports a panic as a test error, with the stack from
// the panic on, so that one sweep finds every panicking call.
func noPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			st := string(debug.Stack())
			if i := strings.Index(st, "panic("); i >= 0 {
				st = st[i:]
			}
			t.Errorf("%s panicked: %v\n%.1500s", name, r, st)
		}
	}()
	f()
}

// sharpTimes are instants a caller might pass by mistake: the zero time,
// years far outside 1900–2199, instants whose internal representation
// overflows, odd locations and offsets, a monotonic reading, a fraction
// of a second, and the bounds of the supported years.
func sharpTimes() []time.Time {
	odd := time.FixedZone("odd", 12345)
	far := time.FixedZone("far", 25*3600)
	now := time.Now() // for its monotonic reading only: the instant is fixed
	mono := now.Add(time.Date(2027, 3, 9, 8, 0, 0, 0, time.UTC).Sub(now))
	return []time.Time{
		{},
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(math.MaxInt64/2, 0),
		time.Unix(math.MinInt64/2, 0),
		time.Unix(math.MaxInt64, 0),
		time.Unix(math.MinInt64, 0),
		time.Unix(0, 0),
		time.Date(2027, 3, 9, 8, 0, 0, 500, odd),
		time.Date(2027, 3, 9, 8, 0, 0, 0, far),
		mono,
		time.Date(2027, 3, 14, 2, 30, 0, 0, time.UTC),
		time.Date(2199, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

// denver returns a local time of the demo tenant.
func denver(t testing.TB, s string) time.Time {
	t.Helper()
	loc, err := hours.LoadLocation("America/Denver")
	if err != nil {
		t.Fatal(err)
	}
	v, err := hours.ParseInstantIn(s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// probes are capacity requests over the demo tenant's fortnight that
// between them read every figure: all units, each unit, job types with
// and without skills, priority work, a zip.
func probes(t testing.TB) []capacity.Request {
	from, to := denver(t, "2027-03-08"), denver(t, "2027-03-22")
	var rs []capacity.Request
	add := func(r capacity.Request) {
		r.StartsOnOrAfter, r.EndsOnOrBefore = from, to
		rs = append(rs, r)
	}
	add(capacity.Request{})
	add(capacity.Request{BusinessUnitIDs: []int64{1}})
	add(capacity.Request{BusinessUnitIDs: []int64{2, 3}, JobTypeID: 201})
	add(capacity.Request{JobTypeID: 101, SkillBasedAvailability: true})
	add(capacity.Request{JobTypeID: 103, SkillBasedAvailability: true, BusinessUnitIDs: []int64{4}})
	add(capacity.Request{JobTypeID: 202, Zip: "80214"})
	add(capacity.Request{JobTypeID: 303, SkillBasedAvailability: true, Zip: "80120-1234"})
	add(capacity.Request{JobTypeID: 104, BusinessUnitIDs: []int64{1}})
	add(capacity.Request{JobTypeID: 204})
	return rs
}

// answers is everything an engine says about its state: its records and
// its capacity answers to the probes, as text to compare.
type answers struct {
	Data      capacity.Data
	Responses []string
	Techs     []capacity.Technician
	Shifts    []shifts.Shift
	Groups    []capacity.BusinessUnitGroup
	Rules     []capacity.Rule
	Adjs      []capacity.Adjustment
	Work      []string
}

func answersOf(t testing.TB, e *capacity.Engine, reqs []capacity.Request) answers {
	t.Helper()
	a := answers{Data: e.Data(), Techs: e.Technicians(), Shifts: e.Shifts().All(),
		Groups: e.BusinessUnitGroups(), Rules: e.Rules(), Adjs: e.Adjustments()}
	for _, r := range reqs {
		res, err := e.Capacity(r)
		if err != nil {
			t.Fatalf("request %+v: %v", r, err)
		}
		b, err := res.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		a.Responses = append(a.Responses, string(b))
	}
	from, to := denver(t, "2027-03-08"), denver(t, "2027-03-22")
	for _, tc := range a.Techs {
		w, b := e.Load(tc.ID, from, to)
		at, ok := e.Arrival(tc.ID, from, to, 2*time.Hour)
		a.Work = append(a.Work, fmt.Sprint(tc.ID, w, b, e.Working(tc.ID, from, to), at.Unix(), ok))
	}
	return a
}

var cmpOpts = cmp.Options{
	cmp.Comparer(func(x, y time.Time) bool { return x.Equal(y) }),
	cmpopts.IgnoreFields(capacity.Data{}, "Schedule", "Zones"),
	cmpopts.EquateEmpty(),
}

// sameAnswers fails t with the difference between two engines' answers.
func sameAnswers(t testing.TB, what string, want, got answers) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts); d != "" {
		if len(d) > 4000 && testing.Short() {
			d = d[:4000] + "…"
		}
		t.Errorf("%s: answers differ (-want +got):\n%s", what, d)
	}
}

// scribble overwrites everything reachable from v that a caller could
// write: every exported number, string and bool, through slices,
// pointers, maps and struct fields. Values it cannot set (unexported
// fields, a time.Time's insides) it leaves.
func scribble(v any) {
	scribbleValue(reflect.ValueOf(v), 0)
}

func scribbleValue(v reflect.Value, depth int) {
	if depth > 12 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			scribbleValue(v.Elem(), depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			scribbleValue(v.Index(i), depth+1)
		}
	case reflect.Map:
		if !v.CanSet() && !v.CanInterface() {
			return
		}
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			scribbleValue(e.Addr(), depth+1)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			if v.CanSet() {
				v.Set(reflect.ValueOf(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scribbleValue(v.Field(i), depth+1)
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.CanSet() {
			v.SetInt(v.Int()*7 + 3)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v.CanSet() {
			v.SetUint(v.Uint() + 1)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString("scribbled " + v.String())
		}
	case reflect.Bool:
		if v.CanSet() {
			v.SetBool(!v.Bool())
		}
	case reflect.Float32, reflect.Float64:
		if v.CanSet() {
			v.SetFloat(math.NaN())
		}
	}
}

// cloneData returns a deep copy of d's records (the Schedule and Zones,
// immutable, are shared).
func cloneData(d capacity.Data) capacity.Data {
	c := d
	c.BusinessUnits = slices.Clone(d.BusinessUnits)
	c.JobTypes = slices.Clone(d.JobTypes)
	for i := range c.JobTypes {
		c.JobTypes[i].Skills = slices.Clone(c.JobTypes[i].Skills)
		c.JobTypes[i].BusinessUnitIDs = slices.Clone(c.JobTypes[i].BusinessUnitIDs)
		if p := c.JobTypes[i].TravelBufferMinutes; p != nil {
			v := *p
			c.JobTypes[i].TravelBufferMinutes = &v
		}
	}
	c.Technicians = slices.Clone(d.Technicians)
	for i := range c.Technicians {
		c.Technicians[i].Skills = slices.Clone(c.Technicians[i].Skills)
		c.Technicians[i].ZoneIDs = slices.Clone(c.Technicians[i].ZoneIDs)
		if p := c.Technicians[i].Home; p != nil {
			v := *p
			c.Technicians[i].Home = &v
		}
	}
	c.Shifts = slices.Clone(d.Shifts)
	c.Appointments = slices.Clone(d.Appointments)
	c.Assignments = slices.Clone(d.Assignments)
	for i := range c.Assignments {
		if p := c.Assignments[i].AssignedBy; p != nil {
			v := *p
			c.Assignments[i].AssignedBy = &v
		}
	}
	c.BusinessUnitGroups = slices.Clone(d.BusinessUnitGroups)
	for i := range c.BusinessUnitGroups {
		g := &c.BusinessUnitGroups[i]
		g.BusinessUnitIDs = slices.Clone(g.BusinessUnitIDs)
		if p := g.ReservePercentage; p != nil {
			v := *p
			g.ReservePercentage = &v
		}
	}
	c.CapacityRules = slices.Clone(d.CapacityRules)
	for i := range c.CapacityRules {
		c.CapacityRules[i].JobTypeIDs = slices.Clone(c.CapacityRules[i].JobTypeIDs)
		c.CapacityRules[i].BusinessUnitIDs = slices.Clone(c.CapacityRules[i].BusinessUnitIDs)
	}
	c.CapacityAdjustments = slices.Clone(d.CapacityAdjustments)
	for i := range c.CapacityAdjustments {
		if p := c.CapacityAdjustments[i].CreatedBy; p != nil {
			v := *p
			c.CapacityAdjustments[i].CreatedBy = &v
		}
	}
	return c
}
