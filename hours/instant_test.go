package hours_test

import (
	"testing"

	"github.com/opendispatch/dispatch/hours"
)

func TestParseInstant(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"2027-03-09T08:00:00-07:00", true},
		{"1900-01-01T00:00:00Z", true},
		{"1899-12-31T23:59:59Z", false},
		{"2199-12-31T23:59:59Z", true},
		{"2200-01-01T00:00:00Z", false},
		{"0001-03-09T08:00:00-07:00", false},
		{"2027-03-09 08:00", false},
	} {
		_, err := hours.ParseInstant(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseInstant(%q) error = %v, want ok=%v", c.in, err, c.ok)
		}
	}
}
