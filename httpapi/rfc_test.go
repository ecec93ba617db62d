package httpapi_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestAdjustmentFiltersExclusive: an adjustment names a unit, a group or
// neither, so both filters at once are a 400 at businessUnitGroupId, not
// an empty 200 whatever the tenant holds.
func TestAdjustmentFiltersExclusive(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	p := checkProblem(t, f.request("GET", api("/capacity-adjustments?businessUnitId=1&businessUnitGroupId=1"), h, ""), 400)
	msgs, ok := errorsOf(t, p)["businessUnitGroupId"].([]any)
	if !ok || len(msgs) != 1 || !strings.Contains(msgs[0].(string), "together select nothing") {
		t.Errorf("errors %v: want one \"together select nothing\" at businessUnitGroupId", errorsOf(t, p))
	}
	for _, q := range []string{"businessUnitId=1", "businessUnitGroupId=1"} {
		if rec := f.request("GET", api("/capacity-adjustments?"+q), h, ""); rec.Code != 200 {
			t.Errorf("GET ?%s: %d, want 200", q, rec.Code)
		}
	}
}

// TestTwoAuthorizationHeaders: RFC 6750 §3.1 — a request with more than
// one Authorization header is a malformed request: 400 with the Bearer
// challenge's error="invalid_request", not a 401.
func TestTwoAuthorizationHeaders(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	tok := f.token(t, "alpha", "alpha-secret")
	req := httptest.NewRequest("GET", api("/zones"), nil)
	req.Header.Add("Authorization", "Bearer "+tok)
	req.Header.Add("Authorization", "Bearer x")
	req.Header.Set("ST-App-Key", "alpha-app-key")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	p := checkProblem(t, rec, 400)
	if _, ok := errorsOf(t, p)["Authorization"]; !ok {
		t.Errorf("errors %v do not name Authorization", errorsOf(t, p))
	}
	if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer ") || !strings.Contains(got, `error="invalid_request"`) {
		t.Errorf("WWW-Authenticate %q, want Bearer with error=\"invalid_request\"", got)
	}
}

// TestTraceIDLogged: the request's log line carries the traceId of the
// problem document answered, so that the id a client reports finds the
// line; and trace ids do not start again with a new server (a restart).
func TestTraceIDLogged(t *testing.T) {
	var logBuf bytes.Buffer
	f := newFixture(t, httpapi.Config{RateLimit: -1, Logger: slog.New(slog.NewJSONHandler(&logBuf, nil))})
	h := f.authed(t)
	logBuf.Reset()
	p := checkProblem(t, f.request("GET", api("/technician-shifts?pageSize=0"), h, ""), 400)
	var line map[string]any
	if err := json.Unmarshal(logBuf.Bytes(), &line); err != nil {
		t.Fatalf("log %q: %v", logBuf.String(), err)
	}
	if line["traceId"] != p["traceId"] || line["status"] != float64(400) {
		t.Errorf("log line %v, want traceId %v", line, p["traceId"])
	}
	// A success has no traceId to log.
	logBuf.Reset()
	f.request("GET", api("/zones"), h, "")
	if strings.Contains(logBuf.String(), "traceId") {
		t.Errorf("log line of a 200 with a traceId: %s", logBuf.String())
	}
	// Another server (a restart) gives other ids.
	g := newFixture(t, httpapi.Config{RateLimit: -1})
	q := checkProblem(t, g.request("GET", api("/technician-shifts?pageSize=0"), g.authed(t), ""), 400)
	r := checkProblem(t, f.request("GET", api("/technician-shifts?pageSize=0"), h, ""), 400)
	if q["traceId"] == p["traceId"] || q["traceId"] == r["traceId"] {
		t.Errorf("trace ids %v, %v of two servers meet %v", p["traceId"], r["traceId"], q["traceId"])
	}
}

// TestContentTooLarge: the 413's title is RFC 9110's reason phrase,
// "Content Too Large" (net/http still has RFC 7231's).
func TestContentTooLarge(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	p := checkProblem(t, f.request("POST", api("/capacity"), h, `{"x":"`+strings.Repeat("x", httpapi.MaxBody)+`"}`), 413)
	if p["title"] != "Content Too Large" {
		t.Errorf("title %q", p["title"])
	}
}

// TestInstantSpelling: over HTTP a lower-case "t" and "z" (RFC 3339 §5.6)
// read as upper case, in a query and in a body, and answers stay upper
// case; a fraction of a second in a record's instant is a 400 naming the
// field, never cut, while a range bound with one (a client's clock) is
// rounded to the whole second selecting the same instants.
func TestInstantSpelling(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	up := f.request("GET", api("/technician-shifts?startsOnOrAfter=2027-03-09T00:00:00Z&pageSize=3"), h, "")
	low := f.request("GET", api("/technician-shifts?startsOnOrAfter=2027-03-09t00:00:00z&pageSize=3"), h, "")
	if up.Code != 200 || low.Code != 200 || up.Body.String() != low.Body.String() {
		t.Errorf("lower case: %d %s\nupper case: %d %s", low.Code, low.Body, up.Code, up.Body)
	}
	hj := map[string]string{"Authorization": h["Authorization"], "ST-App-Key": h["ST-App-Key"], "Content-Type": "application/json"}
	rec := f.request("POST", api("/capacity"), hj, `{"startsOnOrAfter":"2027-03-09t00:00:00z","endsOnOrBefore":"2027-03-10T00:00:00Z"}`)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "t0") || strings.Contains(rec.Body.String(), "0z") {
		t.Errorf("capacity with lower case: %d %.200s", rec.Code, rec.Body)
	}
	rec = f.request("POST", api("/technician-shifts"), hj,
		`{"technicianIds":[102],"shiftType":"Normal","title":"frac","start":"2027-03-27T08:00:00.75-06:00","end":"2027-03-27T09:00:00-06:00"}`)
	p := checkProblem(t, rec, 400)
	if msgs := errorsOf(t, p)["start"]; msgs == nil || !strings.Contains(msgs.([]any)[0].(string), "fraction of a second") {
		t.Errorf("fractional start: %v", errorsOf(t, p))
	}
	// Bounds: each fractional spelling answers as the whole second it
	// rounds to, in queries and in the capacity body.
	for _, c := range []struct{ frac, whole string }{
		{"/technician-shifts?startsOnOrAfter=2027-03-08T23:59:59.001Z&endsOnOrBefore=2027-03-12T00:00:00.999Z",
			"/technician-shifts?startsOnOrAfter=2027-03-09T00:00:00Z&endsOnOrBefore=2027-03-12T00:00:00Z"},
		{"/appointment-assignments?modifiedOnOrAfter=2020-01-01T00:00:00.5Z", "/appointment-assignments?modifiedOnOrAfter=2020-01-01T00:00:01Z"},
		// Pings are fromUtc <= time < toUtc: both round up.
		{"/gps-pings?technicianId=202&fromUtc=2027-03-09T14:59:59.1Z&toUtc=2027-03-09T15:59:59.9Z",
			"/gps-pings?technicianId=202&fromUtc=2027-03-09T15:00:00Z&toUtc=2027-03-09T16:00:00Z"},
	} {
		frac, whole := f.request("GET", api(c.frac), h, ""), f.request("GET", api(c.whole), h, "")
		if frac.Code != 200 || whole.Code != 200 || frac.Body.String() != whole.Body.String() {
			t.Errorf("GET %s: %d %.300s\nwant as %s: %d %.300s", c.frac, frac.Code, frac.Body, c.whole, whole.Code, whole.Body)
		}
	}
	// The direction of each rounding: half a second past a shift's start
	// rounds up and leaves it out; half a second before its end rounds
	// down and leaves it out; half a second past a record's modifiedOn
	// rounds up and leaves it out. The other direction would keep each.
	type item struct {
		ID         int64  `json:"id"`
		Start      string `json:"start"`
		End        string `json:"end"`
		ModifiedOn string `json:"modifiedOn"`
	}
	list := func(query string) []item {
		rec := f.request("GET", api(query), h, "")
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %s", query, rec.Code, rec.Body)
		}
		return decodeJSON[struct{ Data []item }](t, rec.Body.Bytes()).Data
	}
	has := func(l []item, id int64) bool { return slices.ContainsFunc(l, func(x item) bool { return x.ID == id }) }
	half := func(at string, sign time.Duration) string {
		t0, err := time.Parse(time.RFC3339, at)
		if err != nil {
			t.Fatal(err)
		}
		return url.QueryEscape(t0.Add(sign * 500 * time.Millisecond).Format(time.RFC3339Nano))
	}
	sh := list("/technician-shifts?startsOnOrAfter=2027-03-09T00:00:00Z&pageSize=1")[0]
	if has(list("/technician-shifts?startsOnOrAfter="+half(sh.Start, 1)), sh.ID) {
		t.Errorf("startsOnOrAfter half a second past shift %d's start %s keeps it: rounded down", sh.ID, sh.Start)
	}
	if has(list("/technician-shifts?startsOnOrAfter="+url.QueryEscape(sh.Start)+"&endsOnOrBefore="+half(sh.End, -1)), sh.ID) {
		t.Errorf("endsOnOrBefore half a second before shift %d's end %s keeps it: rounded up", sh.ID, sh.End)
	}
	if !has(list("/technician-shifts?startsOnOrAfter="+half(sh.Start, -1)+"&endsOnOrBefore="+half(sh.End, 1)), sh.ID) {
		t.Errorf("bounds half a second outside shift %d lose it", sh.ID)
	}
	ar := list("/appointment-assignments?pageSize=1")[0]
	if has(list("/appointment-assignments?pageSize=500&modifiedOnOrAfter="+half(ar.ModifiedOn, 1)), ar.ID) {
		t.Errorf("modifiedOnOrAfter half a second past record %d's %s keeps it: rounded down", ar.ID, ar.ModifiedOn)
	}
	frac := f.request("POST", api("/capacity"), hj, `{"startsOnOrAfter":"2027-03-09T07:59:59.250Z","endsOnOrBefore":"2027-03-10T00:00:00.750Z"}`)
	whole := f.request("POST", api("/capacity"), hj, `{"startsOnOrAfter":"2027-03-09T08:00:00Z","endsOnOrBefore":"2027-03-10T00:00:00Z"}`)
	if frac.Code != 200 || frac.Body.String() != whole.Body.String() {
		t.Errorf("capacity with fractional bounds: %d %.300s\nwant as whole: %d %.300s", frac.Code, frac.Body, whole.Code, whole.Body)
	}
}

// TestNullMembers: a member given as null where the schema does not allow
// null is a 400 naming it, not a silent "absent"; the documented extension
// "home": null still removes a technician's home.
func TestNullMembers(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	for _, tt := range []struct {
		method, target, body string
		fields               []string
	}{
		{"PATCH", "/technicians/101", `{"skills":null,"name":null}`, []string{"name", "skills"}},
		{"POST", "/capacity", `{"startsOnOrAfter":"2027-03-09T00:00:00Z","endsOnOrBefore":"2027-03-10T00:00:00Z","jobTypeId":null}`, []string{"jobTypeId"}},
		{"POST", "/capacity", `{"startsOnOrAfter":"2027-03-09T00:00:00Z","endsOnOrBefore":null}`, []string{"endsOnOrBefore"}},
		{"POST", "/technician-shifts", `{"technicianIds":[101],"shiftType":"Normal","title":"t","note":null,"start":"2027-03-27T08:00:00-06:00","end":"2027-03-27T09:00:00-06:00"}`, []string{"note"}},
		{"PATCH", "/technician-shifts/1", `{"active":null}`, []string{"active"}},
		{"POST", "/appointment-assignments/assign-technicians", `{"jobAppointmentId":5001,"technicianIds":null}`, []string{"technicianIds"}},
		{"POST", "/capacity-adjustments", `{"date":"2027-03-09","from":"08:00","to":"10:00","minutes":30,"reason":"r","businessUnitId":null}`, []string{"businessUnitId"}},
	} {
		p := checkProblem(t, f.request(tt.method, api(tt.target), h, tt.body), 400)
		errs := errorsOf(t, p)
		for _, field := range tt.fields {
			if msgs, ok := errs[field].([]any); !ok || !strings.Contains(msgs[0].(string), "is null") {
				t.Errorf("%s %s %s: errors %v do not say %s is null", tt.method, tt.target, tt.body, errs, field)
			}
		}
	}
	rec := f.request("PATCH", api("/technicians/101"), h, `{"home":{"latitude":39.7,"longitude":-105}}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"home"`) {
		t.Fatalf("set home: %d %s", rec.Code, rec.Body)
	}
	rec = f.request("PATCH", api("/technicians/101"), h, `{"home":null}`)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), `"home"`) {
		t.Errorf("home null: %d %s", rec.Code, rec.Body)
	}
}

// TestFreeTextLimits: every free-text field holds at most api.MaxText
// characters, and single-line ones no control character but tab; past
// that, a 400 naming the field (a 1 MiB reason was journaled).
func TestFreeTextLimits(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	long := strings.Repeat("é", 1001)
	ok := strings.Repeat("é", 1000)
	shift := func(title, note string) string {
		return `{"technicianIds":[101],"shiftType":"Normal","title":` + jsonString(title) + `,"note":` + jsonString(note) +
			`,"start":"2027-03-27T08:00:00-06:00","end":"2027-03-27T09:00:00-06:00"}`
	}
	for _, tt := range []struct {
		method, target, body, field string
	}{
		{"POST", "/capacity-adjustments", `{"date":"2027-03-09","from":"08:00","to":"10:00","minutes":30,"reason":"` + long + `"}`, "reason"},
		{"POST", "/technician-shifts", shift(long, ""), "title"},
		{"POST", "/technician-shifts", shift("a\nb", ""), "title"},
		{"POST", "/technician-shifts", shift("t", long), "note"},
		{"POST", "/technician-shifts", shift("t", "a\x00b"), "note"},
		{"PATCH", "/technician-shifts/1", `{"title":"a\u0007"}`, "title"},
		{"PATCH", "/technicians/101", `{"name":"` + long + `"}`, "name"},
		{"PATCH", "/technicians/101", `{"name":"a\rb"}`, "name"},
		{"PATCH", "/technicians/101", `{"skills":["HVAC","` + long + `"]}`, "skills[1]"},
	} {
		p := checkProblem(t, f.request(tt.method, api(tt.target), h, tt.body), 400)
		if _, found := errorsOf(t, p)[tt.field]; !found {
			t.Errorf("%s %s: errors %v do not name %s", tt.method, tt.target, errorsOf(t, p), tt.field)
		}
	}
	for _, tt := range []struct{ method, target, body string }{
		{"POST", "/technician-shifts", shift(ok, "line one\r\nline\ttwo "+ok[:100])},
		{"PATCH", "/technicians/101", `{"name":"` + ok + `"}`},
		{"PATCH", "/technicians/101", `{"name":"tab\there"}`},
	} {
		if rec := f.request(tt.method, api(tt.target), h, tt.body); rec.Code != 200 {
			t.Errorf("%s %s at the limit: %d %.300s", tt.method, tt.target, rec.Code, rec.Body)
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
