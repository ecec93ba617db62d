package validate

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
