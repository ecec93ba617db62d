package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

// lifecycleOps is one of every extension operation, in an order that
// succeeds on the demo tenant.
var lifecycleOps = []struct {
	method, path, body string
}{
	{"POST", "/appointments", `{"id": 9001, "jobId": 77, "jobTypeId": 101, "businessUnitId": 1, "start": "2027-03-10T13:00:00-07:00", "end": "2027-03-10T15:00:00-07:00", "arrivalWindowStart": "2027-03-10T12:00:00-07:00", "arrivalWindowEnd": "2027-03-10T16:00:00-07:00", "zip": "80202"}`},
	{"POST", "/appointment-assignments/assign-technicians", `{"jobAppointmentId": 9001, "technicianIds": [101, 201]}`},
	{"POST", "/appointments/9001/reschedule", `{"start": "2027-03-11T09:00:00-07:00", "end": "2027-03-11T10:30:00-07:00"}`},
	{"GET", "/appointments?ids=9001,5001&pageSize=5", ""},
	{"POST", "/appointments/9001/cancel", ""},
	{"PATCH", "/technician-shifts/1", `{"note": "stays late", "end": "2027-03-08T18:00:00-07:00"}`},
	{"POST", "/technician-shifts/1/deactivate", `{}`},
	{"POST", "/technician-shifts/1/reactivate", ""},
	{"DELETE", "/technician-shifts/11", ""},
	{"POST", "/technicians", `{"id": 120, "name": "José Núñez", "businessUnitId": 1, "skills": ["HVAC"], "zoneIds": [1], "home": {"latitude": 39.7, "longitude": -105}}`},
	{"PATCH", "/technicians/120", `{"skills": ["HVAC", "EPA 608"], "home": null}`},
	{"POST", "/technicians/120/deactivate", ""},
	{"POST", "/technicians/120/reactivate", ""},
	{"GET", "/technicians?page=2&pageSize=10", ""},
	{"POST", "/journal/compact", ""},
}

// TestConformanceExtensions sends every extension operation under both
// prefixes and validates request and response against api/openapi.yaml,
// then the errors of each kind (400, 404, 409) against its Problem.
func TestConformanceExtensions(t *testing.T) {
	for _, prefix := range []string{"/dispatch/v2/tenant/{tenant}", "/dispatch/v2/{tenant}"} {
		f := newFixture(t, httpapi.Config{DataDir: t.TempDir(), RateLimit: -1})
		_, router := contract(t, prefix)
		tok := f.token(t, "alpha", "alpha-secret")
		base := strings.Replace(prefix, "{tenant}", demoTenant, 1)
		header := func(body string) map[string]string {
			h := map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key"}
			if body != "" {
				h["Content-Type"] = "application/json"
			}
			return h
		}
		for _, op := range lifecycleOps {
			t.Run(op.method+" "+base+strings.Split(op.path, "?")[0], func(t *testing.T) {
				validate(t, f, router, op.method, base+op.path, header(op.body), op.body, http.StatusOK, true)
			})
		}
		for _, c := range []struct {
			name, method, path, body string
			status                   int
		}{
			{"id not a number", "POST", "/appointments/abc/cancel", "", 400},
			{"unknown member", "PATCH", "/technicians/101", `{"colour": "red"}`, 400},
			{"bad time", "POST", "/appointments/5001/reschedule", `{"start": "tuesday", "end": "2027-03-11T10:30:00-07:00"}`, 400},
			{"half a window", "POST", "/appointments", `{"id": 9002, "jobTypeId": 101, "businessUnitId": 1, "start": "2027-03-10T13:00:00-07:00", "end": "2027-03-10T15:00:00-07:00", "arrivalWindowStart": "2027-03-10T12:00:00-07:00"}`, 400},
			{"not empty", "POST", "/technicians/101/deactivate", `{"now": true}`, 400},
			{"null body", "POST", "/technician-shifts/4/deactivate", ` null `, 400},
			{"unknown appointment", "POST", "/appointments/1/cancel", "", 404},
			{"unknown shift", "DELETE", "/technician-shifts/999999", "", 404},
			{"unknown technician", "PATCH", "/technicians/999", `{"name": "X"}`, 404},
			{"canceled again", "POST", "/appointments/9001/cancel", "", 409},
			{"rescheduling a canceled one", "POST", "/appointments/9001/reschedule", `{"start": "2027-03-11T09:00:00-07:00", "end": "2027-03-11T10:30:00-07:00"}`, 409},
			{"id in use", "POST", "/technicians", `{"id": 101, "name": "Again", "businessUnitId": 1}`, 409},
		} {
			t.Run(c.name+" "+base, func(t *testing.T) {
				rec := validate(t, f, router, c.method, base+c.path, header(c.body), c.body, c.status, false)
				checkProblem(t, rec, c.status)
			})
		}
	}
}

// TestAssignWarningHeader: an assignment with something wrong succeeds
// with the contract's body and names each problem in a Dispatch-Warning
// line: JSON, ASCII only, in the engine's order; joined by a proxy they
// read as a JSON array. A clean assignment has none.
func TestAssignWarningHeader(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	tok := f.token(t, "alpha", "alpha-secret")
	if rec := f.call("POST", api("/technicians"), tok, "alpha-app-key", `{"id": 120, "name": "José Núñez", "businessUnitId": 2}`); rec.Code != 200 {
		t.Fatalf("add technician: %d %s", rec.Code, rec.Body)
	}
	rec := f.call("POST", api("/appointment-assignments/assign-technicians"), tok, "alpha-app-key", `{"jobAppointmentId": 5001, "technicianIds": [120]}`)
	if rec.Code != 200 {
		t.Fatalf("assign: %d %s", rec.Code, rec.Body)
	}
	var body []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body) == 0 {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	lines := rec.Header().Values(httpapi.WarningHeader)
	var codes []string
	for _, l := range lines {
		for _, c := range l {
			if c < 0x20 || c > 0x7e {
				t.Errorf("warning line holds %q, not printable ASCII: %s", c, l)
			}
		}
		var w struct {
			TechnicianID int64  `json:"technicianId"`
			Code         string `json:"code"`
			Message      string `json:"message"`
		}
		if err := json.Unmarshal([]byte(l), &w); err != nil {
			t.Fatalf("warning %q is not JSON: %v", l, err)
		}
		if w.TechnicianID != 120 || !strings.Contains(w.Message, "José Núñez") {
			t.Errorf("warning %+v: want technician 120 named José Núñez", w)
		}
		codes = append(codes, w.Code)
	}
	// 120 has no skills, is in unit 2 (5001 is unit 1's) and has no shifts.
	if want := "missingSkills otherBusinessUnit outsideWorkingTime"; strings.Join(codes, " ") != want {
		t.Errorf("warning codes %v, want %s", codes, want)
	}
	var joined []json.RawMessage
	if err := json.Unmarshal([]byte("["+strings.Join(lines, ", ")+"]"), &joined); err != nil || len(joined) != len(lines) {
		t.Errorf("the joined lines do not read as a JSON array: %v", err)
	}
	rec = f.call("POST", api("/appointment-assignments/assign-technicians"), tok, "alpha-app-key", `{"jobAppointmentId": 5040, "technicianIds": [102]}`)
	if rec.Code != 200 || len(rec.Header().Values(httpapi.WarningHeader)) != 0 {
		t.Errorf("a clean assignment: %d, warnings %q", rec.Code, rec.Header().Values(httpapi.WarningHeader))
	}
}

// snapshotOf reads the state every read operation shows, for comparing a
// server before and after a restart.
func snapshotOf(t *testing.T, f *fixture, tok string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{
		"/appointments?pageSize=500&page=1", "/appointments?pageSize=500&page=2",
		"/technicians?pageSize=500",
		"/appointment-assignments?pageSize=500&page=1", "/appointment-assignments?pageSize=500&page=2",
		"/technician-shifts?pageSize=500&page=1", "/technician-shifts?pageSize=500&page=2",
	} {
		rec := f.call("GET", api(p), tok, "alpha-app-key", "")
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", p, rec.Code, rec.Body)
		}
		b.WriteString(rec.Body.String())
	}
	rec := f.call("POST", api("/capacity"), tok, "alpha-app-key", `{"startsOnOrAfter": "2027-03-08T00:00:00-07:00", "endsOnOrBefore": "2027-03-20T00:00:00-06:00"}`)
	if rec.Code != 200 {
		t.Fatalf("capacity: %d %s", rec.Code, rec.Body)
	}
	b.WriteString(rec.Body.String())
	return b.String()
}

// TestLifecycleReplay: every extension change is journaled and replayed:
// a restarted server answers every read as the one that took the changes.
func TestLifecycleReplay(t *testing.T) {
	dir := t.TempDir()
	cfg := httpapi.Config{DataDir: dir, Clients: clients, RateLimit: -1, Now: func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC) }}
	srv, err := httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, h: srv.Handler()}
	tok := f.token(t, "alpha", "alpha-secret")
	for _, op := range lifecycleOps {
		if op.path == "/journal/compact" {
			continue
		}
		if rec := f.call(op.method, api(op.path), tok, "alpha-app-key", op.body); rec.Code != 200 {
			t.Fatalf("%s %s: %d %s", op.method, op.path, rec.Code, rec.Body)
		}
	}
	before := snapshotOf(t, f, tok)
	srv.Close()
	j, recs, err := httpapi.OpenJournal(dir, demoTenant)
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	if len(recs) != 12 { // every change, not the reads
		t.Errorf("%d records journaled, want 12", len(recs))
	}
	srv, err = httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f = &fixture{srv: srv, h: srv.Handler()}
	if after := snapshotOf(t, f, f.token(t, "alpha", "alpha-secret")); after != before {
		t.Error("the replayed state differs from the state acknowledged")
	}
}
