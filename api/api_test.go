package api_test

import (
	"net/url"
	"strings"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/tenant"
)

func demo(t *testing.T) api.Service {
	t.Helper()
	tn, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	return api.Service{T: tn}
}

// wantBad checks err is a 400 naming field with a message containing
// fragment.
func wantBad(t *testing.T, name string, err error, status int, field, fragment string) {
	t.Helper()
	if got := api.Status(err); got != status {
		t.Errorf("%s: status %d (%v), want %d", name, got, err, status)
		return
	}
	msgs := api.Fields(err)[field]
	if len(msgs) == 0 || !strings.Contains(strings.Join(msgs, "\n"), fragment) {
		t.Errorf("%s: problems %v: want %q under %q", name, api.Fields(err), fragment, field)
	}
}

// TestQueryParameters: page and pageSize per DESIGN §6, date-time filters
// read with hours.ParseInstant, repeated and unknown parameters.
func TestQueryParameters(t *testing.T) {
	svc := demo(t)
	tests := []struct {
		name     string
		query    string
		field    string
		fragment string
	}{
		{"page 0", "page=0", "page", "at least 1"},
		{"pageSize 0", "pageSize=0", "pageSize", "at least 1"},
		{"page negative", "page=-1", "page", "at least 1"},
		{"page not a number", "page=two", "page", "not an integer"},
		{"pageSize empty string is absent, but 1e3 is not a number", "pageSize=1e3", "pageSize", "not an integer"},
		{"pageSize above 500", "pageSize=501", "pageSize", "maximum 500"},
		{"page past int64", "page=9223372036854775808", "page", "too large"},
		{"page offset overflows", "pageSize=500&page=9223372036854775807", "page", "too large"},
		{"page offset overflows at the default size", "page=4611686018427387904", "page", "too large"},
		{"page repeated", "page=1&page=2", "page", "given 2 times"},
		{"unknown parameter", "colour=red", "colour", "unknown query parameter"},
		{"filter in year 1", "startsOnOrAfter=0001-01-01T00:00:00Z", "startsOnOrAfter", "1900–2199"},
		{"filter in 2200", "endsOnOrBefore=2200-01-01T00:00:00Z", "endsOnOrBefore", "1900–2199"},
		{"filter not RFC 3339", "startsOnOrAfter=2027-03-09", "startsOnOrAfter", "not RFC 3339"},
		{"range backwards", "startsOnOrAfter=2027-03-10T00:00:00Z&endsOnOrBefore=2027-03-09T00:00:00Z", "endsOnOrBefore", "not after startsOnOrAfter"},
		{"range empty", "startsOnOrAfter=2027-03-10T00:00:00Z&endsOnOrBefore=2027-03-10T00:00:00Z", "endsOnOrBefore", "not after startsOnOrAfter"},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		_, err := svc.ListShifts(v)
		wantBad(t, "shifts "+tt.name, err, 400, tt.field, tt.fragment)
	}
	for _, tt := range []struct{ query, field, fragment string }{
		{"page=0", "page", "at least 1"},
		{"pageSize=0", "pageSize", "at least 1"},
		{"page=4611686018427387904", "page", "too large"},
		{"modifiedOnOrAfter=0001-01-01T00:00:00Z", "modifiedOnOrAfter", "1900–2199"},
		{"technicianId=x", "technicianId", "not a positive integer"},
		{"technicianId=0", "technicianId", "not a positive integer"},
		{"startsOnOrAfter=x", "startsOnOrAfter", "unknown query parameter"},
	} {
		v, _ := url.ParseQuery(tt.query)
		_, err := svc.ListAssignments(v)
		wantBad(t, "assignments "+tt.query, err, 400, tt.field, tt.fragment)
	}
	for _, tt := range []struct{ query, field, fragment string }{
		{"technicianId=101&fromUtc=0001-01-01T00:00:00Z&toUtc=2027-03-09T20:00:00Z", "fromUtc", "1900–2199"},
		{"technicianId=101&fromUtc=2027-03-09T14:00:00Z&toUtc=9999-12-31T23:59:59Z", "toUtc", "1900–2199"},
		{"technicianId=&fromUtc=2027-03-09T14:00:00Z&toUtc=2027-03-09T20:00:00Z", "technicianId", "required"},
		{"technicianId=-3&fromUtc=2027-03-09T14:00:00Z&toUtc=2027-03-09T20:00:00Z", "technicianId", "positive"},
		{"technicianId=101&fromUtc=2027-03-09T14:00:00Z", "toUtc", "required"},
		{"technicianId=101&fromUtc=2027-03-09T14:00:00Z&toUtc=2027-03-09T14:00:00Z", "toUtc", "not after"},
	} {
		v, _ := url.ParseQuery(tt.query)
		_, err := svc.GPS(v)
		wantBad(t, "gps "+tt.query, err, 400, tt.field, tt.fragment)
	}
	// Absent page and pageSize still take their defaults.
	p, err := svc.ListShifts(url.Values{})
	if err != nil || p.Page != 1 || p.PageSize != 50 {
		t.Errorf("defaults: %+v %v", p.Page, err)
	}
}

// TestBodies: every body is read strictly (validate.Unmarshal) and every
// date-time with hours.ParseInstant.
func TestBodies(t *testing.T) {
	svc := demo(t)
	shift := func(start string) []byte {
		return []byte(`{"technicianIds":[101],"shiftType":"Normal","title":"x","start":"` + start + `","end":"2027-03-13T14:00:00-07:00"}`)
	}
	_, err := svc.CreateShifts(shift("0001-01-01T08:00:00-07:00"))
	wantBad(t, "shift in year 1", err, 400, "start", "1900–2199")
	_, err = svc.CreateShifts(shift("2027-03-13 08:00"))
	wantBad(t, "shift not RFC 3339", err, 400, "start", "not RFC 3339")
	_, err = svc.CreateShifts([]byte(`{"technicianIds":[101],"shiftType":"Normal","title":"x","start":"2027-03-13T08:00:00-07:00","end":"2027-03-13T14:00:00-07:00","Title":"y"}`))
	wantBad(t, "key in another case", err, 400, "Title", "unknown field")

	capBody := func(from, to string) []byte {
		return []byte(`{"startsOnOrAfter":"` + from + `","endsOnOrBefore":"` + to + `"}`)
	}
	_, err = svc.Capacity(capBody("0001-01-01T00:00:00Z", "2027-03-10T00:00:00-07:00"))
	wantBad(t, "capacity from year 1", err, 400, "startsOnOrAfter", "1900–2199")
	_, err = svc.Capacity(capBody("2027-03-09T00:00:00-07:00", "2200-01-01T00:00:00Z"))
	wantBad(t, "capacity to 2200", err, 400, "endsOnOrBefore", "1900–2199")
	_, err = svc.Capacity([]byte(`{"startsOnOrAfter":"2027-03-09T00:00:00-07:00","startsOnOrAfter":"2027-03-09T00:00:00-07:00","endsOnOrBefore":"2027-03-10T00:00:00-07:00"}`))
	wantBad(t, "capacity duplicate key", err, 400, "startsOnOrAfter", "duplicate key")
	_, err = svc.Capacity([]byte(`{"StartsOnOrAfter":"2027-03-09T00:00:00-07:00","endsOnOrBefore":"2027-03-10T00:00:00-07:00"}`))
	wantBad(t, "capacity key case", err, 400, "StartsOnOrAfter", "unknown field")
	_, err = svc.Capacity([]byte(`{"startsOnOrAfter":"2027-03-09T00:00:00-07:00","endsOnOrBefore":"2027-03-10T00:00:00-07:00","jobTypeId":0}`))
	wantBad(t, "capacity job type 0", err, 400, "jobTypeId", "positive")
	if _, err := svc.Capacity(capBody("2027-03-09T00:00:00-07:00", "2027-03-10T00:00:00-07:00")); err != nil {
		t.Errorf("good capacity body: %v", err)
	}

	_, _, err = svc.Assign([]byte(`{"jobAppointmentId":5001,"jobAppointmentId":5002,"technicianIds":[102]}`), nil)
	wantBad(t, "assign duplicate key", err, 400, "jobAppointmentId", "duplicate key")
	_, _, err = svc.Assign([]byte(`{"jobappointmentid":5001,"technicianIds":[102]}`), nil)
	wantBad(t, "assign key case", err, 400, "jobappointmentid", "unknown field")
	_, _, err = svc.Assign([]byte(`{"jobAppointmentId":5001,"technicianIds":[102, "x"]}`), nil)
	wantBad(t, "assign element type", err, 400, "technicianIds[1]", "want an integer")
	_, _, err = svc.Assign([]byte(``), nil)
	wantBad(t, "empty body", err, 400, "$", "empty")
	_, _, err = svc.Assign([]byte(`{"jobAppointmentId":5001,"technicianIds":[102]} {}`), nil)
	wantBad(t, "trailing data", err, 400, "$", "")
}
