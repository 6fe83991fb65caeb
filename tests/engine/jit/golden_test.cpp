// Golden host-code tests: the number of x86-64 instructions the JIT emits for key RISC-V
// instructions, counted by GNU objdump on the block's straight-line body, so a code-quality
// regression (or improvement) shows in review. Each block is the instruction(s) followed by an
// ecall (the syscall exit: 5 host instructions). Update a count only with the reason in the
// commit message.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "riscv_env.h"

namespace polyvm::engine::interp::test {
namespace {

// Counts the instructions objdump finds in `code`; -1 if objdump is not available.
int CountHostInstructions(const std::vector<uint8_t>& code) {
  char path[] = "/tmp/polyvm_golden_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return -1;
  if (write(fd, code.data(), code.size()) != static_cast<ssize_t>(code.size())) {
    close(fd);
    return -1;
  }
  close(fd);
  std::string cmd = std::string("objdump -D -b binary -mi386:x86-64 ") + path + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  int n = 0;
  char line[512];
  bool body = false;
  while (fgets(line, sizeof line, p) != nullptr) {
    if (std::strstr(line, "<.data>:") != nullptr) {
      body = true;
      continue;
    }
    // Instruction lines look like "   1c:\t48 8b ...\tmov ..."; continuation lines of long
    // instructions carry bytes only (no second tab).
    if (body && std::strchr(line, ':') != nullptr) {
      const char* tab = std::strchr(line, '\t');
      if (tab != nullptr && std::strchr(tab + 1, '\t') != nullptr) ++n;
    }
  }
  pclose(p);
  unlink(path);
  return body ? n : -1;
}

int Golden(std::initializer_list<uint32_t> insns) {
  RiscvMachine m;
  uint64_t pc = 0x8000;
  for (uint32_t w : insns) {
    std::memcpy(m.mem.base() + pc, &w, 4);
    pc += 4;
  }
  uint32_t ecall = 0x00000073;
  std::memcpy(m.mem.base() + pc, &ecall, 4);
  int n = CountHostInstructions(m.interp->HostCode(0x8000));
  if (n < 0) ADD_FAILURE() << "objdump could not disassemble the host code";
  return n;
}

// Assembled with riscv64-linux-gnu-as -march=rv64g.
constexpr uint32_t kAdd = 0x00c58533;       // add a0, a1, a2
constexpr uint32_t kAddi = 0xffb58513;      // addi a0, a1, -5
constexpr uint32_t kLd = 0x0105b503;        // ld a0, 16(a1)
constexpr uint32_t kSd = 0x00c5bc23;        // sd a2, 24(a1)
constexpr uint32_t kBeq = 0x04b50063;       // beq a0, a1, .+64
constexpr uint32_t kAddiM1 = 0xfff50513;    // addi a0, a0, -1
constexpr uint32_t kBnezBack = 0xfe051ee3;  // bnez a0, .-4

constexpr int kEcallExit = 5;

TEST(JitGolden, EcallAlone) { EXPECT_EQ(Golden({}), kEcallExit); }

// Two guest registers read into host registers, the sum, the write-back to the state.
TEST(JitGolden, Add) { EXPECT_EQ(Golden({kAdd}) - kEcallExit, 4); }

// Read, a three-operand lea, write-back.
TEST(JitGolden, Addi) { EXPECT_EQ(Golden({kAddi}) - kEcallExit, 3); }

// Address (read + lea), the bound check (cmp + jae), the load and the write-back. A host fault is
// mapped to the guest instruction from the faulting host pc: no store on this path.
TEST(JitGolden, Ld) { EXPECT_EQ(Golden({kLd}) - kEcallExit, 6); }

TEST(JitGolden, Sd) { EXPECT_EQ(Golden({kSd}) - kEcallExit, 6); }

// A branch ends the block: both directions' exits (retired count, interrupt and attention check,
// the patchable jump), and the fused compare.
TEST(JitGolden, Beq) { EXPECT_EQ(Golden({kBeq}), 17); }

// addi a0, a0, -1; bnez a0, .-4 as one block looping to itself.
TEST(JitGolden, CountdownLoop) { EXPECT_EQ(Golden({kAddiM1, kBnezBack}), 17); }

}  // namespace
}  // namespace polyvm::engine::interp::test
