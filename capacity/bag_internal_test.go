package capacity

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/interval"
)

// TestBagsAgainstLists checks bag and busy against plain lists of their
// members: the overlap sums, the unions, and that first is the tight
// start of the scan, the first member starting at or after s − maxLen,
// with maxLen the longest member (a looser start gives the same sums, but
// turns every query into a scan of all the members before the window).
// Members are built both by pushing and init and by add and remove, from
// the proptest seed.
func TestBagsAgainstLists(t *testing.T) {
	seed := uint64(proptest.Params(t, 2000).Seed())
	rng := rand.New(rand.NewPCG(seed, 2))
	for c := range 2000 {
		n := rng.IntN(12)
		appts := make([]appt, n)
		var b, added bag
		var bz, bzAdded busy
		for i := range appts {
			s := rng.Int64N(100) - 20
			appts[i] = appt{start: s, end: s + rng.Int64N(30)} // some empty
			sp := interval.Span{Start: appts[i].start, End: appts[i].end}
			b.spans = append(b.spans, sp)
			added.add(sp)
			bz.push(appts, int32(i))
			bzAdded.add(appts, int32(i))
		}
		b.init()
		bz.init(appts)
		// Remove a member from the added copies and compare them with the
		// pushed ones rebuilt without it.
		removed := n > 0 && rng.IntN(2) == 0
		if removed {
			k := rng.IntN(n)
			sp := interval.Span{Start: appts[k].start, End: appts[k].end}
			if !added.remove(sp) || !bzAdded.remove(appts, int32(k)) {
				t.Fatalf("case %d: remove of member %d %v failed", c, k, sp)
			}
			b = bag{}
			bz = busy{}
			for i := range appts {
				if i != k {
					b.spans = append(b.spans, interval.Span{Start: appts[i].start, End: appts[i].end})
					bz.push(appts, int32(i))
				}
			}
			b.init()
			bz.init(appts)
			if added.remove(interval.Span{Start: 1000, End: 1001}) || bzAdded.remove(appts, int32(k)) {
				t.Fatalf("case %d: remove of a non-member succeeded", c)
			}
		}
		if cap(b.spans) != len(b.spans) {
			t.Fatalf("case %d: init left %d spans in an array of %d", c, len(b.spans), cap(b.spans))
		}
		if !slices.Equal(b.spans, added.spans) || !slices.Equal(bz.pos, bzAdded.pos) {
			t.Fatalf("case %d: init and add disagree: %v / %v, %v / %v", c, b.spans, added.spans, bz.pos, bzAdded.pos)
		}
		var maxLen int64
		for _, sp := range b.spans {
			maxLen = max(maxLen, sp.Len())
		}
		// A removal leaves maxLen as it was: a bound, no longer tight.
		if b.maxLen != maxLen || bz.maxLen != maxLen || added.maxLen < maxLen || bzAdded.maxLen < maxLen ||
			!removed && (added.maxLen != maxLen || bzAdded.maxLen != maxLen) {
			t.Fatalf("case %d: maxLen %d (init) %d (push) %d (add) %d (busy add), want %d",
				c, b.maxLen, bz.maxLen, added.maxLen, bzAdded.maxLen, maxLen)
		}
		for range 10 {
			s := rng.Int64N(140) - 30
			e := s + rng.Int64N(40)
			var want int64
			var u interval.Builder
			for _, sp := range b.spans {
				want += max(0, min(sp.End, e)-max(sp.Start, s))
				u.AddRange(max(sp.Start, s), min(sp.End, e))
			}
			if got := b.overlap(s, e); got != want {
				t.Fatalf("case %d: %v overlap(%d, %d) = %d, want %d", c, b.spans, s, e, got, want)
			}
			if got, want := bz.unionIn(appts, s, e), u.Set(); !got.Equal(want) {
				t.Fatalf("case %d: unionIn(%d, %d) = %v, want %v", c, s, e, got, want)
			}
			wantFirst, _ := slices.BinarySearchFunc(b.spans, s-maxLen, func(sp interval.Span, x int64) int { return int(sp.Start - x) })
			if got := b.first(s); got != wantFirst {
				t.Fatalf("case %d: %v first(%d) = %d, want %d", c, b.spans, s, got, wantFirst)
			}
			if got := bz.first(appts, s); got != wantFirst {
				t.Fatalf("case %d: busy first(%d) = %d, want %d", c, s, got, wantFirst)
			}
		}
		var all interval.Builder
		for _, sp := range b.spans {
			all.Add(sp)
		}
		if got, want := interval.New(bz.appendUnion(nil, appts)...), all.Set(); !got.Equal(want) || !interval.FromNormalized(bz.appendUnion(nil, appts)).Equal(want) {
			t.Fatalf("case %d: appendUnion = %v, want %v", c, got, want)
		}
	}
	// first near the least instant starts at 0 rather than wrap around.
	b := bag{spans: []interval.Span{{Start: -5, End: 5}}, maxLen: 10}
	for _, s := range []int64{-1 << 63, -1<<63 + 9, -1<<63 + 10} {
		if got := b.first(s); got != 0 {
			t.Errorf("first(%d) = %d, want 0", s, got)
		}
	}
}
