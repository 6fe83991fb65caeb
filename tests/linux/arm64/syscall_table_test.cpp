// The arm64 syscall table against the numbering of the arm64 kernel headers (generated at build
// time from <asm/unistd.h> by the aarch64 cross compiler).
#include "polyvm/linux/syscall_table.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "arm64_syscalls.h"
#include "polyvm/linux/abi.h"

namespace polyvm::linux {
namespace {

TEST(Arm64SyscallTable, EveryKernelSyscallHasItsNumberAndName) {
  const SyscallTable& t = Arm64Abi().Syscalls();
  size_t n = 0;
  for (const oracle::KernelSyscall& k : oracle::kKernelSyscalls) {
    EXPECT_EQ(t.Lookup(k.nr).name, k.name) << "number " << k.nr;
    ++n;
  }
  EXPECT_GT(n, 300u);
}

TEST(Arm64SyscallTable, NoNameTheKernelDoesNotHave) {
  std::set<unsigned> kernel;
  for (const oracle::KernelSyscall& k : oracle::kKernelSyscalls) kernel.insert(k.nr);
  const SyscallTable& t = Arm64Abi().Syscalls();
  for (uint32_t nr : t.Numbers()) {
    EXPECT_TRUE(kernel.count(nr)) << "table row " << nr << " (" << t.Lookup(nr).name
                                  << ") is not an arm64 syscall";
  }
}

TEST(Arm64SyscallTable, ArchSpecificRowsDifferFromRiscv64) {
  const SyscallTable& t = Arm64Abi().Syscalls();
  // renameat exists on arm64 only (glibc's rename() uses it); riscv_* are riscv64's.
  EXPECT_EQ(t.Lookup(38).name, "renameat");
  EXPECT_NE(t.Lookup(38).handler, nullptr);
  EXPECT_TRUE(Riscv64Abi().Syscalls().Lookup(38).name.empty());
  EXPECT_TRUE(t.Lookup(259).name.empty());
  EXPECT_EQ(Riscv64Abi().Syscalls().Lookup(259).name, "riscv_flush_icache");
}

TEST(Arm64SyscallTable, CoreCallsAreImplemented) {
  const SyscallTable& t = Arm64Abi().Syscalls();
  for (const char* name :
       {"read",         "write",        "openat",          "close",    "mmap",       "munmap",
        "brk",          "exit",         "exit_group",      "clone",    "clone3",     "futex",
        "rt_sigaction", "rt_sigreturn", "execve",          "wait4",    "newfstatat", "statx",
        "getdents64",   "ppoll",        "set_tid_address", "renameat", "renameat2"}) {
    bool found = false;
    for (const SyscallEntry& e : t.entries()) {
      if (e.name == name) {
        found = true;
        EXPECT_NE(e.handler, nullptr) << name;
      }
    }
    EXPECT_TRUE(found) << name;
  }
}

}  // namespace
}  // namespace polyvm::linux
