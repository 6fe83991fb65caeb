// System-mode lifting hands privileged instructions to the hart model: the block calls the
// model's helper with the raw bits, pc and completed count, and continues where it says. Calling
// the helper as an engine would checks the two ends agree. User-mode lifting is unchanged.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "polyvm/frontend/riscv64/lifter.h"
#include "test_hart.h"

namespace polyvm::machine::riscv64 {
namespace {

class Code final : public ir::CodeReader {
 public:
  Code(uint64_t base, std::vector<uint32_t> words) : base_(base), words_(std::move(words)) {}
  size_t Fetch(uint64_t pc, void* out, size_t size) const override {
    uint64_t end = base_ + 4 * words_.size();
    if (pc < base_ || pc >= end) return 0;
    size_t n = std::min<uint64_t>(size, end - pc);
    std::memcpy(out, reinterpret_cast<const uint8_t*>(words_.data()) + (pc - base_), n);
    return n;
  }

 private:
  uint64_t base_;
  std::vector<uint32_t> words_;
};

// csrrw a0, mscratch, a1 (GNU as: 0x34059573), after an addi a1, a1, 1 (0x00158593).
constexpr uint32_t kAddi = 0x00158593, kCsrrwMscratch = 0x34059573;

const ir::Inst* FindHelperCall(const ir::Block& b) {
  for (const ir::Inst& i : b.insts) {
    if (i.op == ir::Opcode::kCallHelper) return &i;
  }
  return nullptr;
}

TEST(LiftPriv, CsrInstructionCallsTheHartModel) {
  frontend::riscv64::Riscv64Lifter lifter(frontend::riscv64::SystemHooks{PrivilegedHelper()});
  Code code(0x80000000, {kAddi, kCsrrwMscratch, kAddi});
  ir::Block block;
  lifter.Lift(0x80000000, code, ir::LiftOptions{}, block);
  const ir::Inst* call = FindHelperCall(block);
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->imm, reinterpret_cast<uint64_t>(PrivilegedHelper()));
  EXPECT_EQ(block.exit.kind, ir::ExitKind::kIndirect);
  EXPECT_EQ(block.exit.value, static_cast<ir::ValueId>(call - block.insts.data()));
  EXPECT_EQ(block.insn_count, 2u) << "the block ends after the privileged instruction";
  // The operands are constants: raw bits, pc, instructions completed before it.
  uint64_t args[3];
  for (int a = 0; a < 3; ++a) {
    const ir::Inst& arg = block.insts[call->args[a]];
    ASSERT_EQ(arg.op, ir::Opcode::kConst);
    args[a] = arg.imm;
  }
  EXPECT_EQ(args[0], kCsrrwMscratch);
  EXPECT_EQ(args[1], 0x80000004u);
  EXPECT_EQ(args[2], 1u);

  testing::TestHart h;
  h->cpu.x[11] = 42;
  uint64_t next = call->imm ? reinterpret_cast<const ir::HelperInfo*>(call->imm)->fn(
                                  &h->cpu, args[0], args[1], args[2])
                            : 0;
  EXPECT_EQ(next, 0x80000008u);
  EXPECT_EQ(h->csr.mscratch, 42u);
}

TEST(LiftPriv, FpCsrsStayInline) {
  frontend::riscv64::Riscv64Lifter lifter(frontend::riscv64::SystemHooks{PrivilegedHelper()});
  Code code(0x80000000, {0x00202573});  // csrr a0, frm  (csrrs a0, frm, zero)
  ir::Block block;
  lifter.Lift(0x80000000, code, ir::LiftOptions{1}, block);
  EXPECT_EQ(FindHelperCall(block), nullptr);
  EXPECT_EQ(block.exit.kind, ir::ExitKind::kJump);
}

TEST(LiftPriv, UserModeKeepsPrivilegedInstructionsIllegal) {
  frontend::riscv64::Riscv64Lifter lifter;
  for (uint32_t insn : {kCsrrwMscratch, 0x30200073u, 0x10500073u, 0x12000073u}) {
    Code code(0x10000, {insn});
    ir::Block block;
    lifter.Lift(0x10000, code, ir::LiftOptions{}, block);
    EXPECT_EQ(block.exit.kind, ir::ExitKind::kTrap) << std::hex << insn;
    EXPECT_EQ(block.exit.trap, core::TrapCode::kIllegalInstruction);
    EXPECT_EQ(block.exit.info, insn);
  }
}

TEST(LiftPriv, MretSretWfiSfenceCallTheModel) {
  frontend::riscv64::Riscv64Lifter lifter(frontend::riscv64::SystemHooks{PrivilegedHelper()});
  for (uint32_t insn : {0x30200073u, 0x10200073u, 0x10500073u, 0x12000073u}) {
    Code code(0x80000000, {insn});
    ir::Block block;
    lifter.Lift(0x80000000, code, ir::LiftOptions{}, block);
    EXPECT_NE(FindHelperCall(block), nullptr) << std::hex << insn;
    EXPECT_EQ(block.exit.kind, ir::ExitKind::kIndirect);
  }
}

}  // namespace
}  // namespace polyvm::machine::riscv64
