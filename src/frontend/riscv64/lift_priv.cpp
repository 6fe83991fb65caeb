// System-mode lifting of the privileged instructions and the privileged CSRs. Whether one of them
// is allowed depends on the hart's run-time state (privilege, mstatus.TVM/TW/TSR, counter
// enables), so lifted code does not decide: it calls the machine's per-hart model
// (SystemHooks::priv) with the raw bits, which performs the instruction or enters the trap it
// raises, and the block ends by jumping to the pc the model returns. In user mode these rows keep
// their user-mode meaning (lift_csr.cpp, and illegal instructions).
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {

// The user-mode lift functions of these rows (lift_system.cpp, lift_csr.cpp).
LiftStatus LiftPrivileged(LiftContext& c, const Insn& i);
LiftStatus LiftCsrrw(LiftContext& c, const Insn& i);
LiftStatus LiftCsrrs(LiftContext& c, const Insn& i);
LiftStatus LiftCsrrc(LiftContext& c, const Insn& i);
LiftStatus LiftCsrrwi(LiftContext& c, const Insn& i);
LiftStatus LiftCsrrsi(LiftContext& c, const Insn& i);
LiftStatus LiftCsrrci(LiftContext& c, const Insn& i);

namespace {

using ir::Opcode;
using ir::Type;

// The FP CSRs stay inline IR in system mode too: they are frequent and never trap by privilege.
// (mstatus.FS = Off does not make them trap yet: docs/system-mode.md.)
bool IsFpCsr(uint16_t csr) { return csr >= 0x001 && csr <= 0x003; }

LiftStatus CallModel(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  ir::Value next = b.Emit(Opcode::kCallHelper, Type::kI64, b.I64(i.raw), b.I64(c.pc()),
                          b.I64(c.completed()), reinterpret_cast<uint64_t>(c.priv_helper()));
  return c.Indirect(next, ir::BranchHint::kNone);
}

LiftStatus Csr(LiftContext& c, const Insn& i, LiftFn user_mode) {
  if (c.priv_helper() == nullptr || IsFpCsr(i.csr)) return user_mode(c, i);
  return CallModel(c, i);
}

LiftStatus Privileged(LiftContext& c, const Insn& i) {
  if (c.priv_helper() == nullptr) return LiftPrivileged(c, i);
  return CallModel(c, i);
}

}  // namespace

LiftStatus LiftSysCsrrw(LiftContext& c, const Insn& i) { return Csr(c, i, LiftCsrrw); }
LiftStatus LiftSysCsrrs(LiftContext& c, const Insn& i) { return Csr(c, i, LiftCsrrs); }
LiftStatus LiftSysCsrrc(LiftContext& c, const Insn& i) { return Csr(c, i, LiftCsrrc); }
LiftStatus LiftSysCsrrwi(LiftContext& c, const Insn& i) { return Csr(c, i, LiftCsrrwi); }
LiftStatus LiftSysCsrrsi(LiftContext& c, const Insn& i) { return Csr(c, i, LiftCsrrsi); }
LiftStatus LiftSysCsrrci(LiftContext& c, const Insn& i) { return Csr(c, i, LiftCsrrci); }

// wfi goes to the model too: it checks TW and privilege, and on success marks the hart waiting
// and raises the interrupt request, so the engine stops at the next block boundary.
LiftStatus LiftWfi(LiftContext& c, const Insn& i) { return Privileged(c, i); }
LiftStatus LiftMret(LiftContext& c, const Insn& i) { return Privileged(c, i); }
LiftStatus LiftSret(LiftContext& c, const Insn& i) { return Privileged(c, i); }
LiftStatus LiftSfenceVma(LiftContext& c, const Insn& i) { return Privileged(c, i); }

}  // namespace polyvm::frontend::riscv64
