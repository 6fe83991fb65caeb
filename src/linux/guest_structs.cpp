// Translations of the structures and flags in guest_structs.h.
#include "polyvm/linux/guest_structs.h"

#include <fcntl.h>

#include <cstring>

namespace polyvm::linux {

void ToGenericStat(const struct stat& h, GenericStat* g) {
  std::memset(g, 0, sizeof *g);
  g->st_dev = h.st_dev;
  g->st_ino = h.st_ino;
  g->st_mode = h.st_mode;
  g->st_nlink = static_cast<uint32_t>(h.st_nlink);
  g->st_uid = h.st_uid;
  g->st_gid = h.st_gid;
  g->st_rdev = h.st_rdev;
  g->st_size = h.st_size;
  g->st_blksize = static_cast<int32_t>(h.st_blksize);
  g->st_blocks = h.st_blocks;
  g->st_atime_sec = h.st_atim.tv_sec;
  g->st_atime_nsec = static_cast<uint64_t>(h.st_atim.tv_nsec);
  g->st_mtime_sec = h.st_mtim.tv_sec;
  g->st_mtime_nsec = static_cast<uint64_t>(h.st_mtim.tv_nsec);
  g->st_ctime_sec = h.st_ctim.tv_sec;
  g->st_ctime_nsec = static_cast<uint64_t>(h.st_ctim.tv_nsec);
}

namespace {

// x86-64 kernel values glibc only names under other spellings.
constexpr uint32_t kHostOSync = 04000000;     // __O_SYNC
constexpr uint32_t kHostOTmpfile = 020000000;  // __O_TMPFILE

// Guest values from include/uapi/asm-generic/fcntl.h; host values are the x86-64 kernel's
// (glibc defines O_LARGEFILE as 0 on 64-bit hosts, the kernel uses 0100000).
constexpr FlagPair kGenericOpenFlags[] = {
    {01, O_WRONLY},          {02, O_RDWR},           {0100, O_CREAT},
    {0200, O_EXCL},          {0400, O_NOCTTY},       {01000, O_TRUNC},
    {02000, O_APPEND},       {04000, O_NONBLOCK},    {010000, O_DSYNC},
    {020000, FASYNC},        {040000, O_DIRECT},     {0100000, 0100000},
    {0200000, O_DIRECTORY},  {0400000, O_NOFOLLOW},  {01000000, O_NOATIME},
    {02000000, O_CLOEXEC},   {04000000, kHostOSync},   {010000000, O_PATH},
    {020000000, kHostOTmpfile},
};

}  // namespace

std::span<const FlagPair> GenericOpenFlags() { return kGenericOpenFlags; }

uint32_t FlagsToHost(std::span<const FlagPair> table, uint32_t guest) {
  uint32_t known = 0, out = 0;
  for (const FlagPair& p : table) {
    known |= p.guest;
    if (guest & p.guest) out |= p.host;
  }
  return out | (guest & ~known);
}

uint32_t FlagsFromHost(std::span<const FlagPair> table, uint32_t host) {
  uint32_t known = 0, out = 0;
  for (const FlagPair& p : table) {
    known |= p.host;
    if (host & p.host) out |= p.guest;
  }
  return out | (host & ~known);
}

}  // namespace polyvm::linux
