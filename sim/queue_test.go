package sim

import (
	"math/rand/v2"
	"testing"
)

func TestQueueOrder(t *testing.T) {
	var q queue
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		q.push(event{at: int64(r.IntN(50)), prio: uint8(r.IntN(4))})
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
				q.push(event{at: int64(r.IntN(1000)), job: int32(i)})
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				ev := q.pop()
				ev.at += 1 + int64(r.IntN(1000))
				q.push(ev)
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
