package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/opendispatch/dispatch/validate"
)

// Client is an API client, as configured in the clients file.
type Client struct {
	ID string `json:"clientId"`
	// SecretHash is the hex SHA-256 of the client secret.
	SecretHash string `json:"secretHash"`
	AppKey     string `json:"appKey"`
	// Tenants are the tenant ids the client may reach.
	Tenants []string `json:"tenants"`
}

// HashSecret returns the hex SHA-256 of secret, for the clients file.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ParseClients decodes and checks a clients file: a JSON array of clients,
// read strictly (validate.Unmarshal: exact key case, no unknown or
// duplicate members). Every problem is reported with its JSON path.
func ParseClients(data []byte) ([]Client, error) {
	var cs []Client
	if err := validate.Unmarshal(data, &cs); err != nil {
		return nil, fmt.Errorf("httpapi: clients file: %w", err)
	}
	var errs validate.Errors
	seen := map[string]bool{}
	for i, c := range cs {
		p := validate.Index("", i)
		if c.ID == "" || seen[c.ID] {
			errs.Add(p+".clientId", "httpapi: client id %q is empty or repeated", c.ID)
		}
		seen[c.ID] = true
		if b, err := hex.DecodeString(c.SecretHash); err != nil || len(b) != sha256.Size {
			errs.Add(p+".secretHash", "httpapi: want the hex SHA-256 of the secret (64 hex digits)")
		}
		if len(c.AppKey) < 8 {
			errs.Add(p+".appKey", "httpapi: app key must be at least 8 characters")
		}
		if len(c.Tenants) == 0 {
			errs.Add(p+".tenants", "httpapi: the client reaches no tenant")
		}
	}
	return cs, errs.Err()
}

type token struct {
	client  *Client
	expires time.Time
}

// tokens issues and checks bearer tokens.
type tokens struct {
	mu  sync.Mutex
	m   map[string]token
	ttl time.Duration
	now func() time.Time
	// sweepAt is the size of m at which issue next drops the expired
	// tokens: twice what a sweep leaves, so that sweeping costs O(1) a
	// token issued however many are live, and m holds at most about
	// twice the live tokens. sweeps counts the sweeps.
	sweepAt, sweeps int
}

// minSweep is the least size of the token map that is swept.
const minSweep = 64

func (ts *tokens) issue(c *Client) (string, time.Duration) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	now := ts.now()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.m) >= max(ts.sweepAt, minSweep) { // drop expired tokens
		for k, t := range ts.m {
			if now.After(t.expires) {
				delete(ts.m, k)
			}
		}
		ts.sweepAt = 2 * len(ts.m)
		ts.sweeps++
	}
	ts.m[tok] = token{client: c, expires: now.Add(ts.ttl)}
	return tok, ts.ttl
}

// check returns the client of a valid, unexpired token.
func (ts *tokens) check(tok string) (*Client, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t, ok := ts.m[tok]
	if !ok || ts.now().After(t.expires) {
		return nil, false
	}
	return t.client, true
}

// authenticate finds the client with id and secret, and reports whether
// some client has id, comparing in constant time whatever the input.
func authenticate(clients []Client, id, secret string) (found *Client, known bool) {
	sum := sha256.Sum256([]byte(secret))
	ids := 0
	for i := range clients {
		want, _ := hex.DecodeString(clients[i].SecretHash)
		idOK := subtle.ConstantTimeCompare([]byte(clients[i].ID), []byte(id))
		secOK := subtle.ConstantTimeCompare(want, sum[:])
		ids |= idOK
		if idOK&secOK == 1 {
			found = &clients[i]
		}
	}
	return found, ids == 1
}

func (c *Client) reaches(tenant string) bool { return slices.Contains(c.Tenants, tenant) }

// bucket is a token bucket: rate tokens a second up to burst.
type bucket struct {
	tokens float64
	last   time.Time
}

// limiter keeps one bucket per key: (app key, tenant) for API calls,
// ("\x00token", client id) for token requests, ("\x00failed", client id)
// for failed authentications. Its methods are safe for concurrent use.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[[2]string]*bucket
	now     func() time.Time
}

// allow takes a token, or reports how long until one is available.
func (l *limiter) allow(key [2]string) (bool, time.Duration) {
	if l.rate <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+max(0, now.Sub(b.last).Seconds())*l.rate)
	b.last = now
	// Refills in steps add up in floating point: five seconds and one
	// more at a sixth of a token a second leave 0.9999…, not 1. A token
	// short by less than a billionth counts as whole.
	if b.tokens >= 1-1e-9 {
		b.tokens = max(0, b.tokens-1)
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// giveBack returns to key's bucket a token that allow took, up to the
// burst: taking before the work and giving back after it bounds
// concurrent callers as it does callers in turn, where checking first
// and taking after let every caller that checked before the first took
// through.
func (l *limiter) giveBack(key [2]string) {
	if l.rate <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.buckets[key]; b != nil {
		b.tokens = min(l.burst, b.tokens+1)
	}
}

// setRetryAfter sets Retry-After to wait in whole seconds, rounded up,
// at least 1: a client that waits as long is served.
func setRetryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.FormatInt(max(1, int64((wait+time.Second-1)/time.Second)), 10))
}

// Failed authentications of one client id: at most FailedAuthBurst at
// once, then one each FailedAuthEvery; a right secret in between resets
// nothing. Past that the token endpoint refuses the id (429, slow_down)
// whatever the secret, so that guessing a client's secret takes about
// 14,400 tries a day at most, not as many as the network carries.
const (
	FailedAuthBurst = 10
	FailedAuthEvery = 6 * time.Second
)
