#!/usr/bin/env bash
# Set-up command 2: install dependencies, build everything with the tests, and run the whole test
# suite with ctest. `.ci/run` calls this. The suite includes the `system` label: its fixture builds
# the riscv64 test kernel once (about 15 minutes on 2 cores; cached in ~/.cache/polyvm) and then
# boots it with `polyvm boot` (tests/system/). Options:
#   --sanitize   build into build-asan with ASan+UBSan and run the unit tests there
#   --clang      build with clang instead of GCC
#   --no-fuzz    skip the fuzz step
# After ctest comes the fuzz step: the libFuzzer harnesses, built with clang in build-fuzz (a small
# project of their own, tests/fuzz/: only the parsers under test, no engines), each run for
# POLYVM_FUZZ_SECONDS (20) from its seed corpus; a crash or sanitizer report fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build
extra=()
labels=()
fuzz=1
for arg in "$@"; do
  case "$arg" in
    --sanitize) dir=build-asan; extra+=(-DPOLYVM_SANITIZE=ON); labels=(-L unit) ;;
    --clang) dir=build-clang; extra+=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
    --no-fuzz) fuzz=0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

./scripts/install-deps.sh
# Optimised (the guest tests run whole programs through the engines) but with assertions on.
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" "${extra[@]}"
cmake --build "$dir"
(cd "$dir" && ctest --output-on-failure -j"$(nproc)" "${labels[@]}")

if [[ $fuzz == 1 ]]; then
  cmake -S tests/fuzz -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
  cmake --build build-fuzz
  (cd build-fuzz && ctest --output-on-failure -j"$(nproc)" -L fuzz)
fi
