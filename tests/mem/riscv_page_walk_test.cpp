// Sv39/Sv48 walks over page tables built by hand in a host buffer. Each expectation is a rule of
// the RISC-V privileged spec (section "Virtual Address Translation Process"), cited by step.
#include "polyvm/mem/riscv_page_walk.h"

#include <gtest/gtest.h>

#include <vector>

namespace polyvm::mem {
namespace {

using core::MemAccess;

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamSize = 8 << 20;

class PageTables : public ::testing::Test {
 protected:
  void SetUp() override {
    ram_.assign(kRamSize, 0);
    std::string error;
    ASSERT_TRUE(phys_.AddRam(kRamBase, ram_.data(), kRamSize, &error)) << error;
    t_.mode = RiscvPaging::kSv39;
    t_.root_ppn = root_ >> 12;
  }
  uint64_t& Slot(uint64_t pa) { return *reinterpret_cast<uint64_t*>(&ram_[pa - kRamBase]); }
  static uint64_t Pte(uint64_t pa, uint64_t flags) { return (pa >> 12) << 10 | flags; }
  // Index of vaddr at a level.
  static uint64_t Vpn(uint64_t va, int level) { return (va >> (12 + 9 * level)) & 511; }

  // Maps va -> pa with a 4 KiB leaf through tables at l1 and l0 (Sv39).
  void Map4K(uint64_t va, uint64_t pa, uint64_t flags) {
    Slot(root_ + 8 * Vpn(va, 2)) = Pte(l1_, kPteV);
    Slot(l1_ + 8 * Vpn(va, 1)) = Pte(l0_, kPteV);
    Slot(l0_ + 8 * Vpn(va, 0)) = Pte(pa, flags);
  }
  uint64_t& Leaf4K(uint64_t va) { return Slot(l0_ + 8 * Vpn(va, 0)); }

  WalkResult Walk(uint64_t va, MemAccess access) { return RiscvWalk(phys_, t_, va, access); }

  std::vector<uint8_t> ram_;
  PhysicalMap phys_;
  RiscvTranslation t_;
  const uint64_t root_ = kRamBase + 0x100000, l1_ = kRamBase + 0x101000, l0_ = kRamBase + 0x102000;
  static constexpr uint64_t kRWX = kPteV | kPteR | kPteW | kPteX;
};

TEST_F(PageTables, BareModeIsIdentity) {
  t_.mode = RiscvPaging::kBare;
  WalkResult r = Walk(0x1234567890, MemAccess::kWrite);
  EXPECT_EQ(r.fault, WalkFault::kNone);
  EXPECT_EQ(r.paddr, 0x1234567890u);
}

TEST_F(PageTables, FourKilobyteLeafTranslatesAndSetsAccessedThenDirty) {
  Map4K(0x40001000, kRamBase + 0x5000, kPteV | kPteR | kPteW);
  WalkResult r = Walk(0x40001abc, MemAccess::kRead);
  ASSERT_EQ(r.fault, WalkFault::kNone);
  EXPECT_EQ(r.paddr, kRamBase + 0x5abc);
  EXPECT_EQ(r.page_size, 4096u);
  // Step 7: A set on any access, D only on a store.
  EXPECT_EQ(Leaf4K(0x40001000) & (kPteA | kPteD), kPteA);
  ASSERT_EQ(Walk(0x40001000, MemAccess::kWrite).fault, WalkFault::kNone);
  EXPECT_EQ(Leaf4K(0x40001000) & (kPteA | kPteD), kPteA | kPteD);
}

TEST_F(PageTables, FailedAccessDoesNotSetAccessedOrDirty) {
  Map4K(0x40001000, kRamBase + 0x5000, kPteV | kPteR);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kWrite).fault, WalkFault::kPageFault);
  EXPECT_EQ(Leaf4K(0x40001000) & (kPteA | kPteD), 0u);
}

TEST_F(PageTables, NonCanonicalAddressIsPageFault) {
  // Sv39: bits 63:39 must all equal bit 38.
  constexpr uint64_t kUpper = 0xffffffc040001000;  // canonical, vpn2 = 0x101
  Map4K(kUpper, kRamBase + 0x5000, kRWX);
  EXPECT_EQ(Walk(kUpper, MemAccess::kRead).fault, WalkFault::kNone);
  EXPECT_EQ(Walk(kUpper & ~(uint64_t{1} << 63), MemAccess::kRead).fault, WalkFault::kPageFault);
  EXPECT_EQ(Walk(0x0000004040001000, MemAccess::kRead).fault, WalkFault::kPageFault);
}

TEST_F(PageTables, InvalidOrReservedPteIsPageFault) {
  Map4K(0x40001000, kRamBase + 0x5000, kPteR);  // V = 0 (step 3)
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kPageFault);
  Leaf4K(0x40001000) = Pte(kRamBase + 0x5000, kPteV | kPteW);  // W without R is reserved
  EXPECT_EQ(Walk(0x40001000, MemAccess::kWrite).fault, WalkFault::kPageFault);
  Leaf4K(0x40001000) = Pte(kRamBase + 0x5000, kPteV | kPteW | kPteX);  // still W without R
  EXPECT_EQ(Walk(0x40001000, MemAccess::kFetch).fault, WalkFault::kPageFault);
  // Bits 63:54 (N, PBMT, reserved) without Svnapot/Svpbmt.
  Leaf4K(0x40001000) = Pte(kRamBase + 0x5000, kPteV | kPteR) | uint64_t{1} << 61;
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kPageFault);
}

TEST_F(PageTables, UserPagesFromSupervisorNeedSumAndAreNeverExecutable) {
  Map4K(0x40001000, kRamBase + 0x5000, kRWX | kPteU);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kPageFault);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kWrite).fault, WalkFault::kPageFault);
  t_.sum = true;
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kNone);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kWrite).fault, WalkFault::kNone);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kFetch).fault, WalkFault::kPageFault);
  t_.user = true;
  EXPECT_EQ(Walk(0x40001000, MemAccess::kFetch).fault, WalkFault::kNone);
}

TEST_F(PageTables, SupervisorPagesAreInvisibleToUser) {
  Map4K(0x40001000, kRamBase + 0x5000, kRWX);
  t_.user = true;
  t_.sum = true;  // SUM only concerns S-mode
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kPageFault);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kFetch).fault, WalkFault::kPageFault);
}

TEST_F(PageTables, ExecuteOnlyPagesAreReadableOnlyWithMxr) {
  Map4K(0x40001000, kRamBase + 0x5000, kPteV | kPteX);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kFetch).fault, WalkFault::kNone);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kPageFault);
  t_.mxr = true;
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kNone);
  EXPECT_EQ(Walk(0x40001000, MemAccess::kWrite).fault, WalkFault::kPageFault);
}

TEST_F(PageTables, MegapageTakesLowVpnFromTheAddressAndMustBeAligned) {
  uint64_t va = 0x40200000;  // vpn2 = 1, vpn1 = 1
  Slot(root_ + 8 * Vpn(va, 2)) = Pte(l1_, kPteV);
  Slot(l1_ + 8 * Vpn(va, 1)) = Pte(kRamBase + 0x400000, kPteV | kPteR);
  WalkResult r = Walk(va + 0x12345, MemAccess::kRead);
  ASSERT_EQ(r.fault, WalkFault::kNone);
  EXPECT_EQ(r.paddr, kRamBase + 0x412345);
  EXPECT_EQ(r.page_size, 2u << 20);
  // Step 6: ppn[0] != 0 in a megapage leaf is a misaligned superpage.
  Slot(l1_ + 8 * Vpn(va, 1)) = Pte(kRamBase + 0x401000, kPteV | kPteR);
  EXPECT_EQ(Walk(va, MemAccess::kRead).fault, WalkFault::kPageFault);
}

TEST_F(PageTables, GigapageAndMisalignedGigapage) {
  // 1 GiB leaf at the root mapping va 0xc0000000 -> pa 0x80000000 (aligned to 1 GiB).
  Slot(root_ + 8 * 3) = Pte(0x80000000, kPteV | kPteR | kPteX);
  WalkResult r = Walk(0xc0123456, MemAccess::kFetch);
  ASSERT_EQ(r.fault, WalkFault::kNone);
  EXPECT_EQ(r.paddr, 0x80123456u);
  EXPECT_EQ(r.page_size, 1u << 30);
  Slot(root_ + 8 * 3) = Pte(0x80200000, kPteV | kPteR | kPteX);  // ppn[1] != 0
  EXPECT_EQ(Walk(0xc0123456, MemAccess::kFetch).fault, WalkFault::kPageFault);
}

TEST_F(PageTables, PointerAtTheLastLevelIsPageFault) {
  Map4K(0x40001000, kRamBase + 0x5000, kPteV);  // R = W = X = 0 at level 0
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kPageFault);
}

TEST_F(PageTables, PteOutsideRamIsAccessFault) {
  Slot(root_ + 8 * Vpn(0x40001000, 2)) = Pte(0x10000000, kPteV);  // next table in no RAM
  EXPECT_EQ(Walk(0x40001000, MemAccess::kRead).fault, WalkFault::kAccessFault);
}

TEST_F(PageTables, GlobalBitOnAPointerMakesTheLeafGlobal) {
  Map4K(0x40001000, kRamBase + 0x5000, kPteV | kPteR);
  t_.asid = 7;
  WalkResult r = Walk(0x40001000, MemAccess::kRead);
  EXPECT_FALSE(r.global);
  EXPECT_EQ(r.asid, 7);
  Slot(l1_ + 8 * Vpn(0x40001000, 1)) = Pte(l0_, kPteV | kPteG);
  EXPECT_TRUE(Walk(0x40001000, MemAccess::kRead).global);
}

TEST_F(PageTables, Sv48WalksFourLevels) {
  t_.mode = RiscvPaging::kSv48;
  uint64_t va = 0x0000123456789000;  // vpn3 = 0x24, vpn2 = 0xd1, vpn1 = 0x33c, vpn0 = 0x189
  uint64_t l2 = kRamBase + 0x103000;
  Slot(root_ + 8 * ((va >> 39) & 511)) = Pte(l2, kPteV);
  Slot(l2 + 8 * Vpn(va, 2)) = Pte(l1_, kPteV);
  Slot(l1_ + 8 * Vpn(va, 1)) = Pte(l0_, kPteV);
  Slot(l0_ + 8 * Vpn(va, 0)) = Pte(kRamBase + 0x7000, kPteV | kPteR | kPteU);
  t_.user = true;
  WalkResult r = Walk(va + 0x10, MemAccess::kRead);
  ASSERT_EQ(r.fault, WalkFault::kNone);
  EXPECT_EQ(r.paddr, kRamBase + 0x7010);
  // Sv48 canonical: bits 63:48 equal bit 47. This address is canonical in Sv48 but not Sv39.
  t_.mode = RiscvPaging::kSv39;
  EXPECT_EQ(Walk(va, MemAccess::kRead).fault, WalkFault::kPageFault);
  t_.mode = RiscvPaging::kSv48;
  EXPECT_EQ(Walk(0x0001000000000000, MemAccess::kRead).fault, WalkFault::kPageFault);
}

TEST(RiscvFaultCause, CausesPerAccessKind) {
  // Privileged spec, mcause exception codes.
  EXPECT_EQ(RiscvFaultCause(WalkFault::kPageFault, MemAccess::kFetch), 12u);
  EXPECT_EQ(RiscvFaultCause(WalkFault::kPageFault, MemAccess::kRead), 13u);
  EXPECT_EQ(RiscvFaultCause(WalkFault::kPageFault, MemAccess::kWrite), 15u);
  EXPECT_EQ(RiscvFaultCause(WalkFault::kAccessFault, MemAccess::kFetch), 1u);
  EXPECT_EQ(RiscvFaultCause(WalkFault::kAccessFault, MemAccess::kRead), 5u);
  EXPECT_EQ(RiscvFaultCause(WalkFault::kAccessFault, MemAccess::kWrite), 7u);
}

}  // namespace
}  // namespace polyvm::mem
