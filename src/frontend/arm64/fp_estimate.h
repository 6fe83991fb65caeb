// The Arm ARM's estimate and odd-rounding functions (DDI 0487, shared pseudocode
// RecipEstimate, RecipSqrtEstimate, UnsignedRecipEstimate, UnsignedRSqrtEstimate, FPRecipEstimate,
// FPRSqrtEstimate, FPRoundCV with FPRounding_ODD) for FRECPE, FRSQRTE, URECPE, URSQRTE and
// FCVTXN, written from the pseudocode as plain functions of bits, for Armv8.0 (no FEAT_RPRES) with
// FPCR.FZ = DN = AH = 0 (polyvm refuses those settings, arm64.md). FP exceptions are returned as
// ir::FpFlags bits for the caller to raise.
#pragma once

#include <cstdint>

namespace polyvm::frontend::arm64 {

// 9-bit estimates: a in [256, 512) gives 256..511 (reciprocal); a in [128, 512) likewise (1/sqrt).
unsigned RecipEstimate(unsigned a);
unsigned RecipSqrtEstimate(unsigned a);

uint32_t UnsignedRecipEstimate(uint32_t operand);
uint32_t UnsignedRSqrtEstimate(uint32_t operand);

// `bits` is a binary32 (double_precision false) or binary64; `rmode` FPCR.RMode (0 RN, 1 RP,
// 2 RM, 3 RZ), which only FPRecipEstimate's overflow case reads.
uint64_t FpRecipEstimate(uint64_t bits, bool double_precision, unsigned rmode, uint32_t* flags);
uint64_t FpRSqrtEstimate(uint64_t bits, bool double_precision, uint32_t* flags);

// binary64 -> binary32 rounded to odd (FCVTXN).
uint32_t FpConvertToOdd(uint64_t bits, uint32_t* flags);

}  // namespace polyvm::frontend::arm64
