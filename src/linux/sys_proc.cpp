// Process identity and limits: ids, uname (machine = the guest's), sysinfo, rlimits (AS, DATA and
// STACK kept by polyvm, as they would otherwise constrain polyvm's own reservation), rusage,
// prctl, personality, scheduling, credentials.
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include <cstring>
#include <mutex>

#include "polyvm/linux/process.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

// Limits the guest may set without the host applying them to polyvm.
struct EmulatedLimits {
  std::mutex mu;
  bool set[RLIM_NLIMITS] = {};
  struct rlimit value[RLIM_NLIMITS] = {};
};
EmulatedLimits g_limits;

bool Emulated(int resource) {
  return resource == RLIMIT_AS || resource == RLIMIT_DATA || resource == RLIMIT_STACK;
}

int64_t LocalPrlimit(SyscallContext& ctx, int resource, uint64_t new_addr, uint64_t old_addr) {
  if (resource < 0 || resource >= RLIM_NLIMITS) return -EINVAL;
  struct rlimit nv;
  if (new_addr != 0) {
    if (mem::ReadGuest(ctx.as, new_addr, nv) != 0) return -EFAULT;
    if (nv.rlim_cur > nv.rlim_max) return -EINVAL;
  }
  if (!Emulated(resource)) {
    struct rlimit ov;
    int64_t r = HostCall(SYS_prlimit64, 0, resource, new_addr ? P(&nv) : 0, P(&ov));
    if (r < 0) return r;
    if (old_addr != 0 && mem::WriteGuest(ctx.as, old_addr, ov) != 0) return -EFAULT;
    return 0;
  }
  std::lock_guard lock(g_limits.mu);
  struct rlimit ov;
  if (g_limits.set[resource]) {
    ov = g_limits.value[resource];
  } else {
    getrlimit(resource, &ov);
  }
  if (new_addr != 0) {
    if (nv.rlim_max > ov.rlim_max && geteuid() != 0) return -EPERM;
    g_limits.set[resource] = true;
    g_limits.value[resource] = nv;
  }
  if (old_addr != 0 && mem::WriteGuest(ctx.as, old_addr, ov) != 0) return -EFAULT;
  return 0;
}

}  // namespace

int64_t SysGetpid(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_getpid); }
int64_t SysGetppid(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_getppid); }
int64_t SysGettid(SyscallContext& ctx, const SyscallArgs&) { return ctx.thread.tid; }
int64_t SysGetuid(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_getuid); }
int64_t SysGeteuid(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_geteuid); }
int64_t SysGetgid(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_getgid); }
int64_t SysGetegid(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_getegid); }

int64_t SysGetresuid(SyscallContext& ctx, const SyscallArgs& a) {
  uint32_t id[3];
  int64_t r = HostCall(SYS_getresuid, P(&id[0]), P(&id[1]), P(&id[2]));
  if (r < 0) return r;
  for (int i = 0; i < 3; ++i) {
    if (mem::WriteGuest(ctx.as, a.arg[i], id[i]) != 0) return -EFAULT;
  }
  return 0;
}

int64_t SysGetresgid(SyscallContext& ctx, const SyscallArgs& a) {
  uint32_t id[3];
  int64_t r = HostCall(SYS_getresgid, P(&id[0]), P(&id[1]), P(&id[2]));
  if (r < 0) return r;
  for (int i = 0; i < 3; ++i) {
    if (mem::WriteGuest(ctx.as, a.arg[i], id[i]) != 0) return -EFAULT;
  }
  return 0;
}

// The credential calls are per thread in the kernel (glibc broadcasts them to every thread with
// SIGSETXID), so the raw host calls keep the guest's semantics.
int64_t SysSetuid(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_setuid, L(a.arg[0])); }
int64_t SysSetgid(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_setgid, L(a.arg[0])); }
int64_t SysSetreuid(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_setreuid, L(a.arg[0]), L(a.arg[1]));
}
int64_t SysSetregid(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_setregid, L(a.arg[0]), L(a.arg[1]));
}
int64_t SysSetresuid(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_setresuid, L(a.arg[0]), L(a.arg[1]), L(a.arg[2]));
}
int64_t SysSetresgid(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_setresgid, L(a.arg[0]), L(a.arg[1]), L(a.arg[2]));
}
int64_t SysSetfsuid(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_setfsuid, L(a.arg[0])); }
int64_t SysSetfsgid(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_setfsgid, L(a.arg[0])); }

int64_t SysGetgroups(SyscallContext& ctx, const SyscallArgs& a) {
  const int64_t n = static_cast<int32_t>(a.arg[0]);
  if (n < 0) return -EINVAL;
  void* list = n ? ctx.Buf(a.arg[1], static_cast<uint64_t>(n) * 4) : nullptr;
  if (n && !list) return -EFAULT;
  return HostCall(SYS_getgroups, n, P(list));
}

int64_t SysSetgroups(SyscallContext& ctx, const SyscallArgs& a) {
  const int64_t n = static_cast<int32_t>(a.arg[0]);
  if (n < 0 || n > 65536) return -EINVAL;
  void* list = n ? ctx.Buf(a.arg[1], static_cast<uint64_t>(n) * 4) : nullptr;
  if (n && !list) return -EFAULT;
  return HostCall(SYS_setgroups, n, P(list));
}

int64_t SysSetpgid(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_setpgid, Fd(a.arg[0]), Fd(a.arg[1]));
}
int64_t SysGetpgid(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_getpgid, Fd(a.arg[0])); }
int64_t SysGetsid(SyscallContext&, const SyscallArgs& a) { return HostCall(SYS_getsid, Fd(a.arg[0])); }
int64_t SysSetsid(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_setsid); }

int64_t SysUname(SyscallContext& ctx, const SyscallArgs& a) {
  struct utsname u;
  if (uname(&u) != 0) return -errno;
  std::memset(u.machine, 0, sizeof u.machine);
  std::string_view m = ctx.abi.Name();
  std::memcpy(u.machine, m.data(), std::min(m.size(), sizeof u.machine - 1));
  return mem::WriteGuest(ctx.as, a.arg[0], u) == 0 ? 0 : -EFAULT;
}

int64_t SysSethostname(SyscallContext& ctx, const SyscallArgs& a) {
  void* name = ctx.Buf(a.arg[0], a.arg[1]);
  if (!name) return -EFAULT;
  return HostCall(SYS_sethostname, P(name), L(a.arg[1]));
}

int64_t SysSetdomainname(SyscallContext& ctx, const SyscallArgs& a) {
  void* name = ctx.Buf(a.arg[0], a.arg[1]);
  if (!name) return -EFAULT;
  return HostCall(SYS_setdomainname, P(name), L(a.arg[1]));
}

int64_t SysSysinfo(SyscallContext& ctx, const SyscallArgs& a) {
  void* info = ctx.Buf(a.arg[0], sizeof(struct sysinfo));
  if (!info) return -EFAULT;
  return HostCall(SYS_sysinfo, P(info));
}

int64_t SysGetrlimit(SyscallContext& ctx, const SyscallArgs& a) {
  return LocalPrlimit(ctx, static_cast<int>(a.arg[0]), 0, a.arg[1]);
}

int64_t SysSetrlimit(SyscallContext& ctx, const SyscallArgs& a) {
  return LocalPrlimit(ctx, static_cast<int>(a.arg[0]), a.arg[1], 0);
}

int64_t SysPrlimit64(SyscallContext& ctx, const SyscallArgs& a) {
  const int pid = Fd(a.arg[0]);
  if (pid == 0 || pid == getpid()) {
    return LocalPrlimit(ctx, static_cast<int>(a.arg[1]), a.arg[2], a.arg[3]);
  }
  bool bad = false;
  void* nv = OptBuf(ctx, a.arg[2], 16, &bad);
  void* ov = OptBuf(ctx, a.arg[3], 16, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_prlimit64, pid, L(a.arg[1]), P(nv), P(ov));
}

int64_t SysGetrusage(SyscallContext& ctx, const SyscallArgs& a) {
  void* ru = ctx.Buf(a.arg[1], sizeof(struct rusage));
  if (!ru) return -EFAULT;
  return HostCall(SYS_getrusage, Fd(a.arg[0]), P(ru));
}

int64_t SysPrctl(SyscallContext& ctx, const SyscallArgs& a) {
  const int option = static_cast<int>(a.arg[0]);
  switch (option) {
    case PR_SET_NAME: {
      // Like strncpy_from_user(comm, arg, 15): stops at a NUL, need not find one.
      char name[16] = {};
      for (int i = 0; i < 15; ++i) {
        if (mem::CopyFromGuest(ctx.as, &name[i], a.arg[1] + static_cast<uint64_t>(i), 1) != 0) {
          if (i == 0) return -EFAULT;
          break;
        }
        if (name[i] == 0) break;
      }
      return HostCall(SYS_prctl, option, P(name));
    }
    case PR_GET_NAME: {
      char name[16] = {};
      int64_t r = HostCall(SYS_prctl, option, P(name));
      if (r < 0) return r;
      return mem::CopyToGuest(ctx.as, a.arg[1], name, sizeof name) == 0 ? 0 : -EFAULT;
    }
    case PR_SET_PDEATHSIG: {
      int sig = static_cast<int>(a.arg[1]);
      int host = sig == 0 ? 0 : GuestToHostSignal(sig);
      if (sig != 0 && host == 0) return -EINVAL;
      return HostCall(SYS_prctl, option, host);
    }
    case PR_GET_PDEATHSIG: {
      int host = 0;
      int64_t r = HostCall(SYS_prctl, option, P(&host));
      if (r < 0) return r;
      int32_t g = host ? HostToGuestSignal(host) : 0;
      return mem::WriteGuest(ctx.as, a.arg[1], g) == 0 ? 0 : -EFAULT;
    }
    case PR_GET_CHILD_SUBREAPER: {
      void* p = ctx.Buf(a.arg[1], 4);
      if (!p) return -EFAULT;
      return HostCall(SYS_prctl, option, P(p));
    }
    case PR_GET_DUMPABLE: case PR_SET_DUMPABLE: case PR_GET_KEEPCAPS: case PR_SET_KEEPCAPS:
    case PR_SET_NO_NEW_PRIVS: case PR_GET_NO_NEW_PRIVS: case PR_SET_TIMERSLACK:
    case PR_GET_TIMERSLACK: case PR_SET_CHILD_SUBREAPER: case PR_CAPBSET_READ:
      return HostCall(SYS_prctl, option, L(a.arg[1]), L(a.arg[2]), L(a.arg[3]), L(a.arg[4]));
    default:
      // Includes PR_SET_SECCOMP (a filter would apply to polyvm itself) and PR_SET_MM.
      return -EINVAL;
  }
}

int64_t SysPersonality(SyscallContext&, const SyscallArgs& a) {
  const uint32_t persona = static_cast<uint32_t>(a.arg[0]);
  // Only PER_LINUX with flags polyvm does not need to emulate; READ_IMPLIES_EXEC and address
  // layout flags are refused rather than silently ignored.
  if (persona != 0xffffffffu && (persona & 0xff) != 0) return -EINVAL;
  return HostCall(SYS_personality, persona);
}

int64_t SysGetcpu(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* cpu = OptBuf(ctx, a.arg[0], 4, &bad);
  void* node = OptBuf(ctx, a.arg[1], 4, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_getcpu, P(cpu), P(node), 0);
}

int64_t SysGetpriority(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_getpriority, Fd(a.arg[0]), Fd(a.arg[1]));
}
int64_t SysSetpriority(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_setpriority, Fd(a.arg[0]), Fd(a.arg[1]), Fd(a.arg[2]));
}

int64_t SysSchedYield(SyscallContext&, const SyscallArgs&) { return HostCall(SYS_sched_yield); }
int64_t SysSchedGetPriorityMax(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_sched_get_priority_max, Fd(a.arg[0]));
}
int64_t SysSchedGetPriorityMin(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_sched_get_priority_min, Fd(a.arg[0]));
}
int64_t SysSchedGetscheduler(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_sched_getscheduler, Fd(a.arg[0]));
}

int64_t SysSchedSetscheduler(SyscallContext& ctx, const SyscallArgs& a) {
  void* param = ctx.Buf(a.arg[2], 4);
  if (!param) return -EFAULT;
  return HostCall(SYS_sched_setscheduler, Fd(a.arg[0]), Fd(a.arg[1]), P(param));
}

int64_t SysSchedSetparam(SyscallContext& ctx, const SyscallArgs& a) {
  void* param = ctx.Buf(a.arg[1], 4);
  if (!param) return -EFAULT;
  return HostCall(SYS_sched_setparam, Fd(a.arg[0]), P(param));
}

int64_t SysSchedGetparam(SyscallContext& ctx, const SyscallArgs& a) {
  void* param = ctx.Buf(a.arg[1], 4);
  if (!param) return -EFAULT;
  return HostCall(SYS_sched_getparam, Fd(a.arg[0]), P(param));
}

int64_t SysSchedRrGetInterval(SyscallContext& ctx, const SyscallArgs& a) {
  void* ts = ctx.Buf(a.arg[1], 16);
  if (!ts) return -EFAULT;
  return HostCall(SYS_sched_rr_get_interval, Fd(a.arg[0]), P(ts));
}

int64_t SysSchedGetaffinity(SyscallContext& ctx, const SyscallArgs& a) {
  void* mask = ctx.Buf(a.arg[2], a.arg[1]);
  if (!mask) return -EFAULT;
  return HostCall(SYS_sched_getaffinity, Fd(a.arg[0]), L(a.arg[1]), P(mask));
}

int64_t SysSchedSetaffinity(SyscallContext& ctx, const SyscallArgs& a) {
  void* mask = ctx.Buf(a.arg[2], a.arg[1]);
  if (!mask) return -EFAULT;
  return HostCall(SYS_sched_setaffinity, Fd(a.arg[0]), L(a.arg[1]), P(mask));
}

// struct sched_attr is the same on every Linux; its first field is its size.
int64_t SysSchedSetattr(SyscallContext& ctx, const SyscallArgs& a) {
  uint32_t size;
  if (mem::ReadGuest(ctx.as, a.arg[1], size) != 0) return -EFAULT;
  if (size > 4096) return -E2BIG;
  void* attr = ctx.Buf(a.arg[1], size < 48 ? 48 : size);
  if (!attr) return -EFAULT;
  return HostCall(SYS_sched_setattr, Fd(a.arg[0]), P(attr), L(a.arg[2]));
}

int64_t SysSchedGetattr(SyscallContext& ctx, const SyscallArgs& a) {
  if (a.arg[2] > 4096) return -EINVAL;
  void* attr = ctx.Buf(a.arg[1], a.arg[2]);
  if (!attr) return -EFAULT;
  return HostCall(SYS_sched_getattr, Fd(a.arg[0]), P(attr), L(a.arg[2]), L(a.arg[3]));
}

int64_t SysCapget(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* hdr = ctx.Buf(a.arg[0], 8);
  void* data = OptBuf(ctx, a.arg[1], 24, &bad);
  if (!hdr || bad) return -EFAULT;
  return HostCall(SYS_capget, P(hdr), P(data));
}

int64_t SysCapset(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* hdr = ctx.Buf(a.arg[0], 8);
  void* data = OptBuf(ctx, a.arg[1], 24, &bad);
  if (!hdr || bad) return -EFAULT;
  return HostCall(SYS_capset, P(hdr), P(data));
}

}  // namespace polyvm::linux
