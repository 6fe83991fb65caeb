// Constant evaluation for the folder: dispatches an op to its ir/semantics/int.h definition at the
// op's working width, so folding agrees with every engine by construction.
#include "const_eval.h"

namespace polyvm::ir::passes::detail {
namespace {

using sem::U128;

// Ops that work at one integer width U (the result's, or the operands' for i1-valued ops).
template <sem::UnsignedInt U>
std::optional<U128> EvalAt(Opcode op, U128 a128, U128 b128, U128 c128) {
  const U a = static_cast<U>(a128), b = static_cast<U>(b128);
  const bool c = (c128 & 1) != 0;
  const uint64_t n = static_cast<uint64_t>(b128);  // shift counts: mod width is unaffected
  switch (op) {
    case Opcode::kAdd: return sem::Add(a, b);
    case Opcode::kSub: return sem::Sub(a, b);
    case Opcode::kMul: return sem::Mul(a, b);
    case Opcode::kMulHiS: return sem::MulHiS(a, b);
    case Opcode::kMulHiU: return sem::MulHiU(a, b);
    case Opcode::kMulHiSU: return sem::MulHiSU(a, b);
    case Opcode::kDivS: return sem::DivS(a, b);
    case Opcode::kDivU: return sem::DivU(a, b);
    case Opcode::kRemS: return sem::RemS(a, b);
    case Opcode::kRemU: return sem::RemU(a, b);
    case Opcode::kNeg: return sem::Neg(a);
    case Opcode::kShl: return sem::Shl(a, n);
    case Opcode::kLShr: return sem::LShr(a, n);
    case Opcode::kAShr: return sem::AShr(a, n);
    case Opcode::kRotl: return sem::Rotl(a, n);
    case Opcode::kRotr: return sem::Rotr(a, n);
    case Opcode::kClz: return sem::Clz(a);
    case Opcode::kCtz: return sem::Ctz(a);
    case Opcode::kPopcount: return sem::Popcount(a);
    case Opcode::kBswap: return sem::Bswap(a);
    case Opcode::kBitReverse: return sem::BitReverse(a);
    case Opcode::kCmpLtS: return sem::LtS(a, b);
    case Opcode::kCmpLtU: return a < b;
    case Opcode::kCmpLeS: return sem::LeS(a, b);
    case Opcode::kCmpLeU: return a <= b;
    case Opcode::kAddCarry: return sem::AddCarry(a, b);
    case Opcode::kAddOverflow: return sem::AddOverflow(a, b);
    case Opcode::kSubBorrow: return sem::SubBorrow(a, b);
    case Opcode::kSubOverflow: return sem::SubOverflow(a, b);
    case Opcode::kAdc: return sem::Adc(a, b, c);
    case Opcode::kAdcCarry: return sem::AdcCarry(a, b, c);
    case Opcode::kAdcOverflow: return sem::AdcOverflow(a, b, c);
    case Opcode::kSbb: return sem::Sbb(a, b, c);
    case Opcode::kSbbBorrow: return sem::SbbBorrow(a, b, c);
    case Opcode::kSbbOverflow: return sem::SbbOverflow(a, b, c);
    case Opcode::kParity: return sem::Parity(a);
    default: return std::nullopt;
  }
}

std::optional<U128> EvalAtWidth(unsigned width, Opcode op, const U128 v[3]) {
  switch (width) {
    case 8: return EvalAt<uint8_t>(op, v[0], v[1], v[2]);
    case 16: return EvalAt<uint16_t>(op, v[0], v[1], v[2]);
    case 32: return EvalAt<uint32_t>(op, v[0], v[1], v[2]);
    case 64: return EvalAt<uint64_t>(op, v[0], v[1], v[2]);
    case 128: return EvalAt<U128>(op, v[0], v[1], v[2]);
    default: return std::nullopt;
  }
}

// Sign extension from `bits` to 128 bits, through int.h's 64-bit SignExtend.
U128 SignExtend128(U128 v, unsigned bits) {
  if (bits >= 128) return v;
  if (bits > 64) {  // no such type, but keep the function total
    return (v >> (bits - 1)) & 1 ? v | (~U128{0} << bits) : v;
  }
  auto s = static_cast<int64_t>(sem::SignExtend(static_cast<uint64_t>(v), bits));
  return static_cast<U128>(static_cast<sem::S128>(s));
}

}  // namespace

std::optional<U128> EvaluateConst(const Inst& inst, const U128 args[3], const Type arg_types[3]) {
  const Type t = inst.type;
  const unsigned in_width = BitWidth(arg_types[0]);
  std::optional<U128> r;
  switch (inst.op) {
    case Opcode::kAnd: r = args[0] & args[1]; break;
    case Opcode::kOr: r = args[0] | args[1]; break;
    case Opcode::kXor: r = args[0] ^ args[1]; break;
    case Opcode::kNot: r = ~args[0]; break;
    case Opcode::kCmpEq: r = args[0] == args[1]; break;
    case Opcode::kCmpNe: r = args[0] != args[1]; break;
    case Opcode::kSelect: r = (args[0] & 1) ? args[1] : args[2]; break;
    case Opcode::kZExt:
    case Opcode::kTrunc:
    case Opcode::kBitcast: r = args[0]; break;
    case Opcode::kSExt: r = SignExtend128(args[0], in_width); break;
    case Opcode::kConcat:
      if (in_width >= 128) return std::nullopt;
      r = args[0] | args[1] << in_width;
      break;
    case Opcode::kExtract:
      if (inst.imm >= 128) return std::nullopt;
      r = args[0] >> inst.imm;
      break;
    default:
      if (Info(inst.op).props != kPure || !IsInt(t == Type::kI1 ? arg_types[0] : t))
        return std::nullopt;
      r = EvalAtWidth(Info(inst.op).result == TypeClass::I1 ? in_width : BitWidth(t), inst.op,
                      args);
      break;
  }
  if (!r) return std::nullopt;
  return *r & Mask128(t);
}

}  // namespace polyvm::ir::passes::detail
