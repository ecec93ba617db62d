// Package strtab is a table of distinct strings addressed by 32-bit
// positions, for records that repeat a few strings (zips, shift titles)
// many times: a position is 4 bytes where a string header is 16.
package strtab

import "github.com/opendispatch/dispatch/internal/base/footprint"

// Table holds distinct strings; position 0 is always "". The zero Table is
// ready to use. A Table is not safe for concurrent use: its owners guard it
// with their own locks.
type Table struct {
	list []string
	// short holds the positions of the strings of at most 7 bytes (zips,
	// most titles) by their bytes and length packed in a word, which
	// compares and hashes faster than a string: an open-addressed table
	// of power-of-two size, at most half full, found by linear probing.
	// A lookup packs the string, multiplies and compares a word or two,
	// where comparing it with a few strings in turn calls memequal for
	// each (a tenant's zips are distinct strings with equal bytes).
	short shortTable
	// pos holds the positions of the longer strings once there are more
	// than linearMax of them; until then they are compared in turn.
	pos  map[string]int32
	long int // strings of 8 bytes or more in list
	// recent holds the position Add returned last for a longer string
	// and the one before, compared before the map is hashed: records
	// that repeat a string come in runs (a technician's shifts, titled
	// alike), and comparing a string the caller shares with the table
	// is one pointer comparison.
	recent [2]int32
}

// Add returns the position of s, adding it when new.
func (t *Table) Add(s string) int32 {
	if s == "" {
		return 0
	}
	if len(s) < 8 {
		w := pack(s)
		if i, ok := t.short.get(w); ok {
			return i
		}
		i := t.push(s)
		t.short.put(w, i)
		return i
	}
	if i := t.recent[0]; i != 0 && t.list[i] == s {
		return i
	}
	if i := t.recent[1]; i != 0 && t.list[i] == s {
		t.recent = [2]int32{i, t.recent[0]}
		return i
	}
	var i int32
	var ok bool
	if t.pos == nil {
		// A few long strings (a store's titles): compared in turn,
		// without the map's allocations.
		for k := 1; k < len(t.list); k++ {
			if t.list[k] == s {
				i, ok = int32(k), true
				break
			}
		}
	} else {
		i, ok = t.pos[s]
	}
	if !ok {
		i = t.push(s)
		t.long++
		switch {
		case t.pos != nil:
			t.pos[s] = i
		case t.long > linearMax:
			// One past the scan: the map, from every long string so far.
			t.pos = make(map[string]int32)
			for k, w := range t.list {
				if len(w) >= 8 {
					t.pos[w] = int32(k)
				}
			}
		}
	}
	t.recent = [2]int32{i, t.recent[0]}
	return i
}

// push appends s to the list and returns its position.
func (t *Table) push(s string) int32 {
	if t.list == nil {
		t.list = make([]string, 1, linearMax+1)
	}
	t.list = append(t.list, s)
	return int32(len(t.list) - 1)
}

// At returns the string at position i, which Add returned.
func (t *Table) At(i int32) string {
	if i == 0 {
		return ""
	}
	return t.list[i]
}

// Len returns the number of distinct strings, "" included.
func (t *Table) Len() int { return max(len(t.list), 1) }

// Bytes returns the table's memory, not counting the strings' bytes (they
// are shared with whoever added them).
func (t *Table) Bytes() int64 {
	return footprint.Slice(t.list) + footprint.Map(t.pos) + footprint.Slice(t.short.keys) + footprint.Slice(t.short.pos)
}

// linearMax is the most long strings a table looks up by comparing each;
// past it, by its map.
const linearMax = 8

// pack returns a string of at most 7 bytes as a word: its bytes, then its
// length in the top byte, so that no two such strings share a word.
//
// It reads the bytes in two overlapping loads, not one at a time (a zip is
// packed for every appointment a build converts): for 4–7 bytes the first
// four and the last four, for 1–3 the first, middle and last byte. Bytes
// read twice are the same bytes at the same place, so or-ing them is
// exact.
func pack(s string) uint64 {
	n := len(s)
	w := uint64(n) << 56
	switch {
	case n >= 4:
		lo := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
		hi := uint64(s[n-4]) | uint64(s[n-3])<<8 | uint64(s[n-2])<<16 | uint64(s[n-1])<<24
		w |= lo | hi<<(8*(n-4))
	case n > 0:
		w |= uint64(s[0]) | uint64(s[n/2])<<(8*(n/2)) | uint64(s[n-1])<<(8*(n-1))
	}
	return w
}

// shortTable maps packed short strings to positions. A packed word is
// never 0 (the empty string is not stored), so 0 marks a free slot.
type shortTable struct {
	keys []uint64
	pos  []int32
	n    int
}

// slot returns where key is, or the free slot where it would go.
func (h *shortTable) slot(key uint64) int {
	mask := len(h.keys) - 1
	// Fibonacci hashing: the multiply spreads the packed bytes, which
	// differ mostly in their low digits, over the top bits.
	k := int((key * 0x9E3779B97F4A7C15) >> 32 & uint64(mask))
	for h.keys[k] != 0 && h.keys[k] != key {
		k = (k + 1) & mask
	}
	return k
}

func (h *shortTable) get(key uint64) (int32, bool) {
	if h.n == 0 {
		return 0, false
	}
	k := h.slot(key)
	return h.pos[k], h.keys[k] == key
}

// put sets key's position, growing the table to keep it at most half
// full.
func (h *shortTable) put(key uint64, i int32) {
	if 2*(h.n+1) > len(h.keys) {
		old := *h
		size := max(16, 2*len(old.keys))
		*h = shortTable{keys: make([]uint64, size), pos: make([]int32, size)}
		for k, x := range old.keys {
			if x != 0 {
				h.put(x, old.pos[k])
			}
		}
	}
	k := h.slot(key)
	if h.keys[k] == 0 {
		h.n++
	}
	h.keys[k], h.pos[k] = key, i
}
