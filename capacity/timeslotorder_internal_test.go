package capacity

import (
	"testing"
	"time"
)

// TestTimeslotsSorted: respond sorts a day's timeslots only when
// timeslotsSorted finds them out of cmpTimeslot's order (start, then end);
// ties keep their order.
func TestTimeslotsSorted(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2027, 3, 1, h, 0, 0, 0, time.UTC) }
	ts := func(start, end int) Timeslot { return Timeslot{Start: at(start), End: at(end)} }
	tests := []struct {
		name string
		day  []Timeslot
		want bool
	}{
		{"empty", nil, true},
		{"one", []Timeslot{ts(8, 10)}, true},
		{"by start", []Timeslot{ts(8, 10), ts(10, 12), ts(12, 14)}, true},
		{"same start, by end", []Timeslot{ts(8, 10), ts(8, 12)}, true},
		{"equal", []Timeslot{ts(8, 10), ts(8, 10)}, true},
		{"overlapping, by start", []Timeslot{ts(8, 12), ts(10, 11)}, true},
		{"start out of order", []Timeslot{ts(8, 10), ts(12, 14), ts(10, 12)}, false},
		{"first two out of order", []Timeslot{ts(10, 12), ts(8, 10)}, false},
		{"same start, end out of order", []Timeslot{ts(8, 12), ts(8, 10)}, false},
		{"same instant in another zone", []Timeslot{{Start: at(10).In(time.FixedZone("", 3600)), End: at(12)}, ts(9, 10)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := timeslotsSorted(tc.day); got != tc.want {
				t.Errorf("timeslotsSorted = %v, want %v", got, tc.want)
			}
		})
	}
}
