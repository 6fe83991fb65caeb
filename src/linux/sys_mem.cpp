// Memory calls on the guest address space: brk, mmap, munmap, mprotect, mremap, and the advisory
// ones (madvise, msync, mlock, mincore) passed to the host for ranges the guest has mapped;
// riscv_flush_icache and membarrier.
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "sys_util.h"

namespace polyvm::linux {

namespace {

// asm-generic mman values (x86-64 agrees).
constexpr uint64_t kMapTypeMask = 0x0f;
constexpr uint64_t kMapSharedValidate = 0x03;
constexpr uint64_t kKnownMapFlags = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS |
                                    MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED |
                                    MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK |
                                    MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE |
                                    (0x3fu << MAP_HUGE_SHIFT);

uint32_t GuestProt(uint64_t prot) {
  uint32_t p = mem::kProtNone;
  if (prot & PROT_READ) p |= mem::kProtRead;
  if (prot & PROT_WRITE) p |= mem::kProtWrite;
  if (prot & PROT_EXEC) p |= mem::kProtExec;
  return p;
}

bool RangeMapped(SyscallContext& ctx, uint64_t addr, uint64_t len) {
  return ctx.as.AccessibleBytes(addr, len, mem::kProtNone) >= len;
}

std::string FdPath(int fd) {
  char link[64], target[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<size_t>(n)) : std::string();
}

}  // namespace

int64_t SysBrk(SyscallContext& ctx, const SyscallArgs& a) {
  return static_cast<int64_t>(ctx.as.Brk(a.arg[0]));
}

int64_t SysMmap(SyscallContext& ctx, const SyscallArgs& a) {
  const uint64_t addr = a.arg[0], len = a.arg[1], prot = a.arg[2], flags = a.arg[3];
  const int fd = Fd(a.arg[4]);
  const uint64_t off = a.arg[5];
  if (prot & ~uint64_t{PROT_READ | PROT_WRITE | PROT_EXEC}) return -EINVAL;
  const uint64_t type = flags & kMapTypeMask;
  if (type != MAP_SHARED && type != MAP_PRIVATE && type != kMapSharedValidate) return -EINVAL;
  if (type == kMapSharedValidate && (flags & ~kKnownMapFlags)) return -EOPNOTSUPP;
  if (type == kMapSharedValidate && (flags & MAP_SYNC)) return -EOPNOTSUPP;
  if (len == 0) return -EINVAL;
  if (off % mem::kPageSize != 0) return -EINVAL;

  mem::MapRequest r;
  r.addr = addr;
  r.length = len;
  r.prot = GuestProt(prot);
  r.flags = (type == MAP_PRIVATE) ? uint32_t{mem::kMapPrivate} : uint32_t{mem::kMapShared};
  if (flags & MAP_ANONYMOUS) r.flags |= mem::kMapAnonymous;
  if (flags & MAP_FIXED_NOREPLACE) r.flags |= mem::kMapFixedNoReplace;
  else if (flags & MAP_FIXED) r.flags |= mem::kMapFixed;
  if (flags & MAP_NORESERVE) r.flags |= mem::kMapNoReserve;
  if (flags & MAP_POPULATE) r.flags |= mem::kMapPopulate;
  if (flags & MAP_GROWSDOWN) r.flags |= mem::kMapGrowsDown;
  if (!(flags & MAP_ANONYMOUS)) {
    struct stat st;
    if (fstat(fd, &st) != 0) return -EBADF;
    r.fd = fd;
    r.offset = off;
    r.dev = st.st_dev;
    r.inode = st.st_ino;
    r.name = FdPath(fd);
  }
  return ctx.as.Map(r);
}

int64_t SysMunmap(SyscallContext& ctx, const SyscallArgs& a) {
  return ctx.as.Unmap(a.arg[0], a.arg[1]);
}

int64_t SysMprotect(SyscallContext& ctx, const SyscallArgs& a) {
  uint64_t prot = a.arg[2] & ~uint64_t{PROT_GROWSDOWN | PROT_GROWSUP};
  if (prot & ~uint64_t{PROT_READ | PROT_WRITE | PROT_EXEC}) return -EINVAL;
  return ctx.as.Protect(a.arg[0], a.arg[1], GuestProt(prot));
}

int64_t SysMremap(SyscallContext& ctx, const SyscallArgs& a) {
  uint32_t flags = 0;
  if (a.arg[3] & ~uint64_t{MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP}) return -EINVAL;
  if (a.arg[3] & MREMAP_MAYMOVE) flags |= mem::kRemapMayMove;
  if (a.arg[3] & MREMAP_FIXED) flags |= mem::kRemapFixed;
  if (a.arg[3] & MREMAP_DONTUNMAP) flags |= mem::kRemapDontUnmap;
  return ctx.as.Remap(a.arg[0], a.arg[1], a.arg[2], flags, a.arg[4]);
}

int64_t SysMadvise(SyscallContext& ctx, const SyscallArgs& a) {
  const uint64_t addr = a.arg[0];
  if (addr % mem::kPageSize != 0) return -EINVAL;
  const uint64_t len = mem::PageUp(a.arg[1]);
  if (len < a.arg[1]) return -EINVAL;
  if (len == 0) return 0;
  if (!ctx.as.Contains(addr, len)) return -ENOMEM;
  if (!RangeMapped(ctx, addr, len)) return -ENOMEM;
  return HostCall(SYS_madvise, P(ctx.as.ToHost(addr)), L(len), L(a.arg[2]));
}

int64_t SysMsync(SyscallContext& ctx, const SyscallArgs& a) {
  const uint64_t addr = a.arg[0];
  if (addr % mem::kPageSize != 0) return -EINVAL;
  const uint64_t len = mem::PageUp(a.arg[1]);
  if (!ctx.as.Contains(addr, len) || !RangeMapped(ctx, addr, len)) return -ENOMEM;
  return SafeSyscall(ctx.thread, SYS_msync, P(ctx.as.ToHost(addr)), L(len), L(a.arg[2]));
}

int64_t SysMlock(SyscallContext& ctx, const SyscallArgs& a) {
  if (!ctx.as.Contains(a.arg[0], a.arg[1]) || !RangeMapped(ctx, mem::PageDown(a.arg[0]), a.arg[1])) {
    return -ENOMEM;
  }
  return HostCall(SYS_mlock, P(ctx.as.ToHost(a.arg[0])), L(a.arg[1]));
}

int64_t SysMlock2(SyscallContext& ctx, const SyscallArgs& a) {
  if (!ctx.as.Contains(a.arg[0], a.arg[1]) || !RangeMapped(ctx, mem::PageDown(a.arg[0]), a.arg[1])) {
    return -ENOMEM;
  }
  return HostCall(SYS_mlock2, P(ctx.as.ToHost(a.arg[0])), L(a.arg[1]), L(a.arg[2]));
}

int64_t SysMunlock(SyscallContext& ctx, const SyscallArgs& a) {
  if (!ctx.as.Contains(a.arg[0], a.arg[1]) || !RangeMapped(ctx, mem::PageDown(a.arg[0]), a.arg[1])) {
    return -ENOMEM;
  }
  return HostCall(SYS_munlock, P(ctx.as.ToHost(a.arg[0])), L(a.arg[1]));
}

int64_t SysMincore(SyscallContext& ctx, const SyscallArgs& a) {
  const uint64_t addr = a.arg[0];
  if (addr % mem::kPageSize != 0) return -EINVAL;
  const uint64_t len = mem::PageUp(a.arg[1]);
  if (!ctx.as.Contains(addr, len) || !RangeMapped(ctx, addr, len)) return -ENOMEM;
  void* vec = ctx.Buf(a.arg[2], len / mem::kPageSize);
  if (!vec) return -EFAULT;
  return HostCall(SYS_mincore, P(ctx.as.ToHost(addr)), L(len), P(vec));
}

int64_t SysRiscvFlushIcache(SyscallContext& ctx, const SyscallArgs& a) {
  if (a.arg[2] & ~uint64_t{1}) return -EINVAL;  // SYS_RISCV_FLUSH_ICACHE_LOCAL is the only flag
  const uint64_t start = a.arg[0], end = a.arg[1];
  if (end > start && ctx.as.Contains(start, end - start)) {
    ctx.proc.engine().InvalidateCode(start, end - start);
  } else {
    ctx.proc.engine().InvalidateCode(0, ctx.as.limit());
  }
  return 0;
}

int64_t SysMembarrier(SyscallContext&, const SyscallArgs& a) {
  // Guest threads are host threads of this process: the host's barrier covers them.
  return HostCall(SYS_membarrier, L(a.arg[0]), L(a.arg[1]), L(a.arg[2]));
}

}  // namespace polyvm::linux
