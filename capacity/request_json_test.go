package capacity_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/validate"
)

// TestParseRequestStrict: keys match exactly, a duplicate key is an
// error (a second "endsOnOrBefore" would silently replace the first), and
// every problem of the body is reported at once, naming its field.
func TestParseRequestStrict(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`{"startsOnOrAfter":"2027-03-09T00:00:00Z","endsOnOrBefore":"2027-03-10T00:00:00Z","endsOnOrBefore":"2027-04-10T00:00:00Z"}`,
			[]string{`endsOnOrBefore: capacity: request: duplicate key "endsOnOrBefore"`}},
		{`{"StartsOnOrAfter":"2027-03-09T00:00:00Z","endsOnOrBefore":"2027-03-10T00:00:00Z","JobTypeId":3}`, []string{
			`StartsOnOrAfter: capacity: request: unknown field "StartsOnOrAfter"`,
			`JobTypeId: capacity: request: unknown field "JobTypeId"`,
		}},
		{`{"startsOnOrAfter":1,"endsOnOrBefore":"2027-03-10T00:00:00Z","businessUnitIds":[1,"2",3.5],"skillBasedAvailability":"yes","zip":80202}`, []string{
			`startsOnOrAfter: capacity: request: startsOnOrAfter must be a string, not the number 1`,
			`businessUnitIds[1]: capacity: request: businessUnitIds[1] must be an integer, not the string "2"`,
			`businessUnitIds[2]: capacity: request: businessUnitIds[2] must be an integer, not the number 3.5`,
			`skillBasedAvailability: capacity: request: skillBasedAvailability must be true or false, not the string "yes"`,
			`zip: capacity: request: zip must be a string, not the number 80202`,
		}},
		{`[]`, []string{`capacity: request: the request must be an object, not an array`}},
		{` `, []string{`capacity: request: empty body`}},
	}
	for _, tt := range tests {
		_, err := capacity.ParseRequest([]byte(tt.in))
		if err == nil {
			t.Errorf("ParseRequest(%s) accepted it", tt.in)
			continue
		}
		if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
			t.Errorf("ParseRequest(%s) (-want +got):\n%s", tt.in, diff)
		}
		if !errors.Is(err, capacity.ErrInvalid) || !errors.Is(err, validate.ErrJSON) {
			t.Errorf("ParseRequest(%s): %v does not wrap ErrInvalid and validate.ErrJSON", tt.in, err)
		}
	}
}
