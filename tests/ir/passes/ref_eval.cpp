// The reference evaluator. Integer ops up to 64 bits are computed here directly from the
// definitions in opcodes.def with exact 128-bit arithmetic (independently of ir/semantics/int.h,
// which the constant folder uses); i128 ops, which would need 256-bit arithmetic, call int.h.
#include "ref_eval.h"

#include <fmt/format.h>

#include <optional>

#include "polyvm/ir/semantics/int.h"

namespace polyvm::ir::testing {
namespace {

using sem::S128;
using sem::U128;

U128 Mask(unsigned w) { return w >= 128 ? ~U128{0} : (U128{1} << w) - 1; }

// v (w bits, zero-extended) as a signed number; w <= 64.
S128 Signed(U128 v, unsigned w) {
  return (v >> (w - 1)) & 1 ? static_cast<S128>(v) - (S128{1} << w) : static_cast<S128>(v);
}

bool FitsSigned(S128 v, unsigned w) {
  return v >= -(S128{1} << (w - 1)) && v < (S128{1} << (w - 1));
}

// Integer ops at width w <= 64 on zero-extended operands; nullopt for any other op.
std::optional<U128> Narrow(Opcode op, unsigned w, U128 a, U128 b, U128 c) {
  const U128 m = Mask(w);
  const S128 sa = Signed(a, w), sb = Signed(b, w);
  const unsigned n = static_cast<unsigned>(b % w);
  const U128 min = U128{1} << (w - 1);
  switch (op) {
    case Opcode::kAdd: return (a + b) & m;
    case Opcode::kSub: return (a - b) & m;
    case Opcode::kMul: return (a * b) & m;
    case Opcode::kMulHiU: return (a * b) >> w;
    case Opcode::kMulHiS: return static_cast<U128>((sa * sb) >> w) & m;
    case Opcode::kMulHiSU: return static_cast<U128>((sa * static_cast<S128>(b)) >> w) & m;
    case Opcode::kDivU: return b == 0 ? m : a / b;
    case Opcode::kRemU: return b == 0 ? a : a % b;
    case Opcode::kDivS:
      if (b == 0) return m;
      if (a == min && b == m) return a;
      return static_cast<U128>(sa / sb) & m;
    case Opcode::kRemS:
      if (b == 0) return a;
      if (a == min && b == m) return 0;
      return static_cast<U128>(sa % sb) & m;
    case Opcode::kNeg: return (U128{0} - a) & m;
    case Opcode::kShl: return (a << n) & m;
    case Opcode::kLShr: return a >> n;
    case Opcode::kAShr: return static_cast<U128>(sa >> n) & m;
    case Opcode::kRotl: return ((a << n) | (a >> ((w - n) % w))) & m;
    case Opcode::kRotr: return ((a >> n) | (a << ((w - n) % w))) & m;
    case Opcode::kClz: {
      unsigned k = 0;
      while (k < w && !((a >> (w - 1 - k)) & 1)) ++k;
      return k;
    }
    case Opcode::kCtz: {
      unsigned k = 0;
      while (k < w && !((a >> k) & 1)) ++k;
      return k;
    }
    case Opcode::kPopcount: {
      unsigned k = 0;
      for (unsigned i = 0; i < w; ++i) k += (a >> i) & 1;
      return k;
    }
    case Opcode::kBswap: {
      U128 r = 0;
      for (unsigned i = 0; i < w / 8; ++i) r |= ((a >> (8 * i)) & 0xff) << (w - 8 - 8 * i);
      return r;
    }
    case Opcode::kBitReverse: {
      U128 r = 0;
      for (unsigned i = 0; i < w; ++i) r |= ((a >> i) & 1) << (w - 1 - i);
      return r;
    }
    case Opcode::kCmpLtS: return sa < sb;
    case Opcode::kCmpLtU: return a < b;
    case Opcode::kCmpLeS: return sa <= sb;
    case Opcode::kCmpLeU: return a <= b;
    case Opcode::kAddCarry: return a + b > m;
    case Opcode::kAddOverflow: return !FitsSigned(sa + sb, w);
    case Opcode::kSubBorrow: return a < b;
    case Opcode::kSubOverflow: return !FitsSigned(sa - sb, w);
    case Opcode::kAdc: return (a + b + c) & m;
    case Opcode::kAdcCarry: return a + b + c > m;
    case Opcode::kAdcOverflow: return !FitsSigned(sa + sb + static_cast<S128>(c), w);
    case Opcode::kSbb: return (a - b - c) & m;
    case Opcode::kSbbBorrow: return a < b + c;
    case Opcode::kSbbOverflow: return !FitsSigned(sa - sb - static_cast<S128>(c), w);
    case Opcode::kParity: {
      unsigned k = 0;
      for (unsigned i = 0; i < 8; ++i) k += (a >> i) & 1;
      return k % 2 == 0;
    }
    default: return std::nullopt;
  }
}

// The same ops at 128 bits, through int.h.
std::optional<U128> Wide(Opcode op, U128 a, U128 b, U128 c) {
  const auto n = static_cast<uint64_t>(b);
  const bool ci = c != 0;
  switch (op) {
    case Opcode::kAdd: return sem::Add(a, b);
    case Opcode::kSub: return sem::Sub(a, b);
    case Opcode::kMul: return sem::Mul(a, b);
    case Opcode::kMulHiU: return sem::MulHiU(a, b);
    case Opcode::kMulHiS: return sem::MulHiS(a, b);
    case Opcode::kMulHiSU: return sem::MulHiSU(a, b);
    case Opcode::kDivU: return sem::DivU(a, b);
    case Opcode::kRemU: return sem::RemU(a, b);
    case Opcode::kDivS: return sem::DivS(a, b);
    case Opcode::kRemS: return sem::RemS(a, b);
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
    case Opcode::kAdc: return sem::Adc(a, b, ci);
    case Opcode::kAdcCarry: return sem::AdcCarry(a, b, ci);
    case Opcode::kAdcOverflow: return sem::AdcOverflow(a, b, ci);
    case Opcode::kSbb: return sem::Sbb(a, b, ci);
    case Opcode::kSbbBorrow: return sem::SbbBorrow(a, b, ci);
    case Opcode::kSbbOverflow: return sem::SbbOverflow(a, b, ci);
    case Opcode::kParity: return sem::Parity(a);
    default: return std::nullopt;
  }
}

class Machine {
 public:
  Machine(const Block& b, std::vector<uint8_t> state, std::vector<uint8_t> memory) : b_(b) {
    out_.state = std::move(state);
    out_.memory = std::move(memory);
    v_.assign(b.insts.size(), 0);
  }

  Outcome Run() {
    for (ValueId i = 0; i < b_.insts.size(); ++i) {
      if (!Step(i)) return out_;
    }
    Leave(Outcome::How::kExit, b_.exit);
    return out_;
  }

 private:
  U128 Arg(const Inst& inst, unsigned k) const { return v_[inst.args[k]]; }
  Type ArgType(const Inst& inst, unsigned k) const { return b_.TypeOf(inst.args[k]); }

  U128 ReadBytes(const std::vector<uint8_t>& bytes, uint64_t at, unsigned size) const {
    U128 r = 0;
    for (unsigned i = 0; i < size; ++i) r |= U128{bytes[at + i]} << (8 * i);
    return r;
  }
  void WriteBytes(std::vector<uint8_t>& bytes, uint64_t at, unsigned size, U128 v) {
    for (unsigned i = 0; i < size; ++i) bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
  }

  void Leave(Outcome::How how, const Exit& e) {
    out_.how = how;
    out_.exit = e;
    if (e.value != kNoValue) out_.exit_value = static_cast<uint64_t>(v_[e.value]);
  }

  // False when the block leaves at this instruction.
  bool MemoryAccess(const Inst& inst, Type t, uint64_t addr, bool store, U128 value, U128& loaded) {
    unsigned size = ByteSize(t);
    bool aligned = MemFlags::Decode(inst.aux).aligned;
    if (addr > kMemSize - size || (aligned && addr % size != 0)) {
      out_.how = Outcome::How::kFault;
      out_.fault_addr = addr;
      return false;
    }
    if (store) {
      WriteBytes(out_.memory, addr, size, value);
    } else {
      loaded = ReadBytes(out_.memory, addr, size);
    }
    return true;
  }

  bool Step(ValueId i) {
    const Inst& inst = b_.insts[i];
    const Type t = inst.type;
    const unsigned w = BitWidth(t);
    U128& r = v_[i];
    switch (inst.op) {
      case Opcode::kConst: r = inst.imm; return true;
      case Opcode::kGuestInsn: out_.guest_pc = inst.imm; return true;
      case Opcode::kGetReg:
        r = ReadBytes(out_.state, inst.imm, ByteSize(t));
        if (t == Type::kI1) r &= 1;  // i1 state is one byte; the value is its bit 0
        return true;
      case Opcode::kSetReg:
        WriteBytes(out_.state, inst.imm, ByteSize(ArgType(inst, 0)), Arg(inst, 0));
        return true;
      case Opcode::kAnd: r = Arg(inst, 0) & Arg(inst, 1); return true;
      case Opcode::kOr: r = Arg(inst, 0) | Arg(inst, 1); return true;
      case Opcode::kXor: r = Arg(inst, 0) ^ Arg(inst, 1); return true;
      case Opcode::kNot: r = ~Arg(inst, 0) & Mask(w); return true;
      case Opcode::kCmpEq: r = Arg(inst, 0) == Arg(inst, 1); return true;
      case Opcode::kCmpNe: r = Arg(inst, 0) != Arg(inst, 1); return true;
      case Opcode::kSelect: r = Arg(inst, 0) ? Arg(inst, 1) : Arg(inst, 2); return true;
      case Opcode::kZExt:
      case Opcode::kBitcast: r = Arg(inst, 0); return true;
      case Opcode::kTrunc: r = Arg(inst, 0) & Mask(w); return true;
      case Opcode::kSExt: {
        unsigned from = BitWidth(ArgType(inst, 0));
        U128 a = Arg(inst, 0);
        r = ((a >> (from - 1)) & 1) ? (a | ~Mask(from)) & Mask(w) : a;
        return true;
      }
      case Opcode::kConcat:
        r = Arg(inst, 0) | Arg(inst, 1) << BitWidth(ArgType(inst, 0));
        return true;
      case Opcode::kExtract: r = (Arg(inst, 0) >> inst.imm) & Mask(w); return true;
      case Opcode::kLoad: {
        U128 loaded = 0;
        if (!MemoryAccess(inst, t, static_cast<uint64_t>(Arg(inst, 0)), false, 0, loaded))
          return false;
        r = loaded;
        return true;
      }
      case Opcode::kStore: {
        U128 unused = 0;
        return MemoryAccess(inst, ArgType(inst, 1), static_cast<uint64_t>(Arg(inst, 0)), true,
                            Arg(inst, 1), unused);
      }
      case Opcode::kExitIf:
        if (!Arg(inst, 0)) return true;
        out_.side_exit = inst.imm;
        Leave(Outcome::How::kSideExit, b_.side_exits[inst.imm]);
        return false;
      default: break;
    }
    // The working width: the result's, or the operands' for the i1-valued comparisons and flags.
    std::optional<U128> result;
    if (inst.NumArgs() > 0 && IsInt(ArgType(inst, 0))) {
      unsigned ow = t == Type::kI1 ? BitWidth(ArgType(inst, 0)) : w;
      U128 a = Arg(inst, 0);
      U128 b = inst.args[1] != kNoValue ? Arg(inst, 1) : 0;
      U128 c = inst.args[2] != kNoValue ? Arg(inst, 2) : 0;
      result = ow == 128 ? Wide(inst.op, a, b, c) : Narrow(inst.op, ow, a, b, c);
    }
    if (!result) {
      out_.how = Outcome::How::kUnsupported;
      out_.unsupported = std::string(OpName(inst.op));
      return false;
    }
    r = *result;
    return true;
  }

  const Block& b_;
  std::vector<U128> v_;
  Outcome out_;
};

}  // namespace

bool Outcome::operator==(const Outcome& o) const {
  if (how != o.how || guest_pc != o.guest_pc || state != o.state || memory != o.memory)
    return false;
  switch (how) {
    case How::kFault: return fault_addr == o.fault_addr;
    case How::kUnsupported: return unsupported == o.unsupported;
    case How::kSideExit:
      if (side_exit != o.side_exit) return false;
      [[fallthrough]];
    case How::kExit:
      return exit.kind == o.exit.kind && exit.hint == o.exit.hint && exit.trap == o.exit.trap &&
             exit.target == o.exit.target && exit.fallthrough == o.exit.fallthrough &&
             exit.info == o.exit.info && exit.insn_count == o.exit.insn_count &&
             exit_value == o.exit_value;
  }
  return false;
}

std::string Outcome::Describe() const {
  std::string s;
  switch (how) {
    case How::kExit:
      s = fmt::format("exit value=0x{:x} target=0x{:x}", exit_value, exit.target);
      break;
    case How::kSideExit:
      s = fmt::format("side exit #{} value=0x{:x}", side_exit, exit_value);
      break;
    case How::kFault: s = fmt::format("fault at 0x{:x}", fault_addr); break;
    case How::kUnsupported: s = "unsupported op " + unsupported; break;
  }
  s += fmt::format(" guest_pc=0x{:x}\nstate:", guest_pc);
  for (size_t i = kRegBase; i < state.size(); ++i) s += fmt::format(" {:02x}", state[i]);
  s += "\nmemory:";
  for (uint8_t m : memory) s += fmt::format("{:02x}", m);
  return s;
}

Outcome Evaluate(const Block& block, std::vector<uint8_t> state, std::vector<uint8_t> memory) {
  return Machine(block, std::move(state), std::move(memory)).Run();
}

}  // namespace polyvm::ir::testing
