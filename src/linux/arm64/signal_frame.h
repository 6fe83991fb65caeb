// The arm64 rt_sigframe as arch/arm64/kernel/signal.c builds it: siginfo, then a ucontext whose
// mcontext is struct sigcontext (fault address, x0..x30, sp, pc, pstate) followed by 4 KiB of
// context records: fpsimd_context (V0..V31, FPSR, FPCR), esr_context after a memory fault, and
// the null record that ends the list.
// Offsets are checked against the arm64 kernel and glibc headers by tests/linux/arm64.
#pragma once

#include <cstddef>
#include <cstdint>

#include "polyvm/linux/abi.h"
#include "polyvm/linux/signals.h"

namespace polyvm::frontend::arm64 {
struct Arm64State;
}

namespace polyvm::linux::arm64 {

// struct _aarch64_ctx: the header of every record in sigcontext.__reserved.
struct CtxHeader {
  uint32_t magic;
  uint32_t size;  // bytes of the whole record, header included
};

inline constexpr uint32_t kFpsimdMagic = 0x46508001;  // FPSIMD_MAGIC
inline constexpr uint32_t kEsrMagic = 0x45535201;     // ESR_MAGIC
inline constexpr uint32_t kExtraMagic = 0x45585401;   // EXTRA_MAGIC
inline constexpr uint32_t kSveMagic = 0x53564501;     // SVE_MAGIC

// struct esr_context: the ESR_EL1 value of the fault being reported (thread.fault_code).
struct EsrContext {
  CtxHeader head;  // {kEsrMagic, sizeof(EsrContext)}
  uint64_t esr;
};
static_assert(sizeof(EsrContext) == 16);

// ESR_EL1 of a memory fault taken from EL0 as the hardware reports it and Linux passes it on
// (set_thread_esr() of arch/arm64/mm/fault.c). Values from the Arm ARM (DDI 0487, ESR_EL1 and
// "ISS encoding for an exception from a Data Abort / an Instruction Abort"):
//   EC  [31:26] 0x24 Data Abort from a lower Exception level, 0x20 Instruction Abort from one
//   IL  [25]    1: a 32-bit instruction
//   ISV [24]    0: no instruction syndrome (ESR_EL1 reports none for these faults)
//   WnR [6]     1 when the faulting access was a write (data aborts only)
//   xFSC [5:0]  0b000111 translation fault, level 3 (no valid page); 0b001111 permission fault,
//               level 3. A native kernel reports the level where its page-table walk stopped,
//               which polyvm (with no page tables) cannot know: it always says level 3.
// Addresses above the user range (>= 2^48) are sanitised as Linux does: EC, IL, WnR kept and the
// status replaced by ESR_ELx_FSC_FAULT (0b000100), so no kernel page-table layout leaks.
uint64_t FaultEsr(const FaultDescription& fault);

struct FpsimdContext {
  CtxHeader head;  // {kFpsimdMagic, sizeof(FpsimdContext)}
  uint32_t fpsr;
  uint32_t fpcr;
  alignas(16) uint8_t vregs[32][16];  // __uint128_t vregs[32], little-endian
};
static_assert(sizeof(FpsimdContext) == 528);

struct alignas(16) SigContext {
  uint64_t fault_address;
  uint64_t regs[31];
  uint64_t sp;
  uint64_t pc;
  uint64_t pstate;                     // NZCV in bits 31..28; EL0t
  alignas(16) uint8_t reserved[4096];  // the context records
};

struct alignas(16) UContext {
  uint64_t uc_flags;
  uint64_t uc_link;
  uint64_t ss_sp;  // uc_stack
  int32_t ss_flags;
  int32_t ss_pad;
  uint64_t ss_size;
  uint64_t uc_sigmask;       // kernel sigset_t: 64 bits
  uint8_t sigmask_pad[120];  // glibc's sigset_t is 1024 bits; the kernel pads to match
  uint8_t align_pad[8];      // uc_mcontext is 16-byte aligned
  SigContext uc_mcontext;
};

struct alignas(16) RtSigFrame {
  GuestSigInfo info;
  UContext uc;
};

// struct frame_record: the AAPCS64 frame record the kernel pushes above the rt_sigframe so that
// unwinders can walk from the handler into the interrupted code (x29 points at it).
struct FrameRecord {
  uint64_t fp;
  uint64_t lr;
};

inline constexpr size_t kUcMcontextOffset = offsetof(UContext, uc_mcontext);
static_assert(kUcMcontextOffset == 176);
static_assert(offsetof(SigContext, reserved) == 288);
static_assert(sizeof(SigContext) == 288 + 4096);
static_assert(offsetof(RtSigFrame, uc) == 128);
static_assert(sizeof(RtSigFrame) == 4688);

// Builds the frame below req.frame_sp and points the registers at the handler: 0 or -EFAULT.
int SetupFrame(const mem::AddressSpace& as, frontend::arm64::Arm64State* s,
               const SignalFrameRequest& req);
// rt_sigreturn from the frame at sp: 0, or -EFAULT for an unwritable, misaligned or malformed one.
int RestoreFrame(const mem::AddressSpace& as, frontend::arm64::Arm64State* s, uint64_t* mask,
                 AltStack* altstack);

}  // namespace polyvm::linux::arm64
