// The A64 condition codes (Arm ARM ConditionHolds). When the flags' last writer in this block was
// a subtraction (CMP, SUBS), an addition (CMN, ADDS) or a logical op (TST, ANDS, BICS), a
// condition is a compare of that instruction's operands or result, exactly equivalent to the
// test on the flags: CMP x, y; B.HI is x > y unsigned. Engines then fuse the compare into the
// branch, and the flag bytes, still written for later blocks, are not read back.
#include "lift_context.h"

namespace polyvm::frontend::arm64 {

using ir::Opcode;
using ir::Value;

void LiftContext::NoteFlagSource(FlagSource kind, Value a, Value b, Value result) {
  flag_source_ = kind;
  flag_a_ = a;
  flag_b_ = b;
  flag_result_ = result;
}

bool LiftContext::DirectCond(unsigned cond, Value* out) {
  const unsigned test = (cond >> 1) & 7;  // EQ CS MI VS HI GE GT AL, bit 0 inverts
  const bool inv = (cond & 1) != 0;
  if (flag_source_ == FlagSource::kNone || test == 7) return false;
  const Value a = flag_a_, b = flag_b_, r = flag_result_;
  auto zero = [&] { return Const(r.type, 0); };
  auto cmp = [&](Opcode op, Value x, Value y) {
    *out = b_.Cmp(op, x, y);
    return true;
  };
  auto constant = [&](bool v) {
    *out = b_.Bool(v);
    return true;
  };
  // N: the result is negative (MI), or not (PL).
  if (test == 2) return inv ? cmp(Opcode::kCmpLeS, zero(), r) : cmp(Opcode::kCmpLtS, r, zero());
  switch (flag_source_) {
    case FlagSource::kSub:  // flags of a - b: C is a >= b unsigned, N == V is a >= b signed
      switch (test) {
        case 0: return cmp(inv ? Opcode::kCmpNe : Opcode::kCmpEq, a, b);
        case 1: return inv ? cmp(Opcode::kCmpLtU, a, b) : cmp(Opcode::kCmpLeU, b, a);
        case 4: return inv ? cmp(Opcode::kCmpLeU, a, b) : cmp(Opcode::kCmpLtU, b, a);
        case 5: return inv ? cmp(Opcode::kCmpLtS, a, b) : cmp(Opcode::kCmpLeS, b, a);
        case 6: return inv ? cmp(Opcode::kCmpLeS, a, b) : cmp(Opcode::kCmpLtS, b, a);
        default: return false;  // VS, VC
      }
    case FlagSource::kAdd:  // flags of r = a + b: C is the carry out, r < a unsigned
      switch (test) {
        case 0: return cmp(inv ? Opcode::kCmpNe : Opcode::kCmpEq, r, zero());
        case 1: return inv ? cmp(Opcode::kCmpLeU, a, r) : cmp(Opcode::kCmpLtU, r, a);
        default: return false;
      }
    case FlagSource::kLogical:  // C = V = 0: GE is N == 0, GT is !Z && N == 0, HI is false
      switch (test) {
        case 0: return cmp(inv ? Opcode::kCmpNe : Opcode::kCmpEq, r, zero());
        case 1:
        case 3:
        case 4: return constant(inv);
        case 5: return inv ? cmp(Opcode::kCmpLtS, r, zero()) : cmp(Opcode::kCmpLeS, zero(), r);
        case 6: return inv ? cmp(Opcode::kCmpLeS, r, zero()) : cmp(Opcode::kCmpLtS, zero(), r);
        default: return false;
      }
    case FlagSource::kNone: break;
  }
  return false;
}

Value LiftContext::Cond(unsigned cond) {
  Value direct;
  if (DirectCond(cond, &direct)) return direct;
  // ConditionHolds: bits 3:1 pick the test, bit 0 inverts it (except for AL/NV: always true).
  Value result;
  switch ((cond >> 1) & 7) {
    case 0: result = FlagZ(); break;  // EQ
    case 1: result = FlagC(); break;  // CS
    case 2: result = FlagN(); break;  // MI
    case 3: result = FlagV(); break;  // VS
    case 4: {                         // HI: C && !Z
      Value c = FlagC();
      Value z = FlagZ();
      result = b_.And(c, b_.Not(z));
      break;
    }
    case 5: {  // GE: N == V
      Value n = FlagN();
      Value v = FlagV();
      result = b_.Cmp(Opcode::kCmpEq, n, v);
      break;
    }
    case 6: {  // GT: N == V && !Z
      Value n = FlagN();
      Value v = FlagV();
      Value ge = b_.Cmp(Opcode::kCmpEq, n, v);
      Value z = FlagZ();
      result = b_.And(ge, b_.Not(z));
      break;
    }
    default: return b_.Bool(true);  // AL, NV
  }
  return (cond & 1) ? b_.Not(result) : result;
}

}  // namespace polyvm::frontend::arm64
