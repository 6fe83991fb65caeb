// The system-register table, built from sysregs.def.
#include "sysregs.h"

#include "polyvm/frontend/arm64/state.h"

namespace polyvm::frontend::arm64 {
namespace {

using enum SysRegKind;

constexpr SysRegInfo kSysRegs[] = {
#define SYSREG(id, name, op0, op1, crn, crm, op2, kind, value) \
  {SysRegEncoding(op0, op1, crn, crm, op2), name, kind, value},
#include "sysregs.def"
#undef SYSREG
};

}  // namespace

const SysRegInfo* FindSysReg(uint32_t enc) {
  for (const SysRegInfo& r : kSysRegs) {
    if (r.enc == enc) return &r;
  }
  return nullptr;
}

}  // namespace polyvm::frontend::arm64
