// fstat, newfstatat (asm-generic struct stat, translated from the host's) and statx (the same
// layout everywhere, passed through).
#include <fcntl.h>
#include <sys/stat.h>

#include "paths.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

int64_t WriteStat(SyscallContext& ctx, const struct stat& st, uint64_t addr) {
  GenericStat g;
  ToGenericStat(st, &g);
  return mem::WriteGuest(ctx.as, addr, g) == 0 ? 0 : -EFAULT;
}

// /proc/self/exe stats as the guest program; other paths go through the sysroot.
std::string StatPath(SyscallContext& ctx, const std::string& path) {
  std::string target;
  if (ReadlinkSpecial(ctx.proc, path, &target)) return target;
  return MapGuestPath(ctx.proc, path);
}

}  // namespace

int64_t SysFstat(SyscallContext& ctx, const SyscallArgs& a) {
  struct stat st;
  if (fstat(Fd(a.arg[0]), &st) != 0) return -errno;
  return WriteStat(ctx, st, a.arg[1]);
}

int64_t SysNewfstatat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int r = ctx.ReadPath(a.arg[1], path); r != 0) return r;
  const int flags = static_cast<int>(a.arg[3]);
  // A symlink-not-followed stat of /proc/self/exe must see the link, not the program.
  std::string host = (flags & AT_SYMLINK_NOFOLLOW) ? MapGuestPath(ctx.proc, path) : StatPath(ctx, path);
  struct stat st;
  if (fstatat(Fd(a.arg[0]), host.c_str(), &st, flags) != 0) return -errno;
  return WriteStat(ctx, st, a.arg[2]);
}

int64_t SysStatx(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int r = ctx.ReadPath(a.arg[1], path); r != 0) return r;
  void* buf = ctx.Buf(a.arg[4], sizeof(struct statx));
  if (!buf) return -EFAULT;
  const int flags = static_cast<int>(a.arg[2]);
  std::string host = (flags & AT_SYMLINK_NOFOLLOW) ? MapGuestPath(ctx.proc, path) : StatPath(ctx, path);
  return HostCall(SYS_statx, Fd(a.arg[0]), P(host.data()), flags, L(a.arg[3]), P(buf));
}

}  // namespace polyvm::linux
