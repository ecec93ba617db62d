package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
	"github.com/opendispatch/dispatch/tenant"
	validatepkg "github.com/opendispatch/dispatch/validate"
)

func TestJournalTornTail(t *testing.T) {
	dir := t.TempDir()
	j, recs, err := httpapi.OpenJournal(dir, "t")
	if err != nil || len(recs) != 0 {
		t.Fatal(err, recs)
	}
	for i := range 3 {
		if err := j.Append(httpapi.Record{Op: "assign", At: int64(i), Body: json.RawMessage(`{"jobAppointmentId":1,"technicianIds":[2]}`)}); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	path := filepath.Join(dir, "t.journal")
	full, _ := os.ReadFile(path)
	for _, damage := range []struct {
		name string
		data []byte
	}{
		{"torn last line", full[:len(full)-7]},
		{"flipped byte in last record", append(append([]byte{}, full[:len(full)-10]...), append([]byte{'X'}, full[len(full)-9:]...)...)},
	} {
		os.WriteFile(path, damage.data, 0o644)
		j, recs, err := httpapi.OpenJournal(dir, "t")
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[1].At != 1 {
			t.Errorf("%s: %d records recovered, want the 2 intact ones", damage.name, len(recs))
		}
		// The next record starts on a clean line and survives a reopen.
		j.Append(httpapi.Record{Op: "unassign", At: 9, Body: json.RawMessage(`{}`)})
		j.Close()
		_, recs, _ = httpapi.OpenJournal(dir, "t")
		if len(recs) != 3 || recs[2].At != 9 {
			t.Errorf("%s: after appending, %d records", damage.name, len(recs))
		}
		os.WriteFile(path, full, 0o644)
	}
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// TestMain removes the dispatch binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// dispatchBinary builds cmd/dispatch once per test process.
func dispatchBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "httpapi-test-"); buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(buildDir, "dispatch"), "github.com/opendispatch/dispatch/cmd/dispatch").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, "dispatch")
}

// server is a `dispatch serve` child process.
type server struct {
	cmd  *exec.Cmd
	base string
}

func startServer(t *testing.T, bin string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("server did not start: %v", err)
	}
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "listening" {
		t.Fatalf("unexpected first line %q", line)
	}
	return &server{cmd: cmd, base: f[2]}
}

func (s *server) token(t *testing.T) string {
	resp, err := http.PostForm(s.base+"/connect/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"alpha"}, "client_secret": {"alpha-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	return tok.AccessToken
}

func (s *server) post(client *http.Client, tok, path, body string) (int, error) {
	req, _ := http.NewRequest("POST", s.base+api(path), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("ST-App-Key", "alpha-app-key")
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestDurabilityKill9 sends assignments and, one request in five, capacity
// adjustments concurrently to a server with a journal, kills it with
// SIGKILL mid-stream, restarts it and checks that every acknowledged
// change is there, no request is half-applied (each assigns two
// technicians at once) and no adjustment is there twice.
func TestDurabilityKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := dispatchBinary(t)
	cl, _ := json.Marshal(clients[:1])
	clientsFile := filepath.Join(dir, "clients.json")
	os.WriteFile(clientsFile, cl, 0o644)
	args := []string{"--data", filepath.Join(dir, "data"), "--clients", clientsFile, "--rate-limit", "-1"}

	// Requests: appointment a gets technician 110 (never assigned in the
	// demo) and one more who is not assigned to it yet.
	demo, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	type pair struct{ appt, other int64 }
	var reqs []pair
	for a := int64(5001); a <= 5600; a++ {
		_, cur, _ := demo.Engine.Appointment(a)
		for _, x := range []int64{207, 208, 201, 301, 101} {
			if !slices.Contains(cur, x) {
				reqs = append(reqs, pair{a, x})
				break
			}
		}
	}

	s := startServer(t, bin, args...)
	tok := s.token(t)
	client := &http.Client{Timeout: 5 * time.Second}
	var acked, adjAcked sync.Map
	var nAcked atomic.Int64
	windows := [][2]string{{"08:00", "10:00"}, {"10:00", "12:00"}, {"12:00", "14:00"}, {"14:00", "16:00"}}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if int(i) >= len(reqs) {
					return
				}
				if i%5 == 4 { // an adjustment instead of this assignment
					w := windows[i%4]
					body := fmt.Sprintf(`{"date":"2027-03-%d","from":"%s","to":"%s","minutes":%d,"reason":"kill-9 #%d"}`, 15+i%5, w[0], w[1], i+1, i)
					if code, err := s.post(client, tok, "/capacity-adjustments", body); err == nil && code == 200 {
						adjAcked.Store(i, true)
						nAcked.Add(1)
					}
					continue
				}
				p := reqs[i]
				code, err := s.post(client, tok, "/appointment-assignments/assign-technicians", fmt.Sprintf(`{"jobAppointmentId":%d,"technicianIds":[110,%d]}`, p.appt, p.other))
				if err == nil && code == 200 {
					acked.Store(i, true)
					nAcked.Add(1)
				}
			}
		}()
	}
	for deadline := time.Now().Add(time.Minute); nAcked.Load() < 150; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) || next.Load() >= int64(len(reqs)) {
			s.cmd.Process.Kill()
			t.Fatalf("only %d requests acknowledged", nAcked.Load())
		}
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	wg.Wait()
	t.Logf("killed the server after %d acknowledged of %d requests", nAcked.Load(), len(reqs))

	s2 := startServer(t, bin, args...)
	defer func() { s2.cmd.Process.Kill(); s2.cmd.Wait() }()
	tok = s2.token(t)
	current := map[[2]int64]bool{}
	for page := 1; ; page++ {
		req, _ := http.NewRequest("GET", s2.base+api(fmt.Sprintf("/appointment-assignments?pageSize=500&page=%d", page)), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("ST-App-Key", "alpha-app-key")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			HasMore bool `json:"hasMore"`
			Data    []struct {
				JobAppointmentID, TechnicianID int64
				Status                         string
			} `json:"data"`
		}
		json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		for _, a := range p.Data {
			if a.Status == "Assigned" {
				current[[2]int64{a.JobAppointmentID, a.TechnicianID}] = true
			}
		}
		if !p.HasMore {
			break
		}
	}
	// Every acknowledged adjustment is there, once, as it was sent.
	seen := map[string]int{}
	for page := 1; ; page++ {
		req, _ := http.NewRequest("GET", s2.base+api(fmt.Sprintf("/capacity-adjustments?pageSize=500&page=%d", page)), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("ST-App-Key", "alpha-app-key")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			HasMore bool `json:"hasMore"`
			Data    []struct {
				Minutes   int
				Reason    string
				CreatedBy struct{ Name string }
			} `json:"data"`
		}
		json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		for _, a := range p.Data {
			seen[a.Reason]++
			var i int
			if _, err := fmt.Sscanf(a.Reason, "kill-9 #%d", &i); err == nil && (a.Minutes != i+1 || a.CreatedBy.Name != "alpha") {
				t.Errorf("adjustment %q replayed as %d minutes by %q", a.Reason, a.Minutes, a.CreatedBy.Name)
			}
		}
		if !p.HasMore {
			break
		}
	}
	nAdj := 0
	adjAcked.Range(func(k, _ any) bool {
		nAdj++
		if reason := fmt.Sprintf("kill-9 #%d", k.(int64)); seen[reason] != 1 {
			t.Errorf("acknowledged adjustment %q is there %d times after the restart", reason, seen[reason])
		}
		return true
	})
	for reason, n := range seen {
		if n > 1 {
			t.Errorf("adjustment %q is there %d times", reason, n)
		}
	}
	t.Logf("after restart: %d acknowledged adjustments all there (%d in all)", nAdj, len(seen))

	applied := 0
	for i, p := range reqs {
		a, b := current[[2]int64{p.appt, 110}], current[[2]int64{p.appt, p.other}]
		if _, ok := acked.Load(int64(i)); ok && !(a && b) {
			t.Errorf("acknowledged assignment of 110 and %d to %d lost after the restart", p.other, p.appt)
		}
		if a != b {
			t.Errorf("request %d half-applied: 110 assigned %v, %d assigned %v", p.appt, a, p.other, b)
		}
		if a {
			applied++
		}
	}
	t.Logf("after restart: %d requests applied (%d acknowledged)", applied, nAcked.Load())
}

func FuzzParseClients(f *testing.F) {
	good, _ := json.Marshal(clients)
	f.Add(good)
	f.Add([]byte(`[{"clientId": "", "secretHash": "zz"}]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := httpapi.ParseClients(data)
		if err != nil {
			var list validatepkg.Errors
			if !errors.As(err, &list) || len(list) == 0 || !strings.Contains(err.Error(), "httpapi: ") {
				t.Fatalf("error %q is not a list of problems with their paths", err)
			}
			for _, e := range list {
				if e.Msg == "" {
					t.Fatalf("a problem without a message: %v", err)
				}
			}
			return
		}
		for _, c := range cs {
			if c.ID == "" || len(c.AppKey) < 8 || len(c.Tenants) == 0 {
				t.Fatalf("accepted an unusable client %+v", c)
			}
		}
		// What is accepted writes out and reads back to itself.
		out, err := json.Marshal(cs)
		if err != nil {
			t.Fatal(err)
		}
		back, err := httpapi.ParseClients(out)
		if err != nil || !reflect.DeepEqual(back, cs) {
			t.Fatalf("%s → %s → %+v, %v", data, out, back, err)
		}
	})
}

// TestJournalFingerprint: a journal records the SHA-256 of the tenant file
// it was written against; a start with another file is refused naming both
// fingerprints, unless AllowChangedTenant, which replays the changes and
// records the new fingerprint; a record that no longer applies stops the
// start even then.
func TestJournalFingerprint(t *testing.T) {
	dir := t.TempDir()
	cfg := httpapi.Config{DataDir: dir, Clients: clients, RateLimit: -1}
	original := dispatch.DemoTenant
	changed := append(bytes.Clone(original), '\n') // same tenant, other bytes
	start := func(cfg httpapi.Config, file []byte) (*fixture, error) {
		srv, err := httpapi.New(cfg, file)
		if err != nil {
			return nil, err
		}
		return &fixture{srv: srv, h: srv.Handler()}, nil
	}
	f, err := start(cfg, original)
	if err != nil {
		t.Fatal(err)
	}
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	if rec := f.request("POST", api("/appointment-assignments/assign-technicians"), h, `{"jobAppointmentId":5002,"technicianIds":[110]}`); rec.Code != 200 {
		t.Fatalf("assign: %d %s", rec.Code, rec.Body)
	}
	f.srv.Close()

	// The journal's first line is the header.
	j, recs, err := httpapi.OpenJournal(dir, demoTenant)
	if err != nil {
		t.Fatal(err)
	}
	if h := j.Header(); h == nil || h.TenantFileSHA256 != httpapi.Fingerprint(original) || h.Tenant != demoTenant || len(recs) != 1 {
		t.Fatalf("header %+v, %d records", h, len(recs))
	}
	j.Close()
	if first, _, _ := strings.Cut(readFile(t, filepath.Join(dir, demoTenant+".journal")), "\n"); !strings.Contains(first, `"op":"header"`) {
		t.Fatalf("first line %q is not the header", first)
	}

	// The same file starts; a changed one is refused, naming both.
	f, err = start(cfg, original)
	if err != nil {
		t.Fatalf("same file: %v", err)
	}
	f.srv.Close()
	_, err = start(cfg, changed)
	var tc *httpapi.TenantChangedError
	if !errors.As(err, &tc) || !strings.Contains(err.Error(), httpapi.Fingerprint(original)) || !strings.Contains(err.Error(), httpapi.Fingerprint(changed)) ||
		!strings.Contains(err.Error(), "--allow-changed-tenant") {
		t.Fatalf("changed file: %v", err)
	}
	t.Logf("refused: %v", err)

	// Allowed: replayed onto the changed file, whose fingerprint is then
	// the journal's; the original is now the changed one.
	allow := cfg
	allow.AllowChangedTenant = true
	f, err = start(allow, changed)
	if err != nil {
		t.Fatalf("allowed: %v", err)
	}
	h = f.authed(t)
	if rec := f.request("GET", api("/appointment-assignments?technicianId=110"), h, ""); !strings.Contains(rec.Body.String(), `"jobAppointmentId":5002`) {
		t.Errorf("the journaled assignment was not replayed: %s", rec.Body)
	}
	f.srv.Close()
	if f, err = start(cfg, changed); err != nil {
		t.Fatalf("after adopting the changed file: %v", err)
	}
	f.srv.Close()
	if _, err := start(cfg, original); !errors.As(err, &tc) {
		t.Errorf("the original file after adopting the changed one: %v", err)
	}

	// A record that does not apply to the file stops the start, allowed
	// or not: here another tenant's data under the same id.
	other := bytes.Replace(otherTenant(t), []byte(`"tenant": "synth-small-1"`), []byte(`"tenant": "`+demoTenant+`"`), 1)
	if _, err := start(allow, other); err == nil || !strings.Contains(err.Error(), "record 1 (assign") || !strings.Contains(err.Error(), "does not apply") {
		t.Errorf("a record that does not apply: %v", err)
	} else {
		t.Logf("refused: %v", err)
	}
}

// TestJournalWithoutHeader: a journal written before headers (changes, no
// fingerprint) cannot be checked: refused unless allowed, then adopted.
// An empty one simply gets its header.
func TestJournalWithoutHeader(t *testing.T) {
	dir := t.TempDir()
	j, _, err := httpapi.OpenJournal(dir, demoTenant)
	if err != nil {
		t.Fatal(err)
	}
	j.Append(httpapi.Record{Op: "assign", At: 1800000000, By: "alpha", Body: json.RawMessage(`{"jobAppointmentId":5002,"technicianIds":[110]}`)})
	j.Close()
	cfg := httpapi.Config{DataDir: dir, Clients: clients}
	_, err = httpapi.New(cfg, dispatch.DemoTenant)
	var tc *httpapi.TenantChangedError
	if !errors.As(err, &tc) || tc.Recorded != "" || !strings.Contains(err.Error(), "before fingerprints") || !strings.Contains(err.Error(), httpapi.Fingerprint(dispatch.DemoTenant)) {
		t.Fatalf("legacy journal: %v", err)
	}
	cfg.AllowChangedTenant = true
	srv, err := httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	cfg.AllowChangedTenant = false
	if srv, err = httpapi.New(cfg, dispatch.DemoTenant); err != nil {
		t.Fatalf("after adopting: %v", err)
	}
	srv.Close()

	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, demoTenant+".journal"), nil, 0o644)
	srv, err = httpapi.New(httpapi.Config{DataDir: empty, Clients: clients}, dispatch.DemoTenant)
	if err != nil {
		t.Fatalf("empty journal: %v", err)
	}
	srv.Close()
	j, _, _ = httpapi.OpenJournal(empty, demoTenant)
	if j.Header() == nil {
		t.Error("an empty journal did not get its header")
	}
	j.Close()
}

// TestJournalCorruptMiddle: damage followed by intact records is not a
// torn write: the journal is refused rather than cut, which would drop
// acknowledged changes. An intact line that is not a strict record (an
// unknown member) is refused too.
func TestJournalCorruptMiddle(t *testing.T) {
	dir := t.TempDir()
	j, _, _ := httpapi.OpenJournal(dir, "t")
	for i := range 3 {
		j.Append(httpapi.Record{Op: "assign", At: int64(i), Body: json.RawMessage(`{}`)})
	}
	j.Close()
	path := filepath.Join(dir, "t.journal")
	full := []byte(readFile(t, path))
	damaged := bytes.Clone(full)
	damaged[12] ^= 1 // inside the first record
	os.WriteFile(path, damaged, 0o644)
	if _, _, err := httpapi.OpenJournal(dir, "t"); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("damage in the middle: %v", err)
	}
	if got := readFile(t, path); got != string(damaged) {
		t.Error("the damaged journal was modified")
	}
	payload := `{"op":"assign","at":1,"body":{},"Colour":1}`
	os.WriteFile(path, fmt.Appendf(nil, "%08x %s\n", crc32.ChecksumIEEE([]byte(payload)), payload), 0o644)
	if _, _, err := httpapi.OpenJournal(dir, "t"); err == nil || !strings.Contains(err.Error(), "Colour") {
		t.Errorf("a record with an unknown member: %v", err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestServeRefusesChangedTenant runs `dispatch serve` on a tenant file,
// journals a change, edits the file and checks that the server refuses to
// start (exit status 1, both fingerprints named) until it is given
// --allow-changed-tenant.
func TestServeRefusesChangedTenant(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin := dispatchBinary(t)
	dir := t.TempDir()
	tenantFile := filepath.Join(dir, "tenant.json")
	os.WriteFile(tenantFile, dispatch.DemoTenant, 0o644)
	cl, _ := json.Marshal(clients[:1])
	clientsFile := filepath.Join(dir, "clients.json")
	os.WriteFile(clientsFile, cl, 0o644)
	args := []string{"--tenant", tenantFile, "--data", filepath.Join(dir, "data"), "--clients", clientsFile}

	s := startServer(t, bin, args...)
	code, err := s.post(http.DefaultClient, s.token(t), "/appointment-assignments/assign-technicians", `{"jobAppointmentId":5002,"technicianIds":[110]}`)
	s.cmd.Process.Kill()
	s.cmd.Wait()
	if err != nil || code != 200 {
		t.Fatalf("assign: %d %v", code, err)
	}

	edited := append(bytes.Clone(dispatch.DemoTenant), ' ')
	os.WriteFile(tenantFile, edited, 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a server that starts is killed
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("serve with a changed tenant file: %v (want exit status 1)\n%s", err, stderr.String())
	}
	for _, want := range []string{httpapi.Fingerprint(dispatch.DemoTenant), httpapi.Fingerprint(edited), "--allow-changed-tenant"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the refusal does not name %s:\n%s", want, stderr.String())
		}
	}

	s = startServer(t, bin, append(args, "--allow-changed-tenant")...)
	defer func() { s.cmd.Process.Kill(); s.cmd.Wait() }()
	req, _ := http.NewRequest("GET", s.base+api("/appointment-assignments?technicianId=110"), nil)
	req.Header.Set("Authorization", "Bearer "+s.token(t))
	req.Header.Set("ST-App-Key", "alpha-app-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	if !strings.Contains(body.String(), `"jobAppointmentId":5002`) {
		t.Errorf("the journaled change was not replayed onto the changed file: %s", body.String())
	}
}

// TestParseClientsStrict: the clients file is read with validate.Unmarshal:
// a key in another case, an unknown member or a duplicate key is an error
// naming its path.
func TestParseClientsStrict(t *testing.T) {
	h := httpapi.HashSecret("s")
	for _, tt := range []struct{ file, path string }{
		{`[{"clientID": "a", "secretHash": "` + h + `", "appKey": "12345678", "tenants": ["t"]}]`, "[0].clientID"},
		{`[{"clientId": "a", "secretHash": "` + h + `", "appKey": "12345678", "tenants": ["t"], "role": "admin"}]`, "[0].role"},
		{`[{"clientId": "a", "clientId": "b", "secretHash": "` + h + `", "appKey": "12345678", "tenants": ["t"]}]`, "[0].clientId"},
	} {
		_, err := httpapi.ParseClients([]byte(tt.file))
		if err == nil || !strings.Contains(err.Error(), tt.path) {
			t.Errorf("%s: %v, want an error at %s", tt.file, err, tt.path)
		}
	}
	if _, err := httpapi.ParseClients([]byte(`[{"clientId": "a", "secretHash": "` + h + `", "appKey": "12345678", "tenants": ["t"]}]`)); err != nil {
		t.Errorf("a good file: %v", err)
	}
}

// getAll reads every page of a list operation.
func getAll[T any](t *testing.T, s *server, client *http.Client, tok, path string) []T {
	t.Helper()
	var all []T
	for page := 1; ; page++ {
		req, _ := http.NewRequest("GET", s.base+api(fmt.Sprintf("%s?pageSize=500&page=%d", path, page)), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("ST-App-Key", "alpha-app-key")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			HasMore bool `json:"hasMore"`
			Data    []T  `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		all = append(all, p.Data...)
		if !p.HasMore {
			return all
		}
	}
}

// TestDurabilityKill9Compaction runs rounds of changes of every kind —
// appointments created and canceled, technicians added, pairs of
// technicians assigned — from concurrent clients while the journal is
// compacted, by its threshold (every 25 records) and on demand, and kills
// the server with SIGKILL mid-stream in each round. After each restart
// every acknowledged change is present and no request is half-applied.
func TestDurabilityKill9Compaction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := dispatchBinary(t)
	cl, _ := json.Marshal(clients[:1])
	clientsFile := filepath.Join(dir, "clients.json")
	os.WriteFile(clientsFile, cl, 0o644)
	data := filepath.Join(dir, "data")
	args := []string{"--data", data, "--clients", clientsFile, "--rate-limit", "-1", "--compact-records", "25"}

	demo, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	type pair struct{ appt, other int64 }
	var pairs []pair
	for a := int64(5001); a <= 5600; a++ {
		_, cur, _ := demo.Engine.Appointment(a)
		for _, x := range []int64{207, 208, 201, 301, 101} {
			if !slices.Contains(cur, x) {
				pairs = append(pairs, pair{a, x})
				break
			}
		}
	}
	var (
		mu                             sync.Mutex
		created, canceled, techs       = map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
		assigned                       = map[int]bool{} // index into pairs
		sentPairs                      = map[int]bool{}
		toCancel                       []int64
		next, nextPair                 atomic.Int64
		compactions, totalAcked, kills int
	)
	client := &http.Client{Timeout: 5 * time.Second}
	s := startServer(t, bin, args...)
	const rounds = 6
	for round := range rounds {
		tok := s.token(t)
		var acked atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					k := next.Add(1)
					var path, body string
					var onAck func()
					switch k % 4 {
					case 0, 3:
						mu.Lock()
						n := len(toCancel)
						var id int64
						if k%4 == 3 && n > 0 {
							id, toCancel = toCancel[n-1], toCancel[:n-1]
						}
						mu.Unlock()
						if id != 0 {
							path, onAck = fmt.Sprintf("/appointments/%d/cancel", id), func() { canceled[id] = true }
							break
						}
						id = 20000 + k
						path = "/appointments"
						body = fmt.Sprintf(`{"id": %d, "jobTypeId": 101, "businessUnitId": 1, "start": "2027-03-10T13:00:00-07:00", "end": "2027-03-10T14:00:00-07:00"}`, id)
						onAck = func() { created[id] = true; toCancel = append(toCancel, id) }
					case 1:
						i := int(nextPair.Add(1) - 1)
						if i >= len(pairs) {
							continue
						}
						p := pairs[i]
						mu.Lock()
						sentPairs[i] = true
						mu.Unlock()
						path, body = "/appointment-assignments/assign-technicians", fmt.Sprintf(`{"jobAppointmentId":%d,"technicianIds":[110,%d]}`, p.appt, p.other)
						onAck = func() { assigned[i] = true }
					case 2:
						id := 5000 + k
						path, body = "/technicians", fmt.Sprintf(`{"id": %d, "name": "Tech %d", "businessUnitId": 1, "skills": ["HVAC"]}`, id, id)
						onAck = func() { techs[id] = true }
					}
					code, err := s.post(client, tok, path, body)
					if err == nil && code == 200 {
						mu.Lock()
						onAck()
						mu.Unlock()
						acked.Add(1)
					} else if err == nil && code != 200 {
						t.Errorf("%s %s: status %d", path, body, code)
					}
				}
			}()
		}
		wg.Add(1)
		go func() { // compaction on demand
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(15 * time.Millisecond):
				}
				if code, err := s.post(client, tok, "/journal/compact", ""); err == nil && code == 200 {
					mu.Lock()
					compactions++
					mu.Unlock()
				}
			}
		}()
		want := int64(60 + 20*round)
		for deadline := time.Now().Add(time.Minute); acked.Load() < want; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				s.cmd.Process.Kill()
				t.Fatalf("round %d: only %d requests acknowledged", round, acked.Load())
			}
		}
		s.cmd.Process.Signal(syscall.SIGKILL)
		s.cmd.Wait()
		close(stop)
		wg.Wait()
		kills++
		totalAcked += int(acked.Load())

		s = startServer(t, bin, args...)
		tok = s.token(t)
		appts := getAll[struct {
			ID            int64   `json:"id"`
			Canceled      bool    `json:"canceled"`
			TechnicianIDs []int64 `json:"technicianIds"`
		}](t, s, client, tok, "/appointments")
		byID := map[int64]int{}
		for i, a := range appts {
			byID[a.ID] = i
		}
		mu.Lock()
		for id := range created {
			if _, ok := byID[id]; !ok {
				t.Errorf("round %d: acknowledged appointment %d lost", round, id)
			}
		}
		for id := range canceled {
			if k, ok := byID[id]; !ok || !appts[k].Canceled {
				t.Errorf("round %d: acknowledged cancellation of %d lost", round, id)
			}
		}
		for i := range sentPairs {
			p := pairs[i]
			cur := appts[byID[p.appt]].TechnicianIDs
			a, b := slices.Contains(cur, 110), slices.Contains(cur, p.other)
			if assigned[i] && !(a && b) {
				t.Errorf("round %d: acknowledged assignment of 110 and %d to %d lost", round, p.other, p.appt)
			}
			if a != b {
				t.Errorf("round %d: assignment to %d half-applied: 110 %v, %d %v", round, p.appt, a, p.other, b)
			}
		}
		techList := getAll[struct {
			ID int64 `json:"id"`
		}](t, s, client, tok, "/technicians")
		have := map[int64]bool{}
		for _, x := range techList {
			have[x.ID] = true
		}
		for id := range techs {
			if !have[id] {
				t.Errorf("round %d: acknowledged technician %d lost", round, id)
			}
		}
		// A canceled appointment's pending work is gone, and the requests
		// acknowledged before the kill are the state's (the next round
		// starts from it).
		mu.Unlock()
		if t.Failed() {
			break
		}
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	snaps, _ := filepath.Glob(filepath.Join(data, demoTenant+".snapshot-*.json"))
	j, recs, err := httpapi.OpenJournal(data, demoTenant)
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	if len(snaps) != 1 || len(recs) >= 25 || compactions == 0 {
		t.Errorf("after the rounds: %d snapshots, %d journal records, %d compactions on demand; want 1, under 25, some", len(snaps), len(recs), compactions)
	}
	t.Logf("%d kills, %d acknowledged changes (%d appointments, %d cancellations, %d technicians, %d assignments), %d compactions on demand",
		kills, totalAcked, len(created), len(canceled), len(techs), len(assigned), compactions)
}

// TestDamagedJournalAtStart: the error of a start over a damaged journal
// names the tenant, the journal and its line, and the package once.
func TestDamagedJournalAtStart(t *testing.T) {
	dir := t.TempDir()
	cfg := httpapi.Config{DataDir: dir, Now: func() time.Time { return time.Unix(1800000000, 0) }}
	s, err := httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	path := filepath.Join(dir, "0000000.journal")
	data := []byte(readFile(t, path))
	data = append(data, data...) // a second header after the first...
	data[12] ^= 1                // ...and the first damaged: not a torn tail
	os.WriteFile(path, data, 0o644)
	_, err = httpapi.New(cfg, dispatch.DemoTenant)
	if err == nil {
		t.Fatal("a start over a damaged journal succeeded")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "httpapi: tenant 0000000: journal ") || strings.Count(msg, "httpapi:") != 1 || !strings.Contains(msg, "line 1") {
		t.Errorf("error %q: want one naming tenant, journal and line, with the package named once", msg)
	}
}
