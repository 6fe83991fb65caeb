// Recovery from host faults (SIGSEGV, SIGBUS) taken while touching guest memory.
// Guest memory is host memory, so a guest access to an unmapped or protected page faults on the
// host. A FaultScope marks a region of host addresses as "guest": a fault inside it jumps back to
// the scope's sigsetjmp point with the fault recorded, instead of killing polyvm. Faults anywhere
// else are polyvm bugs and keep their default, fatal action.
#pragma once

#include <setjmp.h>

#include <cstdint>

namespace polyvm::core::os {

struct FaultRecord {
  uintptr_t host_addr = 0;  // si_addr
  int signo = 0;            // SIGSEGV or SIGBUS
  int code = 0;             // si_code (SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR, ...)
  uintptr_t host_pc = 0;    // the faulting host instruction (x86-64 RIP; 0 where unknown)
  // The general-purpose registers at the fault, in the x86-64 encoding's order (rax, rcx, rdx,
  // rbx, rsp, rbp, rsi, rdi, r8..r15), so that generated code keeping guest state in registers
  // can be made exact (engine/jit lazy write-back). Zero where unknown.
  uint64_t gregs[16] = {};
};

// Use only through POLYVM_FAULT_SCOPE_ENTER, which calls sigsetjmp in the caller's frame:
//
//   core::os::FaultScope scope(lo, hi);
//   if (POLYVM_FAULT_SCOPE_ENTER(scope)) { /* faulted: scope.fault() */ }
//   ... touch guest memory ...
//
// Scopes nest per thread; the destructor pops. Between entering and leaving a scope, code must not
// own resources that a jump back would leak (no locks held, no allocations in flight), and locals
// changed after entry and read after a fault must be volatile.
class FaultScope {
 public:
  FaultScope(uintptr_t lo, uintptr_t hi);
  ~FaultScope();
  FaultScope(const FaultScope&) = delete;
  FaultScope& operator=(const FaultScope&) = delete;

  const FaultRecord& fault() const { return fault_; }
  sigjmp_buf& jmp() { return jmp_; }

 private:
  friend void HandleHostFault(int, void*, void*);
  sigjmp_buf jmp_;
  uintptr_t lo_, hi_;
  FaultRecord fault_;
  FaultScope* prev_;
};

#define POLYVM_FAULT_SCOPE_ENTER(scope) (sigsetjmp((scope).jmp(), 0) != 0)

// Installs the process-wide SIGSEGV/SIGBUS handler (idempotent, thread-safe).
void InstallFaultHandler();

// The body of that handler, for a process that installs its own SIGSEGV/SIGBUS handler (user
// mode: guest signals) and chains to it for faults the CPU raised. Jumps to the innermost scope
// covering the fault address; returns only if there is none, after restoring SIG_DFL.
void HandleHostFault(int signo, void* info, void* uctx);

}  // namespace polyvm::core::os
