package httpapi_test

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/httpapi"
)

// TestProblemTitles: RFC 9457 §3.1.3 — the title of a problem type does
// not change from occurrence to occurrence: it is the status's reason
// phrase, whatever went wrong, and the particulars are in detail and
// errors; errors is left out when it would be empty, and the tenant 403
// names the tenant parameter.
func TestProblemTitles(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: 1})
	tok := f.token(t, "alpha", "alpha-secret")
	tests := []struct {
		name          string
		rec           func() *http.Response
		status        int
		detail, field string
		errorsOmitted bool
	}{
		{"no token", func() *http.Response { return f.call("GET", api("/zones"), "", "", "").Result() }, 401, "missing bearer token", "Authorization", false},
		{"unknown token", func() *http.Response { return f.call("GET", api("/zones"), "nope", "", "").Result() }, 401, "unknown or expired bearer token", "Authorization", false},
		{"wrong app key", func() *http.Response { return f.call("GET", api("/zones"), tok, "wrong-key", "").Result() }, 403, "missing or wrong ST-App-Key", "ST-App-Key", false},
		{"another tenant", func() *http.Response {
			return f.call("GET", "/dispatch/v2/tenant/1111111/zones", tok, "alpha-app-key", "").Result()
		}, 403, "tenant not reachable", "tenant", false},
		{"no such path", func() *http.Response { return f.call("GET", api("/nothing"), tok, "alpha-app-key", "").Result() }, 404, "no such operation", "$", false},
		{"wrong method", func() *http.Response { return f.call("PUT", api("/zones"), tok, "alpha-app-key", "").Result() }, 405, "wrong method for this path", "$", false},
		{"bad input", func() *http.Response {
			return f.call("GET", api("/technician-shifts?page=0"), tok, "alpha-app-key", "").Result()
		}, 400, "", "page", false},
		{"rate limit", func() *http.Response { return f.call("GET", api("/zones"), tok, "alpha-app-key", "").Result() }, 429, "rate limit exceeded", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.rec()
			var p map[string]any
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.status || p["title"] != httpapi.Title(tt.status) {
				t.Errorf("status %d title %q, want %d and %q: %v", res.StatusCode, p["title"], tt.status, httpapi.Title(tt.status), p)
			}
			if d, _ := p["detail"].(string); !strings.HasPrefix(d, tt.detail) || (tt.detail == "" && d != "") {
				t.Errorf("detail %q, want it to start with %q", d, tt.detail)
			}
			errs, present := p["errors"]
			switch {
			case tt.errorsOmitted && present:
				t.Errorf("errors %v, want it left out", errs)
			case !tt.errorsOmitted && len(messages(p, tt.field)) == 0:
				t.Errorf("errors %v do not name %s", errs, tt.field)
			}
		})
	}
}

// TestQueryStrictness: every operation refuses query parameters it does
// not take, those that take none included; an empty value and a "+" sign
// are not numbers (DESIGN §6).
func TestQueryStrictness(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	for _, tt := range []struct{ method, target, body, field string }{
		{"GET", "/zones?x=1", "", "x"},
		{"GET", "/business-hours?b=2&a=1", "", "a"},
		{"GET", "/zones?x", "", "x"},
		{"POST", "/capacity?jobTypeId=101", `{"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T16:00:00-07:00"}`, "jobTypeId"},
		{"GET", "/technician-shifts?pageSize=", "", "pageSize"},
		{"GET", "/technician-shifts?page=", "", "page"},
		{"GET", "/appointment-assignments?page=+1", "", "page"},
		{"GET", "/appointment-assignments?technicianId=+101", "", "technicianId"},
		{"GET", "/appointment-assignments?technicianId=", "", "technicianId"},
		{"GET", "/technician-shifts?startsOnOrAfter=", "", "startsOnOrAfter"},
		{"DELETE", "/technician-shifts/+1", "", "id"},
	} {
		for _, prefix := range []string{"/dispatch/v2/tenant/" + demoTenant, "/dispatch/v2/" + demoTenant} {
			hh := map[string]string{"Authorization": h["Authorization"], "ST-App-Key": h["ST-App-Key"]}
			if tt.body != "" {
				hh["Content-Type"] = "application/json"
			}
			p := checkProblem(t, f.request(tt.method, prefix+tt.target, hh, tt.body), 400)
			if _, ok := errorsOf(t, p)[tt.field]; !ok {
				t.Errorf("%s %s: problem does not name %s: %v", tt.method, tt.target, tt.field, p)
			}
		}
	}
	// Without a query, and with an empty one, the same operations answer.
	for _, target := range []string{"/zones", "/zones?", "/business-hours"} {
		if rec := f.request("GET", api(target), h, ""); rec.Code != 200 {
			t.Errorf("GET %s: %d %s", target, rec.Code, rec.Body)
		}
	}
}

// TestUncleanPath: a path ServeMux would redirect (a ".." or "." segment,
// an empty segment, a trailing slash) is a 404 problem document, not a
// 307 with an HTML body.
func TestUncleanPath(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	for _, target := range []string{
		"/dispatch/v2/" + demoTenant + "/../" + demoTenant + "/zones",
		"/dispatch/v2/" + demoTenant + "/./zones",
		"/dispatch/v2//" + demoTenant + "/zones",
		"/dispatch/v2/" + demoTenant + "/zones/",
		"/connect/../connect/token",
	} {
		// httptest.NewRequest keeps the path as given, like curl --path-as-is.
		rec := f.request("GET", target, h, "")
		p := checkProblem(t, rec, 404)
		if loc := rec.Header().Get("Location"); loc != "" {
			t.Errorf("%s: Location %q", target, loc)
		}
		if msgs := messages(p, "$"); len(msgs) != 1 || !strings.Contains(msgs[0], "segment") {
			t.Errorf("%s: %v", target, p)
		}
	}
}

// TestNoOpShiftPatch: a PATCH that changes nothing answers the shift as
// it is, modifiedOn included; one that changes something moves it.
func TestNoOpShiftPatch(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	get := func() map[string]any {
		rec := f.request("GET", api("/technician-shifts?pageSize=1"), h, "")
		var page struct{ Data []map[string]any }
		json.Unmarshal(rec.Body.Bytes(), &page)
		if len(page.Data) != 1 {
			t.Fatalf("shifts: %s", rec.Body)
		}
		return page.Data[0]
	}
	before := get()
	id := int64(before["id"].(float64))
	f.clock.advance(time.Minute)
	for _, body := range []string{`{}`, `{"title": ` + mustJSON(before["title"]) + `, "active": true}`} {
		rec := f.request("PATCH", api("/technician-shifts/"+itoa(id)), h, body)
		var got map[string]any
		json.Unmarshal(rec.Body.Bytes(), &got)
		if rec.Code != 200 || got["modifiedOn"] != before["modifiedOn"] {
			t.Errorf("PATCH %s: %d, modifiedOn %v, want 200 and %v", body, rec.Code, got["modifiedOn"], before["modifiedOn"])
		}
	}
	if after := get(); after["modifiedOn"] != before["modifiedOn"] {
		t.Errorf("stored modifiedOn %v after no-op PATCHes, want %v", after["modifiedOn"], before["modifiedOn"])
	}
	rec := f.request("PATCH", api("/technician-shifts/"+itoa(id)), h, `{"title": "changed"}`)
	var got map[string]any
	json.Unmarshal(rec.Body.Bytes(), &got)
	if rec.Code != 200 || got["modifiedOn"] == before["modifiedOn"] {
		t.Errorf("a real PATCH: %d, modifiedOn %v unchanged", rec.Code, got["modifiedOn"])
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// messages returns the messages a problem document lists for field.
func messages(p map[string]any, field string) []string {
	errs, _ := p["errors"].(map[string]any)
	list, _ := errs[field].([]any)
	var out []string
	for _, m := range list {
		s, _ := m.(string)
		out = append(out, s)
	}
	return out
}

// TestConfigRefused: New refuses a token lifetime that expires_in would
// announce as 0 or less, and a NaN rate limit.
func TestConfigRefused(t *testing.T) {
	for _, cfg := range []httpapi.Config{{TokenTTL: -5 * time.Minute}, {TokenTTL: 500 * time.Millisecond}, {RateLimit: math.NaN()}} {
		if srv, err := httpapi.New(cfg); err == nil {
			srv.Close()
			t.Errorf("New(%+v) accepted", cfg)
		} else if !strings.HasPrefix(err.Error(), "httpapi: ") {
			t.Errorf("New(%+v): %v", cfg, err)
		}
	}
}
