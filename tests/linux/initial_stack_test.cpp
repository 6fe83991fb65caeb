// The initial stack read back as a program's _start would: argc, argv, envp, auxv, alignment,
// AT_RANDOM and AT_EXECFN data; the auxv of a loaded program checked against readelf and the
// riscv64 kernel's hwcap.h.
#include "polyvm/linux/initial_stack.h"

#include <elf.h>
#include <gtest/gtest.h>

#include <fstream>

#include "polyvm/mem/address_space.h"
#include "polyvm/mem/guest_access.h"
#include "riscv64_offsets.h"
#include "test_paths.h"

namespace polyvm::linux {
namespace {

constexpr uint64_t kTop = uint64_t{1} << 32;
constexpr uint64_t kStack = 1 << 20;

struct Fixture {
  std::unique_ptr<mem::AddressSpace> as;
  Fixture() {
    std::string err;
    mem::Layout l;
    l.size = kTop;
    as = mem::AddressSpace::Create(l, &err);
    mem::MapRequest r;
    r.addr = kTop - kStack;
    r.length = kStack;
    r.prot = mem::kProtRead | mem::kProtWrite;
    r.flags = mem::kMapAnonymous | mem::kMapFixed;
    EXPECT_EQ(as->Map(r), static_cast<int64_t>(kTop - kStack));
  }
  uint64_t U64(uint64_t addr) {
    uint64_t v = 0;
    EXPECT_EQ(mem::ReadGuest(*as, addr, v), 0);
    return v;
  }
  std::string Str(uint64_t addr) {
    std::string s;
    EXPECT_EQ(mem::ReadGuestString(*as, addr, s, 100000), 0);
    return s;
  }
};

TEST(InitialStack, LayoutAsLinuxBuildsIt) {
  Fixture f;
  StackContents c;
  c.argv = {"prog", "", "third arg"};
  c.envp = {"A=1", "PATH=/bin"};
  c.execfn = "./prog";
  for (int i = 0; i < 16; ++i) c.random[i] = static_cast<uint8_t>(0xa0 + i);
  c.auxv = {{AT_PAGESZ, 4096}, {AT_RANDOM, 0}, {AT_EXECFN, 0}, {AT_ENTRY, 0x10400}};
  StackLayout out;
  ASSERT_EQ(BuildInitialStack(*f.as, kTop, kStack / 4, c, &out), 0);
  EXPECT_EQ(out.sp % 16, 0u);
  EXPECT_EQ(f.U64(out.sp), 3u);  // argc
  EXPECT_EQ(out.argv, out.sp + 8);
  EXPECT_EQ(f.Str(f.U64(out.argv)), "prog");
  EXPECT_EQ(f.Str(f.U64(out.argv + 8)), "");
  EXPECT_EQ(f.Str(f.U64(out.argv + 16)), "third arg");
  EXPECT_EQ(f.U64(out.argv + 24), 0u);
  EXPECT_EQ(out.envp, out.argv + 32);
  EXPECT_EQ(f.Str(f.U64(out.envp)), "A=1");
  EXPECT_EQ(f.Str(f.U64(out.envp + 8)), "PATH=/bin");
  EXPECT_EQ(f.U64(out.envp + 16), 0u);
  EXPECT_EQ(out.auxv, out.envp + 24);
  // auxv in the given order, then AT_NULL.
  EXPECT_EQ(f.U64(out.auxv), uint64_t{AT_PAGESZ});
  EXPECT_EQ(f.U64(out.auxv + 8), 4096u);
  EXPECT_EQ(f.U64(out.auxv + 16), uint64_t{AT_RANDOM});
  const uint64_t random = f.U64(out.auxv + 24);
  EXPECT_EQ(f.U64(out.auxv + 32), uint64_t{AT_EXECFN});
  const uint64_t execfn = f.U64(out.auxv + 40);
  EXPECT_EQ(f.U64(out.auxv + 48), uint64_t{AT_ENTRY});
  EXPECT_EQ(f.U64(out.auxv + 56), 0x10400u);
  EXPECT_EQ(f.U64(out.auxv + 64), uint64_t{AT_NULL});
  uint8_t rnd[16];
  ASSERT_EQ(mem::CopyFromGuest(*f.as, rnd, random, 16), 0);
  EXPECT_EQ(0, memcmp(rnd, c.random, 16));
  EXPECT_EQ(f.Str(execfn), "./prog");
  // fs/exec.c: the file name is the highest string, one pointer below the top.
  EXPECT_EQ(execfn + c.execfn.size() + 1, kTop - 8);
  // Strings lie above the table, argv[0] lowest (copy_strings goes backwards).
  EXPECT_GT(f.U64(out.argv), out.auxv + 72);
  EXPECT_LT(f.U64(out.argv), f.U64(out.envp));
  EXPECT_LT(f.U64(out.envp), execfn);
  ASSERT_EQ(out.auxv_entries.size(), 5u);
  EXPECT_EQ(out.auxv_entries[1].value, random);
}

TEST(InitialStack, TooBigIsE2BIG) {
  Fixture f;
  StackContents c;
  c.argv = {std::string(300000, 'x')};
  StackLayout out;
  EXPECT_EQ(BuildInitialStack(*f.as, kTop, kStack / 4, c, &out), -E2BIG);
}

TEST(InitialStack, UnmappedStackIsEFAULT) {
  Fixture f;
  StackContents c;
  c.argv = {"prog"};
  StackLayout out;
  EXPECT_EQ(BuildInitialStack(*f.as, kTop - 2 * kStack, kStack / 4, c, &out), -EFAULT);
}

TEST(InitialStack, AuxvOfALoadedProgram) {
  std::string err;
  auto as = mem::AddressSpace::Create(mem::Layout{}, &err);
  ASSERT_TRUE(as);
  as->SetMmapBase(as->limit() - (uint64_t{128} << 20));
  ProgramImage img;
  ASSERT_TRUE(LoadProgram(*as, Riscv64Abi(), kHelloDyn, kSysroot, 0x2aaaaaa000, &img, &err)) << err;
  std::vector<AuxEntry> aux = MakeAuxv(Riscv64Abi(), img);
  auto value = [&](uint64_t type) -> std::optional<uint64_t> {
    for (const AuxEntry& e : aux) {
      if (e.type == type) return e.value;
    }
    return std::nullopt;
  };
  // readelf's numbers for the program.
  std::ifstream in(kHelloDynReadelf);
  std::string line;
  uint64_t entry = 0, phnum = 0, phdr_vaddr = 0;
  while (std::getline(in, line)) {
    unsigned long long x, y;
    if (sscanf(line.c_str(), "  Entry point address: 0x%llx", &x) == 1) entry = x;
    if (sscanf(line.c_str(), "  Number of program headers: %llu", &x) == 1) phnum = x;
    if (sscanf(line.c_str(), "  PHDR 0x%llx 0x%llx", &y, &x) == 2) phdr_vaddr = x;
  }
  ASSERT_NE(phdr_vaddr, 0u) << "no PT_PHDR in readelf output";
  EXPECT_EQ(value(AT_ENTRY), entry + img.exe.bias);
  EXPECT_EQ(value(AT_PHNUM), phnum);
  EXPECT_EQ(value(AT_PHENT), sizeof(Elf64_Phdr));
  EXPECT_EQ(value(AT_PHDR), phdr_vaddr + img.exe.bias);
  EXPECT_EQ(value(AT_BASE), img.interp.bias);
  EXPECT_EQ(value(AT_PAGESZ), 4096u);
  EXPECT_EQ(value(AT_SECURE), 0u);
  EXPECT_EQ(value(AT_UID), getuid());
  EXPECT_EQ(value(AT_EGID), getegid());
  // "IMAFDC" from the riscv64 kernel's asm/hwcap.h.
  EXPECT_EQ(value(AT_HWCAP), static_cast<uint64_t>(oracle::kHwcapI | oracle::kHwcapM | oracle::kHwcapA |
                                                    oracle::kHwcapF | oracle::kHwcapD | oracle::kHwcapC));
  EXPECT_TRUE(value(AT_RANDOM).has_value());
  EXPECT_TRUE(value(AT_EXECFN).has_value());
  // riscv64 Linux has no ELF_PLATFORM: no AT_PLATFORM.
  EXPECT_FALSE(value(AT_PLATFORM).has_value());
  // Linux's order: AT_HWCAP first, AT_EXECFN last (no AT_PLATFORM here).
  EXPECT_EQ(aux.front().type, uint64_t{AT_HWCAP});
  EXPECT_EQ(aux.back().type, uint64_t{AT_EXECFN});
}

}  // namespace
}  // namespace polyvm::linux
