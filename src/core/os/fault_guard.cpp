// The SIGSEGV/SIGBUS handler behind FaultScope.
#include "polyvm/core/os/fault_guard.h"

#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include <mutex>

namespace polyvm::core::os {

namespace {
thread_local FaultScope* t_scope = nullptr;
}  // namespace

FaultScope::FaultScope(uintptr_t lo, uintptr_t hi) : lo_(lo), hi_(hi), prev_(t_scope) {
  t_scope = this;
}

FaultScope::~FaultScope() { t_scope = prev_; }

void HandleHostFault(int signo, void* info_ptr, void* uctx) {
  auto* info = static_cast<siginfo_t*>(info_ptr);
  auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (FaultScope* s = t_scope; s != nullptr; s = s->prev_) {
    if (addr >= s->lo_ && addr < s->hi_) {
      s->fault_ = FaultRecord{};
      s->fault_.host_addr = addr;
      s->fault_.signo = signo;
      s->fault_.code = info->si_code;
      t_scope = s;  // scopes entered after s are gone with their frames
#if defined(__x86_64__)
      if (auto* uc = static_cast<ucontext_t*>(uctx); uc != nullptr) {
        const greg_t* g = uc->uc_mcontext.gregs;
        s->fault_.host_pc = static_cast<uintptr_t>(g[REG_RIP]);
        static constexpr int kOrder[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
                                           REG_RSI, REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                           REG_R12, REG_R13, REG_R14, REG_R15};
        for (int k = 0; k < 16; ++k) s->fault_.gregs[k] = static_cast<uint64_t>(g[kOrder[k]]);
      }
      // The kernel runs the handler with a fresh FP state (MXCSR = 0x1f80) and siglongjmp does
      // not restore it: give the jump target the interrupted code's MXCSR (rounding mode and
      // sticky exception flags, i.e. a guest's FP environment), as if the access just failed.
      if (auto* uc = static_cast<ucontext_t*>(uctx); uc != nullptr && uc->uc_mcontext.fpregs) {
        __builtin_ia32_ldmxcsr(uc->uc_mcontext.fpregs->mxcsr);
      }
#else
      (void)uctx;
#endif
      siglongjmp(s->jmp_, 1);
    }
  }
  // Not a guest access: a polyvm bug. Restore the default action; returning re-runs the faulting
  // instruction, which now kills the process with the usual core dump.
  signal(signo, SIG_DFL);
}

namespace {
void Handler(int signo, siginfo_t* info, void* uctx) { HandleHostFault(signo, info, uctx); }
}  // namespace

void InstallFaultHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = Handler;
    // SA_NODEFER: we leave the handler by siglongjmp without restoring a mask, so the signal must
    // not stay blocked afterwards.
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, nullptr);
    sigaction(SIGBUS, &sa, nullptr);
  });
}

}  // namespace polyvm::core::os
