// Fences, environment calls and the instructions that only trap: ecall, ebreak, fence.i, the
// privileged instructions (illegal in user mode) and the defined-illegal c.unimp.
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Opcode;
using ir::Type;

// fence pred/succ bits: device input and output order like reads and writes (user mode has no
// devices; for system mode this is the conservative reading).
constexpr unsigned kFenceI = 8, kFenceO = 4, kFenceR = 2, kFenceW = 1;

LiftStatus EmitFence(LiftContext& c, uint32_t kind) {
  // An empty ordering (e.g. fence w,0, the pause hint) orders nothing: no op.
  if (kind != 0) c.b().Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kind);
  return LiftStatus::kNext;
}

}  // namespace

LiftStatus LiftFence(LiftContext& c, const Insn& i) {
  bool pred_r = i.pred & (kFenceR | kFenceI), pred_w = i.pred & (kFenceW | kFenceO);
  bool succ_r = i.succ & (kFenceR | kFenceI), succ_w = i.succ & (kFenceW | kFenceO);
  uint32_t kind = 0;
  if (pred_r && succ_r) kind |= ir::kFenceLoadLoad;
  if (pred_r && succ_w) kind |= ir::kFenceLoadStore;
  if (pred_w && succ_r) kind |= ir::kFenceStoreLoad;
  if (pred_w && succ_w) kind |= ir::kFenceStoreStore;
  return EmitFence(c, kind);
}

// fence.tso: every ordering but store-to-load.
LiftStatus LiftFenceTso(LiftContext& c, const Insn&) {
  return EmitFence(c, ir::kFenceLoadLoad | ir::kFenceLoadStore | ir::kFenceStoreStore);
}

LiftStatus LiftFenceI(LiftContext& c, const Insn&) { return c.CodeSync(); }
LiftStatus LiftEcall(LiftContext& c, const Insn&) { return c.Syscall(); }
LiftStatus LiftEbreak(LiftContext& c, const Insn&) { return c.Trap(core::TrapCode::kBreakpoint); }

// wfi, mret, sret, sfence.vma: user mode has no privilege for them.
LiftStatus LiftPrivileged(LiftContext& c, const Insn&) { return c.Illegal(); }
LiftStatus LiftIllegal(LiftContext& c, const Insn&) { return c.Illegal(); }

}  // namespace polyvm::frontend::riscv64
