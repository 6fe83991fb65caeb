// Extended attributes, passed through: names and values are plain bytes on every Linux. Lookups of
// the l*/plain forms go through the sysroot redirection like stat.
#include "paths.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

constexpr size_t kXattrNameMax = 255;  // XATTR_NAME_MAX

int64_t ReadName(SyscallContext& ctx, uint64_t addr, std::string* out) {
  int r = mem::ReadGuestString(ctx.as, addr, *out, kXattrNameMax);
  return r == -ENAMETOOLONG ? -ERANGE : r;
}

int64_t PathCall(SyscallContext& ctx, long nr, const SyscallArgs& a, bool has_name, bool has_buf,
                 bool writes_fs) {
  std::string path, name;
  if (int r = ctx.ReadPath(a.arg[0], path); r != 0) return r;
  if (!writes_fs) path = MapGuestPath(ctx.proc, path);
  const int buf_arg = has_name ? 2 : 1;
  if (has_name) {
    if (int64_t r = ReadName(ctx, a.arg[1], &name); r != 0) return r;
  }
  void* buf = nullptr;
  if (has_buf) {
    buf = ctx.Buf(a.arg[buf_arg], a.arg[buf_arg + 1]);
    if (!buf) return -EFAULT;
  }
  if (has_name && has_buf) {
    return HostCall(nr, P(path.data()), P(name.data()), P(buf), L(a.arg[3]), L(a.arg[4]));
  }
  if (has_name) return HostCall(nr, P(path.data()), P(name.data()));
  return HostCall(nr, P(path.data()), P(buf), L(a.arg[2]));
}

int64_t FdCall(SyscallContext& ctx, long nr, const SyscallArgs& a, bool has_name, bool has_buf) {
  std::string name;
  const int buf_arg = has_name ? 2 : 1;
  if (has_name) {
    if (int64_t r = ReadName(ctx, a.arg[1], &name); r != 0) return r;
  }
  void* buf = nullptr;
  if (has_buf) {
    buf = ctx.Buf(a.arg[buf_arg], a.arg[buf_arg + 1]);
    if (!buf) return -EFAULT;
  }
  if (has_name && has_buf) {
    return HostCall(nr, Fd(a.arg[0]), P(name.data()), P(buf), L(a.arg[3]), L(a.arg[4]));
  }
  if (has_name) return HostCall(nr, Fd(a.arg[0]), P(name.data()));
  return HostCall(nr, Fd(a.arg[0]), P(buf), L(a.arg[2]));
}

}  // namespace

int64_t SysSetxattr(SyscallContext& c, const SyscallArgs& a) { return PathCall(c, SYS_setxattr, a, true, true, true); }
int64_t SysLsetxattr(SyscallContext& c, const SyscallArgs& a) { return PathCall(c, SYS_lsetxattr, a, true, true, true); }
int64_t SysFsetxattr(SyscallContext& c, const SyscallArgs& a) { return FdCall(c, SYS_fsetxattr, a, true, true); }
int64_t SysGetxattr(SyscallContext& c, const SyscallArgs& a) { return PathCall(c, SYS_getxattr, a, true, true, false); }
int64_t SysLgetxattr(SyscallContext& c, const SyscallArgs& a) { return PathCall(c, SYS_lgetxattr, a, true, true, false); }
int64_t SysFgetxattr(SyscallContext& c, const SyscallArgs& a) { return FdCall(c, SYS_fgetxattr, a, true, true); }
int64_t SysListxattr(SyscallContext& c, const SyscallArgs& a) { return PathCall(c, SYS_listxattr, a, false, true, false); }
int64_t SysLlistxattr(SyscallContext& c, const SyscallArgs& a) { return PathCall(c, SYS_llistxattr, a, false, true, false); }
int64_t SysFlistxattr(SyscallContext& c, const SyscallArgs& a) { return FdCall(c, SYS_flistxattr, a, false, true); }
int64_t SysRemovexattr(SyscallContext& c, const SyscallArgs& a) { return PathCall(c, SYS_removexattr, a, true, false, true); }
int64_t SysLremovexattr(SyscallContext& c, const SyscallArgs& a) { return PathCall(c, SYS_lremovexattr, a, true, false, true); }
int64_t SysFremovexattr(SyscallContext& c, const SyscallArgs& a) { return FdCall(c, SYS_fremovexattr, a, true, false); }

}  // namespace polyvm::linux
