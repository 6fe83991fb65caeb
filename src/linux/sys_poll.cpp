// ppoll, pselect6 and epoll. Calls with a signal mask set it on the thread for the call's duration
// (guest and host), so a signal it unblocks interrupts the call through SafeSyscall; the mask is
// put back after the handler's frame has recorded the old one, as Linux's restore_sigmask does.
#include <poll.h>
#include <sys/epoll.h>

#include <vector>

#include "signal_delivery.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

// Reads a guest sigset argument and applies it temporarily. 0 or -errno.
int64_t ApplyCallMask(SyscallContext& ctx, uint64_t set_addr, uint64_t set_size) {
  if (set_addr == 0) return 0;
  if (set_size != 8) return -EINVAL;
  uint64_t mask;
  if (mem::ReadGuest(ctx.as, set_addr, mask) != 0) return -EFAULT;
  Thread& t = ctx.thread;
  t.saved_mask = t.sigmask;
  t.restore_mask = true;
  SetThreadMask(t, mask);
  return 0;
}

// After the call: unless a signal interrupted it (its handler will see the saved mask), the old
// mask comes back now.
int64_t FinishCallMask(SyscallContext& ctx, int64_t r) {
  r = NoRestart(r);
  Thread& t = ctx.thread;
  if (t.restore_mask && r != -EINTR) {
    t.restore_mask = false;
    SetThreadMask(t, t.saved_mask);
  }
  return r;
}

int64_t EpollWait(SyscallContext& ctx, const SyscallArgs& a, long timeout_arg, bool ts_timeout) {
  const int maxevents = static_cast<int>(a.arg[2]);
  if (maxevents <= 0 || maxevents > (1 << 24)) return -EINVAL;
  if (!ctx.Buf(a.arg[1], uint64_t(maxevents) * sizeof(GenericEpollEvent))) return -EFAULT;
  // Fewer slots than asked is allowed (epoll_wait may return fewer ready events).
  std::vector<epoll_event> events(std::min(maxevents, 1024));
  if (int64_t r = ApplyCallMask(ctx, a.arg[4], a.arg[5]); r != 0) return r;
  int64_t r = SafeSyscall(ctx.thread, ts_timeout ? SYS_epoll_pwait2 : SYS_epoll_pwait,
                          Fd(a.arg[0]), P(events.data()), static_cast<long>(events.size()),
                          timeout_arg, 0, 8);
  r = FinishCallMask(ctx, r);
  if (r <= 0) return r;
  std::vector<GenericEpollEvent> out(static_cast<size_t>(r));
  for (int64_t i = 0; i < r; ++i) out[i] = {events[i].events, 0, events[i].data.u64};
  if (mem::CopyToGuest(ctx.as, a.arg[1], out.data(), out.size() * sizeof out[0]) != 0) return -EFAULT;
  return r;
}

}  // namespace

int64_t SysPpoll(SyscallContext& ctx, const SyscallArgs& a) {
  if (a.arg[1] > (1u << 20)) return -EINVAL;  // more than RLIMIT_NOFILE could ever allow
  bool bad = false;
  void* fds = ctx.Buf(a.arg[0], a.arg[1] * sizeof(struct pollfd));
  if (!fds) return -EFAULT;
  void* ts = OptBuf(ctx, a.arg[2], 16, &bad);
  if (bad) return -EFAULT;
  if (int64_t r = ApplyCallMask(ctx, a.arg[3], a.arg[4]); r != 0) return r;
  int64_t r = SafeSyscall(ctx.thread, SYS_ppoll, P(fds), L(a.arg[1]), P(ts), 0, 8);
  return FinishCallMask(ctx, r);
}

int64_t SysPselect6(SyscallContext& ctx, const SyscallArgs& a) {
  const int64_t n = static_cast<int64_t>(a.arg[0]);
  if (n < 0 || n > (1 << 20)) return -EINVAL;
  const uint64_t set_bytes = (static_cast<uint64_t>(n) + 63) / 64 * 8;
  bool bad = false;
  void* in = OptBuf(ctx, a.arg[1], set_bytes, &bad);
  void* out = OptBuf(ctx, a.arg[2], set_bytes, &bad);
  void* ex = OptBuf(ctx, a.arg[3], set_bytes, &bad);
  void* ts = OptBuf(ctx, a.arg[4], 16, &bad);
  if (bad) return -EFAULT;
  if (a.arg[5] != 0) {  // struct { const sigset_t* ss; size_t ss_len; }
    uint64_t sig[2];
    if (mem::CopyFromGuest(ctx.as, sig, a.arg[5], sizeof sig) != 0) return -EFAULT;
    if (int64_t r = ApplyCallMask(ctx, sig[0], sig[1]); r != 0) return r;
  }
  int64_t r = SafeSyscall(ctx.thread, SYS_pselect6, n, P(in), P(out), P(ex), P(ts), 0);
  return FinishCallMask(ctx, r);
}

int64_t SysEpollCreate1(SyscallContext& ctx, const SyscallArgs& a) {
  return HostCall(SYS_epoll_create1, OpenFlagsToHost(ctx, a.arg[0]));
}

int64_t SysEpollCtl(SyscallContext& ctx, const SyscallArgs& a) {
  epoll_event ev = {};
  epoll_event* evp = nullptr;
  if (a.arg[3] != 0) {
    GenericEpollEvent g;
    if (mem::ReadGuest(ctx.as, a.arg[3], g) != 0) return -EFAULT;
    ev.events = g.events;
    ev.data.u64 = g.data;
    evp = &ev;
  }
  return HostCall(SYS_epoll_ctl, Fd(a.arg[0]), Fd(a.arg[1]), Fd(a.arg[2]), P(evp));
}

int64_t SysEpollPwait(SyscallContext& ctx, const SyscallArgs& a) {
  return EpollWait(ctx, a, static_cast<int>(a.arg[3]), false);
}

int64_t SysEpollPwait2(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* ts = OptBuf(ctx, a.arg[3], 16, &bad);
  if (bad) return -EFAULT;
  return EpollWait(ctx, a, P(ts), true);
}

}  // namespace polyvm::linux
