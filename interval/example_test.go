package interval_test

import (
	"fmt"

	"github.com/opendispatch/dispatch/interval"
)

func ExampleNew() {
	// Unsorted, overlapping and touching input is normalized.
	s := interval.New(
		interval.Span{Start: 30, End: 40},
		interval.Span{Start: 0, End: 10},
		interval.Span{Start: 10, End: 15},
		interval.Span{Start: 35, End: 50},
		interval.Span{Start: 60, End: 60}, // empty: dropped
	)
	fmt.Println(s, s.Measure())
	// Output: {[0, 15) [30, 50)} 35
}

func ExampleSet_Difference() {
	// A working day of 08:00–17:00 (in minutes) minus two appointments.
	day := interval.From(8*60, 17*60)
	busy := interval.New(interval.Span{Start: 10 * 60, End: 11 * 60}, interval.Span{Start: 14 * 60, End: 15 * 60})
	free := day.Difference(busy)
	fmt.Println(free, free.Measure()/60, "hours free")
	// Output: {[480, 600) [660, 840) [900, 1020)} 7 hours free
}

func ExampleSet_EarliestFit() {
	free := interval.New(interval.Span{Start: 480, End: 600}, interval.Span{Start: 660, End: 840}, interval.Span{Start: 900, End: 1020})
	// A 180-minute job arriving in the 10:00–12:00 window starts at 11:00.
	a, ok := free.EarliestFit(600, 720, 180)
	fmt.Println(a/60, ok)
	// A 240-minute job fits nowhere in the day.
	_, ok = free.EarliestFit(480, 1020, 240)
	fmt.Println(ok)
	// Output:
	// 11 true
	// false
}

func ExampleSet_Complement() {
	s := interval.New(interval.Span{Start: 2, End: 4}, interval.Span{Start: 6, End: 8})
	fmt.Println(s.Complement(interval.Span{Start: 0, End: 10}))
	// Output: {[0, 2) [4, 6) [8, 10)}
}

func ExampleAppendIntersect() {
	a := interval.From(0, 100)
	b := interval.New(interval.Span{Start: 10, End: 20}, interval.Span{Start: 90, End: 120})
	buf := make([]interval.Span, 0, 4) // reused across calls on a hot path
	fmt.Println(interval.AppendIntersect(buf, a, b))
	// Output: {[10, 20) [90, 100)}
}
