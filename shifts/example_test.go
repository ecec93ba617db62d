package shifts_test

import (
	"fmt"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

// Shifts are created with time.Time bounds in any location; the store
// returns them in its own (the tenant's zone), as a dispatcher reads them.
func ExampleStore_Create() {
	denver, _ := time.LoadLocation("America/Denver")
	now := func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, denver) }
	s, _ := shifts.NewStore(denver, now)
	start := time.Date(2027, 3, 9, 8, 0, 0, 0, denver)
	created, err := s.Create(shifts.CreateRequest{
		TechnicianIDs: []int64{101, 102},
		Type:          shifts.Normal,
		Title:         "Day",
		Start:         start,
		End:           start.Add(9 * time.Hour),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, sh := range created {
		fmt.Println(sh.ID, sh.TechnicianID, sh.Type, sh.Start.Format(time.RFC3339), sh.End.Sub(sh.Start), sh.IsActive())
	}
	// Set is the low-level interval query, in Unix seconds.
	fmt.Println(s.Set(101, shifts.Normal, start.Unix(), start.Add(4*time.Hour).Unix()))
	// Output:
	// 1 101 Normal 2027-03-09T08:00:00-07:00 9h0m0s true
	// 2 102 Normal 2027-03-09T08:00:00-07:00 9h0m0s true
	// {[1804604400, 1804618800)}
}

// A shift is changed by editing its fields as a Change: here it ends an
// hour later. Deleting returns what was deleted.
func ExampleStore_Update() {
	denver, _ := time.LoadLocation("America/Denver")
	now := func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, denver) }
	start := time.Date(2027, 3, 9, 8, 0, 0, 0, denver)
	s, _ := shifts.NewStore(denver, now, shifts.Shift{ID: 1, TechnicianID: 101, Type: shifts.Normal, Title: "Day", Start: start, End: start.Add(8 * time.Hour)})
	sh, _ := s.Get(1)
	c := sh.Change()
	c.End = c.End.Add(time.Hour)
	sh, err := s.Update(1, c)
	fmt.Println(sh.End.Format(time.Kitchen), sh.IsActive(), sh.ModifiedOn.Format(time.DateTime), err)
	c.Inactive = true
	sh, _ = s.Update(1, c)
	fmt.Println(sh.IsActive(), s.Set(101, shifts.Normal, start.Unix(), start.Add(9*time.Hour).Unix()))
	deleted, _ := s.Delete(1)
	fmt.Println(deleted.ID, s.Len())
	_, err = s.Delete(1)
	fmt.Println(err)
	// Output:
	// 5:00PM true 2027-03-01 09:00:00 <nil>
	// false {}
	// 1 0
	// id: shifts: unknown shift 1
}

// A store built without a clock refuses changes rather than stamping them
// with a made-up time.
func ExampleErrNoClock() {
	s, _ := shifts.NewStore(time.UTC, nil)
	start := time.Date(2027, 3, 9, 15, 0, 0, 0, time.UTC)
	_, err := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.Normal, Start: start, End: start.Add(time.Hour)})
	fmt.Println(err)
	// Output:
	// shifts: no clock to stamp the change: give NewStore a clock such as time.Now
}

// A weekly rule built by hand: Monday and Thursday 08:00–17:00 until the
// 18th, across the spring-forward change of the 14th — the hours stay
// 08:00–17:00 local. Interval 0 means every week, as an absent
// repeatInterval does; a rule without an end date is refused, saying so.
func ExampleExpand() {
	denver, _ := time.LoadLocation("America/Denver")
	first := shifts.Shift{TechnicianID: 101, Type: shifts.Normal,
		Start: time.Date(2027, 3, 8, 8, 0, 0, 0, denver), End: time.Date(2027, 3, 8, 17, 0, 0, 0, denver)}
	rule := shifts.Repeat{Type: shifts.Weekly, Days: []time.Weekday{time.Monday, time.Thursday}, EndDate: hours.MustParseDate("2027-03-18")}
	week, err := shifts.Expand(denver, first, rule, first.Start, first.Start.AddDate(0, 1, 0))
	for _, sh := range week {
		fmt.Println(sh.Start.Format("Mon 01-02 15:04 -07:00"), "to", sh.End.Format("15:04"))
	}
	fmt.Println(err)

	_, err = shifts.Expand(denver, first, shifts.Repeat{Type: shifts.Daily}, first.Start, first.Start.AddDate(0, 1, 0))
	fmt.Println(err)
	// Output:
	// Mon 03-08 08:00 -07:00 to 17:00
	// Thu 03-11 08:00 -07:00 to 17:00
	// Mon 03-15 08:00 -06:00 to 17:00
	// Thu 03-18 08:00 -06:00 to 17:00
	// <nil>
	// repeatEndDate: shifts: repeat end date is missing: Daily needs one, so that expansion is finite (the zero hours.Date, 1970-01-01, is taken as missing)
}

// AppendSpans lists every active shift of a type as Unix seconds: the
// technicians in id order, each one's shifts by start.
func ExampleStore_AppendSpans() {
	start := time.Date(2027, 3, 9, 8, 0, 0, 0, time.UTC)
	s, _ := shifts.NewStore(time.UTC, nil,
		shifts.Shift{ID: 1, TechnicianID: 102, Type: shifts.Normal, Start: start, End: start.Add(4 * time.Hour)},
		shifts.Shift{ID: 2, TechnicianID: 101, Type: shifts.Normal, Start: start.Add(24 * time.Hour), End: start.Add(32 * time.Hour)},
		shifts.Shift{ID: 5, TechnicianID: 101, Type: shifts.Normal, Start: start, End: start.Add(8 * time.Hour)},
		shifts.Shift{ID: 3, TechnicianID: 101, Type: shifts.Normal, Start: start, End: start.Add(time.Hour), Inactive: true},
		shifts.Shift{ID: 4, TechnicianID: 101, Type: shifts.TimeOff, Start: start, End: start.Add(time.Hour)})
	for _, sp := range s.AppendSpans(nil, shifts.Normal) {
		fmt.Println(time.Unix(sp.Start, 0).UTC().Format(time.DateTime), time.Duration(sp.End-sp.Start)*time.Second)
	}
	// Output:
	// 2027-03-09 08:00:00 8h0m0s
	// 2027-03-10 08:00:00 8h0m0s
	// 2027-03-09 08:00:00 4h0m0s
}
