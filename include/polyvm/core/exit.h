// Why an execution engine stopped running a vCPU, and what its caller must do about it.
#pragma once

#include <cstdint>
#include <string_view>

namespace polyvm::core {

// Guest exceptions raised by translated code (IR exit kind kTrap) or by the engine.
enum class TrapCode : uint8_t {
  kNone,
  kIllegalInstruction,  // undecodable or unimplemented: ExitInfo.info holds the raw bits
  kBreakpoint,          // ebreak / brk / int3
  kMisaligned,          // an access that must be aligned was not (addr holds the address)
  kDivideError,         // x86 #DE
  kUnsupported,         // valid instruction that polyvm does not implement (raw bits in info)
  kFetchFault,          // the instruction's bytes are not mapped executable (info: fault address)
};

enum class MemAccess : uint8_t { kRead, kWrite, kFetch };

enum class ExitReason : uint8_t {
  kSyscall,      // guest system call; state.pc = the instruction after it, ExitInfo.pc = it
  kTrap,         // guest exception (trap code), ExitInfo.pc = the faulting instruction
  kMemoryFault,  // guest access to unmapped or protected memory
  kInterrupt,    // CpuHeader::interrupt_request was set
  kHalt,         // the vCPU stopped (wfi, hlt) until an interrupt
};

struct ExitInfo {
  ExitReason reason = ExitReason::kHalt;
  TrapCode trap = TrapCode::kNone;
  MemAccess access = MemAccess::kRead;  // kMemoryFault
  bool mapped = false;                  // kMemoryFault: the page is mapped but the access is not allowed
  bool bus_error = false;               // kMemoryFault: a mapped file has no page there (SIGBUS)
  uint64_t pc = 0;                      // guest pc of the instruction that caused the exit
  uint64_t addr = 0;                    // kMemoryFault, kMisaligned: the guest address
  uint64_t info = 0;                    // kTrap: raw instruction bits
};

std::string_view ExitReasonName(ExitReason r);
std::string_view TrapCodeName(TrapCode t);

}  // namespace polyvm::core
