#!/usr/bin/env bash
# The project's test command (README), exactly what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
go vet ./...
go test -race ./...
# The simulator's queueing-theory tests at full power (heavy load, c up to
# 300): too slow under the race detector, which runs their small cases.
go test -count=1 -run '^TestErlang' ./sim/
# Every benchmark compiles and runs once, so none can rot.
go test -run '^$' -bench . -benchtime 1x ./... >/dev/null
bash scripts/browser-check.sh
