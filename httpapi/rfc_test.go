package httpapi_test

import (
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/httpapi"
)

// TestMalformedQuery: a query that does not parse — a bad percent escape,
// a semicolon — is a 400 naming the parameter on every operation, never a
// 200 with the pair silently dropped (which lost the filter and answered
// unfiltered data).
func TestMalformedQuery(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	targets := []string{"/appointment-assignments", "/technician-shifts", "/gps-pings", "/capacity-adjustments",
		"/appointments", "/technicians", "/zones", "/business-hours"}
	for _, target := range targets {
		for _, tt := range []struct{ query, field string }{
			{"technicianId=10%1", "technicianId"},
			{"technicianId=101;", "technicianId"},
			{"pageSize=1;technicianId=101", "pageSize"},
			{"page=%zz", "page"},
			{"%zz=1", "$query"},
			{"page=1&ids=1;2", "ids"},
		} {
			rec := f.request("GET", api(target)+"?"+tt.query, h, "")
			p := checkProblem(t, rec, 400)
			errs := errorsOf(t, p)
			if _, ok := errs[tt.field]; !ok {
				t.Errorf("GET %s?%s: errors %v do not name %s", target, tt.query, errs, tt.field)
			}
			if len(errs) != 1 {
				t.Errorf("GET %s?%s: errors %v: want only the bad pair's", target, tt.query, errs)
			}
		}
	}
	// The same on a POST (which takes no query) and the token endpoint is
	// untouched (a form body, not a query).
	rec := f.request("POST", api("/capacity")+"?a=%zz", map[string]string{"Authorization": h["Authorization"], "ST-App-Key": h["ST-App-Key"], "Content-Type": "application/json"},
		`{"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T16:00:00-07:00"}`)
	if _, ok := errorsOf(t, checkProblem(t, rec, 400))["a"]; !ok {
		t.Errorf("POST /capacity?a=%%zz: %s", rec.Body)
	}
	// Escapes that decode still work, and an empty pair is nothing.
	for _, q := range []string{"technicianId=%31%30%31", "page=1&&pageSize=5", "technicianId=101&"} {
		if rec := f.request("GET", api("/appointment-assignments")+"?"+q, h, ""); rec.Code != 200 {
			t.Errorf("GET ?%s: %d %s", q, rec.Code, rec.Body)
		}
	}
}

// TestNonPositiveIDFilters: every list filter that takes an id refuses
// zero and negative ids with the same 400 naming the parameter (an empty
// 200 hid the mistake).
func TestNonPositiveIDFilters(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	for _, tt := range []struct{ target, field string }{
		{"/appointment-assignments?technicianId=0", "technicianId"},
		{"/appointment-assignments?technicianId=-1", "technicianId"},
		{"/gps-pings?technicianId=0&fromUtc=2027-03-09T00:00:00Z&toUtc=2027-03-10T00:00:00Z", "technicianId"},
		{"/gps-pings?technicianId=-1&fromUtc=2027-03-09T00:00:00Z&toUtc=2027-03-10T00:00:00Z", "technicianId"},
		{"/capacity-adjustments?businessUnitId=0", "businessUnitId"},
		{"/capacity-adjustments?businessUnitGroupId=-1", "businessUnitGroupId"},
		{"/appointments?ids=0", "ids[0]"},
		{"/technicians?ids=1,-1", "ids[1]"},
	} {
		p := checkProblem(t, f.request("GET", api(tt.target), h, ""), 400)
		msgs, ok := errorsOf(t, p)[tt.field].([]any)
		if !ok || len(msgs) != 1 || !strings.Contains(msgs[0].(string), "is not a positive integer") {
			t.Errorf("GET %s: errors %v: want one \"is not a positive integer\" at %s", tt.target, errorsOf(t, p), tt.field)
		}
	}
}
