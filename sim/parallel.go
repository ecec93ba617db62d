package sim

import "sync"

// parallel calls do(k) for every k in [0, n) on up to workers goroutines,
// each taking the next k as it finishes one, so replications of unequal
// length keep every worker busy. After the first error no new k is
// handed out; parallel returns that error once every call has returned.
// do must be safe to call concurrently for different k.
func parallel(n, workers int, do func(k int) error) error {
	var (
		mu       sync.Mutex
		next     int
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(max(workers, 1), n) {
		wg.Go(func() {
			for {
				mu.Lock()
				if next == n || firstErr != nil {
					mu.Unlock()
					return
				}
				k := next
				next++
				mu.Unlock()
				if err := do(k); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}
