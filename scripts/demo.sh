#!/usr/bin/env bash
# Set-up command 1: install dependencies, make a Release build, and run the bundled riscv64 demo
# program under polyvm with --stats.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DPOLYVM_TESTS=OFF
cmake --build build-release --target polyvm demo
echo "+ build-release/polyvm run --stats build-release/demo/demo-riscv64"
exec build-release/polyvm run --stats build-release/demo/demo-riscv64
