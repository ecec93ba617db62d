package validate_test

import (
	"errors"
	"fmt"

	"github.com/opendispatch/dispatch/validate"
)

func ExampleErrors() {
	var errs validate.Errors
	errs.Add(validate.Index("technicians", 3)+".businessUnitId", "unknown business unit %d", 7)
	errs.Add("timeZone", "unknown time zone %q", "Mars/Olympus")
	err := errs.Err()
	fmt.Println(err)

	var list validate.Errors
	fmt.Println(errors.As(err, &list), len(list), list[0].Path)
	// Output:
	// technicians[3].businessUnitId: unknown business unit 7
	// timeZone: unknown time zone "Mars/Olympus"
	// true 2 technicians[3].businessUnitId
}
