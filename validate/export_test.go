package validate

// SetWindowSize sets the initial window of UnmarshalRead and returns a
// function that restores it.
func SetWindowSize(n int) (restore func()) {
	old := windowSize
	windowSize = n
	return func() { windowSize = old }
}
