package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

func init() {
	register("serve", "serve the Dispatch API over HTTP (OAuth 2.0, app keys, rate limits, journal)", runServe)
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func runServe(e *env) error {
	fs := flagSet(e, "serve", "[--tenant FILE ...] [--addr 127.0.0.1:8080] [--clients FILE] [--rate-limit N] [--token-ttl D] [--max-connections N] [--cors-origin ORIGIN ...] [--data DIR [--allow-changed-tenant] [--compact-records N] [--compact-bytes N]]",
		"Serves the nine operations of the contract under /dispatch/v2/{tenant}/... (the contract's\n"+
			"server URL) and /dispatch/v2/tenant/{tenant}/... (the real service's), and OAuth 2.0\n"+
			"client credentials at POST /connect/token (a form body; credentials in the form or in HTTP\n"+
			"Basic, form-urlencoded). POST bodies must be application/json (else 415); errors are\n"+
			"problem documents listing at most 100 messages. With --data, every acknowledged change is\n"+
			"journaled and fsynced before the reply and replayed at start; the journal records the\n"+
			"SHA-256 of the tenant file, and a start with a changed file (or a journal from before\n"+
			"fingerprints) is refused unless --allow-changed-tenant is given. A journal is compacted into\n"+
			"a snapshot of the tenant's state beside it once it holds --compact-records changes or\n"+
			"--compact-bytes bytes (or on POST .../journal/compact), so a restart stays fast. The lifecycle\n"+
			"extension operations (appointments, shifts, technicians) are served beside the contract's,\n"+
			"and an assignment's warnings come in Dispatch-Warning headers. Without --clients, a demo\n"+
			"client with a fresh secret is printed with a curl session to try. Requests are logged as\n"+
			"JSON lines on stderr (durationMs in milliseconds). A browser application on another origin\n"+
			"may call the server when --cors-origin admits it (preflights answered, CORS headers sent).\n"+
			"SIGINT or SIGTERM stops the server after the requests in flight.",
		"dispatch serve --data ./dispatch-data")
	var tenantFiles multiFlag
	fs.Var(&tenantFiles, "tenant", "tenant `file` to serve (repeatable; default: the embedded demo tenant)")
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	clientsPath := fs.String("clients", "", "clients `file`: JSON array of {clientId, secretHash (hex SHA-256), appKey, tenants}")
	dataDir := fs.String("data", "", "journal `directory`: makes changes durable")
	allowChanged := fs.Bool("allow-changed-tenant", false, "replay journals written against another version of the tenant file (a record that no longer applies still stops the start)")
	compactRecords := intFlag(fs, "compact-records", httpapi.DefaultCompactAfterRecords, math.MinInt, math.MaxInt, "compact a journal once it holds this many change `records` (negative: never)")
	compactBytes := intFlag[int64](fs, "compact-bytes", httpapi.DefaultCompactAfterBytes, math.MinInt64, math.MaxInt64, "compact a journal once it holds this many `bytes` (negative: never)")
	rate := floatFlag(fs, "rate-limit", 60, "requests a `second` per (app key, tenant), and token requests per client, with a burst of as many; negative: no limit (0 is refused)")
	maxConns := intFlag(fs, "max-connections", httpapi.DefaultMaxConnections, 1, math.MaxInt32, "serve at most this many `connections` at once (idle keep-alive ones count); more wait to be accepted")
	var origins multiFlag
	fs.Var(&origins, "cors-origin", "let browser applications of this `origin` call the server (scheme://host[:port], e.g. http://localhost:3000, or * for any; repeatable)")
	ttl := fs.Duration("token-ttl", 15*time.Minute, "access token `lifetime`, positive (whole seconds are announced)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	switch {
	case *ttl < time.Second:
		return usagef("--token-ttl: %v is not a positive lifetime of at least 1s", *ttl)
	case *rate == 0:
		return usagef("--rate-limit: %v is not a rate: give requests a second (> 0), or a negative number for no limit", *rate)
	case *compactRecords == 0: // the server would take 0 for its default
		return usagef("--compact-records: 0 is not a threshold: give a number of records (> 0), or a negative number for never")
	case *compactBytes == 0:
		return usagef("--compact-bytes: 0 is not a threshold: give a number of bytes (> 0), or a negative number for never")
	}
	for _, o := range origins {
		if _, err := httpapi.ParseOrigin(o); err != nil {
			return usagef("--cors-origin: %v", strings.TrimPrefix(err.Error(), "httpapi: "))
		}
	}
	var files [][]byte
	for _, p := range tenantFiles {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, b)
	}
	if len(files) == 0 {
		files = append(files, dispatch.DemoTenant)
	}
	var clients []httpapi.Client
	var demoSecret string
	if *clientsPath != "" {
		b, err := os.ReadFile(*clientsPath)
		if err != nil {
			return err
		}
		if clients, err = httpapi.ParseClients(b); err != nil {
			return fmt.Errorf("%s: %w", *clientsPath, err)
		}
		if len(clients) == 0 {
			return usagef("--clients %s: the file lists no client: nobody could use the server", *clientsPath)
		}
	}
	logger := slog.New(slog.NewJSONHandler(e.stderr, nil))
	srv, err := httpapi.New(httpapi.Config{Clients: clients, RateLimit: *rate, TokenTTL: *ttl, DataDir: *dataDir, AllowChangedTenant: *allowChanged,
		CompactAfterRecords: *compactRecords, CompactAfterBytes: *compactBytes, Logger: logger, CORSOrigins: origins}, files...)
	if err != nil {
		return err
	}
	defer srv.Close()
	if clients == nil {
		demoSecret = randomHex(16)
		c := httpapi.Client{ID: "demo", SecretHash: httpapi.HashSecret(demoSecret), AppKey: "demo-" + randomHex(8), Tenants: srv.TenantIDs()}
		srv.AddClient(c)
		clients = []httpapi.Client{c}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	lim := httpapi.LimitListener(ln, *maxConns)
	ln = lim
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(e.stdout, "listening on %s (tenants %s)\n", base, strings.Join(srv.TenantIDs(), ", "))
	if msg := plainHTTPWarning(ln.Addr()); msg != "" {
		logger.Warn(msg, "addr", ln.Addr().String())
	}
	if demoSecret != "" {
		c := clients[0]
		fmt.Fprintf(e.stdout, `
Demo client: client_id=%s client_secret=%s ST-App-Key: %s

Try it:
  TOKEN=$(curl -s %s/connect/token -d grant_type=client_credentials -d client_id=%s -d client_secret=%s | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s %s/dispatch/v2/%s/capacity -H "Authorization: Bearer $TOKEN" -H "ST-App-Key: %s" \
    -H 'Content-Type: application/json' \
    -d '{"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T16:00:00-07:00","jobTypeId":101,"skillBasedAvailability":true}'
`, c.ID, demoSecret, c.AppKey, base, c.ID, demoSecret, base, c.Tenants[0], c.AppKey)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ConnState: lim.ConnState}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// plainHTTPWarning returns a warning when a reaches beyond this machine
// (any address but loopback, the unspecified 0.0.0.0 and :: included):
// the server speaks plain HTTP, so bearer tokens and client secrets would
// cross the network readable. "" for loopback.
func plainHTTPWarning(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsLoopback() {
		return ""
	}
	return "listening beyond this machine over plain HTTP: bearer tokens and client secrets cross the network readable; put a TLS-terminating proxy in front, or listen on 127.0.0.1"
}
