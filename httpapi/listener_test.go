package httpapi_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/httpapi"
)

// TestLimitListener opens four connections to a listener limited to 2:
// the third waits until one of the first two is closed (twice: its place
// is given back once), the fourth until another is, and Close wakes a
// waiting Accept.
func TestLimitListener(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := httpapi.LimitListener(inner, 2)
	accepted := make(chan net.Conn, 8)
	acceptErr := make(chan error, 1)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				acceptErr <- err
				return
			}
			accepted <- c
		}
	}()
	var clients []net.Conn
	for range 4 {
		c, err := net.Dial("tcp", inner.Addr().String()) // the kernel queues it
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
	}
	var server []net.Conn
	for range 2 {
		select {
		case c := <-accepted:
			server = append(server, c)
		case <-time.After(5 * time.Second):
			t.Fatal("the first two connections were not accepted")
		}
	}
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(200 * time.Millisecond):
	}
	server[0].Close()
	server[0].Close() // a second Close gives back nothing more
	select {
	case c := <-accepted:
		server = append(server, c)
	case <-time.After(5 * time.Second):
		t.Fatal("the third connection was not accepted after one closed")
	}
	select {
	case <-accepted:
		t.Fatal("a fourth connection accepted: a double Close gave back two places")
	case <-time.After(200 * time.Millisecond):
	}
	server[1].Close()
	select {
	case c := <-accepted:
		server = append(server, c)
	case <-time.After(5 * time.Second):
		t.Fatal("the fourth connection was not accepted after another closed")
	}
	l.Close()
	select {
	case err := <-acceptErr:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake the waiting Accept")
	}
	for _, c := range server[2:] {
		c.Close()
	}
}
