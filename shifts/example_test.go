package shifts_test

import (
	"fmt"
	"time"

	"github.com/opendispatch/dispatch/shifts"
)

func ExampleStore_Create() {
	now := func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC) }
	s, _ := shifts.NewStore(now)
	start := time.Date(2027, 3, 9, 15, 0, 0, 0, time.UTC).Unix() // 08:00 in Denver
	created, err := s.Create(shifts.CreateRequest{
		TechnicianIDs: []int64{101, 102},
		Type:          shifts.Normal,
		Title:         "Day",
		Start:         start,
		End:           start + 9*3600,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, sh := range created {
		fmt.Println(sh.ID, sh.TechnicianID, sh.Type, sh.End-sh.Start)
	}
	fmt.Println(s.Set(101, shifts.Normal, start, start+4*3600))
	// Output:
	// 1 101 Normal 32400
	// 2 102 Normal 32400
	// {[1804604400, 1804618800)}
}

// A shift is changed by editing its fields as a Change: here it ends an
// hour later. Deleting returns what was deleted.
func ExampleStore_Update() {
	now := func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC) }
	start := time.Date(2027, 3, 9, 15, 0, 0, 0, time.UTC).Unix()
	s, _ := shifts.NewStore(now, shifts.Shift{ID: 1, TechnicianID: 101, Type: shifts.Normal, Title: "Day", Start: start, End: start + 8*3600})
	sh, _ := s.Get(1)
	c := sh.Change()
	c.End += 3600
	sh, err := s.Update(1, c)
	fmt.Println(sh.End-sh.Start, sh.IsActive(), time.Unix(sh.ModifiedOn, 0).UTC().Format(time.DateOnly), err)
	c.Inactive = true
	sh, _ = s.Update(1, c)
	fmt.Println(sh.IsActive(), s.Set(101, shifts.Normal, start, start+9*3600))
	deleted, _ := s.Delete(1)
	fmt.Println(deleted.ID, s.Len())
	_, err = s.Delete(1)
	fmt.Println(err)
	// Output:
	// 32400 true 2027-03-01 <nil>
	// false {}
	// 1 0
	// id: shifts: unknown shift 1
}
