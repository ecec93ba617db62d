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
)

// TestClockOutsideYears: a clock that reads the zero time or a time
// outside the years 1900–2199 (a mock left unset, a bad conversion) stamps
// nothing: every change that would stamp is refused with an error wrapping
// ErrNoClock, and the engine's Data still loads. Before, the engine stamped
// the records, and its saved state no longer loaded.
func TestClockOutsideYears(t *testing.T) {
	tue := func(s string) time.Time { return denver(t, "2027-03-09T"+s) }
	for _, reading := range []time.Time{{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Unix(math.MaxInt64, 0), time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)} {
		t.Run(reading.Format(time.RFC3339), func(t *testing.T) {
			e, err := capacity.New(demoData(t), capacity.WithClock(func() time.Time { return reading }))
			if err != nil {
				t.Fatal(err)
			}
			before := e.Data()
			changes := map[string]func() error{
				"assign":   func() error { _, _, err := e.Assign(5003, []int64{101}, nil); return err },
				"unassign": func() error { _, err := e.Unassign(5001, []int64{101}, nil); return err },
				"cancel":   func() error { _, err := e.CancelAppointment(5001); return err },
				"create shifts": func() error {
					_, err := e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.Normal, Start: tue("18:00"), End: tue("19:00")})
					return err
				},
				"update shift": func() error {
					sh, _ := e.Shifts().Get(1)
					_, err := e.UpdateShift(1, sh.Change())
					return err
				},
				"deactivate shift": func() error { _, err := e.DeactivateShift(1); return err },
				"add adjustment": func() error {
					return e.AddAdjustment(capacity.Adjustment{ID: 99, Date: hours.DateOf(2027, 3, 9), From: 8 * 60, To: 10 * 60, Minutes: 30})
				},
			}
			for name, change := range changes {
				err := change()
				if !errors.Is(err, capacity.ErrNoClock) || !strings.Contains(err.Error(), "1900–2199") {
					t.Errorf("%s: got %v, want an ErrNoClock naming the years", name, err)
				}
			}
			sameAnswers(t, "after refused changes", answersOf(t, newEngine(t, before), nil), answersOf(t, e, nil))
			if _, err := capacity.New(e.Data()); err != nil {
				t.Errorf("the engine's Data does not load: %v", err)
			}
		})
	}
	// The shift store on its own refuses as the engine does.
	st, err := shifts.NewStore(nil, func() time.Time { return time.Time{} })
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Create(shifts.CreateRequest{TechnicianIDs: []int64{1}, Type: shifts.Normal, Start: tue("08:00"), End: tue("09:00")})
	if !errors.Is(err, shifts.ErrNoClock) || st.Len() != 0 {
		t.Errorf("store with a zero clock: got %v and %d shifts, want ErrNoClock and none", err, st.Len())
	}
}

// TestMaxRangeBelowASecond: WithMaxRange of zero or less, which refused
// every request, keeps the default.
func TestMaxRangeBelowASecond(t *testing.T) {
	for _, d := range []time.Duration{math.MinInt64, -time.Hour, 0, time.Second - 1} {
		e, err := capacity.New(demoData(t), capacity.WithMaxRange(d))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Capacity(capacity.Request{StartsOnOrAfter: denver(t, "2027-03-08"), EndsOnOrBefore: denver(t, "2027-03-22")}); err != nil {
			t.Errorf("WithMaxRange(%v): a fortnight: %v", d, err)
		}
	}
	e, err := capacity.New(demoData(t), capacity.WithMaxRange(time.Duration(math.MaxInt64)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Capacity(capacity.Request{StartsOnOrAfter: time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), EndsOnOrBefore: denver(t, "2027-03-22")})
	if !errors.Is(err, capacity.ErrInvalid) {
		t.Errorf("WithMaxRange(max): a range from 1800: %v, want ErrInvalid", err)
	}
}
