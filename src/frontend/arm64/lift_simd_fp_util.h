// Pieces of the AdvSIMD FP lift functions shared by lift_simd_fp.cpp and lift_simd_fp_est.cpp:
// the lane size of the FP rows, the sign bits of a vector of such lanes, the unused-lane rule and
// the result write of vector and scalar forms.
#pragma once

#include "lift_simd_util.h"

namespace polyvm::frontend::arm64 {

// Lane size of the FP rows: 2 (single) or 3 (double) by sz (bit 22).
uint8_t FpLane(const Insn& i);
// The sign bit of every lane of `lane` size (2 or 3), in each 64-bit half.
uint64_t SignMask(uint8_t lane);
// The lanes an instruction does not use (the upper half for Q = 0, all but lane 0 for the scalar
// forms) still take part in the 128-bit VF* ops, so they are set to 1.0, with which no op raises
// an FP exception flag (1/1, sqrt 1, 1*1+1, conversions of 1.0 or of its bit pattern are exact).
ir::Value Active(LiftContext& c, const Insn& i, ir::Value v);
// Writes an FP result: vector by Q, or the scalar lane 0 (the rest zeroed).
void SetFpResult(LiftContext& c, const Insn& i, ir::Value v);

}  // namespace polyvm::frontend::arm64
