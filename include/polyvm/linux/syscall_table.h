// A guest's system-call numbering: number -> name, handler and argument kinds (for --strace).
// The tables themselves are data (syscalls_generic.def, syscalls_riscv64.def); handlers are shared
// by every numbering that maps onto them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "polyvm/linux/abi.h"

namespace polyvm::linux {

class SyscallContext;

// A handler returns the guest's result (>= 0) or -errno. Special values below.
using SyscallHandler = int64_t (*)(SyscallContext& ctx, const SyscallArgs& args);

// The handler already wrote the guest's registers (rt_sigreturn) or the thread is gone (exit):
// the dispatch loop must not store a result.
inline constexpr int64_t kNoResult = INT64_MIN;
// A blocking call was interrupted by a host signal before it completed: restart it or return
// -EINTR depending on the SA_RESTART flag of the guest handler that runs (Linux's ERESTARTSYS).
inline constexpr int64_t kRestartSys = -512;

// How --strace prints one argument.
enum class ArgKind : uint8_t {
  kDec,        // signed decimal (int)
  kUDec,       // unsigned decimal
  kHex,        // 0x...
  kPtr,        // pointer: NULL or 0x...
  kStr,        // NUL-terminated guest string
  kFd,         // file descriptor, AT_FDCWD by name
  kOct,        // mode bits
  kOpenFlags,  // O_RDONLY|O_CREAT|...
  kProt,       // PROT_READ|...
  kMapFlags,   // MAP_PRIVATE|...
  kSignal,     // SIGSEGV
  kOutBuf,     // buffer written by the guest (shown as a string, length = next argument)
  kFutexOp,    // FUTEX_WAIT|FUTEX_PRIVATE_FLAG
  kClock,      // CLOCK_MONOTONIC
};

struct SyscallEntry {
  uint32_t nr = 0;
  std::string_view name;       // "" for numbers the guest's kernel does not define
  SyscallHandler handler = nullptr;  // null: unimplemented (-ENOSYS)
  std::vector<ArgKind> args;
  bool hex_result = false;     // mmap, brk: print the result as an address
};

class SyscallTable {
 public:
  // rows: (number, name, handler or null, argument spec) -- see syscalls_generic.def for the spec.
  struct Row {
    uint32_t nr;
    std::string_view name;
    SyscallHandler handler;
    std::string_view args;
  };
  explicit SyscallTable(std::initializer_list<std::span<const Row>> parts);

  // The entry for a number; numbers outside the table get a shared "unknown" entry (no handler).
  const SyscallEntry& Lookup(uint64_t nr) const;
  const std::vector<SyscallEntry>& entries() const { return entries_; }
  // Every number that has a name (for tests and docs).
  std::vector<uint32_t> Numbers() const;

  // Parses an argument spec ("fd,buf,udec"); false and *bad set to the bad token on error.
  static bool ParseArgs(std::string_view spec, std::vector<ArgKind>* out, std::string_view* bad);

 private:
  std::vector<SyscallEntry> entries_;  // indexed by number
  SyscallEntry unknown_;
};

// The asm-generic numbering (riscv64, arm64) plus the riscv64-specific calls.
const SyscallTable& Riscv64SyscallTable();
// The asm-generic numbering plus arm64's own calls (syscalls_arm64.def).
const SyscallTable& Arm64SyscallTable();

}  // namespace polyvm::linux
