package capacity_test

import (
	"errors"
	"fmt"
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

// TestParseRequestManyProblems: a 1 MiB body of ninety thousand unknown
// members lists validate.MaxProblems of them and counts the rest. Each
// listed problem carries its path and message: before the cap, one such
// body's error held 4.8 million characters (40 MB allocated), and 48 at
// once took a server from 20 MB to 1.3 GB.
func TestParseRequestManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T16:00:00-07:00"`)
	n := 0
	for ; b.Len() < 1<<20-20; n++ {
		fmt.Fprintf(&b, `,"m%d":1`, n)
	}
	b.WriteString("}")
	_, err := capacity.ParseRequest([]byte(b.String()))
	var list validate.Errors
	if !errors.As(err, &list) {
		t.Fatalf("got %v, want validate.Errors", err)
	}
	if len(list) != validate.MaxProblems+1 || list.Unlisted() != n-validate.MaxProblems {
		t.Errorf("%d unknown members: %d problems listed, %d unlisted; want %d and %d", n, len(list), list.Unlisted(), validate.MaxProblems+1, n-validate.MaxProblems)
	}
	if !errors.Is(err, capacity.ErrInvalid) || !errors.Is(err, validate.ErrJSON) {
		t.Errorf("errors.Is: ErrInvalid %v, ErrJSON %v; want both", errors.Is(err, capacity.ErrInvalid), errors.Is(err, validate.ErrJSON))
	}
	if size := len(err.Error()); size > 200_000 {
		t.Errorf("the error's text is %d bytes, want at most 200,000", size)
	}
}
