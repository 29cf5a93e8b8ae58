#!/usr/bin/env bash
# build.sh builds the commands into bin/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p bin
go build -o bin/ ./cmd/...
