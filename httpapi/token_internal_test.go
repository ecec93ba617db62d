package httpapi

import (
	"fmt"
	"testing"
	"time"
)

// TestTokenSweepAmortized issues tokens as a client that asks for one per
// call does, and checks that the expired ones are dropped in sweeps that
// come when the map has doubled, not at every token: sweeping at every
// token made each issue scan every live token under the lock that every
// API call takes (black-box, 8 clients: 2,637 tokens a second in the
// first 10 s, 653 a second after a minute). The map stays within about
// twice the live tokens, and every live token is still valid.
func TestTokenSweepAmortized(t *testing.T) {
	at := time.Unix(1800000000, 0)
	ts := &tokens{m: map[string]token{}, ttl: time.Minute, now: func() time.Time { return at }}
	c := &Client{ID: "c"}
	const n = 10000
	for range n {
		ts.issue(c)
	}
	if ts.sweeps > 8 { // at 64, 128, …, 8192 tokens
		t.Fatalf("%d sweeps of the token map for %d tokens issued, want at most 8 (one each time the map doubles)", ts.sweeps, n)
	}
	at = at.Add(2 * time.Minute) // the first n expire
	var live []string
	for range n {
		tok, _ := ts.issue(c)
		live = append(live, tok)
	}
	if len(ts.m) > 2*n+minSweep {
		t.Errorf("the token map holds %d tokens with %d live", len(ts.m), n)
	}
	for i, tok := range live {
		if _, ok := ts.check(tok); !ok {
			t.Fatalf("live token %d is not valid", i)
		}
	}
}

// BenchmarkTokenIssue issues tokens with 100,000 live ones, as a client
// asking for a token per call at 110 a second for a 15-minute lifetime
// holds.
func BenchmarkTokenIssue(b *testing.B) {
	at := time.Unix(1800000000, 0)
	ts := &tokens{m: map[string]token{}, ttl: 15 * time.Minute, now: func() time.Time { return at }}
	c := &Client{ID: "c"}
	for i := range 100000 {
		ts.m[fmt.Sprint(i)] = token{client: c, expires: at.Add(time.Minute)}
	}
	ts.sweepAt = 2 * len(ts.m)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ts.issue(c)
	}
}
