package gps_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/gps"
)

func TestRange(t *testing.T) {
	s := gps.NewStore(
		gps.Ping{TechnicianID: 1, Time: 30},
		gps.Ping{TechnicianID: 1, Time: 10},
		gps.Ping{TechnicianID: 2, Time: 20},
		gps.Ping{TechnicianID: 1, Time: 20},
	)
	var got []int64
	for _, p := range s.Range(1, 10, 30) {
		got = append(got, p.Time)
	}
	if fmt.Sprint(got) != "[10 20]" {
		t.Errorf("Range(1, 10, 30) times = %v, want [10 20] (half-open)", got)
	}
	if n := len(s.Range(3, 0, 100)); n != 0 {
		t.Errorf("unknown technician gave %d pings", n)
	}
	if s.Len() != 4 || len(s.All()) != 4 || s.All()[0].Time != 10 {
		t.Errorf("All = %+v", s.All())
	}
}

func TestParseQuery(t *testing.T) {
	q, err := gps.ParseQuery("101", "2027-03-09T14:00:00Z", "2027-03-09T15:00:00Z")
	if err != nil || q.TechnicianID != 101 || q.To-q.From != 3600 {
		t.Fatalf("got %+v, %v", q, err)
	}
	tests := map[[3]string]string{
		{"", "", ""}: "technicianId: gps: technicianId is required\nfromUtc: gps: fromUtc is required\ntoUtc: gps: toUtc is required",
		{"x", "2027-03-09", "2027-03-09T15:00:00Z"}:           "technicianId: gps: technicianId \"x\" is not a positive integer\nfromUtc: gps: fromUtc \"2027-03-09\" is not an RFC 3339 date-time",
		{"1", "2027-03-09T15:00:00Z", "2027-03-09T15:00:00Z"}: "toUtc: gps: toUtc 2027-03-09T15:00:00Z is not after fromUtc 2027-03-09T15:00:00Z",
	}
	for in, want := range tests {
		_, err := gps.ParseQuery(in[0], in[1], in[2])
		if err == nil || err.Error() != want {
			t.Errorf("ParseQuery(%q) = %v\nwant %s", in, err, want)
		}
	}
	if err := (gps.Ping{TechnicianID: 1, Latitude: 91, Heading: 360}).Validate(); err == nil || !strings.Contains(err.Error(), "latitude") || !strings.Contains(err.Error(), "heading") {
		t.Errorf("Validate = %v", err)
	}
}

func ExampleStore_Range() {
	s := gps.NewStore(
		gps.Ping{TechnicianID: 101, Latitude: 39.75, Longitude: -104.99, Time: 1804600800},
		gps.Ping{TechnicianID: 101, Latitude: 39.76, Longitude: -104.98, Speed: 12, Heading: 45, Time: 1804600860},
	)
	for _, p := range s.Range(101, 1804600800, 1804600900) {
		fmt.Println(p.Time, p.Latitude, p.Longitude, p.Speed)
	}
	// Output:
	// 1804600800 39.75 -104.99 0
	// 1804600860 39.76 -104.98 12
}
