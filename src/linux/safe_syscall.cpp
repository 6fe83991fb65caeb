// SafeSyscall's C++ side: the call through the assembly stub and the rewind in the host handler.
#include "safe_syscall.h"

#include <signal.h>
#include <ucontext.h>

#include "thread.h"

extern "C" {
int64_t polyvm_safe_syscall(const void* pending, long nr, long a1, long a2, long a3, long a4,
                            long a5, long a6);
extern const char polyvm_safe_syscall_start[];
extern const char polyvm_safe_syscall_end[];
extern const char polyvm_safe_syscall_interrupted[];
}

namespace polyvm::linux {

int64_t SafeSyscall(Thread& t, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
  return polyvm_safe_syscall(&t.state->interrupt_request, nr, a1, a2, a3, a4, a5, a6);
}

void RewindSafeSyscall(void* ucontext) {
#if defined(__x86_64__)
  auto* uc = static_cast<ucontext_t*>(ucontext);
  auto pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  if (pc >= reinterpret_cast<uintptr_t>(polyvm_safe_syscall_start) &&
      pc < reinterpret_cast<uintptr_t>(polyvm_safe_syscall_end)) {
    uc->uc_mcontext.gregs[REG_RIP] =
        static_cast<greg_t>(reinterpret_cast<uintptr_t>(polyvm_safe_syscall_interrupted));
  }
#else
#error "SafeSyscall needs a port to this host architecture"
#endif
}

}  // namespace polyvm::linux
