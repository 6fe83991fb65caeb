// What an A64 lift function sees: the IR builder plus the AArch64 view of the guest state
// (register 31 as SP or the zero register, W writes zero-extending, scalar FP/SIMD writes clearing
// the rest of the V register, NZCV as four i1 bytes and the condition codes) and the ways an
// instruction can end its block. One LiftContext lives for the lifting of one block.
//
// This API is shared with the FP/SIMD lift functions (lift_fp*.cpp, lift_simd*.cpp): keep it
// stable.
#pragma once

#include <cstdint>

#include "decoder.h"
#include "polyvm/core/exit.h"
#include "polyvm/ir/builder.h"

namespace polyvm::frontend::arm64 {

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

  // Called by the block loop before each instruction; `completed` instructions precede it.
  void BeginInsn(const Insn& insn, uint64_t pc, uint32_t completed);
  const Insn& insn() const { return *insn_; }
  uint64_t pc() const { return pc_; }
  uint64_t next_pc() const { return pc_ + 4; }
  uint32_t completed() const { return completed_; }

  ir::Value I64(uint64_t v) { return b_.I64(v); }
  ir::Value I32(uint32_t v) { return b_.I32(v); }
  // A constant of an integer type (i8..i64).
  ir::Value Const(ir::Type t, uint64_t v) { return b_.Const(t, v); }

  // ---- general registers. Register 31 is the zero register (X/W/SetX/SetW) or SP (the *Sp
  // forms), as each encoding says. W writes zero-extend into the X register. ----
  ir::Value X(unsigned r);    // i64
  ir::Value W(unsigned r);    // i32
  ir::Value XSp(unsigned r);  // i64
  ir::Value WSp(unsigned r);  // i32
  // i64 when `wide`, else i32 (the sf forms).
  ir::Value R(unsigned r, bool wide) { return wide ? X(r) : W(r); }
  ir::Value RSp(unsigned r, bool wide) { return wide ? XSp(r) : WSp(r); }
  void SetX(unsigned r, ir::Value v64);
  void SetW(unsigned r, ir::Value v32);
  void SetXSp(unsigned r, ir::Value v64);
  void SetWSp(unsigned r, ir::Value v32);
  // By the value's type: i64 -> SetX, i32 -> SetW.
  void SetR(unsigned r, ir::Value v);
  void SetRSp(unsigned r, ir::Value v);

  // ---- FP/SIMD registers V0..V31 (v128 state, little-endian lanes) ----
  ir::Value Q(unsigned r);              // the whole register, v128
  ir::Value V(unsigned r, ir::Type t);  // the low bytes as t (i8..i128, f32, f64)
  ir::Value D(unsigned r) { return V(r, ir::Type::kF64); }
  ir::Value S(unsigned r) { return V(r, ir::Type::kF32); }
  void SetQ(unsigned r, ir::Value v128);
  // A scalar write: v (any type up to 128 bits) in the low bytes, the rest of the register zeroed.
  void SetVScalar(unsigned r, ir::Value v);
  void SetD(unsigned r, ir::Value f64) { SetVScalar(r, f64); }
  void SetS(unsigned r, ir::Value f32) { SetVScalar(r, f32); }

  // ---- NZCV (four i1 bytes) ----
  ir::Value FlagN();
  ir::Value FlagZ();
  ir::Value FlagC();
  ir::Value FlagV();
  void SetNzcv(ir::Value n, ir::Value z, ir::Value c, ir::Value v);
  // N and Z of an integer result, with C and V given.
  void SetFlagsFromResult(ir::Value result, ir::Value c, ir::Value v);
  // The A64 condition `cond` (0..15: EQ NE CS CC MI PL VS VC HI LS GE LT GT LE AL NV) as i1
  // (lift_cond.cpp).
  ir::Value Cond(unsigned cond);
  // What last wrote the flags in this block, noted after SetFlagsFromResult (which, like SetNzcv,
  // forgets it): Cond() then compares the operands instead of testing the flags.
  enum class FlagSource : uint8_t { kNone, kSub, kAdd, kLogical };
  void NoteFlagSource(FlagSource kind, ir::Value a, ir::Value b, ir::Value result);

  // FpMode aux for an FP op: static rounding `rm` (or kDynamic: FPCR.RMode through the FP
  // environment), NaN rule kArm, and `ftz`/`dn` from the FPCR.FZ/DN this translation assumes.
  // The first call in a block may emit the check that the vCPU's FPCR agrees (GuardFpcrMode).
  uint32_t FpAux(ir::RoundingMode rm = ir::RoundingMode::kDynamic, uint8_t rule = 0,
                 bool signaling = false, bool exact = false);

  // ---- FPCR.FZ/DN as the translation assumes them (Arm64Lifter::AssumeFpcr) ----
  void SetFpcrMode(uint32_t mode, uint64_t lifter) {
    fpcr_mode_ = mode;
    lifter_ = lifter;
  }
  uint32_t fpcr_mode() const;  // FZ | DN bits (24, 25)
  uint64_t lifter() const { return lifter_; }
  // A side exit after this instruction (it completes) that drops every translation.
  ir::Exit CodeSyncAfter() const;

  // ---- ways to end the block (the instruction completes) ----
  LiftStatus Jump(uint64_t target, ir::BranchHint hint = ir::BranchHint::kNone);
  LiftStatus Branch(ir::Value cond, uint64_t target);
  LiftStatus Indirect(ir::Value target, ir::BranchHint hint = ir::BranchHint::kNone);
  LiftStatus Syscall();
  LiftStatus CodeSync();
  LiftStatus Halt();

  // ---- the instruction traps at its own pc (raw bits in the exit's info) ----
  LiftStatus Trap(core::TrapCode code) {
    trap_ = code;
    return LiftStatus::kTrap;
  }
  // UNDEFINED by the architecture, or a system register Linux does not give EL0: SIGILL.
  LiftStatus Undefined() { return Trap(core::TrapCode::kIllegalInstruction); }
  // Valid but not implemented by polyvm (reported with the raw bits, never silently wrong).
  LiftStatus Unsupported() { return Trap(core::TrapCode::kUnsupported); }
  core::TrapCode trap() const { return trap_; }

  // A side exit that traps at this instruction (it does not complete), for ExitIf.
  ir::Exit TrapHere(core::TrapCode code) const;

 private:
  bool DirectCond(unsigned cond, ir::Value* out);
  FlagSource flag_source_ = FlagSource::kNone;
  ir::Value flag_a_, flag_b_, flag_result_;
  ir::Exit Completed(ir::ExitKind kind) const;

  // Once per block, before the first FP op: when the vCPU's FPCR.FZ/DN differ from what the
  // translation assumes (threads that set different modes), stop loudly at this instruction.
  void GuardFpcrMode();

  ir::Builder& b_;
  uint32_t fpcr_mode_ = 0;
  uint64_t lifter_ = 0;
  bool fpcr_guarded_ = false;
  const Insn* insn_ = nullptr;
  uint64_t pc_ = 0;
  uint32_t completed_ = 0;
  core::TrapCode trap_ = core::TrapCode::kNone;
};

using LiftFn = LiftStatus (*)(LiftContext&, const Insn&);

// Every lift function named in the three tables.
#define INSN(id, mnemonic, pattern, operands, lift) LiftStatus lift(LiftContext&, const Insn&);
#include "insns.def"
#include "insns_fp.def"
#include "insns_simd.def"
#undef INSN

}  // namespace polyvm::frontend::arm64
