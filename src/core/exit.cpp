// Names for exit reasons and trap codes, for logs and reports.
#include "polyvm/core/exit.h"

namespace polyvm::core {

std::string_view ExitReasonName(ExitReason r) {
  switch (r) {
    case ExitReason::kSyscall: return "syscall";
    case ExitReason::kTrap: return "trap";
    case ExitReason::kMemoryFault: return "memory fault";
    case ExitReason::kInterrupt: return "interrupt";
    case ExitReason::kHalt: return "halt";
  }
  return "?";
}

std::string_view TrapCodeName(TrapCode t) {
  switch (t) {
    case TrapCode::kNone: return "none";
    case TrapCode::kIllegalInstruction: return "illegal instruction";
    case TrapCode::kBreakpoint: return "breakpoint";
    case TrapCode::kMisaligned: return "misaligned access";
    case TrapCode::kDivideError: return "divide error";
    case TrapCode::kUnsupported: return "unsupported instruction";
    case TrapCode::kFetchFault: return "instruction fetch fault";
  }
  return "?";
}

}  // namespace polyvm::core
