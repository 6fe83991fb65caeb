// What the Linux layer needs to know about one guest architecture: ELF identity, registers of the
// system-call convention, the initial thread state, the signal frame and the syscall numbering.
// The loader, the syscall handlers and the dispatch loop are written against this interface only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "polyvm/core/cpu_header.h"
#include "polyvm/core/exit.h"

namespace polyvm::mem {
class AddressSpace;
}

namespace polyvm::linux {

class SyscallTable;
struct FlagPair;
struct GuestSigInfo;

struct SyscallArgs {
  uint64_t nr = 0;
  uint64_t arg[6] = {};
};

// sigaltstack as the guest sees it (stack_t of 64-bit Linux).
struct AltStack {
  uint64_t sp = 0;
  int32_t flags = 0;  // SS_ONSTACK, SS_DISABLE, SS_AUTODISARM
  uint64_t size = 0;
};

// Everything a signal frame records besides the registers.
struct SignalFrameRequest {
  int signo = 0;
  const GuestSigInfo* info = nullptr;
  uint64_t handler = 0;
  uint64_t restorer = 0;   // where the handler returns: sa_restorer or polyvm's trampoline
  bool siginfo = false;    // SA_SIGINFO
  uint64_t frame_sp = 0;   // stack pointer to build the frame below (already switched to altstack)
  uint64_t saved_mask = 0; // the guest mask to restore on sigreturn (guest signal bits)
  AltStack altstack;       // recorded in uc_stack
  uint64_t fault_code = 0; // the thread's last fault syndrome (GuestAbi::FaultSyndrome); 0: none
};

// A synchronous memory fault, as the architecture's syndrome register would describe it.
struct FaultDescription {
  core::MemAccess access = core::MemAccess::kRead;
  bool present = false;  // the page has a translation (mapped, not PROT_NONE): a permission fault
  uint64_t addr = 0;
};

class GuestAbi {
 public:
  virtual ~GuestAbi() = default;

  // ---- identity ----
  virtual std::string_view Name() const = 0;         // uname machine: "riscv64"
  virtual uint16_t ElfMachine() const = 0;           // e_machine
  virtual std::string_view ElfMachineName() const = 0;  // "riscv64 (EM_RISCV)"
  // Checks e_flags (float ABI, ...); returns null if acceptable, else why not.
  virtual const char* RejectElfFlags(uint32_t e_flags) const = 0;
  virtual uint64_t HwCap() const = 0;
  virtual uint64_t HwCap2() const { return 0; }
  virtual const char* Platform() const { return nullptr; }  // AT_PLATFORM string, if any
  // AT_MINSIGSTKSZ (arm64 gives it first, in ARCH_DLINFO); 0: not in the auxv.
  virtual uint64_t AuxMinSigStackSize() const { return 0; }
  // Text of /proc/cpuinfo as the guest sees it.
  virtual std::string_view CpuInfo() const = 0;

  // ---- state ----
  virtual size_t StateSize() const = 0;
  // Clears a fresh state and points it at the entry with the given stack (process start).
  virtual void InitProcessState(core::CpuHeader* s, uint64_t entry, uint64_t sp) const = 0;
  virtual uint64_t GetSp(const core::CpuHeader* s) const = 0;
  virtual void SetSp(core::CpuHeader* s, uint64_t sp) const = 0;
  virtual void SetTp(core::CpuHeader* s, uint64_t tp) const = 0;
  // Bytes of guest state that belong to the register file (copied to a clone child).
  virtual void CopyState(core::CpuHeader* dst, const core::CpuHeader* src) const = 0;

  // ---- system calls ----
  virtual const SyscallTable& Syscalls() const = 0;
  virtual SyscallArgs GetSyscall(const core::CpuHeader* s) const = 0;
  virtual void SetSyscallResult(core::CpuHeader* s, int64_t result) const = 0;
  // Length of the system call instruction (to step back over it on restart).
  virtual uint32_t SyscallInsnLength() const = 0;
  // clone(2)'s argument order: (flags, stack, ptid, tls, ctid) on riscv64 and arm64
  // (CONFIG_CLONE_BACKWARDS), (flags, stack, ptid, ctid, tls) on x86-64.
  virtual bool CloneTlsBeforeCtid() const = 0;

  // open/fcntl flag values of this guest (see guest_structs.h).
  virtual std::span<const FlagPair> OpenFlags() const = 0;

  // ---- signals ----
  // The machine code of `rt_sigreturn` that handlers return into when there is no sa_restorer.
  virtual std::span<const uint8_t> SigreturnTrampoline() const = 0;
  // Whether sigaction has an sa_restorer field (SA_RESTORER) on this guest.
  virtual bool HasSaRestorer() const = 0;
  // Builds the frame on the guest stack and points the registers at the handler. Returns 0 or
  // -EFAULT if the frame cannot be written (the caller then kills the guest with SIGSEGV).
  virtual int SetupSignalFrame(const mem::AddressSpace& as, core::CpuHeader* s,
                               const SignalFrameRequest& req) const = 0;
  // rt_sigreturn: restores the registers from the frame at the current sp and returns the saved
  // mask and altstack. 0 or -EFAULT.
  virtual int RestoreSignalFrame(const mem::AddressSpace& as, core::CpuHeader* s,
                                 uint64_t* mask, AltStack* altstack) const = 0;
  // Minimum and default alternate signal stack sizes (MINSIGSTKSZ, SIGSTKSZ).
  virtual uint64_t MinSigStackSize() const = 0;
  // The syndrome a memory fault leaves in the thread and later signal frames record (arm64:
  // the ESR_EL1 value Linux keeps in thread.fault_code for esr_context); 0: this guest has none.
  virtual uint64_t FaultSyndrome(const FaultDescription&) const { return 0; }
};

// The guests polyvm knows.
const GuestAbi& Riscv64Abi();
const GuestAbi& Arm64Abi();

}  // namespace polyvm::linux
