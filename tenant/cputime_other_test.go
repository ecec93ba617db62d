//go:build !unix

package tenant_test

import "time"

// cpuTime is not measured here: the MB/cpu-s metric reads +Inf.
func cpuTime() time.Duration { return 0 }
