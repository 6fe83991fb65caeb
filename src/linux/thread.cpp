// Guest thread state allocation and the per-host-thread "current guest thread" pointer.
#include "thread.h"

#include <cstring>

#include "polyvm/linux/process.h"

namespace polyvm::linux {

namespace {
thread_local Thread* t_current = nullptr;
}  // namespace

Thread::Thread(Process& p) : proc(p) {
  const size_t size = p.abi().StateSize();
  // CpuHeader is alignas(64): over-allocate and align by hand.
  storage_.reset(new uint8_t[size + 64]);
  auto addr = (reinterpret_cast<uintptr_t>(storage_.get()) + 63) & ~uintptr_t{63};
  std::memset(reinterpret_cast<void*>(addr), 0, size);
  state = new (reinterpret_cast<void*>(addr)) core::CpuHeader();
  state->mem_base = p.as().base();
  state->mem_limit = p.as().limit();
  vcpu.state = state;
}

Thread::~Thread() = default;

Thread* CurrentThread() { return t_current; }
void SetCurrentThread(Thread* t) { t_current = t; }

}  // namespace polyvm::linux
