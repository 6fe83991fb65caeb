// Interesting operand values for the generator and the hand-picked edge cases: integer edges, and
// IEEE 754 binary32/binary64 bit patterns of every class (zeros, subnormals, normals near the
// integer-conversion limits, infinities, quiet and signalling NaNs).
#pragma once

#include <cstdint>
#include <random>

namespace polyvm::diff {

using Rng = std::mt19937_64;

// NaN boxing (unprivileged spec 20191213, 12.2): a binary32 value in a 64-bit FP register has the
// upper 32 bits all ones.
constexpr uint64_t Box(uint32_t s) { return 0xffffffff00000000ull | s; }

namespace f32 {
inline constexpr uint32_t kPosZero = 0x00000000, kNegZero = 0x80000000, kOne = 0x3f800000,
                          kNegOne = 0xbf800000, kInf = 0x7f800000, kNegInf = 0xff800000,
                          kQNaN = 0x7fc00000, kSNaN = 0x7f800001, kMinSub = 0x00000001,
                          kMaxSub = 0x007fffff, kMinNorm = 0x00800000, kMax = 0x7f7fffff,
                          kTwo31 = 0x4f000000, kTwo32 = 0x4f800000, kTwo63 = 0x5f000000,
                          kTwo64 = 0x5f800000, kHalf = 0x3f000000;
}
namespace f64 {
inline constexpr uint64_t kPosZero = 0, kNegZero = 0x8000000000000000, kOne = 0x3ff0000000000000,
                          kNegOne = 0xbff0000000000000, kInf = 0x7ff0000000000000,
                          kNegInf = 0xfff0000000000000, kQNaN = 0x7ff8000000000000,
                          kSNaN = 0x7ff0000000000001, kMinSub = 1, kMaxSub = 0x000fffffffffffff,
                          kMinNorm = 0x0010000000000000, kMax = 0x7fefffffffffffff,
                          kTwo31 = 0x41e0000000000000, kTwo32 = 0x41f0000000000000,
                          kTwo63 = 0x43e0000000000000, kTwo64 = 0x43f0000000000000,
                          kHalf = 0x3fe0000000000000;
}

// A 64-bit integer biased toward edges (0, +-1, INT_MIN/MAX of 8..64 bits, 0x80000000, powers of
// two and their neighbours, small ints).
uint64_t RandInt(Rng& rng);
// A binary64 / binary32 bit pattern biased toward special classes and conversion limits.
uint64_t RandF64(Rng& rng);
uint32_t RandF32(Rng& rng);
// An FP register value: a boxed binary32, a binary64, or (rarely) an improperly boxed binary32.
uint64_t RandFReg(Rng& rng);

inline uint64_t Uniform(Rng& rng, uint64_t lo, uint64_t hi) {  // [lo, hi]
  return std::uniform_int_distribution<uint64_t>(lo, hi)(rng);
}
inline bool Chance(Rng& rng, double p) { return std::bernoulli_distribution(p)(rng); }

}  // namespace polyvm::diff
