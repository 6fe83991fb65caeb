// Lane-wise integer vector ops inline (SSE2, SSSE3, SSE4.1, SSE4.2): add, sub, mul, min, max,
// saturating add/sub, compares, neg, abs, shifts by an immediate, popcounts, pairwise adds,
// bitwise ops on v128, and the reductions. One table row per (op, lane) that is a single host
// instruction `a = a op b`; the ops built from several instructions follow it. A missing row or
// extension: ColdOp.
#include "compiler.h"
#include "host_caps.h"

namespace polyvm::engine::jit::detail {
namespace {

using Xbyak::CodeGenerator;
using Xbyak::Operand;
using Xbyak::Xmm;

enum class Ext : uint8_t { kSse2, kSsse3, kSse41, kSse42 };

bool Has(Ext e) {
  const HostCapsInfo& c = HostCaps();
  switch (e) {
    case Ext::kSse2: return true;
    case Ext::kSsse3: return c.ssse3;
    case Ext::kSse41: return c.sse41;
    default: return c.sse42;
  }
}

using BinEmit = void (*)(CodeGenerator&, const Xmm&, const Operand&);
struct BinRow {
  Opcode op;
  uint8_t lane;
  Ext ext;
  BinEmit emit;
};

#define POLYVM_ROW(OP, LANE, EXT, INSN)                                        \
  {                                                                            \
    Opcode::OP, LANE, Ext::EXT,                                                \
        [](CodeGenerator& g, const Xmm& a, const Operand& b) { g.INSN(a, b); } \
  }
// clang-format off
const BinRow kBinRows[] = {
    POLYVM_ROW(kVAdd, 0, kSse2, paddb),     POLYVM_ROW(kVAdd, 1, kSse2, paddw),
    POLYVM_ROW(kVAdd, 2, kSse2, paddd),     POLYVM_ROW(kVAdd, 3, kSse2, paddq),
    POLYVM_ROW(kVSub, 0, kSse2, psubb),     POLYVM_ROW(kVSub, 1, kSse2, psubw),
    POLYVM_ROW(kVSub, 2, kSse2, psubd),     POLYVM_ROW(kVSub, 3, kSse2, psubq),
    POLYVM_ROW(kVMul, 1, kSse2, pmullw),    POLYVM_ROW(kVMul, 2, kSse41, pmulld),
    POLYVM_ROW(kVMinS, 0, kSse41, pminsb),  POLYVM_ROW(kVMinS, 1, kSse2, pminsw),
    POLYVM_ROW(kVMinS, 2, kSse41, pminsd),
    POLYVM_ROW(kVMinU, 0, kSse2, pminub),   POLYVM_ROW(kVMinU, 1, kSse41, pminuw),
    POLYVM_ROW(kVMinU, 2, kSse41, pminud),
    POLYVM_ROW(kVMaxS, 0, kSse41, pmaxsb),  POLYVM_ROW(kVMaxS, 1, kSse2, pmaxsw),
    POLYVM_ROW(kVMaxS, 2, kSse41, pmaxsd),
    POLYVM_ROW(kVMaxU, 0, kSse2, pmaxub),   POLYVM_ROW(kVMaxU, 1, kSse41, pmaxuw),
    POLYVM_ROW(kVMaxU, 2, kSse41, pmaxud),
    POLYVM_ROW(kVAddSatS, 0, kSse2, paddsb), POLYVM_ROW(kVAddSatS, 1, kSse2, paddsw),
    POLYVM_ROW(kVAddSatU, 0, kSse2, paddusb), POLYVM_ROW(kVAddSatU, 1, kSse2, paddusw),
    POLYVM_ROW(kVSubSatS, 0, kSse2, psubsb), POLYVM_ROW(kVSubSatS, 1, kSse2, psubsw),
    POLYVM_ROW(kVSubSatU, 0, kSse2, psubusb), POLYVM_ROW(kVSubSatU, 1, kSse2, psubusw),
    POLYVM_ROW(kVCmpEq, 0, kSse2, pcmpeqb), POLYVM_ROW(kVCmpEq, 1, kSse2, pcmpeqw),
    POLYVM_ROW(kVCmpEq, 2, kSse2, pcmpeqd), POLYVM_ROW(kVCmpEq, 3, kSse41, pcmpeqq),
    POLYVM_ROW(kVCmpGtS, 0, kSse2, pcmpgtb), POLYVM_ROW(kVCmpGtS, 1, kSse2, pcmpgtw),
    POLYVM_ROW(kVCmpGtS, 2, kSse2, pcmpgtd), POLYVM_ROW(kVCmpGtS, 3, kSse42, pcmpgtq),
};
// clang-format on
#undef POLYVM_ROW

const BinRow* FindBin(Opcode op, unsigned lane) {
  for (const BinRow& r : kBinRows) {
    if (r.op == op && r.lane == lane) return Has(r.ext) ? &r : nullptr;
  }
  return nullptr;
}

// Each lane's sign bit, as a v128 constant's 64-bit half.
uint64_t SignBits(unsigned lane) {
  switch (lane) {
    case 0: return 0x8080808080808080ull;
    case 1: return 0x8000800080008000ull;
    case 2: return 0x8000000080000000ull;
    default: return 0x8000000000000000ull;
  }
}

}  // namespace

bool Compiler::EmitVecInt(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if (lane > 3) return false;
  const Opcode op = inst.op;
  if (const BinRow* row = FindBin(op, lane)) {
    LoadV(xmm0, inst.args[0]);
    LoadV(xmm1, inst.args[1]);
    row->emit(*this, xmm0, xmm1);
    StoreV(i, xmm0);
    return true;
  }
  switch (op) {
    case Opcode::kVCmpGtU:
    case Opcode::kVCmpGeS:
    case Opcode::kVCmpGeU: {
      // Gt/Ge unsigned: the signed compare with both sign bits flipped. Ge: not (b > a).
      const BinRow* gt = FindBin(Opcode::kVCmpGtS, lane);
      if (gt == nullptr) return false;
      const bool ge = op != Opcode::kVCmpGtU;
      LoadV(ge ? xmm1 : xmm0, inst.args[0]);
      LoadV(ge ? xmm0 : xmm1, inst.args[1]);
      if (op != Opcode::kVCmpGeS) {
        LoadVConst(xmm2, SignBits(lane), SignBits(lane));
        pxor(xmm0, xmm2);
        pxor(xmm1, xmm2);
      }
      gt->emit(*this, xmm0, xmm1);
      if (ge) {
        pcmpeqd(xmm1, xmm1);
        pxor(xmm0, xmm1);
      }
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVNeg:
      LoadV(xmm1, inst.args[0]);
      pxor(xmm0, xmm0);
      FindBin(Opcode::kVSub, lane)->emit(*this, xmm0, xmm1);
      StoreV(i, xmm0);
      return true;
    case Opcode::kVAbs:
      if (lane == 3) {
        // (x ^ s) - s with s each qword's sign spread over it (its high dword's sign, twice).
        LoadV(xmm0, inst.args[0]);
        pshufd(xmm1, xmm0, 0xF5);
        psrad(xmm1, 31);
        pxor(xmm0, xmm1);
        psubq(xmm0, xmm1);
        StoreV(i, xmm0);
        return true;
      }
      if (!HostCaps().ssse3) return false;
      LoadV(xmm0, inst.args[0]);
      lane == 0 ? pabsb(xmm0, xmm0) : lane == 1 ? pabsw(xmm0, xmm0) : pabsd(xmm0, xmm0);
      StoreV(i, xmm0);
      return true;
    case Opcode::kVMul: return EmitVecMulWide(i, inst);
    case Opcode::kVShlI:
    case Opcode::kVLShrI:
    case Opcode::kVAShrI: {
      // 16- to 64-bit lanes (no byte shifts, no 64-bit arithmetic shift in SSE). A count of at
      // least the lane width: zero, or the sign for the arithmetic shift.
      const unsigned bits = 8u << lane;
      if (lane == 0 || (op == Opcode::kVAShrI && lane == 3)) return false;
      uint64_t n = inst.imm;
      if (n >= bits) {
        if (op != Opcode::kVAShrI) {
          pxor(xmm0, xmm0);
          StoreV(i, xmm0);
          return true;
        }
        n = bits - 1;
      }
      LoadV(xmm0, inst.args[0]);
      const int k = static_cast<int>(n);
      if (op == Opcode::kVShlI) {
        lane == 1 ? psllw(xmm0, k) : lane == 2 ? pslld(xmm0, k) : psllq(xmm0, k);
      } else if (op == Opcode::kVLShrI) {
        lane == 1 ? psrlw(xmm0, k) : lane == 2 ? psrld(xmm0, k) : psrlq(xmm0, k);
      } else {
        lane == 1 ? psraw(xmm0, k) : psrad(xmm0, k);
      }
      StoreV(i, xmm0);
      return true;
    }
    case Opcode::kVPopcount: return EmitVecPopcount(i, inst);
    case Opcode::kVPairAdd: return EmitVecPairAdd(i, inst);
    default: return false;
  }
}

// VMul of 8- and 64-bit lanes, which SSE has no instruction for (the 16, 32-bit rows are in the
// table). Bytes: pmullw gives each even byte's product in its word's low byte (a low byte of a
// product depends only on the low bytes); the odd bytes, shifted down, likewise; merged. Qwords:
// lo(a) lo(b) + (hi(a) lo(b) + lo(a) hi(b)) << 32 with pmuludq, the rest falls off mod 2^64.
bool Compiler::EmitVecMulWide(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if (lane != 0 && lane != 3) return false;
  LoadV(xmm0, inst.args[0]);
  LoadV(xmm1, inst.args[1]);
  movdqa(xmm2, xmm0);
  if (lane == 0) {
    pmullw(xmm0, xmm1);
    psrlw(xmm2, 8);
    psrlw(xmm1, 8);
    pmullw(xmm2, xmm1);
    psllw(xmm2, 8);
    LoadVConst(xmm3, 0x00ff00ff00ff00ffull, 0x00ff00ff00ff00ffull);
    pand(xmm0, xmm3);
    por(xmm0, xmm2);
  } else {
    psrlq(xmm2, 32);
    pmuludq(xmm2, xmm1);  // hi(a) lo(b)
    movdqa(xmm3, xmm1);
    psrlq(xmm3, 32);
    pmuludq(xmm3, xmm0);  // hi(b) lo(a)
    paddq(xmm2, xmm3);
    psllq(xmm2, 32);
    pmuludq(xmm0, xmm1);  // lo(a) lo(b)
    paddq(xmm0, xmm2);
  }
  StoreV(i, xmm0);
  return true;
}

// VPopcount: each byte's count as two nibble lookups (pshufb into a 16-entry table), then summed
// into wider lanes: pmaddubsw by 1 adds byte pairs, pmaddwd by 1 word pairs, psadbw against zero
// the eight bytes of each qword.
bool Compiler::EmitVecPopcount(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if (!HostCaps().ssse3) return false;
  LoadV(xmm0, inst.args[0]);
  LoadVConst(xmm3, 0x0f0f0f0f0f0f0f0full, 0x0f0f0f0f0f0f0f0full);
  movdqa(xmm1, xmm0);
  psrlw(xmm1, 4);
  pand(xmm0, xmm3);
  pand(xmm1, xmm3);
  // The count of one bits of 0..15, byte k holding popcount(k).
  LoadVConst(xmm2, 0x0302020102010100ull, 0x0403030203020201ull);
  movdqa(xmm3, xmm2);
  pshufb(xmm2, xmm0);
  pshufb(xmm3, xmm1);
  paddb(xmm2, xmm3);
  switch (lane) {
    case 0: break;
    case 1:
    case 2:
      LoadVConst(xmm3, 0x0101010101010101ull, 0x0101010101010101ull);
      pmaddubsw(xmm2, xmm3);  // unsigned counts times signed ones: no saturation at <= 16
      if (lane == 2) {
        LoadVConst(xmm3, 0x0001000100010001ull, 0x0001000100010001ull);
        pmaddwd(xmm2, xmm3);
      }
      break;
    default:
      pxor(xmm3, xmm3);
      psadbw(xmm2, xmm3);
      break;
  }
  StoreV(i, xmm2);
  return true;
}

// VPairAdd: the sums of adjacent lanes of a, then of b. phaddw/phaddd are exactly that for 16-
// and 32-bit lanes; bytes add each word's high byte into its low one and pack the low bytes
// (masked first, so packuswb never saturates); qwords add the low and the high qwords of (a, b).
bool Compiler::EmitVecPairAdd(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if ((lane == 1 || lane == 2) && !HostCaps().ssse3) return false;
  LoadV(xmm0, inst.args[0]);
  LoadV(xmm1, inst.args[1]);
  switch (lane) {
    case 0:
      LoadVConst(xmm3, 0x00ff00ff00ff00ffull, 0x00ff00ff00ff00ffull);
      for (const Xmm& x : {xmm0, xmm1}) {
        movdqa(xmm2, x);
        psrlw(xmm2, 8);
        paddw(x, xmm2);
        pand(x, xmm3);
      }
      packuswb(xmm0, xmm1);
      break;
    case 1: phaddw(xmm0, xmm1); break;
    case 2: phaddd(xmm0, xmm1); break;
    default:
      movdqa(xmm2, xmm0);
      punpcklqdq(xmm0, xmm1);
      punpckhqdq(xmm2, xmm1);
      paddq(xmm0, xmm2);
      break;
  }
  StoreV(i, xmm0);
  return true;
}

// And/Or/Xor/Not of v128 values (EmitIntBinary takes the scalar ones).
bool Compiler::EmitVecBitwise(ValueId i, const ir::Inst& inst) {
  if (inst.type != ir::Type::kV128) return false;
  LoadV(xmm0, inst.args[0]);
  if (inst.op == Opcode::kNot) {
    pcmpeqd(xmm1, xmm1);
  } else {
    LoadV(xmm1, inst.args[1]);
  }
  switch (inst.op) {
    case Opcode::kAnd: pand(xmm0, xmm1); break;
    case Opcode::kOr: por(xmm0, xmm1); break;
    default: pxor(xmm0, xmm1); break;  // Xor, Not
  }
  StoreV(i, xmm0);
  return true;
}

// VReduce*: log2(lanes) steps, each combining every lane with its partner in the other half of
// a wider unit (qwords, dwords, words, bytes), so lane 0 ends up holding all of them. What the
// steps leave in other lanes is never read.
bool Compiler::EmitVecReduce(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if (lane > 3) return false;
  Opcode step_op;
  switch (inst.op) {
    case Opcode::kVReduceAdd: step_op = Opcode::kVAdd; break;
    case Opcode::kVReduceMinS: step_op = Opcode::kVMinS; break;
    case Opcode::kVReduceMinU: step_op = Opcode::kVMinU; break;
    case Opcode::kVReduceMaxS: step_op = Opcode::kVMaxS; break;
    default: step_op = Opcode::kVMaxU; break;
  }
  const BinRow* step = FindBin(step_op, lane);
  if (step == nullptr) return false;
  LoadV(xmm0, inst.args[0]);
  pshufd(xmm1, xmm0, 0x4E);  // swap the qwords
  step->emit(*this, xmm0, xmm1);
  if (lane <= 2) {
    pshufd(xmm1, xmm0, 0xB1);  // swap the dwords of each qword
    step->emit(*this, xmm0, xmm1);
  }
  if (lane <= 1) {
    movdqa(xmm1, xmm0);
    psrld(xmm1, 16);
    step->emit(*this, xmm0, xmm1);
  }
  if (lane == 0) {
    movdqa(xmm1, xmm0);
    psrlw(xmm1, 8);
    step->emit(*this, xmm0, xmm1);
  }
  const Reg64 d = Def(i);
  if (lane == 3) {
    movq(d, xmm0);
  } else {
    movd(d.cvt32(), xmm0);
    if (lane == 0) movzx(d.cvt32(), d.cvt8());
    if (lane == 1) movzx(d.cvt32(), d.cvt16());
  }
  Store(i, d);
  return true;
}

}  // namespace polyvm::engine::jit::detail
