// The guest address space: the host reservation, mapping bookkeeping checked against the host's own
// /proc/self/maps, the kernel's top-down placement rule, brk and mremap.
#include "polyvm/mem/address_space.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "polyvm/mem/guest_access.h"

namespace polyvm::mem {
namespace {

constexpr uint64_t kP = kPageSize;

std::unique_ptr<AddressSpace> Make(uint64_t size = uint64_t{1} << 32) {
  std::string err;
  Layout layout;
  layout.size = size;
  auto as = AddressSpace::Create(layout, &err);
  EXPECT_TRUE(as) << err;
  return as;
}

// The host's permission string ("rw-p", "---p") for the host page holding p, from /proc/self/maps.
std::string HostPerms(const void* p) {
  auto addr = reinterpret_cast<uintptr_t>(p);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    uintptr_t lo, hi;
    char perms[8];
    if (sscanf(line.c_str(), "%lx-%lx %7s", &lo, &hi, perms) == 3 && addr >= lo && addr < hi) {
      return perms;
    }
  }
  return "unmapped";
}

int64_t MapAnon(AddressSpace& as, uint64_t addr, uint64_t len, uint32_t prot, uint32_t extra = 0) {
  MapRequest r;
  r.addr = addr;
  r.length = len;
  r.prot = prot;
  r.flags = kMapPrivate | kMapAnonymous | extra;
  return as.Map(r);
}

TEST(AddressSpace, ReservesWholeRangeProtNone) {
  auto as = Make();
  ASSERT_NE(as->base(), nullptr);
  EXPECT_EQ(as->limit(), uint64_t{1} << 32);
  EXPECT_EQ(HostPerms(as->base()), "---p");
  EXPECT_EQ(HostPerms(as->base() + as->limit() - 1), "---p");
  EXPECT_TRUE(as->Mappings().empty());
  EXPECT_TRUE(as->Contains(0, as->limit()));
  EXPECT_FALSE(as->Contains(1, as->limit()));
  EXPECT_FALSE(as->Contains(~uint64_t{0} - 4, 16));  // wraps around
}

TEST(AddressSpace, RejectsBadLayout) {
  std::string err;
  Layout layout;
  layout.size = 12345;
  EXPECT_EQ(AddressSpace::Create(layout, &err), nullptr);
  EXPECT_FALSE(err.empty());
}

TEST(AddressSpace, FixedMapGivesHostPermissionsAndTableEntry) {
  auto as = Make();
  ASSERT_EQ(MapAnon(*as, 0x10000, 3 * kP, kProtRead | kProtWrite, kMapFixed), 0x10000);
  EXPECT_EQ(HostPerms(as->ToHost(0x10000)), "rw-p");
  memset(as->ToHost(0x10000), 0xab, 3 * kP);  // really writable on the host
  auto m = as->Find(0x11234);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->start, 0x10000u);
  EXPECT_EQ(m->end, 0x13000u);
  EXPECT_EQ(m->prot, kProtRead | kProtWrite);
  EXPECT_FALSE(as->Find(0x13000));
  EXPECT_FALSE(as->Find(0xffff));
}

TEST(AddressSpace, ExecIsTrackedButNotGivenToTheHost) {
  auto as = Make();
  ASSERT_EQ(MapAnon(*as, 0x20000, kP, kProtRead | kProtExec, kMapFixed), 0x20000);
  EXPECT_EQ(HostPerms(as->ToHost(0x20000)), "r--p");
  EXPECT_EQ(as->Find(0x20000)->prot, kProtRead | kProtExec);
}

TEST(AddressSpace, FixedMapErrors) {
  auto as = Make();
  EXPECT_EQ(MapAnon(*as, 0x10001, kP, kProtRead, kMapFixed), -EINVAL);
  EXPECT_EQ(MapAnon(*as, 0x1000, kP, kProtRead, kMapFixed), -EPERM);  // below mmap_min_addr
  EXPECT_EQ(MapAnon(*as, as->limit() - kP, 2 * kP, kProtRead, kMapFixed), -ENOMEM);
  EXPECT_EQ(MapAnon(*as, 0x10000, 0, kProtRead, kMapFixed), -EINVAL);
  ASSERT_EQ(MapAnon(*as, 0x10000, kP, kProtRead, kMapFixed), 0x10000);
  EXPECT_EQ(MapAnon(*as, 0x10000, kP, kProtRead, kMapFixedNoReplace), -EEXIST);
  EXPECT_EQ(MapAnon(*as, 0xf000 + kP, kP, kProtRead, kMapFixedNoReplace), -EEXIST);
  EXPECT_EQ(MapAnon(*as, 0x11000, kP, kProtRead, kMapFixedNoReplace), 0x11000);
}

TEST(AddressSpace, UnmapSplitsAndRestoresReservation) {
  auto as = Make();
  ASSERT_EQ(MapAnon(*as, 0x10000, 3 * kP, kProtRead | kProtWrite, kMapFixed), 0x10000);
  ASSERT_EQ(as->Unmap(0x11000, kP), 0);
  auto maps = as->Mappings();
  ASSERT_EQ(maps.size(), 2u);
  EXPECT_EQ(maps[0].start, 0x10000u);
  EXPECT_EQ(maps[0].end, 0x11000u);
  EXPECT_EQ(maps[1].start, 0x12000u);
  EXPECT_EQ(maps[1].end, 0x13000u);
  EXPECT_EQ(HostPerms(as->ToHost(0x11000)), "---p");
  uint8_t b;
  EXPECT_EQ(CopyFromGuest(*as, &b, 0x11000, 1), -EFAULT);
  EXPECT_EQ(CopyFromGuest(*as, &b, 0x12000, 1), 0);
  EXPECT_EQ(as->Unmap(0x11001, kP), -EINVAL);
  EXPECT_EQ(as->Unmap(0x11000, 0), -EINVAL);
  EXPECT_EQ(as->Unmap(0x40000, kP), 0);  // unmapping nothing succeeds, as in Linux
}

TEST(AddressSpace, ProtectSplitsAndRequiresFullCoverage) {
  auto as = Make();
  ASSERT_EQ(MapAnon(*as, 0x10000, 3 * kP, kProtRead | kProtWrite, kMapFixed), 0x10000);
  ASSERT_EQ(as->Protect(0x11000, kP, kProtRead), 0);
  EXPECT_EQ(as->Mappings().size(), 3u);
  EXPECT_EQ(HostPerms(as->ToHost(0x11000)), "r--p");
  uint32_t v = 1;
  EXPECT_EQ(CopyToGuest(*as, 0x11000, &v, 4), -EFAULT);
  EXPECT_EQ(CopyToGuest(*as, 0x12000, &v, 4), 0);
  EXPECT_EQ(CopyFromGuest(*as, &v, 0x11000, 4), 0);
  // Back to the same permissions: the pieces merge again.
  ASSERT_EQ(as->Protect(0x11000, kP, kProtRead | kProtWrite), 0);
  EXPECT_EQ(as->Mappings().size(), 1u);
  // A hole in the range: ENOMEM and nothing changes.
  ASSERT_EQ(as->Unmap(0x12000, kP), 0);
  EXPECT_EQ(as->Protect(0x10000, 3 * kP, kProtRead), -ENOMEM);
  EXPECT_EQ(HostPerms(as->ToHost(0x10000)), "rw-p");
  EXPECT_EQ(as->Protect(0x10000, 0, kProtRead), 0);
  EXPECT_EQ(as->Protect(0x10001, kP, kProtRead), -EINVAL);
}

TEST(AddressSpace, TopDownPlacementBelowMmapBase) {
  auto as = Make();
  const uint64_t base = 0x80000000;
  as->SetMmapBase(base);
  // Linux's arch_get_unmapped_area_topdown: the highest free gap below mmap_base.
  EXPECT_EQ(MapAnon(*as, 0, 2 * kP, kProtRead), static_cast<int64_t>(base - 2 * kP));
  EXPECT_EQ(MapAnon(*as, 0, kP, kProtRead), static_cast<int64_t>(base - 3 * kP));
  ASSERT_EQ(as->Unmap(base - 2 * kP, 2 * kP), 0);
  EXPECT_EQ(MapAnon(*as, 0, kP, kProtRead), static_cast<int64_t>(base - kP));
  // A 2-page request does not fit in the 1-page gap left at base - 2 pages.
  EXPECT_EQ(MapAnon(*as, 0, 2 * kP, kProtRead), static_cast<int64_t>(base - 5 * kP));
  // A mapping straddling mmap_base is skipped over.
  ASSERT_EQ(MapAnon(*as, base - 8 * kP, 16 * kP, kProtRead, kMapFixed),
            static_cast<int64_t>(base - 8 * kP));
  EXPECT_EQ(MapAnon(*as, 0, kP, kProtRead), static_cast<int64_t>(base - 9 * kP));
}

TEST(AddressSpace, HintIsUsedOnlyIfFree) {
  auto as = Make();
  as->SetMmapBase(0x80000000);
  EXPECT_EQ(MapAnon(*as, 0x500000, kP, kProtRead), 0x500000);
  EXPECT_EQ(MapAnon(*as, 0x500000, kP, kProtRead), static_cast<int64_t>(0x80000000 - kP));
  EXPECT_EQ(MapAnon(*as, 0x600001, kP, kProtRead), 0x601000);  // rounded up, as Linux does
}

TEST(AddressSpace, FullSpaceGivesENOMEM) {
  auto as = Make(uint64_t{1} << 24);
  EXPECT_EQ(MapAnon(*as, 0, uint64_t{1} << 24, kProtRead), -ENOMEM);
  EXPECT_GT(MapAnon(*as, 0, (uint64_t{1} << 24) - 0x10000, kProtNone), 0);
  EXPECT_EQ(MapAnon(*as, 0, kP, kProtRead), -ENOMEM);
}

TEST(AddressSpace, FileMappingShowsFileContents) {
  auto as = Make();
  FILE* f = tmpfile();
  ASSERT_NE(f, nullptr);
  std::string data(2 * kP, 'x');
  data[kP] = 'Q';
  fwrite(data.data(), 1, data.size(), f);
  fflush(f);
  MapRequest r;
  r.length = kP;
  r.prot = kProtRead;
  r.flags = kMapPrivate;
  r.fd = fileno(f);
  r.offset = kP;
  r.name = "/tmp/data";
  int64_t a = as->Map(r);
  ASSERT_GT(a, 0);
  char c = 0;
  ASSERT_EQ(CopyFromGuest(*as, &c, a, 1), 0);
  EXPECT_EQ(c, 'Q');
  auto m = as->Find(a);
  EXPECT_EQ(m->offset, kP);
  EXPECT_EQ(m->name, "/tmp/data");
  fclose(f);
  r.fd = -1;
  EXPECT_EQ(as->Map(r), -EBADF);
}

TEST(AddressSpace, FailedFixedMapLeavesTheOldMapping) {
  auto as = Make();
  ASSERT_EQ(MapAnon(*as, 0x10000, 2 * kP, kProtRead | kProtWrite, kMapFixed), 0x10000);
  static_cast<uint8_t*>(as->ToHost(0x10000))[5] = 42;
  int dir = open("/", O_RDONLY);
  ASSERT_GE(dir, 0);
  MapRequest r;
  r.addr = 0x10000;
  r.length = 2 * kP;
  r.prot = kProtRead;
  r.flags = kMapPrivate | kMapFixed;
  r.fd = dir;
  EXPECT_EQ(as->Map(r), -ENODEV);  // directories cannot be mapped (the host's answer)
  close(dir);
  auto m = as->Find(0x10000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->prot, kProtRead | kProtWrite);
  EXPECT_EQ(HostPerms(as->ToHost(0x10000)), "rw-p");
  EXPECT_EQ(static_cast<uint8_t*>(as->ToHost(0x10000))[5], 42);
}

TEST(AddressSpace, BrkGrowsShrinksAndStopsAtMappings) {
  auto as = Make();
  as->InitBrk(0x100123);
  EXPECT_EQ(as->Brk(0), 0x101000u);
  EXPECT_EQ(as->Brk(0x103800), 0x103800u);
  auto m = as->Find(0x102000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "[heap]");
  EXPECT_EQ(m->end, 0x104000u);
  uint64_t v = 7;
  EXPECT_EQ(CopyToGuest(*as, 0x103ff8, &v, 8), 0);
  EXPECT_EQ(as->Brk(0x102000), 0x102000u);
  EXPECT_FALSE(as->Find(0x102000));
  EXPECT_EQ(as->Brk(0x1000), 0x102000u);  // below the start: unchanged
  ASSERT_EQ(MapAnon(*as, 0x108000, kP, kProtRead, kMapFixed), 0x108000);
  EXPECT_EQ(as->Brk(0x109000), 0x102000u);  // would overlap a mapping: unchanged
  EXPECT_EQ(as->Brk(0x108000), 0x108000u);
}

TEST(AddressSpace, RemapShrinkGrowAndMove) {
  auto as = Make();
  as->SetMmapBase(0x80000000);
  ASSERT_EQ(MapAnon(*as, 0x200000, 4 * kP, kProtRead | kProtWrite, kMapFixed), 0x200000);
  memset(as->ToHost(0x200000), 0x5a, 4 * kP);
  // Shrink in place.
  EXPECT_EQ(as->Remap(0x200000, 4 * kP, 2 * kP, 0, 0), 0x200000);
  EXPECT_EQ(as->Find(0x200000)->end, 0x202000u);
  EXPECT_EQ(HostPerms(as->ToHost(0x202000)), "---p");
  // Grow in place into free space; old contents stay, new pages are zero.
  EXPECT_EQ(as->Remap(0x200000, 2 * kP, 3 * kP, 0, 0), 0x200000);
  EXPECT_EQ(as->Find(0x200000)->end, 0x203000u);
  EXPECT_EQ(as->ToHost(0x200000) == nullptr, false);
  EXPECT_EQ(static_cast<uint8_t*>(as->ToHost(0x201fff))[0], 0x5a);
  EXPECT_EQ(static_cast<uint8_t*>(as->ToHost(0x202000))[0], 0);
  // Blocked: without MAYMOVE it fails, with it the mapping moves (contents preserved).
  ASSERT_EQ(MapAnon(*as, 0x203000, kP, kProtRead, kMapFixed), 0x203000);
  EXPECT_EQ(as->Remap(0x200000, 3 * kP, 8 * kP, 0, 0), -ENOMEM);
  int64_t moved = as->Remap(0x200000, 3 * kP, 8 * kP, kRemapMayMove, 0);
  ASSERT_GT(moved, 0);
  EXPECT_NE(moved, 0x200000);
  EXPECT_EQ(static_cast<uint8_t*>(as->ToHost(moved))[0], 0x5a);
  EXPECT_FALSE(as->Find(0x200000));
  EXPECT_EQ(HostPerms(as->ToHost(0x200000)), "---p");
  EXPECT_EQ(as->Find(moved)->end, static_cast<uint64_t>(moved) + 8 * kP);
  // Fixed destination.
  EXPECT_EQ(as->Remap(moved, 8 * kP, 8 * kP, kRemapMayMove | kRemapFixed, 0x400000), 0x400000);
  EXPECT_EQ(static_cast<uint8_t*>(as->ToHost(0x400000))[0], 0x5a);
  // Errors: not mapped, flags.
  EXPECT_EQ(as->Remap(0x900000, kP, 2 * kP, kRemapMayMove, 0), -EFAULT);
  EXPECT_EQ(as->Remap(0x400000, kP, 2 * kP, kRemapFixed, 0x500000), -EINVAL);
  EXPECT_EQ(as->Remap(0x400000, kP, 2 * kP, 64, 0), -EINVAL);
}

TEST(AddressSpace, AccessibleBytesFollowsPermissions) {
  auto as = Make();
  ASSERT_EQ(MapAnon(*as, 0x10000, 2 * kP, kProtRead | kProtExec, kMapFixed), 0x10000);
  ASSERT_EQ(MapAnon(*as, 0x12000, kP, kProtRead, kMapFixed), 0x12000);
  EXPECT_EQ(as->AccessibleBytes(0x10ffe, 100, kProtExec), 100u);
  EXPECT_EQ(as->AccessibleBytes(0x11ffe, 100, kProtExec), 2u);
  EXPECT_EQ(as->AccessibleBytes(0x11ffe, 100, kProtRead), 100u);
  EXPECT_EQ(as->AccessibleBytes(0x13000, 100, kProtRead), 0u);
  EXPECT_EQ(as->AccessibleBytes(0x0, 100, kProtRead), 0u);
}

TEST(AddressSpace, CodeHookSeesExecChanges) {
  auto as = Make();
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  as->SetCodeChangeHook([&](uint64_t a, uint64_t n) { seen.emplace_back(a, n); });
  ASSERT_EQ(MapAnon(*as, 0x10000, 2 * kP, kProtRead | kProtWrite, kMapFixed), 0x10000);
  EXPECT_TRUE(seen.empty());
  ASSERT_EQ(as->Protect(0x10000, kP, kProtRead | kProtExec), 0);
  ASSERT_EQ(seen.size(), 1u);
  ASSERT_EQ(as->Unmap(0x10000, 2 * kP), 0);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1], std::make_pair(uint64_t{0x10000}, 2 * kP));
}

}  // namespace
}  // namespace polyvm::mem
