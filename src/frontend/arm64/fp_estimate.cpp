// The Arm ARM's estimate pseudocode and FPCVTXN's round-to-odd (fp_estimate.h), transcribed:
// the comments name the pseudocode's steps.
#include "fp_estimate.h"

#include <array>

#include "polyvm/ir/opcode.h"

namespace polyvm::frontend::arm64 {
namespace {

constexpr uint64_t kFrac52 = (uint64_t{1} << 52) - 1;

// An operand as FPUnpack sees it, with the fraction widened to binary64's 52 bits.
struct Unpacked {
  uint64_t sign;
  int exp;            // the biased exponent field
  uint64_t fraction;  // 52 bits
  bool nan, snan, inf, zero;
};

Unpacked Unpack(uint64_t bits, bool dp) {
  Unpacked u{};
  uint64_t frac;
  int max_exp;
  if (dp) {
    u.sign = bits >> 63;
    u.exp = static_cast<int>((bits >> 52) & 0x7ff);
    frac = bits & kFrac52;
    u.fraction = frac;
    max_exp = 0x7ff;
  } else {
    u.sign = (bits >> 31) & 1;
    u.exp = static_cast<int>((bits >> 23) & 0xff);
    frac = bits & 0x7fffff;
    u.fraction = frac << 29;
    max_exp = 0xff;
  }
  u.nan = u.exp == max_exp && frac != 0;
  u.snan = u.nan && !(u.fraction >> 51 & 1);
  u.inf = u.exp == max_exp && frac == 0;
  u.zero = u.exp == 0 && frac == 0;
  return u;
}

// FPProcessNaN with DN = 0: the operand, quieted; a signalling one raises Invalid.
uint64_t ProcessNaN(uint64_t bits, bool dp, const Unpacked& u, uint32_t* flags) {
  if (u.snan) *flags |= ir::kFpInvalid;
  return bits | (dp ? uint64_t{1} << 51 : uint64_t{1} << 22);
}

uint64_t Pack(uint64_t sign, int exp, uint64_t fraction52, bool dp) {
  if (dp) return sign << 63 | (static_cast<uint64_t>(exp) & 0x7ff) << 52 | (fraction52 & kFrac52);
  return sign << 31 | (static_cast<uint64_t>(exp) & 0xff) << 23 | (fraction52 & kFrac52) >> 29;
}
uint64_t Infinity(uint64_t sign, bool dp) { return Pack(sign, dp ? 0x7ff : 0xff, 0, dp); }
uint64_t Zero(uint64_t sign, bool dp) { return Pack(sign, 0, 0, dp); }
uint64_t MaxNormal(uint64_t sign, bool dp) { return Pack(sign, dp ? 0x7fe : 0xfe, kFrac52, dp); }
uint64_t DefaultNaN(bool dp) { return dp ? 0x7ff8000000000000 : 0x7fc00000; }

// The estimate tables, computed once from the pseudocode's integer arithmetic.
struct Tables {
  std::array<uint16_t, 512> recip{}, rsqrt{};
  Tables() {
    for (unsigned a = 256; a < 512; ++a) {
      unsigned x = a * 2 + 1;  // round to nearest
      unsigned b = (1u << 19) / x;
      recip[a] = static_cast<uint16_t>((b + 1) / 2);  // round to nearest
    }
    for (unsigned a = 128; a < 512; ++a) {
      // 0.25 .. 0.5 in units of 1/512, or 0.5 .. 1.0 in units of 1/256 (bottom bit dropped),
      // rounded to nearest.
      uint64_t x = a < 256 ? a * 2 + 1 : (((a >> 1) << 1) + 1) * 2;
      uint64_t b = 512;
      while (x * (b + 1) * (b + 1) < (uint64_t{1} << 28)) ++b;
      rsqrt[a] = static_cast<uint16_t>((b + 1) / 2);
    }
  }
};
const Tables& EstimateTables() {
  static const Tables tables;
  return tables;
}

}  // namespace

unsigned RecipEstimate(unsigned a) { return EstimateTables().recip[a & 511]; }
unsigned RecipSqrtEstimate(unsigned a) { return EstimateTables().rsqrt[a & 511]; }

uint32_t UnsignedRecipEstimate(uint32_t operand) {
  if (!(operand >> 31)) return 0xffffffff;  // operands <= 0x7fffffff
  return (RecipEstimate(operand >> 23) & 0x1ff) << 23;
}

uint32_t UnsignedRSqrtEstimate(uint32_t operand) {
  if ((operand >> 30) == 0) return 0xffffffff;  // operands <= 0x3fffffff
  return (RecipSqrtEstimate(operand >> 23) & 0x1ff) << 23;
}

uint64_t FpRecipEstimate(uint64_t bits, bool dp, unsigned rmode, uint32_t* flags) {
  const Unpacked u = Unpack(bits, dp);
  if (u.nan) return ProcessNaN(bits, dp, u, flags);
  if (u.inf) return Zero(u.sign, dp);
  if (u.zero) {
    *flags |= ir::kFpDivByZero;
    return Infinity(u.sign, dp);
  }
  // Abs(value) < 2^-128 (single) or 2^-1024 (double): subnormals below 2^21 or 2^50 units.
  if (u.exp == 0 && (u.fraction >> (dp ? 0 : 29)) < (dp ? uint64_t{1} << 50 : uint64_t{1} << 21)) {
    bool overflow_to_inf = rmode == 0   ? true
                           : rmode == 1 ? u.sign == 0
                           : rmode == 2 ? u.sign == 1
                                        : false;
    *flags |= ir::kFpOverflow | ir::kFpInexact;
    return overflow_to_inf ? Infinity(u.sign, dp) : MaxNormal(u.sign, dp);
  }
  // Scale to 0.5 <= x < 1.0 in steps of 1/512, and compute the result exponent.
  uint64_t fraction = u.fraction;
  int exp = u.exp;
  if (exp == 0) {
    if (!(fraction >> 51 & 1)) {
      exp = -1;
      fraction = (fraction << 2) & kFrac52;
    } else {
      fraction = (fraction << 1) & kFrac52;
    }
  }
  const unsigned scaled = 256 | static_cast<unsigned>(fraction >> 44);
  int result_exp = (dp ? 2045 : 253) - exp;
  const unsigned estimate = RecipEstimate(scaled);
  fraction = static_cast<uint64_t>(estimate & 0xff) << 44;
  if (result_exp == 0) {
    fraction = uint64_t{1} << 51 | fraction >> 1;
  } else if (result_exp == -1) {
    fraction = uint64_t{1} << 50 | fraction >> 2;
    result_exp = 0;
  }
  return Pack(u.sign, result_exp, fraction, dp);
}

uint64_t FpRSqrtEstimate(uint64_t bits, bool dp, uint32_t* flags) {
  const Unpacked u = Unpack(bits, dp);
  if (u.nan) return ProcessNaN(bits, dp, u, flags);
  if (u.zero) {
    *flags |= ir::kFpDivByZero;
    return Infinity(u.sign, dp);
  }
  if (u.sign) {
    *flags |= ir::kFpInvalid;
    return DefaultNaN(dp);
  }
  if (u.inf) return Zero(0, dp);
  // Scale to 0.25 <= x < 1.0 in steps of 1/512 keeping the exponent's parity.
  uint64_t fraction = u.fraction;
  int exp = u.exp;
  if (exp == 0) {
    while (!(fraction >> 51 & 1)) {
      fraction = (fraction << 1) & kFrac52;
      --exp;
    }
    fraction = (fraction << 1) & kFrac52;
  }
  // An even exponent scales to 0.5 .. 1.0 ('1':fraction), an odd one to 0.25 .. 0.5 ('01':...).
  const unsigned scaled = (exp & 1) == 0 ? 256 | static_cast<unsigned>(fraction >> 44)
                                         : 128 | static_cast<unsigned>(fraction >> 45);
  const int result_exp = ((dp ? 3068 : 380) - exp) / 2;  // positive: / is the pseudocode's DIV
  const unsigned estimate = RecipSqrtEstimate(scaled);
  return Pack(0, result_exp, static_cast<uint64_t>(estimate & 0xff) << 44, dp);
}

uint32_t FpConvertToOdd(uint64_t bits, uint32_t* flags) {
  const Unpacked u = Unpack(bits, true);
  const uint32_t sign = static_cast<uint32_t>(u.sign) << 31;
  if (u.nan) {  // FPConvertNaN: the quieted payload's top bits
    if (u.snan) *flags |= ir::kFpInvalid;
    return sign | 0x7fc00000 | static_cast<uint32_t>((u.fraction >> 29) & 0x3fffff);
  }
  if (u.inf) return sign | 0x7f800000;
  if (u.zero) return sign;
  // value = mant * 2^e, then the exponent E of its leading bit.
  const uint64_t mant = u.exp == 0 ? u.fraction : u.fraction | uint64_t{1} << 52;
  const int e = (u.exp == 0 ? 1 : u.exp) - 1075;
  int top = 63;
  while (!(mant >> top & 1)) --top;
  const int big_e = e + top;
  if (big_e > 127) {  // FPRound: overflow; round-to-odd never rounds to infinity
    *flags |= ir::kFpOverflow | ir::kFpInexact;
    return sign | 0x7f7fffff;
  }
  // The weight of the result's last bit: 2^(E-23) for normals, 2^-149 for subnormals.
  const bool tiny = big_e < -126;
  const int lsb = tiny ? -149 : big_e - 23;
  const int shift = lsb - e;  // >= 0: a binary64 has more bits than any binary32 result
  uint64_t kept = shift >= 64 ? 0 : mant >> shift;
  const bool inexact = shift >= 64 ? mant != 0 : (mant & ((uint64_t{1} << shift) - 1)) != 0;
  if (inexact) {
    kept |= 1;  // round to odd: never carries, so the exponent stays
    *flags |= ir::kFpInexact;
    if (tiny) *flags |= ir::kFpUnderflow;
  }
  if (tiny) return sign | static_cast<uint32_t>(kept);
  return sign | static_cast<uint32_t>(big_e + 127) << 23 | static_cast<uint32_t>(kept & 0x7fffff);
}

}  // namespace polyvm::frontend::arm64
