package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ackedOps are the journaled operations FuzzAckedChanges sends, with
// "{id}" where the path takes an id, and the journal compaction.
var ackedOps = []struct{ method, path string }{
	{"POST", "/appointments"},
	{"POST", "/appointments/{id}/reschedule"},
	{"POST", "/appointments/{id}/cancel"},
	{"PATCH", "/technician-shifts/{id}"},
	{"POST", "/technician-shifts/{id}/deactivate"},
	{"POST", "/technician-shifts/{id}/reactivate"},
	{"DELETE", "/technician-shifts/{id}"},
	{"POST", "/technicians"},
	{"PATCH", "/technicians/{id}"},
	{"POST", "/technicians/{id}/deactivate"},
	{"POST", "/technicians/{id}/reactivate"},
	{"POST", "/capacity-adjustments"},
	{"DELETE", "/capacity-adjustments/{id}"},
	{"POST", "/appointment-assignments/assign-technicians"},
	{"POST", "/appointment-assignments/unassign-technicians"},
	{"POST", "/technician-shifts"},
	{"POST", "/journal/compact"},
}

// ackedIDs are the path ids a request may take: those of the small
// tenant's records, of the records the seeds create, and bad ones.
var ackedIDs = []string{"1", "2", "101", "120", "5001", "9001", "0", "-1", "x"}

// ackedRequests splits FuzzAckedChanges' input into requests, at most 8,
// separated by NUL bytes: each is the operation's index and the id's
// index (as bytes counted from 'a') and the body.
func ackedRequests(data []byte) [][]byte {
	reqs := bytes.Split(data, []byte{0})
	if len(reqs) > 8 {
		reqs = reqs[:8]
	}
	return reqs
}

// FuzzAckedChanges sends up to 8 journaled requests through the real
// handler of a server with a data directory (mode: bit 0 compacts after
// every change), then restarts it. Whatever the requests: no panic, no
// 5xx; a refused request changes nothing; and the restart, replaying the
// journal (and snapshot), is exactly in the state of the changes
// acknowledged (2xx) — none lost, none doubled, none replayed
// differently.
func FuzzAckedChanges(f *testing.F) {
	file := fuzzTenantFile(f)
	req := func(method, path, id, body string) []byte {
		for i, o := range ackedOps {
			if o.method == method && o.path == path {
				k := 0
				for n, s := range ackedIDs {
					if s == id {
						k = n
					}
				}
				return append([]byte{byte('a' + i), byte('a' + k)}, body...)
			}
		}
		f.Fatalf("no operation %s %s", method, path)
		return nil
	}
	seed := func(mode uint8, reqs ...[]byte) { f.Add(bytes.Join(reqs, []byte{0}), mode) }
	create := req("POST", "/appointments", "", `{"id": 9001, "jobTypeId": 10, "businessUnitId": 1, "start": "2026-03-09T13:00:00-06:00", "end": "2026-03-09T14:00:00-06:00"}`)
	assign := req("POST", "/appointment-assignments/assign-technicians", "", `{"jobAppointmentId": 9001, "technicianIds": [101]}`)
	adjust := req("POST", "/capacity-adjustments", "", `{"date": "2026-03-09", "from": "08:00", "to": "10:00", "minutes": 90, "reason": "overbook"}`)
	for _, mode := range []uint8{0, 1} {
		seed(mode, create, assign,
			req("POST", "/appointments/{id}/reschedule", "9001", `{"start": "2026-03-09T15:00:00-06:00", "end": "2026-03-09T16:00:00-06:00"}`),
			adjust, req("DELETE", "/capacity-adjustments/{id}", "1", ""), adjust,
			req("POST", "/journal/compact", "", ""),
			req("POST", "/appointments/{id}/cancel", "9001", ""))
		seed(mode, req("POST", "/technicians", "", `{"id": 120, "name": "Kim Lee", "businessUnitId": 1, "skills": ["HVAC"]}`),
			req("PATCH", "/technicians/{id}", "120", `{"home": {"latitude": 39.7, "longitude": -105}}`),
			req("POST", "/technicians/{id}/deactivate", "101", ""),
			req("PATCH", "/technician-shifts/{id}", "1", `{"note": "late", "end": "2026-03-09T18:00:00-06:00"}`),
			req("POST", "/technician-shifts", "", `{"technicianIds": [120], "shiftType": "Normal", "title": "Overtime", "start": "2026-03-10T08:00:00-06:00", "end": "2026-03-10T12:00:00-06:00"}`),
			req("DELETE", "/technician-shifts/{id}", "1", ""),
			req("POST", "/appointment-assignments/unassign-technicians", "", `{"jobAppointmentId": 5001, "technicianIds": [101]}`))
	}
	const secret = "fuzz-secret"
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		dir := t.TempDir()
		cfg := Config{DataDir: dir, RateLimit: -1, CompactAfterRecords: -1, CompactAfterBytes: -1,
			Clients: []Client{{ID: "fuzz", SecretHash: HashSecret(secret), AppKey: "fuzz-app-key", Tenants: []string{fuzzID}}},
			Now:     func() time.Time { return time.Unix(1772100000, 0) }}
		if mode&1 != 0 {
			cfg.CompactAfterRecords = 1
		}
		s, err := New(cfg, file)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { s.Close() }()
		h := s.Handler()
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"fuzz"}, "client_secret": {secret}}
		tr := httptest.NewRequest("POST", "/connect/token", strings.NewReader(form.Encode()))
		tr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, tr)
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
			t.Fatalf("token: %d %s", rec.Code, rec.Body)
		}
		state := func(s *Server) []byte {
			var b bytes.Buffer
			if err := s.tenants[fuzzID].e().t.Save(&b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		for _, r := range ackedRequests(data) {
			if len(r) < 2 {
				continue
			}
			o := ackedOps[int(r[0]-'a')%len(ackedOps)]
			path := "/dispatch/v2/tenant/" + fuzzID + strings.ReplaceAll(o.path, "{id}", ackedIDs[int(r[1]-'a')%len(ackedIDs)])
			body := r[2:]
			hr := httptest.NewRequest(o.method, path, bytes.NewReader(body))
			hr.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			hr.Header.Set("ST-App-Key", "fuzz-app-key")
			if len(body) > 0 {
				hr.Header.Set("Content-Type", "application/json")
			}
			before := state(s)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, hr)
			switch {
			case rec.Code >= 500:
				t.Fatalf("%s %s %q: %d %s", o.method, path, body, rec.Code, rec.Body)
			case rec.Code >= 300 && !bytes.Equal(before, state(s)):
				t.Fatalf("%s %s %q: refused (%d %s), yet the tenant changed", o.method, path, body, rec.Code, rec.Body)
			}
		}
		acked := state(s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s, err = New(cfg, file)
		if err != nil {
			t.Fatalf("the restart after acknowledged changes fails: %v", err)
		}
		if got := state(s); !bytes.Equal(got, acked) {
			t.Fatalf("the restart is not in the acknowledged state:\nacknowledged %s\nrestarted    %s", acked, got)
		}
		if j, err := os.ReadFile(filepath.Join(dir, fuzzID+".journal")); err == nil {
			if _, good, bad := refJournal(j); bad != 0 || good != len(j) {
				t.Fatalf("the journal the server wrote is damaged at offset %d (line %d)", good, bad)
			}
		}
	})
}
