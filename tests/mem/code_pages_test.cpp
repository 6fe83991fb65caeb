// Code pages: guest-writable pages that code was read from are write-protected on the host (read
// back from /proc/self/maps), released with their translations dropped (the code-change hook) on
// a write, and forgotten when the guest mapping changes (mprotect, munmap, mremap, mmap over).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "polyvm/core/os/fault_guard.h"
#include "polyvm/mem/address_space.h"
#include "polyvm/mem/guest_access.h"

namespace polyvm::mem {
namespace {

constexpr uint64_t kP = kPageSize;
constexpr uint64_t kAt = 0x20000;
constexpr uint32_t kRwx = kProtRead | kProtWrite | kProtExec;

struct Fixture {
  std::unique_ptr<AddressSpace> as;
  std::vector<std::pair<uint64_t, uint64_t>> invalidated;

  Fixture() {
    std::string err;
    Layout layout;
    layout.size = uint64_t{1} << 32;
    as = AddressSpace::Create(layout, &err);
    EXPECT_TRUE(as) << err;
    as->SetCodeChangeHook([this](uint64_t a, uint64_t n) { invalidated.emplace_back(a, n); });
  }

  void Map(uint64_t addr, uint64_t len, uint32_t prot) {
    MapRequest r;
    r.addr = addr;
    r.length = len;
    r.prot = prot;
    r.flags = kMapPrivate | kMapAnonymous | kMapFixed;
    ASSERT_EQ(as->Map(r), static_cast<int64_t>(addr));
    invalidated.clear();
  }

  // The host's permissions ("rw-p", "r--p") of the page holding guest address a.
  std::string HostPerms(uint64_t a) const {
    auto host = reinterpret_cast<uintptr_t>(as->ToHost(a));
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
      uintptr_t lo, hi;
      char perms[8];
      if (sscanf(line.c_str(), "%lx-%lx %7s", &lo, &hi, perms) == 3 && host >= lo && host < hi) {
        return perms;
      }
    }
    return "unmapped";
  }

  // Whether a plain host store to guest address a faults.
  bool HostStoreFaults(uint64_t a) const {
    core::os::InstallFaultHandler();
    auto lo = reinterpret_cast<uintptr_t>(as->base());
    core::os::FaultScope scope(lo, lo + as->limit());
    if (POLYVM_FAULT_SCOPE_ENTER(scope)) return true;
    *static_cast<volatile uint8_t*>(as->ToHost(a)) = 0x5a;
    return false;
  }
};

TEST(CodePages, CodeReadWriteProtectsWritablePageOnly) {
  Fixture f;
  f.Map(kAt, 3 * kP, kRwx);
  f.as->ProtectCodePages(kAt + kP - 2, 4);  // an instruction straddling two pages
  EXPECT_TRUE(f.as->IsCodePage(kAt));
  EXPECT_TRUE(f.as->IsCodePage(kAt + kP));
  EXPECT_FALSE(f.as->IsCodePage(kAt + 2 * kP));
  EXPECT_EQ(f.as->code_page_count(), 2u);
  EXPECT_EQ(f.HostPerms(kAt), "r--p");
  EXPECT_EQ(f.HostPerms(kAt + kP), "r--p");
  EXPECT_EQ(f.HostPerms(kAt + 2 * kP), "rw-p");
  EXPECT_TRUE(f.HostStoreFaults(kAt + 8));
  EXPECT_FALSE(f.HostStoreFaults(kAt + 2 * kP));
  // The guest's view is unchanged.
  EXPECT_EQ(f.as->Find(kAt)->prot, kRwx);
  EXPECT_TRUE(f.invalidated.empty());
}

TEST(CodePages, ReadOnlyCodeIsLeftAlone) {
  Fixture f;
  f.Map(kAt, kP, kProtRead | kProtExec);
  f.as->ProtectCodePages(kAt, 64);
  EXPECT_FALSE(f.as->IsCodePage(kAt));
  EXPECT_EQ(f.as->code_page_count(), 0u);
  EXPECT_EQ(f.HostPerms(kAt), "r--p");
}

TEST(CodePages, ReleaseUnprotectsAndInvalidates) {
  Fixture f;
  f.Map(kAt, 2 * kP, kRwx);
  f.as->ProtectCodePages(kAt, 2 * kP);
  EXPECT_EQ(f.as->ReleaseCodePages(kAt + kP + 100, 1), 1u);  // what a write fault there does
  ASSERT_EQ(f.invalidated.size(), 1u);
  EXPECT_EQ(f.invalidated[0], std::make_pair(kAt + kP, kP));
  EXPECT_EQ(f.HostPerms(kAt + kP), "rw-p");
  EXPECT_FALSE(f.HostStoreFaults(kAt + kP + 100));
  EXPECT_TRUE(f.as->IsCodePage(kAt));
  EXPECT_TRUE(f.HostStoreFaults(kAt));
  // Nothing left to release there: no second invalidation.
  EXPECT_EQ(f.as->ReleaseCodePages(kAt + kP, kP), 0u);
  EXPECT_EQ(f.invalidated.size(), 1u);
  // Translating from the page again protects it again.
  f.as->ProtectCodePages(kAt + kP, 4);
  EXPECT_TRUE(f.HostStoreFaults(kAt + kP));
}

TEST(CodePages, PolyvmWritesReleaseFirst) {
  Fixture f;
  f.Map(kAt, 3 * kP, kRwx);
  f.as->ProtectCodePages(kAt, 3 * kP);
  const uint32_t word = 0x12345678;
  EXPECT_EQ(WriteGuest(*f.as, kAt + 16, word), 0);
  uint32_t back = 0;
  ASSERT_EQ(ReadGuest(*f.as, kAt + 16, back), 0);
  EXPECT_EQ(back, word);
  ASSERT_EQ(f.invalidated.size(), 1u);
  EXPECT_EQ(f.invalidated[0], std::make_pair(kAt, kP));
  EXPECT_EQ(FillGuest(*f.as, kAt + kP, 0xaa, 8), 0);
  EXPECT_EQ(f.invalidated.size(), 2u);
  // A host system call writing into a guest buffer (read(2) from a pipe).
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "code", 4), 4);
  void* buf = GuestBuffer(*f.as, kAt + 2 * kP + 4, 4);
  ASSERT_NE(buf, nullptr);
  EXPECT_EQ(read(fds[0], buf, 4), 4);
  close(fds[0]);
  close(fds[1]);
  EXPECT_EQ(f.invalidated.size(), 3u);
  EXPECT_EQ(f.as->code_page_count(), 0u);
}

TEST(CodePages, MprotectForgetsCodePages) {
  Fixture f;
  f.Map(kAt, 2 * kP, kRwx);
  f.as->ProtectCodePages(kAt, 2 * kP);
  ASSERT_EQ(f.as->Protect(kAt, kP, kProtRead | kProtWrite), 0);
  EXPECT_FALSE(f.as->IsCodePage(kAt));
  EXPECT_EQ(f.HostPerms(kAt), "rw-p");
  EXPECT_FALSE(f.invalidated.empty());  // the old mapping was executable
  // Back to RWX: writable on the host until code is read from it again.
  ASSERT_EQ(f.as->Protect(kAt, kP, kRwx), 0);
  EXPECT_EQ(f.HostPerms(kAt), "rw-p");
  // The neighbour the mprotect did not cover is still protected.
  EXPECT_TRUE(f.as->IsCodePage(kAt + kP));
  EXPECT_TRUE(f.HostStoreFaults(kAt + kP));
  // Read-only: the host protection follows the guest's, and the page is no code page.
  ASSERT_EQ(f.as->Protect(kAt + kP, kP, kProtRead | kProtExec), 0);
  EXPECT_FALSE(f.as->IsCodePage(kAt + kP));
  EXPECT_EQ(f.HostPerms(kAt + kP), "r--p");
}

TEST(CodePages, UnmapAndMapOverForget) {
  Fixture f;
  f.Map(kAt, 2 * kP, kRwx);
  f.as->ProtectCodePages(kAt, 2 * kP);
  ASSERT_EQ(f.as->Unmap(kAt, kP), 0);
  EXPECT_FALSE(f.as->IsCodePage(kAt));
  EXPECT_EQ(f.as->code_page_count(), 1u);
  f.Map(kAt + kP, kP, kRwx);  // MAP_FIXED over the remaining code page
  EXPECT_EQ(f.as->code_page_count(), 0u);
  EXPECT_EQ(f.HostPerms(kAt + kP), "rw-p");
}

TEST(CodePages, MremapMovesWritablePages) {
  Fixture f;
  f.Map(kAt, 2 * kP, kRwx);
  f.as->ProtectCodePages(kAt, 2 * kP);
  const uint64_t dest = 0x80000;
  ASSERT_EQ(f.as->Remap(kAt, 2 * kP, 2 * kP, kRemapMayMove | kRemapFixed, dest),
            static_cast<int64_t>(dest));
  EXPECT_EQ(f.as->code_page_count(), 0u);
  EXPECT_EQ(f.HostPerms(dest), "rw-p");
  EXPECT_EQ(f.HostPerms(dest + kP), "rw-p");
  EXPECT_FALSE(f.HostStoreFaults(dest + kP));
  ASSERT_FALSE(f.invalidated.empty());
  EXPECT_EQ(f.invalidated.back(), std::make_pair(kAt, 2 * kP));
}

TEST(CodePages, MremapGrowInPlaceKeepsPagesWritable) {
  Fixture f;
  f.Map(kAt, kP, kRwx);
  f.as->ProtectCodePages(kAt, 4);
  ASSERT_EQ(f.as->Remap(kAt, kP, 2 * kP, kRemapMayMove, 0), static_cast<int64_t>(kAt));
  EXPECT_FALSE(f.as->IsCodePage(kAt));
  EXPECT_FALSE(f.HostStoreFaults(kAt));
  EXPECT_FALSE(f.HostStoreFaults(kAt + kP));
  EXPECT_FALSE(f.invalidated.empty());
}

}  // namespace
}  // namespace polyvm::mem
