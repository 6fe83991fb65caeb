// Comparison of two outcomes of a case, and the failure report: the disassembly and IR of the case,
// its initial state, and both results with the differences marked.
#pragma once

#include <string>

#include "case.h"

namespace polyvm::diff {

// Empty if the outcomes agree: same stop kind and pc, x1-x31, f0-f31 bit for bit, fcsr, and the
// data page byte for byte. Otherwise one line per difference.
std::string Compare(const Outcome& ref, const Outcome& got);

std::string DumpRegs(const RvRegs& r);

struct Side {
  const char* name;
  const Outcome* outcome;
};

std::string Report(const Case& c, const std::string& listing, Side ref, Side got,
                   const std::string& differences);

}  // namespace polyvm::diff
