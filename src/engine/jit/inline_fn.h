// A move-only `void()` callable whose captures live inside it: the block compiler's deferred
// out-of-line emitters (Compiler::deferred_), a few per guest memory access, which std::function
// put on the heap one by one (their captures are larger than its small buffer).
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace polyvm::engine::jit::detail {

class InlineFn {
 public:
  static constexpr size_t kBytes = 192;

  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InlineFn>>>
  InlineFn(F&& f) {  // NOLINT: implicit, as std::function's
    using T = std::decay_t<F>;
    static_assert(sizeof(T) <= kBytes && alignof(T) <= alignof(std::max_align_t),
                  "captures too large for InlineFn: raise kBytes");
    new (buf_) T(std::forward<F>(f));
    ops_ = &OpsOf<T>::kOps;
  }
  InlineFn(InlineFn&& o) noexcept : ops_(o.ops_) {
    if (ops_ != nullptr) ops_->move(buf_, o.buf_);
    o.ops_ = nullptr;
  }
  InlineFn& operator=(InlineFn&& o) noexcept {
    if (this != &o) {
      Reset();
      ops_ = o.ops_;
      if (ops_ != nullptr) ops_->move(buf_, o.buf_);
      o.ops_ = nullptr;
    }
    return *this;
  }
  InlineFn(const InlineFn&) = delete;
  InlineFn& operator=(const InlineFn&) = delete;
  ~InlineFn() { Reset(); }

  void operator()() { ops_->call(buf_); }

 private:
  struct Ops {
    void (*call)(void*);
    void (*move)(void* to, void* from);  // move-constructs at `to`, destroys `from`
    void (*destroy)(void*);
  };
  template <typename T>
  struct OpsOf {
    static constexpr Ops kOps = {
        [](void* p) { (*static_cast<T*>(p))(); },
        [](void* to, void* from) {
          new (to) T(std::move(*static_cast<T*>(from)));
          static_cast<T*>(from)->~T();
        },
        [](void* p) { static_cast<T*>(p)->~T(); },
    };
  };
  void Reset() {
    if (ops_ != nullptr) ops_->destroy(buf_);
    ops_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char buf_[kBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace polyvm::engine::jit::detail
