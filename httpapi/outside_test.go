package httpapi_test

import (
	"net/http"
	"net/http/httptest"
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
