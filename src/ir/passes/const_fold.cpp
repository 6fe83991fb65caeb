// Constant folding: a forward walk that evaluates pure ops on constants (const_eval.cpp) and
// applies algebraic identities, rewriting instructions in place so numbering stays stable.
#include "polyvm/ir/passes/const_fold.h"

#include "const_eval.h"
#include "rewrite.h"

namespace polyvm::ir::passes {
namespace {

using sem::U128;

// What an instruction reduces to: nothing, a constant, or an existing value.
struct Fold {
  enum Kind { kNone, kConst, kValue } kind = kNone;
  uint64_t imm = 0;
  ValueId value = kNoValue;

  static Fold Const(uint64_t v) { return {kConst, v, kNoValue}; }
  static Fold Value(ValueId v) { return {kValue, 0, v}; }
};

// How far back SignBits looks: enough for the chains one guest instruction makes.
constexpr int kSignBitsDepth = 6;

class Folder {
 public:
  explicit Folder(const Block& b) : b_(b) {}

  bool IsConst(ValueId v) const { return v != kNoValue && b_.insts[v].op == Opcode::kConst; }
  bool Is(ValueId v, U128 k) const { return IsConst(v) && U128{b_.insts[v].imm} == k; }

  std::optional<U128> AllConst(const Inst& inst) const {
    U128 vals[3] = {0, 0, 0};
    Type types[3] = {Type::kVoid, Type::kVoid, Type::kVoid};
    unsigned n = inst.NumArgs();
    if (n == 0) return std::nullopt;
    for (unsigned k = 0; k < n; ++k) {
      if (!IsConst(inst.args[k])) return std::nullopt;
      vals[k] = b_.insts[inst.args[k]].imm;
      types[k] = b_.TypeOf(inst.args[k]);
    }
    return detail::EvaluateConst(inst, vals, types);
  }

  // How many of v's top bits are known to equal its sign bit (at least 1), looking `depth` ops
  // back. Integer types up to 64 bits only; anything else answers 1.
  unsigned SignBits(ValueId v, int depth) const {
    const Inst& in = b_.insts[v];
    const unsigned w = BitWidth(in.type);
    if (!IsInt(in.type) || w > 64 || w < 2) return 1;
    const auto arg_width = [&](unsigned k) { return BitWidth(b_.TypeOf(in.args[k])); };
    switch (in.op) {
      case Opcode::kConst: {
        const uint64_t sign = (in.imm >> (w - 1)) & 1;
        unsigned n = 1;
        while (n < w && ((in.imm >> (w - 1 - n)) & 1) == sign) ++n;
        return n;
      }
      case Opcode::kSExt:
        return w - arg_width(0) + (depth > 0 ? SignBits(in.args[0], depth - 1) : 1);
      case Opcode::kZExt: return w > arg_width(0) ? w - arg_width(0) : 1;  // leading zeros
      case Opcode::kLShr:
        if (IsConst(in.args[1]) && b_.insts[in.args[1]].imm % w != 0) {
          return static_cast<unsigned>(b_.insts[in.args[1]].imm % w);  // leading zeros
        }
        return 1;
      case Opcode::kAShr:
        if (depth > 0 && IsConst(in.args[1])) {
          const unsigned n =
              SignBits(in.args[0], depth - 1) + static_cast<unsigned>(b_.insts[in.args[1]].imm % w);
          return n < w ? n : w;
        }
        return 1;
      case Opcode::kAnd:
      case Opcode::kOr:
      case Opcode::kXor: {
        if (depth == 0) return 1;
        const unsigned a = SignBits(in.args[0], depth - 1), b = SignBits(in.args[1], depth - 1);
        unsigned n = a < b ? a : b;
        // And with a non-negative operand keeps at least that operand's leading zeros.
        if (in.op == Opcode::kAnd) {
          for (unsigned k = 0; k < 2; ++k) {
            const unsigned bits = k == 0 ? a : b;
            if (IsConst(in.args[k]) && ((b_.insts[in.args[k]].imm >> (w - 1)) & 1) == 0 &&
                bits > n) {
              n = bits;
            }
          }
        }
        return n;
      }
      default: return 1;
    }
  }

  Fold Simplify(const Inst& inst) const {
    const ValueId x = inst.args[0], y = inst.args[1], z = inst.args[2];
    const U128 ones = detail::Mask128(inst.type);
    switch (inst.op) {
      case Opcode::kAdd:
        if (Is(y, 0)) return Fold::Value(x);
        if (Is(x, 0)) return Fold::Value(y);
        break;
      case Opcode::kSub:
        if (Is(y, 0)) return Fold::Value(x);
        if (x == y) return Fold::Const(0);
        break;
      case Opcode::kMul:
        if (Is(x, 0) || Is(y, 0)) return Fold::Const(0);
        if (Is(y, 1)) return Fold::Value(x);
        if (Is(x, 1)) return Fold::Value(y);
        break;
      case Opcode::kDivS:
      case Opcode::kDivU:
        if (Is(y, 1)) return Fold::Value(x);
        break;
      case Opcode::kAnd:
        if (Is(x, 0) || Is(y, 0)) return Fold::Const(0);
        if (Is(y, ones) || x == y) return Fold::Value(x);
        if (Is(x, ones)) return Fold::Value(y);
        break;
      case Opcode::kOr:
        if (Is(y, 0) || x == y) return Fold::Value(x);
        if (Is(x, 0)) return Fold::Value(y);
        if (Is(x, ones) || Is(y, ones)) return Fold::Const(static_cast<uint64_t>(ones));
        break;
      case Opcode::kXor:
        if (Is(y, 0)) return Fold::Value(x);
        if (Is(x, 0)) return Fold::Value(y);
        if (x == y) return Fold::Const(0);
        break;
      case Opcode::kShl:
      case Opcode::kLShr:
      case Opcode::kAShr:
      case Opcode::kRotl:
      case Opcode::kRotr:
        if (IsConst(y) && U128{b_.insts[y].imm} % BitWidth(inst.type) == 0) return Fold::Value(x);
        if (Is(x, 0)) return Fold::Const(0);
        break;
      case Opcode::kSelect:
        if (IsConst(x)) return Fold::Value((b_.insts[x].imm & 1) ? y : z);
        if (y == z) return Fold::Value(y);
        break;
      case Opcode::kCmpEq:
      case Opcode::kCmpLeS:
      case Opcode::kCmpLeU:
        if (x == y) return Fold::Const(1);
        break;
      case Opcode::kCmpNe:
      case Opcode::kCmpLtS:
      case Opcode::kCmpLtU:
        if (x == y) return Fold::Const(0);
        break;
      case Opcode::kTrunc: {
        const Inst& src = b_.insts[x];
        bool ext = src.op == Opcode::kZExt || src.op == Opcode::kSExt;
        if (ext && b_.TypeOf(src.args[0]) == inst.type) return Fold::Value(src.args[0]);
        [[fallthrough]];
      }
      case Opcode::kSExt:
        // SExt(Trunc v) back to v's own type is v when v's dropped bits all copy the kept sign
        // bit: RISC-V's W ops and AArch64's W registers re-extend values that already are.
        if (inst.op == Opcode::kSExt && b_.insts[x].op == Opcode::kTrunc) {
          const ValueId v = b_.insts[x].args[0];
          const unsigned from = BitWidth(b_.TypeOf(v)), kept = BitWidth(b_.TypeOf(x));
          if (b_.TypeOf(v) == inst.type && SignBits(v, kSignBitsDepth) > from - kept) {
            return Fold::Value(v);
          }
        }
        [[fallthrough]];
      case Opcode::kZExt:
      case Opcode::kBitcast:
        if (b_.TypeOf(x) == inst.type) return Fold::Value(x);
        // A round trip through another type is the value itself: RISC-V's f registers are i64
        // fields, so `fmul fa4,...; fadd fa5, fa5, fa4` reads the product as Bitcast(Bitcast(p)).
        if (inst.op == Opcode::kBitcast && b_.insts[x].op == Opcode::kBitcast &&
            b_.TypeOf(b_.insts[x].args[0]) == inst.type) {
          return Fold::Value(b_.insts[x].args[0]);
        }
        break;
      default: break;
    }
    return {};
  }

 private:
  const Block& b_;
};

void MakeConst(Inst& inst, uint64_t value) {
  Type t = inst.type;
  inst = Inst{};
  inst.op = Opcode::kConst;
  inst.type = t;
  inst.imm = value;
}

}  // namespace

Block FoldConstants(const Block& in) {
  Block out = in;
  detail::Replacements repl(out.insts.size());
  Folder folder(out);
  for (ValueId i = 0; i < out.insts.size(); ++i) {
    Inst& inst = out.insts[i];
    repl.ApplyToArgs(inst);
    if (Info(inst.op).props != kPure || inst.op == Opcode::kConst) continue;
    // A narrowing of a narrowing narrows the original (AArch64's strb of a W register is
    // Trunc(i8, Trunc(i32, x))): the inner one is then often dead, and a store of x's low byte
    // needs no copy of x.
    if (inst.op == Opcode::kTrunc && out.insts[inst.args[0]].op == Opcode::kTrunc) {
      inst.args[0] = out.insts[inst.args[0]].args[0];
    }
    if (std::optional<U128> v = folder.AllConst(inst); v && *v <= UINT64_MAX) {
      MakeConst(inst, static_cast<uint64_t>(*v));
      continue;
    }
    Fold f = folder.Simplify(inst);
    if (f.kind == Fold::kConst) MakeConst(inst, f.imm);
    if (f.kind == Fold::kValue) repl.Set(i, f.value);
  }
  repl.ApplyToExits(out);
  return out;
}

}  // namespace polyvm::ir::passes
