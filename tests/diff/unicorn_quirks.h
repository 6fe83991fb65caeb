// Where Unicorn 2.0.1 (QEMU 5.0.1's RISC-V target) -- and, in a second list, qemu-riscv64 7.2 --
// is not an oracle: each entry names the
// instruction or condition, what Unicorn does, what the ISA manual requires (with the section), and
// how the harness handles it -- either an adapter in the Unicorn runner that applies the manual's
// rule to Unicorn's state around that one instruction, or leaving the case out of generation.
// Each adapted quirk carries a confirming example that quirks_test.cpp runs through raw Unicorn
// (must still deviate), Debian's qemu-riscv64 7.2 (must agree with the manual) and polyvm.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace polyvm::diff {

enum class QuirkId : uint8_t {
  kNanBoxResult,    // single-precision results not NaN-boxed
  kNanBoxInput,     // improperly boxed single-precision operands not read as the canonical NaN
  kFminFmaxSnan,    // fmin/fmax with one signalling NaN return a NaN (IEEE 754-2008 minNum)
  kFmaInfZeroQnan,  // fmadd family: inf * 0 + qNaN does not raise invalid
  kAmoMinMaxW,      // amomin/amomax(u).w compare 64-bit operands
  kCount,
};

enum class QuirkHandling : uint8_t {
  kAdapt,         // the runner applies the manual's rule around the instruction
  kNotGenerated,  // the generator never produces the condition
};

// A one-instruction example with the manual's result for one register.
struct QuirkExample {
  std::vector<uint32_t> insns;  // 16-bit forms are values whose low two bits are not 11
  std::vector<std::pair<unsigned, uint64_t>> f;  // initial FP registers
  std::vector<std::pair<unsigned, uint64_t>> x;  // initial integer registers
  uint32_t fcsr = 0;
  std::vector<std::pair<uint64_t, uint64_t>> mem;  // initial 64-bit words of the data page
  bool expect_fp = true;  // the checked register is f[reg] (else x[reg]); fcsr is always checked
  unsigned reg = 0;
  uint64_t value = 0;  // the manual's result in that register
  uint32_t expect_fcsr = 0;
  bool expect_trap = false;   // the manual requires a misaligned-address trap at the first insn
  bool qemu72_agrees = true;  // false where QEMU 7.2 shares the deviation (the manual decides)
};

struct Quirk {
  QuirkId id;
  std::string_view name;
  std::string_view condition;
  std::string_view unicorn;  // what Unicorn 2.0.1 does (with the QEMU 5.0.1 source that does it)
  std::string_view manual;   // what the manual requires, with its section
  QuirkHandling handling;
  QuirkExample example;  // empty insns for kNotGenerated entries
};

std::span<const Quirk> UnicornQuirks();
const Quirk& QuirkInfo(QuirkId id);

// The same kind of list for the second reference, Debian's qemu-riscv64 7.2 (qemu_runner.h): its
// deviations are all kNotGenerated in the profiles run against it.
std::span<const Quirk> QemuUserQuirks();

}  // namespace polyvm::diff
