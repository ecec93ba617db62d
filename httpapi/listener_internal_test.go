package httpapi

import (
	"net"
	"net/http"
	"testing"
	"time"
)

// TestCloseIdleOldest: when the listener is full and must make room, it
// closes the connection idle the longest, not whichever map order gives
// (the review's measurements: a connection that just turned idle is the
// one whose client sends next, and a POST crossing the close fails).
func TestCloseIdleOldest(t *testing.T) {
	l := LimitListener(nil, 3)
	var peers []net.Conn
	var conns []*limitConn
	for range 3 {
		a, b := net.Pipe()
		lc := &limitConn{Conn: a, release: func() {}}
		conns, peers = append(conns, lc), append(peers, b)
	}
	// Idle in the order 1, 0, 2; 1 turns active and idle again last.
	for _, i := range []int{1, 0, 2} {
		l.ConnState(conns[i], http.StateIdle)
	}
	l.ConnState(conns[1], http.StateActive)
	l.ConnState(conns[1], http.StateIdle)
	closedIn := func() int {
		for i, p := range peers {
			p.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
			if _, err := p.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
				return i
			}
		}
		return -1
	}
	for _, want := range []int{0, 2, 1} {
		l.mu.Lock()
		l.closeIdle()
		l.mu.Unlock()
		var got int
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
			if got = closedIn(); got >= 0 {
				break
			}
		}
		if got != want {
			t.Fatalf("closed connection %d, want %d (the one idle the longest)", got, want)
		}
		peers[got] = nopConn{} // closed: read no more
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// nopConn stands for a peer already seen closed.
type nopConn struct{ net.Conn }

func (nopConn) SetReadDeadline(time.Time) error { return nil }
func (nopConn) Read([]byte) (int, error)        { return 0, errTimeout{} }

type errTimeout struct{}

func (errTimeout) Error() string   { return "timeout" }
func (errTimeout) Timeout() bool   { return true }
func (errTimeout) Temporary() bool { return true }
