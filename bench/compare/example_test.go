package compare_test

import (
	"fmt"
	"os"

	"github.com/opendispatch/dispatch/bench/compare"
)

// The comparison benchstat prints for two files of `go test -bench`
// output, here six runs of two benchmarks before and after a change.
func ExampleSet() {
	old := `goos: linux
pkg: example
BenchmarkEncode/format=json-2	1000	1726 ns/op	32 B/op
BenchmarkEncode/format=json-2	1000	1723 ns/op	32 B/op
BenchmarkEncode/format=json-2	1000	1707 ns/op	32 B/op
BenchmarkEncode/format=json-2	1000	1707 ns/op	32 B/op
BenchmarkEncode/format=json-2	1000	1713 ns/op	32 B/op
BenchmarkEncode/format=json-2	1000	1729 ns/op	32 B/op
BenchmarkEncode/format=gob-2	500	3069 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3075 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3069 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3067 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3207 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3064 ns/op	48 B/op
PASS
`
	new := `goos: linux
pkg: example
BenchmarkEncode/format=json-2	1200	1423 ns/op	32 B/op
BenchmarkEncode/format=json-2	1200	1416 ns/op	32 B/op
BenchmarkEncode/format=json-2	1200	1411 ns/op	32 B/op
BenchmarkEncode/format=json-2	1200	1413 ns/op	32 B/op
BenchmarkEncode/format=json-2	1200	1412 ns/op	32 B/op
BenchmarkEncode/format=json-2	1200	1426 ns/op	32 B/op
BenchmarkEncode/format=gob-2	500	3075 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3065 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3059 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3065 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3060 ns/op	48 B/op
BenchmarkEncode/format=gob-2	500	3081 ns/op	48 B/op
`
	var s compare.Set
	if err := s.Add("old.txt", []byte(old)); err != nil {
		fmt.Println(err)
	}
	if err := s.Add("new.txt", []byte(new)); err != nil {
		fmt.Println(err)
	}
	s.WriteText(os.Stdout)
	// Output:
	// goos: linux
	// pkg: example
	//                      │   old.txt   │              new.txt               │
	//                      │   sec/op    │   sec/op     vs base               │
	// Encode/format=json-2   1.718µ ± 1%   1.415µ ± 1%  -17.67% (p=0.002 n=6)
	// Encode/format=gob-2    3.069µ ± 4%   3.065µ ± 1%        ~ (p=0.331 n=6)
	// geomean                2.296µ        2.082µ        -9.32%
	//
	//                      │  old.txt   │              new.txt               │
	//                      │    B/op    │    B/op     vs base                │
	// Encode/format=json-2   32.00 ± 0%   32.00 ± 0%       ~ (p=1.000 n=6) ¹
	// Encode/format=gob-2    48.00 ± 0%   48.00 ± 0%       ~ (p=1.000 n=6) ¹
	// geomean                39.19        39.19       +0.00%
	// ¹ all samples are equal
}

// A file that is not benchmark output is refused, naming the line.
func ExampleSet_Add() {
	var s compare.Set
	err := s.Add("notes.txt", []byte("Results of Tuesday:\nall faster\n"))
	fmt.Println(err)
	// Output:
	// compare: notes.txt:1: no benchmark results in the file, and this line is not benchmark output: "Results of Tuesday:"
}
