package validate_test

import (
	"errors"
	"fmt"
	"strings"

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

func ExampleUnmarshal() {
	type technician struct {
		ID     int64  `json:"id"`
		Name   string `json:"name"`
		Active *bool  `json:"active,omitempty"`
	}
	type file struct {
		Version     int          `json:"version"`
		Technicians []technician `json:"technicians"`
	}
	var f file
	err := validate.Unmarshal([]byte(`{
  "Version": 1,
  "technicians": [
    {"id": 1, "name": "Ana", "active": "yes"},
    {"id": 2.5, "name": "Ben", "name": "Bo", "nickname": "B"}
  ]
}`), &f)
	fmt.Println(err)
	fmt.Println(errors.Is(err, validate.ErrJSON), errors.Is(err, validate.ErrSyntax))
	// Output:
	// Version: unknown field "Version"
	// technicians[0].active: want true or false, got the string "yes"
	// technicians[1].id: want an integer, got the number 2.5
	// technicians[1].name: duplicate key "name"
	// technicians[1].nickname: unknown field "nickname"
	// true false
}

func ExampleUnmarshalRead() {
	var v struct {
		Zips []string `json:"zips"`
	}
	err := validate.UnmarshalRead(strings.NewReader("{\"zips\": [\"80202\",\n  \"M5V 3L9\" \"SW1A 1AA\"]}"), &v)
	fmt.Println(err)
	fmt.Println(errors.Is(err, validate.ErrSyntax), v.Zips)
	// Output:
	// malformed JSON at line 2, column 13: invalid character '"' after array element (want ',' or ']')
	// true [80202 M5V 3L9]
}
