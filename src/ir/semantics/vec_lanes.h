// Lane-type dispatch shared by the vector semantics: a `lane` field (log2 of the element size in
// bytes) selects the unsigned element type a generic lambda is instantiated with.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <type_traits>

#include "polyvm/ir/semantics/v128.h"

namespace polyvm::ir::sem {

// A lane value the op does not define is an IR verifier error, not guest behaviour: stop with the
// op's name rather than compute something.
[[noreturn]] void BadLane(const char* op, unsigned lane);

template <class U>
constexpr unsigned kLanes = 16 / sizeof(U);

template <class U>
using SignedOf = std::make_signed_t<U>;

// fn(U{}) for the element type of `lane`; the op accepts lanes kLo..kHi (others are not even
// instantiated).
template <unsigned kLo, unsigned kHi, class Fn>
decltype(auto) ByLane(const char* op, unsigned lane, Fn&& fn) {
  if (lane < kLo || lane > kHi) BadLane(op, lane);
  if constexpr (kLo <= 0) {
    if (lane == 0) return fn(uint8_t{});
  }
  if constexpr (kLo <= 1 && kHi >= 1) {
    if (lane == 1) return fn(uint16_t{});
  }
  if constexpr (kHi >= 3) {
    if (lane == 3) return fn(uint64_t{});
  }
  if constexpr (kLo <= 2 && kHi >= 2) {
    return fn(uint32_t{});
  } else {
    BadLane(op, lane);
  }
}

template <class T, class Fn>
V128 Map1(V128 a, Fn&& fn) {
  V128 r;
  for (unsigned i = 0; i < 16 / sizeof(T); ++i) r.SetLane<T>(i, fn(a.Lane<T>(i)));
  return r;
}
template <class T, class Fn>
V128 Map2(V128 a, V128 b, Fn&& fn) {
  V128 r;
  for (unsigned i = 0; i < 16 / sizeof(T); ++i) r.SetLane<T>(i, fn(a.Lane<T>(i), b.Lane<T>(i)));
  return r;
}

}  // namespace polyvm::ir::sem
