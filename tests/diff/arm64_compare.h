// Comparing two outcomes of one AArch64 case (Unicorn's and polyvm's) for the differential tests.
#pragma once

#include <string>

#include "arm64_case.h"

namespace polyvm::diff {

// The differences between two outcomes, one line each (empty when they agree): stop, the pc of a
// clean end, X registers, SP, NZCV, V registers, FPCR, FPSR, TPIDR_EL0 and the data page.
std::string A64Differences(const A64Case& c, const A64Outcome& want, const A64Outcome& got);

}  // namespace polyvm::diff
