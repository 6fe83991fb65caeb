// The system-register table (sysregs.def) by MRS/MSR encoding, for the disassembler and the
// mrs/msr lift functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace polyvm::frontend::arm64 {

enum class SysRegKind : uint8_t { kConst, kState, kStateRO, kNzcv, kFpcr, kFpsr, kCounter };

struct SysRegInfo {
  uint32_t enc;  // instruction bits 20:5 of MRS/MSR: 1, o0 (op0 - 2), op1, CRn, CRm, op2
  std::string_view name;
  SysRegKind kind;
  uint64_t value;  // kConst: the value; kState/kStateRO: the guest-state offset
};

constexpr uint32_t SysRegEncoding(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
                                  unsigned op2) {
  return 1u << 15 | (op0 - 2) << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
}

// nullptr for an encoding the table does not have.
const SysRegInfo* FindSysReg(uint32_t enc);

}  // namespace polyvm::frontend::arm64
