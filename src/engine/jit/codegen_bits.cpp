// Emission of the bit-count, byte- and bit-reversal ops and of integer division: inline x86-64
// for the widths RISC-V and AArch64 use (32 and 64 bits; the counts also at 8 and 16), with the
// IR's results for the cases x86 would trap on (division by zero, MIN / -1).
#include <xbyak/xbyak_util.h>

#include <array>

#include "compiler.h"

namespace polyvm::engine::jit::detail {
namespace {

// The host's instruction set extensions (lzcnt, tzcnt, popcnt): without them the op is cold.
const Xbyak::util::Cpu& HostCpu() {
  static const Xbyak::util::Cpu cpu;
  return cpu;
}

// Bit reversal after a byte swap: exchange nibbles, bit pairs and single bits.
struct SwapStep {
  int shift;
  uint64_t mask;
};
constexpr SwapStep kSwapSteps[3] = {
    {4, 0x0F0F0F0F0F0F0F0Full}, {2, 0x3333333333333333ull}, {1, 0x5555555555555555ull}};

// Bit reversal of a byte, for values known to fit in one.
constexpr std::array<uint8_t, 256> MakeReverseByte() {
  std::array<uint8_t, 256> t{};
  for (unsigned x = 0; x < 256; ++x) {
    unsigned r = 0;
    for (unsigned b = 0; b < 8; ++b) r |= ((x >> b) & 1u) << (7 - b);
    t[x] = static_cast<uint8_t>(r);
  }
  return t;
}
alignas(64) constexpr std::array<uint8_t, 256> kReverseByte = MakeReverseByte();

}  // namespace

// Whether v's value is below 256 by construction: an And with a byte-sized constant, a zero
// extension of an i8 or i1, or an i8/i1 value. (The RISC-V lifter reorders the five fflags bits
// with And 0x1f, BitReverse, LShr.)
bool Compiler::FitsInByte(ValueId v) const {
  const ir::Inst& inst = b_.insts[R(v)];
  if (inst.type == ir::Type::kI8 || inst.type == ir::Type::kI1) return true;
  if (inst.op == Opcode::kAnd) {
    for (unsigned k = 0; k < 2; ++k) {
      if (IsConst(inst.args[k]) && ConstBits(inst.args[k]) <= 0xff) return true;
    }
  }
  if (inst.op == Opcode::kZExt) {
    const ir::Type at = TypeOf(inst.args[0]);
    return at == ir::Type::kI8 || at == ir::Type::kI1;
  }
  return false;
}

// Clz, Ctz, Popcount, Bswap, BitReverse on i8..i64 (the value zero-extended in rax).
bool Compiler::EmitBitOp(ValueId i, const ir::Inst& inst) {
  const ir::Type t = inst.type;
  if (!IsSmallInt(t) || t == ir::Type::kI1) return false;
  const unsigned w = ir::BitWidth(t);
  const Xbyak::util::Cpu& cpu = HostCpu();
  switch (inst.op) {
    case Opcode::kClz:
      if (!cpu.has(Xbyak::util::Cpu::tLZCNT)) return false;
      break;
    case Opcode::kCtz:
      if (!cpu.has(Xbyak::util::Cpu::tBMI1)) return false;
      break;
    case Opcode::kPopcount:
      if (!cpu.has(Xbyak::util::Cpu::tPOPCNT)) return false;
      break;
    case Opcode::kBswap:
    case Opcode::kBitReverse: break;
    default: return false;
  }
  Load(rax, inst.args[0]);
  switch (inst.op) {
    case Opcode::kClz:
      if (w == 64) {
        lzcnt(rax, rax);
      } else {
        lzcnt(eax, eax);
        if (w < 32) sub(eax, 32 - w);
      }
      break;
    case Opcode::kCtz:
      if (w == 64) {
        tzcnt(rax, rax);
      } else {
        if (w < 32) or_(eax, 1u << w);  // a zero counts the width
        tzcnt(eax, eax);
      }
      break;
    case Opcode::kPopcount: popcnt(rax, rax); break;
    case Opcode::kBswap:
      if (w == 16) {
        rol(ax, 8);
      } else if (w == 32) {
        bswap(eax);
      } else if (w == 64) {
        bswap(rax);
      }
      break;
    default:  // kBitReverse
      if (FitsInByte(inst.args[0])) {
        // The reversed byte lands in the top byte of the width.
        mov(rcx, reinterpret_cast<uint64_t>(kReverseByte.data()));
        movzx(eax, byte[rcx + rax]);
        if (w == 64) {
          shl(rax, 56);
        } else if (w > 8) {
          shl(eax, w - 8);
        }
      } else if (w == 64) {
        bswap(rax);
        for (const SwapStep& s : kSwapSteps) {
          mov(rdx, s.mask);
          mov(rcx, rax);
          shr(rcx, s.shift);
          and_(rcx, rdx);
          and_(rax, rdx);
          shl(rax, s.shift);
          or_(rax, rcx);
        }
      } else {
        bswap(eax);
        for (const SwapStep& s : kSwapSteps) {
          mov(ecx, eax);
          shr(ecx, s.shift);
          and_(ecx, static_cast<uint32_t>(s.mask));
          and_(eax, static_cast<uint32_t>(s.mask));
          shl(eax, s.shift);
          or_(eax, ecx);
        }
        if (w < 32) shr(eax, 32 - w);
      }
      break;
  }
  Put(i, rax);  // every case above leaves the result zero-extended within its width
  return true;
}

// DivS, DivU, RemS, RemU on i32 and i64. A zero divisor gives all ones (quotients) or the
// dividend (remainders); a signed division by -1 is a negation (MIN / -1 = MIN, remainder 0), so
// idiv never sees the one quotient that overflows. The special cases are out of line.
bool Compiler::EmitDivRem(ValueId i, const ir::Inst& inst) {
  const ir::Type t = inst.type;
  if (t != ir::Type::kI32 && t != ir::Type::kI64) return false;
  const bool w64 = t == ir::Type::kI64;
  const bool is_signed = inst.op == Opcode::kDivS || inst.op == Opcode::kRemS;
  const bool rem = inst.op == Opcode::kRemS || inst.op == Opcode::kRemU;
  const ValueId b = inst.args[1];
  const uint64_t all_ones = ir::WidthMask(t);
  const bool b_const = IsConst(b);
  const uint64_t cb = b_const ? ConstBits(b) : 0;
  const Xbyak::Reg& ra =
      w64 ? static_cast<const Xbyak::Reg&>(rax) : static_cast<const Xbyak::Reg&>(eax);
  const Xbyak::Reg& rc =
      w64 ? static_cast<const Xbyak::Reg&>(rcx) : static_cast<const Xbyak::Reg&>(ecx);
  Load(rax, inst.args[0]);
  if (b_const && cb == 0) {
    if (!rem) MovImm(rax, all_ones);
    Put(i, rax);
    return true;
  }
  if (b_const && is_signed && cb == all_ones) {
    if (rem) {
      xor_(eax, eax);
    } else {
      neg(ra);
    }
    Put(i, rax);
    return true;
  }
  Load(rcx, b);
  Label zero, minus_one, done;
  if (!b_const) {
    test(rc, rc);
    jz(zero, T_NEAR);
    if (is_signed) {
      cmp(rc, -1);
      je(minus_one, T_NEAR);
    }
  }
  if (is_signed) {
    if (w64) {
      cqo();
    } else {
      cdq();
    }
    idiv(rc);
  } else {
    xor_(edx, edx);
    div(rc);
  }
  if (rem) mov(rax, rdx);  // a 32-bit remainder is zero-extended in rdx already
  L(done);
  Put(i, rax);
  if (!b_const) {
    deferred_.push_back([this, zero, minus_one, done, rem, is_signed, all_ones, w64]() mutable {
      L(zero);
      if (!rem) MovImm(rax, all_ones);  // a remainder by zero is the dividend, still in rax
      jmp(done, T_NEAR);
      if (is_signed) {
        L(minus_one);
        if (rem) {
          xor_(eax, eax);
        } else if (w64) {
          neg(rax);
        } else {
          neg(eax);
        }
        jmp(done, T_NEAR);
      }
    });
  }
  return true;
}

}  // namespace polyvm::engine::jit::detail
