package sim_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/sim"
)

// plusOneServer is a variant with one more server around the clock.
func plusOneServer() sim.Variant {
	all := []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	return sim.Variant{Name: "+1", Changes: []sim.Change{{AddTechnicians: &sim.AddTechnicians{Count: 1, Like: 1, Weekdays: all, From: "00:00", To: "24:00"}}}}
}

// TestRareDiffNoEvents: a paired difference of a rare loss with every
// replication's difference 0 does not read "0 ±0", certain of no
// difference, but 0 ± the upper bound of the discordant events' rate:
// Garwood's −ln(0.0125)/R for a count over R replications (4.38/5; each
// bound at 1.25%, Bonferroni over the rate and the variants' split of
// the events), Clopper and Pearson's 1 − 0.0125^(1/N) of the N pooled
// calls for a share. M/M/12/12 at A = 2 and one server more lose no call
// in 5 replications. Text, JSON and HTML print the same interval; the
// calls, identical in both by construction, keep 0 ±0.
func TestRareDiffNoEvents(t *testing.T) {
	q := sim.Queue{Servers: 12, Erlangs: 2, Days: 8, WarmupDays: 1, Replications: 5, Seed: 1}
	s, d, err := q.Study()
	if err != nil {
		t.Fatal(err)
	}
	s.Variants = []sim.Variant{plusOneServer()}
	res := simulate(t, s, d, sim.Options{})
	var calls int64
	for _, r := range res.Runs {
		if r.EmergencyLost != 0 {
			t.Fatalf("%s, replication %d lost %d calls: pick a lighter load", r.Variant, r.Replication, r.EmergencyLost)
		}
		if r.Variant == "baseline" {
			calls += r.EmergencyCalls
		}
	}
	diff := res.Summary.Differences[0]
	count := -math.Log(0.0125) / 5
	share := 100 * -math.Expm1(math.Log(0.0125)/float64(calls))
	for _, c := range []struct {
		key  string
		want float64
	}{
		{"emergencyLost", count}, {"lost", count}, {"lost.emergencyWait", count}, {"lost.declined", count}, {"booked", count},
		{"emergencyLostShare", share}, {"bookingRate", share},
		{"calls", 0},
	} {
		e := kpi(diff, c.key)
		if e.Mean != 0 || e.Low != -e.High || math.Abs(e.High-c.want) > 1e-9*max(1, c.want) {
			t.Errorf("%s, no replication differs: %g [%g, %g], want 0 [−%g, %g]", c.key, e.Mean, e.Low, e.High, c.want, c.want)
		}
		if c.want > 0 && e.Significant() {
			t.Errorf("%s: [%g, %g] is significant", c.key, e.Low, e.High)
		}
	}
	if count <= -math.Log(0.025)/5 || share <= 100*-math.Expm1(math.Log(0.025)/float64(calls)) {
		t.Error("the bounds at 1.25% are not above the 95% one-sided ones at 2.5%")
	}

	// The same interval in every format: JSON's bounds, ± the half-width
	// in text and in the HTML table, the bounds in the HTML chart.
	var js, text, html bytes.Buffer
	for _, w := range []func() error{
		func() error { return sim.WriteJSON(&js, res) },
		func() error { return sim.WriteText(&text, res) },
		func() error { return sim.WriteHTML(&html, res) },
	} {
		if err := w(); err != nil {
			t.Fatal(err)
		}
	}
	back, err := sim.ParseResult(js.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kpi(back.Summary.Differences[0], "emergencyLost"), kpi(diff, "emergencyLost"); got != want {
		t.Errorf("JSON: %+v, want %+v", got, want)
	}
	var line string
	for l := range strings.SplitSeq(text.String(), "\n") {
		if strings.HasPrefix(l, "emergencies lost ") {
			line = l
		}
	}
	if !strings.HasSuffix(line, "  0.00 ±0.88") || strings.Contains(line, "±0.00") {
		t.Errorf("text: %q, want the difference 0.00 ±0.88 (and the variants' levels not ±0)", line)
	}
	for _, want := range []string{"<td>0.00 <small>±0.88</small></td>", "0.00 [-0.88, +0.88] calls"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// The chart draws no bar for a difference no replication showed: it
	// is listed, with its interval, under the chart.
	if strings.Contains(html.String(), ">emergencies lost (calls)<") {
		t.Error("HTML charts a bar for emergencies lost, which no replication changed")
	}
	if want := "Events no replication showed a difference in, with the exact interval of such rare events: "; !strings.Contains(html.String(), want) ||
		!strings.Contains(html.String(), "emergencies lost 0.00 [-0.88, +0.88] calls") {
		t.Errorf("HTML does not list emergencies lost 0.00 [-0.88, +0.88] calls after %q", want)
	}
}

// TestRareDiffCoverage: at a rare loss, one server more at M/M/8/8,
// A = 2 (Erlang B 0.086% → 0.019%: −0.067 points, about 0.06 discordant
// losses a replication), the paired difference of the share lost covers
// the truth in at least 90% of 200 studies of 5 replications. Student
// t's interval alone covered 63% of 1,000 (in 37% every replication's
// difference was 0: "0 ±0"); of these 200, 127 (71 of zero width).
func TestRareDiffCoverage(t *testing.T) {
	studies := 200
	if raceEnabled {
		studies = 40
	}
	truth := 100 * (erlangB(9, 2) - erlangB(8, 2))
	covered, zero := 0, 0
	for i := range studies {
		q := sim.Queue{Servers: 8, Erlangs: 2, Days: 8, WarmupDays: 1, Replications: 5, Seed: uint64(i + 1)}
		s, d, err := q.Study()
		if err != nil {
			t.Fatal(err)
		}
		s.Variants = []sim.Variant{plusOneServer()}
		e := kpi(simulate(t, s, d, sim.Options{Workers: 1}).Summary.Differences[0], "emergencyLostShare")
		if e.Low <= truth && truth <= e.High {
			covered++
		}
		if e.Low == e.High {
			zero++
		}
	}
	t.Logf("covered Erlang B's difference %.4f points in %d of %d studies", truth, covered, studies)
	if covered < studies*9/10 || zero > 0 {
		t.Errorf("the difference of the share lost covered Erlang B's %.4f points in %d of %d studies, want at least 90%%; %d of zero width", truth, covered, studies, zero)
	}
}

// TestManyDiscordantIsStudentT: where the discordant events are many
// (one server more at M/M/20/20, A = 19: about 80 a replication), a
// difference of a share or count has Student t's interval on the
// replications' differences, as before the rule, not a wider one.
func TestManyDiscordantIsStudentT(t *testing.T) {
	q := sim.Queue{Servers: 20, Erlangs: 19, Days: 3, WarmupDays: 1, Replications: 5, Seed: 1}
	s, d, err := q.Study()
	if err != nil {
		t.Fatal(err)
	}
	s.Variants = []sim.Variant{plusOneServer()}
	res := simulate(t, s, d, sim.Options{})
	type fig struct {
		key string
		f   func(*sim.Run) float64
	}
	discordant := 0.0
	for _, c := range []fig{
		{"emergencyLost", func(r *sim.Run) float64 { return float64(r.EmergencyLost) }},
		{"emergencyLostShare", func(r *sim.Run) float64 { return float64(r.EmergencyLost) / float64(r.EmergencyCalls) * 100 }},
		{"booked", func(r *sim.Run) float64 { return float64(r.Booked) }},
	} {
		var ds []float64
		discordant = 0
		for j := 0; j+1 < len(res.Runs); j += 2 {
			b, v := res.Runs[j], res.Runs[j+1]
			ds = append(ds, c.f(v)-c.f(b))
			discordant += math.Abs(float64(v.EmergencyLost - b.EmergencyLost))
		}
		lo, hi := studentT(ds)
		e := kpi(res.Summary.Differences[0], c.key)
		near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*max(1, math.Abs(b)) }
		if !near(e.Low, lo) || !near(e.High, hi) {
			t.Errorf("%s, %g discordant events: [%g, %g], want Student t's [%g, %g]", c.key, discordant, e.Low, e.High, lo, hi)
		}
	}
	if discordant < 100 {
		t.Fatalf("%g discordant losses: want many", discordant)
	}
	// And the JSON says so: the bounds are t's, centred on the mean.
	var js bytes.Buffer
	if err := sim.WriteJSON(&js, res); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Summary struct {
			Differences []struct{ KPIs []sim.Estimate }
		}
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, e := range back.Summary.Differences[0].KPIs {
		if e.Key == "emergencyLost" && math.Abs((e.High-e.Mean)-(e.Mean-e.Low)) > 1e-9 {
			t.Errorf("emergencyLost %+v: want an interval centred on its mean", e)
		}
	}
}

// TestRareDiffOffCentre: a difference whose interval contains the exact
// one of few discordant events is not centred on its mean; text and the
// HTML table print it as mean ± its longer side, as they print the
// levels', so that the ± contains it, and the HTML chart and JSON its
// bounds. One server more at M/M/7/7, A = 2, loses about 4 calls fewer
// over 5 replications.
func TestRareDiffOffCentre(t *testing.T) {
	q := sim.Queue{Servers: 7, Erlangs: 2, Days: 8, WarmupDays: 1, Replications: 5, Seed: 1}
	s, d, err := q.Study()
	if err != nil {
		t.Fatal(err)
	}
	s.Variants = []sim.Variant{plusOneServer()}
	res := simulate(t, s, d, sim.Options{})
	e := kpi(res.Summary.Differences[0], "emergencyLost")
	up, down := e.High-e.Mean, e.Mean-e.Low
	if e.Mean >= 0 || math.Abs(up-down) < 0.05 {
		t.Fatalf("emergencies lost %+v: want fewer lost, off-centre", e)
	}
	f2 := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	signed := func(x float64) string {
		if x > 0 {
			return "+" + f2(x)
		}
		return f2(x)
	}
	cell := f2(e.Mean) + " ±" + f2(max(up, down))
	var text, html bytes.Buffer
	if err := sim.WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	if err := sim.WriteHTML(&html, res); err != nil {
		t.Fatal(err)
	}
	var line string
	for l := range strings.SplitSeq(text.String(), "\n") {
		if strings.HasPrefix(l, "emergencies lost ") {
			line = strings.TrimSuffix(l, " *")
		}
	}
	if !strings.HasSuffix(line, " "+cell) {
		t.Errorf("text: %q, want the difference %s (the half-width would read ±%s)", line, cell, f2((e.High-e.Low)/2))
	}
	for _, want := range []string{f2(e.Mean) + " <small>±" + f2(max(up, down)) + "</small>", signed(e.Mean) + " [" + signed(e.Low) + ", " + signed(e.High) + "] calls"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}
