// The JIT's second tier on its own (without the hybrid engine's interpreter): the superblock
// profile's bookkeeping, and a JitEngine with Options::superblock recompiling a loop that spans two
// guest blocks as one superblock, dropping it when either part's code changes. The expected
// register values follow from the loop's arithmetic (a0 counts iterations, a1 counts down).
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/engine/jit/superblock_former.h"
#include "polyvm/engine/jit/superblock_profile.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/frontend/riscv64/state.h"
#include "riscv_engine_machine.h"

namespace polyvm::engine::jit {
namespace {

// ---- the profile ----

TEST(SuperblockProfile, CountsUntilTheThresholdThenLinks) {
  SuperblockProfile p(3);
  using V = SuperblockProfile::Verdict;
  EXPECT_EQ(p.OnLink(0x100, 0x200, false), V::kCount);
  EXPECT_EQ(p.OnLink(0x100, 0x300, false), V::kCount);
  EXPECT_EQ(p.OnLink(0x100, 0x300, true), V::kLink);  // a superblock's exit: not counted
  EXPECT_EQ(p.OnLink(0x100, 0x300, false), V::kForm);
  EXPECT_EQ(p.Hotter(0x100, 0x200, 0x300), 0x300u);
  EXPECT_EQ(p.Hotter(0x100, 0x300, 0x200), 0x300u);
  EXPECT_EQ(p.Hotter(0x100, 0x200, 0x400), 0x200u);
  EXPECT_FALSE(p.Hotter(0x100, 0x400, 0x500));          // neither counted
  EXPECT_FALSE(p.Hotter(0x900, 0x200, 0x300));          // unknown block
  EXPECT_EQ(p.OnLink(0x100, 0x300, false), V::kCount);  // forming: wait
  p.Finish(0x100, false);
  EXPECT_EQ(p.OnLink(0x100, 0x300, false), V::kLink);  // declined for good
  EXPECT_EQ(p.runs_counted(), 3u);
}

TEST(SuperblockProfile, ADroppedSuperblockIsProfiledAnew) {
  SuperblockProfile p(1);
  using V = SuperblockProfile::Verdict;
  EXPECT_EQ(p.OnLink(0x100, 0x200, false), V::kForm);
  p.Finish(0x100, true);
  EXPECT_EQ(p.OnLink(0x100, 0x200, true), V::kLink);
  // A first-tier translation at 0x100 again: its superblock is gone.
  EXPECT_EQ(p.OnLink(0x100, 0x200, false), V::kForm);
  p.Finish(0x100, true);
  p.Forget(0x100, 4);
  EXPECT_FALSE(p.Hotter(0x100, 0x200, 0x300));
}

TEST(SuperblockProfile, ThresholdZeroNeverCounts) {
  SuperblockProfile p(0);
  EXPECT_EQ(p.OnLink(0x100, 0x200, false), SuperblockProfile::Verdict::kLink);
  EXPECT_EQ(p.runs_counted(), 0u);
}

// ---- forming ----

// Assembled with riscv64-linux-gnu-as -march=rv64g (.option norvc), at 0x1000:
//   A 0x1000: addi a0, a0, 1;  j B;  ecall
//   B 0x100c: addi a1, a1, -1;  bnez a1, C;  ecall
//   C 0x1018: j A
// The first tier lifts A through its jump into B, so B's branch is counted under A's pc: B
// never heads a translation, and the profile knows nothing under B's.
TEST(FormSuperblock, ABranchAfterAJumpIsRankedByWhereTheJumpsBegan) {
  constexpr uint64_t kA = 0x1000, kB = 0x100c, kC = 0x1018;
  constexpr uint32_t kCode[] = {0x00150513, 0x0080006f, 0x00000073, 0xfff58593,
                                0x00059463, 0x00000073, 0xfe9ff06f};
  interp::test::GuestMemory mem(4);
  std::memcpy(mem.base() + kA, kCode, sizeof kCode);
  interp::test::MemCodeReader code{mem};
  frontend::riscv64::Riscv64Lifter lifter;
  std::vector<uint64_t> asked;
  auto choose = [&](uint64_t pc, uint64_t target, uint64_t) -> std::optional<uint64_t> {
    asked.push_back(pc);
    if (pc == kA) return target;  // A's first-tier translation went to C most often
    return std::nullopt;
  };
  ir::Block out;
  std::vector<JitEngine::CodeRange> ranges;
  ASSERT_TRUE(FormSuperblock(lifter, code, kA, FormOptions{}, choose, out, ranges));
  ASSERT_EQ(ranges.size(), 3u);  // C's jump back to A ends it: a self-loop
  EXPECT_EQ(ranges[0].pc, kA);
  EXPECT_EQ(ranges[1].pc, kB);
  EXPECT_EQ(ranges[2].pc, kC);
  EXPECT_EQ(asked, (std::vector<uint64_t>{kB, kA}));  // B's own profile first
  EXPECT_EQ(out.exit.kind, ir::ExitKind::kJump);
  EXPECT_EQ(out.exit.target, kA);
}

// Assembled with riscv64-linux-gnu-as -march=rv64g (.option norvc), at 0x1000:
//   H  0x1000: addi a0, a0, 1;  j P;  ecall
//   P  0x100c: addi a1, a1, -1;  bnez a1, H
//   Q  0x1014: addi a2, a2, 1;  j H
//   H2 0x101c: addi a0, a0, 1;  j P2;  ecall
//   P2 0x1028: addi a1, a1, -1;  bnez a1, P2
//   Q2 0x1030: addi a2, a2, 1;  j H2
constexpr uint64_t kH = 0x1000, kP = 0x100c, kQ = 0x1014, kH2 = 0x101c, kP2 = 0x1028;
constexpr uint32_t kLoopsCode[] = {0x00150513, 0x0080006f, 0x00000073, 0xfff58593, 0xfe0598e3,
                                   0x00160613, 0xfe9ff06f, 0x00150513, 0x0080006f, 0x00000073,
                                   0xfff58593, 0xfe059ee3, 0x00160613, 0xfe9ff06f};

struct Former {
  Former() : mem(4) { std::memcpy(mem.base() + kH, kLoopsCode, sizeof kLoopsCode); }
  // Forms from `head` with a profile in which every branch went to its fallthrough most often.
  std::vector<uint64_t> Parts(uint64_t head) {
    auto choose = [](uint64_t, uint64_t, uint64_t fallthrough) -> std::optional<uint64_t> {
      return fallthrough;
    };
    ir::Block out;
    std::vector<JitEngine::CodeRange> ranges;
    FormSuperblock(lifter, code, head, FormOptions{}, choose, out, ranges);
    std::vector<uint64_t> pcs;
    for (const JitEngine::CodeRange& r : ranges) pcs.push_back(r.pc);
    return pcs;
  }
  interp::test::GuestMemory mem;
  interp::test::MemCodeReader code{mem};
  frontend::riscv64::Riscv64Lifter lifter;
};

TEST(FormSuperblock, AColderLoopBackToTheHeadIsASideExit) {
  // P's branch back to H went that way less often than on to Q: Q joins, and Q's jump to H
  // (its only direction) ends the superblock.
  EXPECT_EQ(Former().Parts(kH), (std::vector<uint64_t>{kH, kP, kQ}));
}

TEST(FormSuperblock, APartsOwnBackEdgeStaysFinal) {
  // P2 loops to itself: its back edge never reached Run, so its profile cannot rank it.
  EXPECT_EQ(Former().Parts(kH2), (std::vector<uint64_t>{kH2, kP2}));
}

// ---- the JIT engine alone with its second tier ----

using Loop = interp::test::TwoPageLoop;
constexpr unsigned kA0 = Loop::kA0, kA1 = Loop::kA1;
constexpr uint64_t kLoopHead = Loop::kHead, kLoopNext = Loop::kNext;

Options WithThreshold(uint32_t threshold) {
  Options o;
  o.superblock.threshold = threshold;
  o.lift_through_jumps = false;  // the head and `next` are two first-tier translations
  return o;
}

struct JitMachine : interp::test::RiscvEngineMachine<JitEngine> {
  explicit JitMachine(const Options& o)
      : RiscvEngineMachine(16, o, kLoopHead, Loop::kCode, sizeof Loop::kCode) {}
};

TEST(JitSuperblocks, LoopAcrossTwoPagesBecomesOneSuperblock) {
  JitMachine m(WithThreshold(4));
  Loop::RunAThousandTimes(m);
  // The head's exit to `next` reaches its count first (head + next); the run goes on to `next`,
  // whose exit to the head then reaches its own (next + head); from then on the loop runs inside
  // the head's superblock, a self-loop.
  auto s = m.Stats();
  EXPECT_EQ(s["jit.superblocks"], 2);
  EXPECT_EQ(s["jit.superblock_parts"], 4);
  EXPECT_EQ(s["jit.superblock_insns"], 8);
  EXPECT_EQ(s["jit.superblock_threshold"], 4);
  EXPECT_EQ(s["jit.superblocks_translated"], 2);
  EXPECT_EQ(s["jit.superblock_profile_runs"], 8);  // four runs of each block's exit
}

TEST(JitSuperblocks, InvalidatingTheSecondPageDropsTheSuperblock) {
  JitMachine m(WithThreshold(1));
  Loop::RewriteTheSecondPage(m);
  EXPECT_TRUE(m.engine.HasSuperblock(kLoopNext));
  EXPECT_EQ(m.Stats()["jit.superblocks"], 4);  // both held `next`: both dropped and rebuilt
}

TEST(JitSuperblocks, NoSecondTierByDefaultOrInSystemMode) {
  for (bool system : {false, true}) {
    Options o = WithThreshold(system ? 1 : 0);
    o.system_mode = system;
    JitMachine m(o);
    if (!system) {
      m.st.x[kA1] = 1000;
      m.Run(kLoopHead);
      EXPECT_EQ(m.st.x[kA0], 1000u);
    }
    EXPECT_FALSE(m.engine.HasSuperblock(kLoopHead));
    auto s = m.Stats();
    EXPECT_EQ(s["jit.superblocks"], 0);
    EXPECT_EQ(s["jit.superblock_threshold"], 0) << "system mode " << system;
    EXPECT_EQ(s["jit.superblock_profile_runs"], 0);
  }
}

}  // namespace
}  // namespace polyvm::engine::jit
