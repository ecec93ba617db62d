package sim

// event is one scheduled happening. Events are ordered by (at, prio, seq):
// time first, then a fixed priority between kinds at the same instant (a
// job finishes before the next departs, calls come last), then the order
// they were scheduled in — so the order never depends on anything but the
// model.
type event struct {
	at   int64 // Unix seconds
	prio uint8
	seq  uint64
	kind uint8
	tech int32 // technician index, for execution events
	ver  uint32
	job  int32 // job index
}

// queue is a binary min-heap of events. Its zero value is empty and ready.
type queue struct {
	h   []event
	seq uint64
}

func (e *event) less(o *event) bool {
	if e.at != o.at {
		return e.at < o.at
	}
	if e.prio != o.prio {
		return e.prio < o.prio
	}
	return e.seq < o.seq
}

// push schedules ev, stamping its sequence number.
func (q *queue) push(ev event) {
	q.seq++
	ev.seq = q.seq
	q.h = append(q.h, ev)
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.h[i].less(&q.h[p]) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

// pop removes and returns the earliest event. The queue must not be empty.
func (q *queue) pop() event {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	q.h = q.h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.h[r].less(&q.h[l]) {
			m = r
		}
		if !q.h[m].less(&q.h[i]) {
			break
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
	return top
}

func (q *queue) len() int { return len(q.h) }
