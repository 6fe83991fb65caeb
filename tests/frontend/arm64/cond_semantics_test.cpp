// The condition codes after SUBS/CMP, ADDS/CMN and ANDS/TST, at both widths, with operands at
// the edges of signed and unsigned overflow. The lifter turns a condition on flags set earlier in
// the same block into a compare of the flag setter's operands (lift_cond.cpp); the flags set in
// an earlier block are tested as flags. Both must agree with the Arm ARM: NZCV from AddWithCarry,
// then ConditionHolds, worked out here from the pseudocode, not from polyvm. Each case runs under
// the interpreter and the JIT, with the condition in the same block (csinc, b.cond) and in the
// next one (after a b to the next instruction).
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <memory>
#include <vector>

#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/frontend/arm64/lifter.h"
#include "test_util.h"

namespace polyvm::frontend::arm64 {
namespace {

constexpr uint64_t kPc = 0x10000;
constexpr uint32_t kBrk = 0xd4200000;

enum class Setter { kSubs, kAdds, kAnds };

struct Nzcv {
  bool n, z, c, v;
};

// AddWithCarry(x, y, carry_in) at `bits`, and the logical ops' flags (C = V = 0).
Nzcv Flags(Setter s, uint64_t a, uint64_t b, unsigned bits) {
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  const uint64_t sign = uint64_t{1} << (bits - 1);
  a &= mask;
  b &= mask;
  if (s == Setter::kAnds) {
    const uint64_t r = a & b;
    return {(r & sign) != 0, r == 0, false, false};
  }
  const uint64_t y = s == Setter::kSubs ? ~b & mask : b;
  const unsigned carry_in = s == Setter::kSubs ? 1 : 0;
  const unsigned __int128 usum = static_cast<unsigned __int128>(a) + y + carry_in;
  const uint64_t r = static_cast<uint64_t>(usum) & mask;
  auto as_signed = [&](uint64_t v) -> __int128 {
    return (v & sign) ? static_cast<__int128>(v) - (static_cast<__int128>(mask) + 1)
                      : static_cast<__int128>(v);
  };
  const __int128 ssum = as_signed(a) + as_signed(y) + carry_in;
  return {(r & sign) != 0, r == 0, usum != static_cast<unsigned __int128>(r), ssum != as_signed(r)};
}

// ConditionHolds.
bool Holds(unsigned cond, Nzcv f) {
  bool result;
  switch (cond >> 1) {
    case 0: result = f.z; break;
    case 1: result = f.c; break;
    case 2: result = f.n; break;
    case 3: result = f.v; break;
    case 4: result = f.c && !f.z; break;
    case 5: result = f.n == f.v; break;
    case 6: result = f.n == f.v && !f.z; break;
    default: result = true; break;
  }
  return (cond & 1) && cond != 15 ? !result : result;
}

// subs/adds/ands x3, x1, x2 (w3, w1, w2 when 32-bit).
uint32_t SetterWord(Setter s, unsigned bits) {
  const uint32_t sf = bits == 64 ? 1u << 31 : 0;
  switch (s) {
    case Setter::kSubs: return sf | 0x6b020023;
    case Setter::kAdds: return sf | 0x2b020023;
    default: return sf | 0x6a020023;
  }
}

struct Outcome {
  uint64_t x0 = 0, x5 = 0;
  Nzcv flags{};
};

// A program at kPc under one engine, run once per pair of operands (the translations stay).
class Program {
 public:
  Program(bool jit, const std::vector<uint32_t>& words) : code_(kPc, Bytes(words)) {
    if (jit) {
      engine_ = std::make_unique<engine::jit::JitEngine>(lifter_, code_);
    } else {
      engine_ = std::make_unique<engine::interp::Interpreter>(lifter_, code_);
    }
  }
  // Runs to a brk with x1 = a, x2 = b; returns x0, x5 and the flags.
  Outcome Run(uint64_t a, uint64_t b) {
    auto s = std::make_unique<Arm64State>();
    s->x[1] = a;
    s->x[2] = b;
    s->x[0] = s->x[5] = 0x5555;
    core::Vcpu vcpu;
    vcpu.state = &s->hdr;
    s->hdr.pc = kPc;
    core::ExitInfo e = engine_->Run(vcpu);
    EXPECT_EQ(e.reason, core::ExitReason::kTrap);
    EXPECT_EQ(e.trap, core::TrapCode::kBreakpoint);
    return {s->x[0], s->x[5], {s->n != 0, s->z != 0, s->c != 0, s->v != 0}};
  }

 private:
  static std::vector<uint8_t> Bytes(const std::vector<uint32_t>& words) {
    std::vector<uint8_t> bytes(words.size() * 4);
    std::memcpy(bytes.data(), words.data(), bytes.size());
    return bytes;
  }
  test::BufferReader code_;
  Arm64Lifter lifter_;
  std::unique_ptr<core::ExecutionEngine> engine_;
};

// csinc x0, xzr, xzr, cond: x0 = 0 if cond holds, else 1.
uint32_t Csinc(unsigned cond) { return 0x9a9f07e0 | cond << 12; }
// b.cond +12 over "movz x5, #1; brk" to "movz x5, #2; brk".
std::vector<uint32_t> BranchTail(unsigned cond) {
  return {0x54000060 | cond, 0xd2800025, kBrk, 0xd2800045, kBrk};
}

TEST(Arm64Conditions, MatchTheArmArmInBothEnginesInAndAcrossBlocks) {
  const std::vector<uint64_t> values = {0,
                                        1,
                                        2,
                                        0x7f,
                                        0x7fffffff,
                                        0x80000000,
                                        0x80000001,
                                        0xffffffff,
                                        0x100000000,
                                        0x7fffffffffffffff,
                                        0x8000000000000000,
                                        0x8000000000000001,
                                        0xfffffffffffffffe,
                                        0xffffffffffffffff,
                                        0x123456789abcdef0};
  int checked = 0;
  for (bool jit : {false, true}) {
    for (Setter s : {Setter::kSubs, Setter::kAdds, Setter::kAnds}) {
      for (unsigned bits : {32u, 64u}) {
        const uint32_t setter = SetterWord(s, bits);
        for (unsigned cond = 0; cond < 16; ++cond) {
          // Same block: csinc, then b.cond ending the block. Next block: b +4 between the
          // setter and the condition.
          std::vector<uint32_t> same = {setter, Csinc(cond)};
          std::vector<uint32_t> across = {setter, 0x14000001, Csinc(cond)};
          for (uint32_t w : BranchTail(cond)) {
            same.push_back(w);
            across.push_back(w);
          }
          Program same_block(jit, same), next_block(jit, across);
          for (uint64_t a : values) {
            for (uint64_t b : values) {
              const Nzcv f = Flags(s, a, b, bits);
              const bool holds = Holds(cond, f);
              SCOPED_TRACE(::testing::Message()
                           << (jit ? "jit" : "interp") << " setter=" << std::hex << setter
                           << " cond=" << std::dec << cond << " a=" << std::hex << a
                           << " b=" << b);
              Outcome o = same_block.Run(a, b);
              EXPECT_EQ(o.x0, holds ? 0u : 1u);
              EXPECT_EQ(o.x5, holds ? 2u : 1u);
              EXPECT_EQ(o.flags.n, f.n);
              EXPECT_EQ(o.flags.z, f.z);
              EXPECT_EQ(o.flags.c, f.c);
              EXPECT_EQ(o.flags.v, f.v);
              Outcome p = next_block.Run(a, b);
              EXPECT_EQ(p.x0, holds ? 0u : 1u);
              EXPECT_EQ(p.x5, holds ? 2u : 1u);
              ++checked;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 3 * 2 * 16 * 15 * 15);
}

// loop: adcs x0, x0, x1; sub x2, x2, #1; cbnz x2, loop; brk — a self-loop that reads C at entry
// and writes it (the carry of each add feeds the next): the JIT keeps the loop's registers across
// its back edge, and its carry is one setcc into the flag byte (codegen_fuse.cpp); the two must not
// meet (a flag written by its setcc has no register to carry). AddWithCarry worked out here.
TEST(Arm64Conditions, CarryChainInASelfLoop) {
  const std::vector<uint32_t> words = {0xba010000, 0xd1000442, 0xb5ffffc2, kBrk};
  test::BufferReader code(kPc, [&] {
    std::vector<uint8_t> bytes(words.size() * 4);
    std::memcpy(bytes.data(), words.data(), bytes.size());
    return bytes;
  }());
  Arm64Lifter lifter;
  for (bool jit : {false, true}) {
    std::unique_ptr<core::ExecutionEngine> engine;
    if (jit) {
      engine = std::make_unique<engine::jit::JitEngine>(lifter, code);
    } else {
      engine = std::make_unique<engine::interp::Interpreter>(lifter, code);
    }
    for (uint64_t step : {uint64_t{0x9e3779b97f4a7c15}, uint64_t{1}, ~uint64_t{0}}) {
      auto st = std::make_unique<Arm64State>();
      st->x[0] = 0x0123456789abcdef;
      st->x[1] = step;
      st->x[2] = 1000;
      st->c = 1;
      core::Vcpu vcpu;
      vcpu.state = &st->hdr;
      st->hdr.pc = kPc;
      const core::ExitInfo e = engine->Run(vcpu);
      EXPECT_EQ(e.reason, core::ExitReason::kTrap);
      uint64_t x0 = 0x0123456789abcdef;
      unsigned c = 1;
      for (int k = 0; k < 1000; ++k) {
        const unsigned __int128 sum = static_cast<unsigned __int128>(x0) + step + c;
        x0 = static_cast<uint64_t>(sum);
        c = static_cast<unsigned>(sum >> 64);
      }
      SCOPED_TRACE(::testing::Message() << (jit ? "jit" : "interp") << " step=" << std::hex << step);
      EXPECT_EQ(st->x[0], x0);
      EXPECT_EQ(st->c, c);
      EXPECT_EQ(st->n, x0 >> 63);
      EXPECT_EQ(st->z, x0 == 0 ? 1u : 0u);
      EXPECT_EQ(st->x[2], 0u);
    }
  }
}

}  // namespace
}  // namespace polyvm::frontend::arm64
