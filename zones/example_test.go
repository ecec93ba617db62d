package zones_test

import (
	"fmt"

	"github.com/opendispatch/dispatch/zones"
)

func ExampleDirectory_LookupZip() {
	d, err := zones.New([]zones.Zone{
		{ID: 1, Name: "Denver Central", Zips: []string{"80202", "80203"}, Cities: []string{"Denver"}},
		{ID: 2, Name: "Aurora", Zips: []string{"80010"}, Cities: []string{"Aurora"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ids, _ := d.LookupZip("80203-4410")
	fmt.Println(ids, d.LookupCity("  aurora"))
	// Output: [1] [2]
}
