package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/opendispatch/dispatch/httpapi"
)

// contract loads the repository's copy of the contract, checks that it is
// a valid OpenAPI document, and serves it at prefix: the contract's
// "/dispatch/v2/{tenant}" or the service's "/dispatch/v2/tenant/{tenant}".
func contract(t testing.TB, prefix string) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("api/openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://localhost" + prefix,
		Variables: map[string]*openapi3.ServerVariable{"tenant": {Default: demoTenant}}}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// problemSchema is the problem document of DESIGN §6.
var problemSchema = func() *openapi3.Schema {
	s := openapi3.NewObjectSchema().
		WithProperty("type", openapi3.NewStringSchema()).
		WithProperty("title", openapi3.NewStringSchema()).
		WithProperty("status", openapi3.NewIntegerSchema()).
		WithProperty("detail", openapi3.NewStringSchema()).
		WithProperty("traceId", openapi3.NewStringSchema()).
		WithProperty("errors", openapi3.NewObjectSchema().WithMinProperties(1).WithAdditionalProperties(openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()))).
		WithProperty("omittedErrors", openapi3.NewIntegerSchema().WithMin(1))
	s.Required = []string{"type", "title", "status", "traceId"}
	s.AdditionalProperties = openapi3.AdditionalProperties{Has: openapi3.Ptr(false)}
	return s
}()

func checkProblem(t *testing.T, rec *httptest.ResponseRecorder, status int) map[string]any {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q", ct)
	}
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("problem is not JSON: %s", rec.Body)
	}
	var generic any
	json.Unmarshal(rec.Body.Bytes(), &generic)
	if err := problemSchema.VisitJSON(generic); err != nil {
		t.Errorf("problem document does not match its schema: %v\n%s", err, rec.Body)
	}
	if int(v["status"].(float64)) != status {
		t.Errorf("problem status %v, want %d", v["status"], status)
	}
	// RFC 9457 §3.1.3: the title does not change from occurrence to
	// occurrence; the particulars are in detail and errors.
	if v["title"] != httpapi.Title(status) {
		t.Errorf("problem title %q, want the reason phrase %q", v["title"], httpapi.Title(status))
	}
	// RFC 9457 §4.2.1: problems that only restate their status are
	// about:blank, not a third party's page about the status.
	if v["type"] != "about:blank" {
		t.Errorf("problem type %q, want about:blank", v["type"])
	}
	return v
}

// TestConformance sends every operation through the handler under both
// route prefixes and validates request and response against the contract
// with openapi3filter.
func TestConformance(t *testing.T) {
	ops := []struct {
		method, path, body string
	}{
		{"GET", "/appointment-assignments?page=1&pageSize=5&technicianId=101&modifiedOnOrAfter=2027-03-01T00:00:00Z", ""},
		{"POST", "/appointment-assignments/assign-technicians", `{"jobAppointmentId": 5001, "technicianIds": [102]}`},
		{"POST", "/appointment-assignments/unassign-technicians", `{"jobAppointmentId": 5001, "technicianIds": [102]}`},
		{"GET", "/technician-shifts?page=2&pageSize=3&startsOnOrAfter=2027-03-15T00:00:00-06:00&endsOnOrBefore=2027-03-20T00:00:00-06:00", ""},
		{"POST", "/technician-shifts", `{"technicianIds": [101, 102], "shiftType": "Normal", "title": "Overtime", "note": "storm", "start": "2027-03-13T08:00:00-07:00", "end": "2027-03-13T14:00:00-07:00"}`},
		{"POST", "/capacity", `{"startsOnOrAfter": "2027-03-09T00:00:00-07:00", "endsOnOrBefore": "2027-03-11T00:00:00-07:00", "businessUnitIds": [1], "jobTypeId": 101, "skillBasedAvailability": true}`},
		{"GET", "/zones", ""},
		{"GET", "/business-hours", ""},
		{"GET", "/gps-pings?technicianId=101&fromUtc=2027-03-09T14:00:00Z&toUtc=2027-03-09T20:00:00Z", ""},
		// The extension.
		{"GET", "/capacity-adjustments?page=1&pageSize=2&from=2027-03-08&to=2027-03-15&businessUnitId=1", ""},
		{"POST", "/capacity-adjustments", `{"date": "2027-03-11", "from": "12:00", "to": "14:00", "businessUnitId": 2, "minutes": -60, "reason": "van in the shop"}`},
		{"POST", "/capacity-adjustments", `{"id": 77, "date": "2027-03-11", "from": "08:00", "to": "10:00", "businessUnitGroupId": 1, "minutes": 30, "reason": "cold snap"}`},
		{"DELETE", "/capacity-adjustments/1", ""},
	}
	for _, prefix := range []string{"/dispatch/v2/tenant/{tenant}", "/dispatch/v2/{tenant}"} {
		f := newFixture(t, httpapi.Config{})
		_, router := contract(t, prefix)
		tok := f.token(t, "alpha", "alpha-secret")
		base := strings.Replace(prefix, "{tenant}", demoTenant, 1)
		for _, op := range ops {
			t.Run(op.method+" "+base+strings.Split(op.path, "?")[0], func(t *testing.T) {
				header := map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key"}
				if op.body != "" {
					header["Content-Type"] = "application/json"
				}
				validate(t, f, router, op.method, base+op.path, header, op.body, http.StatusOK, true)
			})
		}
	}
}

// validate sends one request, checks its status and validates the
// response (and, when checkRequest, the request) against the contract.
func validate(t *testing.T, f *fixture, router routers.Router, method, path string, header map[string]string, body string, status int, checkRequest bool) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://localhost"+path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("the contract has no route for it: %v", err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if checkRequest {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Fatalf("request does not conform: %v", err)
		}
	}
	req.Body = io.NopCloser(strings.NewReader(body))
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("response does not conform: %v\n%.400s", err, rec.Body)
	}
	return rec
}

// TestConformanceErrors validates error responses against the contract's
// default Problem response, under both prefixes: each status the server
// answers for bad requests to a known operation. (A 405 or an unknown
// path has no operation in the contract; TestMethodNotAllowed checks
// those against the problem schema.)
func TestConformanceErrors(t *testing.T) {
	for _, prefix := range []string{"/dispatch/v2/tenant/{tenant}", "/dispatch/v2/{tenant}"} {
		f := newFixture(t, httpapi.Config{RateLimit: 3})
		_, router := contract(t, prefix)
		base := strings.Replace(prefix, "{tenant}", demoTenant, 1)
		tok := f.token(t, "alpha", "alpha-secret")
		beta := f.token(t, "beta", "beta-secret")
		auth := func(tok, ct string) map[string]string {
			h := map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key"}
			if ct != "" {
				h["Content-Type"] = ct
			}
			return h
		}
		cases := []struct {
			name, method, path string
			header             map[string]string
			body               string
			status             int
		}{
			{"page 0", "GET", "/technician-shifts?page=0", auth(tok, ""), "", 400},
			{"bad body", "POST", "/capacity", auth(tok, "application/json"), `{"startsOnOrAfter": 1}`, 400},
			{"no token", "GET", "/zones", map[string]string{}, "", 401},
			{"another client's token", "GET", "/zones", auth(beta, ""), "", 403},
			{"unknown appointment", "POST", "/appointment-assignments/assign-technicians", auth(tok, "application/json"), `{"jobAppointmentId": 1, "technicianIds": [101]}`, 404},
			{"not assigned", "POST", "/appointment-assignments/unassign-technicians", auth(tok, "application/json"), `{"jobAppointmentId": 5001, "technicianIds": [102]}`, 409},
			{"text/plain", "POST", "/capacity", auth(tok, "text/plain"), `{}`, 415},
			{"no such window", "POST", "/capacity-adjustments", auth(tok, "application/json"), `{"date": "2027-03-11", "from": "09:00", "to": "11:00", "minutes": 30, "reason": "x"}`, 400},
			{"unknown adjustment", "DELETE", "/capacity-adjustments/99", auth(tok, ""), "", 404},
			{"adjustment id in use", "POST", "/capacity-adjustments", auth(tok, "application/json"), `{"id": 2, "date": "2027-03-11", "from": "08:00", "to": "10:00", "minutes": 30, "reason": "x"}`, 409},
			{"over the rate limit", "GET", "/zones", auth(tok, ""), "", 429},
		}
		for _, c := range cases {
			t.Run(c.name+" "+base, func(t *testing.T) {
				if c.status == 429 {
					for range 5 {
						f.call("GET", base+"/zones", tok, "alpha-app-key", "")
					}
				} else {
					f.clock.advance(time.Second)
				}
				rec := validate(t, f, router, c.method, base+c.path, c.header, c.body, c.status, false)
				checkProblem(t, rec, c.status)
			})
		}
	}
}

// TestSecurity gives one case per security rule and limit, with its
// status and problem document.
func TestSecurity(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: 5})
	alpha := f.token(t, "alpha", "alpha-secret")
	beta := f.token(t, "beta", "beta-secret")
	zones := api("/zones")
	tests := []struct {
		name                         string
		method, path, tok, key, body string
		status                       int
		field                        string // a field the problem must name
	}{
		{"no token", "GET", zones, "", "alpha-app-key", "", 401, ""},
		{"unknown token", "GET", zones, "not-a-token", "alpha-app-key", "", 401, ""},
		{"token of another client", "GET", zones, beta, "alpha-app-key", "", 403, "ST-App-Key"},
		{"wrong app key", "GET", zones, alpha, "beta-app-key", "", 403, "ST-App-Key"},
		{"missing app key", "GET", zones, alpha, "", "", 403, "ST-App-Key"},
		{"another tenant", "GET", "/dispatch/v2/tenant/synth-small-1/zones", alpha, "alpha-app-key", "", 403, ""},
		{"unknown tenant", "GET", "/dispatch/v2/tenant/nope/zones", alpha, "alpha-app-key", "", 403, ""},
		{"oversized body", "POST", api("/capacity"), alpha, "alpha-app-key", `{"startsOnOrAfter": "` + strings.Repeat("x", httpapi.MaxBody) + `"}`, 413, ""},
		{"malformed JSON", "POST", api("/capacity"), alpha, "alpha-app-key", `{"startsOnOrAfter": `, 400, ""},
		{"unknown field", "POST", api("/appointment-assignments/assign-technicians"), alpha, "alpha-app-key", `{"jobAppointmentId": 5001, "technicianIds": [102], "priority": 1}`, 400, "priority"},
		{"page size above 500", "GET", api("/technician-shifts?pageSize=501"), alpha, "alpha-app-key", "", 400, "pageSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.clock.advance(time.Second) // stay under the rate limit
			rec := f.call(tt.method, tt.path, tt.tok, tt.key, tt.body)
			p := checkProblem(t, rec, tt.status)
			if tt.status == 401 && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without WWW-Authenticate")
			}
			if tt.field != "" {
				if _, ok := p["errors"].(map[string]any)[tt.field]; !ok {
					t.Errorf("problem does not name %s: %s", tt.field, rec.Body)
				}
			}
		})
	}

	t.Run("expired token", func(t *testing.T) {
		tok := f.token(t, "alpha", "alpha-secret")
		f.clock.advance(15*time.Minute + time.Second)
		checkProblem(t, f.call("GET", zones, tok, "alpha-app-key", ""), 401)
	})
	t.Run("bad client secret", func(t *testing.T) {
		form := "grant_type=client_credentials&client_id=alpha&client_secret=wrong"
		req := httptest.NewRequest("POST", "/connect/token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		if rec.Code != 401 || !strings.Contains(rec.Body.String(), "invalid_client") {
			t.Errorf("got %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("burst past the rate limit", func(t *testing.T) {
		tok := f.token(t, "alpha", "alpha-secret")
		f.clock.advance(10 * time.Second) // a full bucket of 5
		var codes []int
		for range 7 {
			codes = append(codes, f.call("GET", zones, tok, "alpha-app-key", "").Code)
		}
		if codes[4] != 200 || codes[5] != 429 {
			t.Fatalf("statuses %v: want five 200s, then 429", codes)
		}
		rec := f.call("GET", zones, tok, "alpha-app-key", "")
		checkProblem(t, rec, 429)
		if rec.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		f.clock.advance(time.Second)
		if c := f.call("GET", zones, tok, "alpha-app-key", "").Code; c != 200 {
			t.Errorf("after a second: %d, want 200", c)
		}
	})
	t.Run("not found and conflict", func(t *testing.T) {
		tok := f.token(t, "alpha", "alpha-secret")
		f.clock.advance(10 * time.Second)
		checkProblem(t, f.call("POST", api("/appointment-assignments/assign-technicians"), tok, "alpha-app-key", `{"jobAppointmentId": 1, "technicianIds": [101]}`), 404)
		checkProblem(t, f.call("POST", api("/appointment-assignments/unassign-technicians"), tok, "alpha-app-key", `{"jobAppointmentId": 5001, "technicianIds": [102]}`), 409)
		checkProblem(t, f.call("GET", api("/nothing"), tok, "alpha-app-key", ""), 404)
	})
}
