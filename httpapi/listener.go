package httpapi

import (
	"net"
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
// It is safe for concurrent use; closing it wakes a waiting Accept.
func LimitListener(l net.Listener, n int) net.Listener {
	if n <= 0 {
		panic("httpapi: LimitListener with a non-positive limit")
	}
	return &limitListener{Listener: l, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{} // one element a connection open
	done      chan struct{} // closed by Close
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its place back once, however often it is closed.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
