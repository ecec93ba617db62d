package httpapi_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
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
	ask := func(id, secret string) *httptest.ResponseRecorder { return askToken(f, id, secret) }
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

// TestFailedAuthLimit checks that wrong secrets of one client id are
// limited: FailedAuthBurst are answered 401, then the id is refused with
// 429 slow_down and Retry-After, its right secret included, until its
// bucket refills one attempt each FailedAuthEvery; another client and
// unknown ids are not affected, and a right secret costs nothing. The
// limit holds with RateLimit off.
func TestFailedAuthLimit(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	ask := func(id, secret string) *httptest.ResponseRecorder { return askToken(f, id, secret) }
	// Right secrets do not use the bucket up.
	for i := range 3 * httpapi.FailedAuthBurst {
		if rec := ask("alpha", "alpha-secret"); rec.Code != 200 {
			t.Fatalf("right secret %d: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	for i := range httpapi.FailedAuthBurst {
		if rec := ask("alpha", fmt.Sprintf("guess-%d", i)); rec.Code != 401 {
			t.Fatalf("wrong secret %d of the burst: %d %s, want 401", i+1, rec.Code, rec.Body)
		}
	}
	every := int(httpapi.FailedAuthEvery / time.Second)
	for _, secret := range []string{"guess-x", "alpha-secret"} {
		rec := ask("alpha", secret)
		if rec.Code != 429 || rec.Header().Get("Retry-After") != fmt.Sprint(every) || strings.Contains(rec.Body.String(), "access_token") {
			t.Fatalf("secret %q past the burst: %d, Retry-After %q, body %s; want 429, %d and no token", secret, rec.Code, rec.Header().Get("Retry-After"), rec.Body, every)
		}
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error != "slow_down" {
			t.Errorf("429 body %s: want the OAuth error slow_down", rec.Body)
		}
	}
	if rec := ask("beta", "beta-secret"); rec.Code != 200 {
		t.Errorf("another client held back: %d %s", rec.Code, rec.Body)
	}
	for i := range 2 * httpapi.FailedAuthBurst {
		if rec := ask("nobody", "x"); rec.Code != 401 {
			t.Fatalf("unknown id, attempt %d: %d, want 401 always", i+1, rec.Code)
		}
	}
	f.clock.advance(httpapi.FailedAuthEvery - time.Second)
	if rec := ask("alpha", "alpha-secret"); rec.Code != 429 {
		t.Errorf("a second before the refill: %d, want 429", rec.Code)
	}
	f.clock.advance(time.Second)
	if rec := ask("alpha", "alpha-secret"); rec.Code != 200 {
		t.Errorf("after the refill, the right secret: %d %s, want a token", rec.Code, rec.Body)
	}
	// The right secret used none of the attempt that came back; a second
	// one comes back: two wrong secrets are answered, the next is not.
	f.clock.advance(httpapi.FailedAuthEvery)
	for _, guess := range []string{"guess-y", "guess-z"} {
		if rec := ask("alpha", guess); rec.Code != 401 {
			t.Errorf("%s, a refilled attempt: %d, want 401", guess, rec.Code)
		}
	}
	if rec := ask("alpha", "guess-w"); rec.Code != 429 {
		t.Errorf("after using the refilled attempts: %d, want 429", rec.Code)
	}
}

// askToken asks f's server for a token with client credentials in the
// form.
func askToken(f *fixture, id, secret string) *httptest.ResponseRecorder {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	req := httptest.NewRequest("POST", "/connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

// TestFailedAuthLimitConcurrent checks that wrong secrets sent at once
// are bounded as those sent in turn: of n sent together, FailedAuthBurst
// are answered 401 and the rest 429. The server's clock hands out its
// readings n at a time, each group once all n have asked, so that every
// request reads the clock in the limiter before any goes on: checking
// the bucket and taking from it in two steps answered all n with 401.
func TestFailedAuthLimitConcurrent(t *testing.T) {
	const n = 50
	var (
		mu      sync.Mutex
		armed   bool
		waiting int
		release = make(chan struct{})
	)
	base := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	now := func() time.Time {
		mu.Lock()
		if !armed {
			mu.Unlock()
			return base
		}
		waiting++
		ch := release
		if waiting == n {
			close(release)
			waiting, release = 0, make(chan struct{})
		}
		mu.Unlock()
		select {
		case <-ch:
		case <-time.After(5 * time.Second): // a group that never fills: let the counts tell
		}
		return base
	}
	f := newFixture(t, httpapi.Config{RateLimit: -1, Now: now})
	mu.Lock()
	armed = true
	mu.Unlock()
	codes := make([]int, n)
	var done sync.WaitGroup
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			codes[i] = askToken(f, "alpha", fmt.Sprintf("guess-%d", i)).Code
		}()
	}
	done.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if want := map[int]int{401: httpapi.FailedAuthBurst, 429: n - httpapi.FailedAuthBurst}; !maps.Equal(count, want) {
		t.Errorf("%d wrong secrets at once answered %v (status: count), want %v", n, count, want)
	}
}

// TestFailedAuthLimitClockBack checks that a clock set back takes no
// attempts away: after FailedAuthBurst−1 wrong secrets and the clock an
// hour back, the right secret is answered and one more wrong one is
// still a 401. Refilling by the negative time passed emptied the bucket
// by 600 attempts and held the client out for an hour.
func TestFailedAuthLimitClockBack(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	for i := range httpapi.FailedAuthBurst - 1 {
		if rec := askToken(f, "alpha", fmt.Sprintf("guess-%d", i)); rec.Code != 401 {
			t.Fatalf("wrong secret %d: %d %s, want 401", i+1, rec.Code, rec.Body)
		}
	}
	f.clock.advance(-time.Hour)
	if rec := askToken(f, "alpha", "alpha-secret"); rec.Code != 200 {
		t.Errorf("the right secret after the clock went back: %d %s, want a token", rec.Code, rec.Body)
	}
	if rec := askToken(f, "alpha", "guess-last"); rec.Code != 401 {
		t.Errorf("the burst's last wrong secret after the clock went back: %d %s, want 401", rec.Code, rec.Body)
	}
	if rec := askToken(f, "alpha", "guess-past"); rec.Code != 429 {
		t.Errorf("a wrong secret past the burst: %d %s, want 429", rec.Code, rec.Body)
	}
}
