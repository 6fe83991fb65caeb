// Runs one FP semantics case through every way an engine can reach it: the op's static rounding
// mode under two different dynamic modes (MXCSR switched, or matching), and the dynamic mode
// itself; checks the result bits and the exact flag set each time.
#pragma once

#include <string>

#include "fp_test_util.h"

namespace polyvm::ir::sem::testing {

// op(aux_rm, dyn) runs the op with FpMode rounding `aux_rm` (static or kDynamic) and dynamic
// mode `dyn`; `aux_of(rm)` builds the rest of the FpMode around a rounding mode.
template <class R, class Op, class AuxOf>
void CheckAllPaths(const std::string& what, RoundingMode rm, bool x86_flags, R want,
                   uint32_t want_flags, AuxOf aux_of, Op op) {
  auto check = [&](const char* path, R got, uint32_t flags) {
    EXPECT_EQ(Hex(got), Hex(want)) << what << " [" << path << "]";
    EXPECT_EQ(x86_flags ? flags : NoDE(flags), want_flags) << what << " [" << path << "] flags";
  };
  for (RoundingMode dyn : {kRNE, kRTZ, kRMM}) {
    uint32_t flags;
    R got = Guest(dyn, &flags, [&] { return op(aux_of(rm), dyn); });
    check(dyn == kRNE   ? "static, dyn RNE"
          : dyn == kRTZ ? "static, dyn RTZ"
                        : "static, dyn RMM",
          got, flags);
  }
  uint32_t flags;
  R got = Guest(rm, &flags, [&] { return op(aux_of(kDYN), rm); });
  check("dynamic", got, flags);
}

}  // namespace polyvm::ir::sem::testing
