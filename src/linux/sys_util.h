// Small helpers shared by the syscall handler files.
#pragma once

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "handlers.h"
#include "polyvm/linux/guest_structs.h"
#include "safe_syscall.h"

namespace polyvm::linux {

// A raw host syscall's result as the kernel gives it: >= 0, or -errno.
template <typename... Args>
inline int64_t HostCall(long nr, Args... args) {
  long r = syscall(nr, static_cast<long>(args)...);
  return r == -1 ? -errno : r;
}

inline int Fd(uint64_t v) { return static_cast<int>(static_cast<int32_t>(v)); }
inline long L(uint64_t v) { return static_cast<long>(v); }
inline long P(void* p) { return reinterpret_cast<long>(p); }

// Host pointer for a guest pointer that may be NULL (NULL stays NULL); *bad on a bad range.
inline void* OptBuf(const SyscallContext& ctx, uint64_t addr, uint64_t len, bool* bad) {
  if (addr == 0) return nullptr;
  void* p = ctx.Buf(addr, len);
  if (p == nullptr) *bad = true;
  return p;
}

// For calls Linux never restarts once a handler ran (ERESTARTNOHAND: poll, select, sleeps,
// sigsuspend): an interruption before the call is an EINTR like one during it.
inline int64_t NoRestart(int64_t r) { return r == kRestartSys ? -EINTR : r; }

inline uint32_t OpenFlagsToHost(const SyscallContext& ctx, uint64_t guest) {
  return FlagsToHost(ctx.abi.OpenFlags(), static_cast<uint32_t>(guest));
}
inline uint32_t OpenFlagsFromHost(const SyscallContext& ctx, uint64_t host) {
  return FlagsFromHost(ctx.abi.OpenFlags(), static_cast<uint32_t>(host));
}

}  // namespace polyvm::linux
