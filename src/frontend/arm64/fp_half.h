// Conversions between binary16 (IEEE half precision, FPCR.AHP = 0) and binary32/binary64 as the
// Arm ARM's FPConvert does them for FCVT, FCVTN and FCVTL (base ARMv8, no FEAT_FP16 needed):
// rounding by FPCR.RMode with FPRound's before-rounding tininess, FPConvertNaN's payloads, and
// the exceptions returned as ir::FpFlags bits. The IR has no f16 type, so the lifters call these
// through a CallHelper.
#pragma once

#include <cstdint>

namespace polyvm::frontend::arm64 {

// `bits` a binary32 (dp false) or binary64; rmode FPCR.RMode (0 RN, 1 RP, 2 RM, 3 RZ).
uint16_t FpToHalf(uint64_t bits, bool dp, unsigned rmode, uint32_t* flags);
// Exact except for signalling NaNs (quieted, Invalid).
uint64_t FpFromHalf(uint16_t half, bool dp, uint32_t* flags);

}  // namespace polyvm::frontend::arm64
