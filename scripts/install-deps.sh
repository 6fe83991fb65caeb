#!/usr/bin/env bash
# Installs every Debian 12 package polyvm needs to build, test and benchmark. The one list of
# dependencies; docs/dependencies.md says why each is there.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ clang python3 pkg-config
  # libraries
  libfmt-dev libcli11-dev libgtest-dev libgmock-dev libunicorn-dev libxbyak-dev libgmp-dev
  # riscv64 guest programs (tests, demo, benchmarks)
  gcc-riscv64-linux-gnu g++-riscv64-linux-gnu binutils-riscv64-linux-gnu
  # reference emulator for benchmarks
  qemu-user
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
