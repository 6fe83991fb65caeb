// Descriptor I/O: read/write and their vector and positional forms, copies between descriptors,
// sync, truncation, close/dup/pipe, and the descriptor-creating calls (eventfd, memfd, timerfd,
// inotify). Guest buffers go to the host kernel in place after a range check.
#include <fcntl.h>
#include <sys/uio.h>

#include <vector>

#include "paths.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

constexpr uint64_t kIovMax = 1024;  // UIO_MAXIOV

// Guest iovecs (the 64-bit layout every guest shares) -> host iovecs with host pointers.
int64_t HostIovecs(SyscallContext& ctx, uint64_t iov, uint64_t count, std::vector<iovec>* out) {
  if (count > kIovMax) return -EINVAL;
  out->resize(count);
  if (count == 0) return 0;
  std::vector<uint64_t> raw(2 * count);
  if (mem::CopyFromGuest(ctx.as, raw.data(), iov, raw.size() * 8) != 0) return -EFAULT;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t base = raw[2 * i], len = raw[2 * i + 1];
    if (static_cast<int64_t>(len) < 0) return -EINVAL;
    void* p = ctx.Buf(base, len);
    if (p == nullptr) return -EFAULT;
    (*out)[i] = {p, len};
  }
  return 0;
}

int64_t VectorIo(SyscallContext& ctx, long nr, const SyscallArgs& a, bool positional,
                 bool with_flags) {
  std::vector<iovec> iov;
  if (int64_t r = HostIovecs(ctx, a.arg[1], a.arg[2], &iov); r != 0) return r;
  long pos = positional ? L(a.arg[3]) : 0;
  long flags = with_flags ? L(a.arg[5]) : 0;
  return SafeSyscall(ctx.thread, nr, Fd(a.arg[0]), P(iov.data()), static_cast<long>(iov.size()),
                     pos, 0, flags);
}

}  // namespace

int64_t SysRead(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[1], a.arg[2]);
  if (!buf) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_read, Fd(a.arg[0]), P(buf), L(a.arg[2]));
}

int64_t SysWrite(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[1], a.arg[2]);
  if (!buf) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_write, Fd(a.arg[0]), P(buf), L(a.arg[2]));
}

int64_t SysPread64(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[1], a.arg[2]);
  if (!buf) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_pread64, Fd(a.arg[0]), P(buf), L(a.arg[2]), L(a.arg[3]));
}

int64_t SysPwrite64(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[1], a.arg[2]);
  if (!buf) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_pwrite64, Fd(a.arg[0]), P(buf), L(a.arg[2]), L(a.arg[3]));
}

int64_t SysReadv(SyscallContext& ctx, const SyscallArgs& a) {
  return VectorIo(ctx, SYS_readv, a, false, false);
}
int64_t SysWritev(SyscallContext& ctx, const SyscallArgs& a) {
  return VectorIo(ctx, SYS_writev, a, false, false);
}
int64_t SysPreadv(SyscallContext& ctx, const SyscallArgs& a) {
  return VectorIo(ctx, SYS_preadv, a, true, false);
}
int64_t SysPwritev(SyscallContext& ctx, const SyscallArgs& a) {
  return VectorIo(ctx, SYS_pwritev, a, true, false);
}
int64_t SysPreadv2(SyscallContext& ctx, const SyscallArgs& a) {
  return VectorIo(ctx, SYS_preadv2, a, true, true);
}
int64_t SysPwritev2(SyscallContext& ctx, const SyscallArgs& a) {
  return VectorIo(ctx, SYS_pwritev2, a, true, true);
}

int64_t SysLseek(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_lseek, Fd(a.arg[0]), L(a.arg[1]), L(a.arg[2]));
}

int64_t SysSendfile(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* off = OptBuf(ctx, a.arg[2], 8, &bad);
  if (bad) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_sendfile, Fd(a.arg[0]), Fd(a.arg[1]), P(off), L(a.arg[3]));
}

int64_t SysSplice(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* off_in = OptBuf(ctx, a.arg[1], 8, &bad);
  void* off_out = OptBuf(ctx, a.arg[3], 8, &bad);
  if (bad) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_splice, Fd(a.arg[0]), P(off_in), Fd(a.arg[2]), P(off_out),
                     L(a.arg[4]), L(a.arg[5]));
}

int64_t SysTee(SyscallContext& ctx, const SyscallArgs& a) {
  return SafeSyscall(ctx.thread, SYS_tee, Fd(a.arg[0]), Fd(a.arg[1]), L(a.arg[2]), L(a.arg[3]));
}

int64_t SysCopyFileRange(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* off_in = OptBuf(ctx, a.arg[1], 8, &bad);
  void* off_out = OptBuf(ctx, a.arg[3], 8, &bad);
  if (bad) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_copy_file_range, Fd(a.arg[0]), P(off_in), Fd(a.arg[2]),
                     P(off_out), L(a.arg[4]), L(a.arg[5]));
}

int64_t SysReadahead(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_readahead, Fd(a.arg[0]), L(a.arg[1]), L(a.arg[2]));
}
int64_t SysFadvise64(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_fadvise64, Fd(a.arg[0]), L(a.arg[1]), L(a.arg[2]), L(a.arg[3]));
}
int64_t SysSync(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_sync); }
int64_t SysFsync(SyscallContext& ctx, const SyscallArgs& a) {
  return SafeSyscall(ctx.thread, SYS_fsync, Fd(a.arg[0]));
}
int64_t SysFdatasync(SyscallContext& ctx, const SyscallArgs& a) {
  return SafeSyscall(ctx.thread, SYS_fdatasync, Fd(a.arg[0]));
}
int64_t SysSyncFileRange(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_sync_file_range, Fd(a.arg[0]), L(a.arg[1]), L(a.arg[2]), L(a.arg[3]));
}
int64_t SysSyncfs(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_syncfs, Fd(a.arg[0])); }
int64_t SysFtruncate(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_ftruncate, Fd(a.arg[0]), L(a.arg[1]));
}
int64_t SysFallocate(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_fallocate, Fd(a.arg[0]), L(a.arg[1]), L(a.arg[2]), L(a.arg[3]));
}

int64_t SysClose(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_close, Fd(a.arg[0])); }
int64_t SysCloseRange(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_close_range, static_cast<unsigned>(a.arg[0]), static_cast<unsigned>(a.arg[1]),
                  static_cast<unsigned>(a.arg[2]));
}
int64_t SysDup(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_dup, Fd(a.arg[0])); }
int64_t SysDup3(SyscallContext& ctx, const SyscallArgs& a) {
  return HostCall(SYS_dup3, Fd(a.arg[0]), Fd(a.arg[1]), OpenFlagsToHost(ctx, a.arg[2]));
}

int64_t SysPipe2(SyscallContext& ctx, const SyscallArgs& a) {
  int fds[2];
  if (pipe2(fds, static_cast<int>(OpenFlagsToHost(ctx, a.arg[1]))) != 0) return -errno;
  if (mem::CopyToGuest(ctx.as, a.arg[0], fds, sizeof fds) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -EFAULT;
  }
  return 0;
}

int64_t SysFcntl(SyscallContext& ctx, const SyscallArgs& a) {
  const int fd = Fd(a.arg[0]);
  const int cmd = static_cast<int>(a.arg[1]);
  switch (cmd) {
    case F_GETFL: {
      int64_t r = HostCall(SYS_fcntl, fd, cmd);
      return r < 0 ? r : OpenFlagsFromHost(ctx, static_cast<uint64_t>(r));
    }
    case F_SETFL:
      return HostCall(SYS_fcntl, fd, cmd, OpenFlagsToHost(ctx, a.arg[2]));
    case F_GETLK: case F_SETLK: case F_OFD_GETLK: case F_OFD_SETLK: {
      void* p = ctx.Buf(a.arg[2], sizeof(struct flock));
      if (!p) return -EFAULT;
      return HostCall(SYS_fcntl, fd, cmd, P(p));
    }
    case F_SETLKW: case F_OFD_SETLKW: {
      void* p = ctx.Buf(a.arg[2], sizeof(struct flock));
      if (!p) return -EFAULT;
      return SafeSyscall(ctx.thread, SYS_fcntl, fd, cmd, P(p));
    }
    case F_GETOWN_EX: case F_SETOWN_EX: {
      void* p = ctx.Buf(a.arg[2], sizeof(struct f_owner_ex));
      if (!p) return -EFAULT;
      return HostCall(SYS_fcntl, fd, cmd, P(p));
    }
    case F_GET_RW_HINT: case F_SET_RW_HINT: case F_GET_FILE_RW_HINT: case F_SET_FILE_RW_HINT: {
      void* p = ctx.Buf(a.arg[2], 8);
      if (!p) return -EFAULT;
      return HostCall(SYS_fcntl, fd, cmd, P(p));
    }
    case F_SETSIG: {
      int sig = static_cast<int>(a.arg[2]);
      int host = sig == 0 ? 0 : GuestToHostSignal(sig);
      if (sig != 0 && host == 0) return -EINVAL;
      return HostCall(SYS_fcntl, fd, cmd, host);
    }
    case F_GETSIG: {
      int64_t r = HostCall(SYS_fcntl, fd, cmd);
      return r <= 0 ? r : HostToGuestSignal(static_cast<int>(r));
    }
    case F_DUPFD: case F_DUPFD_CLOEXEC: case F_GETFD: case F_SETFD: case F_GETOWN:
    case F_SETOWN: case F_SETLEASE: case F_GETLEASE: case F_NOTIFY: case F_SETPIPE_SZ:
    case F_GETPIPE_SZ: case F_ADD_SEALS: case F_GET_SEALS:
      return HostCall(SYS_fcntl, fd, cmd, L(a.arg[2]));
    default:
      return -EINVAL;
  }
}

int64_t SysFlock(SyscallContext& ctx, const SyscallArgs& a) {
  return SafeSyscall(ctx.thread, SYS_flock, Fd(a.arg[0]), L(a.arg[1]));
}

int64_t SysEventfd2(SyscallContext& ctx, const SyscallArgs& a) {
  return HostCall(SYS_eventfd2, static_cast<unsigned>(a.arg[0]), OpenFlagsToHost(ctx, a.arg[1]));
}

int64_t SysMemfdCreate(SyscallContext& ctx, const SyscallArgs& a) {
  std::string name;
  if (int r = ctx.ReadPath(a.arg[0], name); r != 0) return r;
  return HostCall(SYS_memfd_create, P(name.data()), static_cast<unsigned>(a.arg[1]));
}

int64_t SysTimerfdCreate(SyscallContext& ctx, const SyscallArgs& a) {
  return HostCall(SYS_timerfd_create, Fd(a.arg[0]), OpenFlagsToHost(ctx, a.arg[1]));
}

int64_t SysTimerfdSettime(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* nv = OptBuf(ctx, a.arg[2], 32, &bad);
  void* ov = OptBuf(ctx, a.arg[3], 32, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_timerfd_settime, Fd(a.arg[0]), L(a.arg[1]), P(nv), P(ov));
}

int64_t SysTimerfdGettime(SyscallContext& ctx, const SyscallArgs& a) {
  void* cur = ctx.Buf(a.arg[1], 32);
  if (!cur) return -EFAULT;
  return HostCall(SYS_timerfd_gettime, Fd(a.arg[0]), P(cur));
}

int64_t SysInotifyInit1(SyscallContext& ctx, const SyscallArgs& a) {
  return HostCall(SYS_inotify_init1, OpenFlagsToHost(ctx, a.arg[0]));
}

int64_t SysInotifyAddWatch(SyscallContext& ctx, const SyscallArgs& a) {
  std::string path;
  if (int r = ctx.ReadPath(a.arg[1], path); r != 0) return r;
  std::string host = MapGuestPath(ctx.proc, path);
  return HostCall(SYS_inotify_add_watch, Fd(a.arg[0]), P(host.data()), static_cast<uint32_t>(a.arg[2]));
}

int64_t SysInotifyRmWatch(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_inotify_rm_watch, Fd(a.arg[0]), Fd(a.arg[1]));
}

int64_t SysGetrandom(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[0], a.arg[1]);
  if (!buf) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_getrandom, P(buf), L(a.arg[1]), L(a.arg[2]));
}

}  // namespace polyvm::linux
