// The integer v128 ops in portable C++ (vec.h). Lanes are read as unsigned types; signed ops view
// them through the signed type of the same width. Arithmetic goes through int.h so narrow lanes
// never overflow a promoted int.
#include <bit>
#include <cstdio>
#include <limits>

#include "polyvm/ir/semantics/int.h"
#include "polyvm/ir/semantics/vec.h"
#include "vec_lanes.h"

namespace polyvm::ir::sem {

void BadLane(const char* op, unsigned lane) {
  std::fprintf(stderr, "polyvm: ir::sem::%s: lane %u is not valid for this op\n", op, lane);
  std::abort();
}

namespace {

template <class U>
constexpr U kOnes = std::numeric_limits<U>::max();

template <class U>
U Mask(bool b) {
  return b ? kOnes<U> : U{0};
}

template <class U>
U SatAddS(U a, U b) {
  SignedOf<U> r;
  if (!__builtin_add_overflow(static_cast<SignedOf<U>>(a), static_cast<SignedOf<U>>(b), &r))
    return static_cast<U>(r);
  return static_cast<U>(Negative(b) ? std::numeric_limits<SignedOf<U>>::min()
                                    : std::numeric_limits<SignedOf<U>>::max());
}
template <class U>
U SatSubS(U a, U b) {
  SignedOf<U> r;
  if (!__builtin_sub_overflow(static_cast<SignedOf<U>>(a), static_cast<SignedOf<U>>(b), &r))
    return static_cast<U>(r);
  return static_cast<U>(Negative(b) ? std::numeric_limits<SignedOf<U>>::max()
                                    : std::numeric_limits<SignedOf<U>>::min());
}

}  // namespace

#define POLYVM_VEC_BINARY(Name, expr)                                           \
  V128 Name(V128 a, V128 b, unsigned lane) {                                    \
    return ByLane<0, 3>(#Name, lane, [&](auto t) {                              \
      using U = decltype(t);                                                    \
      using S = SignedOf<U>;                                                    \
      (void)sizeof(S);                                                          \
      return Map2<U>(a, b, [](U x, U y) -> U { return static_cast<U>(expr); }); \
    });                                                                         \
  }
POLYVM_VEC_BINARY(VAdd, Add(x, y))
POLYVM_VEC_BINARY(VSub, Sub(x, y))
POLYVM_VEC_BINARY(VMul, Mul(x, y))
POLYVM_VEC_BINARY(VMinS, static_cast<S>(x) < static_cast<S>(y) ? x : y)
POLYVM_VEC_BINARY(VMinU, x < y ? x : y)
POLYVM_VEC_BINARY(VMaxS, static_cast<S>(x) > static_cast<S>(y) ? x : y)
POLYVM_VEC_BINARY(VMaxU, x > y ? x : y)
POLYVM_VEC_BINARY(VAddSatS, SatAddS(x, y))
POLYVM_VEC_BINARY(VAddSatU, Add(x, y) < x ? kOnes<U> : Add(x, y))
POLYVM_VEC_BINARY(VSubSatS, SatSubS(x, y))
POLYVM_VEC_BINARY(VSubSatU, x < y ? U{0} : Sub(x, y))
POLYVM_VEC_BINARY(VCmpEq, Mask<U>(x == y))
POLYVM_VEC_BINARY(VCmpGtS, Mask<U>(static_cast<S>(x) > static_cast<S>(y)))
POLYVM_VEC_BINARY(VCmpGtU, Mask<U>(x > y))
POLYVM_VEC_BINARY(VCmpGeS, Mask<U>(static_cast<S>(x) >= static_cast<S>(y)))
POLYVM_VEC_BINARY(VCmpGeU, Mask<U>(x >= y))
#undef POLYVM_VEC_BINARY

V128 VNeg(V128 a, unsigned lane) {
  return ByLane<0, 3>("VNeg", lane, [&](auto t) {
    using U = decltype(t);
    return Map1<U>(a, [](U x) { return Neg(x); });
  });
}
V128 VAbs(V128 a, unsigned lane) {
  return ByLane<0, 3>("VAbs", lane, [&](auto t) {
    using U = decltype(t);
    return Map1<U>(a, [](U x) { return Negative(x) ? Neg(x) : x; });
  });
}
V128 VPopcount(V128 a, unsigned lane) {
  return ByLane<0, 3>("VPopcount", lane, [&](auto t) {
    using U = decltype(t);
    return Map1<U>(a, [](U x) { return static_cast<U>(std::popcount(x)); });
  });
}

V128 VShlI(V128 a, unsigned lane, uint64_t imm) {
  return ByLane<0, 3>("VShlI", lane, [&](auto t) {
    using U = decltype(t);
    return Map1<U>(a, [imm](U x) {
      return imm >= kBits<U> ? U{0} : static_cast<U>(static_cast<uint64_t>(x) << imm);
    });
  });
}
V128 VLShrI(V128 a, unsigned lane, uint64_t imm) {
  return ByLane<0, 3>("VLShrI", lane, [&](auto t) {
    using U = decltype(t);
    return Map1<U>(a, [imm](U x) { return imm >= kBits<U> ? U{0} : static_cast<U>(x >> imm); });
  });
}
V128 VAShrI(V128 a, unsigned lane, uint64_t imm) {
  return ByLane<0, 3>("VAShrI", lane, [&](auto t) {
    using U = decltype(t);
    uint64_t sh = imm >= kBits<U> ? kBits<U> - 1 : imm;
    return Map1<U>(a, [sh](U x) { return static_cast<U>(static_cast<SignedOf<U>>(x) >> sh); });
  });
}

V128 VDup(uint64_t a, unsigned lane) {
  return ByLane<0, 3>("VDup", lane, [&](auto t) {
    using U = decltype(t);
    return Map1<U>(V128{}, [a](U) { return static_cast<U>(a); });
  });
}

uint64_t VExtract(V128 a, unsigned lane, uint64_t imm) {
  return ByLane<0, 3>("VExtract", lane, [&](auto t) -> uint64_t {
    using U = decltype(t);
    if (imm >= kLanes<U>) BadLane("VExtract (lane index)", static_cast<unsigned>(imm));
    return a.Lane<U>(static_cast<unsigned>(imm));
  });
}
V128 VInsert(V128 a, uint64_t b, unsigned lane, uint64_t imm) {
  return ByLane<0, 3>("VInsert", lane, [&](auto t) {
    using U = decltype(t);
    if (imm >= kLanes<U>) BadLane("VInsert (lane index)", static_cast<unsigned>(imm));
    V128 r = a;
    r.SetLane<U>(static_cast<unsigned>(imm), static_cast<U>(b));
    return r;
  });
}

V128 VTbl(V128 a, V128 b) {
  V128 r;
  for (unsigned i = 0; i < 16; ++i) {
    uint8_t idx = b.Lane<uint8_t>(i);
    r.SetLane<uint8_t>(i, idx < 16 ? a.Lane<uint8_t>(idx) : uint8_t{0});
  }
  return r;
}

// Interleaves half `half` (0 = low, 1 = high) of a and b: a[k] b[k] a[k+1] b[k+1] ...
static V128 Zip(V128 a, V128 b, unsigned lane, unsigned half, const char* op) {
  return ByLane<0, 3>(op, lane, [&](auto t) {
    using U = decltype(t);
    constexpr unsigned kN = kLanes<U>;
    V128 r;
    for (unsigned i = 0; i < kN / 2; ++i) {
      r.SetLane<U>(2 * i, a.Lane<U>(half * kN / 2 + i));
      r.SetLane<U>(2 * i + 1, b.Lane<U>(half * kN / 2 + i));
    }
    return r;
  });
}
V128 VZipLo(V128 a, V128 b, unsigned lane) { return Zip(a, b, lane, 0, "VZipLo"); }
V128 VZipHi(V128 a, V128 b, unsigned lane) { return Zip(a, b, lane, 1, "VZipHi"); }

// Lanes odd, odd + 2, ... of a, then the same of b.
static V128 Unzip(V128 a, V128 b, unsigned lane, unsigned odd, const char* op) {
  return ByLane<0, 3>(op, lane, [&](auto t) {
    using U = decltype(t);
    constexpr unsigned kN = kLanes<U>;
    V128 r;
    for (unsigned i = 0; i < kN / 2; ++i) {
      r.SetLane<U>(i, a.Lane<U>(2 * i + odd));
      r.SetLane<U>(kN / 2 + i, b.Lane<U>(2 * i + odd));
    }
    return r;
  });
}
V128 VUzpEven(V128 a, V128 b, unsigned lane) { return Unzip(a, b, lane, 0, "VUzpEven"); }
V128 VUzpOdd(V128 a, V128 b, unsigned lane) { return Unzip(a, b, lane, 1, "VUzpOdd"); }

V128 VPairAdd(V128 a, V128 b, unsigned lane) {
  return ByLane<0, 3>("VPairAdd", lane, [&](auto t) {
    using U = decltype(t);
    constexpr unsigned kN = kLanes<U>;
    V128 r;
    for (unsigned i = 0; i < kN / 2; ++i) {
      r.SetLane<U>(i, Add(a.Lane<U>(2 * i), a.Lane<U>(2 * i + 1)));
      r.SetLane<U>(kN / 2 + i, Add(b.Lane<U>(2 * i), b.Lane<U>(2 * i + 1)));
    }
    return r;
  });
}

// `lane` is the source element size: VNarrow takes 16..64-bit lanes, VWiden* 8..32-bit lanes.
V128 VNarrow(V128 a, unsigned lane) {
  return ByLane<1, 3>("VNarrow", lane, [&](auto t) {
    using U = decltype(t);
    using H = std::conditional_t<sizeof(U) == 2, uint8_t,
                                 std::conditional_t<sizeof(U) == 4, uint16_t, uint32_t>>;
    V128 r;
    for (unsigned i = 0; i < kLanes<U>; ++i) r.SetLane<H>(i, static_cast<H>(a.Lane<U>(i)));
    return r;
  });
}

static V128 Widen(V128 a, unsigned lane, unsigned half, bool is_signed, const char* op) {
  return ByLane<0, 2>(op, lane, [&](auto t) {
    using U = decltype(t);
    using W = Wider<U>;
    constexpr unsigned kN = kLanes<W>;
    V128 r;
    for (unsigned i = 0; i < kN; ++i) {
      U x = a.Lane<U>(half * kN + i);
      W w = is_signed ? static_cast<W>(static_cast<SignedOf<W>>(static_cast<SignedOf<U>>(x)))
                      : static_cast<W>(x);
      r.SetLane<W>(i, w);
    }
    return r;
  });
}
V128 VWidenLoS(V128 a, unsigned lane) { return Widen(a, lane, 0, true, "VWidenLoS"); }
V128 VWidenLoU(V128 a, unsigned lane) { return Widen(a, lane, 0, false, "VWidenLoU"); }
V128 VWidenHiS(V128 a, unsigned lane) { return Widen(a, lane, 1, true, "VWidenHiS"); }
V128 VWidenHiU(V128 a, unsigned lane) { return Widen(a, lane, 1, false, "VWidenHiU"); }

// Folds all lanes with `pick(acc, x)`; the result is the lane value zero-extended.
template <class Pick>
static uint64_t Reduce(V128 a, unsigned lane, const char* op, Pick pick) {
  return ByLane<0, 3>(op, lane, [&](auto t) -> uint64_t {
    using U = decltype(t);
    U acc = a.Lane<U>(0);
    for (unsigned i = 1; i < kLanes<U>; ++i) acc = pick(acc, a.Lane<U>(i));
    return acc;
  });
}
uint64_t VReduceAdd(V128 a, unsigned lane) {
  return Reduce(a, lane, "VReduceAdd", [](auto x, auto y) { return Add(x, y); });
}
uint64_t VReduceMinS(V128 a, unsigned lane) {
  return Reduce(a, lane, "VReduceMinS", [](auto x, auto y) {
    using S = SignedOf<decltype(x)>;
    return static_cast<S>(y) < static_cast<S>(x) ? y : x;
  });
}
uint64_t VReduceMinU(V128 a, unsigned lane) {
  return Reduce(a, lane, "VReduceMinU", [](auto x, auto y) { return y < x ? y : x; });
}
uint64_t VReduceMaxS(V128 a, unsigned lane) {
  return Reduce(a, lane, "VReduceMaxS", [](auto x, auto y) {
    using S = SignedOf<decltype(x)>;
    return static_cast<S>(y) > static_cast<S>(x) ? y : x;
  });
}
uint64_t VReduceMaxU(V128 a, unsigned lane) {
  return Reduce(a, lane, "VReduceMaxU", [](auto x, auto y) { return y > x ? y : x; });
}

uint32_t VMoveMask(V128 a, unsigned lane) {
  return ByLane<0, 3>("VMoveMask", lane, [&](auto t) {
    using U = decltype(t);
    uint32_t m = 0;
    for (unsigned i = 0; i < kLanes<U>; ++i)
      m |= static_cast<uint32_t>(Negative(a.Lane<U>(i))) << i;
    return m;
  });
}

}  // namespace polyvm::ir::sem
