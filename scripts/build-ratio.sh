#!/usr/bin/env bash
# Measures engine build + first query against the direct computation
# (bench Suite/BuildFirstQuery, docs/performance.md) for two revisions, the
# way docs/performance.md records it: test binaries of both, run
# alternately, each run giving engine ÷ lean measured back to back, so that
# a shared machine's load falls on both halves of a ratio. Prints, per
# revision, profile and job type, the median ratio of the rounds, their
# range, and the median times; then, with -c, the CPU time per iteration
# on one P (GOMAXPROCS=1: the collector's work counted, not hidden on the
# second core), from the difference of two run lengths under perf stat;
# with -i, the instructions per iteration the same way under valgrind's
# callgrind, with the collector off (GOGC=off: the mutator's work alone,
# no page faults counted): deterministic within a few hundred
# instructions where times on a shared machine move by tens of percent,
# so that a change of 1% can be seen in one run. Instructions are not
# time (the direct computation's maps and allocations cost more time per
# instruction than the engine's tables): -i says what changed, the times
# say what it is worth.
#
# Usage: scripts/build-ratio.sh [-r rounds] [-t 'techs regexp'] [-c] [-i] old-rev new-rev
#   e.g. scripts/build-ratio.sh -r 24 -t '10|100' main HEAD
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=16 techs='10|100' cpu=false instr=false
while getopts r:t:ci o; do
	case $o in
	r) rounds=$OPTARG ;;
	t) techs=$OPTARG ;;
	c) cpu=true ;;
	i) instr=true ;;
	*) echo "usage: $0 [-r rounds] [-t 'techs regexp'] [-c] [-i] old-rev new-rev" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { echo "usage: $0 [-r rounds] [-t 'techs regexp'] [-c] [-i] old-rev new-rev" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
names=()
for rev in "$@"; do
	name=$(git rev-parse --short "$rev")
	git worktree add --detach "$tmp/src" "$rev" >/dev/null 2>&1
	(cd "$tmp/src" && go test -c -o "$tmp/$name.test" ./bench/)
	git worktree remove --force "$tmp/src" >/dev/null
	names+=("$name")
done

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

for r in $(seq 1 "$rounds"); do
	for n in "${names[@]}"; do
		"$tmp/$n.test" -test.run '^$' -test.bench "Suite/BuildFirstQuery/.*/techs=($techs)\$/" -test.benchtime 100ms |
			awk -v n="$n" '/BuildFirstQuery/ {split($1, p, "/"); print n, p[4], p[6], p[3], $3}'
	done
done >"$tmp/runs"
echo "revision  profile  job type  engine÷lean median [range]  engine  lean (medians, µs)"
for n in "${names[@]}"; do
	for key in $(awk -v n="$n" '$1 == n {print $2 "/" $3}' "$tmp/runs" | sort -u); do
		t=${key%/*} j=${key#*/}
		# Runs come in (engine, lean) pairs per job type, in order.
		awk -v n="$n" -v t="$t" -v j="$j" '$1 == n && $2 == t && $3 == j' "$tmp/runs" >"$tmp/sel"
		paste <(awk '$4 == "impl=engine" {print $5}' "$tmp/sel") <(awk '$4 == "impl=lean" {print $5}' "$tmp/sel") >"$tmp/pairs"
		ratio=$(awk '{print $1 / $2}' "$tmp/pairs" | median)
		lo=$(awk '{print $1 / $2}' "$tmp/pairs" | sort -g | head -1)
		hi=$(awk '{print $1 / $2}' "$tmp/pairs" | sort -g | tail -1)
		eng=$(cut -f1 "$tmp/pairs" | median)
		lean=$(cut -f2 "$tmp/pairs" | median)
		printf '%s  %s  %s  %.2f [%.2f–%.2f]  %.1f  %.1f\n' "$n" "$t" "$j" "$ratio" "$lo" "$hi" "$(echo "$eng" | awk '{print $1/1000}')" "$(echo "$lean" | awk '{print $1/1000}')"
	done
done

# per_iteration measure rounds 'short long per techs' scale: for each
# technician count, round, revision and implementation, measure (called
# as "measure binary bench-regexp iterations", printing one number) at
# two run lengths, the difference divided by the difference of
# iterations and multiplied by scale; then per revision and technician
# count the medians and the median ratio. The short and long iteration
# counts are given per technician count as "10:500:4500 100:60:560 …".
per_iteration() {
	local measure=$1 n_rounds=$2 lengths=$3 scale=$4
	for t in $(echo "$techs" | tr '|' ' '); do
		local a=1 b=4
		for l in $lengths; do
			[ "${l%%:*}" = "$t" ] && { a=$(echo "$l" | cut -d: -f2); b=$(echo "$l" | cut -d: -f3); }
		done
		for r in $(seq 1 "$n_rounds"); do
			for n in "${names[@]}"; do
				for impl in engine lean; do
					re="Suite/BuildFirstQuery/impl=$impl/techs=$t\$/days=14/jobtype=60min"
					x=$($measure "$tmp/$n.test" "$re" $a) y=$($measure "$tmp/$n.test" "$re" $b)
					echo "$n $t $impl $(awk -v x="$x" -v y="$y" -v a=$a -v b=$b -v s="$scale" 'BEGIN {print (y - x) / (b - a) * s}')"
				done
			done
		done
	done >"$tmp/per"
	for n in "${names[@]}"; do
		for t in $(echo "$techs" | tr '|' ' '); do
			paste <(awk -v n="$n" -v t="$t" '$1 == n && $2 == t && $3 == "engine" {print $4}' "$tmp/per") \
				<(awk -v n="$n" -v t="$t" '$1 == n && $2 == t && $3 == "lean" {print $4}' "$tmp/per") >"$tmp/pairs"
			printf '%s  techs=%s  engine %.1f  lean %.1f  ratio %.2f\n' "$n" "$t" "$(cut -f1 "$tmp/pairs" | median)" \
				"$(cut -f2 "$tmp/pairs" | median)" "$(awk '{print $1 / $2}' "$tmp/pairs" | median)"
		done
	done
}

# task_clock binary bench iterations: milliseconds of CPU on one P.
task_clock() {
	perf stat -x, -e task-clock "$1" -test.run '^$' -test.cpu 1 -test.bench "$2" -test.benchtime "${3}x" 2>&1 >/dev/null |
		awk -F, '/task-clock/ {print $1}'
}

# instructions binary bench iterations: instructions executed, on one P
# with the collector off. Asynchronous preemption's signals upset
# callgrind.
instructions() {
	GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 GOGC=off valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
		"$1" -test.run '^$' -test.bench "$2" -test.benchtime "${3}x" >/dev/null 2>&1
	callgrind_annotate "$tmp/cg" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}

if $cpu; then
	command -v perf >/dev/null || { echo "-c needs perf (linux-perf)" >&2; exit 1; }
	echo
	echo "CPU time per iteration on one P, 60-minute job type (µs; medians of $rounds rounds)"
	per_iteration task_clock "$rounds" "10:500:4500 100:60:560 1000:6:46" 1000
fi

if $instr; then
	command -v valgrind >/dev/null || { echo "-i needs valgrind (apt-get install valgrind)" >&2; exit 1; }
	echo
	echo "Instructions per iteration, one P, collector off, 60-minute job type (thousands; medians of 3)"
	per_iteration instructions 3 "10:200:600 100:20:60 1000:2:6" 0.001
fi
