//go:build !unix

package httpapi

import "os"

// noFollow is 0 where the system has no O_NOFOLLOW: symbolic links are
// followed.
const noFollow = 0

// tryLock does nothing where the system has no flock: two servers on one
// data directory are not detected there.
func tryLock(*os.File) error { return nil }
