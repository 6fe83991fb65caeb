// Reference semantics of the integer IR ops, as inline templates over unsigned C++ types
// (uint8_t .. uint64_t, and U128 for i128). The interpreter instantiates them per type, the
// constant folder evaluates them, and JIT slow paths call them, so every engine agrees by
// construction. Values travel zero-extended; signedness is the op's business.
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

namespace polyvm::ir::sem {

using U128 = unsigned __int128;
using S128 = __int128;

template <class U>
concept UnsignedInt = std::is_same_v<U, uint8_t> || std::is_same_v<U, uint16_t> ||
                      std::is_same_v<U, uint32_t> || std::is_same_v<U, uint64_t> ||
                      std::is_same_v<U, U128>;

template <UnsignedInt U>
inline constexpr unsigned kBits = sizeof(U) * 8;

// Selected lazily: in strict C++20 mode (no GNU extensions) std::make_signed rejects U128, and
// conditional_t would instantiate it even when U is U128.
namespace detail {
template <class U>
struct SignedImpl {
  using type = std::make_signed_t<U>;
};
template <>
struct SignedImpl<U128> {
  using type = S128;
};
}  // namespace detail
template <UnsignedInt U>
using Signed = typename detail::SignedImpl<U>::type;

// The unsigned type twice as wide (for high-half products); U128 for uint64_t.
template <UnsignedInt U>
using Wider = std::conditional_t<
    sizeof(U) == 1, uint16_t,
    std::conditional_t<sizeof(U) == 2, uint32_t, std::conditional_t<sizeof(U) == 4, uint64_t, U128>>>;

template <UnsignedInt U>
constexpr U kMinSigned = U{1} << (kBits<U> - 1);

template <UnsignedInt U>
constexpr bool Negative(U a) {
  return (a >> (kBits<U> - 1)) != 0;
}

// ---- arithmetic ----

template <UnsignedInt U>
constexpr U Add(U a, U b) { return static_cast<U>(a + b); }
template <UnsignedInt U>
constexpr U Sub(U a, U b) { return static_cast<U>(a - b); }
template <UnsignedInt U>
constexpr U Mul(U a, U b) {
  // Promote narrow types to unsigned int so the multiplication cannot overflow a signed int.
  using P = std::conditional_t<(sizeof(U) < sizeof(unsigned)), unsigned, U>;
  return static_cast<U>(static_cast<P>(a) * static_cast<P>(b));
}
template <UnsignedInt U>
constexpr U Neg(U a) { return static_cast<U>(U{0} - a); }

namespace detail {
// 128x128 -> high 128 bits, unsigned.
constexpr U128 MulHiU128(U128 a, U128 b) {
  uint64_t a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
  uint64_t b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
  U128 p00 = U128{a0} * b0, p01 = U128{a0} * b1, p10 = U128{a1} * b0, p11 = U128{a1} * b1;
  U128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  return p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}
}  // namespace detail

template <UnsignedInt U>
constexpr U MulHiU(U a, U b) {
  if constexpr (std::is_same_v<U, U128>) {
    return detail::MulHiU128(a, b);
  } else {
    return static_cast<U>((static_cast<Wider<U>>(a) * static_cast<Wider<U>>(b)) >> kBits<U>);
  }
}

// High half of signed a * signed b: the unsigned high half corrected for negative operands.
template <UnsignedInt U>
constexpr U MulHiS(U a, U b) {
  U hi = MulHiU(a, b);
  if (Negative(a)) hi = static_cast<U>(hi - b);
  if (Negative(b)) hi = static_cast<U>(hi - a);
  return hi;
}

// High half of signed a * unsigned b.
template <UnsignedInt U>
constexpr U MulHiSU(U a, U b) {
  U hi = MulHiU(a, b);
  if (Negative(a)) hi = static_cast<U>(hi - b);
  return hi;
}

template <UnsignedInt U>
constexpr U DivU(U a, U b) { return b == 0 ? static_cast<U>(~U{0}) : static_cast<U>(a / b); }
template <UnsignedInt U>
constexpr U RemU(U a, U b) { return b == 0 ? a : static_cast<U>(a % b); }

template <UnsignedInt U>
constexpr U DivS(U a, U b) {
  if (b == 0) return static_cast<U>(~U{0});
  if (a == kMinSigned<U> && b == static_cast<U>(~U{0})) return a;
  using S = Signed<U>;
  return static_cast<U>(static_cast<S>(a) / static_cast<S>(b));
}
template <UnsignedInt U>
constexpr U RemS(U a, U b) {
  if (b == 0) return a;
  if (a == kMinSigned<U> && b == static_cast<U>(~U{0})) return 0;
  using S = Signed<U>;
  return static_cast<U>(static_cast<S>(a) % static_cast<S>(b));
}

// ---- shifts and rotates: the count is taken modulo the width ----

template <UnsignedInt U>
constexpr unsigned ShiftCount(uint64_t count) { return static_cast<unsigned>(count % kBits<U>); }

template <UnsignedInt U>
constexpr U Shl(U a, uint64_t n) { return static_cast<U>(a << ShiftCount<U>(n)); }
template <UnsignedInt U>
constexpr U LShr(U a, uint64_t n) { return static_cast<U>(a >> ShiftCount<U>(n)); }
template <UnsignedInt U>
constexpr U AShr(U a, uint64_t n) {
  unsigned s = ShiftCount<U>(n);
  U r = static_cast<U>(a >> s);
  if (Negative(a) && s != 0) r = static_cast<U>(r | ~(static_cast<U>(~U{0}) >> s));
  return r;
}
template <UnsignedInt U>
constexpr U Rotl(U a, uint64_t n) {
  unsigned s = ShiftCount<U>(n);
  return s == 0 ? a : static_cast<U>((a << s) | (a >> (kBits<U> - s)));
}
template <UnsignedInt U>
constexpr U Rotr(U a, uint64_t n) {
  unsigned s = ShiftCount<U>(n);
  return s == 0 ? a : static_cast<U>((a >> s) | (a << (kBits<U> - s)));
}

// ---- bit counting and permutation ----

template <UnsignedInt U>
constexpr U Clz(U a) {
  if constexpr (std::is_same_v<U, U128>) {
    auto hi = static_cast<uint64_t>(a >> 64);
    return hi != 0 ? std::countl_zero(hi) : 64 + std::countl_zero(static_cast<uint64_t>(a));
  } else {
    return static_cast<U>(std::countl_zero(a));
  }
}
template <UnsignedInt U>
constexpr U Ctz(U a) {
  if constexpr (std::is_same_v<U, U128>) {
    auto lo = static_cast<uint64_t>(a);
    return lo != 0 ? std::countr_zero(lo) : 64 + std::countr_zero(static_cast<uint64_t>(a >> 64));
  } else {
    return static_cast<U>(std::countr_zero(a));
  }
}
template <UnsignedInt U>
constexpr U Popcount(U a) {
  if constexpr (std::is_same_v<U, U128>) {
    return std::popcount(static_cast<uint64_t>(a)) + std::popcount(static_cast<uint64_t>(a >> 64));
  } else {
    return static_cast<U>(std::popcount(a));
  }
}
template <UnsignedInt U>
constexpr U Bswap(U a) {
  U r = 0;
  for (unsigned i = 0; i < sizeof(U); ++i) r = static_cast<U>((r << 8) | ((a >> (8 * i)) & 0xff));
  return r;
}
template <UnsignedInt U>
constexpr U BitReverse(U a) {
  U r = 0;
  for (unsigned i = 0; i < kBits<U>; ++i) r = static_cast<U>((r << 1) | ((a >> i) & 1));
  return r;
}

// ---- comparisons ----

template <UnsignedInt U>
constexpr bool LtS(U a, U b) { return static_cast<Signed<U>>(a) < static_cast<Signed<U>>(b); }
template <UnsignedInt U>
constexpr bool LeS(U a, U b) { return static_cast<Signed<U>>(a) <= static_cast<Signed<U>>(b); }

// ---- flags (NZCV, EFLAGS) ----

template <UnsignedInt U>
constexpr bool AddCarry(U a, U b) { return static_cast<U>(a + b) < a; }
template <UnsignedInt U>
constexpr bool AddOverflow(U a, U b) {
  U r = static_cast<U>(a + b);
  return Negative(static_cast<U>((a ^ r) & (b ^ r)));
}
template <UnsignedInt U>
constexpr bool SubBorrow(U a, U b) { return a < b; }
template <UnsignedInt U>
constexpr bool SubOverflow(U a, U b) {
  U r = static_cast<U>(a - b);
  return Negative(static_cast<U>((a ^ b) & (a ^ r)));
}
template <UnsignedInt U>
constexpr U Adc(U a, U b, bool c) { return static_cast<U>(a + b + U{c}); }
template <UnsignedInt U>
constexpr bool AdcCarry(U a, U b, bool c) {
  U s = static_cast<U>(a + b);
  return s < a || (c && static_cast<U>(s + 1) == 0);
}
template <UnsignedInt U>
constexpr bool AdcOverflow(U a, U b, bool c) {
  U r = Adc(a, b, c);
  return Negative(static_cast<U>((a ^ r) & (b ^ r)));
}
template <UnsignedInt U>
constexpr U Sbb(U a, U b, bool c) { return static_cast<U>(a - b - U{c}); }
template <UnsignedInt U>
constexpr bool SbbBorrow(U a, U b, bool c) { return a < b || (c && a == b); }
template <UnsignedInt U>
constexpr bool SbbOverflow(U a, U b, bool c) {
  U r = Sbb(a, b, c);
  return Negative(static_cast<U>((a ^ b) & (a ^ r)));
}
template <UnsignedInt U>
constexpr bool Parity(U a) { return (std::popcount(static_cast<uint8_t>(a)) & 1) == 0; }

// ---- width changes on zero-extended 64-bit carriers ----

// Sign-extends the low `bits` bits of v to 64 bits.
constexpr uint64_t SignExtend(uint64_t v, unsigned bits) {
  if (bits >= 64) return v;
  uint64_t m = uint64_t{1} << (bits - 1);
  v &= (m << 1) - 1;
  return (v ^ m) - m;
}

}  // namespace polyvm::ir::sem
