package httpapi_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/httpapi"
)

// TestSlowBody sends a request whose body stops part way, on a server
// whose read timeout is short: the answer is 408 Request Timeout (RFC
// 9110 §15.5.9), not a 400 that blames the body's content, and the
// connection is closed.
func TestSlowBody(t *testing.T) {
	f := newFixture(t, httpapi.Config{})
	tok := f.token(t, "alpha", "alpha-secret")
	ts := httptest.NewUnstartedServer(f.h)
	ts.Config.ReadTimeout = 300 * time.Millisecond
	ts.Start()
	defer ts.Close()

	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"startsOnOrAfter": "2027-03-09T08:00:00-07:00", "endsOnOrBefore": "2027-03-09T16:00:00-07:00"}`
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nST-App-Key: alpha-app-key\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		api("/capacity"), tok, len(body), body[:20])
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status %d, want 408", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type %q, want a problem document", ct)
	}
	if !resp.Close {
		t.Errorf("the connection is kept open after a timed-out body")
	}
}
