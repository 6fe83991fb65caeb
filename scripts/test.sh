#!/usr/bin/env bash
# Set-up command 2: install dependencies, build everything with the tests, and run the whole test
# suite with ctest. `.ci/run` calls this. The suite includes the `system` label: its fixture builds
# the riscv64 test kernel once (about 15 minutes on 2 cores; cached in ~/.cache/polyvm) and then
# boots it with `polyvm boot` (tests/system/). Options:
#   --sanitize   build into build-asan with ASan+UBSan and run the unit tests there
#   --clang      build with clang instead of GCC
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build
extra=()
labels=()
for arg in "$@"; do
  case "$arg" in
    --sanitize) dir=build-asan; extra+=(-DPOLYVM_SANITIZE=ON); labels=(-L unit) ;;
    --clang) dir=build-clang; extra+=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

./scripts/install-deps.sh
# Optimised (the guest tests run whole programs through the engines) but with assertions on.
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" "${extra[@]}"
cmake --build "$dir"
cd "$dir"
ctest --output-on-failure -j"$(nproc)" "${labels[@]}"
