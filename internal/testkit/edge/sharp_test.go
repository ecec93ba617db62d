package edge_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
	"github.com/opendispatch/dispatch/zones"
)

// problemAt returns the problem of err at path, or nil.
func problemAt(err error, path string) *validate.Error {
	var es validate.Errors
	if errors.As(err, &es) {
		for _, p := range es {
			if p.Path == path {
				return p
			}
		}
	}
	return nil
}

// TestRequestYears: a request built in code, bypassing ParseRequest, with
// a bound outside the years every boundary accepts is refused at that
// bound's field — never answered (a capacity answer for year 1 is a
// silent wrong answer) and never a walk over every date of the centuries
// between (the engine hung on a range to time.Unix(math.MaxInt64, 0)).
func TestRequestYears(t *testing.T) {
	e := newEngine(t, demoData(t))
	in := denver(t, "2027-03-09")
	for _, tc := range []struct {
		name       string
		start, end time.Time
		path       string
	}{
		{"start in year 1", time.Date(1, 3, 9, 0, 0, 0, 0, time.UTC), time.Date(1, 3, 10, 0, 0, 0, 0, time.UTC), "startsOnOrAfter"},
		{"end in year 9999", time.Date(9999, 3, 9, 0, 0, 0, 0, time.UTC), time.Date(9999, 3, 10, 0, 0, 0, 0, time.UTC), "endsOnOrBefore"},
		{"end after 2199", time.Date(2199, 12, 31, 12, 0, 0, 0, time.UTC), time.Date(2200, 1, 2, 0, 0, 0, 0, time.UTC), "endsOnOrBefore"},
		{"start before 1900", time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(1900, 1, 2, 0, 0, 0, 0, time.UTC), "startsOnOrAfter"},
		{"end overflowing", in, time.Unix(math.MaxInt64, 0), "endsOnOrBefore"},
		{"both far apart", time.Unix(math.MinInt64/2, 0), time.Unix(math.MaxInt64/2, 0), "endsOnOrBefore"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.Capacity(capacity.Request{StartsOnOrAfter: tc.start, EndsOnOrBefore: tc.end})
			if err == nil {
				t.Fatalf("answered %d availabilities; want an error at %s", len(res.Availabilities), tc.path)
			}
			p := problemAt(err, tc.path)
			if p == nil || !errors.Is(err, capacity.ErrInvalid) {
				t.Fatalf("got %v; want an ErrInvalid at %s", err, tc.path)
			}
			if !strings.HasPrefix(p.Msg, "capacity: ") || !strings.Contains(p.Msg, "1900–2199") {
				t.Errorf("message %q does not say what is wrong with the package prefix", p.Msg)
			}
		})
	}
}

// TestNilLocation: a nil *time.Location, given where a function takes
// one, is UTC, as package shifts reads it — not a panic in time.Time.In.
func TestNilLocation(t *testing.T) {
	d := hours.DateOf(2027, 3, 14)
	c := hours.MustParseClock("02:30")
	if got, want := hours.Local(nil, d, c), hours.Local(time.UTC, d, c); got != want {
		t.Errorf("Local(nil) = %d, want UTC's %d", got, want)
	}
	if got, want := hours.DayStart(nil, d), hours.DayStart(time.UTC, d); got != want {
		t.Errorf("DayStart(nil) = %d, want %d", got, want)
	}
	if got := hours.DateAt(nil, hours.Local(time.UTC, d, c)); got != d {
		t.Errorf("DateAt(nil) = %v, want %v", got, d)
	}
	for _, s := range []string{"2027-03-14", "2027-03-14T02:30", "2027-03-14T02:30:05", "2027-03-14T02:30:00Z"} {
		got, err := hours.ParseInstantIn(s, nil)
		want, werr := hours.ParseInstantIn(s, time.UTC)
		if err != nil || werr != nil || !got.Equal(want) {
			t.Errorf("ParseInstantIn(%q, nil) = %v, %v; want %v, %v", s, got, err, want, werr)
		}
		got, err = hours.ParseBoundIn(s, nil, true)
		want, werr = hours.ParseBoundIn(s, time.UTC, true)
		if err != nil || werr != nil || !got.Equal(want) {
			t.Errorf("ParseBoundIn(%q, nil) = %v, %v; want %v, %v", s, got, err, want, werr)
		}
	}
	a := capacity.Adjustment{ID: 1, Date: d, From: c, To: hours.MustParseClock("04:00"),
		CreatedOn: time.Date(2027, 3, 1, 12, 0, 0, 0, time.FixedZone("x", 3600))}
	s0, e0 := a.Span(nil)
	s1, e1 := a.Span(time.UTC)
	if s0 != s1 || e0 != e1 {
		t.Errorf("Adjustment.Span(nil) = %d, %d; want %d, %d", s0, e0, s1, e1)
	}
	if !a.Matches(nil, hours.Window{Date: d, Start: s1, End: e1}) {
		t.Error("Adjustment.Matches(nil, its UTC window) is false")
	}
	if got := tenant.AdjustmentOf(a, nil).CreatedOn; got != "2027-03-01T11:00:00Z" {
		t.Errorf("AdjustmentOf(a, nil).CreatedOn = %q, want UTC", got)
	}
}

// TestBoundsInTwoZones: a request's bounds may come in different
// locations; only their instants count, as if both were in the tenant's.
func TestBoundsInTwoZones(t *testing.T) {
	e := newEngine(t, demoData(t))
	from, to := denver(t, "2027-03-09"), denver(t, "2027-03-12")
	want, err := e.Capacity(capacity.Request{StartsOnOrAfter: from, EndsOnOrBefore: to, JobTypeID: 101})
	must(t, "capacity", err)
	got, err := e.Capacity(capacity.Request{StartsOnOrAfter: from.In(time.FixedZone("east", 11*3600)),
		EndsOnOrBefore: to.In(time.FixedZone("west", -11*3600)), JobTypeID: 101})
	must(t, "capacity", err)
	wb, _ := want.MarshalJSON()
	gb, _ := got.MarshalJSON()
	if string(wb) != string(gb) {
		t.Errorf("bounds in two zones answer differently:\n%s\nwant\n%s", gb, wb)
	}
}

// TestErrorsAsCallersTestThem: each kind of failure a caller switches on
// is reachable with errors.Is (the sentinels) and errors.As (a
// validate.Error at the field's path), and its message carries the
// package prefix and the bad input.
func TestErrorsAsCallersTestThem(t *testing.T) {
	e := newEngine(t, demoData(t))
	noClock, err := capacity.New(demoData(t))
	if err != nil {
		t.Fatal(err)
	}
	tue := denver(t, "2027-03-09T08:00")
	for _, tc := range []struct {
		name     string
		err      error
		is       error
		path     string // "" when the error is not a validate.Errors
		contains []string
	}{
		{"unknown job type", capErr(e, capacity.Request{StartsOnOrAfter: tue, EndsOnOrBefore: tue.Add(time.Hour), JobTypeID: 999}),
			capacity.ErrInvalid, "jobTypeId", []string{"capacity: ", "999"}},
		{"unknown unit", capErr(e, capacity.Request{StartsOnOrAfter: tue, EndsOnOrBefore: tue.Add(time.Hour), BusinessUnitIDs: []int64{1, 77}}),
			capacity.ErrInvalid, "businessUnitIds[1]", []string{"capacity: ", "77"}},
		{"reversed range", capErr(e, capacity.Request{StartsOnOrAfter: tue, EndsOnOrBefore: tue.Add(-time.Hour)}),
			capacity.ErrInvalid, "endsOnOrBefore", []string{"capacity: ", "2027-03-09T07:00:00-07:00"}},
		{"empty range", capErr(e, capacity.Request{StartsOnOrAfter: tue, EndsOnOrBefore: tue}),
			capacity.ErrInvalid, "endsOnOrBefore", []string{"capacity: "}},
		{"skills without job type", capErr(e, capacity.Request{StartsOnOrAfter: tue, EndsOnOrBefore: tue.Add(time.Hour), SkillBasedAvailability: true}),
			capacity.ErrInvalid, "skillBasedAvailability", []string{"capacity: "}},
		{"bad zip", capErr(e, capacity.Request{StartsOnOrAfter: tue, EndsOnOrBefore: tue.Add(time.Hour), Zip: "\xff\xfe"}),
			capacity.ErrInvalid, "zip", []string{"zones: "}},
		{"range too long", capErr(e, capacity.Request{StartsOnOrAfter: tue, EndsOnOrBefore: tue.AddDate(0, 2, 0)}),
			capacity.ErrInvalid, "endsOnOrBefore", []string{"capacity: ", "split the request"}},
		{"assign unknown appointment", second(e.Assign(424242, []int64{101}, nil)),
			capacity.ErrNotFound, "jobAppointmentId", []string{"capacity: ", "424242"}},
		{"assign unknown technician", second(e.Assign(5001, []int64{101, 999}, nil)),
			capacity.ErrNotFound, "technicianIds[1]", []string{"capacity: ", "999"}},
		{"unassign not assigned", first(e.Unassign(5001, []int64{307}, nil)),
			capacity.ErrConflict, "technicianIds[0]", []string{"capacity: ", "307"}},
		{"appointment id in use", e.AddAppointment(capacity.Appointment{ID: 5001, JobTypeID: 101, BusinessUnitID: 1, Start: tue, End: tue.Add(time.Hour)}),
			capacity.ErrConflict, "id", []string{"capacity: ", "5001"}},
		{"technician id in use", e.AddTechnician(capacity.Technician{ID: 101, BusinessUnitID: 1}),
			capacity.ErrConflict, "id", []string{"capacity: ", "101"}},
		{"technician unknown unit", e.AddTechnician(capacity.Technician{ID: 999, BusinessUnitID: 42}),
			capacity.ErrInvalid, "businessUnitId", []string{"capacity: ", "42"}},
		{"unknown shift", first(e.DeleteShift(424242)), capacity.ErrNotFound, "id", []string{"capacity: ", "424242"}},
		{"shift without type", first(e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Start: tue, End: tue.Add(time.Hour)})),
			shifts.ErrInvalid, "shiftType", []string{"shifts: "}},
		{"shift for unknown technician", first(e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{999}, Type: shifts.Normal, Start: tue, End: tue.Add(time.Hour)})),
			capacity.ErrNotFound, "technicianIds[0]", []string{"capacity: ", "999"}},
		{"reschedule reversed", first(e.RescheduleAppointment(5003, capacity.Reschedule{Start: tue, End: tue.Add(-time.Hour)})),
			capacity.ErrInvalid, "end", []string{"capacity: ", "5003"}},
		{"no clock", second(noClock.Assign(5003, []int64{101}, nil)), capacity.ErrNoClock, "", []string{"capacity: "}},
		{"unknown group", first(e.RemoveGroup(77)), capacity.ErrNotFound, "id", []string{"capacity: ", "77"}},
		{"unit percentage", e.SetUnitPercentages(1, 500, 0), capacity.ErrInvalid, "idealBookingPercentage", []string{"capacity: ", "500"}},
		{"huge name", e.AddTechnician(capacity.Technician{ID: 990, Name: strings.Repeat("n", 1<<16), BusinessUnitID: 1}),
			capacity.ErrInvalid, "name", []string{"validate: ", "65536 characters"}},
		// Text that is not UTF-8: a JSON reader refuses it, and a writer
		// replaces it with U+FFFD, so that a skill saved and read back
		// was another skill.
		{"invalid UTF-8 skill", e.AddTechnician(capacity.Technician{ID: 991, Name: "X", BusinessUnitID: 1, Skills: []string{"ok", "HV\xffAC"}}),
			capacity.ErrInvalid, "skills[1]", []string{"validate: ", `"HV\xffAC" is not UTF-8 at byte 2`}},
		{"invalid UTF-8 shift title", first(e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.Normal, Title: "Late\xc3",
			Start: tue, End: tue.Add(time.Hour)})),
			shifts.ErrInvalid, "title", []string{"not UTF-8 at byte 4"}},
		{"invalid UTF-8 zone", first(zones.New([]zones.Zone{{ID: 1, Name: "Z\xe2\x82", Zips: []string{"80202"}}})),
			nil, "[0].name", []string{"not UTF-8 at byte 1"}},
		{"NaN home", e.AddTechnician(capacity.Technician{ID: 992, Name: "X", BusinessUnitID: 1, Home: &capacity.Point{Latitude: math.NaN(), Longitude: math.Inf(1)}}),
			capacity.ErrInvalid, "home.latitude", []string{"capacity: ", "NaN"}},
		{"huge zip", capErr(e, capacity.Request{StartsOnOrAfter: tue, EndsOnOrBefore: tue.Add(time.Hour), Zip: strings.Repeat("8", 1<<16)}),
			capacity.ErrInvalid, "zip", []string{"zones: "}},
		{"appointment of unknown job type", e.AddAppointment(capacity.Appointment{ID: 993, JobTypeID: 999, BusinessUnitID: 1, Start: tue, End: tue.Add(time.Hour)}),
			capacity.ErrInvalid, "jobTypeId", []string{"capacity: ", "999"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(tc.err, tc.is) {
				t.Errorf("errors.Is(%v, %v) is false", tc.err, tc.is)
			}
			msg := tc.err.Error()
			if tc.path != "" {
				p := problemAt(tc.err, tc.path)
				if p == nil {
					t.Fatalf("no problem at %q in %v", tc.path, tc.err)
				}
				if tc.is != nil && !errors.Is(p, tc.is) {
					t.Errorf("the problem at %q does not wrap %v", tc.path, tc.is)
				}
				msg = p.Msg
			}
			for _, s := range tc.contains {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q does not contain %q", msg, s)
				}
			}
		})
	}
}

func capErr(e *capacity.Engine, r capacity.Request) error { _, err := e.Capacity(r); return err }

func first[T any](_ T, err error) error { return err }

func second[T, U any](_ T, _ U, err error) error { return err }
