// Clocks, sleeps, interval timers and POSIX timers. timespec, timeval, itimerspec, itimerval and
// tms have one layout on every 64-bit guest and the host, so guest buffers are used in place; the
// only translation is the signal number inside a sigevent.
#include <time.h>

#include <cstring>

#include "sys_util.h"

namespace polyvm::linux {

int64_t SysClockGettime(SyscallContext& ctx, const SyscallArgs& a) {
  void* ts = ctx.Buf(a.arg[1], 16);
  if (!ts) return -EFAULT;
  return HostCall(SYS_clock_gettime, Fd(a.arg[0]), P(ts));
}

int64_t SysClockGetres(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* ts = OptBuf(ctx, a.arg[1], 16, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_clock_getres, Fd(a.arg[0]), P(ts));
}

int64_t SysClockSettime(SyscallContext& ctx, const SyscallArgs& a) {
  void* ts = ctx.Buf(a.arg[1], 16);
  if (!ts) return -EFAULT;
  return HostCall(SYS_clock_settime, Fd(a.arg[0]), P(ts));
}

int64_t SysGettimeofday(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* tv = OptBuf(ctx, a.arg[0], 16, &bad);
  void* tz = OptBuf(ctx, a.arg[1], 8, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_gettimeofday, P(tv), P(tz));
}

int64_t SysSettimeofday(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* tv = OptBuf(ctx, a.arg[0], 16, &bad);
  void* tz = OptBuf(ctx, a.arg[1], 8, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_settimeofday, P(tv), P(tz));
}

int64_t SysNanosleep(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* req = ctx.Buf(a.arg[0], 16);
  void* rem = OptBuf(ctx, a.arg[1], 16, &bad);
  if (!req || bad) return -EFAULT;
  return NoRestart(SafeSyscall(ctx.thread, SYS_nanosleep, P(req), P(rem)));
}

int64_t SysClockNanosleep(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* req = ctx.Buf(a.arg[2], 16);
  void* rem = OptBuf(ctx, a.arg[3], 16, &bad);
  if (!req || bad) return -EFAULT;
  return NoRestart(SafeSyscall(ctx.thread, SYS_clock_nanosleep, Fd(a.arg[0]), L(a.arg[1]), P(req),
                               P(rem)));
}

int64_t SysTimes(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* buf = OptBuf(ctx, a.arg[0], 32, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_times, P(buf));
}

int64_t SysGetitimer(SyscallContext& ctx, const SyscallArgs& a) {
  void* cur = ctx.Buf(a.arg[1], 32);
  if (!cur) return -EFAULT;
  return HostCall(SYS_getitimer, Fd(a.arg[0]), P(cur));
}

int64_t SysSetitimer(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* nv = OptBuf(ctx, a.arg[1], 32, &bad);
  void* ov = OptBuf(ctx, a.arg[2], 32, &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_setitimer, Fd(a.arg[0]), P(nv), P(ov));
}

int64_t SysTimerCreate(SyscallContext& ctx, const SyscallArgs& a) {
  // struct sigevent: value (8), signo (4), notify (4), then a union (thread id for
  // SIGEV_THREAD_ID); 64 bytes on every 64-bit Linux.
  uint8_t ev[64];
  uint8_t* evp = nullptr;
  if (a.arg[1] != 0) {
    if (mem::CopyFromGuest(ctx.as, ev, a.arg[1], sizeof ev) != 0) return -EFAULT;
    int32_t signo, notify;
    std::memcpy(&signo, ev + 8, 4);
    std::memcpy(&notify, ev + 12, 4);
    if (notify != SIGEV_NONE) {
      int host = GuestToHostSignal(signo);
      if (host == 0) return -EINVAL;
      std::memcpy(ev + 8, &host, 4);
    }
    evp = ev;
  }
  int32_t id;
  int64_t r = HostCall(SYS_timer_create, Fd(a.arg[0]), P(evp), P(&id));
  if (r < 0) return r;
  if (mem::WriteGuest(ctx.as, a.arg[2], id) != 0) {
    HostCall(SYS_timer_delete, id);
    return -EFAULT;
  }
  return 0;
}

int64_t SysTimerSettime(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* nv = ctx.Buf(a.arg[2], 32);
  void* ov = OptBuf(ctx, a.arg[3], 32, &bad);
  if (!nv || bad) return -EFAULT;
  return HostCall(SYS_timer_settime, Fd(a.arg[0]), L(a.arg[1]), P(nv), P(ov));
}

int64_t SysTimerGettime(SyscallContext& ctx, const SyscallArgs& a) {
  void* cur = ctx.Buf(a.arg[1], 32);
  if (!cur) return -EFAULT;
  return HostCall(SYS_timer_gettime, Fd(a.arg[0]), P(cur));
}

int64_t SysTimerGetoverrun(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_timer_getoverrun, Fd(a.arg[0]));
}

int64_t SysTimerDelete(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_timer_delete, Fd(a.arg[0]));
}

}  // namespace polyvm::linux
