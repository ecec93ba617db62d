package shifts

// SetSeqChunk sets the most shifts a chunk of the store's tables holds,
// so that tests reach splits and emptied chunks, and returns a function
// restoring it. Tests that call it must not run in parallel.
func SetSeqChunk(n int) (restore func()) {
	old := seqChunk
	seqChunk = n
	return func() { seqChunk = old }
}
