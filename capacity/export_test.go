package capacity

// SetMaxShard sets how many technicians one per-unit sum holds, so that
// tests reach units of several shards, and returns a function restoring
// it. Tests that call it must not run in parallel.
func SetMaxShard(n int32) (restore func()) {
	old := maxShard
	maxShard = n
	return func() { maxShard = old }
}
