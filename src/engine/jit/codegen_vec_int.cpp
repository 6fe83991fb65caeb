// Lane-wise integer vector ops inline (SSE2, SSSE3, SSE4.1, SSE4.2): add, sub, mul, min, max,
// saturating add/sub, compares, neg, abs, shifts by an immediate, bitwise ops on v128, and the
// reductions. One table row per (op, lane) that is a single host instruction `a = a op b`; the ops
// built from several instructions follow it. A missing row or extension: ColdOp.
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
      if (lane == 3 || !HostCaps().ssse3) return false;
      LoadV(xmm0, inst.args[0]);
      lane == 0 ? pabsb(xmm0, xmm0) : lane == 1 ? pabsw(xmm0, xmm0) : pabsd(xmm0, xmm0);
      StoreV(i, xmm0);
      return true;
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
    default: return false;
  }
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
