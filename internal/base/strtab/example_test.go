package strtab_test

import (
	"fmt"

	"github.com/opendispatch/dispatch/internal/base/strtab"
)

func ExampleTable() {
	var zips strtab.Table
	a := zips.Add("80202")
	b := zips.Add("80301")
	c := zips.Add("80202")
	fmt.Println(a, b, c, zips.At(b))
	// Output: 1 2 1 80301
}
