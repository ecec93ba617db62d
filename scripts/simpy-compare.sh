#!/usr/bin/env bash
# Compares the simulator reduced to a textbook queue with the same queue in
# SimPy 2, in one run: rounds alternate the SimPy model
# (scripts/simpy_mmcc.py) and the Go benchmark (Suite/SimMMcc or
# Suite/SimMMc: 30-day replications), each reporting arrivals + departures
# per CPU second (the Go figure includes building the study), and the
# script prints each round's ratio and their median: on a shared machine
# the load moves between the two halves of a round, so read the median.
# Installs Debian's python3-simpy when it is missing (root and the Debian
# archive needed).
#
# Usage: scripts/simpy-compare.sh [rounds] [case...]
#
# A case is MODEL/c/A: mmcc (M/M/c/c, calls finding every server busy are
# lost) or mmc (M/M/c, they wait, first come first served) with c servers
# offered A Erlangs; the Go side must exist in bench.Suite. The default is
# the one case mmcc/100/90 (SimPy for 60 days, six Go replications), with
# the output of one table. "heavy" stands for mmcc/100/90 and both models
# at c = 10, 100 and 300 with A = 0.95·c. SimPy runs 144,000/c hours and Go
# max(2, 600/c) replications, about a second each; in a round every case
# runs once, SimPy then Go. With several cases each case's table comes
# first, then a summary: median and range of the ratios, medians of the
# two rates.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
shift || true
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
	cases=(mmcc/100/90)
elif [ "${cases[*]}" = heavy ]; then
	cases=(mmcc/100/90 mmcc/10/9.5 mmc/10/9.5 mmcc/100/95 mmc/100/95 mmcc/300/285 mmc/300/285)
fi
py=/usr/bin/python3 # Debian's SimPy is importable by the system Python only
if ! "$py" -c 'import SimPy.Simulation' 2>/dev/null; then
	echo "installing python3-simpy" >&2
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-simpy >&2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" ./bench/

# parse CASE: sets model, c, a, flag (the SimPy model's), bench (the Go
# benchmark's anchored pattern), hrs and iters.
parse() {
	IFS=/ read -r model c a <<<"$1"
	case $model in
	mmcc) flag= name=SimMMcc ;;
	mmc) flag=--wait name=SimMMc ;;
	*)
		echo "simpy-compare: case \"$1\": want mmcc/c/A or mmc/c/A" >&2
		exit 2
		;;
	esac
	bench="^BenchmarkSuite\$/^$name\$/^techs=$c\$/^A=${a//./\\.}\$/^days=30\$"
	hrs=$((144000 / c))
	iters=$((600 / c > 2 ? 600 / c : 2))
}

simpy() { # simpy SEED: events per CPU second of the SimPy model
	"$py" scripts/simpy_mmcc.py $flag "$c" "$a" "$hrs" "$1" | sed -n 's/.*"eventsPerCPUSecond": \([0-9]*\).*/\1/p'
}

gobench() { # gobench N: events per CPU second of N Go replications
	"$tmp/bench.test" -test.run '^$' -test.bench "$bench" -test.benchtime "${1}x" |
		awk '{for (i = 2; i <= NF; i++) if ($i == "events/cpu-s") print int($(i-1))}'
}

median() { sort -n | awk '{a[NR] = $1} END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# One round of each case first, not counted: cold caches and files.
for k in "${cases[@]}"; do
	parse "$k"
	hrs=$((hrs / 6)) simpy 0 >/dev/null
	[ -n "$(gobench 1)" ] || {
		echo "simpy-compare: case $k: no Go benchmark matches $bench" >&2
		exit 2
	}
done
for r in $(seq 1 "$rounds"); do
	for i in "${!cases[@]}"; do
		parse "${cases[$i]}"
		s=$(simpy "$r")
		g=$(gobench "$iters")
		echo "$r $s $g $(awk -v g="$g" -v s="$s" 'BEGIN { printf "%.2f", g / s }')" >>"$tmp/case$i"
	done
done
for i in "${!cases[@]}"; do
	[ ${#cases[@]} -eq 1 ] || echo "${cases[$i]}"
	echo "round  simpy events/cpu-s  go events/cpu-s  ratio"
	awk '{ printf "%5d  %18d  %15d  %5s\n", $1, $2, $3, $4 }' "$tmp/case$i"
	echo "median ratio (Go ÷ SimPy 2, events per CPU second): $(cut -d' ' -f4 "$tmp/case$i" | median)"
done
if [ ${#cases[@]} -gt 1 ]; then
	echo
	echo "case          simpy events/cpu-s  go events/cpu-s  ratio median [range]"
	for i in "${!cases[@]}"; do
		f=$tmp/case$i
		printf "%-12s  %18d  %15d  %s [%s–%s]\n" "${cases[$i]}" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)" \
			"$(cut -d' ' -f4 "$f" | median)" "$(cut -d' ' -f4 "$f" | sort -n | head -1)" "$(cut -d' ' -f4 "$f" | sort -n | tail -1)"
	done
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
