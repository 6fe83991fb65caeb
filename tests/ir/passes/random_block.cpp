// Random well-formed blocks. The generator favours what the passes look for: constants (0, 1, all
// ones, extremes), repeated and overlapping GetReg/SetReg of a few registers, values used twice,
// and faulting loads and side exits between state writes.
#include "random_block.h"

#include <array>

#include "polyvm/ir/builder.h"
#include "ref_eval.h"

namespace polyvm::ir::testing {
namespace {

constexpr std::array kIntTypes = {Type::kI8,  Type::kI16, Type::kI32,
                                  Type::kI64, Type::kI64, Type::kI128};

const HelperInfo kTestHelper{[](void*, uint64_t a, uint64_t, uint64_t) { return a; },
                             "test_helper"};

class Generator {
 public:
  Generator(uint64_t seed, const RandomBlockOptions& options) : rng_(seed), opt_(options) {}

  Block Run() {
    b_.pc = 0x10000;
    unsigned steps = 4 + static_cast<unsigned>(rng_.Below(opt_.max_steps));
    Marker();
    for (unsigned i = 0; i < steps; ++i) Step();
    SinkUnusedValues();
    b_.size = 4 * insns_;
    b_.insn_count = insns_;
    b_.exit = RandomExit(true);
    return b_;
  }

 private:
  // Most values would otherwise be dead; writing them to state makes a wrong fold observable.
  void SinkUnusedValues() {
    std::vector<bool> used(b_.insts.size(), false);
    for (const Inst& inst : b_.insts) {
      for (ValueId a : inst.args) {
        if (a != kNoValue) used[a] = true;
      }
    }
    for (const Exit& e : b_.side_exits) {
      if (e.value != kNoValue) used[e.value] = true;
    }
    const size_t n = b_.insts.size();
    for (ValueId i = 0; i < n; ++i) {
      Type t = b_.insts[i].type;
      if (t == Type::kVoid || used[i] || b_.insts[i].op == Opcode::kGetReg || !rng_.Chance(60))
        continue;
      uint32_t off = Offset(t);
      ir_.SetReg(off, ir_.ValueOf(i));
    }
  }

  Type IntType() { return kIntTypes[rng_.Below(kIntTypes.size())]; }
  Type AnyStateType() {
    switch (rng_.Below(10)) {
      case 0: return Type::kI1;
      case 1: return Type::kF32;
      case 2: return Type::kF64;
      default: return IntType();
    }
  }

  uint64_t ConstValue(Type t) {
    uint64_t m = WidthMask(t);
    unsigned w = BitWidth(t) >= 64 ? 64 : BitWidth(t);
    switch (rng_.Below(9)) {
      case 0: return 0;
      case 1: return 1;
      case 2: return m;                                   // all ones (-1)
      case 3: return w > 1 ? uint64_t{1} << (w - 1) : 1;  // signed minimum
      case 4: return w > 1 ? m >> 1 : 0;                  // signed maximum
      case 5: return rng_.Below(70) & m;                  // small, shift counts around the widths
      default: return rng_.Next() & m;
    }
  }

  uint32_t Offset(Type t) {
    unsigned size = ByteSize(t);
    unsigned room = kStateSize - kRegBase - size + 1;
    unsigned off = static_cast<unsigned>(rng_.Below(room));
    if (rng_.Chance(75)) off &= ~((size < 8 ? size : 8) - 1);  // mostly natural alignment
    return kRegBase + off;
  }

  Value Fresh(Type t) {
    if (rng_.Chance(50)) return ir_.Const(t, ConstValue(t));
    return ir_.GetReg(t, Offset(t));
  }

  // An existing value of type t most of the time (so values get reused), else a new one.
  Value Pick(Type t) {
    std::vector<ValueId> of_type;
    for (ValueId i = 0; i < b_.insts.size(); ++i) {
      if (b_.insts[i].type == t) of_type.push_back(i);
    }
    if (of_type.empty() || rng_.Chance(30)) return Fresh(t);
    return ir_.ValueOf(of_type[rng_.Below(of_type.size())]);
  }

  void Marker() {
    ir_.GuestInsn(b_.pc + 4 * insns_, 4);
    ++insns_;
  }

  Exit RandomExit(bool main) {
    Exit e;
    e.insn_count = static_cast<uint32_t>(rng_.Below(insns_ + 1));
    switch (rng_.Below(main ? 5 : 3)) {
      case 0:
        e.kind = ExitKind::kTrap;
        e.trap = core::TrapCode::kIllegalInstruction;
        e.target = b_.pc + 4 * rng_.Below(insns_);
        e.info = rng_.Next() & 0xffffffff;
        break;
      case 1:
        e.kind = ExitKind::kIndirect;
        e.value = Pick(Type::kI64).id;
        break;
      case 2:
        e.kind = ExitKind::kJump;
        e.target = rng_.Next() & 0xfffff;
        break;
      case 3:
        e.kind = ExitKind::kBranch;
        e.value = Pick(Type::kI1).id;
        e.target = 0x20000;
        e.fallthrough = b_.pc + 4 * insns_;
        break;
      default:
        e.kind = ExitKind::kSyscall;
        e.target = b_.pc + 4 * insns_;
        break;
    }
    return e;
  }

  void Binary(Opcode op) {
    Type t = IntType();
    if (op == Opcode::kAnd || op == Opcode::kOr || op == Opcode::kXor) {
      if (rng_.Chance(15)) t = Type::kI1;
    }
    Value a = Pick(t);
    Value b = rng_.Chance(15) ? a : Pick(t);
    ir_.Op(op, a, b);
  }

  void Step() {
    static constexpr Opcode kBinary[] = {
        Opcode::kAdd,     Opcode::kSub,  Opcode::kMul,  Opcode::kMulHiS, Opcode::kMulHiU,
        Opcode::kMulHiSU, Opcode::kDivS, Opcode::kDivU, Opcode::kRemS,   Opcode::kRemU,
        Opcode::kAnd,     Opcode::kOr,   Opcode::kXor,  Opcode::kAdd,    Opcode::kAnd};
    static constexpr Opcode kShift[] = {Opcode::kShl, Opcode::kLShr, Opcode::kAShr, Opcode::kRotl,
                                        Opcode::kRotr};
    static constexpr Opcode kUnary[] = {Opcode::kNeg,       Opcode::kNot,      Opcode::kClz,
                                        Opcode::kCtz,       Opcode::kPopcount, Opcode::kBswap,
                                        Opcode::kBitReverse};
    static constexpr Opcode kCompare[] = {Opcode::kCmpEq,  Opcode::kCmpNe,  Opcode::kCmpLtS,
                                          Opcode::kCmpLtU, Opcode::kCmpLeS, Opcode::kCmpLeU};
    static constexpr Opcode kFlag2[] = {Opcode::kAddCarry, Opcode::kAddOverflow, Opcode::kSubBorrow,
                                        Opcode::kSubOverflow};
    static constexpr Opcode kFlag3[] = {Opcode::kAdc, Opcode::kAdcCarry,  Opcode::kAdcOverflow,
                                        Opcode::kSbb, Opcode::kSbbBorrow, Opcode::kSbbOverflow};
    unsigned kinds = opt_.effects ? 22 : 18;
    switch (rng_.Below(kinds)) {
      case 0:
      case 1: Binary(kBinary[rng_.Below(std::size(kBinary))]); break;
      case 2: {
        Type t = IntType();
        Opcode op = kShift[rng_.Below(std::size(kShift))];
        Value a = Pick(t);
        Value count = rng_.Chance(60) ? ir_.Const(t, rng_.Below(2 * BitWidth(t))) : Pick(IntType());
        ir_.Op(op, a, count);
        break;
      }
      case 3: {
        Opcode op = kUnary[rng_.Below(std::size(kUnary))];
        Type t = IntType();
        if (op == Opcode::kBswap && t == Type::kI8) t = Type::kI16;
        if (op == Opcode::kNot && rng_.Chance(20)) t = Type::kI1;
        ir_.Op(op, Pick(t));
        break;
      }
      case 4: {
        Opcode op = kCompare[rng_.Below(std::size(kCompare))];
        Type t = IntType();
        if ((op == Opcode::kCmpEq || op == Opcode::kCmpNe) && rng_.Chance(15)) t = Type::kI1;
        Value a = Pick(t);
        Value b = rng_.Chance(15) ? a : Pick(t);
        ir_.Cmp(op, a, b);
        break;
      }
      case 5: {
        Type t = AnyStateType();
        Value c = Pick(Type::kI1);
        Value a = Pick(t);
        Value b = Pick(t);
        ir_.Select(c, a, b);
        break;
      }
      case 6: WidthChange(); break;
      case 7: {
        Type t = IntType();
        if (rng_.Chance(50)) {
          Opcode op = kFlag2[rng_.Below(std::size(kFlag2))];
          Value a = Pick(t);
          Value b = Pick(t);
          ir_.Op(op, a, b);
        } else {
          Opcode op = kFlag3[rng_.Below(std::size(kFlag3))];
          Value a = Pick(t);
          Value b = Pick(t);
          Value c = Pick(Type::kI1);
          ir_.Emit(op, op == Opcode::kAdc || op == Opcode::kSbb ? t : Type::kI1, a, b, c);
        }
        if (rng_.Chance(20)) ir_.Op(Opcode::kParity, Pick(IntType()));
        break;
      }
      case 8:
      case 9:
      case 10: {
        bool favourite = rng_.Chance(50);
        Type t = favourite && rng_.Chance(70) ? Type::kI64 : AnyStateType();
        Value v = Pick(t);
        uint32_t off = favourite ? FavouriteOffset(t) : Offset(t);
        ir_.SetReg(off, v);
        break;
      }
      case 11:
      case 12: {
        bool favourite = rng_.Chance(50);
        Type t = favourite && rng_.Chance(70) ? Type::kI64 : AnyStateType();
        uint32_t off = favourite ? FavouriteOffset(t) : Offset(t);
        ir_.GetReg(t, off);
        break;
      }
      case 13: {
        Value c = Pick(Type::kI1);
        Exit e = RandomExit(false);
        ir_.ExitIf(c, e);
        break;
      }
      case 14: {
        Type t = AnyStateType();
        if (t == Type::kI1) t = Type::kI8;
        MemFlags f{.aligned = rng_.Chance(30)};
        Value addr = Address();
        if (rng_.Chance(50)) {
          ir_.Load(t, addr, f);
        } else {
          Value v = Pick(t);
          ir_.Store(addr, v, f);
        }
        break;
      }
      case 15:
      case 16: Marker(); break;
      case 17: {
        Type t = IntType();
        if (t == Type::kI128) t = Type::kI64;
        Value lo = Pick(t);
        Value hi = rng_.Chance(30) ? lo : Pick(t);
        ir_.Emit(Opcode::kConcat, IntType(2 * BitWidth(t)), lo, hi);
        break;
      }
      default: Effect(); break;
    }
  }

  // Offsets of 8-byte registers, so that reads and writes of the same bytes are frequent.
  uint32_t FavouriteOffset(Type t) {
    uint32_t off = kRegBase + 8 * static_cast<uint32_t>(rng_.Below(4));
    return off + ByteSize(t) <= kStateSize ? off : Offset(t);
  }

  static Type IntType(unsigned bits) { return ::polyvm::ir::IntType(bits); }

  Value Address() {
    if (rng_.Chance(30)) return ir_.I64(rng_.Below(kMemSize + 16));
    Value base = Pick(Type::kI64);
    Value mask = ir_.I64(rng_.Chance(70) ? 0xff : 0x1ff);
    return ir_.And(base, mask);
  }

  void WidthChange() {
    Type from = rng_.Chance(15) ? Type::kI1 : IntType();
    switch (rng_.Below(6)) {
      case 5: {  // SExt(Trunc v) back to v's type: folded away when v is known extended
        Type t = IntType();
        if (t == Type::kI128 || BitWidth(t) < 32) t = Type::kI64;
        Type narrow = IntType(BitWidth(t) / 2);
        Value x = Pick(t);
        // Sources whose top bits are partly known, around the boundary the fold relies on.
        const unsigned w = BitWidth(t);
        const uint64_t shift = BitWidth(narrow) - 2 + rng_.Below(5);
        switch (rng_.Below(5)) {
          case 0: {
            Opcode ext = rng_.Chance(50) ? Opcode::kZExt : Opcode::kSExt;
            x = ir_.Emit(ext, t, Pick(rng_.Chance(50) ? narrow : IntType(BitWidth(narrow) / 2)));
            break;
          }
          case 1: {
            uint64_t mask = shift >= 64 ? 0 : ~uint64_t{0} >> (64 - w + shift % w);
            x = ir_.Emit(Opcode::kAnd, t, x, ir_.Const(t, mask));
            break;
          }
          case 2: x = ir_.Emit(Opcode::kLShr, t, x, ir_.Const(t, shift)); break;
          case 3: x = ir_.Emit(Opcode::kAShr, t, x, ir_.Const(t, shift)); break;
          default: {
            Value e = ir_.Emit(Opcode::kSExt, t, Pick(narrow));
            x = ir_.Emit(rng_.Chance(50) ? Opcode::kXor : Opcode::kOr, t, e,
                         ir_.Emit(Opcode::kZExt, t, Pick(IntType(BitWidth(narrow) / 2))));
            break;
          }
        }
        Value back = ir_.Emit(Opcode::kSExt, t, ir_.Emit(Opcode::kTrunc, narrow, x));
        ir_.SetReg(FavouriteOffset(t), back);  // observed, so a wrong fold shows
        break;
      }
      case 0:
      case 1: {  // ZExt / SExt to a type at least as wide
        Type to = IntType();
        if (BitWidth(to) < BitWidth(from)) std::swap(to, from);
        if (to == Type::kI1) to = Type::kI8;
        Opcode op = rng_.Chance(50) ? Opcode::kZExt : Opcode::kSExt;
        ir_.Emit(op, to, Pick(from));
        break;
      }
      case 2: {  // Trunc to a type at most as wide (i1 included)
        Type src = IntType();
        Type to = rng_.Chance(20) ? Type::kI1 : IntType();
        if (BitWidth(to) > BitWidth(src)) std::swap(to, src);
        ir_.Emit(Opcode::kTrunc, to, Pick(src));
        break;
      }
      case 3: {  // Bitcast between same-width types
        static constexpr std::pair<Type, Type> kPairs[] = {{Type::kI64, Type::kF64},
                                                           {Type::kF64, Type::kI64},
                                                           {Type::kI32, Type::kF32},
                                                           {Type::kF32, Type::kI32},
                                                           {Type::kI16, Type::kI16}};
        auto [src, to] = kPairs[rng_.Below(std::size(kPairs))];
        ir_.Emit(Opcode::kBitcast, to, Pick(src));
        break;
      }
      default: {  // Extract a field
        Type src = IntType();
        Type to = IntType();
        if (BitWidth(to) > BitWidth(src)) std::swap(to, src);
        uint64_t pos = rng_.Below(BitWidth(src) - BitWidth(to) + 1);
        ir_.Emit(Opcode::kExtract, to, Pick(src), {}, {}, pos);
        break;
      }
    }
  }

  // Ops the evaluator does not run; they must all survive every pass.
  void Effect() {
    switch (rng_.Below(9)) {
      case 0: {
        Value a = Pick(Type::kF64);
        Value b = Pick(Type::kF64);
        ir_.Op(Opcode::kFAdd, a, b, {}, FpMode{}.Encode());
        break;
      }
      case 1:
        ir_.Op(Opcode::kFSqrt, ir_.Const(Type::kF32, 0xbf800000), {}, {}, FpMode{}.Encode());
        break;
      case 2: ir_.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, 1 + rng_.Below(15)); break;
      case 3:
        ir_.Emit(Opcode::kReadCounter, Type::kI64, {}, {}, {}, 0,
                 static_cast<uint32_t>(rng_.Below(3)));
        break;
      case 4: {
        Type t = rng_.Chance(50) ? Type::kVoid : Type::kI64;
        Value a = Pick(Type::kI64);
        ir_.Emit(Opcode::kCallHelper, t, a, {}, {}, reinterpret_cast<uintptr_t>(&kTestHelper));
        break;
      }
      case 5: {
        Value addr = Address();
        Value v = Pick(Type::kI32);
        ir_.Emit(Opcode::kAtomicRmw, Type::kI32, addr, v, {}, 0,
                 MemFlags{.order = MemOrder::kSeqCst, .rmw = RmwOp::kAdd}.Encode());
        break;
      }
      case 6: ir_.Emit(Opcode::kClearMonitor, Type::kVoid); break;
      case 7: ir_.Emit(Opcode::kFpGetFlags, Type::kI32); break;
      default: {
        Value a =
            ir_.Const(Type::kF64, 0x7ff0000000000001);  // a signaling NaN: FCmp raises invalid
        ir_.Op(Opcode::kFCmpLt, a, a, {}, FpMode{}.Encode());
        break;
      }
    }
  }

  Rng rng_;
  RandomBlockOptions opt_;
  Block b_;
  Builder ir_{b_};
  uint32_t insns_ = 0;
};

}  // namespace

Block RandomBlock(uint64_t seed, const RandomBlockOptions& options) {
  return Generator(seed, options).Run();
}

std::vector<uint8_t> RandomState(Rng& rng) {
  std::vector<uint8_t> s(kStateSize, 0);
  for (size_t i = kRegBase; i < kStateSize; ++i) s[i] = static_cast<uint8_t>(rng.Next());
  return s;
}

std::vector<uint8_t> RandomMemory(Rng& rng) {
  std::vector<uint8_t> m(kMemSize);
  for (uint8_t& b : m) b = static_cast<uint8_t>(rng.Next());
  return m;
}

}  // namespace polyvm::ir::testing
