// Package bench is the benchmark suite and performance-tracking harness:
// every benchmark runs over the synth profiles (10, 100, 1,000 and 10,000
// technicians, 14 days) beside its baselines in the same run, so results
// are ratios — engine ÷ straightforward recompute, engine ÷ minute bitmap,
// engine ÷ floor — rather than lone absolute figures from a noisy machine.
//
// The suite runs under `go test -bench` (bench_test.go) and from
// `dispatch bench`, which writes standard Go benchmark output that
// benchstat reads, and compares two such files as benchstat does (package
// bench/compare).
//
// # Baselines
//
//   - impl=straight: internal/testkit/straight, merge-based interval arithmetic
//     recomputed from the raw records on every request;
//   - impl=bitmap: internal/testkit/capref, the minute-bitmap reference (profiles up
//     to 1,000 technicians: at 10,000 it needs gigabytes);
//   - impl=floor: one plain pass over every shift and appointment that
//     writes as many bytes as the response has — no engine can do less.
//
// # Simulation
//
// SimMMcc runs the simulator reduced to M/M/c/c (M/M/100/100 at A = 90,
// and c = 10, 100 and 300 at A = 0.95·c) for 30 days, SimMMc the same
// sizes of M/M/c at A = 0.95·c (calls wait, first come first served), and
// SimDefault the default study (60 replications), each on one core,
// reporting events per second and per CPU second ([CPUSeconds]); the
// queues run without a warm-up, so that every event counts.
// scripts/simpy-compare.sh runs them beside the same queues in SimPy 2
// and prints the ratio of each round; docs/performance.md has the figures.
//
// # Memory
//
// The Build benchmarks also report the engine's memory per
// technician-day: B/tech-day is its retained heap, measured with
// runtime.ReadMemStats after a garbage collection ([Retained]);
// index-B/tech-day and records-B/tech-day split it, from
// [capacity.Engine.Footprint], into the capacity index (what queries and
// updates read; the target is at most 256 bytes) and the records the
// engine keeps to serve them back (appointments, the ledger, shifts),
// which are mostly int64 instants and ids and so cannot shrink much
// further. Tests hold the index to its target on every profile up to
// 1,000 technicians and the footprint to within 10% of the measured heap.
package bench
