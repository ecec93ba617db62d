package httpapi_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
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

// TestDurabilityKill9 sends assignments concurrently to a server with a
// journal, kills it with SIGKILL mid-stream, restarts it and checks that
// every acknowledged assignment is there and no request is half-applied
// (each assigns two technicians at once).
func TestDurabilityKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dispatch")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/opendispatch/dispatch/cmd/dispatch").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
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
	var acked sync.Map
	var nAcked atomic.Int64
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
			return
		}
		for _, c := range cs {
			if c.ID == "" || len(c.AppKey) < 8 || len(c.Tenants) == 0 {
				t.Fatalf("accepted an unusable client %+v", c)
			}
		}
	})
}
