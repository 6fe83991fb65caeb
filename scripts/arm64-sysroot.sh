#!/usr/bin/env bash
# Builds a small Debian 12 arm64 sysroot for the `arm64-programs` tests: the static arm64 busybox
# and a few dynamically linked arm64 programs (coreutils, sed, grep, gzip) with their libraries,
# unpacked with dpkg-deb -x. Debian packages only, fetched with apt-get download.
#
# The system is not changed: instead of `dpkg --add-architecture arm64`, apt runs against a private
# state directory inside the cache (its own arm64 package lists, from the same sources as the
# host's /etc/apt), so no root is needed and the host's dpkg never learns about arm64.
#
#   scripts/arm64-sysroot.sh [--print-dir] [--force]
#     --print-dir  only print where the sysroot is (or would be)
#     --force      rebuild it even if it is complete
#
# Location: $POLYVM_ARM64_SYSROOT, else ${XDG_CACHE_HOME:-$HOME/.cache}/polyvm/arm64-sysroot
# (outside the source tree). A file `.complete` in it lists the packages once everything is there.
set -euo pipefail

packages=(
  # static: every applet the shell-script tests use
  busybox-static
  # dynamically linked programs and their libraries (PreDepends/Depends of coreutils, sed, grep)
  libc6 coreutils sed grep gzip
  libacl1 libattr1 libgmp10 libselinux1 libpcre2-8-0
)

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/polyvm"
sysroot="${POLYVM_ARM64_SYSROOT:-$cache_root/arm64-sysroot}"
force=0
for arg in "$@"; do
  case "$arg" in
    --print-dir) echo "$sysroot"; exit 0 ;;
    --force) force=1 ;;
    *) echo "usage: $0 [--print-dir] [--force]" >&2; exit 2 ;;
  esac
done

stamp="$sysroot/.complete"
if [[ $force -eq 0 && -f "$stamp" && "$(cat "$stamp")" == "${packages[*]}" ]]; then
  echo "$sysroot"
  exit 0
fi

apt_dir="$cache_root/arm64-apt"
apt_debs="$apt_dir/debs"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_debs"
: > "$apt_dir/status"
apt_opts=(
  -o APT::Architecture=arm64
  -o APT::Architectures=arm64
  -o Dir::State="$apt_dir"
  -o Dir::State::Lists="$apt_dir/lists"
  -o Dir::State::status="$apt_dir/status"
  -o Dir::Cache="$apt_dir"
  -o Dir::Cache::archives="$apt_dir/archives"
  -o Debug::NoLocking=1
)
echo "arm64-sysroot: updating the arm64 package lists in $apt_dir" >&2
apt-get "${apt_opts[@]}" -q update >&2

echo "arm64-sysroot: downloading ${packages[*]}" >&2
rm -f "$apt_debs"/*.deb
(cd "$apt_debs" && apt-get "${apt_opts[@]}" -q download "${packages[@]/%/:arm64}" >&2)

tmp="$sysroot.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
for deb in "$apt_debs"/*.deb; do
  dpkg-deb -x "$deb" "$tmp"
done

# Absolute symlinks would point into the host's file system: make them relative to the sysroot.
while IFS= read -r -d '' link; do
  target="$(readlink "$link")"
  [[ "$target" == /* ]] || continue
  rel="$(realpath -m --relative-to="$(dirname "$link")" "$tmp$target")"
  ln -sfn "$rel" "$link"
done < <(find "$tmp" -type l -print0)

test -x "$tmp/bin/busybox" || { echo "arm64-sysroot: no bin/busybox in busybox-static" >&2; exit 1; }
test -e "$tmp/lib/ld-linux-aarch64.so.1" || {
  echo "arm64-sysroot: no lib/ld-linux-aarch64.so.1 in libc6:arm64" >&2
  exit 1
}
echo "${packages[*]}" > "$tmp/.complete"
rm -rf "$sysroot"
mv "$tmp" "$sysroot"
echo "$sysroot"
