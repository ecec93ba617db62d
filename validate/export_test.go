package validate

import "time"

// SetWindowSize sets the initial window of UnmarshalRead and returns a
// function that restores it.
func SetWindowSize(n int) (restore func()) {
	old := windowSize
	windowSize = n
	return func() { windowSize = old }
}

// SetFastTimes turns the time.Time fast path on or off and returns a
// function that restores it.
func SetFastTimes(on bool) (restore func()) {
	old := fastTimes
	fastTimes = on
	return func() { fastTimes = old }
}

// ParseCanonical is the time.Time fast path's parser of a canonical RFC
// 3339 date-time (without the quotes), in a fresh decoder.
func ParseCanonical(s string) (time.Time, bool) {
	var d decoder
	return d.parseCanonical([]byte(s))
}

// NewStrcache returns the get of a string cache of n entries (a power of
// two).
func NewStrcache(n int) func([]byte) string {
	c := newStrcache(0)
	c.tab = make([]centry, n)
	return c.get
}
