package sim

import (
	"math/rand/v2"
	"testing"
)

// TestEventQueueReference pushes and pops at random and compares every pop
// with a reference that sorts the pending events by (at, prio, order of
// scheduling).
func TestEventQueueReference(t *testing.T) {
	type pending struct {
		ev   event
		prio uint8
	}
	var q queue
	var ref []pending // in push order
	r := rand.New(rand.NewPCG(3, 4))
	now := int64(0)
	side := false // an event is pending in the side slot
	for step := range 20000 {
		if r.IntN(3) > 0 || len(ref) == 0 {
			ev, prio := event{at: now + int64(r.IntN(6)), job: int32(step)}, uint8(r.IntN(4))
			// first: earlier than every pending event (ties: pushed later).
			want := true
			for _, e := range ref {
				if e.ev.at < ev.at || e.ev.at == ev.at && e.prio <= prio {
					want = false
				}
			}
			if got := q.first(ev.at, prio); got != want {
				t.Fatalf("step %d: first(%d, %d) = %v, want %v", step, ev.at, prio, got, want)
			}
			if !side && r.IntN(4) == 0 {
				ev.tech = 1
				q.pushSide(ev, prio)
				side = true
			} else {
				q.push(ev, prio)
			}
			ref = append(ref, pending{ev, prio})
			continue
		}
		best := 0
		for i, e := range ref {
			if e.ev.at < ref[best].ev.at || e.ev.at == ref[best].ev.at && e.prio < ref[best].prio {
				best = i
			}
		}
		want := ref[best].ev
		ref = append(ref[:best], ref[best+1:]...)
		got := q.pop()
		if got.tech == 1 {
			side = false
		}
		if got.job != want.job {
			t.Fatalf("step %d: popped %+v, want %+v", step, got, want)
		}
		if q.len() != len(ref) {
			t.Fatalf("step %d: len %d, want %d", step, q.len(), len(ref))
		}
		now = got.at
	}
}

func TestQueueOrder(t *testing.T) {
	var q queue
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		q.push(event{at: int64(r.IntN(50))}, uint8(r.IntN(4)))
	}
	prev := q.pop()
	for q.len() > 0 {
		ev := q.pop()
		if ev.less(&prev) {
			t.Fatalf("popped %+v after %+v", ev, prev)
		}
		prev = ev
	}
}

// BenchmarkKernel measures the event queue alone, SimPy/SimSharp style: a
// steady population of processes, each event scheduling its successor.
func BenchmarkKernel(b *testing.B) {
	for _, pop := range []int{100, 10000} {
		b.Run("processes="+itoa(pop), func(b *testing.B) {
			var q queue
			r := rand.New(rand.NewPCG(1, 1))
			for i := range pop {
				q.push(event{at: int64(r.IntN(1000)), job: int32(i)}, 0)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				ev := q.pop()
				ev.at += 1 + int64(r.IntN(1000))
				q.push(ev, 0)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
