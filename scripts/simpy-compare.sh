#!/usr/bin/env bash
# Compares the simulator reduced to M/M/100/100 at A = 90 with the same
# queue in SimPy 2, in one run: rounds alternate the SimPy model
# (scripts/simpy_mmcc.py, 60 days, about a second) and the Go benchmark
# Suite/SimMMcc (six replications of 30 days), each reporting arrivals +
# departures per CPU second (the Go figure includes building the study),
# and the script prints each round's ratio and their median: on a shared
# machine the load moves between the two halves of a round, so read the
# median. Installs Debian's python3-simpy when it is missing (root and the
# Debian archive needed). Usage: scripts/simpy-compare.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
py=/usr/bin/python3 # Debian's SimPy is importable by the system Python only
if ! "$py" -c 'import SimPy.Simulation' 2>/dev/null; then
	echo "installing python3-simpy" >&2
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-simpy >&2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" ./bench/
# One round of each first, not counted: cold caches and files.
"$py" scripts/simpy_mmcc.py 100 90 240 0 >/dev/null
"$tmp/bench.test" -test.run '^$' -test.bench 'Suite/SimMMcc/' -test.benchtime 1x >/dev/null
echo "round  simpy events/cpu-s  go events/cpu-s  ratio"
ratios=()
for r in $(seq 1 "$rounds"); do
	s=$("$py" scripts/simpy_mmcc.py 100 90 1440 "$r" | sed -n 's/.*"eventsPerCPUSecond": \([0-9]*\).*/\1/p')
	g=$("$tmp/bench.test" -test.run '^$' -test.bench 'Suite/SimMMcc/' -test.benchtime 6x |
		awk '{for (i = 2; i <= NF; i++) if ($i == "events/cpu-s") print int($(i-1))}')
	ratio=$(awk -v g="$g" -v s="$s" 'BEGIN { printf "%.2f", g / s }')
	ratios+=("$ratio")
	printf "%5d  %18d  %15d  %5s\n" "$r" "$s" "$g" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR] = $1} END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "median ratio (Go ÷ SimPy 2, events per CPU second): $median"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
