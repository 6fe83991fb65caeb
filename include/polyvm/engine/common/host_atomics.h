// Host atomic operations on guest memory for AtomicRmw, AtomicCas and StoreCond, shared by the
// engines. Sizes up to 8 bytes use the compiler's __atomic builtins (lock-prefixed instructions on
// x86); 16 bytes use cmpxchg16b, which needs 16-byte alignment (callers check it).
#pragma once

#include <cstdint>
#include <type_traits>

#include "polyvm/ir/opcode.h"
#include "polyvm/ir/semantics/int.h"

namespace polyvm::engine {

using ir::sem::U128;

template <class U>
inline bool HostCas(void* p, U& expected, U desired) {
  if constexpr (sizeof(U) == 16) {
#if defined(__x86_64__)
    uint64_t lo = static_cast<uint64_t>(expected), hi = static_cast<uint64_t>(expected >> 64);
    bool ok;
    asm volatile("lock cmpxchg16b %1"
                 : "=@ccz"(ok), "+m"(*static_cast<U128*>(p)), "+a"(lo), "+d"(hi)
                 : "b"(static_cast<uint64_t>(desired)), "c"(static_cast<uint64_t>(desired >> 64))
                 : "memory");
    expected = static_cast<U128>(lo) | (static_cast<U128>(hi) << 64);
    return ok;
#else
    return __atomic_compare_exchange_n(static_cast<U128*>(p), &expected, desired, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
#endif
  } else {
    return __atomic_compare_exchange_n(static_cast<U*>(p), &expected, desired, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  }
}

// The new memory value of mem = op(mem, v).
template <class U>
inline U RmwResult(ir::RmwOp op, U old, U v) {
  switch (op) {
    case ir::RmwOp::kAdd: return ir::sem::Add<U>(old, v);
    case ir::RmwOp::kAnd: return static_cast<U>(old & v);
    case ir::RmwOp::kOr: return static_cast<U>(old | v);
    case ir::RmwOp::kXor: return static_cast<U>(old ^ v);
    case ir::RmwOp::kSwap: return v;
    case ir::RmwOp::kMinS: return ir::sem::LtS<U>(v, old) ? v : old;
    case ir::RmwOp::kMaxS: return ir::sem::LtS<U>(old, v) ? v : old;
    case ir::RmwOp::kMinU: return v < old ? v : old;
    case ir::RmwOp::kMaxU: return old < v ? v : old;
  }
  return old;
}

// Atomically mem = op(mem, v); returns the old value. `op` must be a valid RmwOp (lowering checks).
template <class U>
inline U HostRmw(void* p, U v, ir::RmwOp op) {
  if constexpr (sizeof(U) <= 8) {
    auto* q = static_cast<U*>(p);
    switch (op) {
      case ir::RmwOp::kAdd: return __atomic_fetch_add(q, v, __ATOMIC_SEQ_CST);
      case ir::RmwOp::kAnd: return __atomic_fetch_and(q, v, __ATOMIC_SEQ_CST);
      case ir::RmwOp::kOr: return __atomic_fetch_or(q, v, __ATOMIC_SEQ_CST);
      case ir::RmwOp::kXor: return __atomic_fetch_xor(q, v, __ATOMIC_SEQ_CST);
      case ir::RmwOp::kSwap: return __atomic_exchange_n(q, v, __ATOMIC_SEQ_CST);
      default: break;
    }
  }
  U old;
  __builtin_memcpy(&old, p, sizeof(U));  // a torn first read only costs a retry
  while (!HostCas<U>(p, old, RmwResult<U>(op, old, v))) {
  }
  return old;
}

inline void HostFullFence() {
#if defined(__x86_64__)
  asm volatile("mfence" ::: "memory");
#else
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

}  // namespace polyvm::engine
