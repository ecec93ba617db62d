package validate_test

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/opendispatch/dispatch/validate"
)

// percentages tags its fields validate:"nonzero": 0 there means "left
// out", so a 0 given in the text is refused, not read as the default.
type percentages struct {
	Ideal   int    `json:"ideal,omitempty" validate:"nonzero"`
	Unit    int64  `json:"unit,omitempty" validate:"nonzero"`
	Small   uint8  `json:"small,omitempty" validate:"nonzero"`
	Reserve int    `json:"reserve,omitempty"` // 0 is a value like any other
	Items   []item `json:"items,omitempty"`
}

type item struct {
	Unit int64 `json:"unit,omitempty" validate:"nonzero"`
}

func TestNonzero(t *testing.T) {
	const msg = ": 0 is not allowed in %s (it would read as the member left out): give a value, or leave the member out"
	for _, c := range []struct{ in, want string }{
		{`{}`, ""},
		{`{"ideal": 85, "unit": -3, "small": 1, "reserve": 0}`, ""},
		{`{"ideal": null, "unit": null}`, ""}, // null is the zero value everywhere
		{`{"ideal": 0}`, "ideal" + strings.ReplaceAll(msg, "%s", "ideal")},
		{`{"ideal": -0}`, "ideal" + strings.ReplaceAll(msg, "%s", "ideal")},
		{`{"small": 0}`, "small" + strings.ReplaceAll(msg, "%s", "small")},
		{`{"items": [{"unit": 4}, {"unit": 0}]}`, "items[1].unit" + strings.ReplaceAll(msg, "%s", "unit")},
		// A value that is no integer is one problem, not two.
		{`{"ideal": 1.5}`, "ideal: want an integer, got the number 1.5"},
		{`{"ideal": "0"}`, `ideal: want an integer, got the string "0"`},
		{`{"ideal": 0, "ideal": 0}`, `ideal` + strings.ReplaceAll(msg, "%s", "ideal") + "\n" + `ideal: duplicate key "ideal"` + "\nideal" + strings.ReplaceAll(msg, "%s", "ideal")},
	} {
		t.Run(c.in, func(t *testing.T) {
			for _, read := range []bool{false, true} {
				var v percentages
				var err error
				if read {
					err = validate.UnmarshalRead(iotest.OneByteReader(strings.NewReader(c.in)), &v)
				} else {
					err = validate.Unmarshal([]byte(c.in), &v)
				}
				got := ""
				if err != nil {
					got = err.Error()
					if !errors.Is(err, validate.ErrJSON) {
						t.Errorf("error does not wrap ErrJSON")
					}
				}
				if got != c.want {
					t.Errorf("read=%v:\n got %q\nwant %q", read, got, c.want)
				}
			}
		})
	}
}

// TestNonzeroMisuse: the tag on anything but an integer, or with another
// value, is a programmer error, which panics when the type is first used.
func TestNonzeroMisuse(t *testing.T) {
	type onString struct {
		S string `json:"s" validate:"nonzero"`
	}
	type unknown struct {
		N int `json:"n" validate:"positive"`
	}
	for _, v := range []any{new(onString), new(unknown)} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "validate:") {
					t.Errorf("%T: recovered %v, want a panic naming the tag", v, r)
				}
			}()
			validate.Unmarshal([]byte(`{}`), v)
		}()
	}
}
