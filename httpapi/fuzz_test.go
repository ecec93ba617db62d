package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

var (
	fuzzOnce sync.Once
	fuzzSrv  *fixture
	fuzzTok  string
)

// fuzzServer is one server for the whole fuzzing process: the demo
// tenant, the small synthetic one and one named "tenant"; client "fuzz"
// reaches the first and the last. Its clock stands still, so tokens do not
// expire; the rate limit is off.
func fuzzServer(t testing.TB) (*fixture, string) {
	fuzzOnce.Do(func() {
		cs := []httpapi.Client{{ID: "fuzz", SecretHash: httpapi.HashSecret(awkwardSecret), AppKey: "fuzz-app-key", Tenants: []string{demoTenant, "tenant"}}}
		now := func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC) }
		srv, err := httpapi.New(httpapi.Config{RateLimit: -1, Clients: cs, Now: now}, dispatch.DemoTenant, otherTenant(t), tenantNamed("tenant"))
		if err != nil {
			panic(err)
		}
		fuzzSrv = &fixture{srv: srv, h: srv.Handler()}
		fuzzTok = fuzzSrv.token(t, "fuzz", awkwardSecret)
	})
	return fuzzSrv, fuzzTok
}

// FuzzHTTP sends requests through the real handler: the method, the
// request target (path and query), the Authorization header (by mode: none,
// a valid token under several spellings of Bearer, or fuzzed values), the
// ST-App-Key, the Content-Type and the body. The request is written out as
// bytes and read back with http.ReadRequest, as the server reads it, so
// what net/http refuses never reaches the handler. Whatever the input: no
// 5xx, no panic, and every error is a problem document (OAuth errors at
// the token endpoint), bounded in size.
//
// The seed corpus is testdata/fuzz/FuzzHTTP: both prefixes, the crashing
// page numbers of issue #11, tenants named "tenant", escapes, bad
// instants, every Authorization mode, token requests, wrong methods, and
// the capacity adjustments of the extension.
func FuzzHTTP(f *testing.F) {
	srv, tok := fuzzServer(f)
	f.Fuzz(func(t *testing.T, method, target string, auth uint8, authValue, appKey, contentType string, body []byte) {
		var raw bytes.Buffer
		fmt.Fprintf(&raw, "%s %s HTTP/1.1\r\nHost: localhost\r\n", method, target)
		switch auth % 8 {
		case 1:
			fmt.Fprintf(&raw, "Authorization: Bearer %s\r\n", tok)
		case 2:
			fmt.Fprintf(&raw, "Authorization: bearer %s\r\n", tok)
		case 3:
			fmt.Fprintf(&raw, "Authorization: BEARER  %s\r\n", tok)
		case 4:
			fmt.Fprintf(&raw, "Authorization: %s\r\n", authValue)
		case 5:
			fmt.Fprintf(&raw, "Authorization: Bearer %s\r\n", authValue)
		case 6:
			fmt.Fprintf(&raw, "Authorization: Basic %s\r\n", base64.StdEncoding.EncodeToString([]byte(authValue)))
		case 7:
			fmt.Fprintf(&raw, "Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n", tok, tok)
		}
		if auth&8 == 0 {
			appKey = "fuzz-app-key"
		}
		if auth&16 == 0 {
			fmt.Fprintf(&raw, "ST-App-Key: %s\r\n", appKey)
		}
		if contentType != "" {
			fmt.Fprintf(&raw, "Content-Type: %s\r\n", contentType)
		}
		fmt.Fprintf(&raw, "Content-Length: %d\r\n\r\n", len(body))
		raw.Write(body)
		req, err := http.ReadRequest(bufio.NewReader(&raw))
		if err != nil {
			return // net/http answers it with its own 400
		}
		rec := httptest.NewRecorder()
		srv.h.ServeHTTP(rec, req)
		checkResponse(t, req, rec)
	})
}

// checkResponse is the property of FuzzHTTP.
func checkResponse(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	code, ct := rec.Code, rec.Header().Get("Content-Type")
	switch {
	case code == http.StatusNotImplemented && !knownMethod(req.Method):
		// RFC 9110 §9.1: an unknown method is 501, a problem document.
	case code >= 500:
		t.Fatalf("%s %q: %d %s", req.Method, req.RequestURI, code, rec.Body)
	case code >= 300 && code < 400:
		if rec.Header().Get("Location") == "" {
			t.Fatalf("%s %q: %d without Location", req.Method, req.RequestURI, code)
		}
		return
	case code < 400:
		if req.Method != "HEAD" && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %q: %d with a body that is not JSON: %.200s", req.Method, req.RequestURI, code, rec.Body)
		}
		return
	}
	if rec.Body.Len() > 64<<10 {
		t.Fatalf("%s %q: error response of %d bytes", req.Method, req.RequestURI, rec.Body.Len())
	}
	if ct == "application/json" && req.Method == "POST" && req.URL.Path == "/connect/token" {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" || rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("token endpoint error is not an RFC 6749 error: %d %s", code, rec.Body)
		}
		return
	}
	if ct != "application/problem+json" {
		t.Fatalf("%s %q: %d with Content-Type %q: %.300s", req.Method, req.RequestURI, code, ct, rec.Body)
	}
	var p struct {
		Type    *string              `json:"type"`
		Title   *string              `json:"title"`
		Status  *int                 `json:"status"`
		TraceID *string              `json:"traceId"`
		Errors  *map[string][]string `json:"errors"`
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	if err := dec.Decode(&p); err != nil || p.Type == nil || p.Title == nil || p.Status == nil || p.TraceID == nil || (p.Errors != nil && len(*p.Errors) == 0) {
		t.Fatalf("%s %q: %d: not a problem document (%v): %.300s", req.Method, req.RequestURI, code, err, rec.Body)
	}
	if *p.Status != code || *p.Title != httpapi.Title(code) || *p.TraceID == "" || *p.Type != "about:blank" {
		t.Fatalf("%s %q: %d: inconsistent problem document %s", req.Method, req.RequestURI, code, rec.Body)
	}
	switch code {
	case 401:
		if rec.Header().Get("WWW-Authenticate") == "" {
			t.Fatalf("401 without WWW-Authenticate")
		}
	case 405:
		if rec.Header().Get("Allow") == "" {
			t.Fatalf("405 without Allow")
		}
	}
}

// knownMethod reports whether m is a method of RFC 9110 §9 or PATCH.
func knownMethod(m string) bool {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE":
		return true
	}
	return false
}
