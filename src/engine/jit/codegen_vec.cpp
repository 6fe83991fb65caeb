// v128 values and the lane-moving vector ops inline: VDup, VExtract, VInsert, VTbl, zips and
// unzips, VNarrow, VWiden*, VMoveMask. v128 values live in their 16-byte frame slots (never in
// pool registers); an op loads its operands into xmm0-xmm2 with movdqu (slots and records are not
// guaranteed 16-byte aligned, which legacy SSE memory operands need) and stores its result back.
// An op whose lane size needs an extension the host lacks (host_caps.h) returns false: ColdOp.
#include <array>

#include "compiler.h"
#include "host_caps.h"

namespace polyvm::engine::jit::detail {

void Compiler::LoadV(const Xbyak::Xmm& x, ValueId v) {
  if (IsConst(v)) {  // v128 constants are 64-bit immediates, zero-extended
    const uint64_t c = b_.insts[R(v)].imm;
    if (c == 0) {
      pxor(x, x);
    } else {
      MovImm(rax, c);
      movq(x, rax);
    }
  } else {
    movdqu(x, ptr[SlotAddr(v)]);
  }
}

void Compiler::StoreV(ValueId i, const Xbyak::Xmm& x) { movdqu(ptr[SlotAddr(i)], x); }

void Compiler::LoadVConst(const Xbyak::Xmm& x, uint64_t lo, uint64_t hi) {
  const uint64_t bytes[2] = {lo, hi};
  Label& l = AddRecord(bytes, sizeof bytes);
  movdqu(x, ptr[rip]);
  ReferTo(l);
}

// A byte-shuffle control for pshufb from 16 byte indices (0x80: zero).
void Compiler::LoadShuffle(const Xbyak::Xmm& x, const std::array<uint8_t, 16>& idx) {
  uint64_t lo = 0, hi = 0;
  for (unsigned k = 0; k < 8; ++k) {
    lo |= uint64_t{idx[k]} << (8 * k);
    hi |= uint64_t{idx[8 + k]} << (8 * k);
  }
  LoadVConst(x, lo, hi);
}

// Width changes involving i128 or v128 (EmitWidth has the scalar ones): ZExt of a scalar to i128
// (the AArch64 lifter writes every scalar FP result so), Bitcast between i128 and v128, Trunc of
// an i128 to a scalar.
bool Compiler::EmitWideWidth(ValueId i, const ir::Inst& inst) {
  const ValueId a = inst.args[0];
  const ir::Type at = TypeOf(a);
  const ir::Type t = inst.type;
  const bool wide_t = t == ir::Type::kI128 || t == ir::Type::kV128;
  const bool wide_a = at == ir::Type::kI128 || at == ir::Type::kV128;
  switch (inst.op) {
    case Opcode::kZExt:
      if (t != ir::Type::kI128 || !IsScalar64(at)) return false;
      Load(rax, a);
      movq(xmm0, rax);  // one 16-byte store: a 16-byte reload of it is forwarded
      StoreV(i, xmm0);
      return true;
    case Opcode::kBitcast:
      if (!wide_t || !wide_a) return false;
      LoadV(xmm0, a);
      StoreV(i, xmm0);
      return true;
    case Opcode::kTrunc: {
      if (at != ir::Type::kI128 || !IsScalar64(t)) return false;
      Materialize(a);
      const Reg64 d = Def(i);
      mov(d, qword[SlotAddr(a)]);
      Store(i, d);
      return true;
    }
    default: return false;
  }
}

namespace {

// The bytes of every (2k + odd)-th element of size 2^lane, packed into the low 8 bytes; the rest
// zero (0x80).
std::array<uint8_t, 16> EvenOddBytes(unsigned lane, unsigned odd) {
  std::array<uint8_t, 16> idx;
  idx.fill(0x80);
  const unsigned size = 1u << lane;
  unsigned out = 0;
  for (unsigned e = odd; e < 16 / size; e += 2) {
    for (unsigned b = 0; b < size; ++b) idx[out++] = static_cast<uint8_t>(e * size + b);
  }
  return idx;
}

}  // namespace

bool Compiler::EmitVecLanes(ValueId i, const ir::Inst& inst) {
  const HostCapsInfo& caps = HostCaps();
  const unsigned lane = inst.lane;
  if (lane > 3) return false;
  switch (inst.op) {
    case Opcode::kVDup: {
      if (lane == 0 && !caps.ssse3) return false;
      Load(rax, inst.args[0]);
      movq(xmm0, rax);
      switch (lane) {
        case 0:
          pxor(xmm1, xmm1);
          pshufb(xmm0, xmm1);
          break;
        case 1:
          pshuflw(xmm0, xmm0, 0);
          pshufd(xmm0, xmm0, 0);
          break;
        case 2: pshufd(xmm0, xmm0, 0); break;
        default: punpcklqdq(xmm0, xmm0); break;
      }
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVExtract: {
      // A load of the lane from the operand's slot (a constant: its own bits).
      const unsigned size = 1u << lane;
      if (inst.imm >= 16 / size) return false;
      const ValueId a = inst.args[0];
      Materialize(a);
      const int off = static_cast<int>(inst.imm * size);
      const Reg64 d = Def(i);
      switch (size) {
        case 1: movzx(d.cvt32(), byte[SlotAddr(a) + off]); break;
        case 2: movzx(d.cvt32(), word[SlotAddr(a) + off]); break;
        case 4: mov(d.cvt32(), dword[SlotAddr(a) + off]); break;
        default: mov(d, qword[SlotAddr(a) + off]); break;
      }
      Store(i, d);
      return true;
    }
    case Opcode::kVInsert: {
      const unsigned size = 1u << lane;
      if (inst.imm >= 16 / size) return false;
      if (size != 2 && !caps.sse41) return false;
      const auto k = static_cast<uint8_t>(inst.imm);
      LoadV(xmm0, inst.args[0]);
      Load(rax, inst.args[1]);
      switch (size) {
        case 1: pinsrb(xmm0, eax, k); break;
        case 2: pinsrw(xmm0, eax, k); break;
        case 4: pinsrd(xmm0, eax, k); break;
        default: pinsrq(xmm0, rax, k); break;
      }
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVTbl: {
      // pshufb zeroes a byte whose index has bit 7 set: a saturating + 0x70 sends 16..255 there
      // and keeps 0..15's low nibble, the index pshufb uses.
      if (!caps.ssse3) return false;
      LoadV(xmm0, inst.args[0]);
      LoadV(xmm1, inst.args[1]);
      LoadVConst(xmm2, 0x7070707070707070ull, 0x7070707070707070ull);
      paddusb(xmm1, xmm2);
      pshufb(xmm0, xmm1);
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVZipLo:
    case Opcode::kVZipHi: {
      LoadV(xmm0, inst.args[0]);
      LoadV(xmm1, inst.args[1]);
      const bool lo = inst.op == Opcode::kVZipLo;
      switch (lane) {
        case 0: lo ? punpcklbw(xmm0, xmm1) : punpckhbw(xmm0, xmm1); break;
        case 1: lo ? punpcklwd(xmm0, xmm1) : punpckhwd(xmm0, xmm1); break;
        case 2: lo ? punpckldq(xmm0, xmm1) : punpckhdq(xmm0, xmm1); break;
        default: lo ? punpcklqdq(xmm0, xmm1) : punpckhqdq(xmm0, xmm1); break;
      }
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVUzpEven:
    case Opcode::kVUzpOdd: {
      const unsigned odd = inst.op == Opcode::kVUzpOdd ? 1 : 0;
      if (lane < 2 && !caps.ssse3) return false;
      LoadV(xmm0, inst.args[0]);
      LoadV(xmm1, inst.args[1]);
      if (lane == 3) {
        odd ? punpckhqdq(xmm0, xmm1) : punpcklqdq(xmm0, xmm1);
      } else if (lane == 2) {
        shufps(xmm0, xmm1, odd ? 0xDD : 0x88);  // a bit move: no FP exception
      } else {
        LoadShuffle(xmm2, EvenOddBytes(lane, odd));
        pshufb(xmm0, xmm2);
        pshufb(xmm1, xmm2);
        punpcklqdq(xmm0, xmm1);
      }
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVNarrow: {
      if (lane == 0 || (lane < 3 && !caps.ssse3)) return false;
      LoadV(xmm0, inst.args[0]);
      if (lane == 3) {
        pshufd(xmm0, xmm0, 0x08);
        movq(xmm0, xmm0);  // zeroes the high half
      } else {
        LoadShuffle(xmm1, EvenOddBytes(lane - 1, 0));
        pshufb(xmm0, xmm1);
      }
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVWidenLoS:
    case Opcode::kVWidenLoU:
    case Opcode::kVWidenHiS:
    case Opcode::kVWidenHiU: {
      if (lane > 2 || !caps.sse41) return false;
      const bool hi = inst.op == Opcode::kVWidenHiS || inst.op == Opcode::kVWidenHiU;
      const bool sx = inst.op == Opcode::kVWidenLoS || inst.op == Opcode::kVWidenHiS;
      LoadV(xmm0, inst.args[0]);
      if (hi) pshufd(xmm0, xmm0, 0xEE);
      switch (lane) {
        case 0: sx ? pmovsxbw(xmm0, xmm0) : pmovzxbw(xmm0, xmm0); break;
        case 1: sx ? pmovsxwd(xmm0, xmm0) : pmovzxwd(xmm0, xmm0); break;
        default: sx ? pmovsxdq(xmm0, xmm0) : pmovzxdq(xmm0, xmm0); break;
      }
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVMoveMask: {
      // The sign bit of each lane: bit moves, no FP exception even through movmskps/pd.
      LoadV(xmm0, inst.args[0]);
      const Reg64 d = Def(i);
      switch (lane) {
        case 0: pmovmskb(d.cvt32(), xmm0); break;
        case 1:
          packsswb(xmm0, xmm0);  // saturation keeps each word's sign
          pmovmskb(d.cvt32(), xmm0);
          movzx(d.cvt32(), d.cvt8());
          break;
        case 2: movmskps(d.cvt32(), xmm0); break;
        default: movmskpd(d.cvt32(), xmm0); break;
      }
      Put(i, d);
      return true;
    }
    default: return false;
  }
}

}  // namespace polyvm::engine::jit::detail
