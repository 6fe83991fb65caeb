// Integer building blocks shared by the A64 data-processing and load/store lift functions: the
// shifted and extended register operands, add/sub with NZCV, and small width helpers.
#pragma once

#include "lift_context.h"

namespace polyvm::frontend::arm64 {

inline bool SfOf(const Insn& i) { return Bit(i.raw, 31); }
inline ir::Type WidthType(bool wide) { return wide ? ir::Type::kI64 : ir::Type::kI32; }
inline unsigned WidthBits(bool wide) { return wide ? 64 : 32; }

// v shifted by `amount` (type: 0 LSL, 1 LSR, 2 ASR, 3 ROR), as the shifted-register forms do.
ir::Value ShiftBy(LiftContext& c, ir::Value v, unsigned type, unsigned amount);

// Register `r` extended by `option` (UXTB..SXTX) to `result` type, then shifted left by `shift`:
// the extended-register operand (register 31 is the zero register).
ir::Value ExtendReg(LiftContext& c, unsigned r, unsigned option, unsigned shift, ir::Type result);

// a + b or a - b.
ir::Value AddSub(LiftContext& c, ir::Value a, ir::Value b, bool sub);
// NZCV of that addition or subtraction (C is NOT borrow for subtraction). Callers write the
// destination register first, then the flags (docs/ir.md, "AArch64").
void SetAddSubFlags(LiftContext& c, ir::Value a, ir::Value b, ir::Value result, bool sub);
// C and V of result = a + b or a - b (AddWithCarry), from compares and bit operations that
// every engine implements inline (docs/ir.md, "AArch64"): C = r <u a for an add and NOT (a <u b)
// for a subtraction; V = the sign of (a ^ r) & ~(a ^ b) (add) or (a ^ r) & (a ^ b) (sub).
struct CarryOverflow {
  ir::Value carry, overflow;
};
CarryOverflow AddSubCarryOverflow(LiftContext& c, ir::Value a, ir::Value b, ir::Value result,
                                  bool sub);

// N and Z from result, C = V = 0 (the logical flag-setting forms).
void SetLogicalFlags(LiftContext& c, ir::Value result);

}  // namespace polyvm::frontend::arm64
