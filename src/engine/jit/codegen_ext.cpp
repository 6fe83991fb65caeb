// The upper halves of 64-bit registers, where RISC-V's W instructions (Trunc to i32, a 32-bit op,
// SExt back to i64) leave work the host does not need:
// - A SExt of a 32-bit value that is a truncation of a 64-bit value already sign-extended from
//   its low 32 bits (a SExt's result, And/Or/Xor of such, a small constant), directly or through
//   `x + 0`, is that value (`sext.w` after `xor` of two sign-extended values: no movsxd).
// - A truncation to 32 bits read only for its low half is a plain copy ("loose").
#include "compiler.h"

namespace polyvm::engine::jit::detail {

// An i32 op EmitIntBinary emits as its first operand's bits (x + 0, x - 0, x | 0, x ^ 0).
bool Compiler::IsIdentity32(const ir::Inst& inst) const {
  return inst.type == ir::Type::kI32 &&
         (inst.op == Opcode::kAdd || inst.op == Opcode::kSub || inst.op == Opcode::kOr ||
          inst.op == Opcode::kXor) &&
         IsConst(inst.args[1]) && ConstBits(inst.args[1]) == 0;
}

// Whether v, an i64, equals the sign extension of its low 32 bits by construction: a SExt, a
// constant in int32's range, And/Or/Xor/Select of such (looked at `depth` levels deep).
bool Compiler::IsSignExtended32(ValueId v, int depth) const {
  const ir::Inst& inst = b_.insts[R(v)];
  if (inst.type != ir::Type::kI64) return false;
  switch (inst.op) {
    case Opcode::kSExt: return true;
    case Opcode::kConst: {
      const auto c = static_cast<int64_t>(inst.imm);
      return c == static_cast<int32_t>(c);
    }
    case Opcode::kAnd:
    case Opcode::kOr:
    case Opcode::kXor:
      return depth > 0 && IsSignExtended32(inst.args[0], depth - 1) &&
             IsSignExtended32(inst.args[1], depth - 1);
    case Opcode::kSelect:
      return depth > 0 && IsSignExtended32(inst.args[1], depth - 1) &&
             IsSignExtended32(inst.args[2], depth - 1);
    default: return false;
  }
}

// The value a SExt(i64 <- i32) is, if it is redundant (see the top), else kNoValue.
ValueId Compiler::RedundantSExtSource(const ir::Inst& inst) const {
  if (inst.op != Opcode::kSExt || inst.type != ir::Type::kI64 ||
      TypeOf(inst.args[0]) != ir::Type::kI32) {
    return ir::kNoValue;
  }
  ValueId w = R(inst.args[0]);
  while (IsIdentity32(b_.insts[w])) w = R(b_.insts[w].args[0]);
  const ir::Inst& t = b_.insts[w];
  if (t.op != Opcode::kTrunc || TypeOf(t.args[0]) != ir::Type::kI64) return ir::kNoValue;
  const ValueId y = R(t.args[0]);
  return IsSignExtended32(y, 4) ? y : ir::kNoValue;
}

// Analyze, after the fusions. Values are zero-extended to 64 bits wherever they live; a "loose"
// value is not (its upper 32 bits may be stale), which only readers of its low half may see: i32
// Add/Sub/Mul/And/Or/Xor and shifts (32-bit instructions, or a 32-bit lea for a fused Shl), SExt
// to i64 (movsxd), and an i32 op that passes its first operand through (x + 0 emits nothing)
// when that op's own readers are such. One backward walk: an op's readers come after it.
void Compiler::MarkLooseTruncs() {
  const ValueId n = static_cast<ValueId>(b_.insts.size());
  loose_.assign(n, 0);
  if (trunc32_ == 0) return;  // nothing to look for
  low_reads_.assign(n, 0);
  auto zero = [&](ValueId v) { return IsConst(v) && ConstBits(v) == 0; };
  for (ValueId r = n; r-- > 0;) {
    const ir::Inst& inst = b_.insts[r];
    if (alias_[r] != r || elided_[r] || Unread(r)) continue;
    const bool low_only = uses_[r] > 0 && low_reads_[r] == uses_[r];
    if (inst.op == Opcode::kTrunc && inst.type == ir::Type::kI32 &&
        TypeOf(inst.args[0]) == ir::Type::kI64 && !IsConst(inst.args[0])) {
      loose_[r] = low_only;
    }
    if (IsIdentity32(inst)) {  // the result is the first operand's bits
      if (low_only) ++low_reads_[R(inst.args[0])];
      continue;
    }
    bool low = false;
    switch (inst.op) {
      case Opcode::kSExt: low = inst.type == ir::Type::kI64; break;
      case Opcode::kAdd:
      case Opcode::kSub:
      case Opcode::kOr:
      case Opcode::kXor: low = inst.type == ir::Type::kI32 && !zero(inst.args[0]); break;
      case Opcode::kMul:
      case Opcode::kAnd:
      case Opcode::kShl:
      case Opcode::kLShr:
      case Opcode::kAShr:
      case Opcode::kRotl:
      case Opcode::kRotr: low = inst.type == ir::Type::kI32; break;
      default: break;
    }
    if (!low) continue;
    for (unsigned k = 0; k < inst.NumArgs(); ++k) {
      if (TypeOf(inst.args[k]) == ir::Type::kI32) ++low_reads_[R(inst.args[k])];
    }
  }
}

}  // namespace polyvm::engine::jit::detail
