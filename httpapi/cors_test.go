package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

// corsCall makes a request with an Origin header, and for a preflight
// the Access-Control-Request-* headers a browser sends.
func corsCall(f *fixture, method, path, origin, token, preflightMethod string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if preflightMethod != "" {
		req.Header.Set("Access-Control-Request-Method", preflightMethod)
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,st-app-key")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("ST-App-Key", "alpha-app-key")
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func TestCORS(t *testing.T) {
	const app = "http://localhost:3000"
	f := newFixture(t, httpapi.Config{CORSOrigins: []string{"HTTP://LocalHost:3000", "https://board.example.com"}})
	tok := f.token(t, "alpha", "alpha-secret")

	t.Run("preflight of an allowed origin", func(t *testing.T) {
		rec := corsCall(f, "OPTIONS", api("/capacity"), app, "", "POST")
		h := rec.Header()
		if rec.Code != http.StatusNoContent {
			t.Fatalf("status %d, want 204: %s", rec.Code, rec.Body)
		}
		for k, want := range map[string]string{
			"Access-Control-Allow-Origin":  app,
			"Access-Control-Allow-Methods": "POST",
			"Access-Control-Allow-Headers": "Authorization, Content-Type, ST-App-Key",
			"Access-Control-Max-Age":       "600",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
		if v := strings.Join(h.Values("Vary"), ", "); !strings.Contains(v, "Origin") {
			t.Errorf("Vary %q does not name Origin", v)
		}
		if rec.Body.Len() != 0 {
			t.Errorf("a 204 with a body: %q", rec.Body)
		}
	})
	t.Run("preflight lists every method of the path", func(t *testing.T) {
		rec := corsCall(f, "OPTIONS", api("/technician-shifts"), app, "", "GET")
		if got := rec.Header().Get("Access-Control-Allow-Methods"); got != "GET, HEAD, POST" {
			t.Errorf("methods %q, want GET, HEAD, POST", got)
		}
	})
	t.Run("actual request of an allowed origin", func(t *testing.T) {
		rec := corsCall(f, "GET", api("/zones"), app, tok, "")
		if rec.Code != 200 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != app {
			t.Errorf("Allow-Origin %q, want %q", got, app)
		}
		if got := rec.Header().Get("Access-Control-Expose-Headers"); !strings.Contains(got, httpapi.WarningHeader) || !strings.Contains(got, "Retry-After") {
			t.Errorf("Expose-Headers %q lacks the warnings or Retry-After", got)
		}
	})
	t.Run("an error answer carries the headers too", func(t *testing.T) {
		rec := corsCall(f, "GET", api("/zones"), app, "", "") // no token
		if rec.Code != 401 || rec.Header().Get("Access-Control-Allow-Origin") != app {
			t.Errorf("status %d, Allow-Origin %q: want 401 readable by %s", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"), app)
		}
	})
	t.Run("another origin gets nothing", func(t *testing.T) {
		rec := corsCall(f, "OPTIONS", api("/capacity"), "http://evil.example", "", "POST")
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("preflight of another origin: status %d, want 405", rec.Code)
		}
		for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods"} {
			if v := rec.Header().Get(k); v != "" {
				t.Errorf("%s %q sent to another origin", k, v)
			}
		}
		rec = corsCall(f, "GET", api("/zones"), "http://localhost:3001", tok, "")
		if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("GET from another origin: status %d, Allow-Origin %q: want 200 without it", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
		}
	})
	t.Run("preflight of an unknown path is 404", func(t *testing.T) {
		if rec := corsCall(f, "OPTIONS", api("/nothing"), app, "", "GET"); rec.Code != 404 {
			t.Errorf("status %d, want 404", rec.Code)
		}
	})
}

func TestCORSAnyOrigin(t *testing.T) {
	f := newFixture(t, httpapi.Config{CORSOrigins: []string{"*"}})
	rec := corsCall(f, "OPTIONS", "/connect/token", "http://anywhere.example:8443", "", "POST")
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("status %d, Allow-Origin %q: want 204 and *", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	}
	for _, v := range rec.Header().Values("Vary") {
		for _, field := range strings.Split(v, ", ") {
			if field == "Origin" {
				t.Errorf("Vary %q: an answer for any origin need not vary on it", v)
			}
		}
	}
}

func TestCORSOff(t *testing.T) {
	f := newFixture(t, httpapi.Config{})
	rec := corsCall(f, "OPTIONS", api("/capacity"), "http://localhost:3000", "", "POST")
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Access-Control-Allow-Origin") != "" || rec.Header().Get("Vary") != "" {
		t.Errorf("without CORS origins: status %d, headers %v; want 405 and no CORS headers", rec.Code, rec.Header())
	}
}

func TestCORSOrigins(t *testing.T) {
	for _, o := range []string{"localhost:3000", "http://localhost:3000/", "http://localhost:3000/app", "ftp://x.example",
		"http://user@x.example", "http://x.example?q", "http://x.example#f", "", "http://"} {
		_, err := httpapi.New(httpapi.Config{CORSOrigins: []string{"http://ok.example", o}}, dispatch.DemoTenant)
		if err == nil || !strings.Contains(err.Error(), "CORS origin 2") || !strings.Contains(err.Error(), "not an origin") {
			t.Errorf("origin %q: err %v, want one naming origin 2", o, err)
		}
	}
	for _, o := range []string{"*", "http://localhost:3000", "https://Board.Example.com", "http://[::1]:8080"} {
		if _, err := httpapi.ParseOrigin(o); err != nil {
			t.Errorf("origin %q refused: %v", o, err)
		}
	}
}
