// Walks the IR op table: every op, in every type configuration the table allows (and the FP modes
// and vector lanes that change its meaning), is compiled by the JIT and run on edge-case inputs,
// with its operands in state fields and as constants; the result bytes, the FP flags, guest memory
// and the exit must equal the interpreter's. An op added to opcodes.def without a configuration
// here fails OpTable.EveryOpIsWalked.
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <vector>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

using ir::TypeClass;

struct Config {
  Type rt = Type::kVoid;
  std::vector<Type> args;
  uint32_t aux = 0;
  uint8_t lane = 0;
  uint64_t imm = 0;
};

// ---- edge-case values ----

U128 Mask(Type t) {
  unsigned w = ir::BitWidth(t);
  return w >= 128 ? ~U128{0} : (U128{1} << w) - 1;
}

std::vector<U128> IntEdges(Type t) {
  unsigned w = ir::BitWidth(t);
  U128 min = U128{1} << (w - 1);
  U128 r55 = ~U128{0} / 3,
       big = (static_cast<U128>(0x0123456789abcdefull) << 64) | 0xfedcba9876543210ull;
  std::vector<U128> v = {0,  1,        2,   7,       31,  32,  63,
                         64, ~U128{0}, min, min - 1, r55, big, ~U128{0} - 1};
  for (U128& x : v) x &= Mask(t);
  return v;
}

std::vector<U128> FloatEdges(Type t) {
  std::vector<U128> v;
  if (t == Type::kF64) {
    const double d[] = {0.0,       -0.0,         1.0,     -1.5,     0.1,      2.5,
                        -2.5,      3e300,        -3e300,  4.9e-324, 2.2e-308, INFINITY,
                        -INFINITY, 4294967296.5, -9.3e18, 1.8e19};
    for (double x : d) v.push_back(std::bit_cast<uint64_t>(x));
    v.push_back(0x7ff8000000000000ull);  // quiet NaN
    v.push_back(0x7ff0000000000001ull);  // signaling NaN
    v.push_back(0xfff8000000000123ull);  // negative quiet NaN with payload
    // Arm's tininess: 1.5 * 2^-1022 times (2/3)(1 - 2^-54) is 2^-1022 (1 - 2^-54) exactly, which
    // rounds to the smallest normal: tiny before rounding (Arm underflow), not after (x86).
    v.push_back(0x0018000000000000ull);
    v.push_back(0x3FE5555555555555ull);
    v.push_back(0x0010000000000000ull);  // smallest normal
  } else {
    const float f[] = {0.0f,      -0.0f,       1.0f,    -1.5f,    0.1f,     2.5f,
                       -2.5f,     3e38f,       -3e38f,  1.4e-45f, 1.2e-38f, INFINITY,
                       -INFINITY, 16777217.0f, -2.2e9f, 4.3e9f};
    for (float x : f) v.push_back(std::bit_cast<uint32_t>(x));
    v.push_back(0x7fc00000u);
    v.push_back(0x7f800001u);
    v.push_back(0xffc00123u);
    // As for f64: 1.5 * 2^-126 times (2/3)(1 - 2^-23) is 2^-126 (1 - 2^-24), a tie to 2^-126.
    v.push_back(0x00C00000u);
    v.push_back(0x3F2AAAAAu);
    v.push_back(0x00800000u);  // smallest normal
  }
  return v;
}

std::vector<U128> VecEdges(uint8_t lane, bool fp) {
  std::vector<U128> v;
  if (fp) {
    std::vector<U128> f = FloatEdges(lane == 2 ? Type::kF32 : Type::kF64);
    unsigned w = lane == 2 ? 32 : 64;
    for (size_t i = 0; i < f.size(); ++i) {
      U128 x = 0;
      for (unsigned k = 0; k < 128 / w; ++k) x |= f[(i + 3 * k) % f.size()] << (k * w);
      v.push_back(x);
    }
    return v;
  }
  U128 inc = 0;
  for (unsigned i = 0; i < 16; ++i) inc |= static_cast<U128>(i * 17 + 3) << (8 * i);
  U128 hi_bits = 0;
  for (unsigned i = 0; i < 16; ++i) hi_bits |= static_cast<U128>(0x80 | i) << (8 * i);
  v = {0,
       ~U128{0},
       inc,
       hi_bits,
       ~inc,
       (static_cast<U128>(0x7fffffffffffffffull) << 64) | 0x8000000000000001ull,
       static_cast<U128>(0x00ff00ff00ff00ffull) * 3,
       U128{15} | (U128{200} << 64)};
  return v;
}

std::vector<U128> Edges(Type t, uint8_t lane, bool fp_vec) {
  if (t == Type::kI1) return {0, 1};
  if (ir::IsFloat(t)) return FloatEdges(t);
  if (ir::IsVector(t)) return VecEdges(lane, fp_vec);
  return IntEdges(t);
}

// ---- configurations per op ----

const Type kInts[] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64, Type::kI128};
const Type kFloats[] = {Type::kF32, Type::kF64};

uint32_t Fp(ir::RoundingMode rm, ir::NanRule nan, uint8_t rule = 0, bool signaling = false,
            bool exact = false) {
  ir::FpMode m;
  m.rm = rm;
  m.nan = nan;
  m.rule = rule;
  m.signaling = signaling;
  m.exact = exact;
  return m.Encode();
}

// FP modes worth telling apart: the dynamic mode (the inline path), static modes, the NaN rules.
std::vector<uint32_t> FpModes(bool with_rule = false) {
  std::vector<uint32_t> v;
  for (auto nan : {ir::NanRule::kCanonical, ir::NanRule::kArm, ir::NanRule::kX86}) {
    v.push_back(Fp(ir::RoundingMode::kDynamic, nan));
    if (nan == ir::NanRule::kCanonical) {
      for (auto rm :
           {ir::RoundingMode::kNearestEven, ir::RoundingMode::kTowardZero, ir::RoundingMode::kDown,
            ir::RoundingMode::kUp, ir::RoundingMode::kNearestMaxMag}) {
        v.push_back(Fp(rm, nan));
      }
    }
    if (with_rule) {
      for (uint8_t rule = 1; rule < 4; ++rule)
        v.push_back(Fp(ir::RoundingMode::kDynamic, nan, rule));
    }
  }
  return v;
}

std::vector<Config> Configs(Opcode op) {
  std::vector<Config> c;
  const ir::OpInfo& info = ir::Info(op);
  auto same = [&](Type t, unsigned n, uint32_t aux = 0, uint8_t lane = 0, uint64_t imm = 0) {
    c.push_back({t, std::vector<Type>(n, t), aux, lane, imm});
  };
  switch (op) {
    // Exercised by every configuration below, and by the shared control and memory tests.
    case Opcode::kConst:
    case Opcode::kGetReg:
    case Opcode::kSetReg:
    case Opcode::kGuestInsn: return {Config{}};
    case Opcode::kSelect:
      for (Type t : {Type::kI1, Type::kI8, Type::kI16, Type::kI32, Type::kI64, Type::kI128,
                     Type::kF32, Type::kF64, Type::kV128}) {
        c.push_back({t, {Type::kI1, t, t}});
      }
      return c;
    case Opcode::kZExt:
    case Opcode::kSExt:
    case Opcode::kTrunc:
      for (Type a : {Type::kI1, Type::kI8, Type::kI16, Type::kI32, Type::kI64, Type::kI128}) {
        for (Type r : kInts) {
          bool ok = op == Opcode::kTrunc ? ir::BitWidth(r) <= ir::BitWidth(a) && a != Type::kI1
                                         : ir::BitWidth(r) > ir::BitWidth(a);
          if (ok) c.push_back({r, {a}});
        }
      }
      if (op == Opcode::kTrunc) {
        for (Type a : kInts) c.push_back({Type::kI1, {a}});
      }
      return c;
    case Opcode::kBitcast:
      for (auto [r, a] :
           {std::pair{Type::kI32, Type::kF32}, std::pair{Type::kF32, Type::kI32},
            std::pair{Type::kI64, Type::kF64}, std::pair{Type::kF64, Type::kI64},
            std::pair{Type::kI128, Type::kV128}, std::pair{Type::kV128, Type::kI128}}) {
        c.push_back({r, {a}});
      }
      return c;
    case Opcode::kConcat:
      for (auto [r, a] : {std::pair{Type::kI16, Type::kI8}, std::pair{Type::kI32, Type::kI16},
                          std::pair{Type::kI64, Type::kI32}, std::pair{Type::kI128, Type::kI64}}) {
        c.push_back({r, {a, a}});
      }
      return c;
    case Opcode::kExtract:
      c.push_back({Type::kI8, {Type::kI32}, 0, 0, 8});
      c.push_back({Type::kI32, {Type::kI64}, 0, 0, 32});
      c.push_back({Type::kI32, {Type::kI64}, 0, 0, 5});
      c.push_back({Type::kI64, {Type::kI128}, 0, 0, 64});
      c.push_back({Type::kI64, {Type::kI128}, 0, 0, 0});
      return c;
    case Opcode::kShl:
    case Opcode::kLShr:
    case Opcode::kAShr:
    case Opcode::kRotl:
    case Opcode::kRotr:
      for (Type t : kInts) {
        same(t, 2);
        if (t != Type::kI8) c.push_back({t, {t, Type::kI8}});
      }
      return c;
    case Opcode::kAdc:
    case Opcode::kSbb:
      for (Type t : kInts) c.push_back({t, {t, t, Type::kI1}});
      return c;
    case Opcode::kAdcCarry:
    case Opcode::kAdcOverflow:
    case Opcode::kSbbBorrow:
    case Opcode::kSbbOverflow:
      for (Type t : kInts) c.push_back({Type::kI1, {t, t, Type::kI1}});
      return c;
    case Opcode::kParity:
      for (Type t : kInts) c.push_back({Type::kI1, {t}});
      return c;
    case Opcode::kFMin:
    case Opcode::kFMax:
      for (Type t : kFloats) {
        for (uint32_t aux : FpModes(true)) same(t, 2, aux);
      }
      return c;
    case Opcode::kFNeg:
    case Opcode::kFAbs:
      for (Type t : kFloats) same(t, 1);
      return c;
    case Opcode::kFRound:
      for (Type t : kFloats) {
        for (uint32_t aux : FpModes()) {
          same(t, 1, aux);
          same(t, 1, aux | (1u << 8));  // exact
        }
      }
      return c;
    case Opcode::kFCmpEq:
    case Opcode::kFCmpLt:
    case Opcode::kFCmpLe:
    case Opcode::kFCmpUn:
      for (Type t : kFloats) {
        for (bool s : {false, true})
          c.push_back(
              {Type::kI1, {t, t}, Fp(ir::RoundingMode::kDynamic, ir::NanRule::kCanonical, 0, s)});
      }
      return c;
    case Opcode::kFToSInt:
    case Opcode::kFToUInt:
      for (Type r : {Type::kI32, Type::kI64}) {
        for (Type a : kFloats) {
          for (uint32_t aux : FpModes()) {
            for (uint8_t rule = 0; rule < 3; ++rule)
              c.push_back({r, {a}, aux | uint32_t{rule} << 5});
          }
        }
      }
      return c;
    case Opcode::kSIntToF:
    case Opcode::kUIntToF:
      for (Type r : kFloats) {
        for (Type a : {Type::kI32, Type::kI64}) {
          for (uint32_t aux : FpModes()) c.push_back({r, {a}, aux});
        }
      }
      return c;
    case Opcode::kFConvert:
      for (auto [r, a] : {std::pair{Type::kF32, Type::kF64}, std::pair{Type::kF64, Type::kF32}}) {
        for (uint32_t aux : FpModes()) c.push_back({r, {a}, aux});
      }
      return c;
    case Opcode::kFpGetFlags: return {Config{Type::kI32, {}}};
    case Opcode::kFpSetFlags:
    case Opcode::kFpSetRound: return {Config{Type::kVoid, {Type::kI32}}};
    case Opcode::kReadCounter:
      return {Config{Type::kI64, {}, static_cast<uint32_t>(ir::Counter::kRetired)}};
    case Opcode::kVShlI:
    case Opcode::kVLShrI:
    case Opcode::kVAShrI:
      for (uint8_t l = 0; l < 4; ++l) {
        for (uint64_t imm : {0ull, 1ull, 7ull, 8ull, 15ull, 16ull, 31ull, 32ull, 63ull, 64ull})
          same(Type::kV128, 1, 0, l, imm);
      }
      return c;
    case Opcode::kVDup:
      for (uint8_t l = 0; l < 4; ++l) c.push_back({Type::kV128, {Type::kI64}, 0, l});
      return c;
    case Opcode::kVExtract:
      for (uint8_t l = 0; l < 4; ++l) {
        for (uint64_t i = 0; i < (16u >> l); i += (4u >> (l > 2 ? 2 : l)) | 1)
          c.push_back({Type::kI64, {Type::kV128}, 0, l, i});
      }
      return c;
    case Opcode::kVInsert:
      for (uint8_t l = 0; l < 4; ++l)
        c.push_back({Type::kV128, {Type::kV128, Type::kI64}, 0, l, (16u >> l) - 1});
      return c;
    case Opcode::kVTbl: same(Type::kV128, 2); return c;
    case Opcode::kVNarrow:
    case Opcode::kVWidenLoS:
    case Opcode::kVWidenLoU:
    case Opcode::kVWidenHiS:
    case Opcode::kVWidenHiU:
      for (uint8_t l = op == Opcode::kVNarrow ? 1 : 0; l < (op == Opcode::kVNarrow ? 4 : 3); ++l)
        same(Type::kV128, 1, 0, l);
      return c;
    case Opcode::kVReduceAdd:
    case Opcode::kVReduceMinS:
    case Opcode::kVReduceMinU:
    case Opcode::kVReduceMaxS:
    case Opcode::kVReduceMaxU:
      for (uint8_t l = 0; l < 4; ++l) c.push_back({Type::kI64, {Type::kV128}, 0, l});
      return c;
    case Opcode::kVMoveMask:
      for (uint8_t l = 0; l < 4; ++l) c.push_back({Type::kI32, {Type::kV128}, 0, l});
      return c;
    // Memory, exits and helpers are walked by their own cases below.
    case Opcode::kLoad:
    case Opcode::kStore:
    case Opcode::kFence:
    case Opcode::kAtomicRmw:
    case Opcode::kAtomicCas:
    case Opcode::kLoadLinked:
    case Opcode::kStoreCond:
    case Opcode::kClearMonitor:
    case Opcode::kExitIf:
    case Opcode::kCallHelper: return {Config{}};
    default: break;
  }
  // The table-driven rest: integer, bitwise, compare and FP arithmetic, vector ops.
  const bool fp_op = (info.props & ir::kFpEnv) != 0;
  if (info.result == TypeClass::Vec) {
    unsigned n = ir::MaxArgs(op);
    for (uint8_t l = fp_op ? 2 : 0; l < 4; ++l) {
      if (fp_op) {
        std::vector<uint32_t> modes = {Fp(ir::RoundingMode::kDynamic, ir::NanRule::kCanonical),
                                       Fp(ir::RoundingMode::kTowardZero, ir::NanRule::kArm),
                                       Fp(ir::RoundingMode::kDynamic, ir::NanRule::kArm)};
        if (op == Opcode::kVFMin || op == Opcode::kVFMax) {
          for (uint8_t rule = 1; rule < 4; ++rule)
            modes.push_back(Fp(ir::RoundingMode::kDynamic, ir::NanRule::kArm, rule));
        }
        if (op == Opcode::kVFCmpEq || op == Opcode::kVFCmpLt || op == Opcode::kVFCmpLe ||
            op == Opcode::kVFCmpUn) {
          modes.push_back(Fp(ir::RoundingMode::kDynamic, ir::NanRule::kArm, 0, true));
        }
        for (uint32_t aux : modes) same(Type::kV128, n, aux, l);
      } else {
        same(Type::kV128, n, 0, l);
      }
    }
    return c;
  }
  if (info.result == TypeClass::Float) {
    for (Type t : kFloats) {
      for (uint32_t aux : FpModes()) same(t, ir::MaxArgs(op), aux);
    }
    return c;
  }
  if (info.result == TypeClass::I1) {  // compares and flag computations on integers
    std::vector<Type> ts(std::begin(kInts), std::end(kInts));
    if (info.args[0] == TypeClass::IntB) ts.insert(ts.begin(), Type::kI1);
    for (Type t : ts) c.push_back({Type::kI1, {t, t}});
    return c;
  }
  if (info.result == TypeClass::Int || info.result == TypeClass::Bits) {
    std::vector<Type> ts(std::begin(kInts), std::end(kInts));
    if (info.result == TypeClass::Bits) {
      ts.insert(ts.begin(), Type::kI1);
      ts.push_back(Type::kV128);
    }
    for (Type t : ts) {
      if (op == Opcode::kBswap && t == Type::kI8) continue;
      same(t, ir::MaxArgs(op));
    }
    return c;
  }
  return c;
}

// ---- running one case on both engines ----

struct Side {
  explicit Side(FakeLifter& lifter, FakeCode& code, bool jit_engine) : mem(16) {
    if (jit_engine) {
      engine = std::make_unique<jit::JitEngine>(lifter, code, EngineOptions(NoOpt()));
    } else {
      engine = std::make_unique<Interpreter>(lifter, code, NoOpt());
    }
    mem.Attach(st.hdr);
    vcpu.state = &st.hdr;
  }
  GuestMemory mem;
  std::unique_ptr<core::ExecutionEngine> engine;
  TestState st;
  core::Vcpu vcpu;
};

struct Pair {
  FakeLifter lifter;
  FakeCode code;
  Side interp{lifter, code, false};
  Side jit{lifter, code, true};
  uint64_t next_pc = 0x10000;
  uint64_t NextPc() { return next_pc += 0x100; }
};

Pair& Engines() {
  static Pair* p = new Pair;
  return *p;
}

struct Inputs {
  U128 v[4] = {};
  uint32_t fp_round = 0;
  uint32_t fp_flags = 0;
  uint64_t excl_addr = core::kNoReservation;
  uint32_t excl_size = 0;
  uint64_t excl_value = 0;
};

void Prepare(Side& s, const Inputs& in) {
  std::memset(s.st.v, 0xA5, sizeof s.st.v);
  for (unsigned k = 0; k < 4; ++k) std::memcpy(s.st.v[k], &in.v[k], 16);
  for (unsigned i = 0; i < 32; ++i) s.st.r[i] = i * 0x1111;
  s.st.hdr.fp_round = in.fp_round;
  s.st.hdr.fp_flags = in.fp_flags;
  s.st.hdr.excl_addr = in.excl_addr;
  s.st.hdr.excl_size = in.excl_size;
  s.st.hdr.excl_value[0] = in.excl_value;
  s.st.hdr.excl_value[1] = 0;
  s.st.hdr.retired = 100;
  for (size_t i = 0; i < 4096; ++i) s.mem.base()[i] = static_cast<uint8_t>(i * 13 + 5);
}

// Runs block `pc` on both engines from the same inputs and compares everything observable.
void Compare(uint64_t pc, const Inputs& in, const std::string& what) {
  Pair& p = Engines();
  Prepare(p.interp, in);
  Prepare(p.jit, in);
  p.interp.st.hdr.pc = pc;
  p.jit.st.hdr.pc = pc;
  core::ExitInfo a = p.interp.engine->Run(p.interp.vcpu);
  core::ExitInfo b = p.jit.engine->Run(p.jit.vcpu);
  EXPECT_EQ(a.reason, b.reason) << what;
  EXPECT_EQ(a.trap, b.trap) << what;
  EXPECT_EQ(a.pc, b.pc) << what;
  EXPECT_EQ(a.addr, b.addr) << what;
  EXPECT_EQ(a.access, b.access) << what;
  const TestState &x = p.interp.st, &y = p.jit.st;
  EXPECT_EQ(x.hdr.pc, y.hdr.pc) << what;
  EXPECT_EQ(x.hdr.retired, y.hdr.retired) << what;
  EXPECT_EQ(x.hdr.fp_flags, y.hdr.fp_flags) << what << " (FP flags)";
  EXPECT_EQ(x.hdr.fp_round, y.hdr.fp_round) << what;
  EXPECT_EQ(x.hdr.excl_addr, y.hdr.excl_addr) << what;
  EXPECT_EQ(x.hdr.excl_size, y.hdr.excl_size) << what;
  EXPECT_EQ(0, std::memcmp(x.r, y.r, sizeof x.r)) << what << " (r fields)";
  for (unsigned k = 0; k < 16; ++k) {
    if (std::memcmp(x.v[k], y.v[k], 16) != 0) {
      uint64_t xl, xh, yl, yh;
      std::memcpy(&xl, x.v[k], 8);
      std::memcpy(&xh, x.v[k] + 8, 8);
      std::memcpy(&yl, y.v[k], 8);
      std::memcpy(&yh, y.v[k] + 8, 8);
      ADD_FAILURE() << what << ": v[" << k << "] interp " << std::hex << xh << ":" << xl << " jit "
                    << yh << ":" << yl;
      break;
    }
  }
  EXPECT_EQ(0, std::memcmp(p.interp.mem.base(), p.jit.mem.base(), 4096)) << what << " (memory)";
}

std::string Describe(Opcode op, const Config& c, int const_arg) {
  std::string s = std::string(ir::OpName(op)) + "." + std::string(ir::TypeName(c.rt)) + "(";
  // Appended piecewise: GCC 12 at -O3 warns (-Wrestrict, a false positive) on
  // `(k ? "," : "") + std::string(...)`.
  for (size_t k = 0; k < c.args.size(); ++k) {
    if (k != 0) s += ',';
    s += ir::TypeName(c.args[k]);
  }
  s += ") aux=" + std::to_string(c.aux) + " lane=" + std::to_string(c.lane) +
       " imm=" + std::to_string(c.imm);
  if (const_arg >= 0) s += " const arg " + std::to_string(const_arg);
  return s;
}

// A block running `op` on v[0..] (arg `const_arg` as the constant `cval` instead), result to v[4].
uint64_t Build(Opcode op, const Config& c, int const_arg, U128 cval) {
  Pair& p = Engines();
  uint64_t pc = p.NextPc();
  BlockMaker bm(pc);
  bm.Insn(0);
  ir::Value a[3];
  for (size_t k = 0; k < c.args.size(); ++k) {
    a[k] = static_cast<int>(k) == const_arg ? bm.ir.Const(c.args[k], static_cast<uint64_t>(cval))
                                            : bm.ir.GetReg(c.args[k], V(static_cast<unsigned>(k)));
  }
  ir::Value r = bm.ir.Emit(op, c.rt, a[0], a[1], a[2], c.imm, c.aux, c.lane);
  if (c.rt != Type::kVoid) bm.ir.SetReg(V(4), r);
  bm.Halt(pc + 4, 1);
  p.lifter.Add(bm.block);
  return pc;
}

// Deterministic input tuples: every pair of edge values for up to two operands (sampled beyond
// 500), sampled triples for three.
std::vector<std::vector<U128>> Tuples(const Config& c) {
  bool fp_vec = c.rt == Type::kV128 && c.lane >= 2 && (c.aux != 0);
  std::vector<std::vector<U128>> e;
  for (Type t : c.args) e.push_back(Edges(t, c.lane, fp_vec));
  std::vector<std::vector<U128>> out;
  if (e.empty()) return {{}};
  if (e.size() == 1) {
    for (U128 x : e[0]) out.push_back({x});
    return out;
  }
  uint64_t seed = 0x9E3779B97F4A7C15ull;
  auto rnd = [&](size_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>((seed >> 33) % n);
  };
  if (e.size() == 2 && e[0].size() * e[1].size() <= 500) {
    for (U128 x : e[0]) {
      for (U128 y : e[1]) out.push_back({x, y});
    }
    return out;
  }
  for (int i = 0; i < 300; ++i) {
    std::vector<U128> t;
    for (auto& ev : e) t.push_back(ev[rnd(ev.size())]);
    out.push_back(t);
  }
  return out;
}

void WalkOp(Opcode op) {
  for (const Config& c : Configs(op)) {
    if (c.rt == Type::kVoid && c.args.empty()) continue;  // exercised elsewhere (see Configs)
    std::vector<std::vector<U128>> tuples = Tuples(c);
    uint64_t pc = Build(op, c, -1, 0);
    for (size_t i = 0; i < tuples.size(); ++i) {
      Inputs in;
      for (size_t k = 0; k < tuples[i].size(); ++k) in.v[k] = tuples[i][k];
      in.fp_round = static_cast<uint32_t>(i % 5);
      in.fp_flags = op == Opcode::kFpGetFlags ? 0x15 : 0;
      Compare(pc, in, Describe(op, c, -1) + " case " + std::to_string(i));
      if (::testing::Test::HasFailure()) return;
    }
    // Constant operands take the JIT's immediate paths: a few cases per operand position.
    for (size_t k = 0; k < c.args.size(); ++k) {
      for (size_t i = 0; i < tuples.size(); i += std::max<size_t>(1, tuples.size() / 12)) {
        U128 cv = tuples[i][k];
        if ((ir::IsWide(c.args[k]) && (cv >> 64) != 0)) continue;  // constants are 64-bit
        uint64_t cpc = Build(op, c, static_cast<int>(k), cv);
        Inputs in;
        for (size_t j = 0; j < tuples[i].size(); ++j) in.v[j] = tuples[i][j];
        in.fp_round = static_cast<uint32_t>(i % 5);
        Compare(cpc, in, Describe(op, c, static_cast<int>(k)) + " case " + std::to_string(i));
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

class OpTable : public ::testing::TestWithParam<unsigned> {};

TEST_P(OpTable, JitMatchesInterpreter) { WalkOp(static_cast<Opcode>(GetParam())); }

INSTANTIATE_TEST_SUITE_P(AllOps, OpTable, ::testing::Range(0u, ir::kOpcodeCount),
                         [](const ::testing::TestParamInfo<unsigned>& i) {
                           return std::string(ir::OpName(static_cast<Opcode>(i.param)));
                         });

// The products that round up to the smallest normal magnitude (FloatEdges), under every dynamic
// rounding mode and NaN rule, scalar and in every vector lane: Arm's underflow flag differs from
// x86's there, so the JIT must leave them to the reference.
TEST(OpTable, TinyBeforeRoundingProducts) {
  for (Type t : kFloats) {
    const std::vector<U128> e = FloatEdges(t);
    const U128 a = e[e.size() - 3], b = e[e.size() - 2];  // 1.5 * min normal, (2/3)(1 - 2^-p-1)
    const bool d = t == Type::kF64;
    const unsigned w = d ? 64 : 32;
    U128 va = 0, vb = 0;
    for (unsigned k = 0; k < 128 / w; ++k) {
      va |= a << (k * w);
      vb |= b << (k * w);
    }
    for (auto nan : {ir::NanRule::kCanonical, ir::NanRule::kArm, ir::NanRule::kX86}) {
      const uint32_t aux = Fp(ir::RoundingMode::kDynamic, nan);
      const uint8_t lane = d ? 3 : 2;
      const Config configs[] = {{t, {t, t}, aux},
                                {t, {t, t, t}, aux},
                                {Type::kV128, {Type::kV128, Type::kV128}, aux, lane},
                                {Type::kV128, {Type::kV128, Type::kV128, Type::kV128}, aux, lane}};
      const Opcode ops[] = {Opcode::kFMul, Opcode::kFMulAdd, Opcode::kVFMul, Opcode::kVFMulAdd};
      for (unsigned k = 0; k < 4; ++k) {
        const bool vec = k >= 2;
        uint64_t pc = Build(ops[k], configs[k], -1, 0);
        for (uint32_t rm = 0; rm < 5; ++rm) {
          Inputs in;
          in.v[0] = vec ? va : a;
          in.v[1] = vec ? vb : b;
          in.v[2] = 0;  // a zero addend: the product alone
          in.fp_round = rm;
          Compare(pc, in, Describe(ops[k], configs[k], -1) + " rm " + std::to_string(rm));
        }
      }
    }
  }
}

// A Sub read only by sign and zero tests of it is a cmp without a value (MarkFlagOnlySubs,
// codegen_flags.cpp): AArch64's CMP. Shapes where the tests do find its flags, and where an op in
// between (a compare of other values, an add) takes them away or the difference is also written,
// so it must keep its value; tests fused into the branch exit; 32 and 64 bits; operand pairs on
// the edges (equal, signed and unsigned order, overflow).
TEST(OpTable, FlagsOnlySubtraction) {
  enum Shape { kNzcv, kOtherCompareBetween, kAddBetween, kDifferenceWritten, kExitTest };
  for (Type t : {Type::kI32, Type::kI64}) {
    for (int shape = kNzcv; shape <= kExitTest; ++shape) {
      Pair& p = Engines();
      const uint64_t pc = p.NextPc();
      BlockMaker bm(pc);
      bm.Insn(0);
      ir::Builder& ir = bm.ir;
      ir::Value a = ir.GetReg(t, V(0)), b = ir.GetReg(t, V(1)), c = ir.GetReg(t, V(2));
      ir::Value diff = ir.Sub(a, b);
      ir::Value zero = ir.Const(t, 0);
      ir.SetReg(V(3), ir.Cmp(Opcode::kCmpLeU, b, a));
      ir.SetReg(V(3) + 1, ir.Op(Opcode::kSubOverflow, a, b));
      // (After the ops that compare a and b again, which would give the flags back.)
      if (shape == kOtherCompareBetween) ir.SetReg(V(5), ir.Cmp(Opcode::kCmpLtU, c, b));
      if (shape == kAddBetween) ir.SetReg(V(5), ir.Add(c, a));
      if (shape == kDifferenceWritten) ir.SetReg(V(5), diff);
      ir.SetReg(V(3) + 2, ir.Cmp(Opcode::kCmpLtS, diff, zero));
      ir.SetReg(V(3) + 3, ir.Cmp(Opcode::kCmpNe, diff, zero));
      if (shape == kExitTest) {
        // Either way the next block is a fetch fault: its pc says which way the branch went.
        ir::Exit e;
        e.kind = ir::ExitKind::kBranch;
        e.value = ir.Cmp(Opcode::kCmpEq, diff, zero).id;
        e.target = pc + 0x40;
        e.fallthrough = pc + 4;
        e.insn_count = 1;
        ir.SetExit(e);
      } else {
        ir.SetReg(V(4), ir.Cmp(Opcode::kCmpEq, diff, zero));
        bm.Halt(pc + 4, 1);
      }
      p.lifter.Add(bm.block);
      const std::vector<U128> edges = IntEdges(t);
      for (U128 x : edges) {
        for (U128 y : edges) {
          Inputs in;
          in.v[0] = x;
          in.v[1] = y;
          in.v[2] = y ^ 1;
          Compare(pc, in,
                  "flags-only sub shape " + std::to_string(shape) + " " +
                      std::string(ir::TypeName(t)));
        }
      }
    }
  }
}

TEST(OpTable, EveryOpIsWalked) {
  for (unsigned i = 0; i < ir::kOpcodeCount; ++i) {
    EXPECT_FALSE(Configs(static_cast<Opcode>(i)).empty()) << ir::OpName(static_cast<Opcode>(i));
  }
}

// ---- memory ops, helpers and side exits, on both engines ----

const uint64_t kAddrs[] = {0x100, 0x101, 0x103, 0x7ff, 0xffe, 0x1000, 0x1003};

TEST(OpTableMemory, LoadsAndStores) {
  for (Type t : {Type::kI8, Type::kI16, Type::kI32, Type::kI64, Type::kI128, Type::kF32, Type::kF64,
                 Type::kV128}) {
    for (bool aligned : {false, true}) {
      ir::MemFlags f;
      f.aligned = aligned;
      Pair& p = Engines();
      uint64_t pc = p.NextPc();
      BlockMaker bm(pc);
      bm.Insn(0);
      ir::Value v =
          bm.ir.Emit(Opcode::kLoad, t, bm.ir.GetReg(Type::kI64, R(1)), {}, {}, 0, f.Encode());
      bm.ir.SetReg(V(4), v);
      bm.ir.Emit(Opcode::kStore, Type::kVoid, bm.ir.GetReg(Type::kI64, R(2)), v, {}, 0, f.Encode());
      bm.Halt(pc + 4, 1);
      p.lifter.Add(bm.block);
      for (uint64_t a : kAddrs) {
        for (uint64_t b : kAddrs) {
          Inputs in;
          Pair& q = Engines();
          q.interp.st.r[1] = a;  // set after Prepare below through a custom prepare
          std::string what = std::string("load/store ") + std::string(ir::TypeName(t)) +
                             " aligned=" + std::to_string(aligned) + " a=" + std::to_string(a) +
                             " b=" + std::to_string(b);
          // r fields come from Prepare (i * 0x1111); pick addresses through r1/r2 by rebuilding
          // the values there after Prepare: done via the excl-free path below.
          (void)in;
          Prepare(q.interp, in);
          Prepare(q.jit, in);
          for (Side* s : {&q.interp, &q.jit}) {
            s->st.r[1] = a;
            s->st.r[2] = b + 0x800;
            s->st.hdr.pc = pc;
          }
          core::ExitInfo x = q.interp.engine->Run(q.interp.vcpu);
          core::ExitInfo y = q.jit.engine->Run(q.jit.vcpu);
          EXPECT_EQ(x.reason, y.reason) << what;
          EXPECT_EQ(x.trap, y.trap) << what;
          EXPECT_EQ(x.addr, y.addr) << what;
          EXPECT_EQ(x.pc, y.pc) << what;
          EXPECT_EQ(0, std::memcmp(q.interp.st.v, q.jit.st.v, sizeof q.jit.st.v)) << what;
          EXPECT_EQ(0, std::memcmp(q.interp.mem.base(), q.jit.mem.base(), 4 * 4096)) << what;
          if (::testing::Test::HasFailure()) return;
        }
      }
    }
  }
}

TEST(OpTableMemory, AtomicsAndMonitor) {
  Pair& p = Engines();
  for (Type t : {Type::kI8, Type::kI16, Type::kI32, Type::kI64, Type::kI128}) {
    for (Opcode op :
         {Opcode::kAtomicRmw, Opcode::kAtomicCas, Opcode::kLoadLinked, Opcode::kStoreCond}) {
      for (unsigned rmw = 0; rmw < (op == Opcode::kAtomicRmw ? 9u : 1u); ++rmw) {
        for (bool aligned : {false, true}) {
          ir::MemFlags f;
          f.aligned = aligned;
          f.rmw = static_cast<ir::RmwOp>(rmw);
          f.order = ir::MemOrder::kSeqCst;
          uint64_t pc = p.NextPc();
          BlockMaker bm(pc);
          bm.Insn(0);
          ir::Value addr = bm.ir.GetReg(Type::kI64, R(1));
          ir::Value r;
          if (op == Opcode::kAtomicRmw) {
            r = bm.ir.Emit(op, t, addr, bm.ir.GetReg(t, V(0)), {}, 0, f.Encode());
          } else if (op == Opcode::kAtomicCas) {
            r = bm.ir.Emit(op, t, addr, bm.ir.GetReg(t, V(0)), bm.ir.GetReg(t, V(1)), 0,
                           f.Encode());
          } else if (op == Opcode::kLoadLinked) {
            r = bm.ir.Emit(op, t, addr, {}, {}, 0, f.Encode());
          } else {
            r = bm.ir.Emit(op, Type::kI1, addr, bm.ir.GetReg(t, V(0)), {}, 0, f.Encode());
          }
          bm.ir.SetReg(V(4), r);
          bm.ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, ir::kFenceAll);
          bm.ir.Emit(Opcode::kClearMonitor, Type::kVoid);
          bm.Halt(pc + 4, 1);
          p.lifter.Add(bm.block);
          for (uint64_t a : {0x100ull, 0x104ull, 0x101ull, 0xff8ull, 0x10000ull, 0xfff8ull}) {
            for (int armed = 0; armed < 3; ++armed) {
              Inputs in;
              in.v[0] = IntEdges(t)[static_cast<size_t>(armed) + 3];
              in.v[1] = IntEdges(t)[8];
              // Armed for this address and size (value right or wrong), or for another.
              in.excl_addr = armed == 2 ? a + 8 : a;
              in.excl_size = ir::ByteSize(t);
              in.excl_value = armed == 0 ? 0 : 1;
              Prepare(p.interp, in);
              Prepare(p.jit, in);
              if (armed == 0 && a + 8 <= 4096) {
                uint64_t cur;
                std::memcpy(&cur, p.interp.mem.base() + a, 8);
                p.interp.st.hdr.excl_value[0] = p.jit.st.hdr.excl_value[0] =
                    ir::ByteSize(t) >= 8 ? cur : cur & ((uint64_t{1} << (8 * ir::ByteSize(t))) - 1);
              }
              for (Side* s : {&p.interp, &p.jit}) {
                s->st.r[1] = a;
                s->st.hdr.pc = pc;
              }
              std::string what = std::string(ir::OpName(op)) + "." + std::string(ir::TypeName(t)) +
                                 " rmw=" + std::to_string(rmw) +
                                 " aligned=" + std::to_string(aligned) +
                                 " addr=" + std::to_string(a) + " armed=" + std::to_string(armed);
              core::ExitInfo x = p.interp.engine->Run(p.interp.vcpu);
              core::ExitInfo y = p.jit.engine->Run(p.jit.vcpu);
              EXPECT_EQ(x.reason, y.reason) << what;
              EXPECT_EQ(x.trap, y.trap) << what;
              EXPECT_EQ(x.addr, y.addr) << what;
              EXPECT_EQ(x.access, y.access) << what;
              EXPECT_EQ(0, std::memcmp(p.interp.st.v, p.jit.st.v, sizeof p.jit.st.v)) << what;
              EXPECT_EQ(p.interp.st.hdr.excl_addr, p.jit.st.hdr.excl_addr) << what;
              EXPECT_EQ(0, std::memcmp(p.interp.mem.base(), p.jit.mem.base(), 4 * 4096)) << what;
              if (::testing::Test::HasFailure()) return;
            }
          }
        }
      }
    }
  }
}

uint64_t TestHelper(void* state, uint64_t a, uint64_t b, uint64_t c) {
  auto* st = static_cast<TestState*>(state);
  st->r[5] += a;
  return a * 3 + (b ^ c);
}
const ir::HelperInfo kHelper{&TestHelper, "test_helper"};

TEST(OpTableControl, HelpersAndSideExits) {
  Pair& p = Engines();
  for (Type rt : {Type::kVoid, Type::kI8, Type::kI32, Type::kI64}) {
    for (unsigned nargs = 0; nargs <= 3; ++nargs) {
      uint64_t pc = p.NextPc();
      BlockMaker bm(pc, 2);
      bm.Insn(0);
      ir::Value a[3];
      for (unsigned k = 0; k < nargs; ++k) a[k] = bm.ir.GetReg(Type::kI64, V(k));
      ir::Value r = bm.ir.Emit(Opcode::kCallHelper, rt, a[0], a[1], a[2],
                               reinterpret_cast<uint64_t>(&kHelper));
      if (rt != Type::kVoid) bm.ir.SetReg(V(4), r);
      bm.Insn(1);
      ir::Exit side;
      side.kind = ir::ExitKind::kHalt;
      side.target = pc + 0x40;
      side.insn_count = 1;
      bm.ir.ExitIf(bm.ir.Cmp(Opcode::kCmpLtU, bm.ir.GetReg(Type::kI64, V(0)), bm.ir.I64(64)), side);
      bm.Halt(pc + 8, 2);
      p.lifter.Add(bm.block);
      for (U128 x : IntEdges(Type::kI64)) {
        Inputs in;
        in.v[0] = x;
        in.v[1] = x * 5;
        in.v[2] = ~x;
        Compare(pc, in,
                "CallHelper nargs=" + std::to_string(nargs) + " " + std::string(ir::TypeName(rt)));
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

}  // namespace
}  // namespace polyvm::engine::interp::test
