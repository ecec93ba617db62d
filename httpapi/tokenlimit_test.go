package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/httpapi"
)

// TestTokenRateLimit checks that a client's token requests share its
// rate limit: past the burst, 429 with Retry-After and the OAuth error
// slow_down, without issuing a token; another client is not held back,
// and the client may ask again once the bucket refills.
func TestTokenRateLimit(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: 2})
	ask := func(id, secret string) *httptest.ResponseRecorder {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
		req := httptest.NewRequest("POST", "/connect/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		return rec
	}
	for i := range 2 {
		if rec := ask("alpha", "alpha-secret"); rec.Code != 200 {
			t.Fatalf("token %d within the burst: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	rec := ask("alpha", "alpha-secret")
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "1" {
		t.Fatalf("third token at once: %d, Retry-After %q; want 429 and 1", rec.Code, rec.Header().Get("Retry-After"))
	}
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error != "slow_down" || strings.Contains(rec.Body.String(), "access_token") {
		t.Errorf("429 body %s: want the OAuth error slow_down and no token", rec.Body)
	}
	if rec := ask("beta", "beta-secret"); rec.Code != 200 {
		t.Errorf("another client held back: %d %s", rec.Code, rec.Body)
	}
	// A wrong secret is refused as before, not counted as this client's.
	if rec := ask("alpha", "wrong"); rec.Code != 401 {
		t.Errorf("wrong secret: %d, want 401", rec.Code)
	}
	f.clock.advance(time.Second)
	if rec := ask("alpha", "alpha-secret"); rec.Code != 200 {
		t.Errorf("after a second: %d %s, want a token", rec.Code, rec.Body)
	}
}
