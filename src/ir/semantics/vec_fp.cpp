// The FP v128 ops: each lane goes through the scalar function of fp.h (lane 2 = f32, 3 = f64), so
// rounding, NaN rules and flags are exactly the scalar ones; the flags of all lanes accumulate.
#include <cstdint>
#include <limits>
#include <type_traits>

#include "polyvm/ir/semantics/fp.h"
#include "polyvm/ir/semantics/vec.h"
#include "vec_lanes.h"

namespace polyvm::ir::sem {
namespace {

// fn(F{}) for the float type of `lane`.
template <class Fn>
V128 ByFpLane(const char* op, unsigned lane, Fn&& fn) {
  if (lane == 2) return fn(float{});
  if (lane == 3) return fn(double{});
  BadLane(op, lane);
}

template <class F>
using IntOf = std::conditional_t<std::is_same_v<F, float>, int32_t, int64_t>;
template <class F>
using UIntOf = std::make_unsigned_t<IntOf<F>>;

template <class F>
UIntOf<F> Mask(bool b) {
  return b ? std::numeric_limits<UIntOf<F>>::max() : UIntOf<F>{0};
}

}  // namespace

#define POLYVM_VEC_FP_BINARY(Name, Scalar)                                       \
  V128 Name(V128 a, V128 b, unsigned lane, uint32_t aux, RoundingMode dyn) {     \
    return ByFpLane(#Name, lane, [&](auto t) {                                   \
      using F = decltype(t);                                                     \
      return Map2<F>(a, b, [&](F x, F y) { return Scalar<F>(x, y, aux, dyn); }); \
    });                                                                          \
  }
POLYVM_VEC_FP_BINARY(VFAdd, FAdd)
POLYVM_VEC_FP_BINARY(VFSub, FSub)
POLYVM_VEC_FP_BINARY(VFMul, FMul)
POLYVM_VEC_FP_BINARY(VFDiv, FDiv)
#undef POLYVM_VEC_FP_BINARY

V128 VFSqrt(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn) {
  return ByFpLane("VFSqrt", lane, [&](auto t) {
    using F = decltype(t);
    return Map1<F>(a, [&](F x) { return FSqrt<F>(x, aux, dyn); });
  });
}

V128 VFMulAdd(V128 a, V128 b, V128 c, unsigned lane, uint32_t aux, RoundingMode dyn) {
  return ByFpLane("VFMulAdd", lane, [&](auto t) {
    using F = decltype(t);
    V128 r;
    for (unsigned i = 0; i < 16 / sizeof(F); ++i)
      r.SetLane<F>(i, FMulAdd<F>(a.Lane<F>(i), b.Lane<F>(i), c.Lane<F>(i), aux, dyn));
    return r;
  });
}

V128 VFMin(V128 a, V128 b, unsigned lane, uint32_t aux) {
  return ByFpLane("VFMin", lane, [&](auto t) {
    using F = decltype(t);
    return Map2<F>(a, b, [&](F x, F y) { return FMin<F>(x, y, aux); });
  });
}
V128 VFMax(V128 a, V128 b, unsigned lane, uint32_t aux) {
  return ByFpLane("VFMax", lane, [&](auto t) {
    using F = decltype(t);
    return Map2<F>(a, b, [&](F x, F y) { return FMax<F>(x, y, aux); });
  });
}

#define POLYVM_VEC_FP_CMP(Name, Scalar)                                               \
  V128 Name(V128 a, V128 b, unsigned lane, uint32_t aux) {                            \
    return ByFpLane(#Name, lane, [&](auto t) {                                        \
      using F = decltype(t);                                                          \
      V128 r;                                                                         \
      for (unsigned i = 0; i < 16 / sizeof(F); ++i)                                   \
        r.SetLane<UIntOf<F>>(i, Mask<F>(Scalar<F>(a.Lane<F>(i), b.Lane<F>(i), aux))); \
      return r;                                                                       \
    });                                                                               \
  }
POLYVM_VEC_FP_CMP(VFCmpEq, FCmpEq)
POLYVM_VEC_FP_CMP(VFCmpLt, FCmpLt)
POLYVM_VEC_FP_CMP(VFCmpLe, FCmpLe)
POLYVM_VEC_FP_CMP(VFCmpUn, FCmpUn)
#undef POLYVM_VEC_FP_CMP

// Conversions keep the lane width: f32 <-> 32-bit integers, f64 <-> 64-bit integers.
V128 VFToSInt(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn) {
  return ByFpLane("VFToSInt", lane, [&](auto t) {
    using F = decltype(t);
    V128 r;
    for (unsigned i = 0; i < 16 / sizeof(F); ++i)
      r.SetLane<IntOf<F>>(i, FToSInt<IntOf<F>, F>(a.Lane<F>(i), aux, dyn));
    return r;
  });
}
V128 VFToUInt(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn) {
  return ByFpLane("VFToUInt", lane, [&](auto t) {
    using F = decltype(t);
    V128 r;
    for (unsigned i = 0; i < 16 / sizeof(F); ++i)
      r.SetLane<UIntOf<F>>(i, FToUInt<UIntOf<F>, F>(a.Lane<F>(i), aux, dyn));
    return r;
  });
}
V128 VSIntToF(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn) {
  return ByFpLane("VSIntToF", lane, [&](auto t) {
    using F = decltype(t);
    V128 r;
    for (unsigned i = 0; i < 16 / sizeof(F); ++i)
      r.SetLane<F>(i, SIntToF<F, IntOf<F>>(a.Lane<IntOf<F>>(i), aux, dyn));
    return r;
  });
}
V128 VUIntToF(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn) {
  return ByFpLane("VUIntToF", lane, [&](auto t) {
    using F = decltype(t);
    V128 r;
    for (unsigned i = 0; i < 16 / sizeof(F); ++i)
      r.SetLane<F>(i, UIntToF<F, UIntOf<F>>(a.Lane<UIntOf<F>>(i), aux, dyn));
    return r;
  });
}

}  // namespace polyvm::ir::sem
