// Randomized equivalence: thousands of seeded random blocks, each run by the reference evaluator
// before and after every pass and the whole pipeline, from several random initial states. Same
// exit, same state and memory, same fault; every output verifies; no effectful op is ever lost.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <string>

#include "polyvm/ir/passes/const_fold.h"
#include "polyvm/ir/passes/copy_prop.h"
#include "polyvm/ir/passes/dce.h"
#include "polyvm/ir/passes/dead_writes.h"
#include "polyvm/ir/passes/pipeline.h"
#include "polyvm/ir/printer.h"
#include "polyvm/ir/verifier.h"
#include "random_block.h"
#include "ref_eval.h"

namespace polyvm::ir::testing {
namespace {

using PassFn = std::function<Block(const Block&)>;

struct NamedPass {
  const char* name;
  PassFn run;
};

const NamedPass kPasses[] = {
    {"FoldConstants", passes::FoldConstants},
    {"PropagateCopies", passes::PropagateCopies},
    {"EliminateDeadCode", passes::EliminateDeadCode},
    {"EliminateDeadStateWrites", passes::EliminateDeadStateWrites},
    {"Optimize", passes::Optimize},
};

constexpr uint64_t kBlocks = 3000;
constexpr int kStatesPerBlock = 3;

std::string Errors(const Block& b) {
  std::string s;
  for (const std::string& e : Verify(b)) s += e + "\n";
  return s;
}

// The first seed for which `pass` changes behaviour, or a message; "" if none.
struct Mismatch {
  uint64_t seed = 0;
  std::string message;
};

Mismatch FindMismatch(const PassFn& pass, uint64_t blocks, const char* name) {
  for (uint64_t seed = 0; seed < blocks; ++seed) {
    Block in = RandomBlock(seed);
    if (std::string e = Errors(in); !e.empty())
      return {seed, "generator made an invalid block:\n" + e};
    Block out = pass(in);
    if (std::string e = Errors(out); !e.empty()) {
      return {seed, std::string(name) + " output does not verify:\n" + e + Print(out)};
    }
    Rng rng(seed * 7919 + 1);
    for (int k = 0; k < kStatesPerBlock; ++k) {
      std::vector<uint8_t> state = RandomState(rng);
      std::vector<uint8_t> memory = RandomMemory(rng);
      Outcome want = Evaluate(in, state, memory);
      if (want.how == Outcome::How::kUnsupported)
        return {seed, "evaluator lacks " + want.unsupported};
      Outcome got = Evaluate(out, state, memory);
      if (!(got == want)) {
        return {seed, std::string(name) + " changed behaviour.\ninput:\n" + Print(in) +
                          "output:\n" + Print(out) + "expected: " + want.Describe() +
                          "\ngot: " + got.Describe()};
      }
    }
  }
  return {};
}

TEST(PassEquivalence, EveryPassPreservesBehaviour) {
  for (const NamedPass& p : kPasses) {
    Mismatch m = FindMismatch(p.run, kBlocks, p.name);
    EXPECT_EQ(m.message, "") << "seed " << m.seed;
  }
}

// The harness must be able to see a wrong pass: a pass that swaps the operands of the first Sub
// (or, failing that, drops the last SetReg) is caught.
TEST(PassEquivalence, HarnessCatchesABrokenPass) {
  PassFn broken = [](const Block& in) {
    Block out = in;
    for (Inst& inst : out.insts) {
      if (inst.op == Opcode::kSub && inst.args[0] != inst.args[1]) {
        std::swap(inst.args[0], inst.args[1]);
        return out;
      }
    }
    for (size_t i = out.insts.size(); i-- > 0;) {
      if (out.insts[i].op == Opcode::kSetReg) {
        out.insts[i] = Inst{.op = Opcode::kGuestInsn, .aux = 4, .imm = out.pc};
        return out;
      }
    }
    return out;
  };
  Mismatch m = FindMismatch(broken, 200, "broken");
  EXPECT_NE(m.message.find("changed behaviour"), std::string::npos) << m.message;
}

// The generated blocks exercise what the passes do (so the equivalence is not vacuous), and reach
// every kind of outcome.
TEST(PassEquivalence, CoverageOfTheRandomBlocks) {
  size_t before = 0, after = 0, folded = 0, forwarded = 0, dead_writes = 0;
  size_t exits = 0, side_exits = 0, faults = 0;
  for (uint64_t seed = 0; seed < kBlocks; ++seed) {
    Block in = RandomBlock(seed);
    before += in.insts.size();
    after += passes::Optimize(in).insts.size();
    Block f = passes::FoldConstants(in);
    for (size_t i = 0; i < in.insts.size(); ++i) {
      folded += in.insts[i].op != Opcode::kConst && f.insts[i].op == Opcode::kConst;
    }
    Block c = passes::PropagateCopies(in);
    for (size_t i = 0; i < in.insts.size(); ++i) {
      for (int k = 0; k < 3; ++k) forwarded += c.insts[i].args[k] != in.insts[i].args[k];
    }
    dead_writes += in.insts.size() - passes::EliminateDeadStateWrites(in).insts.size();
    Rng rng(seed);
    std::vector<uint8_t> state = RandomState(rng);
    std::vector<uint8_t> memory = RandomMemory(rng);
    Outcome o = Evaluate(in, state, memory);
    exits += o.how == Outcome::How::kExit;
    side_exits += o.how == Outcome::How::kSideExit;
    faults += o.how == Outcome::How::kFault;
  }
  std::printf(
      "random blocks: %zu -> %zu insts after Optimize; %zu folds, %zu forwarded operands, "
      "%zu dead writes; outcomes: %zu exits, %zu side exits, %zu faults\n",
      before, after, folded, forwarded, dead_writes, exits, side_exits, faults);
  EXPECT_LT(after, before * 3 / 4) << before << " -> " << after;
  EXPECT_GT(folded, kBlocks);
  EXPECT_GT(forwarded, kBlocks / 2);
  EXPECT_GT(dead_writes, kBlocks / 4);
  EXPECT_GT(exits, kBlocks / 10);
  EXPECT_GT(side_exits, kBlocks / 10);
  EXPECT_GT(faults, kBlocks / 10);
}

// Every op with an effect, except a SetReg that a later SetReg overwrites, survives every pass in
// its original order; kept SetRegs keep their order too.
TEST(PassEquivalence, EffectsAreNeverDeleted) {
  auto effects = [](const Block& b, bool set_regs) {
    std::vector<std::string> out;
    for (ValueId i = 0; i < b.insts.size(); ++i) {
      const Inst& inst = b.insts[i];
      if (IsRemovable(inst.op) || (inst.op == Opcode::kSetReg) != set_regs) continue;
      out.push_back(std::string(OpName(inst.op)) + " " + std::to_string(inst.aux) + " " +
                    std::to_string(inst.imm) + " " + std::string(TypeName(inst.type)));
    }
    return out;
  };
  for (uint64_t seed = 0; seed < kBlocks / 2; ++seed) {
    Block in = RandomBlock(seed, {.effects = true});
    ASSERT_EQ(Errors(in), "") << "seed " << seed;
    for (const NamedPass& p : kPasses) {
      Block out = p.run(in);
      ASSERT_EQ(Errors(out), "") << p.name << " seed " << seed << "\n" << Print(out);
      ASSERT_EQ(effects(out, false), effects(in, false)) << p.name << " seed " << seed << "\n"
                                                         << Print(in) << Print(out);
      // Kept SetRegs are a subsequence of the original ones.
      std::vector<std::string> kept = effects(out, true), all = effects(in, true);
      size_t j = 0;
      for (const std::string& s : kept) {
        while (j < all.size() && all[j] != s) ++j;
        ASSERT_LT(j, all.size()) << p.name << " seed " << seed << ": SetReg reordered or invented";
        ++j;
      }
    }
  }
}

TEST(PassEquivalence, OptimizeReachesAFixedPoint) {
  for (uint64_t seed = 0; seed < kBlocks; ++seed) {
    Block once = passes::Optimize(RandomBlock(seed));
    Block twice = passes::Optimize(once);
    ASSERT_EQ(Print(twice), Print(once)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace polyvm::ir::testing
