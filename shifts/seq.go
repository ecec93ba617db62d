package shifts

import (
	"slices"
	"unsafe"
)

// seq is a sorted sequence kept in chunks of at most seqChunk elements, so
// that inserting or deleting one moves at most a chunk and the list of
// chunks, not the whole table: a store of a year of shifts for a thousand
// technicians moved megabytes per change as one slice. The zero seq is
// empty.
//
// Invariant: every chunk is non-empty, and the chunks in order hold the
// elements in order.
type seq[T any] struct {
	chunks [][]T
	n      int
}

// seqChunk is the most elements a chunk holds; a fuller one is split.
// Tests lower it.
var seqChunk = 512

// pos is a position in a seq: element i of chunk c. The end is
// (len(chunks), 0).
type pos struct{ c, i int }

// seqOf returns a seq of the sorted elements xs, sharing xs's array.
func seqOf[T any](xs []T) seq[T] {
	s := seq[T]{n: len(xs)}
	for k := 0; k < len(xs); k += seqChunk {
		end := min(k+seqChunk, len(xs))
		s.chunks = append(s.chunks, xs[k:end:end])
	}
	return s
}

// lower returns the position of the first element x with before(x) false,
// where before is true for a prefix of the sequence.
func (s *seq[T]) lower(before func(*T) bool) pos {
	c, _ := slices.BinarySearchFunc(s.chunks, true, func(ch []T, _ bool) int {
		if before(&ch[len(ch)-1]) {
			return -1
		}
		return 1
	})
	if c == len(s.chunks) {
		return pos{c, 0}
	}
	ch := s.chunks[c]
	i, _ := slices.BinarySearchFunc(ch, true, func(x T, _ bool) int {
		if before(&x) {
			return -1
		}
		return 1
	})
	return pos{c, i}
}

// at returns the element at p, which must not be the end.
func (s *seq[T]) at(p pos) *T { return &s.chunks[p.c][p.i] }

// ok reports whether p is an element (not the end).
func (s *seq[T]) ok(p pos) bool { return p.c < len(s.chunks) }

// next returns the position after p.
func (s *seq[T]) next(p pos) pos {
	if p.i+1 < len(s.chunks[p.c]) {
		return pos{p.c, p.i + 1}
	}
	return pos{p.c + 1, 0}
}

// last returns the last element, or false when s is empty.
func (s *seq[T]) last() (*T, bool) {
	if len(s.chunks) == 0 {
		return nil, false
	}
	ch := s.chunks[len(s.chunks)-1]
	return &ch[len(ch)-1], true
}

// insert puts v at p, where the order wants it.
func (s *seq[T]) insert(p pos, v T) {
	s.n++
	if len(s.chunks) == 0 {
		s.chunks = [][]T{{v}}
		return
	}
	if p.c == len(s.chunks) { // the end: after the last chunk's last
		p = pos{p.c - 1, len(s.chunks[p.c-1])}
	}
	ch := slices.Insert(s.chunks[p.c], p.i, v)
	if len(ch) <= seqChunk {
		s.chunks[p.c] = ch
		return
	}
	half := len(ch) / 2
	second := slices.Clone(ch[half:])
	s.chunks[p.c] = ch[:half] // its array keeps room to grow
	s.chunks = slices.Insert(s.chunks, p.c+1, second)
}

// remove deletes the element at p.
func (s *seq[T]) remove(p pos) {
	s.n--
	ch := slices.Delete(s.chunks[p.c], p.i, p.i+1)
	if len(ch) == 0 {
		s.chunks = slices.Delete(s.chunks, p.c, p.c+1)
		return
	}
	s.chunks[p.c] = ch
}

// bytes returns the memory of the chunks and their list.
func (s *seq[T]) bytes() int64 {
	var zero T
	var header []T
	n := int64(cap(s.chunks)) * int64(unsafe.Sizeof(header))
	for _, ch := range s.chunks {
		n += int64(cap(ch)) * int64(unsafe.Sizeof(zero))
	}
	return n
}
