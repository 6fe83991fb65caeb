// Path-based calls: open, the *at family, directories, links, permissions, times, statfs, getcwd.
// Lookups (open, access, readlink, statfs) go through the sysroot redirection and the synthesised
// /proc files; calls that modify the file system use the guest's path unchanged.
#include <fcntl.h>
#include <linux/openat2.h>

#include "paths.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

// Reads a path argument; an empty path is returned as is (AT_EMPTY_PATH users pass "").
int64_t ReadPathArg(SyscallContext& ctx, uint64_t addr, std::string* out) {
  return ctx.ReadPath(addr, *out);
}

}  // namespace

int64_t SysOpenat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  const uint32_t flags = OpenFlagsToHost(ctx, a.arg[2]);
  if (int fd = OpenSpecialPath(ctx.proc, path, static_cast<int>(flags)); fd != kNotSpecial) return fd;
  std::string host = MapGuestPath(ctx.proc, path);
  return SafeSyscall(ctx.thread, SYS_openat, Fd(a.arg[0]), P(host.data()), flags,
                     static_cast<long>(a.arg[3] & 07777));
}

int64_t SysOpenat2(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  struct open_how how = {};
  if (a.arg[3] < sizeof how) return -EINVAL;
  if (mem::CopyFromGuest(ctx.as, &how, a.arg[2], sizeof how) != 0) return -EFAULT;
  if (how.flags >> 32) return -EINVAL;
  how.flags = OpenFlagsToHost(ctx, how.flags);
  std::string host = MapGuestPath(ctx.proc, path);
  return SafeSyscall(ctx.thread, SYS_openat2, Fd(a.arg[0]), P(host.data()), P(&how), sizeof how);
}

int64_t SysMkdirat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  return HostCall(SYS_mkdirat, Fd(a.arg[0]), P(path.data()), L(a.arg[2]));
}

int64_t SysMknodat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  return HostCall(SYS_mknodat, Fd(a.arg[0]), P(path.data()), L(a.arg[2]), L(a.arg[3]));
}

int64_t SysUnlinkat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  return HostCall(SYS_unlinkat, Fd(a.arg[0]), P(path.data()), L(a.arg[2]));
}

int64_t SysSymlinkat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string target, link;
  if (int64_t r = ReadPathArg(ctx, a.arg[0], &target); r != 0) return r;
  if (int64_t r = ReadPathArg(ctx, a.arg[2], &link); r != 0) return r;
  return HostCall(SYS_symlinkat, P(target.data()), Fd(a.arg[1]), P(link.data()));
}

int64_t SysLinkat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string from, to;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &from); r != 0) return r;
  if (int64_t r = ReadPathArg(ctx, a.arg[3], &to); r != 0) return r;
  return HostCall(SYS_linkat, Fd(a.arg[0]), P(from.data()), Fd(a.arg[2]), P(to.data()),
                  L(a.arg[4]));
}

int64_t SysRenameat2(SyscallContext& ctx, const SyscallArgs& a) {
  std::string from, to;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &from); r != 0) return r;
  if (int64_t r = ReadPathArg(ctx, a.arg[3], &to); r != 0) return r;
  return HostCall(SYS_renameat2, Fd(a.arg[0]), P(from.data()), Fd(a.arg[2]), P(to.data()),
                  L(a.arg[4]));
}

int64_t SysReadlinkat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  const int64_t size = static_cast<int64_t>(a.arg[3]);
  if (size <= 0) return -EINVAL;
  void* buf = ctx.Buf(a.arg[2], static_cast<uint64_t>(size));
  if (!buf) return -EFAULT;
  std::string target;
  if (ReadlinkSpecial(ctx.proc, path, &target)) {
    size_t n = std::min(target.size(), static_cast<size_t>(size));
    if (mem::CopyToGuest(ctx.as, a.arg[2], target.data(), n) != 0) return -EFAULT;
    return static_cast<int64_t>(n);
  }
  std::string host = MapGuestPath(ctx.proc, path);
  return HostCall(SYS_readlinkat, Fd(a.arg[0]), P(host.data()), P(buf), size);
}

int64_t SysFaccessat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  std::string host = MapGuestPath(ctx.proc, path);
  return HostCall(SYS_faccessat, Fd(a.arg[0]), P(host.data()), L(a.arg[2]));
}

int64_t SysFaccessat2(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  std::string host = MapGuestPath(ctx.proc, path);
  return HostCall(SYS_faccessat2, Fd(a.arg[0]), P(host.data()), L(a.arg[2]), L(a.arg[3]));
}

int64_t SysChdir(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[0], &path); r != 0) return r;
  return HostCall(SYS_chdir, P(path.data()));
}

int64_t SysFchdir(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_fchdir, Fd(a.arg[0])); }

int64_t SysGetcwd(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[0], a.arg[1]);
  if (!buf) return -EFAULT;
  return HostCall(SYS_getcwd, P(buf), L(a.arg[1]));
}

int64_t SysFchmod(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_fchmod, Fd(a.arg[0]), L(a.arg[1]));
}

int64_t SysFchmodat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  return HostCall(SYS_fchmodat, Fd(a.arg[0]), P(path.data()), L(a.arg[2]));
}

int64_t SysFchownat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
  return HostCall(SYS_fchownat, Fd(a.arg[0]), P(path.data()), L(a.arg[2]), L(a.arg[3]),
                  L(a.arg[4]));
}

int64_t SysFchown(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_fchown, Fd(a.arg[0]), L(a.arg[1]), L(a.arg[2]));
}

int64_t SysTruncate(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[0], &path); r != 0) return r;
  return HostCall(SYS_truncate, P(path.data()), L(a.arg[1]));
}

int64_t SysUtimensat(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  const char* p = nullptr;
  if (a.arg[1] != 0) {  // NULL: the file dirfd refers to
    if (int64_t r = ReadPathArg(ctx, a.arg[1], &path); r != 0) return r;
    p = path.c_str();
  }
  bool bad = false;
  void* times = OptBuf(ctx, a.arg[2], 32, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_utimensat, Fd(a.arg[0]), reinterpret_cast<long>(p), P(times), L(a.arg[3]));
}

int64_t SysStatfs(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int64_t r = ReadPathArg(ctx, a.arg[0], &path); r != 0) return r;
  void* buf = ctx.Buf(a.arg[1], 120);  // asm-generic struct statfs == x86-64's
  if (!buf) return -EFAULT;
  std::string host = MapGuestPath(ctx.proc, path);
  return HostCall(SYS_statfs, P(host.data()), P(buf));
}

int64_t SysFstatfs(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[1], 120);
  if (!buf) return -EFAULT;
  return HostCall(SYS_fstatfs, Fd(a.arg[0]), P(buf));
}

int64_t SysUmask(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_umask, L(a.arg[0])); }

int64_t SysGetdents64(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[1], a.arg[2]);
  if (!buf) return -EFAULT;
  return HostCall(SYS_getdents64, Fd(a.arg[0]), P(buf), L(a.arg[2]));
}

}  // namespace polyvm::linux
