package shifts_test

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

var fixed = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return fixed }

const h = int64(3600)

// u returns Unix seconds x as a time in UTC.
func u(x int64) time.Time { return time.Unix(x, 0).UTC() }

func TestCreateAndList(t *testing.T) {
	s, err := shifts.NewStore(time.UTC, clock, shifts.Shift{ID: 7, TechnicianID: 1, Type: shifts.Normal, Start: u(100 * h), End: u(108 * h)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{3, 2}, Type: shifts.TimeOff, Title: "Dentist", Start: u(90 * h), End: u(92 * h)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 8 || got[1].ID != 9 || got[0].TechnicianID != 3 || !got[0].ModifiedOn.Equal(fixed) || !got[0].IsActive() {
		t.Fatalf("Create returned %+v; want ids 8, 9 for technicians 3, 2, active, modified at the clock", got)
	}
	p, err := s.List(shifts.ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, sh := range p.Data {
		ids = append(ids, sh.ID)
	}
	if want := []int64{8, 9, 7}; !slices.Equal(ids, want) || p.TotalCount != 3 || p.HasMore {
		t.Errorf("List ids %v total %d more %v; want %v in (start, id) order", ids, p.TotalCount, p.HasMore, want)
	}
	p, _ = s.List(shifts.ListQuery{StartsOnOrAfter: u(91 * h), EndsOnOrBefore: u(108 * h)})
	if len(p.Data) != 1 || p.Data[0].ID != 7 {
		t.Errorf("filtered List = %+v, want only shift 7", p.Data)
	}
	p, _ = s.List(shifts.ListQuery{Query: paging.Query{Page: 2, PageSize: 2}})
	if len(p.Data) != 1 || p.Data[0].ID != 7 || p.TotalCount != 3 {
		t.Errorf("page 2 of 2 = %+v", p)
	}
	if _, err := s.List(shifts.ListQuery{Query: paging.Query{PageSize: 501}}); !errors.Is(err, paging.ErrBadPage) {
		t.Errorf("pageSize 501: got %v, want ErrBadPage", err)
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestValidation(t *testing.T) {
	tests := []struct {
		req  shifts.CreateRequest
		want string
	}{
		{shifts.CreateRequest{Type: shifts.Normal, Start: u(0), End: u(h)}, "technicianIds: shifts: at least one technician id is required"},
		{shifts.CreateRequest{TechnicianIDs: []int64{1}, Start: u(0), End: u(h)}, "shiftType: shifts: shift type is missing or unknown"},
		{shifts.CreateRequest{TechnicianIDs: []int64{1}, Type: shifts.Normal, Start: u(h), End: u(h)}, "end: shifts: end 1970-01-01T01:00:00Z is not after start 1970-01-01T01:00:00Z"},
		{shifts.CreateRequest{TechnicianIDs: []int64{1}, Type: shifts.Normal, Start: u(0), End: u(7*24*h + 1)}, "end: shifts: shift of 168h0m1s is longer than the 7-day maximum"},
		{shifts.CreateRequest{TechnicianIDs: []int64{1, 1}, Type: shifts.Normal, Start: u(0), End: u(h)}, "technicianIds[1]: shifts: technician id 1 listed twice"},
	}
	s, _ := shifts.NewStore(time.UTC, clock)
	for _, tt := range tests {
		_, err := s.Create(tt.req)
		var errs validate.Errors
		if !errors.As(err, &errs) || !errors.Is(err, shifts.ErrInvalid) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Create(%+v) = %v; want %q", tt.req, err, tt.want)
		}
	}
	if s.Len() != 0 {
		t.Errorf("rejected requests stored %d shifts", s.Len())
	}
	if _, err := shifts.ParseType("Vacation"); err == nil {
		t.Error("ParseType accepted Vacation")
	}
}

// TestSetAgainstScan checks the indexed per-technician query against a scan
// of every shift, after shifts are created, updated and deleted; with the
// store's tables in chunks of three too, so that chunks split and empty.
func TestSetAgainstScan(t *testing.T) {
	t.Run("chunk=default", testSetAgainstScan)
	t.Run("chunk=3", func(t *testing.T) {
		defer shifts.SetSeqChunk(3)()
		testSetAgainstScan(t)
	})
}

func testSetAgainstScan(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 500))
	genShift := gopter.CombineGens(gen.Int64Range(1, 3), gen.IntRange(1, 3), gen.Int64Range(0, 400), gen.Int64Range(1, 7*24), gen.Bool()).
		Map(func(v []any) shifts.Shift {
			st := v[2].(int64) * h
			return shifts.Shift{TechnicianID: v[0].(int64), Type: shifts.Type(v[1].(int)), Start: u(st), End: u(st + v[3].(int64)*h), Inactive: !v[4].(bool)}
		})
	var buf []interval.Span // AppendSet's, reused across calls
	props.Property("Set equals a scan", prop.ForAll(func(list []shifts.Shift, edits []shifts.Shift, from, span int64) string {
		for i := range list {
			list[i].ID = int64(i + 1)
		}
		half := len(list) / 2
		s, err := shifts.NewStore(time.UTC, clock, list[:half]...)
		if err != nil {
			return err.Error()
		}
		for i := half; i < len(list); i++ { // the rest through Create, to test in-place insertion
			sh := list[i]
			created, err := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{sh.TechnicianID}, Type: sh.Type, Start: sh.Start, End: sh.End})
			if err != nil || len(created) != 1 {
				return fmt.Sprint("create: ", err)
			}
			list[i].Inactive = false
			list[i].ID = created[0].ID
		}
		// Edits update or delete shifts, the one at position edit.ID mod
		// len(list); a shift with technician 3 deletes it.
		for k, ed := range edits {
			if len(list) == 0 {
				break
			}
			i := k * 7 % len(list)
			if ed.TechnicianID == 3 {
				got, err := s.Delete(list[i].ID)
				if err != nil || got.ID != list[i].ID {
					return fmt.Sprintf("delete %d: %+v, %v", list[i].ID, got, err)
				}
				list = slices.Delete(list, i, i+1)
				continue
			}
			c := shifts.Change{Type: ed.Type, Title: "edited", Start: ed.Start, End: ed.End, Inactive: ed.Inactive}
			got, err := s.Update(list[i].ID, c)
			if err != nil || !got.Change().Equal(c) || got.ID != list[i].ID || got.TechnicianID != list[i].TechnicianID || !got.ModifiedOn.Equal(fixed) {
				return fmt.Sprintf("update %d to %+v: %+v, %v", list[i].ID, c, got, err)
			}
			list[i].Type, list[i].Start, list[i].End, list[i].Inactive = ed.Type, ed.Start, ed.End, ed.Inactive
		}
		if s.Len() != len(list) {
			return fmt.Sprintf("store holds %d shifts, want %d", s.Len(), len(list))
		}
		all := s.All()
		if !slices.IsSortedFunc(all, func(a, b shifts.Shift) int { return cmp.Or(a.Start.Compare(b.Start), cmpInt(a.ID, b.ID)) }) {
			return fmt.Sprintf("All is not in (start, id) order: %+v", all)
		}
		var allIDs, listIDs []int64
		for i := range all {
			allIDs = append(allIDs, all[i].ID)
			listIDs = append(listIDs, list[i%max(len(list), 1)].ID)
		}
		slices.Sort(allIDs)
		slices.Sort(listIDs)
		if len(all) != len(list) || !slices.Equal(allIDs, listIDs) {
			return fmt.Sprintf("All holds ids %v, want %v", allIDs, listIDs)
		}
		after := from * h
		page, err := s.List(shifts.ListQuery{StartsOnOrAfter: u(after), Query: paging.Query{PageSize: 500}})
		var want []int64
		for _, sh := range all {
			if sh.Start.Unix() >= after {
				want = append(want, sh.ID)
			}
		}
		var got []int64
		for _, sh := range page.Data {
			got = append(got, sh.ID)
		}
		if err != nil || !slices.Equal(got, want) {
			return fmt.Sprintf("List from %d = %v, %v; want %v", after, got, err, want)
		}
		for _, sh := range list {
			if got, ok := s.Get(sh.ID); !ok || !got.Start.Equal(sh.Start) || !got.End.Equal(sh.End) || got.IsActive() != sh.IsActive() || got.Type != sh.Type {
				return fmt.Sprintf("Get(%d) = %+v, %v; want %+v", sh.ID, got, ok, sh)
			}
		}
		from *= h
		to := from + span*h
		for tech := int64(1); tech <= 3; tech++ {
			for typ := shifts.Normal; typ <= shifts.TimeOff; typ++ {
				var b interval.Builder
				for _, sh := range list {
					if sh.TechnicianID == tech && sh.Type == typ && sh.IsActive() {
						b.AddRange(max(sh.Start.Unix(), from), min(sh.End.Unix(), to))
					}
				}
				want := b.Set()
				if got := s.Set(tech, typ, from, to); !got.Equal(want) {
					return fmt.Sprintf("Set(%d, %v) = %v, want %v", tech, typ, got, want)
				}
				// AppendSet: after what dst holds, in the buffer reused
				// from the last call, the spans of Set.
				prefix := []interval.Span{{Start: -9, End: -8}}
				buf = s.AppendSet(append(buf[:0], prefix...), tech, typ, from, to)
				if !slices.Equal(buf[:1], prefix) || !interval.FromNormalized(slices.Clone(buf[1:])).Equal(want) {
					return fmt.Sprintf("AppendSet(%v, %d, %v) = %v, want the prefix and %v", prefix, tech, typ, buf, want)
				}
			}
		}
		return ""
	}, gen.SliceOfN(30, genShift), gen.SliceOfN(12, genShift), gen.Int64Range(0, 500), gen.Int64Range(0, 300)))
	proptest.Run(t, props)
}

// TestUpdateAndDelete pins the errors of Update and Delete, that a failed
// one changes nothing, and that ids count up from the largest stored.
func TestUpdateAndDelete(t *testing.T) {
	s, err := shifts.NewStore(time.UTC, clock, shifts.Shift{ID: 4, TechnicianID: 1, Type: shifts.Normal, Start: u(10 * h), End: u(18 * h)})
	if err != nil {
		t.Fatal(err)
	}
	before := s.All()
	for _, tt := range []struct {
		id   int64
		c    shifts.Change
		want string
		is   error
	}{
		{9, shifts.Change{Type: shifts.Normal, Start: u(0), End: u(h)}, "id: shifts: unknown shift 9", shifts.ErrNotFound},
		{4, shifts.Change{Start: u(0), End: u(h)}, "shiftType: shifts: shift type is missing or unknown", shifts.ErrInvalid},
		{4, shifts.Change{Type: shifts.TimeOff, Start: u(h), End: u(h)}, "end: shifts: end 1970-01-01T01:00:00Z is not after start", shifts.ErrInvalid},
		{4, shifts.Change{}, "shiftType: shifts: shift type is missing or unknown\nstart: shifts: start is missing\nend: shifts: end is missing", shifts.ErrInvalid},
	} {
		_, err := s.Update(tt.id, tt.c)
		if !errors.Is(err, tt.is) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Update(%d, %+v) = %v; want %q", tt.id, tt.c, err, tt.want)
		}
	}
	if _, err := s.Delete(9); !errors.Is(err, shifts.ErrNotFound) {
		t.Errorf("Delete(9) = %v, want ErrNotFound", err)
	}
	if diff := gocmp.Diff(before, s.All()); diff != "" {
		t.Errorf("failed updates changed the store (-before +after):\n%s", diff)
	}
	sh, err := s.Update(4, shifts.Change{Type: shifts.TimeOff, Title: "Sick", Start: u(12 * h), End: u(14 * h), Inactive: true})
	if err != nil || sh.IsActive() || sh.Title != "Sick" || !sh.ModifiedOn.Equal(fixed) {
		t.Fatalf("Update = %+v, %v", sh, err)
	}
	if !s.Set(1, shifts.Normal, 0, 100*h).IsEmpty() || !s.Set(1, shifts.TimeOff, 0, 100*h).IsEmpty() {
		t.Error("an inactive shift still gives time")
	}
	created, _ := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{1}, Type: shifts.Normal, Start: u(0), End: u(h)})
	if created[0].ID != 5 {
		t.Errorf("created id %d, want 5", created[0].ID)
	}
	if _, err := s.Delete(5); err != nil {
		t.Fatal(err)
	}
	// Like a store rebuilt from the shifts left, the next id is one more
	// than the largest stored.
	rebuilt, _ := shifts.NewStore(time.UTC, clock, s.All()...)
	for _, st := range []*shifts.Store{s, rebuilt} {
		if created, _ := st.Create(shifts.CreateRequest{TechnicianIDs: []int64{1}, Type: shifts.Normal, Start: u(0), End: u(h)}); created[0].ID != 5 {
			t.Errorf("after deleting shift 5, created id %d, want 5", created[0].ID)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s, _ := shifts.NewStore(time.UTC, clock)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 50 {
				st := int64(g*1000+i) * h
				if _, err := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{int64(g + 1)}, Type: shifts.Normal, Start: u(st), End: u(st + h)}); err != nil {
					t.Error(err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				s.Set(int64(g+1), shifts.Normal, 0, 1e9)
				_, _ = s.List(shifts.ListQuery{})
			}
		}()
	}
	wg.Wait()
	if s.Len() != 200 {
		t.Errorf("stored %d shifts, want 200", s.Len())
	}
	seen := map[int64]bool{}
	for _, sh := range s.All() {
		if seen[sh.ID] {
			t.Fatalf("id %d handed out twice", sh.ID)
		}
		seen[sh.ID] = true
	}
}

func TestExpandAcrossDST(t *testing.T) {
	loc, _ := hours.LoadLocation("America/Denver")
	mon := hours.MustParseDate("2027-03-08")
	first := shifts.Shift{TechnicianID: 1, Type: shifts.Normal, Start: u(hours.Local(loc, mon, 8*60)), End: u(hours.Local(loc, mon, 17*60))}
	r, err := shifts.ParseRepeat(shifts.RepeatRule{RepeatType: "Weekly", ShiftDays: []string{"Monday", "Wednesday", "Friday"}, RepeatEndDate: "2027-03-19"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := shifts.Expand(loc, first, r, u(0), u(1<<40))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, sh := range got {
		lines = append(lines, sh.Start.Format("Mon 01-02 15:04 -07")+"–"+sh.End.Format("15:04 -07"))
	}
	want := []string{
		"Mon 03-08 08:00 -07–17:00 -07", "Wed 03-10 08:00 -07–17:00 -07", "Fri 03-12 08:00 -07–17:00 -07",
		"Mon 03-15 08:00 -06–17:00 -06", "Wed 03-17 08:00 -06–17:00 -06", "Fri 03-19 08:00 -06–17:00 -06",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("weekly expansion:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	// An overnight on-call shift every other day keeps its wall-clock hours
	// and spans the night of the DST change (an hour shorter).
	night := shifts.Shift{TechnicianID: 1, Type: shifts.OnCall, Start: u(hours.Local(loc, mon+4, 20*60)), End: u(hours.Local(loc, mon+5, 6*60))}
	r2, _ := shifts.ParseRepeat(shifts.RepeatRule{RepeatType: "Daily", RepeatInterval: 1, RepeatEndDate: "2027-03-14"})
	got, err = shifts.Expand(loc, night, r2, u(0), u(1<<40))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("daily expansion gave %d shifts, want 3", len(got))
	}
	if d := got[1].End.Sub(got[1].Start); d != 9*time.Hour { // Saturday 20:00 → Sunday 06:00 across spring-forward
		t.Errorf("night of the change lasts %v, want 9h", d)
	}
	if _, err := shifts.ParseRepeat(shifts.RepeatRule{RepeatType: "Monthly", RepeatEndDate: "x"}); err == nil || !strings.Contains(err.Error(), "repeatType") || !strings.Contains(err.Error(), "repeatEndDate") {
		t.Errorf("bad repeat rule error = %v, want both fields named", err)
	}
}

// TestNewStoreLarge: a store built from a few to thousands of shifts in
// any order (ids shuffled, ascending, or a technician's together; starts
// spread over hours, a fortnight or decades, many equal) lists them in
// (start, id) order, and each technician's working set is the union of
// its active shifts, as a scan finds it.
func TestNewStoreLarge(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 20))
	props.Property("large stores order and index their shifts", prop.ForAll(func(seed int64, spread int64, shuffle bool) string {
		r := rand.New(rand.NewPCG(uint64(seed), 4))
		var list []shifts.Shift
		for i := range []int{5, 40, 600 + r.IntN(1500)}[r.IntN(3)] {
			start := int64(1_700_000_000) + r.Int64N(spread)/h*h - spread/2
			list = append(list, shifts.Shift{ID: int64(i + 1), TechnicianID: int64(1 + r.IntN(40)), Type: shifts.Type(1 + r.IntN(3)),
				Start: u(start), End: u(start + h*int64(1+r.IntN(10))), Inactive: r.IntN(6) == 0})
		}
		if shuffle {
			r.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		} else if r.IntN(2) == 0 { // a technician's shifts together, numbered so, as in a tenant file
			slices.SortStableFunc(list, func(a, b shifts.Shift) int { return cmpInt(a.TechnicianID, b.TechnicianID) })
			for i := range list {
				list[i].ID = int64(i + 1)
			}
		}
		s, err := shifts.NewStore(time.UTC, clock, list...)
		if err != nil {
			return err.Error()
		}
		want := slices.Clone(list)
		slices.SortFunc(want, func(a, b shifts.Shift) int { return cmp.Or(a.Start.Compare(b.Start), cmpInt(a.ID, b.ID)) })
		if diff := gocmp.Diff(want, s.All()); diff != "" {
			return "All (-want +got):\n" + diff
		}
		for tech := int64(1); tech <= 40; tech++ {
			for _, typ := range []shifts.Type{shifts.Normal, shifts.TimeOff} {
				var b interval.Builder
				for _, sh := range list {
					if sh.TechnicianID == tech && sh.Type == typ && sh.IsActive() {
						b.AddRange(sh.Start.Unix(), sh.End.Unix())
					}
				}
				if got, want := s.Set(tech, typ, -1<<50, 1<<50), b.Set(); !got.Equal(want) {
					return fmt.Sprintf("technician %d, %v: %v, want %v", tech, typ, got, want)
				}
			}
		}
		// AppendSpans: every active shift's span of the type, in some order.
		for _, typ := range []shifts.Type{shifts.Normal, shifts.OnCall, shifts.TimeOff} {
			want := []interval.Span{{Start: -1, End: 0}} // dst is appended to
			for _, sh := range list {
				if sh.Type == typ && sh.IsActive() {
					want = append(want, sh.Span())
				}
			}
			got := s.AppendSpans([]interval.Span{{Start: -1, End: 0}}, typ)
			slices.SortFunc(want, cmpSpan)
			slices.SortFunc(got, cmpSpan)
			if diff := gocmp.Diff(want, got); diff != "" {
				return fmt.Sprintf("AppendSpans(%v) (-want +got):\n%s", typ, diff)
			}
		}
		return ""
	}, gen.Int64(), gen.OneConstOf(int64(14*24*h), int64(40*365*24*h), int64(3*h)), gen.Bool()))
	proptest.Run(t, props)
}

// TestEpochModifiedOn: a ModifiedOn at the Unix epoch is an instant, not
// an unset one: the store gives it back (it came back unset), and an
// unset one stays unset.
func TestEpochModifiedOn(t *testing.T) {
	epoch := time.Unix(0, 0).UTC()
	start := time.Date(2027, 3, 9, 8, 0, 0, 0, time.UTC)
	s, err := shifts.NewStore(time.UTC, nil,
		shifts.Shift{ID: 1, TechnicianID: 7, Type: shifts.Normal, Start: start, End: start.Add(8 * time.Hour), ModifiedOn: epoch},
		shifts.Shift{ID: 2, TechnicianID: 7, Type: shifts.Normal, Start: start.Add(24 * time.Hour), End: start.Add(32 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	all := s.All()
	if got := all[0].ModifiedOn; !got.Equal(epoch) || got.IsZero() {
		t.Errorf("shift 1 ModifiedOn = %v, want %v", got, epoch)
	}
	if got := all[1].ModifiedOn; !got.IsZero() {
		t.Errorf("shift 2 ModifiedOn = %v, want unset", got)
	}
	if got := shifts.TimeIn(shifts.Unix(time.Time{}), time.UTC); !got.IsZero() {
		t.Errorf("TimeIn(Unix(zero)) = %v, want the zero time", got)
	}
	if got := shifts.TimeIn(shifts.Unix(epoch), nil); !got.Equal(epoch) || got.IsZero() {
		t.Errorf("TimeIn(Unix(epoch)) = %v, want the epoch", got)
	}
}

// TestTextOfShifts: a shift's title is one line and its note may break
// lines, both at most validate.MaxText characters: Shift.Validate,
// CreateRequest.Validate and Change.Validate refuse the rest alike.
func TestTextOfShifts(t *testing.T) {
	start := time.Date(2027, 3, 9, 8, 0, 0, 0, time.UTC)
	long := strings.Repeat("é", validate.MaxText+1)
	for _, tt := range []struct {
		title, note string
		want        []string // paths of the problems
	}{
		{"Day", "line one\r\nline\ttwo", nil},
		{strings.Repeat("é", validate.MaxText), strings.Repeat("é", validate.MaxText), nil},
		{"Day\n", "", []string{"title"}},
		{long, "\x00", []string{"title", "note"}},
		{"On\tcall", long, []string{"note"}},
	} {
		sh := shifts.Shift{ID: 1, TechnicianID: 7, Type: shifts.Normal, Title: tt.title, Note: tt.note, Start: start, End: start.Add(time.Hour)}
		req := shifts.CreateRequest{TechnicianIDs: []int64{7}, Type: shifts.Normal, Title: tt.title, Note: tt.note, Start: sh.Start, End: sh.End}
		for name, err := range map[string]error{"Shift": sh.Validate(), "CreateRequest": req.Validate(), "Change": sh.Change().Validate()} {
			var got []string
			var list validate.Errors
			if errors.As(err, &list) {
				for _, e := range list {
					got = append(got, e.Path)
				}
			}
			if !slices.Equal(got, tt.want) || (err != nil) != errors.Is(err, shifts.ErrInvalid) {
				t.Errorf("%s of title %.20q, note %.20q: %v, want problems at %q", name, tt.title, tt.note, err, tt.want)
			}
		}
	}
}

// TestConcurrentFirstReads: a store builds the tables that serve reads
// and changes on the first that needs them; here every kind of read and
// change comes first at once, on many stores (go test -race finds a table
// built or read without the write lock), and each answers as a store
// built eagerly would.
func TestConcurrentFirstReads(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 14))
	for round := range 20 {
		var list []shifts.Shift
		for i := range 20 + r.IntN(300) {
			start := int64(1_800_000_000) + r.Int64N(30*24)*h
			list = append(list, shifts.Shift{ID: int64(i + 1), TechnicianID: int64(1 + r.IntN(8)), Type: shifts.Type(1 + r.IntN(3)),
				Title: []string{"", "Day", "Night"}[r.IntN(3)], Note: []string{"", "van 2"}[r.IntN(2)],
				Start: u(start), End: u(start + h*int64(1+r.IntN(10))), Inactive: r.IntN(6) == 0})
		}
		want := slices.Clone(list)
		slices.SortFunc(want, func(a, b shifts.Shift) int { return cmp.Or(a.Start.Compare(b.Start), cmpInt(a.ID, b.ID)) })
		s, err := shifts.NewStore(time.UTC, clock, list...)
		if err != nil {
			t.Fatal(err)
		}
		id := list[r.IntN(len(list))].ID
		var wg sync.WaitGroup
		start := make(chan struct{})
		check := func(what string, f func() string) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if msg := f(); msg != "" {
					t.Errorf("round %d, %s: %s", round, what, msg)
				}
			}()
		}
		check("All", func() string {
			got := s.All()
			if len(got) != len(want) && len(got) != len(want)+1 {
				return fmt.Sprintf("%d shifts, want %d or %d", len(got), len(want), len(want)+1)
			}
			return gocmp.Diff(want, got[:len(want)]) // the created shift comes last
		})
		check("List", func() string {
			p, err := s.List(shifts.ListQuery{})
			if err != nil {
				return err.Error()
			}
			n := min(len(p.Data), len(want)) // the created shift comes last
			return gocmp.Diff(want[:n], p.Data[:n])
		})
		check("Get", func() string {
			if sh, ok := s.Get(id); !ok || sh.ID != id {
				return fmt.Sprintf("Get(%d) = %v, %v", id, sh, ok)
			}
			return ""
		})
		check("Len", func() string {
			if n := s.Len(); n != len(list) && n != len(list)+1 {
				return fmt.Sprintf("Len = %d, want %d or %d", n, len(list), len(list)+1)
			}
			return ""
		})
		check("Footprint", func() string {
			if f := s.Footprint(); f.Records <= 0 {
				return fmt.Sprintf("Footprint = %+v", f)
			}
			return ""
		})
		check("Set", func() string { s.Set(1, shifts.Normal, 0, 1<<40); return "" })
		check("Create", func() string {
			got, err := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{3}, Type: shifts.OnCall, Start: u(1_900_000_000), End: u(1_900_000_000 + h)})
			if err != nil {
				return err.Error()
			}
			if got[0].ID != int64(len(list)+1) {
				return fmt.Sprintf("created id %d, want %d", got[0].ID, len(list)+1)
			}
			return ""
		})
		close(start)
		wg.Wait()
		if sh, err := s.Delete(int64(len(list) + 1)); err != nil || sh.Type != shifts.OnCall {
			t.Fatalf("round %d: Delete = %v, %v", round, sh, err)
		}
		if diff := gocmp.Diff(want, s.All()); diff != "" {
			t.Fatalf("round %d: after the changes (-want +got):\n%s", round, diff)
		}
	}
}

// TestNewStoreOwnsItsShifts: a store keeps its own copy of the shifts it
// was given, including those it serves only once read: changing the
// caller's list afterwards changes nothing, before or after the store's
// first read.
func TestNewStoreOwnsItsShifts(t *testing.T) {
	mk := func() []shifts.Shift {
		start := time.Date(2027, 3, 9, 8, 0, 0, 0, time.UTC)
		var list []shifts.Shift
		for i := range 40 {
			st := start.Add(time.Duration(i%7) * 24 * time.Hour)
			list = append(list, shifts.Shift{ID: int64(i + 1), TechnicianID: int64(1 + i/7), Type: shifts.Normal,
				Title: fmt.Sprintf("day %d", i%7), Note: "van", Start: st, End: st.Add(8 * time.Hour), ModifiedOn: start})
		}
		return list
	}
	for _, readFirst := range []bool{false, true} {
		list := mk()
		s, err := shifts.NewStore(time.UTC, clock, list...)
		if err != nil {
			t.Fatal(err)
		}
		set := s.Set(2, shifts.Normal, 0, 1<<40)
		if readFirst {
			s.Len()
		}
		for i := range list {
			list[i].ID += 1000
			list[i].TechnicianID = 1
			list[i].Title, list[i].Note = "changed", "changed"
			list[i].Start = list[i].Start.Add(time.Hour)
			list[i].Inactive = true
		}
		want := mk()
		slices.SortFunc(want, func(a, b shifts.Shift) int { return cmp.Or(a.Start.Compare(b.Start), cmpInt(a.ID, b.ID)) })
		if diff := gocmp.Diff(want, s.All()); diff != "" {
			t.Errorf("read first %v: the caller's changes reached the store (-want +got):\n%s", readFirst, diff)
		}
		if got := s.Set(2, shifts.Normal, 0, 1<<40); !got.Equal(set) {
			t.Errorf("read first %v: Set = %v, want %v", readFirst, got, set)
		}
	}
}

func cmpSpan(a, b interval.Span) int {
	return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
}

// TestAppendSpansOrder: AppendSpans lists the technicians in ascending id
// order, each one's spans ascending by start, after dst — not in the
// order of the store's map of technicians, which differs from call to
// call (STYLE: map order never reaches output). The reference is read
// from All, on new stores and after creates (new technicians among them),
// updates and deletes; and every call answers alike.
func TestAppendSpansOrder(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 200))
	props.Property("technicians by id, each by start", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 24))
		var list []shifts.Shift
		for i := range r.IntN(200) {
			start := int64(1_800_000_000) + r.Int64N(20*24)*h
			list = append(list, shifts.Shift{ID: int64(i + 1), TechnicianID: int64(1 + r.IntN(30)), Type: shifts.Type(1 + r.IntN(3)),
				Start: u(start), End: u(start + h*int64(1+r.IntN(10))), Inactive: r.IntN(6) == 0})
		}
		s, err := shifts.NewStore(time.UTC, clock, list...)
		if err != nil {
			return err.Error()
		}
		for round := range 3 {
			for _, typ := range []shifts.Type{shifts.Normal, shifts.OnCall, shifts.TimeOff} {
				if msg := checkAppendSpans(s, typ); msg != "" {
					return fmt.Sprintf("round %d, %v: %s", round, typ, msg)
				}
			}
			for range 1 + r.IntN(10) { // changes: the tables are built by the first
				all := s.All()
				start := int64(1_800_000_000) + r.Int64N(20*24)*h
				c := shifts.Change{Type: shifts.Type(1 + r.IntN(3)), Start: u(start), End: u(start + h*int64(1+r.IntN(10))), Inactive: r.IntN(6) == 0}
				switch k := r.IntN(3); {
				case k == 0 || len(all) == 0:
					if _, err := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{int64(1 + r.IntN(40))}, Type: c.Type, Start: c.Start, End: c.End}); err != nil {
						return err.Error()
					}
				case k == 1:
					if _, err := s.Update(all[r.IntN(len(all))].ID, c); err != nil {
						return err.Error()
					}
				default:
					if _, err := s.Delete(all[r.IntN(len(all))].ID); err != nil {
						return err.Error()
					}
				}
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
}

// checkAppendSpans checks s.AppendSpans(dst, typ) against s.All(): dst
// kept, then per technician in ascending id order its active spans of
// typ, ascending by start (shifts starting together in any order).
func checkAppendSpans(s *shifts.Store, typ shifts.Type) string {
	byTech := map[int64][]interval.Span{}
	for _, sh := range s.All() {
		if sh.Type == typ && sh.IsActive() {
			byTech[sh.TechnicianID] = append(byTech[sh.TechnicianID], sh.Span())
		}
	}
	dst := []interval.Span{{Start: -1, End: 0}}
	got := s.AppendSpans(dst, typ)
	if again := s.AppendSpans(nil, typ); !slices.Equal(again, got[1:]) {
		return fmt.Sprintf("two calls differ:\n%v\n%v", got[1:], again)
	}
	if got[0] != dst[0] {
		return fmt.Sprintf("dst overwritten: %v", got[0])
	}
	rest := got[1:]
	for _, tech := range slices.Sorted(maps.Keys(byTech)) {
		want := byTech[tech]
		if len(rest) < len(want) {
			return fmt.Sprintf("technician %d: %d spans left, want %d", tech, len(rest), len(want))
		}
		part := rest[:len(want)]
		rest = rest[len(want):]
		if !slices.IsSortedFunc(part, func(a, b interval.Span) int { return cmp.Compare(a.Start, b.Start) }) {
			return fmt.Sprintf("technician %d: spans not ascending by start: %v", tech, part)
		}
		part = slices.Clone(part)
		slices.SortFunc(part, cmpSpan)
		slices.SortFunc(want, cmpSpan)
		if !slices.Equal(part, want) {
			return fmt.Sprintf("technician %d: spans %v, want %v", tech, part, want)
		}
	}
	if len(rest) != 0 {
		return fmt.Sprintf("%d spans too many: %v", len(rest), rest)
	}
	return ""
}

// TestNewStoreIDBounds: NewStore refuses a shift whose id is not
// positive — 0, the bound, as well as −1 — naming the shift's index, and
// takes id 1. Only ids past the bound were tested, so a check of id < 0
// for id <= 0 passed (mutation testing, docs/testing.md).
func TestNewStoreIDBounds(t *testing.T) {
	for _, id := range []int64{0, -1} {
		_, err := shifts.NewStore(time.UTC, clock,
			shifts.Shift{ID: 5, TechnicianID: 1, Type: shifts.Normal, Start: u(0), End: u(h)},
			shifts.Shift{ID: id, TechnicianID: 1, Type: shifts.Normal, Start: u(2 * h), End: u(3 * h)})
		if want := fmt.Sprintf("shifts: shift id %d (index 1) is not positive", id); !errors.Is(err, shifts.ErrInvalid) || err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("NewStore with shift id %d: %v, want %q (ErrInvalid)", id, err, want)
		}
	}
	if _, err := shifts.NewStore(time.UTC, clock, shifts.Shift{ID: 1, TechnicianID: 1, Type: shifts.Normal, Start: u(0), End: u(h)}); err != nil {
		t.Errorf("NewStore with shift id 1: %v", err)
	}
}

// TestCreateAtTheSameStart: shifts created to start at the instant stored
// ones start at list after them — (start, id) order, the new ids being
// the largest — before and after the store's tables are built, and
// Get finds each. Placing a shift by its start alone, before the equal
// starts, fails it. (In a technician's span index the order among equal
// starts does not matter — Set merges the spans — so the mutant that
// inserts there before them is equivalent; docs/testing.md.)
func TestCreateAtTheSameStart(t *testing.T) {
	for _, readFirst := range []bool{false, true} {
		s, err := shifts.NewStore(time.UTC, clock,
			shifts.Shift{ID: 1, TechnicianID: 1, Type: shifts.Normal, Start: u(10 * h), End: u(12 * h)},
			shifts.Shift{ID: 2, TechnicianID: 2, Type: shifts.Normal, Start: u(10 * h), End: u(11 * h)},
			shifts.Shift{ID: 3, TechnicianID: 3, Type: shifts.Normal, Start: u(9 * h), End: u(11 * h)})
		if err != nil {
			t.Fatal(err)
		}
		if readFirst {
			s.Len() // builds the tables before the create
		}
		if _, err := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{4, 5}, Type: shifts.Normal, Start: u(10 * h), End: u(13 * h)}); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, sh := range s.All() {
			ids = append(ids, sh.ID)
		}
		if want := []int64{3, 1, 2, 4, 5}; !slices.Equal(ids, want) {
			t.Errorf("tables built first %v: All lists ids %v, want %v in (start, id) order", readFirst, ids, want)
		}
		for _, id := range []int64{1, 2, 3, 4, 5} {
			if sh, ok := s.Get(id); !ok || sh.ID != id {
				t.Errorf("tables built first %v: Get(%d) = %+v, %v", readFirst, id, sh, ok)
			}
		}
	}
}

// TestGivenBounds: GivenBounds is the earliest and latest of the given
// shifts' starts, ends and set ModifiedOn, whichever field holds it,
// however the shifts are ordered; no shift gives lo > hi; changes after
// NewStore do not move them.
func TestGivenBounds(t *testing.T) {
	at := func(h int) time.Time { return fixed.Add(time.Duration(h) * time.Hour) }
	sh := func(id int64, start, end int, mod time.Time) shifts.Shift {
		return shifts.Shift{ID: id, TechnicianID: 1 + id%2, Type: shifts.Normal, Start: at(start), End: at(end), ModifiedOn: mod}
	}
	u := func(h int) int64 { return at(h).Unix() }
	tests := []struct {
		name   string
		given  []shifts.Shift
		lo, hi int64
	}{
		{"none", nil, math.MaxInt64, math.MinInt64},
		{"one", []shifts.Shift{sh(1, 0, 8, time.Time{})}, u(0), u(8)},
		{"starts and ends", []shifts.Shift{sh(1, 10, 18, time.Time{}), sh(2, -30, -22, time.Time{}), sh(3, 40, 48, time.Time{})}, u(-30), u(48)},
		{"out of id order", []shifts.Shift{sh(3, 40, 48, time.Time{}), sh(1, 10, 18, time.Time{}), sh(2, -30, -22, time.Time{})}, u(-30), u(48)},
		{"modifiedOn earliest", []shifts.Shift{sh(1, 10, 18, at(-100)), sh(2, 20, 28, time.Time{})}, u(-100), u(28)},
		{"modifiedOn latest", []shifts.Shift{sh(1, 10, 18, time.Time{}), sh(2, 20, 28, at(500))}, u(10), u(500)},
		{"modifiedOn between", []shifts.Shift{sh(1, 10, 18, at(12)), sh(2, 20, 28, at(25))}, u(10), u(28)},
		{"modifiedOn the epoch", []shifts.Shift{sh(1, 10, 18, time.Unix(0, 0))}, 0, u(18)},
		{"modifiedOn at Unset's seconds", []shifts.Shift{sh(1, 10, 18, time.Unix(math.MinInt64, 0))}, math.MinInt64 + 1, u(18)},
		{"inactive shifts count", []shifts.Shift{sh(1, 10, 18, time.Time{}), {ID: 2, TechnicianID: 1, Type: shifts.TimeOff, Start: at(-50), End: at(-40), Inactive: true}}, u(-50), u(18)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := shifts.NewStore(time.UTC, clock, tc.given...)
			if err != nil {
				t.Fatal(err)
			}
			if lo, hi := s.GivenBounds(); lo != tc.lo || hi != tc.hi {
				t.Errorf("GivenBounds() = %d, %d, want %d, %d", lo, hi, tc.lo, tc.hi)
			}
			if _, err := s.Create(shifts.CreateRequest{TechnicianIDs: []int64{1}, Type: shifts.Normal, Start: at(-1000), End: at(-990)}); err != nil {
				t.Fatal(err)
			}
			if lo, hi := s.GivenBounds(); lo != tc.lo || hi != tc.hi {
				t.Errorf("after Create: GivenBounds() = %d, %d, want %d, %d", lo, hi, tc.lo, tc.hi)
			}
		})
	}
}
