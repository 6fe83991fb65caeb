// Comparing two outcomes of one AArch64 case (arm64_compare.h).
#include "arm64_compare.h"

#include <fmt/format.h>

namespace polyvm::diff {
namespace {

std::string Describe(const A64Outcome& o) {
  return fmt::format("{} at {:#x} ({})", StopName(o.stop), o.pc, o.detail);
}

}  // namespace

std::string A64Differences(const A64Case& c, const A64Outcome& want, const A64Outcome& got) {
  std::string out;
  if (want.stop != got.stop) {
    out += fmt::format("  stop: unicorn {} / polyvm {}\n", Describe(want), Describe(got));
  }
  // After an exception Unicorn's pc is not the faulting instruction's, so only a clean end
  // compares the pc.
  if (want.stop == Stop::kEnd && got.stop == Stop::kEnd && want.pc != got.pc) {
    out += fmt::format("  pc: {:#x} / {:#x}\n", want.pc, got.pc);
  }
  for (unsigned r = 0; r < 31; ++r) {
    if (want.regs.x[r] != got.regs.x[r]) {
      out += fmt::format("  x{}: {:#x} / {:#x} (initially {:#x})\n", r, want.regs.x[r],
                         got.regs.x[r], c.init.x[r]);
    }
  }
  if (want.regs.sp != got.regs.sp)
    out += fmt::format("  sp: {:#x} / {:#x}\n", want.regs.sp, got.regs.sp);
  if (want.regs.nzcv != got.regs.nzcv) {
    out += fmt::format("  nzcv: {:#x} / {:#x}\n", want.regs.nzcv, got.regs.nzcv);
  }
  for (unsigned r = 0; r < 32; ++r) {
    if (want.regs.q[r] != got.regs.q[r]) {
      out += fmt::format("  q{}: {:#018x}{:016x} / {:#018x}{:016x}\n", r, want.regs.q[r][1],
                         want.regs.q[r][0], got.regs.q[r][1], got.regs.q[r][0]);
    }
  }
  if (want.regs.fpcr != got.regs.fpcr) {
    out += fmt::format("  fpcr: {:#x} / {:#x}\n", want.regs.fpcr, got.regs.fpcr);
  }
  if (want.regs.fpsr != got.regs.fpsr) {
    out += fmt::format("  fpsr: {:#x} / {:#x}\n", want.regs.fpsr, got.regs.fpsr);
  }
  if (want.regs.tpidr != got.regs.tpidr) {
    out += fmt::format("  tpidr_el0: {:#x} / {:#x}\n", want.regs.tpidr, got.regs.tpidr);
  }
  for (size_t k = 0; k < want.data.size() && k < got.data.size(); ++k) {
    if (want.data[k] != got.data[k]) {
      out += fmt::format("  data[{:#x}]: {:#04x} / {:#04x} (first differing byte)\n", k,
                         want.data[k], got.data[k]);
      break;
    }
  }
  return out;
}

}  // namespace polyvm::diff
