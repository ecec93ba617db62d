package validate

import "hash/maphash"

// maxCached is the longest string the cache shares: time stamps, postal
// codes, names of types and statuses repeat; long texts rarely do.
const maxCached = 40

// cacheFrom is the size of input from which a decoder shares strings.
const cacheFrom = 64 << 10

// strcache shares equal short strings decoded from one text: a large
// tenant file spells the same few thousand time stamps and codes hundreds
// of thousands of times. It is a direct-mapped table: a miss replaces the
// entry, so its size is fixed and a lookup is one hash and one compare
// within one cache line. Which strings share memory depends on the hash
// seed; their values never do.
type strcache struct {
	seed maphash.Seed
	tab  []centry
}

// centry is one entry of the cache: a string and a copy of its bytes
// beside it, so that a lookup reads one cache line.
type centry struct {
	s string
	n uint8
	b [maxCached]byte
}

// newStrcache returns a cache for a text of size bytes: an entry per KiB,
// from 256 to 16384 entries (1 MiB), a power of two. On the 252 MB
// enterprise tenant 16384 entries leave a quarter of the allocations of
// 1024, and 65536 barely fewer than 16384 at more cache misses.
func newStrcache(size int) *strcache {
	n := 1 << 8
	for n < size/1024 && n < 1<<14 {
		n <<= 1
	}
	return &strcache{seed: maphash.MakeSeed(), tab: make([]centry, n)}
}

// get returns b as a string; len(b) must not exceed maxCached.
func (c *strcache) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	e := &c.tab[maphash.Bytes(c.seed, b)&uint64(len(c.tab)-1)]
	if int(e.n) == len(b) && string(e.b[:len(b)]) == string(b) {
		return e.s
	}
	e.s = string(b)
	e.n = uint8(copy(e.b[:], b))
	return e.s
}
