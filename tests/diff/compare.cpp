// Outcome comparison and failure reports (see compare.h).
#include "compare.h"

#include <fmt/format.h>

namespace polyvm::diff {

namespace {

const char* const kXNames[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
                                 "s0",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
                                 "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
                                 "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

}  // namespace

std::string Compare(const Outcome& ref, const Outcome& got) {
  std::string d;
  if (ref.stop != got.stop || ref.pc != got.pc) {
    d += fmt::format("  stop: {} at {:#x} vs {} at {:#x}\n", StopName(ref.stop), ref.pc,
                     StopName(got.stop), got.pc);
  }
  for (unsigned i = 1; i < 32; ++i) {
    if (ref.regs.x[i] != got.regs.x[i]) {
      d += fmt::format("  x{} ({}): {:#018x} vs {:#018x}\n", i, kXNames[i], ref.regs.x[i],
                       got.regs.x[i]);
    }
  }
  for (unsigned i = 0; i < 32; ++i) {
    if (ref.regs.f[i] != got.regs.f[i]) {
      d += fmt::format("  f{}: {:#018x} vs {:#018x}\n", i, ref.regs.f[i], got.regs.f[i]);
    }
  }
  if (ref.regs.fcsr != got.regs.fcsr) {
    d += fmt::format("  fcsr: {:#x} (frm {}, fflags {:#x}) vs {:#x} (frm {}, fflags {:#x})\n",
                     ref.regs.fcsr, ref.regs.fcsr >> 5, ref.regs.fcsr & 31, got.regs.fcsr,
                     got.regs.fcsr >> 5, got.regs.fcsr & 31);
  }
  if (ref.data.size() != got.data.size()) {
    d += "  data page sizes differ\n";
  } else {
    unsigned shown = 0;
    for (size_t i = 0; i < ref.data.size(); ++i) {
      if (ref.data[i] == got.data[i]) continue;
      if (shown++ < 16) {
        d += fmt::format("  data[{:#x}] (addr {:#x}): {:#04x} vs {:#04x}\n", i, kDataBase + i,
                         ref.data[i], got.data[i]);
      }
    }
    if (shown > 16) d += fmt::format("  ... {} data bytes differ in all\n", shown);
  }
  return d;
}

std::string DumpRegs(const RvRegs& r) {
  std::string s;
  for (unsigned i = 0; i < 32; i += 4) {
    s += "   ";
    for (unsigned k = i; k < i + 4; ++k) s += fmt::format(" x{:<2}={:016x}", k, r.x[k]);
    s += "\n";
  }
  for (unsigned i = 0; i < 32; i += 4) {
    s += "   ";
    for (unsigned k = i; k < i + 4; ++k) s += fmt::format(" f{:<2}={:016x}", k, r.f[k]);
    s += "\n";
  }
  s += fmt::format("    fcsr={:#x} (frm {}, fflags {:#x})\n", r.fcsr, r.fcsr >> 5, r.fcsr & 31);
  return s;
}

std::string Report(const Case& c, const std::string& listing, Side ref, Side got,
                   const std::string& differences) {
  std::string s = fmt::format("case {}: {} and {} disagree ({} vs {}):\n{}", c.name, ref.name,
                              got.name, ref.name, got.name, differences);
  s += listing;
  s += "initial state:\n" + DumpRegs(c.init);
  for (Side side : {ref, got}) {
    s += fmt::format("{}: stopped ({}) at {:#x}{}{}\n", side.name, StopName(side.outcome->stop),
                     side.outcome->pc, side.outcome->detail.empty() ? "" : ": ",
                     side.outcome->detail);
    s += DumpRegs(side.outcome->regs);
  }
  return s;
}

}  // namespace polyvm::diff
