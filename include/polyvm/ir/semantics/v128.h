// The carrier of a v128 (and i128) value in engines and semantics functions.
#pragma once

#include <cstdint>
#include <cstring>

namespace polyvm::ir::sem {

struct alignas(16) V128 {
  uint64_t lo = 0;
  uint64_t hi = 0;

  template <class T>
  T Lane(unsigned i) const {
    T v;
    std::memcpy(&v, reinterpret_cast<const char*>(this) + i * sizeof(T), sizeof(T));
    return v;
  }
  template <class T>
  void SetLane(unsigned i, T v) {
    std::memcpy(reinterpret_cast<char*>(this) + i * sizeof(T), &v, sizeof(T));
  }
  friend bool operator==(const V128&, const V128&) = default;
};

}  // namespace polyvm::ir::sem
