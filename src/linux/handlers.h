// Declarations of every syscall handler named in the syscall tables (generated from the .def
// files, so a table row without a handler does not link), and the context handlers run in.
#pragma once

#include <cstdint>
#include <string>

#include "polyvm/linux/abi.h"
#include "polyvm/linux/process.h"
#include "polyvm/linux/syscall_table.h"
#include "polyvm/mem/guest_access.h"
#include "thread.h"

namespace polyvm::linux {

class SyscallContext {
 public:
  SyscallContext(Process& p, Thread& t) : proc(p), thread(t), as(p.as()), abi(p.abi()) {}

  Process& proc;
  Thread& thread;
  mem::AddressSpace& as;
  const GuestAbi& abi;

  // A guest path (at most PATH_MAX - 1 bytes): 0, -EFAULT or -ENAMETOOLONG.
  int ReadPath(uint64_t addr, std::string& out) const {
    return mem::ReadGuestString(as, addr, out, 4095);
  }
  // Host pointer for a guest buffer passed to a host call, or null (-> -EFAULT).
  void* Buf(uint64_t addr, uint64_t len) const { return mem::GuestBuffer(as, addr, len); }
};

#define SYSCALL(nr, name, handler, args) int64_t Sys##handler(SyscallContext&, const SyscallArgs&);
#include "polyvm/linux/syscalls_generic.def"
#include "polyvm/linux/syscalls_riscv64.def"
#include "polyvm/linux/syscalls_arm64.def"
#undef SYSCALL

}  // namespace polyvm::linux
