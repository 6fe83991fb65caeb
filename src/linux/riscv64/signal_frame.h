// The riscv64 rt_sigframe as arch/riscv/kernel/signal.c builds it: siginfo, then a ucontext whose
// mcontext is struct sigcontext (user_regs_struct + the D-extension FP state in a 528-byte union).
// Offsets are checked against the riscv64 kernel and glibc headers by tests/linux.
#pragma once

#include <cstddef>
#include <cstdint>

#include "polyvm/linux/signals.h"

namespace polyvm::linux::riscv64 {

struct SigContext {
  uint64_t regs[32];  // user_regs_struct: pc, then x1..x31
  // union __riscv_fp_state: the D state (f[32], fcsr) within the Q state's 528 bytes.
  uint64_t fpregs[32];
  uint32_t fcsr;
  uint8_t fp_reserved[528 - 32 * 8 - 4];
};

struct alignas(16) UContext {
  uint64_t uc_flags;
  uint64_t uc_link;
  uint64_t ss_sp;  // uc_stack
  int32_t ss_flags;
  int32_t ss_pad;
  uint64_t ss_size;
  uint64_t uc_sigmask;         // kernel sigset_t: 64 bits
  uint8_t sigmask_pad[120];    // glibc's sigset_t is 128 bytes; the kernel pads to match
  uint8_t align_pad[8];        // uc_mcontext is 16-byte aligned (the Q state's alignment)
  SigContext uc_mcontext;
};

struct alignas(16) RtSigFrame {
  GuestSigInfo info;
  UContext uc;
};

inline constexpr size_t kUcMcontextOffset = offsetof(UContext, uc_mcontext);
static_assert(kUcMcontextOffset == 176);
static_assert(sizeof(SigContext) == 256 + 528);
static_assert(offsetof(RtSigFrame, uc) == 128);

}  // namespace polyvm::linux::riscv64
