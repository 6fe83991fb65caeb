// The harness can fail: the comparison notices a difference in every part of an outcome, and a
// deliberately wrong engine (the interpreter with one register bit flipped after each run) is
// caught on random cases.
#include "compare.h"

#include <gtest/gtest.h>

#include "harness.h"
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/frontend/riscv64/state.h"
#include "polyvm_runner.h"
#include "unicorn_runner.h"

namespace polyvm::diff {
namespace {

Outcome Sample() {
  Outcome o;
  o.stop = Stop::kEnd;
  o.pc = kCodeBase + 8;
  for (unsigned i = 1; i < 32; ++i) o.regs.x[i] = i * 0x1111;
  for (unsigned i = 0; i < 32; ++i) o.regs.f[i] = Box(i);
  o.regs.fcsr = 0x21;
  o.data.assign(kDataSize, 0x5a);
  return o;
}

TEST(Compare, NoticesEveryField) {
  const Outcome a = Sample();
  EXPECT_EQ(Compare(a, a), "");
  auto differs = [&](auto mutate) {
    Outcome b = a;
    mutate(b);
    return !Compare(a, b).empty();
  };
  EXPECT_TRUE(differs([](Outcome& b) { b.stop = Stop::kIllegal; }));
  EXPECT_TRUE(differs([](Outcome& b) { b.pc += 2; }));
  for (unsigned i = 1; i < 32; ++i) {
    EXPECT_TRUE(differs([i](Outcome& b) { b.regs.x[i] ^= uint64_t{1} << 63; })) << "x" << i;
  }
  for (unsigned i = 0; i < 32; ++i) {
    EXPECT_TRUE(differs([i](Outcome& b) { b.regs.f[i] ^= uint64_t{1} << 40; })) << "f" << i;
  }
  EXPECT_TRUE(differs([](Outcome& b) { b.regs.fcsr ^= 1; }));
  EXPECT_TRUE(differs([](Outcome& b) { b.regs.fcsr ^= 0x80; }));
  EXPECT_TRUE(differs([](Outcome& b) { b.data[kDataSize - 1] ^= 1; }));
}

// The interpreter, then one bit of x31 flipped.
class FlippingEngine final : public core::ExecutionEngine {
 public:
  FlippingEngine(const ir::Lifter& lifter, const ir::CodeReader& code) : inner_(lifter, code) {}
  std::string_view Name() const override { return "flipping"; }
  core::ExitInfo Run(core::Vcpu& vcpu) override {
    core::ExitInfo e = inner_.Run(vcpu);
    reinterpret_cast<frontend::riscv64::Riscv64State*>(vcpu.state)->x[31] ^= 1;
    return e;
  }
  void InvalidateCode(uint64_t addr, uint64_t size) override { inner_.InvalidateCode(addr, size); }
  void CollectStats(core::Stats& out) const override { inner_.CollectStats(out); }

 private:
  engine::interp::Interpreter inner_;
};

TEST(Compare, CatchesAWrongEngine) {
  UnicornRunner unicorn;
  PolyvmRunner wrong([](const ir::Lifter& l, const ir::CodeReader& c) {
    return std::make_unique<FlippingEngine>(l, c);
  });
  const Profile p = RandomProfiles()[0];
  for (unsigned i = 0; i < 20; ++i) {
    Case c = Generate(p, CaseSeed(6, p.name, i));
    EXPECT_NE(Compare(unicorn.Run(c), wrong.Run(c)), "") << "case " << i;
  }
}

}  // namespace
}  // namespace polyvm::diff
