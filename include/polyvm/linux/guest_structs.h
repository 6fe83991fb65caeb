// Structures whose layout differs between the guest ABI and the x86-64 host, and flag values that
// may differ per guest, with their translations. Layouts the guests share with the host (timespec,
// statx, statfs, rusage, sigset, termios, ...) are passed through and not listed here.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <span>

namespace polyvm::linux {

// include/uapi/asm-generic/stat.h for 64-bit (riscv64, arm64): 128 bytes.
struct GenericStat {
  uint64_t st_dev;
  uint64_t st_ino;
  uint32_t st_mode;
  uint32_t st_nlink;
  uint32_t st_uid;
  uint32_t st_gid;
  uint64_t st_rdev;
  uint64_t pad1;
  int64_t st_size;
  int32_t st_blksize;
  int32_t pad2;
  int64_t st_blocks;
  int64_t st_atime_sec;
  uint64_t st_atime_nsec;
  int64_t st_mtime_sec;
  uint64_t st_mtime_nsec;
  int64_t st_ctime_sec;
  uint64_t st_ctime_nsec;
  uint32_t unused4;
  uint32_t unused5;
};
static_assert(sizeof(GenericStat) == 128);

void ToGenericStat(const struct stat& host, GenericStat* out);

// struct epoll_event without x86-64's packing: 16 bytes (riscv64, arm64).
struct GenericEpollEvent {
  uint32_t events;
  uint32_t pad;
  uint64_t data;
};
static_assert(sizeof(GenericEpollEvent) == 16);

// One flag's value for the guest and for the host.
struct FlagPair {
  uint32_t guest;
  uint32_t host;
};

// open/fcntl flags of the asm-generic layout (riscv64; arm64 differs in O_DIRECTORY, O_NOFOLLOW,
// O_DIRECT and O_LARGEFILE and will get its own table).
std::span<const FlagPair> GenericOpenFlags();

// Translates every flag of the table; bits the table does not know pass through unchanged.
uint32_t FlagsToHost(std::span<const FlagPair> table, uint32_t guest);
uint32_t FlagsFromHost(std::span<const FlagPair> table, uint32_t host);

}  // namespace polyvm::linux
