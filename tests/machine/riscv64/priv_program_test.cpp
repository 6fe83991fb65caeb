// priv_program.S, assembled by GNU as, run by the interpreter with the hart model handling every
// exit: mret/sret privilege changes, a delegated ecall from U handled in S, an illegal CSR access
// from U trapping to M with its bits, an ecall from S, and wfi ending the run. Physical addressing
// only (M-mode with satp = Bare): the soft MMU is not connected to the engine yet.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "test_hart.h"

namespace polyvm::machine::riscv64 {
namespace {

constexpr uint64_t kBase = 0x80000000;

class ProgramCode final : public ir::CodeReader {
 public:
  explicit ProgramCode(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  size_t Fetch(uint64_t pc, void* out, size_t size) const override {
    if (pc < kBase || pc - kBase >= bytes_.size()) return 0;
    size_t n = std::min<uint64_t>(size, bytes_.size() - (pc - kBase));
    std::memcpy(out, bytes_.data() + (pc - kBase), n);
    return n;
  }
  uint32_t Word(uint64_t pc) const {
    uint32_t w = 0;
    Fetch(pc, &w, 4);
    return w;
  }

 private:
  std::vector<uint8_t> bytes_;
};

TEST(PrivProgram, RunsThroughTheInterpreterAndTheHartModel) {
  std::ifstream in(POLYVM_PRIV_PROGRAM, std::ios::binary);
  ASSERT_TRUE(in) << POLYVM_PRIV_PROGRAM;
  ProgramCode code({std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
  frontend::riscv64::Riscv64Lifter lifter(frontend::riscv64::SystemHooks{PrivilegedHelper()});
  engine::interp::Interpreter interp(lifter, code);

  testing::TestHart h;
  core::Vcpu vcpu;
  vcpu.state = &h->cpu.hdr;
  std::string message;
  bool waited = false;
  for (int exits = 0; exits < 100 && !waited; ++exits) {
    core::ExitInfo e = interp.Run(vcpu);
    ExitAction action = HandleExit(*h, e, &message);
    ASSERT_NE(action, ExitAction::kStop) << message;
    waited = action == ExitAction::kWait;
  }
  ASSERT_TRUE(waited) << "the program should end in wfi; pc " << std::hex << h->cpu.hdr.pc;

  auto x = [&](unsigned r) { return h->cpu.x[r]; };
  constexpr unsigned kS0 = 8, kS1 = 9, kS3 = 19, kS4 = 20, kS5 = 21, kS6 = 22, kS7 = 23;
  EXPECT_EQ(h->priv, Priv::kMachine);
  EXPECT_EQ(x(kS1), 43u) << "U's ecall went to S, which returned past it";
  EXPECT_EQ(x(kS0), 8u) << "scause: environment call from U";
  EXPECT_EQ(x(kS3), 0x300025f3u) << "mtval: the bits of csrr a1, mstatus (GNU as)";
  EXPECT_EQ(x(kS5), 9u) << "mcause: environment call from S";
  EXPECT_EQ(code.Word(x(kS4)), 0x00000073u) << "mepc points at S's ecall";
  EXPECT_EQ((x(kS6) >> 11) & 3, 1u) << "mstatus.MPP = S";
  EXPECT_EQ((x(kS7) >> 32) & 3, 2u) << "sstatus.UXL = 64-bit, read from S";
  EXPECT_EQ(h->csr.sepc % 4, 0u);
  EXPECT_GT(h->cpu.hdr.retired, 30u);
}

}  // namespace
}  // namespace polyvm::machine::riscv64
