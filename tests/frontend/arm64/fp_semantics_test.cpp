// The tricky FP and AdvSIMD lifts run through the interpreter, with expected values worked out
// from the Arm ARM's pseudocode (DDI 0487: FPToFixed, FPMinNum, FPProcessNaNs, FPCompare,
// FPRoundBase's exception rules, SatQ, TBL/TBX), not from polyvm: conversion saturation and NaN
// to 0, FMINNM/FMIN with signalling and quiet NaNs, the FPSR cumulative flags and QC, FCMP's NZCV,
// TBL/TBX with indices past the table, FMLS's negation, fixed-point conversions.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <memory>

#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/frontend/arm64/lifter.h"
#include "test_util.h"

namespace polyvm::frontend::arm64 {
namespace {

constexpr uint64_t kPc = 0x10000;
constexpr uint32_t kBrk = 0xd4200000;  // brk #0 ends each snippet

// FPSR bits.
constexpr uint32_t kIoc = 1, kDzc = 2, kOfc = 4, kUfc = 8, kIxc = 16, kQc = 1u << 27;

struct Machine {
  std::unique_ptr<Arm64State> s = std::make_unique<Arm64State>();

  void SetS(unsigned r, float f) { SetBits32(r, std::bit_cast<uint32_t>(f)); }
  void SetBits32(unsigned r, uint32_t v) {
    std::memset(s->q[r], 0, 16);
    std::memcpy(s->q[r], &v, 4);
  }
  void SetD(unsigned r, double d) {
    uint64_t v = std::bit_cast<uint64_t>(d);
    std::memset(s->q[r], 0, 16);
    std::memcpy(s->q[r], &v, 8);
  }
  void SetBytes(unsigned r, std::initializer_list<uint8_t> bytes) {
    std::memset(s->q[r], 0, 16);
    std::copy(bytes.begin(), bytes.end(), s->q[r]);
  }
  uint32_t Bits32(unsigned r) const {
    uint32_t v;
    std::memcpy(&v, s->q[r], 4);
    return v;
  }
  uint64_t Bits64(unsigned r, unsigned half = 0) const {
    uint64_t v;
    std::memcpy(&v, s->q[r] + 8 * half, 8);
    return v;
  }

  // Runs the words then brk #0; expects to stop at the brk.
  void Run(std::initializer_list<uint32_t> words) {
    std::vector<uint32_t> all(words);
    all.push_back(kBrk);
    std::vector<uint8_t> bytes(all.size() * 4);
    std::memcpy(bytes.data(), all.data(), bytes.size());
    test::BufferReader code(kPc, bytes);
    Arm64Lifter lifter;
    engine::interp::Interpreter interp(lifter, code);
    core::Vcpu vcpu;
    vcpu.state = &s->hdr;
    s->hdr.pc = kPc;
    core::ExitInfo e = interp.Run(vcpu);
    EXPECT_EQ(e.reason, core::ExitReason::kTrap);
    EXPECT_EQ(e.trap, core::TrapCode::kBreakpoint);
    EXPECT_EQ(e.pc, kPc + 4 * (all.size() - 1));
  }
  uint32_t Fpsr() const { return GetFpsr(*s); }
};

TEST(Arm64FpSemantics, FcvtzsSaturatesAndNanGivesZero) {
  Machine m;
  m.SetD(1, 1e10);
  m.SetD(2, -1e10);
  m.SetD(3, std::bit_cast<double>(uint64_t{0x7ff8000000000000}));
  m.Run({0x1e780020,                  // fcvtzs w0, d1
         0x1e780044,                  // fcvtzs w4, d2
         0x9e780065});                // fcvtzs x5, d3
  EXPECT_EQ(m.s->x[0], 0x7fffffffu);  // saturated, zero-extended into x0
  EXPECT_EQ(m.s->x[4], 0x80000000u);
  EXPECT_EQ(m.s->x[5], 0u);  // NaN converts to 0
  EXPECT_EQ(m.Fpsr(), kIoc);
}

TEST(Arm64FpSemantics, FcvtzuOfNegativeValues) {
  Machine m;
  m.SetD(1, -0.5);      // rounds toward zero to 0: in range, only inexact
  m.Run({0x1e790020});  // fcvtzu w0, d1
  EXPECT_EQ(m.s->x[0], 0u);
  EXPECT_EQ(m.Fpsr(), kIxc);
  Machine n;
  n.SetD(1, -1.5);  // -1 is out of range: 0 and invalid (never inexact too)
  n.Run({0x1e790020});
  EXPECT_EQ(n.s->x[0], 0u);
  EXPECT_EQ(n.Fpsr(), kIoc);
}

TEST(Arm64FpSemantics, FcvtStaticRoundingModes) {
  Machine m;
  m.SetD(1, -2.5);
  m.Run({0x9e600020,    // fcvtns x0, d1: ties to even, -2
         0x9e640022,    // fcvtas x2, d1: ties away, -3
         0x9e680023,    // fcvtps x3, d1: toward +inf, -2
         0x9e700024,    // fcvtms x4, d1: toward -inf, -3
         0x9e780025});  // fcvtzs x5, d1: toward zero, -2
  EXPECT_EQ(m.s->x[0], static_cast<uint64_t>(-2));
  EXPECT_EQ(m.s->x[2], static_cast<uint64_t>(-3));
  EXPECT_EQ(m.s->x[3], static_cast<uint64_t>(-2));
  EXPECT_EQ(m.s->x[4], static_cast<uint64_t>(-3));
  EXPECT_EQ(m.s->x[5], static_cast<uint64_t>(-2));
  EXPECT_EQ(m.Fpsr(), kIxc);
}

TEST(Arm64FpSemantics, FixedPointConversions) {
  Machine m;
  m.SetS(1, 1.75f);
  m.s->x[2] = 7;
  m.Run({0x1e18fc20,         // fcvtzs w0, s1, #1
         0x1e02fc43});       // scvtf s3, w2, #1
  EXPECT_EQ(m.s->x[0], 3u);  // 1.75 * 2 = 3.5, toward zero
  EXPECT_EQ(m.Bits32(3), std::bit_cast<uint32_t>(3.5f));
  EXPECT_EQ(m.Fpsr(), kIxc);
}

TEST(Arm64FpSemantics, FminnmWithNans) {
  Machine m;
  m.SetBits32(1, 0x7f800001);  // signalling NaN
  m.SetS(2, 1.0f);
  m.SetBits32(3, 0x7fc00002);  // quiet NaN
  m.Run({0x1e227820,           // fminnm s0, s1, s2: the sNaN, quieted, and invalid
         0x1e227864,           // fminnm s4, s3, s2: a quiet NaN gives the number
         0x1e225865});         // fmin s5, s3, s2: FMIN propagates the quiet NaN
  EXPECT_EQ(m.Bits32(0), 0x7fc00001u);
  EXPECT_EQ(m.Bits32(4), std::bit_cast<uint32_t>(1.0f));
  EXPECT_EQ(m.Bits32(5), 0x7fc00002u);
  EXPECT_EQ(m.Fpsr(), kIoc);
}

TEST(Arm64FpSemantics, FpsrCumulativeFlags) {
  Machine m;
  m.SetS(1, 1.0f);
  m.SetS(2, 0.0f);
  m.SetS(3, std::bit_cast<float>(0x7f7fffffu));  // FLT_MAX
  m.SetS(4, 1e-30f);
  m.Run({0x1e221820});  // fdiv s0, s1, s2
  EXPECT_EQ(m.Bits32(0), 0x7f800000u);
  EXPECT_EQ(m.Fpsr(), kDzc);
  m.Run({0x1e232865});  // fadd s5, s3, s3: overflow, inexact
  EXPECT_EQ(m.Bits32(5), 0x7f800000u);
  EXPECT_EQ(m.Fpsr(), kDzc | kOfc | kIxc);
  m.Run({0x1e240886});  // fmul s6, s4, s4: 1e-60 underflows to 0, inexact
  EXPECT_EQ(m.Bits32(6), 0u);
  EXPECT_EQ(m.Fpsr(), kDzc | kOfc | kIxc | kUfc);
}

TEST(Arm64FpSemantics, FcmpNzcv) {
  Machine m;
  m.SetS(1, 1.0f);
  m.SetS(2, 2.0f);
  m.SetBits32(3, 0x7fc00000);  // quiet NaN
  m.Run({0x1e222020});         // fcmp s1, s2: less than -> N
  EXPECT_EQ(GetNzcv(*m.s), 0x80000000u);
  m.Run({0x1e212040});  // fcmp s2, s1: greater -> C
  EXPECT_EQ(GetNzcv(*m.s), 0x20000000u);
  m.Run({0x1e212020});  // fcmp s1, s1: equal -> ZC
  EXPECT_EQ(GetNzcv(*m.s), 0x60000000u);
  m.Run({0x1e232020});  // fcmp s1, s3: unordered -> CV, a quiet NaN raises nothing
  EXPECT_EQ(GetNzcv(*m.s), 0x30000000u);
  EXPECT_EQ(m.Fpsr(), 0u);
  m.Run({0x1e232030});  // fcmpe s1, s3: the signalling compare raises invalid
  EXPECT_EQ(GetNzcv(*m.s), 0x30000000u);
  EXPECT_EQ(m.Fpsr(), kIoc);
}

TEST(Arm64FpSemantics, FccmpConditionFalseComparesNothing) {
  Machine m;
  m.SetBits32(1, 0x7f800001);  // a signalling NaN that a compare would report
  m.s->z = 0;
  m.Run({0x1e210425});  // fccmp s1, s1, #0x5, eq: Z clear, so NZCV = 0101, no flags
  EXPECT_EQ(GetNzcv(*m.s), 0x50000000u);
  EXPECT_EQ(m.Fpsr(), 0u);
}

TEST(Arm64FpSemantics, FnmulAndFmsubSigns) {
  Machine m;
  m.SetD(1, 3.0);
  m.SetD(2, 2.0);
  m.SetD(3, 10.0);
  m.Run({0x1e628820,    // fnmul d0, d1, d2 = -6
         0x1f428c24,    // fmsub d4, d1, d2, d3 = 10 - 6 = 4
         0x1f620c25,    // fnmadd d5, d1, d2, d3 = -10 - 6 = -16
         0x1f628c26});  // fnmsub d6, d1, d2, d3 = 6 - 10 = -4
  EXPECT_EQ(m.Bits64(0), std::bit_cast<uint64_t>(-6.0));
  EXPECT_EQ(m.Bits64(4), std::bit_cast<uint64_t>(4.0));
  EXPECT_EQ(m.Bits64(5), std::bit_cast<uint64_t>(-16.0));
  EXPECT_EQ(m.Bits64(6), std::bit_cast<uint64_t>(-4.0));
}

TEST(Arm64FpSemantics, TblAndTbxIndicesPastTheTable) {
  Machine m;
  m.SetBytes(1, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  for (unsigned k = 0; k < 16; ++k) m.s->q[2][k] = static_cast<uint8_t>(0x10 + k);
  m.SetBytes(3, {15, 16, 31, 32, 255, 0, 17, 47, 48, 1, 2, 3, 4, 5, 6, 7});
  std::memset(m.s->q[4], 0xaa, 16);
  std::memset(m.s->q[5], 0xaa, 16);
  m.Run({0x4e030020,    // tbl v0.16b, {v1.16b}, v3.16b
         0x4e032026,    // tbl v6.16b, {v1.16b, v2.16b}, v3.16b
         0x4e031025});  // tbx v5.16b, {v1.16b}, v3.16b
  const uint8_t want_tbl1[16] = {15, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7};
  const uint8_t want_tbl2[16] = {15, 0x10, 0x1f, 0, 0, 0, 0x11, 0, 0, 1, 2, 3, 4, 5, 6, 7};
  const uint8_t want_tbx[16] = {15,   0xaa, 0xaa, 0xaa, 0xaa, 0, 0xaa, 0xaa,
                                0xaa, 1,    2,    3,    4,    5, 6,    7};
  EXPECT_EQ(std::memcmp(m.s->q[0], want_tbl1, 16), 0);
  EXPECT_EQ(std::memcmp(m.s->q[6], want_tbl2, 16), 0);
  EXPECT_EQ(std::memcmp(m.s->q[5], want_tbx, 16), 0);
}

TEST(Arm64FpSemantics, SaturationSetsQc) {
  Machine m;
  std::memset(m.s->q[1], 0x7f, 16);
  std::memset(m.s->q[2], 0x01, 16);
  m.Run({0x4e220c20});  // sqadd v0.16b, v1.16b, v2.16b: 0x7f + 1 saturates
  EXPECT_EQ(m.Bits64(0, 0), 0x7f7f7f7f7f7f7f7fu);
  EXPECT_EQ(m.Fpsr(), kQc);
  Machine n;
  std::memset(n.s->q[1], 0x10, 16);
  std::memset(n.s->q[2], 0x01, 16);
  n.Run({0x4e220c20});  // no saturation: QC stays clear
  EXPECT_EQ(n.Fpsr(), 0u);
}

TEST(Arm64FpSemantics, ScalarAndHalfVectorFormsIgnoreOtherLanes) {
  // Lanes outside the operation hold signalling NaNs: no invalid flag may come from them.
  Machine m;
  uint64_t snan = 0x7ff0000000000001;
  m.SetD(1, 1.0);
  std::memcpy(m.s->q[1] + 8, &snan, 8);
  uint32_t two = std::bit_cast<uint32_t>(2.0f), snan32 = 0x7f800001;
  uint32_t v8[4] = {two, two, snan32, snan32};
  std::memcpy(m.s->q[8], v8, 16);
  m.Run({0x1e610820,    // fmul d0, d1, d1
         0x0e28d507});  // fadd v7.2s, v8.2s, v8.2s
  EXPECT_EQ(m.Bits64(0), std::bit_cast<uint64_t>(1.0));
  EXPECT_EQ(m.Bits64(0, 1), 0u);  // a scalar write clears the rest
  uint32_t four = std::bit_cast<uint32_t>(4.0f);
  EXPECT_EQ(m.Bits64(7), uint64_t{four} << 32 | four);
  EXPECT_EQ(m.Bits64(7, 1), 0u);  // Q = 0 clears the upper half
  EXPECT_EQ(m.Fpsr(), 0u);
}

// FPCR.FZ and FPCR.DN set by the guest (crtfastmath's `msr fpcr`): the write ends the block, the
// translations after it flush and use the default NaN. Expected values from the Arm ARM
// (FPUnpackBase, FPRoundBase, FPProcessNaN with FZ/DN set; IDC is FPSR bit 7).
constexpr uint32_t kIdc = 1u << 7;
constexpr uint32_t kFz = 1u << 24, kDn = 1u << 25;

TEST(Arm64FpSemantics, FpcrFzFlushesInputsAndTinyResults) {
  Machine m;
  m.s->x[0] = kFz;
  m.SetS(0, 1e-20f);
  m.SetS(1, 1e-20f);
  m.SetBits32(4, 0x00000001);  // 2^-149
  m.SetS(5, 1.0f);
  m.Run({0xd51b4400,    // msr fpcr, x0
         0x1e210802,    // fmul s2, s0, s1: 1e-40 is tiny: +0.0, UFC only
         0x1e252883,    // fadd s3, s4, s5: 2^-149 reads as 0: 1.0 exactly, IDC
         0xd53b4426,    // mrs x6, fpsr
         0x1e202088,    // fcmp s4, #0.0: equal (Z = C = 1)
         0x1e380089,    // fcvtzs w9, s4: 0, no IXC
         0xd53b440a,    // mrs x10, fpcr
         0xd51b441f,    // msr fpcr, xzr: FZ off again
         0x1e210807,    // fmul s7, s0, s1: the subnormal result, UFC and IXC
         0xd53b4428});  // mrs x8, fpsr: IDC stays (moved to fpsr_rest at the msr)
  EXPECT_EQ(m.Bits32(2), 0u);
  EXPECT_EQ(m.Bits32(3), 0x3f800000u);
  EXPECT_EQ(m.s->x[6], kUfc | kIdc);
  EXPECT_EQ(GetNzcv(*m.s), 0x60000000u);
  EXPECT_EQ(m.s->x[9], 0u);
  EXPECT_EQ(m.s->x[10], kFz);
  EXPECT_NE(m.Bits32(7), 0u);
  EXPECT_EQ(m.Bits32(7) & 0x7f800000u, 0u);  // subnormal
  EXPECT_EQ(m.s->x[8], kUfc | kIxc | kIdc);
  EXPECT_EQ(m.s->fpcr, 0u);
}

TEST(Arm64FpSemantics, FpcrDnGivesTheDefaultNan) {
  Machine m;
  m.s->x[0] = kDn;
  m.SetBits32(0, 0xffc12345);  // a quiet NaN with a payload
  m.SetS(1, 2.0f);
  m.Run({0xd51b4400,    // msr fpcr, x0
         0x1e212802});  // fadd s2, s0, s1
  EXPECT_EQ(m.Bits32(2), 0x7fc00000u);
  EXPECT_EQ(m.Fpsr(), 0u);
  Machine n;  // DN = 0: the operand NaN
  n.SetBits32(0, 0xffc12345);
  n.SetS(1, 2.0f);
  n.Run({0x1e212802});
  EXPECT_EQ(n.Bits32(2), 0xffc12345u);
}

TEST(Arm64FpSemantics, AVcpuWhoseFpcrDisagreesWithTheTranslationsStopsLoudly) {
  // Translations made for FZ = 1 (another thread set it); this vCPU still has FZ = 0: its first
  // FP instruction traps as unsupported instead of computing with the other thread's mode.
  Arm64Lifter lifter;
  lifter.AssumeFpcr(kFz);
  auto s = std::make_unique<Arm64State>();
  std::vector<uint32_t> words = {0x91000421,   // add x1, x1, #1
                                 0x1e212802,   // fadd s2, s0, s1
                                 0xd4200000};  // brk #0
  std::vector<uint8_t> bytes(words.size() * 4);
  std::memcpy(bytes.data(), words.data(), bytes.size());
  test::BufferReader code(kPc, bytes);
  engine::interp::Interpreter interp(lifter, code);
  core::Vcpu vcpu;
  vcpu.state = &s->hdr;
  s->hdr.pc = kPc;
  core::ExitInfo e = interp.Run(vcpu);
  EXPECT_EQ(e.reason, core::ExitReason::kTrap);
  EXPECT_EQ(e.trap, core::TrapCode::kUnsupported);
  EXPECT_EQ(e.pc, kPc + 4);
  EXPECT_EQ(s->x[1], 1u);  // the add before it completed
  // With FPCR agreeing, the same code runs.
  SetFpcr(*s, kFz);
  s->hdr.pc = kPc;
  e = interp.Run(vcpu);
  EXPECT_EQ(e.trap, core::TrapCode::kBreakpoint);
}

// FRECPX (FPRecpX): sign kept, exponent field inverted, fraction cleared; zeros and subnormals
// get the largest finite exponent (0xfe), infinities the zero exponent, NaNs FPProcessNaN.
TEST(Arm64FpSemantics, FrecpxInvertsTheExponent) {
  Machine m;
  m.SetBits32(1, 0x40800000);  // 4.0: exponent 0x81 -> 0x7e: 0.5
  m.SetBits32(2, 0x80000001);  // -2^-149 (subnormal) -> -(2^127)
  m.SetBits32(3, 0xff800000);  // -inf -> -0.0
  m.SetBits32(4, 0x7f800001);  // signalling NaN -> quieted, IOC
  m.SetD(5, 3.0);              // exponent 0x400 -> 0x3ff: 1.0
  m.Run({0x5ea1f820,           // frecpx s0, s1
         0x5ea1f846,           // frecpx s6, s2
         0x5ea1f867,           // frecpx s7, s3
         0x5ea1f888,           // frecpx s8, s4
         0x5ee1f8a9});         // frecpx d9, d5
  EXPECT_EQ(m.Bits32(0), 0x3f000000u);
  EXPECT_EQ(m.Bits32(6), 0xff000000u);
  EXPECT_EQ(m.Bits32(7), 0x80000000u);
  EXPECT_EQ(m.Bits32(8), 0x7fc00001u);
  EXPECT_EQ(m.Bits64(9), 0x3ff0000000000000u);
  EXPECT_EQ(m.Fpsr(), kIoc);
}

}  // namespace
}  // namespace polyvm::frontend::arm64
