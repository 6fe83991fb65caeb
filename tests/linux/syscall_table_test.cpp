// The riscv64 syscall table against the numbering of the riscv64 kernel headers (generated at build
// time from <asm/unistd.h> by the cross compiler), and the --strace formatting of a few calls.
#include "polyvm/linux/syscall_table.h"

#include <errno.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "polyvm/mem/address_space.h"
#include "polyvm/mem/guest_access.h"
#include "riscv64_syscalls.h"
#include "strace.h"

namespace polyvm::linux {
namespace {

TEST(SyscallTable, EveryKernelSyscallHasItsNumberAndName) {
  const SyscallTable& t = Riscv64SyscallTable();
  size_t n = 0;
  for (const oracle::KernelSyscall& k : oracle::kKernelSyscalls) {
    const SyscallEntry& e = t.Lookup(k.nr);
    EXPECT_EQ(e.name, k.name) << "number " << k.nr;
    ++n;
  }
  EXPECT_GT(n, 300u);
}

TEST(SyscallTable, NoNameTheKernelDoesNotHave) {
  std::set<unsigned> kernel;
  for (const oracle::KernelSyscall& k : oracle::kKernelSyscalls) kernel.insert(k.nr);
  // Newer than Debian 12's riscv64 kernel headers (Linux 6.1): riscv_hwprobe came in 6.4.
  kernel.insert(258);
  EXPECT_EQ(Riscv64SyscallTable().Lookup(258).name, "riscv_hwprobe");
  for (uint32_t nr : Riscv64SyscallTable().Numbers()) {
    EXPECT_TRUE(kernel.count(nr)) << "table row " << nr << " ("
                                  << Riscv64SyscallTable().Lookup(nr).name
                                  << ") is not a riscv64 syscall";
  }
}

TEST(SyscallTable, NamesAreUniqueAndHandlersHaveNames) {
  std::set<std::string_view> names;
  for (const SyscallEntry& e : Riscv64SyscallTable().entries()) {
    if (e.handler != nullptr) {
      EXPECT_FALSE(e.name.empty()) << e.nr;
    }
    if (!e.name.empty()) {
      EXPECT_TRUE(names.insert(e.name).second) << "duplicate " << e.name;
    }
    EXPECT_LE(e.args.size(), 6u) << e.name;
  }
}

TEST(SyscallTable, CoreCallsAreImplemented) {
  const SyscallTable& t = Riscv64SyscallTable();
  for (const char* name :
       {"read", "write", "openat", "close", "mmap", "munmap", "brk", "exit", "exit_group", "clone",
        "clone3", "futex", "rt_sigaction", "rt_sigreturn", "execve", "wait4", "newfstatat",
        "statx", "getdents64", "ppoll", "riscv_flush_icache"}) {
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

TEST(SyscallTable, UnknownNumbersHaveNoHandler) {
  const SyscallTable& t = Riscv64SyscallTable();
  EXPECT_EQ(t.Lookup(100000).handler, nullptr);
  EXPECT_TRUE(t.Lookup(100000).name.empty());
  EXPECT_EQ(t.Lookup(~uint64_t{0}).handler, nullptr);
  EXPECT_EQ(t.Lookup(300).handler, nullptr);  // a hole in the asm-generic numbering
  // Deliberately unimplemented, with a name for the warning.
  EXPECT_EQ(t.Lookup(0).name, "io_setup");
  EXPECT_EQ(t.Lookup(0).handler, nullptr);
  EXPECT_EQ(t.Lookup(258).name, "riscv_hwprobe");
  EXPECT_EQ(t.Lookup(258).handler, nullptr);
}

TEST(SyscallTable, ArgumentSpecParser) {
  std::vector<ArgKind> kinds;
  std::string_view bad;
  EXPECT_TRUE(SyscallTable::ParseArgs("fd,obuf,u", &kinds, &bad));
  EXPECT_EQ(kinds, (std::vector<ArgKind>{ArgKind::kFd, ArgKind::kOutBuf, ArgKind::kUDec}));
  EXPECT_TRUE(SyscallTable::ParseArgs("", &kinds, &bad));
  EXPECT_TRUE(kinds.empty());
  EXPECT_FALSE(SyscallTable::ParseArgs("fd,bogus", &kinds, &bad));
  EXPECT_EQ(bad, "bogus");
  EXPECT_FALSE(SyscallTable::ParseArgs("fd,", &kinds, &bad));
  EXPECT_FALSE(SyscallTable::ParseArgs("d,d,d,d,d,d,d", &kinds, &bad));
}

TEST(Strace, FormatsCallsAndResults) {
  std::string err;
  mem::Layout layout;
  layout.size = uint64_t{1} << 30;
  auto as = mem::AddressSpace::Create(layout, &err);
  mem::MapRequest r;
  r.addr = 0x10000;
  r.length = 4096;
  r.prot = mem::kProtRead | mem::kProtWrite;
  r.flags = mem::kMapAnonymous | mem::kMapFixed;
  ASSERT_EQ(as->Map(r), 0x10000);
  const char text[] = "hi\n/etc/passwd";
  ASSERT_EQ(mem::CopyToGuest(*as, 0x10000, text, sizeof text), 0);
  const SyscallTable& t = Riscv64SyscallTable();
  SyscallArgs w{64, {1, 0x10000, 3, 0, 0, 0}};
  EXPECT_EQ(FormatSyscallCall(*as, t.Lookup(64), w), "write(1,\"hi\\n\",3)");
  SyscallArgs o{56, {static_cast<uint64_t>(-100), 0x10003, 0x80041 /* O_WRONLY|O_CREAT|O_CLOEXEC */,
                     0644, 0, 0}};
  EXPECT_EQ(FormatSyscallCall(*as, t.Lookup(56), o),
            "openat(AT_FDCWD,\"/etc/passwd\",O_WRONLY|O_CREAT|O_CLOEXEC,0644)");
  SyscallArgs bad{56, {3, 0x5000, 0, 0, 0, 0}};  // unmapped path pointer: printed as an address
  EXPECT_EQ(FormatSyscallCall(*as, t.Lookup(56), bad), "openat(3,0x5000,O_RDONLY,00)");
  EXPECT_EQ(FormatSyscallResult(t.Lookup(64), 3), " = 3");
  EXPECT_EQ(FormatSyscallResult(t.Lookup(56), -ENOENT), " = -1 ENOENT (No such file or directory)");
  EXPECT_EQ(FormatSyscallResult(t.Lookup(222), 0x3ff7fff000), " = 0x3ff7fff000");
  EXPECT_EQ(FormatSyscallResult(t.Lookup(139), kNoResult), " = ?");
}

}  // namespace
}  // namespace polyvm::linux
