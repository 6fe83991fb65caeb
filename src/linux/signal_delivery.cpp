// The host signal handler, guest masks mirrored onto host masks, and delivery of queued signals
// into guest handlers, following kernel/signal.c (get_signal, handle_signal, force_sig_fault).
#include "signal_delivery.h"

#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "polyvm/core/os/fault_guard.h"
#include "polyvm/linux/process.h"
#include "polyvm/linux/syscall_table.h"
#include "safe_syscall.h"
#include "thread.h"

namespace polyvm::linux {

namespace {

Process* g_process = nullptr;
Thread* g_main_thread = nullptr;

// Async-signal-safe line building for reports written from inside the host handler.
class LineBuf {
 public:
  void Str(const char* s) {
    while (*s && n_ < sizeof buf_ - 1) buf_[n_++] = *s++;
  }
  void Str(std::string_view s) {
    for (char c : s) {
      if (n_ < sizeof buf_ - 1) buf_[n_++] = c;
    }
  }
  void Dec(long v) {
    char tmp[24];
    int i = 0;
    bool neg = v < 0;
    unsigned long u = neg ? 0ul - static_cast<unsigned long>(v) : static_cast<unsigned long>(v);
    do {
      tmp[i++] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u);
    if (neg) tmp[i++] = '-';
    while (i > 0 && n_ < sizeof buf_ - 1) buf_[n_++] = tmp[--i];
  }
  void Write() {
    buf_[n_++] = '\n';
    ssize_t r = write(2, buf_, n_);
    (void)r;
  }

 private:
  char buf_[256];
  size_t n_ = 0;
};

[[noreturn]] void RaiseHostDefault(int host_sig) {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  signal(host_sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, host_sig);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), host_sig);
  // Signals whose default action does not kill (cannot happen for the callers) end here.
  _exit(128 + host_sig);
}

// Adds one instance of `sig`. Runs in the host handler or with host signals blocked.
void Enqueue(PendingSignals& p, int sig, const GuestSigInfo& info) {
  if (sig >= 32) {
    if (p.rt_count < PendingSignals::kRtQueueSize) p.rt_queue[p.rt_count++] = info;
    // A full queue drops the signal, as Linux does beyond RLIMIT_SIGPENDING.
  } else {
    p.info[sig] = info;
  }
  p.bits.fetch_or(SigBit(sig));
}

// A guest signal with the default "terminate" action arrived from outside: report and die now,
// from inside the handler (the thread may be blocked anywhere).
[[noreturn]] void DieInHandler(int host_sig, int guest_sig, const siginfo_t* info) {
  LineBuf line;
  line.Str("polyvm: guest killed by ");
  line.Str(SignalName(guest_sig));
  if (info->si_code <= 0) {
    if (info->si_pid == getpid()) {
      line.Str(" (sent by the guest itself)");
    } else {
      line.Str(" (sent by pid ");
      line.Dec(info->si_pid);
      line.Str(")");
    }
  }
  line.Write();
  RaiseHostDefault(host_sig);
}

void HostSignalHandler(int host_sig, siginfo_t* info, void* uc) {
  int saved_errno = errno;
  if (info->si_code > 0 &&
      (host_sig == SIGSEGV || host_sig == SIGBUS || host_sig == SIGILL || host_sig == SIGFPE ||
       host_sig == SIGTRAP)) {
    // Raised by the host CPU: inside a FaultScope this jumps back to polyvm's recovery point.
    if (host_sig == SIGSEGV || host_sig == SIGBUS) core::os::HandleHostFault(host_sig, info, uc);
    // Anywhere else it is a bug in polyvm itself: say so, and let it kill us with a core.
    LineBuf line;
    line.Str("polyvm: internal error: host ");
    line.Str(SignalName(host_sig));
    line.Str(" in polyvm itself (not in guest code)");
    line.Write();
    signal(host_sig, SIG_DFL);
    errno = saved_errno;
    return;
  }
  Process* p = g_process;
  int g = HostToGuestSignal(host_sig);
  if (p == nullptr || g == 0) {
    errno = saved_errno;
    return;
  }
  Thread* t = CurrentThread();
  if (t == nullptr) t = g_main_thread;
  // The synchronous-fault signals are never blocked on the host; one sent by kill() while the
  // guest blocks it stays pending, as in Linux.
  if (t != nullptr && (t->sigmask & SigBit(g))) {
    Enqueue(t->pending, g, SigInfoFromHost(*info));
    errno = saved_errno;
    return;
  }
  uint64_t handler = p->HandlerOf(g);
  if (handler == kSigIgn) {
    errno = saved_errno;
    return;
  }
  if (handler == kSigDfl) {
    DefaultAction d = DefaultActionOf(g);
    if (d == DefaultAction::kTerminate || d == DefaultAction::kCore) DieInHandler(host_sig, g, info);
    errno = saved_errno;
    return;
  }
  if (t != nullptr) Enqueue(t->pending, g, SigInfoFromHost(*info));
  if (t != nullptr) t->state->interrupt_request.store(1);
  RewindSafeSyscall(uc);
  errno = saved_errno;
}

// Blocks every host signal on the calling thread for its lifetime (queue access).
class HostSignalsBlocked {
 public:
  HostSignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old_);
  }
  ~HostSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

bool OnAltStack(const Thread& t, uint64_t sp) {
  return t.altstack.size != 0 && sp > t.altstack.sp && sp - t.altstack.sp <= t.altstack.size;
}

std::string Hex(uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// handle_signal(): the frame, the handler's mask, SA_RESETHAND. Returns false if the frame could
// not be written (the caller kills the guest with SIGSEGV, as force_sigsegv does).
bool SetupHandler(Thread& t, int sig, const GuestSigInfo& info, const GuestSigaction& act) {
  Process& p = t.proc;
  const GuestAbi& abi = p.abi();
  if (t.restart_pending) {
    t.restart_pending = false;
    if (!(act.flags & kSaRestart)) {
      t.state->pc = t.syscall_pc + abi.SyscallInsnLength();
      abi.SetSyscallResult(t.state, -EINTR);
    }
    // With SA_RESTART the pc stays on the syscall instruction: sigreturn comes back to it.
  }
  uint64_t sp = abi.GetSp(t.state);
  const bool on_alt = OnAltStack(t, sp);
  AltStack saved = t.altstack;
  saved.flags = on_alt ? kSsOnStack : (t.altstack.size == 0 ? kSsDisable : 0);
  saved.flags |= t.altstack.flags & kSsAutoDisarm;
  if ((act.flags & kSaOnStack) && t.altstack.size != 0 && !on_alt) {
    sp = t.altstack.sp + t.altstack.size;
    if (t.altstack.flags & kSsAutoDisarm) t.altstack = {0, kSsDisable, 0};
  }
  SignalFrameRequest req;
  req.signo = sig;
  req.info = &info;
  req.handler = act.handler;
  req.restorer = (abi.HasSaRestorer() && (act.flags & kSaRestorer)) ? act.restorer : p.trampoline();
  req.siginfo = (act.flags & kSaSigInfo) != 0;
  req.frame_sp = sp;
  req.saved_mask = t.restore_mask ? t.saved_mask : t.sigmask;
  req.altstack = saved;
  req.fault_code = t.fault_code;
  if (abi.SetupSignalFrame(p.as(), t.state, req) != 0) return false;
  t.restore_mask = false;
  uint64_t mask = t.sigmask | act.mask;
  if (!(act.flags & kSaNoDefer)) mask |= SigBit(sig);
  SetThreadMask(t, mask);
  if (act.flags & kSaResetHand) {
    GuestSigaction reset = act;
    reset.handler = kSigDfl;
    reset.flags &= ~kSaSigInfo;
    p.SetAction(sig, reset);
    UpdateHostAction(p, sig);
  }
  p.signals_delivered.fetch_add(1, std::memory_order_relaxed);
  return true;
}

[[noreturn]] void DieFrameFailure(Thread& t, int sig) {
  t.proc.DieOfSignal(SIGSEGV, "polyvm: guest killed by SIGSEGV at pc " + Hex(t.state->pc) +
                                  ": cannot write the frame for " + std::string(SignalName(sig)) +
                                  " on the guest stack at " + Hex(t.proc.abi().GetSp(t.state)));
}

}  // namespace

void HostSigset(uint64_t guest_mask, sigset_t* out) {
  sigemptyset(out);
  guest_mask &= ~(kSynchronousSignals | kUnblockable);
  for (int g = 1; g <= kGuestNsig; ++g) {
    if (!(guest_mask & SigBit(g))) continue;
    if (int h = GuestToHostSignal(g)) sigaddset(out, h);
  }
}

uint64_t GuestMaskFromHost(const sigset_t& set) {
  uint64_t mask = 0;
  for (int h = 1; h <= SIGRTMAX; ++h) {
    if (sigismember(&set, h) == 1) {
      if (int g = HostToGuestSignal(h)) mask |= SigBit(g);
    }
  }
  return mask;
}

void SetThreadMask(Thread& t, uint64_t mask) {
  t.sigmask = mask & ~kUnblockable;
  sigset_t set;
  HostSigset(t.sigmask, &set);
  pthread_sigmask(SIG_SETMASK, &set, nullptr);
}

void UpdateHostAction(Process& proc, int g) {
  int h = GuestToHostSignal(g);
  if (h == 0 || g == SIGKILL || g == SIGSTOP) return;
  GuestSigaction act = proc.GetAction(g);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sigfillset(&sa.sa_mask);
  // SA_RESTART on the host handler makes the host kernel rewind an interrupted blocking call to
  // its syscall instruction, inside the SafeSyscall window: the guest's own SA_RESTART then
  // decides (see safe_syscall.h).
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sa.sa_sigaction = HostSignalHandler;
  if (kSynchronousSignals & SigBit(g)) {
    if (g == SIGSEGV || g == SIGBUS) {
      // The fault guard leaves by siglongjmp without restoring a mask.
      sa.sa_flags |= SA_NODEFER;
      sigemptyset(&sa.sa_mask);
    }
  } else if (act.handler == kSigIgn) {
    sa.sa_flags = 0;
    sa.sa_handler = SIG_IGN;
  } else if (act.handler == kSigDfl) {
    DefaultAction d = DefaultActionOf(g);
    if (d != DefaultAction::kTerminate && d != DefaultAction::kCore) {
      sa.sa_flags = 0;
      sa.sa_handler = SIG_DFL;
    }
  }
  if (g == SIGCHLD) sa.sa_flags |= static_cast<int>(act.flags & (kSaNoCldStop | kSaNoCldWait));
  sigaction(h, &sa, nullptr);
}

void InitSignals(Process& proc, Thread& main) {
  core::os::InstallFaultHandler();  // first, so its once-only installation cannot replace ours
  g_process = &proc;
  g_main_thread = &main;
  for (int g = 1; g <= kGuestNsig; ++g) {
    int h = GuestToHostSignal(g);
    if (h == 0 || g == SIGKILL || g == SIGSTOP) continue;
    struct sigaction old;
    if (sigaction(h, nullptr, &old) == 0 && old.sa_handler == SIG_IGN &&
        !(kSynchronousSignals & SigBit(g))) {
      GuestSigaction ign;
      ign.handler = kSigIgn;
      proc.SetAction(g, ign);
    }
    UpdateHostAction(proc, g);
  }
  sigset_t cur;
  pthread_sigmask(SIG_SETMASK, nullptr, &cur);
  SetThreadMask(main, GuestMaskFromHost(cur));
}

void QueueSignal(Thread& t, int sig, const GuestSigInfo& info) {
  HostSignalsBlocked block;
  Enqueue(t.pending, sig, info);
  t.state->interrupt_request.store(1);
}

uint64_t DeliverableSignals(const Thread& t) { return t.pending.bits.load() & ~t.sigmask; }

uint64_t PendingSignalsOf(const Thread& t) {
  sigset_t host;
  sigpending(&host);
  return (t.pending.bits.load() | GuestMaskFromHost(host));
}

int DequeueSignal(Thread& t, uint64_t set, GuestSigInfo* info) {
  // The common case, nothing queued, costs no syscall. A signal queued right after this check
  // also sets interrupt_request, so the engine comes back for it at the next block boundary.
  if ((t.pending.bits.load() & set) == 0) return 0;
  HostSignalsBlocked block;
  uint64_t avail = t.pending.bits.load() & set;
  if (!avail) return 0;
  uint64_t sync = avail & kSynchronousSignals;
  int sig = __builtin_ctzll(sync ? sync : avail) + 1;
  PendingSignals& p = t.pending;
  if (sig < 32) {
    *info = p.info[sig];
    p.bits.fetch_and(~SigBit(sig));
    return sig;
  }
  bool more = false, taken = false;
  int out = 0;
  for (int i = 0; i < p.rt_count; ++i) {
    if (p.rt_queue[i].signo == sig && !taken) {
      *info = p.rt_queue[i];
      taken = true;
      continue;
    }
    more |= p.rt_queue[i].signo == sig;
    p.rt_queue[out++] = p.rt_queue[i];
  }
  p.rt_count = out;
  if (!more) p.bits.fetch_and(~SigBit(sig));
  if (!taken) {  // the bit without a queued instance: cannot happen, but deliver a plain one
    *info = GuestSigInfo{};
    info->signo = sig;
  }
  return sig;
}

void DeliverPendingSignals(Thread& t) {
  t.state->interrupt_request.store(0, std::memory_order_relaxed);
  bool handled = false;
  for (;;) {
    GuestSigInfo info;
    int sig = DequeueSignal(t, ~t.sigmask, &info);
    if (sig == 0) break;
    GuestSigaction act = t.proc.GetAction(sig);
    if (act.handler == kSigIgn) continue;
    if (act.handler == kSigDfl) {
      switch (DefaultActionOf(sig)) {
        case DefaultAction::kIgnore:
        case DefaultAction::kContinue:
          continue;
        case DefaultAction::kStop:
          kill(getpid(), SIGSTOP);
          continue;
        case DefaultAction::kTerminate:
        case DefaultAction::kCore:
          DieOfGuestSignal(t, sig, nullptr, t.state->pc);
      }
    }
    if (!SetupHandler(t, sig, info, act)) DieFrameFailure(t, sig);
    handled = true;
  }
  // A restart nobody claimed: the syscall simply runs again (pc already on it).
  t.restart_pending = false;
  if (!handled && t.restore_mask) {
    t.restore_mask = false;
    SetThreadMask(t, t.saved_mask);
  }
}

void RaiseSynchronous(Thread& t, int sig, const GuestSigInfo& info, const std::string& report) {
  GuestSigaction act = t.proc.GetAction(sig);
  bool blocked = (t.sigmask & SigBit(sig)) != 0;
  if (act.handler != kSigDfl && act.handler != kSigIgn && !blocked) {
    if (!SetupHandler(t, sig, info, act)) DieFrameFailure(t, sig);
    return;
  }
  // force_sig_fault(): a blocked or ignored fault signal takes its default action.
  t.proc.DieOfSignal(sig, report);
}

int64_t SignalReturn(Thread& t) {
  uint64_t mask;
  AltStack alt;
  if (t.proc.abi().RestoreSignalFrame(t.proc.as(), t.state, &mask, &alt) != 0) {
    t.proc.DieOfSignal(SIGSEGV, "polyvm: guest killed by SIGSEGV at pc " + Hex(t.state->pc) +
                                    ": rt_sigreturn with no valid frame at sp " +
                                    Hex(t.proc.abi().GetSp(t.state)));
  }
  SetThreadMask(t, mask);
  // restore_altstack(): only when not running on the alternate stack right now.
  if (!OnAltStack(t, t.proc.abi().GetSp(t.state))) {
    if (alt.flags & kSsDisable) {
      t.altstack = {0, kSsDisable, 0};
    } else if (alt.size >= t.proc.abi().MinSigStackSize()) {
      t.altstack = {alt.sp, alt.flags & kSsAutoDisarm, alt.size};
    }
  }
  return kNoResult;
}

void DieOfGuestSignal(Thread& t, int sig, const char* how, uint64_t pc) {
  std::string report = "polyvm: guest killed by " + std::string(SignalName(sig));
  if (how != nullptr) {
    report += " ";
    report += how;
  }
  report += " at pc " + Hex(pc);
  t.proc.DieOfSignal(sig, report);
}

}  // namespace polyvm::linux
