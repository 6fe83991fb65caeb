// Edge-biased value distributions (see values.h).
#include "values.h"

#include <array>
#include <bit>

namespace polyvm::diff {
namespace {

template <typename T, size_t N>
T Pick(Rng& rng, const std::array<T, N>& a) {
  return a[Uniform(rng, 0, N - 1)];
}

constexpr std::array<uint64_t, 26> kIntEdges = {
    0,
    1,
    ~0ull,
    2,
    0x8000000000000000,
    0x7fffffffffffffff,
    0x8000000000000001,
    0x7ffffffffffffffe,
    0x80000000,
    0x7fffffff,
    0xffffffff,
    0xffffffff80000000,
    0xffffffff7fffffff,
    0x100000000,
    0x8000,
    0x7fff,
    0xffff,
    0xffffffffffff8000,
    0x80,
    0x7f,
    0xff,
    0xffffffffffffff80,
    63,
    64,
    31,
    32,
};

// Doubles near the limits of the integer conversions and the rounding boundaries.
constexpr std::array<double, 22> kF64Numbers = {
    0.5,
    1.5,
    2.5,
    -0.5,
    -1.5,
    0.49999999999999994,
    2147483647.0,
    2147483647.5,
    2147483648.0,
    -2147483648.0,
    -2147483648.5,
    -2147483649.0,
    4294967295.0,
    4294967295.5,
    4294967296.0,
    -1.0e-300,
    9007199254740993.0,
    9223372036854774784.0,
    -9223372036854775808.0,
    18446744073709549568.0,
    1.0e300,
    3.0,
};
constexpr std::array<float, 16> kF32Numbers = {
    0.5f,
    1.5f,
    2.5f,
    -0.5f,
    -1.5f,
    0.49999997f,
    2147483520.0f,
    -2147483648.0f,
    4294967040.0f,
    9223371487098961920.0f,
    -9223372036854775808.0f,
    18446742974197923840.0f,
    16777217.0f,
    1.0e30f,
    -1.0e-30f,
    3.0f,
};

constexpr std::array<uint64_t, 16> kF64Specials = {
    f64::kPosZero,      f64::kNegZero,      f64::kOne,          f64::kNegOne,
    f64::kInf,          f64::kNegInf,       f64::kQNaN,         f64::kSNaN,
    f64::kMinSub,       f64::kMaxSub,       f64::kMinNorm,      f64::kMax,
    0xfff8000000000000, 0x7ff4000000000000, 0x7ffc000000000123, 0x8000000000000001,
};
constexpr std::array<uint32_t, 16> kF32Specials = {
    f32::kPosZero, f32::kNegZero, f32::kOne,    f32::kNegOne, f32::kInf,     f32::kNegInf,
    f32::kQNaN,    f32::kSNaN,    f32::kMinSub, f32::kMaxSub, f32::kMinNorm, f32::kMax,
    0xffc00000,    0x7fa00000,    0x7fc00123,   0x80000001,
};

}  // namespace

uint64_t RandInt(Rng& rng) {
  switch (Uniform(rng, 0, 9)) {
    case 0:
    case 1: return Pick(rng, kIntEdges);
    case 2: return static_cast<uint64_t>(static_cast<int64_t>(Uniform(rng, 0, 32)) - 16);
    case 3: {  // +-2^k, 2^k - 1
      uint64_t p = uint64_t{1} << Uniform(rng, 0, 63);
      switch (Uniform(rng, 0, 2)) {
        case 0: return p;
        case 1: return p - 1;
        default: return 0 - p;
      }
    }
    case 4:
    case 5:  // a 32-bit value, sign-extended
      return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(rng())));
    case 6: return rng() & 0xffffffff;
    default: return rng();
  }
}

uint64_t RandF64(Rng& rng) {
  switch (Uniform(rng, 0, 9)) {
    case 0:
    case 1:
    case 2: return Pick(rng, kF64Specials);
    case 3: {
      double d = Pick(rng, kF64Numbers);
      return std::bit_cast<uint64_t>(Chance(rng, 0.2) ? -d : d);
    }
    case 4: {  // a small integer
      auto v = static_cast<double>(static_cast<int64_t>(Uniform(rng, 0, 200)) - 100);
      return std::bit_cast<uint64_t>(v);
    }
    case 5: {  // exponent near 1: arithmetic results stay in range
      uint64_t exp = Uniform(rng, 1023 - 40, 1023 + 40);
      return (rng() & 0x800fffffffffffff) | exp << 52;
    }
    case 6: {  // near the subnormal range
      uint64_t exp = Uniform(rng, 0, 3);
      return (rng() & 0x800fffffffffffff) | exp << 52;
    }
    case 7: {  // a NaN with a random payload
      uint64_t v = (rng() & 0x800fffffffffffff) | 0x7ff0000000000000;
      return (v & 0x000fffffffffffff) == 0 ? v | 1 : v;
    }
    default: return rng();
  }
}

uint32_t RandF32(Rng& rng) {
  switch (Uniform(rng, 0, 9)) {
    case 0:
    case 1:
    case 2: return Pick(rng, kF32Specials);
    case 3: {
      float f = Pick(rng, kF32Numbers);
      return std::bit_cast<uint32_t>(Chance(rng, 0.2) ? -f : f);
    }
    case 4: {
      auto v = static_cast<float>(static_cast<int64_t>(Uniform(rng, 0, 200)) - 100);
      return std::bit_cast<uint32_t>(v);
    }
    case 5: {
      auto exp = static_cast<uint32_t>(Uniform(rng, 127 - 20, 127 + 20));
      return (static_cast<uint32_t>(rng()) & 0x807fffff) | exp << 23;
    }
    case 6: {
      auto exp = static_cast<uint32_t>(Uniform(rng, 0, 3));
      return (static_cast<uint32_t>(rng()) & 0x807fffff) | exp << 23;
    }
    case 7: {
      uint32_t v = (static_cast<uint32_t>(rng()) & 0x807fffff) | 0x7f800000;
      return (v & 0x007fffff) == 0 ? v | 1 : v;
    }
    default: return static_cast<uint32_t>(rng());
  }
}

uint64_t RandFReg(Rng& rng) {
  unsigned k = static_cast<unsigned>(Uniform(rng, 0, 99));
  if (k < 46) return Box(RandF32(rng));
  if (k < 92) return RandF64(rng);
  // NaN-boxing violations: upper half zero, random, or all ones but one bit.
  uint32_t s = RandF32(rng);
  switch (Uniform(rng, 0, 2)) {
    case 0: return s;
    case 1: return (rng() & 0xffffffff00000000) | s;
    default: return Box(s) & ~(uint64_t{1} << Uniform(rng, 32, 63));
  }
}

}  // namespace polyvm::diff
