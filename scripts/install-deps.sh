#!/usr/bin/env bash
# Installs every Debian 12 package polyvm needs to build, test and benchmark. The one list of
# dependencies; docs/dependencies.md says why each is there.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ clang python3 pkg-config
  # the libFuzzer and sanitizer runtimes for clang (only recommended by clang, so not pulled in)
  libclang-rt-14-dev
  # libraries
  libfmt-dev libgtest-dev libgmock-dev libunicorn-dev libxbyak-dev libgmp-dev
  # -d out_asm (host code disassembly; optional: the build works without it) and perf for --perfmap
  libcapstone-dev linux-perf
  # riscv64 guest programs (tests, demo, benchmarks)
  gcc-riscv64-linux-gnu g++-riscv64-linux-gnu binutils-riscv64-linux-gnu
  # aarch64 guest programs and the A64 disassembler the decoder is tested against
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu binutils-aarch64-linux-gnu
  # system mode: device tree, user-mode networking, asynchronous disk I/O, firmware
  libfdt-dev libslirp-dev liburing-dev device-tree-compiler opensbi
  # system mode: the riscv64 test kernel (scripts/build-riscv64-kernel.sh) and its initramfs
  linux-source-6.1 flex bison bc libelf-dev cpio
  # reference emulators for benchmarks and differential tests
  qemu-user qemu-system-misc
  # the host busybox the arm64 busybox is compared with (tests/linux/arm64)
  busybox
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
