// Encodings the manual reserves, or that user mode may not execute, lift to an illegal-instruction
// trap at their pc carrying the raw bits; blocks that start with one hold nothing but that trap.
#include <gtest/gtest.h>

#include "decoder.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/ir/verifier.h"
#include "test_util.h"

namespace polyvm::frontend::riscv64 {
namespace {

using test::BufferReader;
using test::Code;

struct Encoding {
  uint32_t raw;
  const char* why;
};

// No decode: reserved by the unprivileged manual (RVC chapter's reserved code points, fixed
// fields, the reserved rm values), or no instruction in RV64GC_Zba_Zbb_Zbs at all.
constexpr Encoding kReserved[] = {
    {0x0008, "c.addi4spn with nzuimm = 0"},
    {0x001c, "c.addi4spn a5, sp, 0"},
    {0x6101, "c.addi16sp with nzimm = 0"},
    {0x6501, "c.lui a0 with nzimm = 0"},
    {0x6001, "c.lui x0 with nzimm = 0"},
    {0x2001, "c.addiw with rd = x0"},
    {0x2005, "c.addiw with rd = x0, imm = 1"},
    {0x4002, "c.lwsp with rd = x0"},
    {0x6002, "c.ldsp with rd = x0"},
    {0x8002, "c.jr with rs1 = x0"},
    {0x8000, "quadrant 0, funct3 100"},
    {0x9c41, "c.subw/c.addw group, funct2 10"},
    {0x9c61, "c.subw/c.addw group, funct2 11"},
    {0x0020d053, "fadd.s with rm = 5"},
    {0x0020e053, "fadd.s with rm = 6"},
    {0x68c5d543, "fmadd.s with rm = 5"},
    {0x4200e053, "fcvt.d.s with rm = 6"},
    {0xc000e053, "fcvt.w.s with rm = 6"},
    {0x5810f053, "fsqrt.s with rs2 != 0"},
    {0xe000a553, "fmv.x.w group with funct3 010"},
    {0x0205951b, "slliw with shamt[5] = 1"},
    {0x1015a52f, "lr.w with rs2 != 0"},
    {0x0000000b, "custom-0 opcode"},
    {0xffffffff, "longer than 32 bits"},
};

// Decode, but illegal in user mode: privileged instructions, unknown CSRs, writes to read-only
// CSRs, and the defined-illegal all-zero halfword.
constexpr Encoding kUserIllegal[] = {
    {0x0000, "c.unimp (all-zero halfword)"},
    {0x10500073, "wfi"},
    {0x30200073, "mret"},
    {0x10200073, "sret"},
    {0x12000073, "sfence.vma"},
    {0x7c002573, "csrrs a0, 0x7c0, zero: no such CSR"},
    {0x30002573, "csrrs a0, mstatus, zero: machine mode"},
    {0xc0001073, "csrrw zero, cycle, zero (unimp): write to a read-only CSR"},
    {0xc005a573, "csrrs a0, cycle, a1: rs1 != x0 writes"},
    {0xc010e573, "csrrsi a0, time, 1: uimm != 0 writes"},
    {0xc02ff573, "csrrci a0, instret, 31"},
};

void ExpectIllegalTrap(uint32_t raw, const char* why, uint64_t pc) {
  SCOPED_TRACE(why);
  Riscv64Lifter lifter;
  BufferReader code(pc, Code({raw}));
  ir::Block block;
  lifter.Lift(pc, code, {}, block);
  EXPECT_TRUE(ir::Verify(block).empty());
  EXPECT_TRUE(block.insts.empty());
  EXPECT_TRUE(block.side_exits.empty());
  EXPECT_EQ(block.insn_count, 0u);
  EXPECT_EQ(block.size, InsnLength(static_cast<uint16_t>(raw)));
  EXPECT_EQ(block.exit.kind, ir::ExitKind::kTrap);
  EXPECT_EQ(block.exit.trap, core::TrapCode::kIllegalInstruction);
  EXPECT_EQ(block.exit.target, pc);
  EXPECT_EQ(block.exit.info, raw);
  EXPECT_EQ(block.exit.insn_count, 0u);
}

TEST(Reserved, ReservedEncodingsDoNotDecode) {
  for (const Encoding& e : kReserved) {
    Insn insn;
    EXPECT_FALSE(Riscv64Table().Decode(e.raw, insn)) << e.why;
  }
}

TEST(Reserved, ReservedEncodingsTrapAsIllegal) {
  for (const Encoding& e : kReserved) ExpectIllegalTrap(e.raw, e.why, 0x10000);
}

TEST(Reserved, UserModeIllegalInstructionsDecodeButTrap) {
  for (const Encoding& e : kUserIllegal) {
    Insn insn;
    EXPECT_TRUE(Riscv64Table().Decode(e.raw, insn)) << e.why;
    ExpectIllegalTrap(e.raw, e.why, 0x20000);
  }
}

// Disassembly of what does not decode uses objdump's data notation.
TEST(Reserved, UndecodableDisassemblesAsData) {
  Riscv64Lifter lifter;
  std::string text;
  BufferReader c16(0x1000, Code({0x4002}));
  EXPECT_EQ(lifter.Disassemble(0x1000, c16, text), 2u);
  EXPECT_EQ(text, ".2byte 0x4002");
  BufferReader c32(0x1000, Code({0x0020d053}));
  EXPECT_EQ(lifter.Disassemble(0x1000, c32, text), 4u);
  EXPECT_EQ(text, ".4byte 0x20d053");
}

// An illegal instruction after others ends the block there: the earlier ones complete.
TEST(Reserved, IllegalAfterOthersEndsTheBlock) {
  Riscv64Lifter lifter;
  BufferReader code(0x1000,
                    Code({0x00158513 /* addi a0,a1,1 */, 0x0505 /* c.addi a0,1 */, 0x0000}));
  ir::Block block;
  lifter.Lift(0x1000, code, {}, block);
  EXPECT_TRUE(ir::Verify(block).empty());
  EXPECT_EQ(block.insn_count, 2u);
  EXPECT_EQ(block.size, 8u);
  EXPECT_EQ(block.exit.kind, ir::ExitKind::kTrap);
  EXPECT_EQ(block.exit.trap, core::TrapCode::kIllegalInstruction);
  EXPECT_EQ(block.exit.target, 0x1006u);
  EXPECT_EQ(block.exit.info, 0u);
  EXPECT_EQ(block.exit.insn_count, 2u);
}

}  // namespace
}  // namespace polyvm::frontend::riscv64
