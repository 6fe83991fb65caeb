// What a lift function sees: the IR builder plus the RISC-V view of the guest state (x0 reads as
// zero, NaN-boxed f registers, the frm check for dynamic rounding) and the ways an instruction can
// end its block. One LiftContext lives for the lifting of one block.
#pragma once

#include <cstdint>

#include "decoder.h"
#include "polyvm/core/exit.h"
#include "polyvm/ir/builder.h"

namespace polyvm::frontend::riscv64 {

enum class LiftStatus : uint8_t {
  kNext,      // the instruction completed; lift the next one
  kEndBlock,  // the instruction completed and set the block's exit
  kTrap,      // the instruction raises trap() at its own pc and does not complete; whatever it
              // emitted is discarded
};

class LiftContext {
 public:
  explicit LiftContext(ir::Builder& b) : b_(b) {}

  ir::Builder& b() { return b_; }

  // System mode: the per-hart model's helper for privileged instructions (lift_priv.cpp); null in
  // user mode.
  void set_priv_helper(const ir::HelperInfo* helper) { priv_helper_ = helper; }
  const ir::HelperInfo* priv_helper() const { return priv_helper_; }

  // Called by the block loop before each instruction; `completed` instructions precede it.
  void BeginInsn(const Insn& insn, uint64_t pc, uint32_t completed);
  uint64_t pc() const { return pc_; }
  uint64_t next_pc() const { return pc_ + insn_->len; }
  uint32_t completed() const { return completed_; }

  // ---- integer registers ----
  ir::Value X(unsigned r);                      // i64; x0 reads as 0
  ir::Value X32(unsigned r);                    // the low 32 bits
  void SetX(unsigned r, ir::Value v);           // i64; writes to x0 are dropped
  void SetXSext(unsigned r, ir::Value narrow);  // sign-extended to 64 bits
  ir::Value I64(int64_t v) { return b_.I64(static_cast<uint64_t>(v)); }
  ir::Value Addr(unsigned base, int64_t offset);  // x[base] + offset

  // ---- FP registers, kept in the state as raw 64-bit patterns ----
  ir::Value FRaw(unsigned r);     // i64
  ir::Value FBits32(unsigned r);  // i32; the canonical NaN unless NaN-boxed
  ir::Value F32(unsigned r);
  ir::Value F64(unsigned r);
  void SetFRaw(unsigned r, ir::Value v64);
  void SetFBits32(unsigned r, ir::Value v32);  // NaN-boxes
  void SetF32(unsigned r, ir::Value v);
  void SetF64(unsigned r, ir::Value v);
  // By type (kF32 or kF64), for lift functions shared by the S and D forms.
  ir::Value F(unsigned r, ir::Type t) { return t == ir::Type::kF32 ? F32(r) : F64(r); }
  void SetF(unsigned r, ir::Value v) { v.type == ir::Type::kF32 ? SetF32(r, v) : SetF64(r, v); }

  // FpMode aux for an op rounding by the rm field `rm` (0-4 static, 7 dynamic; the decoder has
  // rejected 5 and 6). A dynamic rm first makes sure state.frm holds a valid mode: once per
  // block, and again after a write to frm.
  uint32_t RoundingAux(unsigned rm, uint8_t rule = 0);
  void FrmWritten() { frm_checked_ = false; }

  // ---- ways to end the block (the instruction completes) ----
  LiftStatus Jump(uint64_t target, ir::BranchHint hint);
  LiftStatus Branch(ir::Value cond, uint64_t target);
  LiftStatus Indirect(ir::Value target, ir::BranchHint hint);
  LiftStatus Syscall();
  LiftStatus CodeSync();

  // ---- the instruction traps at its own pc ----
  LiftStatus Trap(core::TrapCode code) {
    trap_ = code;
    return LiftStatus::kTrap;
  }
  LiftStatus Illegal() { return Trap(core::TrapCode::kIllegalInstruction); }
  core::TrapCode trap() const { return trap_; }

  // Lift-time knowledge the block loop restores when it discards a trapping instruction.
  struct Snapshot {
    bool frm_checked;
  };
  Snapshot Save() const { return {frm_checked_}; }
  void Restore(const Snapshot& s) { frm_checked_ = s.frm_checked; }

 private:
  ir::Exit Completed(ir::ExitKind kind) const;

  ir::Builder& b_;
  const ir::HelperInfo* priv_helper_ = nullptr;
  const Insn* insn_ = nullptr;
  uint64_t pc_ = 0;
  uint32_t completed_ = 0;
  bool frm_checked_ = false;
  core::TrapCode trap_ = core::TrapCode::kNone;
};

using LiftFn = LiftStatus (*)(LiftContext&, const Insn&);

// Every lift function named in insns.def.
#define INSN(id, mnemonic, pattern, operands, lift) LiftStatus lift(LiftContext&, const Insn&);
#include "insns.def"
#undef INSN

}  // namespace polyvm::frontend::riscv64
