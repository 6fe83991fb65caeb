// The signal syscalls: dispositions, masks, waiting, sending, sigaltstack and rt_sigreturn.
// Sending goes through the host (guest tids are host tids) except when the guest kills itself with
// a signal whose default action ends it, which polyvm does directly so it can report the pc.
#include <cstring>

#include "polyvm/linux/process.h"
#include "signal_delivery.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

bool ValidSignal(uint64_t sig) { return sig >= 1 && sig <= static_cast<uint64_t>(kGuestNsig); }

bool KillsByDefault(Process& p, int sig) {
  if (p.HandlerOf(sig) != kSigDfl) return false;
  DefaultAction d = DefaultActionOf(sig);
  return d == DefaultAction::kTerminate || d == DefaultAction::kCore;
}

// The guest sends `sig` to itself: to its calling thread (tkill/tgkill), or to its process (kill).
int64_t SignalSelf(SyscallContext& ctx, int sig, int host_sig, bool whole_process) {
  Thread& t = ctx.thread;
  if (!(t.sigmask & SigBit(sig)) && KillsByDefault(ctx.proc, sig)) {
    DieOfGuestSignal(t, sig, "(raised by the guest)", t.syscall_pc);
  }
  if (host_sig == 0) {  // no host counterpart: queue it ourselves
    GuestSigInfo info;
    info.signo = sig;
    info.code = whole_process ? SI_USER : SI_TKILL;
    info.u.kill.pid = getpid();
    info.u.kill.uid = getuid();
    QueueSignal(t, sig, info);
    return 0;
  }
  // Through the host, so that si_code (SI_USER or SI_TKILL) and delivery are the kernel's.
  return whole_process ? HostCall(SYS_kill, getpid(), host_sig)
                       : HostCall(SYS_tgkill, getpid(), t.tid, host_sig);
}

int64_t ReadSigaction(SyscallContext& ctx, uint64_t addr, GuestSigaction* out) {
  uint64_t raw[4] = {};
  const size_t words = ctx.abi.HasSaRestorer() ? 4 : 3;
  if (mem::CopyFromGuest(ctx.as, raw, addr, words * 8) != 0) return -EFAULT;
  out->handler = raw[0];
  out->flags = raw[1];
  if (words == 4) {
    out->restorer = raw[2];
    out->mask = raw[3];
  } else {
    out->mask = raw[2];
  }
  return 0;
}

int64_t WriteSigaction(SyscallContext& ctx, uint64_t addr, const GuestSigaction& act) {
  uint64_t raw[4];
  size_t words;
  if (ctx.abi.HasSaRestorer()) {
    raw[0] = act.handler, raw[1] = act.flags, raw[2] = act.restorer, raw[3] = act.mask;
    words = 4;
  } else {
    raw[0] = act.handler, raw[1] = act.flags, raw[2] = act.mask;
    words = 3;
  }
  return mem::CopyToGuest(ctx.as, addr, raw, words * 8) == 0 ? 0 : -EFAULT;
}

}  // namespace

int64_t SysRtSigaction(SyscallContext& ctx, const SyscallArgs& a) {
  if (a.arg[3] != 8) return -EINVAL;
  if (!ValidSignal(a.arg[0])) return -EINVAL;
  const int sig = static_cast<int>(a.arg[0]);
  GuestSigaction nv;
  if (a.arg[1] != 0) {
    if (sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
    if (int64_t r = ReadSigaction(ctx, a.arg[1], &nv); r != 0) return r;
    nv.mask &= ~kUnblockable;
  }
  GuestSigaction old = ctx.proc.GetAction(sig);
  if (a.arg[2] != 0) {
    if (int64_t r = WriteSigaction(ctx, a.arg[2], old); r != 0) return r;
  }
  if (a.arg[1] != 0) {
    ctx.proc.SetAction(sig, nv);
    UpdateHostAction(ctx.proc, sig);
    if (nv.handler == kSigIgn) {  // a pending ignored signal is discarded (POSIX)
      GuestSigInfo dummy;
      DequeueSignal(ctx.thread, SigBit(sig), &dummy);
    }
  }
  return 0;
}

int64_t SysRtSigprocmask(SyscallContext& ctx, const SyscallArgs& a) {
  if (a.arg[3] != 8) return -EINVAL;
  Thread& t = ctx.thread;
  const uint64_t old = t.sigmask;
  if (a.arg[1] != 0) {
    uint64_t set;
    if (mem::ReadGuest(ctx.as, a.arg[1], set) != 0) return -EFAULT;
    uint64_t mask;
    switch (a.arg[0]) {
      case SIG_BLOCK: mask = old | set; break;
      case SIG_UNBLOCK: mask = old & ~set; break;
      case SIG_SETMASK: mask = set; break;
      default: return -EINVAL;
    }
    if (a.arg[2] != 0 && mem::WriteGuest(ctx.as, a.arg[2], old) != 0) return -EFAULT;
    SetThreadMask(t, mask);
    return 0;
  }
  if (a.arg[2] != 0 && mem::WriteGuest(ctx.as, a.arg[2], old) != 0) return -EFAULT;
  return 0;
}

int64_t SysRtSigpending(SyscallContext& ctx, const SyscallArgs& a) {
  if (a.arg[1] > 8) return -EINVAL;
  uint64_t set = PendingSignalsOf(ctx.thread) & ctx.thread.sigmask;
  return mem::CopyToGuest(ctx.as, a.arg[0], &set, a.arg[1]) == 0 ? 0 : -EFAULT;
}

int64_t SysRtSigsuspend(SyscallContext& ctx, const SyscallArgs& a) {
  if (a.arg[1] != 8) return -EINVAL;
  uint64_t mask;
  if (mem::ReadGuest(ctx.as, a.arg[0], mask) != 0) return -EFAULT;
  Thread& t = ctx.thread;
  t.saved_mask = t.sigmask;
  t.restore_mask = true;
  SetThreadMask(t, mask);
  // Wait until a signal the new mask lets through has been queued (ppoll with no descriptors
  // blocks until a handler runs; SafeSyscall closes the race with one queued just before). The
  // interrupt flag is cleared first: a signal queued earlier but blocked must not make the wait
  // return at once, forever.
  for (;;) {
    t.state->interrupt_request.store(0);
    if (DeliverableSignals(t) != 0) break;
    SafeSyscall(t, SYS_ppoll, 0, 0, 0, 0, 8);
  }
  return -EINTR;
}

int64_t SysRtSigtimedwait(SyscallContext& ctx, const SyscallArgs& a) {
  if (a.arg[3] != 8) return -EINVAL;
  uint64_t set;
  if (mem::ReadGuest(ctx.as, a.arg[0], set) != 0) return -EFAULT;
  set &= ~kUnblockable;
  bool bad = false;
  void* ts = OptBuf(ctx, a.arg[2], 16, &bad);
  if (bad) return -EFAULT;
  Thread& t = ctx.thread;
  auto take_queued = [&](int64_t* result) {
    GuestSigInfo info;
    int sig = DequeueSignal(t, set, &info);
    if (sig == 0) return false;
    if (a.arg[1] != 0 && mem::WriteGuest(ctx.as, a.arg[1], info) != 0) {
      *result = -EFAULT;
    } else {
      *result = sig;
    }
    return true;
  };
  int64_t result;
  if (take_queued(&result)) return result;
  sigset_t host_set;
  sigemptyset(&host_set);
  for (int g = 1; g <= kGuestNsig; ++g) {
    if (set & SigBit(g)) {
      if (int h = GuestToHostSignal(g)) sigaddset(&host_set, h);
    }
  }
  siginfo_t hinfo;
  int64_t r = SafeSyscall(t, SYS_rt_sigtimedwait, P(&host_set), P(&hinfo), P(ts), 8);
  if (r > 0) {
    GuestSigInfo info = SigInfoFromHost(hinfo);
    if (a.arg[1] != 0 && mem::WriteGuest(ctx.as, a.arg[1], info) != 0) return -EFAULT;
    return HostToGuestSignal(static_cast<int>(r));
  }
  if ((r == -EINTR || r == kRestartSys) && take_queued(&result)) return result;
  return NoRestart(r);
}

int64_t SysRtSigreturn(SyscallContext& ctx, const SyscallArgs&) { return SignalReturn(ctx.thread); }

int64_t SysSigaltstack(SyscallContext& ctx, const SyscallArgs& a) {
  Thread& t = ctx.thread;
  const uint64_t sp = ctx.abi.GetSp(t.state);
  const bool on_alt = t.altstack.size != 0 && sp > t.altstack.sp && sp - t.altstack.sp <= t.altstack.size;
  struct {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
  } cur = {t.altstack.sp,
           (on_alt ? kSsOnStack : (t.altstack.size == 0 ? kSsDisable : 0)) |
               (t.altstack.flags & kSsAutoDisarm),
           0, t.altstack.size};
  static_assert(sizeof cur == 24);
  if (a.arg[0] != 0) {
    decltype(cur) nv;
    if (mem::ReadGuest(ctx.as, a.arg[0], nv) != 0) return -EFAULT;
    if (on_alt) return -EPERM;
    const int mode = nv.flags & ~kSsAutoDisarm;
    if (mode != kSsDisable && mode != kSsOnStack && mode != 0) return -EINVAL;
    if (mode == kSsDisable) {
      t.altstack = {0, kSsDisable, 0};
    } else {
      if (nv.size < ctx.abi.MinSigStackSize()) return -ENOMEM;
      t.altstack = {nv.sp, nv.flags & kSsAutoDisarm, nv.size};
    }
  }
  if (a.arg[1] != 0 && mem::WriteGuest(ctx.as, a.arg[1], cur) != 0) return -EFAULT;
  return 0;
}

int64_t SysKill(SyscallContext& ctx, const SyscallArgs& a) {
  const int pid = Fd(a.arg[0]);
  const int sig = static_cast<int>(a.arg[1]);
  if (sig == 0) return HostCall(SYS_kill, pid, 0);
  if (!ValidSignal(a.arg[1])) return -EINVAL;
  const int host = GuestToHostSignal(sig);
  if (pid == getpid()) return SignalSelf(ctx, sig, host, true);
  if (host == 0) return -EINVAL;
  return HostCall(SYS_kill, pid, host);
}

int64_t SysTkill(SyscallContext& ctx, const SyscallArgs& a) {
  const int tid = Fd(a.arg[0]);
  const int sig = static_cast<int>(a.arg[1]);
  if (tid <= 0) return -EINVAL;
  if (sig == 0) return HostCall(SYS_tkill, tid, 0);
  if (!ValidSignal(a.arg[1])) return -EINVAL;
  const int host = GuestToHostSignal(sig);
  if (tid == ctx.thread.tid) return SignalSelf(ctx, sig, host, false);
  if (host == 0) return -EINVAL;
  return HostCall(SYS_tkill, tid, host);
}

int64_t SysTgkill(SyscallContext& ctx, const SyscallArgs& a) {
  const int tgid = Fd(a.arg[0]), tid = Fd(a.arg[1]);
  const int sig = static_cast<int>(a.arg[2]);
  if (tgid <= 0 || tid <= 0) return -EINVAL;
  if (sig == 0) return HostCall(SYS_tgkill, tgid, tid, 0);
  if (!ValidSignal(a.arg[2])) return -EINVAL;
  const int host = GuestToHostSignal(sig);
  if (tgid == getpid() && tid == ctx.thread.tid) return SignalSelf(ctx, sig, host, false);
  if (host == 0) return -EINVAL;
  return HostCall(SYS_tgkill, tgid, tid, host);
}

int64_t SysRtSigqueueinfo(SyscallContext& ctx, const SyscallArgs& a) {
  if (!ValidSignal(a.arg[1])) return -EINVAL;
  const int host = GuestToHostSignal(static_cast<int>(a.arg[1]));
  if (host == 0) return -EINVAL;
  siginfo_t info;
  if (mem::CopyFromGuest(ctx.as, &info, a.arg[2], sizeof info) != 0) return -EFAULT;
  info.si_signo = host;
  return HostCall(SYS_rt_sigqueueinfo, Fd(a.arg[0]), host, P(&info));
}

int64_t SysRtTgsigqueueinfo(SyscallContext& ctx, const SyscallArgs& a) {
  if (!ValidSignal(a.arg[2])) return -EINVAL;
  const int host = GuestToHostSignal(static_cast<int>(a.arg[2]));
  if (host == 0) return -EINVAL;
  siginfo_t info;
  if (mem::CopyFromGuest(ctx.as, &info, a.arg[3], sizeof info) != 0) return -EFAULT;
  info.si_signo = host;
  return HostCall(SYS_rt_tgsigqueueinfo, Fd(a.arg[0]), Fd(a.arg[1]), host, P(&info));
}

}  // namespace polyvm::linux
