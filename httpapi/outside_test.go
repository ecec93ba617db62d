package httpapi_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/httpapi"
)

// Tests of the API as an integrator meets it from the outside: what RFC
// 3339, RFC 6749, RFC 9110 and RFC 5789 say of requests that earlier
// rounds did not send.

// TestDateTimeOffsets: a date-time's offset is RFC 3339's, hour 00–23 and
// minute 00–59, in a body and in a query; "+24:00", "+23:60" or "+00:60"
// (which time.Parse takes, moving the instant by a day or an hour) is a
// 400 naming the field, as is a "," fraction, and a leap second says it is
// one. The real extremes, +14:00 and -12:00, and -00:00 answer as their
// UTC spelling does.
func TestDateTimeOffsets(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	hj := map[string]string{"Authorization": h["Authorization"], "ST-App-Key": h["ST-App-Key"], "Content-Type": "application/json"}
	capacity := func(start string) string {
		return `{"startsOnOrAfter":"` + start + `","endsOnOrBefore":"2027-03-11T00:00:00Z"}`
	}
	for _, c := range []struct {
		spelling, want string // want: a piece of the message
	}{
		{"2027-03-09T08:00:00+24:00", "is not RFC 3339"},
		{"2027-03-09T08:00:00-24:00", "is not RFC 3339"},
		{"2027-03-09T08:00:00+23:60", "is not RFC 3339"},
		{"2027-03-09T08:00:00+00:60", "is not RFC 3339"},
		{"2027-03-09T08:00:00,5Z", "is not RFC 3339"},
		{"2027-03-09T08:00:00.5+24:00", "is not RFC 3339"},
		{"2016-12-31T23:59:60Z", "is a leap second"},
	} {
		t.Run(c.spelling, func(t *testing.T) {
			for _, rec := range []struct {
				name, field string
				rec         *httptest.ResponseRecorder
			}{
				{"capacity body", "startsOnOrAfter", f.request("POST", api("/capacity"), hj, capacity(c.spelling))},
				{"shift body", "start", f.request("POST", api("/technician-shifts"), hj,
					`{"technicianIds":[102],"shiftType":"Normal","title":"x","start":"`+c.spelling+`","end":"2027-03-27T09:00:00-06:00"}`)},
				{"query", "startsOnOrAfter", f.request("GET", api("/technician-shifts?startsOnOrAfter="+strings.ReplaceAll(c.spelling, "+", "%2B")), h, "")},
			} {
				p := checkProblem(t, rec.rec, 400)
				msgs, _ := errorsOf(t, p)[rec.field].([]any)
				if len(msgs) == 0 || !strings.Contains(msgs[0].(string), c.want) {
					t.Errorf("%s: errors %v, want %s naming %q", rec.name, errorsOf(t, p), rec.field, c.want)
				}
			}
		})
	}
	for _, c := range []struct{ spelling, utc string }{
		{"2027-03-09T22:00:00+14:00", "2027-03-09T08:00:00Z"},
		{"2027-03-08T20:00:00-12:00", "2027-03-09T08:00:00Z"},
		{"2027-03-09T08:00:00-00:00", "2027-03-09T08:00:00Z"},
		{"2027-03-10T07:59:00+23:59", "2027-03-09T08:00:00Z"},
	} {
		got, want := f.request("POST", api("/capacity"), hj, capacity(c.spelling)), f.request("POST", api("/capacity"), hj, capacity(c.utc))
		if got.Code != 200 || got.Body.String() != want.Body.String() {
			t.Errorf("%s: %d %.300s\nwant as %s: %d %.300s", c.spelling, got.Code, got.Body, c.utc, want.Code, want.Body)
		}
	}
}

// TestBodilessChunked: a POST that takes no input accepts an empty body
// without a Content-Type (api/openapi.yaml, requestBodies Empty) however
// the client frames it: with Content-Length: 0, or chunked with no chunk
// (a client streaming an empty reader), which has no Content-Length. A
// chunked body with bytes and no Content-Type is still a 415.
func TestBodilessChunked(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	send := func(path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", api(path), strings.NewReader(body))
		req.ContentLength = -1 // chunked: the length is not known
		req.TransferEncoding = []string{"chunked"}
		for k, v := range h {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		return rec
	}
	for _, path := range []string{"/technician-shifts/1/deactivate", "/technicians/101/deactivate", "/appointments/5001/cancel"} {
		if rec := send(path, ""); rec.Code != 200 {
			t.Errorf("POST %s, chunked and empty, no Content-Type: %d %s, want 200", path, rec.Code, rec.Body)
		}
	}
	rec := send("/technician-shifts/1/reactivate", "{}")
	p := checkProblem(t, rec, 415)
	if _, ok := errorsOf(t, p)["Content-Type"]; !ok || rec.Header().Get("Accept") != "application/json" {
		t.Errorf("chunked {} without Content-Type: errors %v, Accept %q", errorsOf(t, p), rec.Header().Get("Accept"))
	}
}

// TestTokenRequestStrictness: RFC 6749 §2.3.1 and §3.2 put the token
// request's parameters in the body; client credentials "MUST NOT be
// included in the request URI", where proxies and logs keep them. A
// token request with a query is invalid_request naming the parameters,
// not an answer that ignores them ("grant_type is missing" when it was in
// the query). A body with a Content-Encoding is invalid_request too: the
// form is read as it arrives, and gzip bytes are no form.
func TestTokenRequestStrictness(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	form := "grant_type=client_credentials&client_id=alpha&client_secret=alpha-secret"
	for _, c := range []struct {
		name, query, body, encoding, want string
	}{
		{"credentials in the query", "?client_id=alpha&client_secret=alpha-secret", "grant_type=client_credentials", "", "client_id, client_secret"},
		{"grant_type in the query", "?grant_type=client_credentials", "client_id=alpha&client_secret=alpha-secret", "", "grant_type"},
		{"a query beside a whole form", "?x=1", form, "", "x"},
		{"an empty query value", "?scope=", form, "", "scope"},
		{"a name that does not decode", "?%zz=1&=2", form, "", "$query"},
		{"only a separator", "?&", form, "", "an empty query"},
		{"gzip", "", form, "gzip", "Content-Encoding"},
		{"deflate", "", form, "deflate", "Content-Encoding"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/connect/token"+c.query, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if c.encoding != "" {
				req.Header.Set("Content-Encoding", c.encoding)
			}
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req)
			var out struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
			}
			json.Unmarshal(rec.Body.Bytes(), &out)
			if rec.Code != 400 || out.Error != "invalid_request" || !strings.Contains(out.Description, c.want) {
				t.Errorf("got %d %s, want 400 invalid_request naming %s", rec.Code, rec.Body, c.want)
			}
			if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Pragma") != "no-cache" {
				t.Errorf("Cache-Control %q, Pragma %q", rec.Header().Get("Cache-Control"), rec.Header().Get("Pragma"))
			}
		})
	}
	// Content-Encoding: identity is no coding: the token is issued.
	req := httptest.NewRequest("POST", "/connect/token", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Content-Encoding", "identity")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("Content-Encoding: identity: %d %s, want 200", rec.Code, rec.Body)
	}
}

// TestPatchAcceptPatch: RFC 5789 §2.2 — a PATCH whose document's media
// type the server does not take is a 415 that SHOULD carry Accept-Patch
// with the types it does (§3.1): application/json. (A client that sends
// application/merge-patch+json learns what to send instead.)
func TestPatchAcceptPatch(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	for _, path := range []string{"/technicians/101", "/technician-shifts/1"} {
		for _, ct := range []string{"application/merge-patch+json", "application/json-patch+json", "text/plain"} {
			h["Content-Type"] = ct
			rec := f.request("PATCH", api(path), h, `{"note":"x"}`)
			checkProblem(t, rec, http.StatusUnsupportedMediaType)
			if got := rec.Header().Get("Accept-Patch"); got != "application/json" {
				t.Errorf("PATCH %s as %s: Accept-Patch %q, want application/json", path, ct, got)
			}
		}
	}
	// A POST's 415 has no Accept-Patch: it is not a PATCH.
	h["Content-Type"] = "text/plain"
	if rec := f.request("POST", api("/capacity"), h, `{}`); rec.Header().Get("Accept-Patch") != "" {
		t.Errorf("POST 415 with Accept-Patch %q", rec.Header().Get("Accept-Patch"))
	}
}

// TestContractSweep walks api/openapi.yaml itself, so that an operation
// added to the document is covered without a list to extend: for every
// path and method, under both route prefixes, it sends the requests every
// operation must refuse — no token (401, Bearer challenge), a wrong app
// key (403), an unknown query parameter (400 naming it), and for one with
// a request body a wrong Content-Type (415), a body over 1 MiB (413) and
// malformed JSON (400) — and validates each answer against the contract
// with openapi3filter (its default Problem response) and the problem
// schema. Each path's 405 lists in Allow exactly the methods the document
// gives it, with HEAD where it has GET; and HEAD answers every GET with
// its status and headers and no body.
func TestContractSweep(t *testing.T) {
	for _, prefix := range httpapi.Prefixes {
		f := newFixture(t, httpapi.Config{RateLimit: -1})
		doc, router := contract(t, prefix)
		tok := f.token(t, "alpha", "alpha-secret")
		base := strings.Replace(prefix, "{tenant}", demoTenant, 1)
		live := httptest.NewServer(f.h)
		defer live.Close()
		for _, p := range slices.Sorted(maps.Keys(doc.Paths.Map())) {
			ops := doc.Paths.Value(p).Operations()
			// Path ids: one that exists for no record (a 404 where looked
			// up), so that nothing here changes the tenant; a body's
			// errors go to a record that exists (a malformed body changes
			// nothing), since an operation may look its record up first.
			path := base + strings.ReplaceAll(p, "{id}", "987654321")
			existing := base + strings.ReplaceAll(p, "{id}", map[string]string{
				"/appointments": "5001", "/technician-shifts": "1", "/technicians": "101", "/capacity-adjustments": "2",
			}["/"+strings.Split(p, "/")[1]])
			var allow []string
			for _, m := range []string{"GET", "HEAD", "POST", "PATCH", "DELETE"} {
				if ops[m] != nil || m == "HEAD" && ops["GET"] != nil {
					allow = append(allow, m)
				}
			}
			for _, m := range slices.Sorted(maps.Keys(ops)) {
				op := ops[m]
				t.Run(prefix+" "+m+" "+p, func(t *testing.T) {
					auth := func(key, ct string) map[string]string {
						h := map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": key}
						if ct != "" {
							h["Content-Type"] = ct
						}
						return h
					}
					body, ct := "", ""
					if op.RequestBody != nil {
						body, ct = "{}", "application/json"
					}
					type request struct {
						name, target string
						header       map[string]string
						body         string
						status       int
						field        string
					}
					cases := []request{
						{"no token", path, map[string]string{"ST-App-Key": "alpha-app-key"}, body, 401, "Authorization"},
						{"wrong app key", path, auth("beta-app-key", ct), body, 403, "ST-App-Key"},
						{"unknown query parameter", path + "?zzUnknown=1", auth("alpha-app-key", ct), body, 400, "zzUnknown"},
					}
					if op.RequestBody != nil {
						cases = append(cases,
							request{"text/plain", existing, auth("alpha-app-key", "text/plain"), "{}", 415, "Content-Type"},
							request{"over 1 MiB", existing, auth("alpha-app-key", "application/json"), `{"x":"` + strings.Repeat("x", httpapi.MaxBody) + `"}`, 413, ""},
							request{"malformed JSON", existing, auth("alpha-app-key", "application/json"), `{"x":`, 400, "$"})
					}
					for _, c := range cases {
						rec := validate(t, f, router, m, c.target, c.header, c.body, c.status, false)
						pd := checkProblem(t, rec, c.status)
						if c.field != "" {
							if _, ok := errorsOf(t, pd)[c.field]; !ok {
								t.Errorf("%s: problem does not name %s: %s", c.name, c.field, rec.Body)
							}
						}
						if c.status == 401 && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer ") {
							t.Errorf("%s: WWW-Authenticate %q", c.name, rec.Header().Get("WWW-Authenticate"))
						}
					}
				})
			}
			t.Run(prefix+" methods "+p, func(t *testing.T) {
				for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"} {
					if slices.Contains(allow, m) {
						continue
					}
					rec := f.request(m, path, map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key"}, "")
					checkProblem(t, rec, 405)
					if got, want := rec.Header().Get("Allow"), strings.Join(allow, ", "); got != want {
						t.Errorf("%s: Allow %q, want the document's %q", m, got, want)
					}
				}
				if ops["GET"] == nil {
					return
				}
				// HEAD over a real server: the recorder would keep a body
				// that net/http does not send.
				q := map[string]string{"/gps-pings": "?technicianId=101&fromUtc=2027-03-09T14:00:00Z&toUtc=2027-03-09T20:00:00Z"}[p]
				for _, target := range []string{path + q, path + "?zzUnknown=1", path + "?page=0"} {
					var res [2]*http.Response
					var body [2][]byte
					for i, m := range []string{"GET", "HEAD"} {
						req, _ := http.NewRequest(m, live.URL+target, nil)
						req.Header.Set("Authorization", "Bearer "+tok)
						req.Header.Set("ST-App-Key", "alpha-app-key")
						r, err := live.Client().Do(req)
						if err != nil {
							t.Fatal(err)
						}
						body[i], _ = io.ReadAll(r.Body)
						r.Body.Close()
						res[i] = r
					}
					get, head := res[0], res[1]
					if head.StatusCode != get.StatusCode || len(body[1]) != 0 {
						t.Errorf("HEAD %s: %d with %d bytes; GET: %d", target, head.StatusCode, len(body[1]), get.StatusCode)
					}
					for _, k := range []string{"Content-Type", "Cache-Control", "X-Content-Type-Options", "Allow", "WWW-Authenticate"} {
						if head.Header.Get(k) != get.Header.Get(k) {
							t.Errorf("HEAD %s: %s %q, GET's %q", target, k, head.Header.Get(k), get.Header.Get(k))
						}
					}
					if head.Header.Get("Date") == "" || get.Header.Get("Date") == "" {
						t.Errorf("%s: no Date header (RFC 9110 §6.6.1)", target)
					}
				}
			})
		}
	}
}

// TestNullBody: a request body of null is a 400 naming "$" on every
// operation that takes one (walked from api/openapi.yaml), as the
// contract's Empty body already says for those that take none: every
// request schema is an object, and null is none. A PATCH of null
// answered 200 and changed nothing, so a generated client that sent null
// for a nil body never heard of its mistake.
func TestNullBody(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	doc, router := contract(t, httpapi.Prefixes[1])
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	base := "/dispatch/v2/" + demoTenant
	ids := map[string]string{"/appointments": "5001", "/technician-shifts": "1", "/technicians": "101", "/capacity-adjustments": "2"}
	for _, p := range slices.Sorted(maps.Keys(doc.Paths.Map())) {
		ops := doc.Paths.Value(p).Operations()
		for _, m := range slices.Sorted(maps.Keys(ops)) {
			if ops[m].RequestBody == nil {
				continue
			}
			path := base + strings.ReplaceAll(p, "{id}", ids["/"+strings.Split(p, "/")[1]])
			for _, body := range []string{"null", " null\n", "\tnull "} {
				rec := validate(t, f, router, m, path, h, body, http.StatusBadRequest, false)
				pd := checkProblem(t, rec, http.StatusBadRequest)
				if _, ok := errorsOf(t, pd)["$"]; !ok {
					t.Errorf("%s %s with %q: errors %v, want one at $", m, p, body, errorsOf(t, pd))
				}
			}
		}
	}
}

// TestBodilessMessages: what a POST that takes no input says of a body
// that is not {} names its package, as every other message does.
func TestBodilessMessages(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	for _, body := range []string{" ", "[]", "{} {}", `{"x":1}`, "{", "null"} {
		pd := checkProblem(t, f.request("POST", api("/technicians/101/deactivate"), h, body), 400)
		for field, msgs := range errorsOf(t, pd) {
			for _, m := range msgs.([]any) {
				if !strings.HasPrefix(m.(string), "httpapi: ") {
					t.Errorf("body %q: %s: %q lacks the package prefix", body, field, m)
				}
			}
		}
	}
}

// TestIfMatch: RFC 9110 §13.1.1 — an origin server that receives If-Match
// evaluates it before performing the method, and MUST NOT perform it when
// the condition is false. This server sends no entity tags, so no list of
// tags matches: a request with one is a 412 naming If-Match, and the
// change is not made (a client guarding a PATCH against lost updates is
// told its guard cannot hold, rather than having it ignored). If-Match: *
// holds for a record that exists, and the request is served. Problems
// found before (a 401, a query) keep their status (§13.2.1).
func TestIfMatch(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	with := func(ifMatch string) map[string]string {
		m := map[string]string{"Authorization": h["Authorization"], "ST-App-Key": h["ST-App-Key"], "Content-Type": "application/json"}
		if ifMatch != "" {
			m["If-Match"] = ifMatch
		}
		return m
	}
	before := f.request("GET", api("/technicians?ids=101"), h, "").Body.String()
	for _, c := range []struct{ method, path, body string }{
		{"PATCH", "/technicians/101", `{"name":"Someone Else"}`},
		{"POST", "/technicians/101/deactivate", ""},
		{"DELETE", "/capacity-adjustments/2", ""},
		{"POST", "/appointment-assignments/assign-technicians", `{"jobAppointmentId":5001,"technicianIds":[102]}`},
		{"GET", "/technicians?ids=101", ""},
	} {
		for _, tag := range []string{`"abc"`, `W/"abc"`, `"a", "b"`} {
			rec := f.request(c.method, api(c.path), with(tag), c.body)
			pd := checkProblem(t, rec, http.StatusPreconditionFailed)
			if _, ok := errorsOf(t, pd)["If-Match"]; !ok {
				t.Errorf("%s %s If-Match %s: errors %v, want one at If-Match", c.method, c.path, tag, errorsOf(t, pd))
			}
		}
	}
	if after := f.request("GET", api("/technicians?ids=101"), h, "").Body.String(); after != before {
		t.Errorf("a 412 changed the technician:\nbefore %s\nafter  %s", before, after)
	}
	if rec := f.request("GET", api("/capacity-adjustments?pageSize=500"), h, ""); !strings.Contains(rec.Body.String(), `"id":2,`) {
		t.Errorf("a 412 deleted adjustment 2: %s", rec.Body)
	}
	if rec := f.request("PATCH", api("/technicians/101"), with("*"), `{"name":"Ana Ruiz"}`); rec.Code != 200 {
		t.Errorf("If-Match: * on a technician that exists: %d %s", rec.Code, rec.Body)
	}
	if rec := f.request("PATCH", api("/technicians/999"), with("*"), `{"name":"X"}`); rec.Code != 404 {
		t.Errorf("If-Match: * on a technician that does not exist: %d, want 404", rec.Code)
	}
	noToken := with(`"abc"`)
	delete(noToken, "Authorization")
	checkProblem(t, f.request("PATCH", api("/technicians/101"), noToken, `{}`), 401)
	checkProblem(t, f.request("GET", api("/technicians?zz=1"), with(`"abc"`), ""), 400)
}

// TestQueryPlusOffset: a "+" in a query string is a space (form
// encoding), so a client that writes an offset unescaped
// (modifiedOnOrAfter=2027-03-01T00:00:00+07:00) sends
// "2027-03-01T00:00:00 07:00": still a 400, whose message now says why
// and what to send, where it only quoted the date-time with a space.
func TestQueryPlusOffset(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	for _, c := range []struct{ query, field string }{
		{"/appointment-assignments?modifiedOnOrAfter=2027-03-01T00:00:00+07:00", "modifiedOnOrAfter"},
		{"/technician-shifts?endsOnOrBefore=2027-03-20T00:00:00.500+05:30", "endsOnOrBefore"},
		{"/gps-pings?technicianId=101&fromUtc=2027-03-09T14:00:00Z&toUtc=2027-03-09T20:00:00+00:00", "toUtc"},
	} {
		pd := checkProblem(t, f.request("GET", api(c.query), h, ""), 400)
		msgs, _ := errorsOf(t, pd)[c.field].([]any)
		if len(msgs) == 0 || !strings.Contains(msgs[0].(string), "%2B") {
			t.Errorf("%s: errors %v, want %s to say to send + as %%2B", c.query, errorsOf(t, pd), c.field)
		}
	}
	// Escaped, the same offsets are served.
	if rec := f.request("GET", api("/appointment-assignments?modifiedOnOrAfter=2027-03-01T00:00:00%2B07:00"), h, ""); rec.Code != 200 {
		t.Errorf("%%2B07:00: %d %s", rec.Code, rec.Body)
	}
}

// TestContractEveryRecord validates every record the demo tenant holds
// against the contract, not the first page of each list: every page of
// every paged list at pageSize 500, the pings of every technician over
// the supported years, zones and business hours, and the capacity of the
// tenant's busiest month (the first 31 days from its first shift), so that
// a record of an unusual shape (no arrival window, an unassigned history,
// no home) is checked too.
func TestContractEveryRecord(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	_, router := contract(t, httpapi.Prefixes[0])
	h := f.authed(t)
	get := func(target string) *httptest.ResponseRecorder {
		t.Helper()
		return validate(t, f, router, "GET", api(target), h, "", http.StatusOK, true)
	}
	techs := map[int64]bool{}
	for _, list := range []string{"/appointment-assignments", "/technician-shifts", "/capacity-adjustments", "/appointments", "/technicians"} {
		n := 0
		for page := 1; ; page++ {
			var out struct {
				HasMore    bool              `json:"hasMore"`
				TotalCount int               `json:"totalCount"`
				Data       []json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(get(list+"?pageSize=500&page="+strconv.Itoa(page)).Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			n += len(out.Data)
			if list == "/technicians" {
				for _, d := range out.Data {
					var tech struct{ ID int64 }
					json.Unmarshal(d, &tech)
					techs[tech.ID] = true
				}
			}
			if !out.HasMore {
				if n != out.TotalCount || n == 0 {
					t.Errorf("%s: %d records over %d pages, totalCount %d", list, n, page, out.TotalCount)
				}
				break
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(techs)) {
		get("/gps-pings?technicianId=" + strconv.FormatInt(id, 10) + "&fromUtc=1900-01-01T00:00:00Z&toUtc=2199-12-31T00:00:00Z")
	}
	get("/zones")
	get("/business-hours")
	h["Content-Type"] = "application/json"
	for _, body := range []string{
		`{"startsOnOrAfter":"2027-03-01T00:00:00-07:00","endsOnOrBefore":"2027-04-01T00:00:00-06:00"}`,
		`{"startsOnOrAfter":"2027-03-01T00:00:00-07:00","endsOnOrBefore":"2027-04-01T00:00:00-06:00","jobTypeId":101,"skillBasedAvailability":true,"zip":"80202"}`,
	} {
		validate(t, f, router, "POST", api("/capacity"), h, body, http.StatusOK, true)
	}
}

// TestTokenOutsideTheHeader: RFC 6750 §2.2 and §2.3 let a resource server
// take a token from a form body or the query; this one takes it from the
// Authorization header only. A request that carries it elsewhere and no
// header is a 401 with the Bearer challenge and no error code (§3.1: an
// unsupported way to authenticate), whose message says where the token
// was found and that it is not read there; the token was not used.
func TestTokenOutsideTheHeader(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	tok := f.token(t, "alpha", "alpha-secret")
	for _, c := range []struct {
		name, method, target, ct, body, want string
	}{
		{"query", "GET", api("/zones?access_token=" + tok), "", "", "query"},
		{"query of a list", "GET", api("/technicians?page=1&access_token=" + tok), "", "", "query"},
		{"form body", "POST", api("/capacity"), "application/x-www-form-urlencoded", "access_token=" + tok, "form"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := map[string]string{"ST-App-Key": "alpha-app-key"}
			if c.ct != "" {
				h["Content-Type"] = c.ct
			}
			rec := f.request(c.method, c.target, h, c.body)
			pd := checkProblem(t, rec, 401)
			if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer realm="dispatch"` {
				t.Errorf("WWW-Authenticate %q", got)
			}
			msgs, _ := errorsOf(t, pd)["Authorization"].([]any)
			if len(msgs) == 0 || !strings.Contains(msgs[0].(string), "access_token") || !strings.Contains(msgs[0].(string), c.want) {
				t.Errorf("errors %v: want Authorization to say access_token in the %s is not read", errorsOf(t, pd), c.want)
			}
		})
	}
}

// TestNonPositiveBodyIDs: an id is positive wherever it is given: 0 or a
// negative id in an assign or unassign body is a 400 naming the member,
// as it is in a path, a query filter and every other body (shift
// creation, appointments, technicians), not a 404 "unknown appointment
// 0" that sends the client looking for a record that cannot exist. A
// positive id that names nothing stays a 404.
func TestNonPositiveBodyIDs(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	for _, op := range []string{"/appointment-assignments/assign-technicians", "/appointment-assignments/unassign-technicians"} {
		for _, c := range []struct {
			body, field string
			status      int
		}{
			{`{"jobAppointmentId":0,"technicianIds":[101]}`, "jobAppointmentId", 400},
			{`{"jobAppointmentId":-5001,"technicianIds":[101]}`, "jobAppointmentId", 400},
			{`{"jobAppointmentId":-9223372036854775808,"technicianIds":[101]}`, "jobAppointmentId", 400},
			{`{"jobAppointmentId":5001,"technicianIds":[101,0]}`, "technicianIds[1]", 400},
			{`{"jobAppointmentId":5001,"technicianIds":[-101]}`, "technicianIds[0]", 400},
			{`{"jobAppointmentId":9223372036854775807,"technicianIds":[101]}`, "jobAppointmentId", 404},
			{`{"jobAppointmentId":5001,"technicianIds":[9223372036854775807]}`, "technicianIds[0]", 404},
		} {
			pd := checkProblem(t, f.request("POST", api(op), h, c.body), c.status)
			if _, ok := errorsOf(t, pd)[c.field]; !ok {
				t.Errorf("%s %s: errors %v, want one at %s", op, c.body, errorsOf(t, pd), c.field)
			}
		}
	}
}

// TestAdjustmentZeroUnit: an adjustment's businessUnitId or
// businessUnitGroupId of 0 or below is a 400 naming it. A 0 was read as
// "no unit" and created a tenant-wide adjustment: a client that meant a
// unit changed every request's capacity and got a 200.
func TestAdjustmentZeroUnit(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	before := f.request("GET", api("/capacity-adjustments?pageSize=500"), h, "").Body.String()
	for _, c := range []struct{ member, field string }{
		{`"businessUnitId":0`, "businessUnitId"},
		{`"businessUnitId":-1`, "businessUnitId"},
		{`"businessUnitGroupId":0`, "businessUnitGroupId"},
		{`"id":77,"businessUnitGroupId":0`, "businessUnitGroupId"},
	} {
		body := `{"date":"2027-03-11","from":"08:00","to":"10:00","minutes":5,"reason":"x",` + c.member + `}`
		pd := checkProblem(t, f.request("POST", api("/capacity-adjustments"), h, body), 400)
		if _, ok := errorsOf(t, pd)[c.field]; !ok {
			t.Errorf("%s: errors %v, want one at %s", body, errorsOf(t, pd), c.field)
		}
	}
	if after := f.request("GET", api("/capacity-adjustments?pageSize=500"), h, "").Body.String(); after != before {
		t.Errorf("a refused adjustment was created:\nbefore %s\nafter  %s", before, after)
	}
}
