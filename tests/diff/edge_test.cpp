// Hand-picked edge cases run through Unicorn (with the quirk adapters) and every polyvm engine.
// Both must agree with each other, and with the result the ISA manual prescribes (the `want`
// lines, worked out by hand from the 20191213 unprivileged manual: M 7.1-7.2, A 8.2-8.4,
// F 11.6-11.9, D 12, RVC 16; 128-bit products checked with Python's integers).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "compare.h"
#include "harness.h"
#include "polyvm_runner.h"
#include "rv_encode.h"
#include "unicorn_runner.h"
#include "values.h"

namespace polyvm::diff {
namespace {

constexpr unsigned kA0 = 10, kA1 = 11, kA2 = 12, kA3 = 13, kA4 = 14, kA5 = 15;
constexpr uint64_t kP = kDataBase + 0x100;  // the data pointer in a5
constexpr uint32_t kRne = 0, kRtz = 1, kRmm = 4, kDyn = 7;
constexpr uint32_t kNV = 0x10, kDZ = 0x08, kOF = 0x04, kNX = 0x01;
constexpr uint64_t kAll = ~0ull, kMin = 0x8000000000000000;

// ---- encodings by form name (fields as the manual's formats place them) ----
uint32_t R(const char* name, unsigned rd, unsigned rs1, unsigned rs2 = 0, uint32_t rm = kRne) {
  const Form* f = FindForm(name);
  uint32_t w = f->match | rd << 7 | rs1 << 15 | rs2 << 20;
  return f->Has(kRm) ? w | rm << 12 : w;
}
uint32_t Fma(const char* name, unsigned rd, unsigned rs1, unsigned rs2, unsigned rs3,
             uint32_t rm = kRne) {
  return FindForm(name)->match | rd << 7 | rm << 12 | rs1 << 15 | rs2 << 20 | rs3 << 27;
}
uint32_t Imm(const char* name, unsigned rd, unsigned rs1, int32_t imm) {
  uint32_t m = FindForm(name)->match;
  return rv::I(m & 0x7f, (m >> 12) & 7, rd, rs1, 0) | (m & 0xfe000000) |
         rv::Bits(static_cast<uint32_t>(imm), 11, 0, 20);
}
uint32_t Store(const char* name, unsigned rs2, unsigned rs1, int32_t imm) {
  uint32_t m = FindForm(name)->match;
  return rv::S(m & 0x7f, (m >> 12) & 7, rs1, rs2, imm);
}
uint32_t Csr(const char* name, unsigned rd, unsigned csr, unsigned rs1_or_uimm) {
  return FindForm(name)->match | rd << 7 | rs1_or_uimm << 15 | csr << 20;
}

struct Want {
  char kind;  // 'x' register, 'f' register, 'c' fcsr, 'm' 64-bit memory at addr, 's' stop at pc
  uint64_t where;
  uint64_t value;
};

struct Edge {
  std::string name;
  std::vector<uint32_t> insns;
  std::vector<std::pair<unsigned, uint64_t>> x, f;
  uint32_t fcsr;
  std::vector<std::pair<uint64_t, uint64_t>> mem;
  std::vector<Want> want;
};

Want X(unsigned r, uint64_t v) { return {'x', r, v}; }
Want F(unsigned r, uint64_t v) { return {'f', r, v}; }
Want Fcsr(uint32_t v) { return {'c', 0, v}; }
Want Mem(uint64_t addr, uint64_t v) { return {'m', addr, v}; }
Want StopAt(Stop s, uint64_t offset) { return {'s', static_cast<uint64_t>(s), kCodeBase + offset}; }

// ---- the cases ----
std::vector<Edge> IntegerEdges() {
  auto rr = [](const char* op, uint64_t a, uint64_t b, uint64_t want) {
    return Edge{fmt::format("{} {:#x}, {:#x}", op, a, b),
                {R(op, kA0, kA1, kA2)},
                {{kA1, a}, {kA2, b}},
                {},
                0,
                {},
                {X(kA0, want)}};
  };
  auto ri = [](const char* op, uint64_t a, int32_t imm, uint64_t want) {
    return Edge{fmt::format("{} {:#x}, {}", op, a, imm),
                {Imm(op, kA0, kA1, imm)},
                {{kA1, a}},
                {},
                0,
                {},
                {X(kA0, want)}};
  };
  return {
      // M 7.2, table 7.1: division by zero and overflow.
      rr("div", 7, 0, kAll),
      rr("divu", 7, 0, kAll),
      rr("rem", 7, 0, 7),
      rr("remu", 7, 0, 7),
      rr("div", kMin, kAll, kMin),
      rr("rem", kMin, kAll, 0),
      rr("div", 0 - 7ull, 2, 0 - 3ull),
      rr("rem", 0 - 7ull, 2, kAll),
      rr("divw", 0x100000007, 0xffffffff00000000, kAll),
      rr("divuw", 0x100000007, 0xffffffff00000000, kAll),
      rr("remw", 0x100000007, 0xffffffff00000000, 7),
      rr("remuw", 0x1fffffff7, 0xffffffff00000000, 0xfffffffffffffff7),
      rr("divw", 0x80000000, kAll, 0xffffffff80000000),
      rr("remw", 0x80000000, kAll, 0),
      rr("divuw", 0xfffffffe, 2, 0x7fffffff),
      rr("remuw", 0xffffffff, 16, 15),
      rr("remw", 0 - 7ull, 2, kAll),
      // M 7.1: the high halves (products checked with Python).
      rr("mulh", kMin, kMin, 0x4000000000000000),
      rr("mulh", kAll, kAll, 0),
      rr("mulh", kMin, kAll, 0),
      rr("mulhu", kAll, kAll, 0xfffffffffffffffe),
      rr("mulhsu", kAll, kAll, kAll),
      rr("mulhsu", kMin, kAll, kMin),
      rr("mulhsu", 5, kAll, 4),
      rr("mulw", 0x7fffffff, 2, 0xfffffffffffffffe),
      rr("mul", kMin, kAll, kMin),
      // 2.4: shift amounts are the low 6 (5 for *W) bits of rs2; *W results sign-extended.
      rr("sll", 1, 63, kMin),
      rr("sll", 1, 64, 1),
      rr("sra", kMin, 63, kAll),
      rr("srl", kMin, 64, kMin),
      rr("srl", kMin, 63, 1),
      rr("sllw", 1, 31, 0xffffffff80000000),
      rr("sllw", 0x180000001, 32, 0xffffffff80000001),
      rr("sraw", 0x80000000, 31, kAll),
      rr("srlw", 0x80000000, 0, 0xffffffff80000000),
      rr("srlw", 0xffffffff80000000, 31, 1),
      rr("addw", 0x7fffffff, 1, 0xffffffff80000000),
      rr("subw", 0, 0x80000000, 0xffffffff80000000),
      rr("slt", kMin, 0, 1),
      rr("sltu", kMin, 0, 0),
      ri("srai", kMin, 63, kAll),
      ri("slli", 1, 63, kMin),
      ri("srliw", 0x80000000, 0, 0xffffffff80000000),
      ri("sraiw", 0x80000000, 31, kAll),
      ri("slliw", 0xffffffff, 31, 0xffffffff80000000),
      ri("addiw", 0xffffffff, 0, kAll),
      ri("sltiu", 5, -1, 1),
      ri("sltiu", kAll, -1, 0),
      ri("slti", kMin, -2048, 1),
      ri("xori", 0, -1, kAll),
      Edge{"lui 0x80000",
           {rv::U(rv::kOpLui, kA0, 0x80000)},
           {},
           {},
           0,
           {},
           {X(kA0, 0xffffffff80000000)}},
      Edge{"auipc 0x80000",
           {rv::U(rv::kOpAuipc, kA0, 0x80000)},
           {},
           {},
           0,
           {},
           {X(kA0, kCodeBase + 0xffffffff80000000)}},
      // RVC HINTs (16.7) are no-ops; c.ebreak stops.
      Edge{"c.nop 5, c.li x0, c.mv x0, c.slli x9 0",
           {0x0015, 0x4015, 0x8026, 0x0482, 0x0006},
           {{9, 0x1234}},
           {},
           0,
           {},
           {X(9, 0x1234), StopAt(Stop::kEnd, 10)}},
      Edge{"c.ebreak mid-sequence",
           {0x0505, rv::kCEbreak, 0x0505},
           {{kA0, 1}},
           {},
           0,
           {},
           {X(kA0, 2), StopAt(Stop::kBreakpoint, 2)}},
      Edge{"reserved c.addiw x0 traps",
           {0x0505, 0x2005},
           {{kA0, 1}},
           {},
           0,
           {},
           {X(kA0, 2), StopAt(Stop::kIllegal, 2)}},
      Edge{"fence.i continues",
           {0x0505, 0x0000100f, 0x0505},
           {{kA0, 1}},
           {},
           0,
           {},
           {X(kA0, 3), StopAt(Stop::kEnd, 8)}},
  };
}

std::vector<Edge> AtomicEdges() {
  std::vector<Edge> v;
  const uint64_t w_init = 0x5555555580000000;  // .w ops see 0x80000000 (negative)
  struct W {
    const char* op;
    uint64_t mem_after;
  };
  for (W w : {W{"amoswap.w", 0x5555555500000001}, W{"amoadd.w", 0x5555555580000001},
              W{"amoxor.w", 0x5555555580000001}, W{"amoand.w", 0x5555555500000000},
              W{"amoor.w", 0x5555555580000001}, W{"amomin.w", 0x5555555580000000},
              W{"amomax.w", 0x5555555500000001}, W{"amominu.w", 0x5555555500000001},
              W{"amomaxu.w", 0x5555555580000000}}) {
    v.push_back(Edge{fmt::format("{} on 0x80000000 with 1", w.op),
                     {R(w.op, kA0, kA5, kA2)},
                     {{kA5, kP}, {kA2, 1}},
                     {},
                     0,
                     {{kP, w_init}},
                     {X(kA0, 0xffffffff80000000), Mem(kP, w.mem_after)}});
  }
  for (W w : {W{"amoswap.d", 1}, W{"amoadd.d", kMin | 1}, W{"amoxor.d", kMin | 1}, W{"amoand.d", 0},
              W{"amoor.d", kMin | 1}, W{"amomin.d", kMin}, W{"amomax.d", 1}, W{"amominu.d", 1},
              W{"amomaxu.d", kMin}}) {
    v.push_back(Edge{fmt::format("{} on INT64_MIN with 1", w.op),
                     {R(w.op, kA0, kA5, kA2)},
                     {{kA5, kP}, {kA2, 1}},
                     {},
                     0,
                     {{kP, kMin}},
                     {X(kA0, kMin), Mem(kP, w.mem_after)}});
  }
  v.push_back(Edge{"amoadd.w overflow",
                   {R("amoadd.w", kA0, kA5, kA2)},
                   {{kA5, kP}, {kA2, 1}},
                   {},
                   0,
                   {{kP, 0x7fffffff}},
                   {X(kA0, 0x7fffffff), Mem(kP, 0x80000000)}});
  v.push_back(Edge{"amoadd.w misaligned traps",
                   {0x0505, R("amoadd.w", kA0, kA5, kA2)},
                   {{kA0, 1}, {kA5, kP + 2}, {kA2, 1}},
                   {},
                   0,
                   {},
                   {X(kA0, 2), StopAt(Stop::kMisaligned, 2)}});
  v.push_back(Edge{"lr.d misaligned traps",
                   {R("lr.d", kA0, kA5)},
                   {{kA5, kP + 4}},
                   {},
                   0,
                   {},
                   {StopAt(Stop::kMisaligned, 0)}});
  // A 8.2: LR/SC pairs.
  v.push_back(Edge{"lr.d; sc.d succeeds",
                   {R("lr.d", kA0, kA5), R("sc.d", kA1, kA5, kA2)},
                   {{kA5, kP}, {kA2, 0x1234}},
                   {},
                   0,
                   {{kP, 0x1111111122222222}},
                   {X(kA0, 0x1111111122222222), X(kA1, 0), Mem(kP, 0x1234)}});
  v.push_back(Edge{"sc.d without lr fails",
                   {R("sc.d", kA1, kA5, kA2)},
                   {{kA5, kP}, {kA2, 0x1234}},
                   {},
                   0,
                   {{kP, 0x1111111122222222}},
                   {X(kA1, 1), Mem(kP, 0x1111111122222222)}});
  v.push_back(Edge{"lr.w; sc.w; sc.w: the second fails",
                   {R("lr.w", kA0, kA5), R("sc.w", kA1, kA5, kA2), R("sc.w", kA3, kA5, kA4)},
                   {{kA5, kP}, {kA2, 0x77}, {kA4, 0x99}},
                   {},
                   0,
                   {{kP, 0x80000000}},
                   {X(kA0, 0xffffffff80000000), X(kA1, 0), X(kA3, 1), Mem(kP, 0x77)}});
  v.push_back(Edge{"lr.d; ld; sc.d succeeds (loads do not break reservations)",
                   {R("lr.d", kA0, kA5), Imm("ld", kA3, kA5, 8), R("sc.d", kA1, kA5, kA2)},
                   {{kA5, kP}, {kA2, 5}},
                   {},
                   0,
                   {{kP, 1}, {kP + 8, 2}},
                   {X(kA1, 0), X(kA3, 2), Mem(kP, 5)}});
  return v;
}

std::vector<Edge> FpEdges() {
  auto cvt = [](const char* op, uint64_t in, uint32_t rm, uint64_t want, uint32_t flags) {
    return Edge{fmt::format("{} {:#x} rm={}", op, in, rm),
                {R(op, kA0, 2, 0, rm)},
                {},
                {{2, in}},
                0,
                {},
                {X(kA0, want), Fcsr(flags)}};
  };
  auto fop = [](const char* op, uint64_t a, uint64_t b, uint64_t want, uint32_t flags,
                uint32_t rm = kRne) {
    return Edge{fmt::format("{} {:#x}, {:#x}", op, a, b),
                {R(op, 1, 2, 3, rm)},
                {},
                {{2, a}, {3, b}},
                0,
                {},
                {F(1, want), Fcsr(flags)}};
  };
  auto cls = [](const char* op, uint64_t in, uint64_t want) {
    return Edge{fmt::format("{} {:#x}", op, in), {R(op, kA0, 2)}, {}, {{2, in}}, 0, {},
                {X(kA0, want), Fcsr(0)}};
  };
  using namespace f32;
  namespace d = f64;
  const uint64_t unboxed_one = f32::kOne;  // upper half zero: not a valid binary32
  return {
      // F 11.7, table 11.4: float-to-integer conversions saturate; NaN converts to the maximum.
      cvt("fcvt.w.s", Box(kInf), kRne, 0x7fffffff, kNV),
      cvt("fcvt.w.s", Box(kNegInf), kRne, 0xffffffff80000000, kNV),
      cvt("fcvt.w.s", Box(kQNaN), kRne, 0x7fffffff, kNV),
      cvt("fcvt.w.s", Box(kTwo31), kRne, 0x7fffffff, kNV),
      cvt("fcvt.w.s", Box(0xcf000000), kRne, 0xffffffff80000000, 0),  // -2^31 is exact
      cvt("fcvt.w.s", Box(0x3fc00000), kRne, 2, kNX),                 // 1.5 ties to even
      cvt("fcvt.wu.s", Box(kNegOne), kRne, 0, kNV),
      cvt("fcvt.wu.s", Box(kQNaN), kRne, kAll, kNV),    // 2^32-1, sign-extended (11.7)
      cvt("fcvt.wu.s", Box(0xbf000000), kRtz, 0, kNX),  // -0.5 rounds to 0: inexact only
      cvt("fcvt.wu.s", Box(kTwo32), kRne, kAll, kNV),
      cvt("fcvt.l.s", Box(kSNaN), kRne, 0x7fffffffffffffff, kNV),
      cvt("fcvt.l.d", d::kTwo63, kRne, 0x7fffffffffffffff, kNV),
      cvt("fcvt.l.d", d::kQNaN, kRne, 0x7fffffffffffffff, kNV),
      cvt("fcvt.l.d", 0xc3e0000000000000, kRne, kMin, 0),
      cvt("fcvt.lu.d", d::kNegOne, kRne, 0, kNV),
      cvt("fcvt.lu.d", d::kTwo64, kRne, kAll, kNV),
      cvt("fcvt.lu.d", d::kNegZero, kRne, 0, 0),
      cvt("fcvt.w.d", 0x41dfffffffe00000, kRne, 0x7fffffff, kNV),  // 2147483647.5 -> 2^31
      cvt("fcvt.w.d", 0x41dfffffffe00000, kRtz, 0x7fffffff, kNX),
      cvt("fcvt.w.d", 0x4004000000000000, kRmm, 3, kNX),  // 2.5, ties away from zero
      cvt("fcvt.w.d", 0x4004000000000000, kRne, 2, kNX),
      cvt("fcvt.wu.d", 0xbfe0000000000000, kRne, 0, kNX),  // -0.5 rounds to -0
      // F 11.6: fmin/fmax (minimumNumber/maximumNumber) and signed zeros.
      fop("fmin.d", d::kQNaN, d::kOne, d::kOne, 0),
      fop("fmax.d", d::kOne, d::kQNaN, d::kOne, 0),
      fop("fmin.d", d::kQNaN, d::kQNaN, d::kQNaN, 0),
      fop("fmin.d", d::kSNaN, d::kOne, d::kOne, kNV),
      fop("fmax.d", d::kNegOne, d::kSNaN, d::kNegOne, kNV),
      fop("fmin.d", d::kSNaN, d::kQNaN, d::kQNaN, kNV),
      fop("fmin.d", d::kNegZero, d::kPosZero, d::kNegZero, 0),
      fop("fmax.d", d::kNegZero, d::kPosZero, d::kPosZero, 0),
      fop("fmin.s", Box(kPosZero), Box(kNegZero), Box(kNegZero), 0),
      fop("fmin.s", Box(0x7fc00123), Box(0x40000000), Box(0x40000000), 0),
      fop("fmax.s", Box(kSNaN), Box(kNegInf), Box(kNegInf), kNV),
      // F 11.6: fsgnj* move bits (no canonicalisation, no flags); boxing still applies (12.2).
      fop("fsgnj.d", 0x7ff8000000000123, d::kNegOne, 0xfff8000000000123, 0),
      fop("fsgnjn.d", d::kSNaN, d::kSNaN, 0xfff0000000000001, 0),
      fop("fsgnjx.s", Box(0xffc00000), Box(kNegOne), Box(0x7fc00000), 0),
      fop("fsgnj.s", unboxed_one, Box(kNegOne), Box(0xffc00000), 0),
      fop("fsgnjn.s", Box(kOne), Box(kOne), Box(kNegOne), 0),
      // F 11.9, table 11.5: fclass, one bit per class.
      cls("fclass.d", d::kNegInf, 1 << 0),
      cls("fclass.d", d::kNegOne, 1 << 1),
      cls("fclass.d", 0x8000000000000001, 1 << 2),
      cls("fclass.d", d::kNegZero, 1 << 3),
      cls("fclass.d", d::kPosZero, 1 << 4),
      cls("fclass.d", d::kMinSub, 1 << 5),
      cls("fclass.d", d::kOne, 1 << 6),
      cls("fclass.d", d::kInf, 1 << 7),
      cls("fclass.d", d::kSNaN, 1 << 8),
      cls("fclass.d", d::kQNaN, 1 << 9),
      cls("fclass.s", Box(kNegInf), 1 << 0),
      cls("fclass.s", Box(kNegOne), 1 << 1),
      cls("fclass.s", Box(0x80000001), 1 << 2),
      cls("fclass.s", Box(kNegZero), 1 << 3),
      cls("fclass.s", Box(kPosZero), 1 << 4),
      cls("fclass.s", Box(kMinSub), 1 << 5),
      cls("fclass.s", Box(kOne), 1 << 6),
      cls("fclass.s", Box(kInf), 1 << 7),
      cls("fclass.s", Box(kSNaN), 1 << 8),
      cls("fclass.s", Box(kQNaN), 1 << 9),
      cls("fclass.s", kInf, 1 << 9),  // not boxed: the canonical NaN
      // 12.2: NaN boxing of operands and results; transfers move raw bits.
      fop("fadd.s", unboxed_one, Box(kOne), Box(kQNaN), 0),
      fop("fadd.s", Box(kOne), Box(kOne), Box(0x40000000), 0),
      Edge{"fmv.x.w of an unboxed value",
           {R("fmv.x.w", kA0, 2)},
           {},
           {{2, 0x1234567887654321}},
           0,
           {},
           {X(kA0, 0xffffffff87654321)}},
      Edge{"fsw of an unboxed value",
           {Store("fsw", 2, kA5, 0)},
           {{kA5, kP}},
           {{2, 0x1234567887654321}},
           0,
           {{kP, kAll}},
           {Mem(kP, 0xffffffff87654321)}},
      Edge{"fmv.w.x boxes",
           {R("fmv.w.x", 1, kA1)},
           {{kA1, 0x123456789abcdef0}},
           {},
           0,
           {},
           {F(1, 0xffffffff9abcdef0)}},
      Edge{"flw boxes",
           {Imm("flw", 1, kA5, 0)},
           {{kA5, kP}},
           {},
           0,
           {{kP, 0x1234567800000001}},
           {F(1, 0xffffffff00000001)}},
      Edge{"fcvt.d.s of an unboxed value",
           {R("fcvt.d.s", 1, 2)},
           {},
           {{2, unboxed_one}},
           0,
           {},
           {F(1, d::kQNaN), Fcsr(0)}},
      Edge{"feq.s of unboxed values is quiet",
           {R("feq.s", kA0, 2, 2)},
           {{kA0, 7}},
           {{2, unboxed_one}},
           0,
           {},
           {X(kA0, 0), Fcsr(0)}},
      // 11.2 and 11.6: rounding modes, flags, the fused multiply-add's invalid case.
      fop("fadd.d", d::kOne, 0x3ca0000000000000, d::kOne, kNX),                   // 1 + 2^-53, RNE
      fop("fadd.d", d::kOne, 0x3ca0000000000000, 0x3ff0000000000001, kNX, kRmm),  // ties away
      fop("fmul.d", d::kMax, 0x4000000000000000, d::kInf, kOF | kNX),
      fop("fmul.d", d::kMax, 0x4000000000000000, d::kMax, kOF | kNX, kRtz),
      fop("fdiv.d", d::kOne, d::kPosZero, d::kInf, kDZ),
      fop("fdiv.d", d::kPosZero, d::kPosZero, d::kQNaN, kNV),
      Edge{"fsqrt.d -1",
           {R("fsqrt.d", 1, 2)},
           {},
           {{2, d::kNegOne}},
           0,
           {},
           {F(1, d::kQNaN), Fcsr(kNV)}},
      Edge{"fcvt.s.d overflow",
           {R("fcvt.s.d", 1, 2)},
           {},
           {{2, 0x7e37e43c8800759c}},
           0,
           {},
           {F(1, Box(kInf)), Fcsr(kOF | kNX)}},
      Edge{"fcvt.s.d sNaN",
           {R("fcvt.s.d", 1, 2)},
           {},
           {{2, d::kSNaN}},
           0,
           {},
           {F(1, Box(kQNaN)), Fcsr(kNV)}},
      Edge{"fmadd.d inf * 0 + qNaN raises invalid",
           {Fma("fmadd.d", 1, 2, 3, 4)},
           {},
           {{2, d::kInf}, {3, d::kPosZero}, {4, d::kQNaN}},
           0,
           {},
           {F(1, d::kQNaN), Fcsr(kNV)}},
      Edge{"fnmsub.s 0 * inf + qNaN raises invalid",
           {Fma("fnmsub.s", 1, 2, 3, 4)},
           {},
           {{2, Box(kPosZero)}, {3, Box(kNegInf)}, {4, Box(kQNaN)}},
           0,
           {},
           {F(1, Box(kQNaN)), Fcsr(kNV)}},
      Edge{"fmadd.d exact zero sign (RDN)",
           {Fma("fmadd.d", 1, 2, 3, 4, 2)},
           {},
           {{2, d::kOne}, {3, d::kPosZero}, {4, d::kNegZero}},
           0,
           {},
           {F(1, d::kNegZero), Fcsr(0)}},
      // 11.2: a dynamic rounding mode with frm 5..7 is an illegal instruction; rm 5 and 6 too.
      Edge{"dyn with frm = 5",
           {0x0505, R("fadd.d", 1, 2, 3, kDyn)},
           {{kA0, 1}},
           {},
           5 << 5,
           {},
           {X(kA0, 2), StopAt(Stop::kIllegal, 2)}},
      Edge{"fcvt.d.s dyn with frm = 7",
           {R("fcvt.d.s", 1, 2, 0, kDyn)},
           {},
           {{2, Box(kOne)}},
           7 << 5,
           {},
           {StopAt(Stop::kIllegal, 0)}},
      Edge{"rm = 5", {R("fmul.s", 1, 2, 3, 5)}, {}, {}, 0, {}, {StopAt(Stop::kIllegal, 0)}},
      Edge{"rm = 6", {R("fcvt.w.d", kA0, 2, 0, 6)}, {}, {}, 0, {}, {StopAt(Stop::kIllegal, 0)}},
      // Zicsr on the FP CSRs (11.2): fcsr bits above 7 are ignored; frm is kept as written.
      Edge{"csrrw fcsr",
           {Csr("csrrw", kA0, 3, kA1), Csr("csrrs", kA2, 3, 0)},
           {{kA1, 0xfff}},
           {},
           0x85,
           {},
           {X(kA0, 0x85), X(kA2, 0xff), Fcsr(0xff)}},
      Edge{"csrrwi frm 7 then dyn traps",
           {Csr("csrrwi", kA0, 2, 7), R("fadd.s", 1, 2, 3, kDyn)},
           {},
           {},
           0x20,
           {},
           {X(kA0, 1), StopAt(Stop::kIllegal, 4)}},
      Edge{"csrrci fflags",
           {Csr("csrrci", kA0, 1, 0x11), Csr("csrrs", kA1, 2, 0)},
           {},
           {},
           0x7f,
           {},
           {X(kA0, 0x1f), X(kA1, 3), Fcsr(0x6e)}},
      Edge{"flags accumulate",
           {R("fdiv.d", 1, 2, 3), R("fadd.d", 4, 5, 6)},
           {},
           {{2, d::kOne}, {3, d::kPosZero}, {5, d::kOne}, {6, 0x3ca0000000000000}},
           0,
           {},
           {Fcsr(kDZ | kNX)}},
  };
}

std::vector<Edge> AllEdges() {
  std::vector<Edge> all = IntegerEdges();
  for (auto* more : {AtomicEdges, FpEdges}) {
    std::vector<Edge> v = more();
    all.insert(all.end(), v.begin(), v.end());
  }
  return all;
}

// Checks an outcome against the manual's values.
std::string CheckWants(const Edge& e, const Outcome& o) {
  std::string bad;
  bool stop_wanted = false;
  for (const Want& w : e.want) {
    switch (w.kind) {
      case 'x':
        if (o.regs.x[w.where] != w.value)
          bad += fmt::format(" x{}={:#x} (want {:#x})", w.where, o.regs.x[w.where], w.value);
        break;
      case 'f':
        if (o.regs.f[w.where] != w.value)
          bad += fmt::format(" f{}={:#x} (want {:#x})", w.where, o.regs.f[w.where], w.value);
        break;
      case 'c':
        if (o.regs.fcsr != w.value)
          bad += fmt::format(" fcsr={:#x} (want {:#x})", o.regs.fcsr, w.value);
        break;
      case 'm': {
        uint64_t v = 0;
        for (unsigned b = 0; b < 8; ++b) v |= uint64_t{o.data[w.where - kDataBase + b]} << (8 * b);
        if (v != w.value) bad += fmt::format(" mem[{:#x}]={:#x} (want {:#x})", w.where, v, w.value);
        break;
      }
      case 's':
        stop_wanted = true;
        if (o.stop != static_cast<Stop>(w.where) || o.pc != w.value) {
          bad += fmt::format(" stop {} at {:#x} (want {} at {:#x})", StopName(o.stop), o.pc,
                             StopName(static_cast<Stop>(w.where)), w.value);
        }
        break;
    }
  }
  if (!stop_wanted && o.stop != Stop::kEnd)
    bad += fmt::format(" stop {} at {:#x} (want end)", StopName(o.stop), o.pc);
  return bad;
}

TEST(EdgeDiff, HandPickedCasesAgreeWithUnicornAndTheManual) {
  UnicornRunner unicorn;
  std::vector<EngineSpec> engines = Engines();
  std::vector<std::unique_ptr<PolyvmRunner>> runners;
  for (const EngineSpec& e : engines) runners.push_back(std::make_unique<PolyvmRunner>(e.make));
  unsigned count = 0;
  for (const Edge& e : AllEdges()) {
    Case c = MakeCase(e.name, e.insns, e.x, e.f, e.fcsr, e.mem);
    Outcome ref = unicorn.Run(c);
    std::string bad = CheckWants(e, ref);
    EXPECT_TRUE(bad.empty()) << "Unicorn (adapted) differs from the manual on '" << e.name
                             << "':" << bad << "\n"
                             << runners[0]->Listing(c);
    for (size_t k = 0; k < engines.size(); ++k) {
      Outcome got = runners[k]->Run(c);
      std::string d = Compare(ref, got);
      EXPECT_TRUE(d.empty()) << Report(c, runners[k]->Listing(c), {"unicorn", &ref},
                                       {engines[k].name.c_str(), &got}, d);
      bad = CheckWants(e, got);
      EXPECT_TRUE(bad.empty()) << engines[k].name << " differs from the manual on '" << e.name
                               << "':" << bad;
    }
    ++count;
  }
  std::printf("%u hand-picked cases x %zu engines\n", count, engines.size());
}

}  // namespace
}  // namespace polyvm::diff
