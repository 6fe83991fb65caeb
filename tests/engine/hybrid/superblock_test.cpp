// The second tier. Stitched blocks on the engines: random pairs of IR blocks, run one after the
// other by the interpreter, against their superblock run by the interpreter and installed in the
// JIT (InstallSuperblock). The hybrid engine with superblocks forced (threshold 1) on RISC-V code
// spread over two pages: superblocks are built, results stay those of the mathematics, and
// invalidating only the second page drops the superblock and runs the new instruction.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "../../ir/passes/random_block.h"
#include "../../ir/passes/ref_eval.h"
#include "polyvm/engine/hybrid/hybrid_engine.h"
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/frontend/riscv64/state.h"
#include "polyvm/ir/builder.h"
#include "polyvm/ir/printer.h"
#include "polyvm/ir/stitch.h"
#include "riscv_env.h"
#include "riscv_hybrid_machine.h"
#include "test_env.h"

namespace polyvm::engine::hybrid {
namespace {


using interp::test::FakeCode;
using interp::test::FakeLifter;
using interp::test::GuestMemory;
using interp::test::MemCodeReader;
using interp::test::TestState;

// ---- stitched random blocks on the engines ----

constexpr uint64_t kHead = 0x10000, kNext = 0x20000, kCold = 0x30000;
static_assert(sizeof(core::CpuHeader) == ir::testing::kRegBase,
              "random blocks address registers right after the header");

constexpr uint64_t kElsewhere = 0x40000;

// Exits that would run the pair's blocks again go elsewhere: each run is one pass through them.
void AvoidLoops(ir::Block& b) {
  auto fix = [](ir::Exit& e) {
    if (e.target == kHead || e.target == kNext) e.target = kElsewhere;
    if (e.fallthrough == kHead || e.fallthrough == kNext) e.fallthrough = kElsewhere + 4;
  };
  fix(b.exit);
  for (ir::Exit& e : b.side_exits) fix(e);
}

// The random state's bytes are arbitrary, and an i1 GetReg of a byte other than 0 or 1 is where
// the interpreter and the JIT disagree today (the interpreter does not take bit 0 only): such
// reads become GetReg i8 + Trunc, which is what the IR defines them to be.
ir::Block CanonicalBoolReads(const ir::Block& in) {
  ir::Block out = in;
  out.insts.clear();
  ir::Builder ir(out);
  std::vector<ir::ValueId> map(in.insts.size(), ir::kNoValue);
  auto mapped = [&](ir::ValueId v) { return v == ir::kNoValue ? v : map[v]; };
  for (ir::ValueId i = 0; i < in.insts.size(); ++i) {
    ir::Inst inst = in.insts[i];
    for (ir::ValueId& a : inst.args) a = mapped(a);
    if (inst.op == ir::Opcode::kGetReg && inst.type == ir::Type::kI1) {
      ir::Value byte = ir.GetReg(ir::Type::kI8, static_cast<uint32_t>(inst.imm));
      map[i] = ir.Emit(ir::Opcode::kTrunc, ir::Type::kI1, byte).id;
      continue;
    }
    out.insts.push_back(inst);
    map[i] = static_cast<ir::ValueId>(out.insts.size() - 1);
  }
  out.exit.value = mapped(out.exit.value);
  for (ir::Exit& e : out.side_exits) e.value = mapped(e.value);
  return out;
}

ir::Block Relocated(ir::Block b, uint64_t pc) {
  for (ir::Inst& inst : b.insts) {
    if (inst.op == ir::Opcode::kGuestInsn) inst.imm = inst.imm - b.pc + pc;
  }
  b.pc = pc;
  AvoidLoops(b);
  return b;
}

// Points head's exit at kNext: a branch on a fresh compare or an existing i1, either direction,
// or a jump.
void AimAtNext(ir::Block& head, ir::testing::Rng& rng) {
  ir::Builder ir(head);
  std::vector<ir::ValueId> bools, ints;
  for (ir::ValueId i = 0; i < head.insts.size(); ++i) {
    if (head.insts[i].type == ir::Type::kI1) bools.push_back(i);
    if (head.insts[i].type == ir::Type::kI64) ints.push_back(i);
  }
  ir::Exit e;
  e.insn_count = head.insn_count;
  const uint64_t shape = rng.Below(3);
  if (shape == 0 || (bools.empty() && ints.empty())) {
    e.kind = ir::ExitKind::kJump;
    e.target = kNext;
  } else {
    e.kind = ir::ExitKind::kBranch;
    if (!ints.empty() && (bools.empty() || shape == 1)) {
      static constexpr ir::Opcode kCmps[] = {ir::Opcode::kCmpLtS, ir::Opcode::kCmpLtU,
                                             ir::Opcode::kCmpLeS, ir::Opcode::kCmpEq};
      e.value = ir.Cmp(kCmps[rng.Below(4)], ir.ValueOf(ints[rng.Below(ints.size())]),
                       ir.ValueOf(ints[rng.Below(ints.size())]))
                    .id;
    } else {
      e.value = bools[rng.Below(bools.size())];
    }
    const bool taken = rng.Chance(50);
    e.target = taken ? kNext : kCold;
    e.fallthrough = taken ? kCold : kNext;
  }
  head.exit = e;
}

// Where a run ended and everything it left behind.
struct Result {
  core::ExitInfo info;
  uint64_t pc = 0, retired = 0;
  uint64_t r[32] = {};
  std::vector<uint8_t> mem;
};

bool Same(const Result& a, const Result& b, std::string* why) {
  if (a.info.reason != b.info.reason || a.info.pc != b.info.pc || a.info.addr != b.info.addr ||
      a.info.trap != b.info.trap) {
    *why = "exit";
  } else if (a.pc != b.pc || a.retired != b.retired) {
    *why = "pc or retired count";
  } else if (std::memcmp(a.r, b.r, sizeof a.r) != 0) {
    *why = "registers";
    for (int k = 0; k < 32; ++k) {
      if (a.r[k] != b.r[k]) *why += " r" + std::to_string(k) + "@" + std::to_string(128 + 8 * k);
    }
  } else if (a.mem != b.mem) {
    *why = "memory";
  } else {
    return true;
  }
  return false;
}

template <typename Engine, typename Setup>
Result RunOn(const std::vector<ir::Block>& blocks, const std::vector<uint8_t>& state,
             const std::vector<uint8_t>& memory, Setup setup) {
  FakeLifter lifter;
  FakeCode code;
  for (const ir::Block& b : blocks) lifter.Add(b);
  GuestMemory mem(1);
  Engine engine(lifter, code, {});
  setup(engine);
  TestState st;
  std::memcpy(st.r, state.data() + ir::testing::kRegBase,
              std::min(state.size() - ir::testing::kRegBase, sizeof st.r));
  std::memcpy(mem.base(), memory.data(), memory.size());
  mem.Attach(st.hdr);
  st.hdr.pc = kHead;
  core::Vcpu vcpu;
  vcpu.state = &st.hdr;
  Result r;
  r.info = engine.Run(vcpu);
  r.pc = st.hdr.pc;
  r.retired = st.hdr.retired;
  std::memcpy(r.r, st.r, sizeof r.r);
  r.mem.assign(mem.base(), mem.base() + mem.size());
  return r;
}

TEST(StitchedOnEngines, RandomPairsRunAsTheirPartsDo) {
  constexpr uint64_t kPairs = 300;
  int installed = 0;
  for (uint64_t seed = 0; seed < kPairs; ++seed) {
    ir::testing::Rng rng(seed * 6151 + 3);
    ir::Block head = CanonicalBoolReads(ir::testing::RandomBlock(1000 + 2 * seed));
    AvoidLoops(head);
    AimAtNext(head, rng);
    const ir::Block next =
        Relocated(CanonicalBoolReads(ir::testing::RandomBlock(1001 + 2 * seed)), kNext);
    ir::Block sb = head;
    ASSERT_TRUE(ir::AppendBlock(sb, next));
    for (int k = 0; k < 2; ++k) {
      std::vector<uint8_t> state = ir::testing::RandomState(rng);
      std::vector<uint8_t> memory = ir::testing::RandomMemory(rng);
      auto nothing = [](auto&) {};
      const Result want = RunOn<interp::Interpreter>({head, next}, state, memory, nothing);
      // The superblock's runs still find `next` at its own pc (a jump there is not a loop).
      const Result by_interp = RunOn<interp::Interpreter>({sb, next}, state, memory, nothing);
      const Result by_jit = RunOn<jit::JitEngine>({head, next}, state, memory, [&](auto& jit) {
        bool ok = jit.InstallSuperblock(
            [&](ir::Block& out, std::vector<jit::JitEngine::CodeRange>& ranges) {
              out = sb;
              ranges = {{kHead, head.size}, {kNext, next.size}};
              return true;
            });
        installed += ok;
        EXPECT_TRUE(jit.HasSuperblock(kHead));
      });
      std::string why;
      const Result parts_jit = RunOn<jit::JitEngine>({head, next}, state, memory, nothing);
      ASSERT_TRUE(Same(want, parts_jit, &why))
          << "JIT on the parts, seed " << seed << ": " << why << "\n"
          << ir::Print(head) << ir::Print(next);
      ASSERT_TRUE(Same(want, by_interp, &why))
          << "interpreter, seed " << seed << ": " << why << "\n"
          << ir::Print(sb);
      ASSERT_TRUE(Same(want, by_jit, &why)) << "JIT, seed " << seed << ": " << why << "\n"
                                            << ir::Print(sb);
    }
  }
  EXPECT_EQ(installed, 2 * kPairs);
}

// ---- the hybrid engine with superblocks forced ----

using Loop = interp::test::TwoPageLoop;
constexpr unsigned kA0 = Loop::kA0, kA1 = Loop::kA1;
constexpr uint64_t kLoopHead = Loop::kHead;

struct RiscvHybrid : test::RiscvHybridMachine {
  static Options Forced() {
    Options o;
    o.hotness = {.threshold = 1, .alpha = 1, .period = 16384};
    o.superblock.threshold = 1;
    return o;
  }
  explicit RiscvHybrid(const Options& o = Forced())
      : test::RiscvHybridMachine(16, o, kLoopHead, Loop::kCode, sizeof Loop::kCode) {}
};

TEST(HybridSuperblocks, LoopAcrossTwoPagesBecomesOneSuperblock) {
  RiscvHybrid m;
  Loop::RunAThousandTimes(m);
  auto s = m.Stats();
  EXPECT_GE(s["jit.superblocks"], 1);
  EXPECT_GE(s["jit.superblock_insns"], 4);
  EXPECT_EQ(s["jit.superblock_threshold"], 1);
  EXPECT_GE(s["jit.superblocks_translated"], 1);
}

TEST(HybridSuperblocks, InvalidatingTheSecondPageDropsTheSuperblock) {
  RiscvHybrid m;
  Loop::RewriteTheSecondPage(m);
  EXPECT_GE(m.Stats()["jit.superblocks"], 2);
}

TEST(HybridSuperblocks, ThresholdZeroBuildsNone) {
  Options o = RiscvHybrid::Forced();
  o.superblock.threshold = 0;
  RiscvHybrid m(o);
  m.st.x[kA1] = 1000;
  m.Run(kLoopHead);
  EXPECT_EQ(m.st.x[kA0], 1000u);
  EXPECT_FALSE(m.engine.HasSuperblock(kLoopHead));
  auto s = m.Stats();
  EXPECT_EQ(s["jit.superblocks"], 0);
  EXPECT_EQ(s["jit.superblock_profile_runs"], 0);
}

}  // namespace
}  // namespace polyvm::engine::hybrid
