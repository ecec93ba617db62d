package sim

// event is one scheduled happening. Events are ordered by (at, prio, seq):
// time first, then a fixed priority between kinds at the same instant (a
// job finishes before the next departs, calls come last), then the order
// they were scheduled in — so the order never depends on anything but the
// model.
type event struct {
	at   int64  // Unix seconds
	key  uint64 // prio << 56 | seq, set by push; the priority is the kind
	tech int32  // technician index, for execution events
	job  int32  // job index; for a departure, the plan's version
}

// kind returns the event's kind, its priority.
func (e *event) kind() uint8 { return uint8(e.key >> 56) }

// queue is a min-heap of events (4-ary: half the depth of a binary heap,
// and a node's children share a cache line or two) with the minimum held
// apart: an event that is earlier than everything queued — in a
// simulation, most events scheduled for the current instant — goes there
// and comes back out without touching the heap. Its zero value is empty
// and ready.
//
// One stream of events — the calls, each scheduling the next — has a slot
// of its own beside the heap (pushSide): at most one of its events is
// pending at a time, so it needs no heap either.
type queue struct {
	h       []event
	head    event
	hasHead bool
	side    event
	hasSide bool
	seq     uint64
}

func (e *event) less(o *event) bool {
	return e.at < o.at || e.at == o.at && e.key < o.key
}

// push schedules ev with priority prio, stamping its sequence number.
func (q *queue) push(ev event, prio uint8) {
	q.seq++
	ev.key = uint64(prio)<<56 | q.seq
	switch {
	case !q.hasHead && (len(q.h) == 0 || ev.less(&q.h[0])):
		q.head, q.hasHead = ev, true
		return
	case q.hasHead && ev.less(&q.head):
		ev, q.head = q.head, ev
	}
	q.h = append(q.h, ev)
	h := q.h
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !ev.less(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = ev
}

// pushSide schedules ev in the side slot, which must be empty.
func (q *queue) pushSide(ev event, prio uint8) {
	q.seq++
	ev.key = uint64(prio)<<56 | q.seq
	q.side, q.hasSide = ev, true
}

// first reports whether an event of priority prio at at, pushed now,
// would be the next one popped: earlier than everything queued.
func (q *queue) first(at int64, prio uint8) bool {
	ev := event{at: at, key: uint64(prio)<<56 | (q.seq + 1)}
	switch {
	case q.hasHead && !ev.less(&q.head):
		return false
	case !q.hasHead && len(q.h) > 0 && !ev.less(&q.h[0]):
		return false
	case q.hasSide && !ev.less(&q.side):
		return false
	}
	return true
}

// pop removes and returns the earliest event. The queue must not be empty.
func (q *queue) pop() event {
	if q.hasSide {
		var top *event
		switch {
		case q.hasHead:
			top = &q.head
		case len(q.h) > 0:
			top = &q.h[0]
		}
		if top == nil || q.side.less(top) {
			q.hasSide = false
			return q.side
		}
	}
	if q.hasHead {
		q.hasHead = false
		return q.head
	}
	h := q.h
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	q.h = h
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for k := c + 1; k < min(c+4, n); k++ {
			if h[k].less(&h[m]) {
				m = k
			}
		}
		if !h[m].less(&last) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = last
	return top
}

func (q *queue) len() int {
	n := len(q.h)
	if q.hasHead {
		n++
	}
	if q.hasSide {
		n++
	}
	return n
}
