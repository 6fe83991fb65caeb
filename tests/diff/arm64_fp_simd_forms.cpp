// The FP and AdvSIMD forms of the AArch64 differential tests, encoded from the Arm ARM's field
// layouts (C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced SIMD", C4.1.66 "Advanced
// SIMD load/store"), and the FP-flavoured initial state: V registers with lanes of every IEEE
// class (RandF32/RandF64), FPCR rounding modes, FPSR flags. Operands are random among the
// allocated encodings; memory forms use x27 (kA64MemBase) as their base and x26 (a small index)
// as the post-index register, so accesses stay in the data page.
#include <array>
#include <iterator>

#include "arm64_forms.h"

namespace polyvm::diff {
namespace {

uint32_t Ftype(A64Gen& g) { return g.Bits(1); }  // single or double
uint32_t Pick(A64Gen& g, std::initializer_list<uint32_t> values) {
  return *(values.begin() + Uniform(g.rng(), 0, values.size() - 1));
}
uint32_t Q(A64Gen& g) { return g.Bits(1); }

// ---- scalar FP ----
void FpOneSource(A64Gen& g) {
  uint32_t ft = Ftype(g);
  uint32_t op = Pick(g, {0, 1, 2, 3, 8, 9, 10, 11, 12, 14, 15, 99});
  if (op == 99) op = ft ? 4 : 5;  // fcvt to the other precision
  g.Emit(0x1e204000 | ft << 22 | op << 15 | g.V() << 5 | g.V());
}
void FpTwoSource(A64Gen& g) {
  g.Emit(0x1e200800 | Ftype(g) << 22 | g.V() << 16 |
         static_cast<uint32_t>(Uniform(g.rng(), 0, 8)) << 12 | g.V() << 5 | g.V());
}
void FpThreeSource(A64Gen& g) {
  g.Emit(0x1f000000 | Ftype(g) << 22 | g.Bits(1) << 21 | g.V() << 16 | g.Bits(1) << 15 |
         g.V() << 10 | g.V() << 5 | g.V());
}
void FpCompare(A64Gen& g) {
  uint32_t opc2 = Pick(g, {0, 8, 16, 24});
  uint32_t rm = (opc2 & 8) ? 0 : g.V();
  g.Emit(0x1e202000 | Ftype(g) << 22 | rm << 16 | g.V() << 5 | opc2);
}
void FpCondCompare(A64Gen& g) {
  g.Emit(0x1e200400 | Ftype(g) << 22 | g.V() << 16 | g.Bits(4) << 12 | g.V() << 5 | g.Bits(1) << 4 |
         g.Bits(4));
}
void FpCondSelect(A64Gen& g) {
  g.Emit(0x1e200c00 | Ftype(g) << 22 | g.V() << 16 | g.Bits(4) << 12 | g.V() << 5 | g.V());
}
void FpImm(A64Gen& g) { g.Emit(0x1e201000 | Ftype(g) << 22 | g.Bits(8) << 13 | g.V()); }
void FpToInt(A64Gen& g) {
  static constexpr uint32_t kRmodeOpc[] = {0x00, 0x01, 0x04, 0x05, 0x08,
                                           0x09, 0x10, 0x11, 0x18, 0x19};
  uint32_t ro = kRmodeOpc[Uniform(g.rng(), 0, std::size(kRmodeOpc) - 1)];
  g.Emit(g.Bits(1) << 31 | 0x1e200000 | Ftype(g) << 22 | ro << 16 | g.V() << 5 | g.Dest());
}
void IntToFp(A64Gen& g) {
  g.Emit(g.Bits(1) << 31 | 0x1e220000 | Ftype(g) << 22 | g.Bits(1) << 16 | g.Src() << 5 | g.V());
}
void FmovGpr(A64Gen& g) {
  uint32_t from_gpr = g.Bits(1);  // opcode<0>: 1 = to the FP register
  uint32_t regs = from_gpr ? g.Src() << 5 | g.V() : g.V() << 5 | g.Dest();
  static constexpr uint32_t kBase[] = {0x1e260000, 0x9e660000, 0x9eae0000};  // w/s, x/d, x/v.d[1]
  g.Emit(kBase[Uniform(g.rng(), 0, 2)] | from_gpr << 16 | regs);
}
void FpFixed(A64Gen& g) {
  uint32_t sf = g.Bits(1);
  uint32_t scale = sf ? g.Bits(6) : 32 + g.Bits(5);
  uint32_t ro = Pick(g, {0x02, 0x03, 0x18, 0x19});
  bool to_int = ro >= 0x18;
  g.Emit(sf << 31 | 0x1e000000 | Ftype(g) << 22 | ro << 16 | scale << 10 |
         (to_int ? g.V() << 5 | g.Dest() : g.Src() << 5 | g.V()));
}

// ---- AdvSIMD three same ----
void SimdThreeSameInt(A64Gen& g) {
  // Opcodes (bits 15:11); the second list also allows 64-bit lanes (size 3).
  static constexpr uint32_t kOps[] = {0x00, 0x02, 0x0c, 0x0d, 0x0e, 0x0f, 0x12, 0x13, 0x14, 0x15};
  static constexpr uint32_t kOpsD[] = {0x01, 0x05, 0x06, 0x07, 0x08, 0x10, 0x11, 0x17};
  bool d_ok = g.Bits(1);
  uint32_t op = d_ok ? kOpsD[Uniform(g.rng(), 0, std::size(kOpsD) - 1)]
                     : kOps[Uniform(g.rng(), 0, std::size(kOps) - 1)];
  uint32_t u = g.Bits(1);
  if (op == 0x13 || op == 0x17) u = 0;  // PMUL and U=1 ADDP are not implemented
  uint32_t q = Q(g);
  uint32_t size = d_ok ? g.Bits(2) : static_cast<uint32_t>(Uniform(g.rng(), 0, 2));
  if (size == 3) q = 1;
  g.Emit(0x0e200400 | q << 30 | u << 29 | size << 22 | g.V() << 16 | op << 11 | g.V() << 5 | g.V());
}
void SimdLogic(A64Gen& g) {
  g.Emit(0x0e201c00 | Q(g) << 30 | g.Bits(1) << 29 | g.Bits(2) << 22 | g.V() << 16 | g.V() << 5 |
         g.V());
}
void SimdThreeSameFp(A64Gen& g) {
  // (U, a, opcode)
  static constexpr uint32_t kOps[][3] = {
      {0, 0, 0x18}, {0, 1, 0x18}, {0, 0, 0x19}, {0, 1, 0x19}, {0, 0, 0x1a}, {0, 1, 0x1a},
      {0, 0, 0x1e}, {0, 1, 0x1e}, {0, 0, 0x1c}, {1, 0, 0x18}, {1, 1, 0x18}, {1, 0, 0x1a},
      {1, 1, 0x1a}, {1, 0, 0x1b}, {1, 0, 0x1c}, {1, 1, 0x1c}, {1, 0, 0x1d}, {1, 1, 0x1d},
      {1, 0, 0x1e}, {1, 1, 0x1e}, {1, 0, 0x1f}};
  const uint32_t* op = kOps[Uniform(g.rng(), 0, std::size(kOps) - 1)];
  uint32_t sz = g.Bits(1), q = sz ? 1 : Q(g);
  g.Emit(0x0e200400 | q << 30 | op[0] << 29 | op[1] << 23 | sz << 22 | g.V() << 16 | op[2] << 11 |
         g.V() << 5 | g.V());
}
void SimdScalarThreeSame(A64Gen& g) {
  if (g.Bits(1)) {
    static constexpr uint32_t kOps[] = {0x10, 0x06, 0x07, 0x11, 0x08};
    g.Emit(0x5ee00400 | g.Bits(1) << 29 | g.V() << 16 |
           kOps[Uniform(g.rng(), 0, std::size(kOps) - 1)] << 11 | g.V() << 5 | g.V());
  } else {
    static constexpr uint32_t kOps[][3] = {{1, 1, 0x1a}, {0, 0, 0x1c}, {1, 0, 0x1c},
                                           {1, 1, 0x1c}, {1, 0, 0x1d}, {1, 1, 0x1d}};
    const uint32_t* op = kOps[Uniform(g.rng(), 0, std::size(kOps) - 1)];
    g.Emit(0x5e200400 | op[0] << 29 | op[1] << 23 | g.Bits(1) << 22 | g.V() << 16 | op[2] << 11 |
           g.V() << 5 | g.V());
  }
}

// ---- two-register miscellaneous, across lanes, pairwise ----
void SimdMiscInt(A64Gen& g) {
  uint32_t q = Q(g), u = g.Bits(1), size = g.Bits(2);
  uint32_t op;
  switch (g.Bits(3)) {
    case 0:
      op = 0x00;
      if (u ? size > 1 : size > 2) size = 0;
      break;  // rev64 / rev32
    case 1:
      op = 0x01;
      u = 0;
      size = 0;
      break;  // rev16
    case 2:
      op = 0x05;
      size = 0;
      break;  // cnt / not
    case 3:
      op = Pick(g, {0x08, 0x09, 0x0a, 0x0b});
      if (op == 0x0a) u = 0;
      break;
    case 4:  // saddlp/uaddlp, sadalp/uadalp, cls/clz
      op = Pick(g, {0x02, 0x06, 0x04});
      if (size == 3) size = 2;
      break;
    default:
      op = Pick(g, {0x12, 0x14, 0x13});
      if (op == 0x13) u = 1;  // SHLL
      if (size == 3) size = 2;
      break;  // xtn, sqxtun, sq/uqxtn, shll
  }
  if (size == 3) q = 1;
  g.Emit(0x0e200800 | q << 30 | u << 29 | size << 22 | op << 12 | g.V() << 5 | g.V());
}
void SimdMiscFp(A64Gen& g) {
  static constexpr uint32_t kOps[][3] = {
      {0, 0, 0x18}, {0, 0, 0x19}, {0, 1, 0x18}, {0, 1, 0x19}, {1, 0, 0x18}, {1, 0, 0x19},
      {1, 1, 0x19}, {0, 0, 0x1a}, {0, 0, 0x1b}, {0, 0, 0x1c}, {0, 0, 0x1d}, {0, 1, 0x1a},
      {0, 1, 0x1b}, {1, 0, 0x1a}, {1, 0, 0x1b}, {1, 0, 0x1c}, {1, 0, 0x1d}, {1, 1, 0x1a},
      {1, 1, 0x1b}, {0, 1, 0x0c}, {1, 1, 0x0c}, {0, 1, 0x0d}, {1, 1, 0x0d}, {0, 1, 0x0e},
      {0, 1, 0x0f}, {1, 1, 0x0f}, {1, 1, 0x1f}};
  const uint32_t* op = kOps[Uniform(g.rng(), 0, std::size(kOps) - 1)];
  uint32_t sz = g.Bits(1), q = sz ? 1 : Q(g);
  // Scalar forms: the conversions (0x1a..0x1d) and the compares with zero (0x0c..0x0e).
  const bool has_scalar = (op[2] >= 0x1a && op[2] <= 0x1d) || (op[2] >= 0x0c && op[2] <= 0x0e);
  uint32_t base = g.Chance(0.2) && has_scalar ? 0x5e200800 : 0x0e200800;
  if (base == 0x5e200800) q = 1;  // scalar forms: bit 30 is part of the encoding
  g.Emit(base | q << 30 | op[0] << 29 | op[1] << 23 | sz << 22 | op[2] << 12 | g.V() << 5 | g.V());
}
void SimdFcvtLong(A64Gen& g) {
  g.Emit(0x0e616800 | Q(g) << 30 | g.Bits(1) << 12 | g.V() << 5 | g.V());  // fcvtn / fcvtl (sz 1)
}
void SimdScalarMisc(A64Gen& g) {
  uint32_t op = Pick(g, {0x08, 0x09, 0x0a, 0x0b});
  uint32_t u = op == 0x0a ? 0 : g.Bits(1);
  g.Emit(0x5ee00800 | u << 29 | op << 12 | g.V() << 5 | g.V());
}
void SimdAcross(A64Gen& g) {
  uint32_t op = Pick(g, {0x03, 0x0a, 0x1a, 0x1b});
  uint32_t u = op == 0x1b ? 0 : g.Bits(1);
  uint32_t q = Q(g), size = static_cast<uint32_t>(Uniform(g.rng(), 0, q ? 2 : 1));
  g.Emit(0x0e300800 | q << 30 | u << 29 | size << 22 | op << 12 | g.V() << 5 | g.V());
}
void SimdFpAcross(A64Gen& g) {
  g.Emit(0x6e300800 | g.Bits(1) << 23 | Pick(g, {0x0c, 0x0f}) << 12 | g.V() << 5 | g.V());
}
void SimdPairScalar(A64Gen& g) {
  if (g.Bits(1)) {
    g.Emit(0x5ef1b800 | g.V() << 5 | g.V());  // addp d, v.2d
  } else {
    static constexpr uint32_t kOps[][2] = {{0, 0x0d}, {0, 0x0c}, {1, 0x0c}, {0, 0x0f}, {1, 0x0f}};
    const uint32_t* op = kOps[Uniform(g.rng(), 0, std::size(kOps) - 1)];
    g.Emit(0x7e300800 | op[0] << 23 | g.Bits(1) << 22 | op[1] << 12 | g.V() << 5 | g.V());
  }
}

// ---- copy, permute, ext, tbl, modified immediate ----
void SimdCopy(A64Gen& g) {
  uint32_t size = g.Bits(2);
  uint32_t imm5 = (g.Bits(4 - size) << (size + 1) | 1u << size) & 31;
  uint32_t q = Q(g);
  switch (g.Bits(3)) {
    case 0: g.Emit(0x0e000400 | (size == 3 ? 1 : q) << 30 | imm5 << 16 | g.V() << 5 | g.V()); break;
    case 1:
      g.Emit(0x0e000c00 | (size == 3 ? 1 : q) << 30 | imm5 << 16 | g.Src() << 5 | g.V());
      break;
    case 2:  // umov: w for b/h/s, x for d
      g.Emit(0x0e003c00 | (size == 3) << 30 | imm5 << 16 | g.V() << 5 | g.Dest());
      break;
    case 3:  // smov: w for b/h, x for b/h/s
      if (size == 3) size = 2, imm5 = (g.Bits(2) << 3 | 4);
      g.Emit(0x0e002c00 | ((size == 2) ? 1 : q) << 30 | imm5 << 16 | g.V() << 5 | g.Dest());
      break;
    case 4: g.Emit(0x4e001c00 | imm5 << 16 | g.Src() << 5 | g.V()); break;
    case 5: g.Emit(0x6e000400 | imm5 << 16 | g.Bits(4) << 11 | g.V() << 5 | g.V()); break;
    default: g.Emit(0x5e000400 | imm5 << 16 | g.V() << 5 | g.V()); break;
  }
}
void SimdPermute(A64Gen& g) {
  uint32_t size = g.Bits(2), q = size == 3 ? 1 : Q(g);
  uint32_t opc = Pick(g, {1, 2, 3, 5, 6, 7});
  g.Emit(0x0e000800 | q << 30 | size << 22 | g.V() << 16 | opc << 12 | g.V() << 5 | g.V());
}
void SimdExt(A64Gen& g) {
  uint32_t q = Q(g);
  g.Emit(0x2e000000 | q << 30 | g.V() << 16 | (q ? g.Bits(4) : g.Bits(3)) << 11 | g.V() << 5 |
         g.V());
}
void SimdTbl(A64Gen& g) {
  g.Emit(0x0e000000 | Q(g) << 30 | g.V() << 16 | g.Bits(2) << 13 | g.Bits(1) << 12 | g.V() << 5 |
         g.V());
}
void SimdModImm(A64Gen& g) {
  uint32_t op = g.Bits(1), cmode = g.Bits(4), q = Q(g);
  if (op && cmode == 15) q = 1;
  g.Emit(0x0f000400 | q << 30 | op << 29 | g.Bits(3) << 16 | cmode << 12 | g.Bits(5) << 5 | g.V());
}

// ---- shifts, long and narrow forms, by element ----
void SimdShiftImm(A64Gen& g) {
  uint32_t size = g.Bits(2), q = size == 3 ? 1 : Q(g);
  uint32_t immh = 1u << size | (g.Bits(3) & ((1u << size) - 1));
  uint32_t op = Pick(g, {0x00, 0x02, 0x04, 0x06, 0x08, 0x0a, 0x0c, 0x0e, 0x10, 0x11, 0x12, 0x13,
                         0x14, 0x1c, 0x1f});
  uint32_t u = g.Bits(1);
  if (op == 0x08 || op == 0x0c) u = 1;  // SRI, SQSHLU (U = 0 is unallocated: not drawn)
  if (op >= 0x10 && op <= 0x14) {       // narrow / long: immh 0001..0111
    if (size == 3) size = 2, immh = 4 | g.Bits(2);
  }
  if (op == 0x1c || op == 0x1f) {  // FP fixed point: s or d lanes
    if (size < 2) size = 2, immh = 4 | g.Bits(2);
    if (size == 3) q = 1;
  }
  g.Emit(0x0f000400 | q << 30 | u << 29 | immh << 19 | g.Bits(3) << 16 | op << 11 | g.V() << 5 |
         g.V());
}
void SimdScalarShift(A64Gen& g) {
  uint32_t op = Pick(g, {0x00, 0x02, 0x0a, 0x1c, 0x1f});
  uint32_t immh = 8 | g.Bits(3), u = op == 0x0a ? 0 : g.Bits(1);
  if ((op == 0x1c || op == 0x1f) && g.Bits(1)) immh = 4 | g.Bits(2);
  g.Emit(0x5f000400 | u << 29 | immh << 19 | g.Bits(3) << 16 | op << 11 | g.V() << 5 | g.V());
}
void SimdThreeDifferent(A64Gen& g) {
  uint32_t op = Pick(g, {0x0, 0x1, 0x2, 0x3, 0x4, 0x6, 0x5, 0x7, 0x8, 0xa, 0xc});
  uint32_t u = g.Bits(1);  // U = 1 with opcodes 0100/0110: RADDHN/RSUBHN
  g.Emit(0x0e200000 | Q(g) << 30 | u << 29 | static_cast<uint32_t>(Uniform(g.rng(), 0, 2)) << 22 |
         g.V() << 16 | op << 12 | g.V() << 5 | g.V());
}
void SimdByElement(A64Gen& g) {
  uint32_t q = Q(g);
  if (g.Bits(1)) {  // integer: mul, mla, mls, smull/umull, smlal/umlal, smlsl/umlsl
    static constexpr uint32_t kOps[][2] = {{0, 0x8}, {1, 0x0}, {1, 0x4}, {0, 0xa}, {1, 0xa},
                                           {0, 0x2}, {1, 0x2}, {0, 0x6}, {1, 0x6}};
    const uint32_t* op = kOps[Uniform(g.rng(), 0, std::size(kOps) - 1)];
    uint32_t size = 1 + g.Bits(1);
    uint32_t rm = size == 1 ? g.Bits(4) : g.V();
    g.Emit(0x0f000000 | q << 30 | op[0] << 29 | size << 22 | g.Bits(1) << 21 | rm << 16 |
           op[1] << 12 | g.Bits(1) << 11 | g.V() << 5 | g.V());
  } else {  // fmla, fmls, fmul (vector or scalar)
    uint32_t sz = g.Bits(1), l = sz ? 0 : g.Bits(1);
    uint32_t base = g.Bits(1) ? 0x5f800000 : 0x0f800000;
    if (base == 0x5f800000 || sz) q = 1;
    g.Emit(base | q << 30 | sz << 22 | l << 21 | g.V() << 16 | Pick(g, {0x1, 0x5, 0x9}) << 12 |
           g.Bits(1) << 11 | g.V() << 5 | g.V());
  }
}

// ---- FMULX, reciprocal steps and estimates, FCVTXN (lift_simd_fp_est.cpp) ----
void SimdFpEstimate(A64Gen& g) {
  uint32_t sz = g.Bits(1), q = sz ? 1 : Q(g);
  bool scalar = g.Chance(0.3);
  uint32_t base3 = scalar ? 0x5e200400 : 0x0e200400, base2 = scalar ? 0x5e200800 : 0x0e200800;
  if (scalar) q = 1;  // bit 30 is part of the scalar encodings
  switch (g.Bits(2)) {
    case 0: {  // fmulx (a 0, 11011), frecps (a 0, 11111), frsqrts (a 1, 11111)
      static constexpr uint32_t kOps[][2] = {{0, 0x1b}, {0, 0x1f}, {1, 0x1f}};
      const uint32_t* op = kOps[Uniform(g.rng(), 0, 2)];
      g.Emit(base3 | q << 30 | op[0] << 23 | sz << 22 | g.V() << 16 | op[1] << 11 | g.V() << 5 |
             g.V());
      break;
    }
    case 1:  // frecpe (U 0), frsqrte (U 1)
      g.Emit(base2 | q << 30 | g.Bits(1) << 29 | 1u << 23 | sz << 22 | 0x1du << 12 | g.V() << 5 |
             g.V());
      break;
    case 2:  // urecpe (U 0), ursqrte (U 1): S lanes only
      g.Emit(0x0e200800 | Q(g) << 30 | g.Bits(1) << 29 | 1u << 23 | 0x1cu << 12 | g.V() << 5 |
             g.V());
      break;
    default:  // fcvtxn(2) or scalar fcvtxn
      g.Emit((scalar ? 0x7e616800 : 0x2e616800 | Q(g) << 30) | g.V() << 5 | g.V());
      break;
  }
}

// ---- half precision: fcvt h <-> s/d, fcvtn 4s -> 4h/8h, fcvtl 4h/8h -> 4s ----
void FpHalf(A64Gen& g) {
  switch (g.Bits(2)) {
    case 0: g.Emit(0x1e23c000 | g.Bits(1) << 22 | g.V() << 5 | g.V()); break;  // fcvt h, s/d
    case 1: g.Emit(0x1ee24000 | g.Bits(1) << 15 | g.V() << 5 | g.V()); break;  // fcvt s/d, h
    case 2: g.Emit(0x0e216800 | Q(g) << 30 | g.V() << 5 | g.V()); break;       // fcvtn(2) 4h/8h
    default: g.Emit(0x0e217800 | Q(g) << 30 | g.V() << 5 | g.V()); break;      // fcvtl(2)
  }
}

// ---- saturating, rounding and halving integer forms (lift_simd_sat.cpp and friends) ----
void SimdSat(A64Gen& g) {
  uint32_t size = g.Bits(2), q = size == 3 ? 1 : Q(g), u = g.Bits(1);
  switch (g.Bits(3)) {
    case 0: {  // three same: shsub/uhsub (no D), register shifts, sqdmulh/sqrdmulh (H, S)
      uint32_t op = Pick(g, {0x04, 0x09, 0x0a, 0x0b, 0x16});
      if (op == 0x04 && size == 3) size = 2;
      if (op == 0x16) size = 1 + g.Bits(1);
      g.Emit(0x0e200400 | q << 30 | u << 29 | size << 22 | g.V() << 16 | op << 11 | g.V() << 5 |
             g.V());
      break;
    }
    case 1: {  // scalar three same: sqadd..uqsub, register shifts (srshl/urshl D only), sqdmulh
      uint32_t op = Pick(g, {0x01, 0x05, 0x09, 0x0a, 0x0b, 0x16});
      if (op == 0x0a) size = 3;
      if (op == 0x16) size = 1 + g.Bits(1);
      g.Emit(0x5e200400 | u << 29 | size << 22 | g.V() << 16 | op << 11 | g.V() << 5 | g.V());
      break;
    }
    case 2: {  // two-register misc: suqadd/usqadd, sqabs/sqneg (vector or scalar), rbit
      uint32_t op = Pick(g, {0x03, 0x07, 0x05});
      if (op == 0x05) {
        g.Emit(0x2e605800 | q << 30 | g.V() << 5 | g.V());
      } else if (g.Bits(1)) {
        g.Emit(0x5e200800 | u << 29 | size << 22 | op << 12 | g.V() << 5 | g.V());
      } else {
        g.Emit(0x0e200800 | q << 30 | u << 29 | size << 22 | op << 12 | g.V() << 5 | g.V());
      }
      break;
    }
    case 3: {  // srsra/ursra (vector), srshr/urshr/srsra/ursra (scalar D)
      uint32_t op = Pick(g, {0x04, 0x06});
      if (g.Bits(1)) {
        g.Emit(0x5f000400 | u << 29 | (8 | g.Bits(3)) << 19 | g.Bits(3) << 16 | op << 11 |
               g.V() << 5 | g.V());
      } else {
        uint32_t immh = 1u << size | (g.Bits(3) & ((1u << size) - 1));
        g.Emit(0x0f000400 | q << 30 | u << 29 | immh << 19 | g.Bits(3) << 16 | op << 11 |
               g.V() << 5 | g.V());
      }
      break;
    }
    default: {  // raddhn/rsubhn, sqdmull/sqdmlal/sqdmlsl
      uint32_t op = Pick(g, {0x4, 0x6, 0x9, 0xb, 0xd});
      uint32_t narrow = op == 0x4 || op == 0x6;
      uint32_t sz = narrow ? static_cast<uint32_t>(Uniform(g.rng(), 0, 2)) : 1 + g.Bits(1);
      g.Emit(0x0e200000 | Q(g) << 30 | (narrow ? 1u : 0u) << 29 | sz << 22 | g.V() << 16 |
             op << 12 | g.V() << 5 | g.V());
      break;
    }
  }
}

// ---- structure loads and stores (base x27, post-index by the size or by x26) ----
void SimdLdStMulti(A64Gen& g) {
  uint32_t opcode = Pick(g, {0x0, 0x2, 0x4, 0x6, 0x7, 0x8, 0xa});
  uint32_t size = g.Bits(2), q = Q(g);
  bool ld1 = opcode == 0x2 || opcode == 0x6 || opcode == 0x7 || opcode == 0xa;
  if (size == 3 && !ld1) q = 1;
  uint32_t post = g.Bits(1);
  uint32_t rm = g.Bits(1) ? 31 : kA64Index;
  g.Emit(0x0c000000 | q << 30 | post << 23 | g.Bits(1) << 22 | (post ? rm << 16 : 0) |
         opcode << 12 | size << 10 | kA64MemBase << 5 | g.V());
}
void SimdLdStLane(A64Gen& g) {
  uint32_t kind = g.Bits(2);  // b h s d
  uint32_t q = Q(g), s = g.Bits(1), size = g.Bits(2);
  uint32_t opcode = (kind == 3 ? 2 : kind) << 1 | g.Bits(1);
  if (kind == 1) size &= 2;
  if (kind == 2) size = 0;
  if (kind == 3) size = 1, s = 0;
  uint32_t post = g.Bits(1), rm = g.Bits(1) ? 31 : kA64Index;
  bool rep = g.Chance(0.25);
  if (rep) {  // ld1r..ld4r
    opcode = 6 | g.Bits(1);
    s = 0;
    size = g.Bits(2);
  }
  uint32_t load = rep ? 1 : g.Bits(1);
  g.Emit(0x0d000000 | q << 30 | post << 23 | load << 22 | g.Bits(1) << 21 | (post ? rm << 16 : 0) |
         opcode << 13 | s << 12 | size << 10 | kA64MemBase << 5 | g.V());
}

// The scalar and by-element saturating forms: SQDMULH/SQRDMULH and SQDMULL/SQDMLAL/SQDMLSL by
// element (vector and scalar), scalar SQDMULL/SQDMLAL/SQDMLSL, SQXTN/UQXTN/SQXTUN, saturating
// shifts by immediate (b h s d), narrowing shifts (b h s), and SLI/SRI (d).
void SimdSatScalar(A64Gen& g) {
  uint32_t size = 1 + g.Bits(1), u = g.Bits(1), q = Q(g);
  uint32_t l = g.Bits(1), h = g.Bits(1), rm = size == 1 ? g.Bits(4) | g.Bits(1) << 4 : g.V();
  switch (g.Bits(3)) {
    case 0: {  // sqdmulh/sqrdmulh by element
      uint32_t base = g.Bits(1) ? 0x5f000000 : 0x0f000000 | q << 30;
      g.Emit(base | size << 22 | l << 21 | rm << 16 | Pick(g, {0xc, 0xd}) << 12 | h << 11 |
             g.V() << 5 | g.V());
      break;
    }
    case 1: {  // sqdmull/sqdmlal/sqdmlsl by element
      uint32_t base = g.Bits(1) ? 0x5f000000 : 0x0f000000 | q << 30;
      g.Emit(base | size << 22 | l << 21 | rm << 16 | Pick(g, {0xb, 0x3, 0x7}) << 12 | h << 11 |
             g.V() << 5 | g.V());
      break;
    }
    case 2:  // scalar sqdmull/sqdmlal/sqdmlsl
      g.Emit(0x5e200000 | size << 22 | g.V() << 16 | Pick(g, {0x9, 0xb, 0xd}) << 12 | g.V() << 5 |
             g.V());
      break;
    case 3: {  // scalar sqxtn/uqxtn (10100), sqxtun (U = 1, 10010)
      uint32_t op = Pick(g, {0x14, 0x12});
      if (op == 0x12) u = 1;
      g.Emit(0x5e200800 | u << 29 | g.Bits(2) % 3 << 22 | 1u << 21 | op << 12 | g.V() << 5 | g.V());
      break;
    }
    case 4: {  // scalar sqshl/uqshl (01110), sqshlu (U = 1, 01100) #imm, any size
      uint32_t esize = g.Bits(2), op = Pick(g, {0x0e, 0x0c});
      if (op == 0x0c) u = 1;
      uint32_t immh = 1u << esize | (g.Bits(3) & ((1u << esize) - 1));
      g.Emit(0x5f000400 | u << 29 | immh << 19 | g.Bits(3) << 16 | op << 11 | g.V() << 5 | g.V());
      break;
    }
    case 5:
    case 6: {  // scalar narrowing shifts: sq(r)shrun (U = 1, 1000x), sq/uq(r)shrn (1001x)
      uint32_t esize = g.Bits(2) % 3, op = Pick(g, {0x10, 0x11, 0x12, 0x13});
      if (op < 0x12) u = 1;
      uint32_t immh = 1u << esize | (g.Bits(3) & ((1u << esize) - 1));
      g.Emit(0x5f000400 | u << 29 | immh << 19 | g.Bits(3) << 16 | op << 11 | g.V() << 5 | g.V());
      break;
    }
    default:  // sli (01010), sri (01000) d
      g.Emit(0x7f000400 | (8 | g.Bits(3)) << 19 | g.Bits(3) << 16 | Pick(g, {0x0a, 0x08}) << 11 |
             g.V() << 5 | g.V());
      break;
  }
}

// FMULX by element (vector and scalar).
void SimdFmulxElem(A64Gen& g) {
  uint32_t sz = g.Bits(1), l = sz ? 0 : g.Bits(1), q = sz ? 1 : Q(g);
  uint32_t base = g.Bits(1) ? 0x7f809000 : 0x2f809000 | q << 30;
  g.Emit(base | sz << 22 | l << 21 | g.V() << 16 | g.Bits(1) << 11 | g.V() << 5 | g.V());
}
// FRECPX (scalar s/d).
void FpFrecpx(A64Gen& g) { g.Emit(0x5ea1f800 | g.Bits(1) << 22 | g.V() << 5 | g.V()); }

// msr fpcr with a random RMode, FZ and DN (a change of FZ/DN ends polyvm's block and drops its
// translations), then mrs fpcr and mrs fpsr (IDC under FZ).
void FpcrFzDn(A64Gen& g) {
  g.Emit(0xd2a00000 | (g.Bits(4) << 6) << 5 | 24);  // movz x24, #(DN FZ RMode) << 6, lsl #16
  g.Emit(0xd51b4400 | 24);                          // msr fpcr, x24
  g.Emit(0xd53b4400 | g.Dest());                    // mrs xd, fpcr
  g.Emit(0xd53b4420 | g.Dest());                    // mrs xd, fpsr
}

}  // namespace

void RegisterArm64FpSimdForms(std::vector<A64Form>& out) {
  out.insert(out.end(), {
                            {"fp_dp1", FpOneSource, 3},
                            {"fpcr_fzdn", FpcrFzDn, 1},
                            {"simd_sat_scalar", SimdSatScalar, 3},
                            {"simd_fmulx_elem", SimdFmulxElem, 1},
                            {"fp_frecpx", FpFrecpx, 1},
                            {"fp_dp2", FpTwoSource, 4},
                            {"fp_dp3", FpThreeSource, 3},
                            {"fp_cmp", FpCompare, 2},
                            {"fp_ccmp", FpCondCompare, 1},
                            {"fp_csel", FpCondSelect, 1},
                            {"fp_imm", FpImm, 1},
                            {"fp_to_int", FpToInt, 3},
                            {"int_to_fp", IntToFp, 2},
                            {"fmov_gpr", FmovGpr, 1},
                            {"fp_fixed", FpFixed, 1},
                            {"simd_3same_int", SimdThreeSameInt, 4},
                            {"simd_logic", SimdLogic, 2},
                            {"simd_sat", SimdSat, 4},
                            {"simd_fp_est", SimdFpEstimate, 4},
                            {"fp_half", FpHalf, 2},
                            {"simd_3same_fp", SimdThreeSameFp, 4},
                            {"simd_scalar_3same", SimdScalarThreeSame, 1},
                            {"simd_misc_int", SimdMiscInt, 3},
                            {"simd_misc_fp", SimdMiscFp, 3},
                            {"simd_fcvt_long", SimdFcvtLong, 1},
                            {"simd_scalar_misc", SimdScalarMisc, 1},
                            {"simd_across", SimdAcross, 2},
                            {"simd_fp_across", SimdFpAcross, 1},
                            {"simd_pair_scalar", SimdPairScalar, 1},
                            {"simd_copy", SimdCopy, 3},
                            {"simd_permute", SimdPermute, 2},
                            {"simd_ext", SimdExt, 1},
                            {"simd_tbl", SimdTbl, 2},
                            {"simd_mod_imm", SimdModImm, 2},
                            {"simd_shift_imm", SimdShiftImm, 3},
                            {"simd_scalar_shift", SimdScalarShift, 1},
                            {"simd_3diff", SimdThreeDifferent, 3},
                            {"simd_by_element", SimdByElement, 2},
                            {"simd_ldst_multi", SimdLdStMulti, 2},
                            {"simd_ldst_lane", SimdLdStLane, 2},
                        });
}

// FP-flavoured initial state: each V register's lanes drawn as f32 or f64 patterns of every class
// (or left as random integers), FPSR's cumulative flags and QC random.
// V registers of integer lanes at the saturation edges (0, +-1, MIN, MAX and their neighbours,
// small signed shift counts), for the saturating forms; the lane size is drawn per half.
void RandomizeArm64IntEdgeState(Rng& rng, A64Regs& regs) {
  for (auto& q : regs.q) {
    for (uint64_t& half : q) {
      unsigned bits = 8u << Uniform(rng, 0, 3);
      uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
      uint64_t max = mask >> 1, min = max + 1;
      uint64_t v = 0;
      for (unsigned k = 0; k < 64; k += bits) {
        uint64_t lane;
        switch (Uniform(rng, 0, 9)) {
          case 0: lane = 0; break;
          case 1: lane = 1; break;
          case 2: lane = mask; break;  // -1
          case 3: lane = min; break;
          case 4: lane = max; break;
          case 5: lane = min + 1; break;
          case 6: lane = max - 1; break;
          case 7: lane = static_cast<uint64_t>(Uniform(rng, 0, 140)) - 70; break;  // shift counts
          default: lane = Uniform(rng, 0, ~uint64_t{0}); break;
        }
        v |= (lane & mask) << k;
      }
      half = v;
    }
  }
  regs.fpsr = Chance(rng, 0.2) ? 1u << 27 : 0u;
}

void RandomizeArm64FpState(Rng& rng, A64Regs& regs) {
  for (auto& q : regs.q) {
    switch (Uniform(rng, 0, 2)) {
      case 0: q = {RandF64(rng), RandF64(rng)}; break;
      case 1:
        q = {RandF32(rng) | uint64_t{RandF32(rng)} << 32,
             RandF32(rng) | uint64_t{RandF32(rng)} << 32};
        break;
      default: break;  // keep the integer pattern
    }
  }
  regs.fpsr = static_cast<uint32_t>(Uniform(rng, 0, 31)) | (Chance(rng, 0.2) ? 1u << 27 : 0u);
}

}  // namespace polyvm::diff
