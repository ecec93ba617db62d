package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

// request makes one request to the handler with the given headers.
func (f *fixture) request(method, target string, header map[string]string, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func (f *fixture) authed(t *testing.T) map[string]string {
	return map[string]string{"Authorization": "Bearer " + f.token(t, "alpha", "alpha-secret"), "ST-App-Key": "alpha-app-key"}
}

func errorsOf(t *testing.T, p map[string]any) map[string]any {
	t.Helper()
	e, _ := p["errors"].(map[string]any)
	return e
}

// TestPageParameters: DESIGN §6 — page ≥ 1, pageSize 1–500; 0, negative,
// not a number or too large to compute an offset is a 400 naming the
// parameter, never a default and never a crash.
func TestPageParameters(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	for _, tt := range []struct{ query, field string }{
		{"/technician-shifts?pageSize=500&page=9223372036854775807", "page"},
		{"/appointment-assignments?page=4611686018427387904", "page"},
		{"/technician-shifts?page=0", "page"},
		{"/technician-shifts?pageSize=0", "pageSize"},
		{"/appointment-assignments?page=-1", "page"},
		{"/appointment-assignments?pageSize=abc", "pageSize"},
		{"/appointment-assignments?pageSize=501", "pageSize"},
		{"/technician-shifts?page=99999999999999999999999", "page"},
	} {
		for _, prefix := range []string{"/dispatch/v2/tenant/" + demoTenant, "/dispatch/v2/" + demoTenant} {
			p := checkProblem(t, f.request("GET", prefix+tt.query, h, ""), 400)
			if _, ok := errorsOf(t, p)[tt.field]; !ok {
				t.Errorf("%s: problem does not name %s: %v", tt.query, tt.field, p)
			}
		}
	}
	// The last page whose offset fits is an empty page, not an error.
	rec := f.request("GET", api("/technician-shifts?pageSize=500&page="+strconv.Itoa(math.MaxInt/500)), h, "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"data":[]`) {
		t.Errorf("far page: %d %s", rec.Code, rec.Body)
	}
}

// TestContentType: a POST body must be application/json (charset UTF-8
// when given); anything else, a missing Content-Type included, is a 415
// problem document.
func TestContentType(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	tok := f.token(t, "alpha", "alpha-secret")
	body := `{"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T16:00:00-07:00"}`
	for _, tt := range []struct {
		name        string
		header      map[string]string
		body        string
		status      int
		wantMessage string
		// at is the header the problem is keyed at (Content-Type when
		// empty); the 415 says what is taken in the RFC 9110 §15.5.16
		// hint of that header: Accept or Accept-Encoding.
		at string
	}{
		{"json", map[string]string{"Content-Type": "application/json"}, body, 200, "", ""},
		{"json utf-8", map[string]string{"Content-Type": "application/json; charset=utf-8"}, body, 200, "", ""},
		{"json UTF-8 upper case", map[string]string{"Content-Type": "Application/JSON;charset=\"UTF-8\""}, body, 200, "", ""},
		{"text/plain", map[string]string{"Content-Type": "text/plain"}, body, 415, "text/plain", ""},
		{"form", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body, 415, "not supported", ""},
		{"missing", map[string]string{}, body, 415, "no Content-Type", ""},
		{"missing, empty body", map[string]string{}, "", 415, "no Content-Type", ""},
		{"latin1", map[string]string{"Content-Type": "application/json; charset=latin1"}, body, 415, "UTF-8", ""},
		{"malformed", map[string]string{"Content-Type": "application/json; ;;"}, body, 415, "malformed", ""},
		{"gzip", map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"}, body, 415, "Content-Encoding", "Content-Encoding"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key"}
			for k, v := range tt.header {
				h[k] = v
			}
			rec := f.request("POST", api("/capacity"), h, tt.body)
			if tt.status == 200 {
				if rec.Code != 200 {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				return
			}
			p := checkProblem(t, rec, tt.status)
			at, hint, want := "Content-Type", "Accept", "application/json"
			if tt.at == "Content-Encoding" {
				at, hint, want = tt.at, "Accept-Encoding", "identity"
			}
			errs := errorsOf(t, p)
			if msgs := fmt.Sprint(errs[at]); !strings.Contains(msgs, tt.wantMessage) || len(errs) != 1 {
				t.Errorf("problem %v: want %q under %s only", p, tt.wantMessage, at)
			}
			if got := rec.Header().Get(hint); got != want {
				t.Errorf("%s: %q, want %q", hint, got, want)
			}
		})
	}
	// A GET has no body to type.
	if rec := f.request("GET", api("/zones"), map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key", "Content-Type": "text/plain"}, ""); rec.Code != 200 {
		t.Errorf("GET with Content-Type: %d", rec.Code)
	}
}

// TestMethodNotAllowed: a known path with another method is a 405 problem
// document with Allow; an unknown path is a 404.
func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	for _, tt := range []struct {
		method, path, allow string
	}{
		{"POST", api("/zones"), "GET, HEAD"},
		{"DELETE", api("/technician-shifts"), "GET, HEAD, POST"},
		{"PUT", "/dispatch/v2/" + demoTenant + "/technician-shifts", "GET, HEAD, POST"},
		{"GET", api("/capacity"), "POST"},
		{"GET", "/dispatch/v2/anyone/appointment-assignments/assign-technicians", "POST"},
		{"PATCH", "/dispatch/v2/tenant/x/gps-pings", "GET, HEAD"},
		{"GET", "/connect/token", "POST"},
		{"PUT", api("/capacity-adjustments/3"), "DELETE"},
		{"DELETE", api("/capacity-adjustments"), "GET, HEAD, POST"},
	} {
		rec := f.request(tt.method, tt.path, nil, "")
		checkProblem(t, rec, 405)
		if got := rec.Header().Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
	// RFC 9110 §9.1: a method the server does not know is 501 on any path
	// (methods are case-sensitive: "get" is not GET); a known one the
	// path does not take stays 405, OPTIONS included.
	for _, tt := range []struct{ method, path string }{
		{"get", api("/zones")}, {"FROB", api("/zones")}, {"PROPFIND", api("/technicians")}, {"BREW", "/nowhere"},
	} {
		rec := f.request(tt.method, tt.path, nil, "")
		checkProblem(t, rec, 501)
		if rec.Header().Get("Allow") != "" {
			t.Errorf("%s %s: 501 with Allow", tt.method, tt.path)
		}
	}
	if rec := f.request("OPTIONS", api("/zones"), nil, ""); rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("OPTIONS /zones: %d Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	for _, path := range []string{"/", "/dispatch/v2/" + demoTenant, api("/nothing"), "/dispatch/v2/tenant/" + demoTenant + "/zones/extra", "/dispatch/v1/" + demoTenant + "/zones", "/connect/token/x"} {
		rec := f.request("GET", path, nil, "")
		checkProblem(t, rec, 404)
		if rec.Header().Get("Allow") != "" {
			t.Errorf("GET %s: 404 with Allow", path)
		}
	}
}

// TestBearerCaseInsensitive: RFC 9110 §11.1, auth-scheme names are
// case-insensitive.
func TestBearerCaseInsensitive(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	tok := f.token(t, "alpha", "alpha-secret")
	for _, scheme := range []string{"Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer   "} {
		if rec := f.request("GET", api("/zones"), map[string]string{"Authorization": scheme + tok, "ST-App-Key": "alpha-app-key"}, ""); rec.Code != 200 {
			t.Errorf("%q: %d %s", scheme, rec.Code, rec.Body)
		}
	}
	for _, auth := range []string{"Bearer", "Bearer ", "Bearertok" + tok, "Basic " + tok, tok, "Bearer  " + tok + "x"} {
		rec := f.request("GET", api("/zones"), map[string]string{"Authorization": auth, "ST-App-Key": "alpha-app-key"}, "")
		checkProblem(t, rec, 401)
		if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%q: 401 without a Bearer challenge", auth)
		}
	}
}

// tenantNamed returns the demo tenant file under another tenant id.
func tenantNamed(id string) []byte {
	return bytes.Replace(dispatch.DemoTenant, []byte(`"tenant": "0000000"`), []byte(`"tenant": `+fmt.Sprintf("%q", id)), 1)
}

// TestBothPrefixes: every operation answers the same under the contract's
// /dispatch/v2/{tenant} and the service's /dispatch/v2/tenant/{tenant},
// also for tenants whose ids are "tenant" or the name of an operation.
func TestBothPrefixes(t *testing.T) {
	ids := []string{"tenant", "zones", "appointment-assignments", "capacity", "0000000"}
	var files [][]byte
	for _, id := range ids {
		files = append(files, tenantNamed(id))
	}
	srv, err := httpapi.New(httpapi.Config{RateLimit: -1, Now: func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC) },
		Clients: []httpapi.Client{{ID: "all", SecretHash: httpapi.HashSecret("s"), AppKey: "all-app-key", Tenants: ids}}}, files...)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f := &fixture{srv: srv, h: srv.Handler()}
	tok := f.token(t, "all", "s")
	h := map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "all-app-key", "Content-Type": "application/json"}
	reads := []struct{ method, path, body string }{
		{"GET", "/appointment-assignments?pageSize=3", ""},
		{"GET", "/technician-shifts?pageSize=3", ""},
		{"POST", "/capacity", `{"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T16:00:00-07:00"}`},
		{"GET", "/zones", ""},
		{"GET", "/business-hours", ""},
		{"GET", "/gps-pings?technicianId=202&fromUtc=2027-03-09T15:00:00Z&toUtc=2027-03-09T16:00:00Z", ""},
	}
	writes := []struct{ method, path, body string }{
		{"POST", "/appointment-assignments/assign-technicians", `{"jobAppointmentId":5002,"technicianIds":[103]}`},
		{"POST", "/appointment-assignments/unassign-technicians", `{"jobAppointmentId":5002,"technicianIds":[103]}`},
		{"POST", "/technician-shifts", `{"technicianIds":[110],"shiftType":"OnCall","title":"x","start":"2027-03-10T00:00:00-07:00","end":"2027-03-10T06:00:00-07:00"}`},
	}
	prefixes := func(id string) []string { return []string{"/dispatch/v2/" + id, "/dispatch/v2/tenant/" + id} }
	for _, id := range ids {
		for _, op := range reads {
			var bodies []string
			for _, prefix := range prefixes(id) {
				rec := f.request(op.method, prefix+op.path, h, op.body)
				if rec.Code != 200 {
					t.Errorf("%s %s%s: %d %.300s", op.method, prefix, op.path, rec.Code, rec.Body)
				}
				bodies = append(bodies, rec.Body.String())
			}
			if bodies[0] != bodies[1] {
				t.Errorf("%s %s of %s differs between the prefixes", op.method, op.path, id)
			}
		}
		for _, prefix := range prefixes(id) {
			for _, op := range writes {
				if rec := f.request(op.method, prefix+op.path, h, op.body); rec.Code != 200 {
					t.Errorf("%s %s%s: %d %.300s", op.method, prefix, op.path, rec.Code, rec.Body)
				}
			}
		}
	}
	// Each tenant's answer is its own: a change through one prefix shows
	// through the other, and only for that tenant.
	assign := `{"jobAppointmentId":5003,"technicianIds":[110]}`
	if rec := f.request("POST", "/dispatch/v2/tenant/appointment-assignments/assign-technicians", h, assign); rec.Code != 200 {
		t.Fatalf("assign for tenant \"tenant\": %d %s", rec.Code, rec.Body)
	}
	for _, id := range ids {
		rec := f.request("GET", "/dispatch/v2/tenant/"+id+"/appointment-assignments?technicianId=110", h, "")
		has := strings.Contains(rec.Body.String(), `"jobAppointmentId":5003`)
		if has != (id == "tenant") {
			t.Errorf("tenant %s: the assignment made for tenant \"tenant\" shows: %v", id, has)
		}
	}
}

// TestProblemCap: a 1 MiB body of unknown technician ids answers a
// problem document of kilobytes listing the first 100 messages and the
// count of the rest; so does a body quoting a huge key.
func TestProblemCap(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	var b strings.Builder
	b.WriteString(`{"jobAppointmentId":5001,"technicianIds":[`)
	n := 0
	for ; b.Len() < httpapi.MaxBody-20; n++ {
		if n > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, 9000000+n)
	}
	b.WriteString(`]}`)
	t.Logf("body of %d bytes, %d unknown ids", b.Len(), n)
	rec := f.request("POST", api("/appointment-assignments/assign-technicians"), h, b.String())
	p := checkProblem(t, rec, 404)
	if rec.Body.Len() > 16<<10 {
		t.Errorf("problem document of %d bytes for %d unknown ids, want at most 16 KiB", rec.Body.Len(), n)
	}
	listed := 0
	for _, msgs := range errorsOf(t, p) {
		listed += len(msgs.([]any))
	}
	if listed != httpapi.MaxProblems {
		t.Errorf("%d messages listed, want %d", listed, httpapi.MaxProblems)
	}
	if got, _ := p["omittedErrors"].(float64); int(got) != n-listed {
		t.Errorf("omittedErrors %v, want %d", p["omittedErrors"], n-listed)
	}
	if d, _ := p["detail"].(string); !strings.Contains(d, fmt.Sprint(n)) {
		t.Errorf("detail %q does not give the count %d", d, n)
	}
	if _, ok := errorsOf(t, p)["technicianIds[0]"]; !ok {
		t.Errorf("the first problems found are not the ones listed: %v", errorsOf(t, p))
	}

	// One huge key, quoted by the message and used as the field.
	huge := `{"` + strings.Repeat("<x>", 300000) + `":1}`
	rec = f.request("POST", api("/capacity"), h, huge)
	checkProblem(t, rec, 400)
	if rec.Body.Len() > 8<<10 {
		t.Errorf("problem document of %d bytes for one huge key", rec.Body.Len())
	}
	// A small error list is whole, without omittedErrors.
	rec = f.request("POST", api("/appointment-assignments/assign-technicians"), h, `{"jobAppointmentId":5001,"technicianIds":[1,2]}`)
	p = checkProblem(t, rec, 404)
	if _, ok := p["omittedErrors"]; ok || len(errorsOf(t, p)) != 2 {
		t.Errorf("small problem: %s", rec.Body)
	}
}

// TestInstants: a date-time outside 1900–2199 is a 400 naming the field,
// in bodies and in query filters.
func TestInstants(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	for _, tt := range []struct{ method, path, body, field string }{
		{"POST", "/technician-shifts", `{"technicianIds":[110],"shiftType":"Normal","title":"x","start":"0001-01-01T08:00:00-07:00","end":"0001-01-01T10:00:00-07:00"}`, "start"},
		{"POST", "/technician-shifts", `{"technicianIds":[110],"shiftType":"Normal","title":"x","start":"2199-12-31T20:00:00Z","end":"2200-01-01T02:00:00Z"}`, "end"},
		{"POST", "/capacity", `{"startsOnOrAfter":"1899-12-31T23:59:59Z","endsOnOrBefore":"1900-01-02T00:00:00Z"}`, "startsOnOrAfter"},
		{"GET", "/technician-shifts?startsOnOrAfter=0001-01-01T00:00:00Z", "", "startsOnOrAfter"},
		{"GET", "/technician-shifts?endsOnOrBefore=9999-01-01T00:00:00Z", "", "endsOnOrBefore"},
		{"GET", "/appointment-assignments?modifiedOnOrAfter=1066-10-14T09:00:00Z", "", "modifiedOnOrAfter"},
		{"GET", "/gps-pings?technicianId=202&fromUtc=0001-01-01T00:00:00Z&toUtc=2027-03-09T16:00:00Z", "", "fromUtc"},
	} {
		p := checkProblem(t, f.request(tt.method, api(tt.path), h, tt.body), 400)
		if msgs := fmt.Sprint(errorsOf(t, p)[tt.field]); !strings.Contains(msgs, "1900–2199") {
			t.Errorf("%s %s: problem %v does not name %s with the range", tt.method, tt.path, p, tt.field)
		}
	}
}

// TestRequestLog: one JSON line per request with the duration in
// milliseconds as a number, and nothing secret.
func TestRequestLog(t *testing.T) {
	var logBuf bytes.Buffer
	clock := &fakeClock{t: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
	calls := 0
	now := func() time.Time { // each reading is 1.5 ms after the previous
		calls++
		clock.advance(1500 * time.Microsecond)
		return clock.now()
	}
	f := newFixture(t, httpapi.Config{RateLimit: -1, Now: now, Logger: slog.New(slog.NewJSONHandler(&logBuf, nil))})
	tok := f.token(t, "alpha", "alpha-secret")
	logBuf.Reset()
	calls = 0
	rec := f.request("GET", api("/technician-shifts?pageSize=2"), map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key"}, "")
	lines := strings.Split(strings.TrimSpace(logBuf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d log lines: %s", len(lines), logBuf.String())
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	keys := []string{}
	for k := range got {
		keys = append(keys, k)
	}
	want := map[string]any{"level": "INFO", "msg": "request", "method": "GET", "path": api("/technician-shifts"), "status": float64(200),
		"bytes": float64(rec.Body.Len())}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	// Readings: start, the rate limiter and token check in between, end.
	d, ok := got["durationMs"].(float64)
	if !ok || d != 1.5*float64(calls-1) {
		t.Errorf("durationMs = %v (%T), want %v milliseconds as a number", got["durationMs"], got["durationMs"], 1.5*float64(calls-1))
	}
	if _, ok := got["duration"]; ok {
		t.Error("a duration without a unit is still logged")
	}
	if regexp.MustCompile(tok).MatchString(lines[0]) || strings.Contains(lines[0], "pageSize") {
		t.Errorf("the log line carries the token or the query: %s", lines[0])
	}
	if len(got) != 8 {
		t.Errorf("log line with keys %v, want time, level, msg, method, path, status, durationMs, bytes", keys)
	}
}
