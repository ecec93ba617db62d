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
