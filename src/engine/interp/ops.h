// The op functions handlers call, one per op name so the handler list can name them uniformly.
// Each forwards to the reference semantics in ir/semantics; only ops whose meaning is a single C++
// operator (And, CmpEq, ...) or a plain bit move (FNeg, Concat) are written here.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "polyvm/ir/semantics/int.h"
#include "polyvm/ir/semantics/v128.h"

namespace polyvm::engine::interp::ops {

using ir::sem::U128;
using ir::sem::V128;

// ---- raw access to state, slots and guest memory (any alignment, host byte order) ----

template <class T>
inline T Ld(const void* p) {
  T v;
  __builtin_memcpy(&v, p, sizeof(T));
  return v;
}
template <class T>
inline void St(void* p, T v) {
  __builtin_memcpy(p, &v, sizeof(T));
}
// Slot write: values narrower than 64 bits are stored zero-extended to 64 bits, so a slot can be
// read at any width up to 64 (lowering relies on this to make ZExt free).
template <class T>
inline void StSlot(void* p, T v) {
  if constexpr (sizeof(T) >= 8) {
    St(p, v);
  } else {
    uint64_t w = 0;
    __builtin_memcpy(&w, &v, sizeof(T));
    St(p, w);
  }
}

// ---- integer ----
#define PV_SEM2(name) \
  template <class U>  \
  inline U name(U a, U b) { return ir::sem::name<U>(a, b); }
#define PV_SEM1(name) \
  template <class U>  \
  inline U name(U a) { return ir::sem::name<U>(a); }
#define PV_SEMB2(name) \
  template <class U>   \
  inline bool name(U a, U b) { return ir::sem::name<U>(a, b); }
#define PV_SEM3(name) \
  template <class U>  \
  inline U name(U a, U b, bool c) { return ir::sem::name<U>(a, b, c); }
#define PV_SEMB3(name) \
  template <class U>   \
  inline bool name(U a, U b, bool c) { return ir::sem::name<U>(a, b, c); }
#define PV_SHIFT(name) \
  template <class U>   \
  inline U name(U a, U n) { return ir::sem::name<U>(a, static_cast<uint64_t>(n)); }

PV_SEM2(Add)
PV_SEM2(Sub)
PV_SEM2(Mul)
PV_SEM2(MulHiS)
PV_SEM2(MulHiU)
PV_SEM2(MulHiSU)
PV_SEM2(DivS)
PV_SEM2(DivU)
PV_SEM2(RemS)
PV_SEM2(RemU)
PV_SEM1(Neg)
PV_SEM1(Clz)
PV_SEM1(Ctz)
PV_SEM1(Popcount)
PV_SEM1(Bswap)
PV_SEM1(BitReverse)
// The count is converted to the shifted type by lowering; truncation keeps it modulo the width
// because every width is a power of two.
PV_SHIFT(Shl)
PV_SHIFT(LShr)
PV_SHIFT(AShr)
PV_SHIFT(Rotl)
PV_SHIFT(Rotr)
PV_SEMB2(AddCarry)
PV_SEMB2(AddOverflow)
PV_SEMB2(SubBorrow)
PV_SEMB2(SubOverflow)
PV_SEM3(Adc)
PV_SEM3(Sbb)
PV_SEMB3(AdcCarry)
PV_SEMB3(AdcOverflow)
PV_SEMB3(SbbBorrow)
PV_SEMB3(SbbOverflow)
#undef PV_SEM2
#undef PV_SEM1
#undef PV_SEMB2
#undef PV_SEM3
#undef PV_SEMB3
#undef PV_SHIFT

template <class U>
inline bool Parity(U a) {
  return ir::sem::Parity<U>(a);
}

template <class U>
inline U And(U a, U b) { return static_cast<U>(a & b); }
template <class U>
inline U Or(U a, U b) { return static_cast<U>(a | b); }
template <class U>
inline U Xor(U a, U b) { return static_cast<U>(a ^ b); }
template <class U>
inline U Not(U a) { return static_cast<U>(~a); }
template <>
inline V128 And(V128 a, V128 b) { return {a.lo & b.lo, a.hi & b.hi}; }
template <>
inline V128 Or(V128 a, V128 b) { return {a.lo | b.lo, a.hi | b.hi}; }
template <>
inline V128 Xor(V128 a, V128 b) { return {a.lo ^ b.lo, a.hi ^ b.hi}; }
template <>
inline V128 Not(V128 a) { return {~a.lo, ~a.hi}; }

template <class U>
inline bool CmpEq(U a, U b) { return a == b; }
template <class U>
inline bool CmpNe(U a, U b) { return a != b; }
template <class U>
inline bool CmpLtS(U a, U b) { return ir::sem::LtS<U>(a, b); }
template <class U>
inline bool CmpLtU(U a, U b) { return a < b; }
template <class U>
inline bool CmpLeS(U a, U b) { return ir::sem::LeS<U>(a, b); }
template <class U>
inline bool CmpLeU(U a, U b) { return a <= b; }
template <class U>
inline bool CmpGtS(U a, U b) { return ir::sem::LtS<U>(b, a); }
template <class U>
inline bool CmpGtU(U a, U b) { return b < a; }
template <class U>
inline bool CmpGeS(U a, U b) { return ir::sem::LeS<U>(b, a); }
template <class U>
inline bool CmpGeU(U a, U b) { return b <= a; }
// Fused compare-and-branch conditions.
template <class U>
inline bool BrEq(U a, U b) { return a == b; }
template <class U>
inline bool BrLtS(U a, U b) { return ir::sem::LtS<U>(a, b); }
template <class U>
inline bool BrLtU(U a, U b) { return a < b; }
template <class U>
inline bool BrLeS(U a, U b) { return ir::sem::LeS<U>(a, b); }
template <class U>
inline bool BrLeU(U a, U b) { return a <= b; }

// Sign-extends the low `bits` bits of a to R.
template <class R, unsigned kFromBits, class A>
inline R SignExtendTo(A a) {
  if constexpr (std::is_same_v<R, U128>) {
    if constexpr (kFromBits == 128) {
      return a;
    } else {
      auto s = static_cast<int64_t>(ir::sem::SignExtend(static_cast<uint64_t>(a), kFromBits));
      return static_cast<U128>(static_cast<ir::sem::S128>(s));
    }
  } else {
    return static_cast<R>(ir::sem::SignExtend(static_cast<uint64_t>(a), kFromBits));
  }
}

template <class A, class R>
inline R Concat(A lo, A hi) {
  return static_cast<R>(static_cast<R>(lo) | (static_cast<R>(hi) << (8 * sizeof(A))));
}

// Lowering guarantees shift + 8 * sizeof(R) <= 8 * sizeof(A).
template <class R, class A>
inline R Extract(A a, uint64_t shift) {
  return static_cast<R>(a >> shift);
}

// ---- FP sign-bit ops (no flags, NaNs untouched) ----
template <class F>
using FBits = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;
template <class F>
inline constexpr FBits<F> kSignBit = FBits<F>{1} << (8 * sizeof(F) - 1);
template <class F>
inline F FNeg(F a) { return std::bit_cast<F>(static_cast<FBits<F>>(std::bit_cast<FBits<F>>(a) ^ kSignBit<F>)); }
template <class F>
inline F FAbs(F a) { return std::bit_cast<F>(static_cast<FBits<F>>(std::bit_cast<FBits<F>>(a) & ~kSignBit<F>)); }

}  // namespace polyvm::engine::interp::ops
