package httpapi

import (
	"net"
	"net/http"
	"sync"
)

// DefaultMaxConnections is the number of connections [LimitListener]
// admits at once in dispatch serve unless told otherwise: far more than a
// development server's clients hold, and well below a process's usual
// limit of open files, which the journal and its compactions need too.
const DefaultMaxConnections = 4096

// LimitListener returns a listener that accepts at most n connections at
// once from l: past n, Accept waits until one of them is closed, and the
// operating system queues the new ones meanwhile. Idle keep-alive
// connections count: a client that opens thousands and leaves them idle
// cannot take every file descriptor, after which the server could accept
// nothing and write no journal. n must be positive.
//
// Given its [LimitedListener.ConnState] as the http.Server's ConnState,
// it also makes room when full: while an Accept waits, the connection idle
// the longest between requests is closed (RFC 9112 §9.5 lets a server close an idle
// connection at any time; clients open another), so that keep-alive
// connections left open, by a client's pool or on purpose, cannot keep
// out a new client until their idle timeout. An Accept that found the
// listener full counts as waiting until it returns its next connection,
// after it has its place too: meanwhile every connection is closed as it
// turns idle, right after its response. That is the moment least likely
// to cross a request the client is sending, which then fails at the
// client (a POST is not resent); closing an idle connection later, when
// the new client comes, failed more of them (see
// TestLimitListenerClosesOnIdleWhileFull).
//
// It is safe for concurrent use; closing it wakes a waiting Accept.
func LimitListener(l net.Listener, n int) *LimitedListener {
	if n <= 0 {
		panic("httpapi: LimitListener with a non-positive limit")
	}
	return &LimitedListener{Listener: l, sem: make(chan struct{}, n), done: make(chan struct{}), idle: map[*limitConn]uint64{}}
}

// LimitedListener is the listener of [LimitListener].
type LimitedListener struct {
	net.Listener
	sem       chan struct{} // one element a connection open
	done      chan struct{} // closed by Close
	closeOnce sync.Once

	mu sync.Mutex
	// idle holds the open connections that ConnState last saw idle
	// between requests, each with the count of idle turns (turns) when
	// it did; waiting counts the Accepts that found the listener full
	// and have not yet returned a connection.
	idle    map[*limitConn]uint64
	turns   uint64
	waiting int
}

// Accept waits for a place and a connection.
func (l *LimitedListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	default:
		// Full: close an idle connection, if there is one, and wait;
		// one that turns idle while Accept waits is closed by ConnState.
		l.mu.Lock()
		l.waiting++
		l.closeIdle()
		l.mu.Unlock()
		defer func() {
			l.mu.Lock()
			l.waiting--
			l.mu.Unlock()
		}()
		select {
		case l.sem <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	lc := &limitConn{Conn: c}
	lc.release = func() {
		l.mu.Lock()
		delete(l.idle, lc)
		l.mu.Unlock()
		<-l.sem
	}
	return lc, nil
}

// closeIdle closes the connection idle the longest, if any: the one
// whose client is least likely to be sending a request on it (a POST that
// crosses the close fails at the client), and a choice that does not
// depend on map order. The caller holds l.mu.
func (l *LimitedListener) closeIdle() {
	var oldest *limitConn
	for c, turn := range l.idle {
		if oldest == nil || turn < l.idle[oldest] {
			oldest = c
		}
	}
	if oldest != nil {
		delete(l.idle, oldest)
		go oldest.Close() // its release takes l.mu
	}
}

// ConnState is the http.Server ConnState hook that tells the listener
// which connections are idle between requests.
func (l *LimitedListener) ConnState(c net.Conn, state http.ConnState) {
	lc, ok := c.(*limitConn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if state != http.StateIdle {
		delete(l.idle, lc)
		return
	}
	if lc.closed() {
		return
	}
	l.turns++
	l.idle[lc] = l.turns
	if l.waiting > 0 {
		l.closeIdle()
	}
}

// Close closes the listener and wakes a waiting Accept.
func (l *LimitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its place back once, however often it is closed.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
	mu      sync.Mutex
	done    bool
}

func (c *limitConn) Close() error {
	c.mu.Lock()
	c.done = true
	c.mu.Unlock()
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

func (c *limitConn) closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}
