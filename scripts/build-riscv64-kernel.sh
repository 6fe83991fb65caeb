#!/usr/bin/env bash
# Builds the riscv64 Linux kernel image and initramfs that polyvm's system mode boots, from Debian's
# linux-source-6.1 with the riscv64 cross compiler. Output is cached outside the source tree. The
# kernel is rebuilt only when its options, the compiler or the kernel source package change; the
# initramfs (seconds) when the init program, the compiler or its file list change.
#
#   scripts/build-riscv64-kernel.sh [--jobs N] [--force] [--check-qemu]
#
# Prints the cache directory on success; it holds Image, initramfs.cpio.gz, config and build.log.
# --check-qemu boots the result under qemu-system-riscv64 (the reference for `polyvm boot`) and
# fails unless the init program reports in and powers the machine off.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/polyvm/riscv64-kernel
jobs=2
force=0
check_qemu=0
while (($#)); do
  case "$1" in
    --jobs) jobs=$2; shift ;;
    --force) force=1 ;;
    --check-qemu) check_qemu=1 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

source_tarball=/usr/src/linux-source-6.1.tar.xz
init_source=$repo/tests/system/init/init.c
cross=riscv64-linux-gnu-
for tool in "${cross}gcc" flex bison bc cpio gzip; do
  command -v "$tool" >/dev/null || {
    echo "missing $tool (see scripts/install-deps.sh)" >&2
    exit 1
  }
done
[[ -f $source_tarball ]] || {
  echo "missing $source_tarball: apt-get install linux-source-6.1" >&2
  exit 1
}

# The kernel configuration, one option a line: tinyconfig plus what the virt machine and the
# test init need. `=y` enables, `=n` disables, anything else sets a value.
kernel_options=(
  ARCH_RV64I=y MMU=y SOC_VIRT=y SMP=y NR_CPUS=8 FPU=y RISCV_ISA_C=y
  NONPORTABLE=n COMPAT=n  # PORTABLE (the default) selects EFI: the image also has an EFI stub
  # firmware interface, timer and interrupt controllers of the virt machine
  RISCV_SBI=y RISCV_SBI_V01=y RISCV_TIMER=y SIFIVE_PLIC=y
  # consoles: SBI (early and hvc), 16550 via the device tree, earlycon
  PRINTK=y TTY=y HVC_RISCV_SBI=y SERIAL_EARLYCON_RISCV_SBI=y SERIAL_EARLYCON=y
  SERIAL_8250=y SERIAL_8250_CONSOLE=y SERIAL_OF_PLATFORM=y SERIAL_8250_NR_UARTS=1
  SERIAL_8250_RUNTIME_UARTS=1
  # virtio over MMIO
  VIRTIO_MENU=y VIRTIO=y VIRTIO_MMIO=y BLOCK=y VIRTIO_BLK=y NET=y NETDEVICES=y NET_CORE=y
  VIRTIO_NET=y INET=y VIRTIO_CONSOLE=y HW_RANDOM=y HW_RANDOM_VIRTIO=y
  # ip=dhcp on the command line: the kernel's own DHCP client (the init's network test)
  IP_PNP=y IP_PNP_DHCP=y
  # power-off through the syscon/test device (SBI SRST is tried first)
  POWER_RESET=y POWER_RESET_SYSCON=y POWER_RESET_SYSCON_POWEROFF=y MFD_SYSCON=y
  # panics reported to the machine (polyvm boot's own exit status for them)
  PVPANIC=y PVPANIC_MMIO=y
  # what the init program and a small user space need
  BLK_DEV_INITRD=y RD_GZIP=y DEVTMPFS=y DEVTMPFS_MOUNT=y PROC_FS=y SYSFS=y TMPFS=y SHMEM=y
  BINFMT_ELF=y BINFMT_SCRIPT=y FUTEX=y EPOLL=y MULTIUSER=y UNIX=y
  PRINTK_TIME=y
)

package_version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
compiler=$("${cross}gcc" --version | head -1)
kernel_hash=$(printf '%s\n' "$package_version" "$compiler" "${kernel_options[@]}" |
  sha256sum | cut -c1-16)

# The initramfs contents, one gen_init_cpio line each.
initramfs_list() {
  cat <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
file /init $cache/init 0755 0 0
LIST
}
initramfs_hash=$( (
  echo "$compiler"
  cat "$init_source"
  initramfs_list
) | sha256sum | cut -c1-16)

mkdir -p "$cache"
log=$cache/build.log
if ((!force)) && [[ -f $cache/kernel.stamp && $(cat "$cache/kernel.stamp") == "$kernel_hash" &&
  -f $cache/Image ]]; then
  echo "kernel up to date ($kernel_hash)" >&2
else
  rm -f "$cache/kernel.stamp" "$cache/stamp"
  : >"$log"
  echo "building riscv64 kernel into $cache (log: $log)" >&2

  # 1. Kernel source, extracted once per source package version.
  src=$cache/src
  if [[ ! -f $src/.polyvm-version || $(cat "$src/.polyvm-version") != "$package_version" ]]; then
    rm -rf "$src"
    mkdir -p "$src"
    tar -xf "$source_tarball" -C "$src" --strip-components=1
    echo "$package_version" >"$src/.polyvm-version"
  fi

  # 2. Kernel: tinyconfig, the options above, olddefconfig to settle dependencies, then check
  #    that every option we asked for survived (a silently dropped option is a broken image).
  #    The object directory is kept, so a changed option rebuilds only what depends on it.
  obj=$cache/build
  mkmake=(make -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE="$cross" -j"$jobs")
  "${mkmake[@]}" tinyconfig >>"$log" 2>&1
  config_args=()
  for opt in "${kernel_options[@]}"; do
    name=${opt%%=*} value=${opt#*=}
    case "$value" in
      y) config_args+=(--enable "$name") ;;
      n) config_args+=(--disable "$name") ;;
      *) config_args+=(--set-val "$name" "$value") ;;
    esac
  done
  "$src/scripts/config" --file "$obj/.config" "${config_args[@]}"
  "${mkmake[@]}" olddefconfig >>"$log" 2>&1
  dropped=()
  for opt in "${kernel_options[@]}"; do
    name=${opt%%=*} value=${opt#*=}
    if [[ $value == n ]]; then
      grep -q "^CONFIG_$name=" "$obj/.config" && dropped+=("$opt")
    else
      grep -qx "CONFIG_$name=$value" "$obj/.config" || dropped+=("$opt")
    fi
  done
  if ((${#dropped[@]})); then
    echo "kernel options not satisfied after olddefconfig: ${dropped[*]}" >&2
    exit 1
  fi
  "${mkmake[@]}" Image >>"$log" 2>&1 || {
    tail -30 "$log" >&2
    exit 1
  }
  cp "$obj/arch/riscv/boot/Image" "$cache/Image"
  cp "$obj/.config" "$cache/config"
  gcc -O2 -o "$cache/gen_init_cpio" "$src/usr/gen_init_cpio.c"
  echo "$kernel_hash" >"$cache/kernel.stamp"
fi

if ((!force)) && [[ -f $cache/initramfs.stamp &&
  $(cat "$cache/initramfs.stamp") == "$initramfs_hash" && -f $cache/initramfs.cpio.gz ]]; then
  echo "initramfs up to date ($initramfs_hash)" >&2
else
  # 3. Initramfs: the static init and the device nodes the kernel needs before devtmpfs is
  #    mounted (its console), packed by the kernel's own gen_init_cpio so no root is needed.
  "${cross}gcc" -static -Os -Wall -Wextra -Werror -o "$cache/init" "$init_source"
  [[ -x $cache/gen_init_cpio ]] || gcc -O2 -o "$cache/gen_init_cpio" "$cache/src/usr/gen_init_cpio.c"
  initramfs_list >"$cache/initramfs.list"
  "$cache/gen_init_cpio" "$cache/initramfs.list" | gzip -9n >"$cache/initramfs.cpio.gz.new"
  mv "$cache/initramfs.cpio.gz.new" "$cache/initramfs.cpio.gz"
  echo "$initramfs_hash" >"$cache/initramfs.stamp"
  echo "initramfs rebuilt ($initramfs_hash)" >&2
fi

if ((check_qemu)); then
  fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
  out=$cache/qemu-boot.log
  timeout 300 qemu-system-riscv64 -M virt -smp 2 -m 256M -bios "$fw" -nographic -no-reboot \
    -kernel "$cache/Image" -initrd "$cache/initramfs.cpio.gz" \
    -append "console=ttyS0 earlycon panic=-1" >"$out" 2>&1 || true
  if grep -q "polyvm-init: harts online: 2" "$out" && grep -q "reboot: Power down" "$out"; then
    echo "qemu boot ok (log: $out)" >&2
  else
    echo "qemu boot FAILED (log: $out):" >&2
    tail -40 "$out" >&2
    exit 1
  fi
fi
echo "$cache"
