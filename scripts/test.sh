#!/usr/bin/env bash
# The project's test command (README), exactly what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
go vet ./...
go test -race ./...
# Every benchmark compiles and runs once, so none can rot.
go test -run '^$' -bench . -benchtime 1x ./... >/dev/null
bash scripts/browser-check.sh
