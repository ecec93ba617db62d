package capacity

import (
	"math"
	"testing"
)

// TestApptSound: apptSound, written to be inlined, agrees with the checks
// spelled one by one — positions known, both bounds set and in the years,
// in order and at most MaxAppointmentSeconds apart, an arrival window of
// both bounds or none, in the years and in order — on every combination
// of instants at and either side of the years' bounds, the longest
// appointment's and the Unix epoch, unset and the int64 bounds.
func TestApptSound(t *testing.T) {
	want := func(p *appt) bool {
		ok := p.jobType >= 0 && p.unit >= 0 && inYears(p.start) && inYears(p.end) && p.start < p.end && p.end-p.start <= MaxAppointmentSeconds
		if p.awStart == unset && p.awEnd == unset {
			return ok
		}
		return ok && inYears(p.awStart) && inYears(p.awEnd) && p.awStart <= p.awEnd
	}
	const week = MaxAppointmentSeconds
	instants := []int64{
		unset, math.MaxInt64, -1, 0, 1, week, week + 1,
		minInstant - 1, minInstant, minInstant + 1, minInstant + week, minInstant + week + 1,
		maxInstant - week - 2, maxInstant - week - 1, maxInstant - 1, maxInstant, maxInstant + 1,
	}
	refs := [][2]int32{{0, 0}, {2, 5}, {-1, 0}, {0, -1}, {-1, -1}}
	checked, sound := 0, 0
	for _, ref := range refs {
		for _, start := range instants {
			for _, end := range instants {
				for _, aws := range instants {
					for _, awe := range instants {
						p := appt{jobType: ref[0], unit: ref[1], start: start, end: end, awStart: aws, awEnd: awe}
						got, w := apptSound(&p), want(&p)
						if got != w {
							t.Fatalf("apptSound(job type %d, unit %d, %d–%d, arrival %d–%d) = %v, want %v",
								ref[0], ref[1], start, end, aws, awe, got, w)
						}
						checked++
						if w {
							sound++
						}
					}
				}
			}
		}
	}
	if sound == 0 || sound == checked {
		t.Fatalf("%d of %d cases sound: the cases do not tell the two apart", sound, checked)
	}
}
