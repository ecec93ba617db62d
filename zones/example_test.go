package zones_test

import (
	"fmt"

	"github.com/opendispatch/dispatch/zones"
)

func ExampleDirectory_LookupZip() {
	d, err := zones.New([]zones.Zone{
		{ID: 1, Name: "Denver Central", Zips: []string{"80202", "80203"}, Cities: []string{"Denver"}},
		{ID: 2, Name: "Aurora", Zips: []string{"80010"}, Cities: []string{"Aurora"}},
		{ID: 3, Name: "Toronto Downtown", Zips: []string{"M5V"}},
		{ID: 4, Name: "CN Tower", Zips: []string{"M5V 3L9"}},
		{ID: 5, Name: "Westminster", Zips: []string{"SW1A"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, code := range []string{"80203-4410", "M5V 2T6", "m5v 3l9", "SW1A 1AA", "2000"} {
		ids, _ := d.LookupZip(code)
		fmt.Println(code, ids)
	}
	fmt.Println(d.LookupCity("  aurora"))
	_, err = d.LookupZip("80202/1")
	fmt.Println(err)
	// Output:
	// 80203-4410 [1]
	// M5V 2T6 [3]
	// m5v 3l9 [4]
	// SW1A 1AA [5]
	// 2000 []
	// [2]
	// zones: malformed postal code "80202/1" (want 2 to 10 letters or digits, spaces and hyphens aside)
}

func ExampleNormalizeZip() {
	for _, s := range []string{"sw1a 1aa", "80202-1234", "1011 AB", "8020X!"} {
		fmt.Println(zones.NormalizeZip(s))
	}
	// Output:
	// SW1A1AA true
	// 802021234 true
	// 1011AB true
	//  false
}
