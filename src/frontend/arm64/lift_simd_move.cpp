// AdvSIMD data movement (insns_simd.def): DUP/INS/UMOV/SMOV, modified immediates (MOVI, MVNI,
// ORR, BIC, FMOV), permutes (UZP/ZIP/TRN), EXT, REV16/32/64 and TBL/TBX. Byte permutations with
// no op of their own are VTbl with constant index vectors (Permute in lift_simd_util).
#include "lift_simd_util.h"
#include "simd_imm.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

// imm5 = xxxx1 (b), xxx10 (h), xx100 (s), x1000 (d): element size and index.
unsigned I5Size(const Insn& i) {
  unsigned imm5 = Bits(i.raw, 20, 16);
  unsigned size = 0;
  while (size < 4 && !((imm5 >> size) & 1)) ++size;
  return size;
}
unsigned I5Index(const Insn& i) { return Bits(i.raw, 20, 16) >> (I5Size(i) + 1); }

Value Extract(ir::Builder& b, Type t, Value v, unsigned size, unsigned index) {
  return b.Emit(Opcode::kVExtract, t, v, {}, {}, index, 0, static_cast<uint8_t>(size));
}
Value Insert(ir::Builder& b, Value v, Value x, unsigned size, unsigned index) {
  return b.Emit(Opcode::kVInsert, Type::kV128, v, x, {}, index, 0, static_cast<uint8_t>(size));
}

}  // namespace

LiftStatus LiftSimdDupElem(LiftContext& c, const Insn& i) {
  unsigned size = I5Size(i);
  Value e = Extract(c.b(), Type::kI64, c.Q(i.rn), size, I5Index(i));
  SetVec(c, i.rd,
         c.b().Emit(Opcode::kVDup, Type::kV128, e, {}, {}, 0, 0, static_cast<uint8_t>(size)),
         SimdQ(i));
  return LiftStatus::kNext;
}

LiftStatus LiftSimdDupGen(LiftContext& c, const Insn& i) {
  unsigned size = I5Size(i);
  Value r = size == 3 ? c.X(i.rn) : c.W(i.rn);
  SetVec(c, i.rd,
         c.b().Emit(Opcode::kVDup, Type::kV128, r, {}, {}, 0, 0, static_cast<uint8_t>(size)),
         SimdQ(i));
  return LiftStatus::kNext;
}

// DUP <V>d, Vn.T[i] (scalar): the element, the rest zeroed.
LiftStatus LiftSimdDupScalar(LiftContext& c, const Insn& i) {
  unsigned size = I5Size(i);
  c.SetVScalar(i.rd, Extract(c.b(), LaneType(size), c.Q(i.rn), size, I5Index(i)));
  return LiftStatus::kNext;
}

// UMOV (zero-extends) and SMOV (sign-extends); Q picks the X destination.
LiftStatus LiftSimdMovToGpr(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = I5Size(i);
  Type dest = SimdQ(i) ? Type::kI64 : Type::kI32;
  bool is_signed = Bits(i.raw, 14, 11) == 0b0101;
  Value e = Extract(b, LaneType(size), c.Q(i.rn), size, I5Index(i));
  c.SetR(i.rd, is_signed ? b.SExt(dest, e) : b.ZExt(dest, e));
  return LiftStatus::kNext;
}

LiftStatus LiftSimdInsGen(LiftContext& c, const Insn& i) {
  unsigned size = I5Size(i);
  Value r = size == 3 ? c.X(i.rn) : c.W(i.rn);
  c.SetQ(i.rd, Insert(c.b(), c.Q(i.rd), r, size, I5Index(i)));
  return LiftStatus::kNext;
}

// INS Vd.Ts[i1], Vn.Ts[i2]: i2 = imm4 >> size.
LiftStatus LiftSimdInsElem(LiftContext& c, const Insn& i) {
  unsigned size = I5Size(i);
  unsigned from = Bits(i.raw, 14, 11) >> size;
  Value e = Extract(c.b(), Type::kI64, c.Q(i.rn), size, from);
  c.SetQ(i.rd, Insert(c.b(), c.Q(i.rd), e, size, I5Index(i)));
  return LiftStatus::kNext;
}

// MOVI/MVNI/ORR/BIC/FMOV (vector, immediate): AdvSIMDExpandImm, then the operation by op and
// cmode: ORR/BIC for cmode 0xx1 and 10x1, MOVI/MVNI otherwise (op = 1 with cmode 111x is the
// 64-bit MOVI and the double FMOV).
LiftStatus LiftSimdModImm(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned op = Bit(i.raw, 29), cmode = Bits(i.raw, 15, 12);
  uint64_t imm = AdvSimdExpandImm(op, cmode, static_cast<uint32_t>(i.imm));
  bool q = SimdQ(i);
  bool logical = (cmode & 1) && cmode < 12;
  Value r;
  if (logical) {
    Value d = c.Q(i.rd);
    r = op ? b.And(d, VConst(b, ~imm, ~imm)) : b.Or(d, VConst(b, imm, imm));
  } else if (op && cmode < 14) {
    r = VConst(b, ~imm, ~imm);
  } else {
    r = VConst(b, imm, imm);
  }
  SetVec(c, i.rd, r, q);
  return LiftStatus::kNext;
}

// UZP1/UZP2/ZIP1/ZIP2/TRN1/TRN2. For Q = 0 the operands are the low halves.
LiftStatus LiftSimdPermute(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);
  bool q = SimdQ(i);
  Value n = c.Q(i.rn), m = c.Q(i.rm);
  unsigned opc = Bits(i.raw, 14, 12);
  auto lane = static_cast<uint8_t>(size);
  Value r;
  switch (opc) {
    case 0b001:
    case 0b101: {
      Opcode op = opc == 0b001 ? Opcode::kVUzpEven : Opcode::kVUzpOdd;
      if (q) {
        r = b.Op(op, n, m, {}, 0, lane);
      } else {
        Value both = Insert(b, n, Extract(b, Type::kI64, m, 3, 0), 3, 1);
        r = b.Op(op, both, b.Const(Type::kV128, 0), {}, 0, lane);
      }
      break;
    }
    case 0b011: r = b.Op(Opcode::kVZipLo, n, m, {}, 0, lane); break;
    case 0b111:
      if (q) {
        r = b.Op(Opcode::kVZipHi, n, m, {}, 0, lane);
      } else {  // the upper half of the interleaved low halves
        Value z = b.Op(Opcode::kVZipLo, n, m, {}, 0, lane);
        r = Insert(b, b.Const(Type::kV128, 0), Extract(b, Type::kI64, z, 3, 1), 3, 0);
      }
      break;
    default: {  // TRN1 (010) / TRN2 (110): even lanes of n with even (odd) lanes of m
      unsigned esz = 1u << size, part = opc >> 2;
      std::array<ByteSel, 16> map{};
      for (unsigned k = 0; k < 16; ++k) {
        unsigned e = k / esz, byte = k % esz;
        unsigned src_lane = (e & ~1u) + part;
        map[k] = {static_cast<int8_t>(e & 1), static_cast<uint8_t>(src_lane * esz + byte)};
      }
      r = Permute(b, {n, m}, map);
      break;
    }
  }
  SetVec(c, i.rd, r, q);
  return LiftStatus::kNext;
}

// EXT: bytes index.. of the concatenation m:n (n first; the low halves for Q = 0).
LiftStatus LiftSimdExt(LiftContext& c, const Insn& i) {
  bool q = SimdQ(i);
  unsigned width = q ? 16 : 8, index = static_cast<unsigned>(i.imm);
  std::array<ByteSel, 16> map{};
  for (unsigned k = 0; k < 16; ++k) {
    unsigned pos = k + index;
    if (k >= width) {
      map[k] = {-1, 0};
    } else {
      map[k] = {static_cast<int8_t>(pos >= width), static_cast<uint8_t>(pos % width)};
    }
  }
  SetVec(c, i.rd, Permute(c.b(), {c.Q(i.rn), c.Q(i.rm)}, map), q);
  return LiftStatus::kNext;
}

// REV64/REV32/REV16: elements of `size` reversed within each 64/32/16-bit container.
LiftStatus LiftSimdRev(LiftContext& c, const Insn& i) {
  unsigned size = SimdSize(i);
  // Container bytes: REV16 (opcode 00001) 2, REV32 (U = 1) 4, REV64 8.
  unsigned container = Bit(i.raw, 12) ? 2 : (Bit(i.raw, 29) ? 4 : 8);
  unsigned esz = 1u << size;
  if (esz >= container) return c.Undefined();
  std::array<ByteSel, 16> map{};
  for (unsigned k = 0; k < 16; ++k) {
    unsigned base = k / container * container, off = k % container;
    unsigned e = off / esz, byte = off % esz;
    unsigned rev = container / esz - 1 - e;
    map[k] = {0, static_cast<uint8_t>(base + rev * esz + byte)};
  }
  SetVec(c, i.rd, Permute(c.b(), {c.Q(i.rn)}, map), SimdQ(i));
  return LiftStatus::kNext;
}

// TBL/TBX with 1..4 table registers: table register j answers indices 16j..16j+15 (VTbl of the
// index minus 16j: smaller indices wrap to >= 240 and give 0). TBX keeps the destination's byte
// for indices past the table.
LiftStatus LiftSimdTbl(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned regs = Bits(i.raw, 14, 13) + 1;
  Value idx = c.Q(i.rm);
  Value r;
  for (unsigned j = 0; j < regs; ++j) {
    Value t = c.Q((i.rn + j) % 32);
    Value k = j == 0 ? idx : b.Op(Opcode::kVSub, idx, VSplat(b, 0, 16 * j), {}, 0, 0);
    Value part = b.Op(Opcode::kVTbl, t, k);
    r = j == 0 ? part : b.Or(r, part);
  }
  if (Bit(i.raw, 12)) {
    Value past = b.Op(Opcode::kVCmpGtU, idx, VSplat(b, 0, 16 * regs - 1), {}, 0, 0);
    r = b.Or(r, b.And(c.Q(i.rd), past));
  }
  SetVec(c, i.rd, r, SimdQ(i));
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
