// Bit-level view of binary32/binary64 values. The FP semantics classify and build values only
// through these integer helpers, never through C++ FP operators: a C++ comparison or arithmetic
// on a float compiles to a host FP instruction that may raise flags the guest must not see.
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

namespace polyvm::ir::sem {

using U128 = unsigned __int128;

// RoundingMode values as plain numbers, the form the rounding code works with.
inline constexpr uint32_t kRne = 0, kRtz = 1, kRdn = 2, kRup = 3, kRmm = 4;

template <class F>
struct FpTraits;

template <>
struct FpTraits<float> {
  using Bits = uint32_t;
  static constexpr int kMantBits = 23;  // stored fraction bits
  static constexpr int kBias = 127;
  static constexpr Bits kSign = 0x80000000u;
  static constexpr Bits kInf = 0x7F800000u;
  static constexpr Bits kQuiet = 0x00400000u;
  static constexpr Bits kMantMask = 0x007FFFFFu;
  static constexpr Bits kMinNormal = 0x00800000u;
  static constexpr Bits kMaxFinite = 0x7F7FFFFFu;
  static constexpr Bits kCanonicalNaN = 0x7FC00000u;
  static constexpr Bits kX86DefaultNaN = 0xFFC00000u;
};

template <>
struct FpTraits<double> {
  using Bits = uint64_t;
  static constexpr int kMantBits = 52;
  static constexpr int kBias = 1023;
  static constexpr Bits kSign = 0x8000000000000000u;
  static constexpr Bits kInf = 0x7FF0000000000000u;
  static constexpr Bits kQuiet = 0x0008000000000000u;
  static constexpr Bits kMantMask = 0x000FFFFFFFFFFFFFu;
  static constexpr Bits kMinNormal = 0x0010000000000000u;
  static constexpr Bits kMaxFinite = 0x7FEFFFFFFFFFFFFFu;
  static constexpr Bits kCanonicalNaN = 0x7FF8000000000000u;
  static constexpr Bits kX86DefaultNaN = 0xFFF8000000000000u;
};

template <class F>
using BitsOf = typename FpTraits<F>::Bits;

template <class F>
constexpr int kPrecision = FpTraits<F>::kMantBits + 1;  // significand bits, hidden bit included
template <class F>
constexpr int kEmin = 1 - FpTraits<F>::kBias;  // exponent of the smallest normal
template <class F>
constexpr int kEmax = FpTraits<F>::kBias;

template <class F>
inline BitsOf<F> ToBits(F v) {
  return std::bit_cast<BitsOf<F>>(v);
}
template <class F>
inline F FromBits(BitsOf<F> b) {
  return std::bit_cast<F>(b);
}

template <class F>
constexpr BitsOf<F> Abs(BitsOf<F> b) {
  return b & ~FpTraits<F>::kSign;
}
template <class F>
constexpr bool SignOf(BitsOf<F> b) {
  return (b & FpTraits<F>::kSign) != 0;
}
template <class F>
constexpr bool IsNaN(BitsOf<F> b) {
  return Abs<F>(b) > FpTraits<F>::kInf;
}
template <class F>
constexpr bool IsSNaN(BitsOf<F> b) {
  return IsNaN<F>(b) && (b & FpTraits<F>::kQuiet) == 0;
}
template <class F>
constexpr bool IsQNaN(BitsOf<F> b) {
  return IsNaN<F>(b) && (b & FpTraits<F>::kQuiet) != 0;
}
template <class F>
constexpr bool IsInf(BitsOf<F> b) {
  return Abs<F>(b) == FpTraits<F>::kInf;
}
template <class F>
constexpr bool IsZero(BitsOf<F> b) {
  return Abs<F>(b) == 0;
}
template <class F>
constexpr bool IsSubnormal(BitsOf<F> b) {
  return Abs<F>(b) != 0 && Abs<F>(b) < FpTraits<F>::kMinNormal;
}
template <class F>
constexpr BitsOf<F> Quiet(BitsOf<F> b) {
  return b | FpTraits<F>::kQuiet;
}

// A total order on non-NaN values as signed integers, with -0 below +0.
template <class F>
constexpr std::make_signed_t<BitsOf<F>> OrderKey(BitsOf<F> b) {
  using S = std::make_signed_t<BitsOf<F>>;
  S k = static_cast<S>(b);
  return k < 0 ? static_cast<S>(k ^ static_cast<S>(~FpTraits<F>::kSign)) : k;
}

}  // namespace polyvm::ir::sem
