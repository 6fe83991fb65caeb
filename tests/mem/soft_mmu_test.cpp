// The soft MMU over a real Sv39 walker and hand-built page tables: TLB fills an engine can hit
// inline, MMIO dispatch, accesses crossing pages, flushes (by page, ASID, superpage), atomics,
// fetches and code-write notification.
#include "polyvm/mem/soft_mmu.h"

#include <gtest/gtest.h>

#include <vector>

#include "polyvm/mem/riscv_page_walk.h"

namespace polyvm::mem {
namespace {

using core::MemAccess;

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamSize = 4 << 20;
constexpr uint64_t kMmioBase = 0x10000000;

// A device that records what it was asked.
class RecordingDevice final : public core::MmioDevice {
 public:
  uint64_t Read(uint64_t offset, unsigned size) override {
    last_offset = offset;
    last_size = size;
    return 0x1122334455667788ull >> (64 - 8 * size);
  }
  void Write(uint64_t offset, unsigned size, uint64_t value) override {
    last_offset = offset;
    last_size = size;
    last_value = value;
    ++writes;
  }
  std::string_view Name() const override { return "recording"; }
  uint64_t last_offset = 0, last_value = 0;
  unsigned last_size = 0, writes = 0;
};

// Context 0 = S-mode Sv39, context 1 = U-mode, as a machine would define them.
class TestWalker final : public PageWalker {
 public:
  TestWalker(const PhysicalMap& phys) : phys_(phys) {}
  WalkResult Walk(uint64_t vaddr, MemAccess access, unsigned context) override {
    ++walks;
    RiscvTranslation t = t_;
    t.user = context == 1;
    return RiscvWalk(phys_, t, vaddr, access);
  }
  RiscvTranslation t_;
  unsigned walks = 0;

 private:
  const PhysicalMap& phys_;
};

class CodePages final : public CodeTracker {
 public:
  bool HasCode(uint64_t page) const override { return page == code_page; }
  void OnCodeWrite(uint64_t paddr, unsigned size) override {
    last = paddr;
    last_size = size;
  }
  uint64_t code_page = 0, last = 0;
  unsigned last_size = 0;
};

class SoftMmuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ram_.assign(kRamSize, 0);
    std::string error;
    ASSERT_TRUE(phys_.AddRam(kRamBase, ram_.data(), kRamSize, &error)) << error;
    ASSERT_TRUE(phys_.AddMmio(kMmioBase, 0x1000, &dev_, &error)) << error;
    walker_.t_.mode = RiscvPaging::kSv39;
    walker_.t_.root_ppn = kRoot >> 12;
    walker_.t_.asid = 3;
  }
  uint64_t& Slot(uint64_t pa) { return *reinterpret_cast<uint64_t*>(&ram_[pa - kRamBase]); }
  static uint64_t Pte(uint64_t pa, uint64_t flags) { return (pa >> 12) << 10 | flags; }
  // One table per level: mappings in one test must differ in va[20:12].
  void Map4K(uint64_t va, uint64_t pa, uint64_t flags) {
    Slot(kRoot + 8 * ((va >> 30) & 511)) = Pte(kL1, kPteV);
    Slot(kL1 + 8 * ((va >> 21) & 511)) = Pte(kL0, kPteV);
    Slot(kL0 + 8 * ((va >> 12) & 511)) = Pte(pa, flags);
  }
  uint8_t* Host(uint64_t pa) { return &ram_[pa - kRamBase]; }

  static constexpr uint64_t kRoot = kRamBase + 0x100000, kL1 = kRoot + 0x1000, kL0 = kRoot + 0x2000;
  static constexpr uint64_t kRW = kPteV | kPteR | kPteW | kPteA | kPteD;
  std::vector<uint8_t> ram_;
  PhysicalMap phys_;
  RecordingDevice dev_;
  TestWalker walker_{phys_};
  SoftMmu mmu_{phys_, walker_};
};

TEST_F(SoftMmuTest, RefillGivesAnEntryTheInlineTestHits) {
  Map4K(0x40000000, kRamBase + 0x8000, kRW);
  MmuFault fault;
  const TlbEntry* e = mmu_.Refill(0x40000123, MemAccess::kRead, &fault);
  ASSERT_NE(e, nullptr);
  // What translated code does (tlb.h).
  uint64_t va = 0x40000ff8;
  const TlbEntry& inline_e = mmu_.data_tlb().entries[kTlbRead][TlbSet::Index(va)];
  ASSERT_EQ(inline_e.tag, va & kTlbPageMask);
  EXPECT_EQ(reinterpret_cast<uint8_t*>(va + inline_e.addend), Host(kRamBase + 0x8ff8));
  EXPECT_EQ(inline_e.paddr, kRamBase + 0x8000);
  EXPECT_EQ(inline_e.asid, 3u);
  // Reads fill only the read array.
  EXPECT_EQ(mmu_.data_tlb().entries[kTlbWrite][TlbSet::Index(va)].tag, kTlbInvalid);
}

TEST_F(SoftMmuTest, LoadAndStoreThroughTheSlowPathHitRam) {
  Map4K(0x40000000, kRamBase + 0x8000, kRW);
  ASSERT_FALSE(mmu_.Store(0x40000010, 8, 0x0123456789abcdef));
  EXPECT_EQ(*reinterpret_cast<uint64_t*>(Host(kRamBase + 0x8010)), 0x0123456789abcdefu);
  uint64_t v = 0;
  ASSERT_FALSE(mmu_.Load(0x40000012, 2, &v));
  EXPECT_EQ(v, 0x89abu);
  EXPECT_EQ(walker_.walks, 2u);  // one for the write array, one for the read array
  ASSERT_FALSE(mmu_.Load(0x40000014, 4, &v));
  EXPECT_EQ(walker_.walks, 2u);  // a hit
}

TEST_F(SoftMmuTest, MmioPagesAreMarkedAndDispatched) {
  Map4K(0x50000000, kMmioBase, kRW);
  MmuFault fault;
  const TlbEntry* e = mmu_.Refill(0x50000000, MemAccess::kWrite, &fault);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->tag & kTlbMmio, kTlbMmio);
  EXPECT_NE(e->tag, 0x50000000u) << "the inline compare must fail";
  ASSERT_FALSE(mmu_.Store(0x50000024, 4, 0xdeadbeef));
  EXPECT_EQ(dev_.last_offset, 0x24u);
  EXPECT_EQ(dev_.last_size, 4u);
  EXPECT_EQ(dev_.last_value, 0xdeadbeefu);
  uint64_t v = 0;
  ASSERT_FALSE(mmu_.Load(0x50000008, 2, &v));
  EXPECT_EQ(v, 0x1122u);
  EXPECT_EQ(dev_.last_offset, 8u);
  EXPECT_EQ(mmu_.stats().mmio, 2u);
}

TEST_F(SoftMmuTest, FetchFromMmioOrUnbackedMemoryIsAccessFault) {
  Map4K(0x50000000, kMmioBase, kRW | kPteX);
  Map4K(0x50001000, 0x20000000, kRW | kPteX);  // nothing at that physical address
  uint8_t buf[4];
  MmuFault fault;
  EXPECT_EQ(mmu_.Fetch(0x50000000, buf, 4, &fault), 0u);
  EXPECT_EQ(fault.kind, WalkFault::kAccessFault);
  EXPECT_EQ(fault.access, MemAccess::kFetch);
  uint64_t v;
  fault = mmu_.Load(0x50001000, 4, &v);
  EXPECT_EQ(fault.kind, WalkFault::kAccessFault);
  EXPECT_EQ(fault.vaddr, 0x50001000u);
}

TEST_F(SoftMmuTest, AccessCrossingIntoAFaultingPageTouchesNothing) {
  Map4K(0x40000000, kRamBase + 0x8000, kRW);  // 0x40001000 unmapped
  MmuFault fault = mmu_.Store(0x40000ffc, 8, ~uint64_t{0});
  EXPECT_EQ(fault.kind, WalkFault::kPageFault);
  EXPECT_EQ(fault.access, MemAccess::kWrite);
  EXPECT_EQ(fault.vaddr, 0x40001000u) << "the portion of the access that faulted";
  EXPECT_EQ(*reinterpret_cast<uint32_t*>(Host(kRamBase + 0x8ffc)), 0u);
  // Mapped, the same store splits across the two physical pages.
  Map4K(0x40001000, kRamBase + 0x3000, kRW);
  ASSERT_FALSE(mmu_.Store(0x40000ffc, 8, 0x8877665544332211));
  EXPECT_EQ(*reinterpret_cast<uint32_t*>(Host(kRamBase + 0x8ffc)), 0x44332211u);
  EXPECT_EQ(*reinterpret_cast<uint32_t*>(Host(kRamBase + 0x3000)), 0x88776655u);
  uint64_t v = 0;
  ASSERT_FALSE(mmu_.Load(0x40000ffe, 4, &v));
  EXPECT_EQ(v, 0x66554433u);
}

TEST_F(SoftMmuTest, StaleEntriesStayUntilFlushedByPage) {
  Map4K(0x40000000, kRamBase + 0x8000, kRW);
  uint64_t v;
  ASSERT_FALSE(mmu_.Load(0x40000000, 8, &v));
  Map4K(0x40000000, kRamBase + 0x9000, kRW);  // remap without sfence.vma
  *reinterpret_cast<uint64_t*>(Host(kRamBase + 0x9000)) = 42;
  ASSERT_FALSE(mmu_.Load(0x40000000, 8, &v));
  EXPECT_EQ(v, 0u) << "the TLB may keep the old translation (spec: sfence.vma is required)";
  mmu_.FlushPage(0x40000abc);
  ASSERT_FALSE(mmu_.Load(0x40000000, 8, &v));
  EXPECT_EQ(v, 42u);
}

TEST_F(SoftMmuTest, FlushByAsidKeepsGlobalMappings) {
  Map4K(0x40000000, kRamBase + 0x8000, kRW);
  Map4K(0x40001000, kRamBase + 0x9000, kRW | kPteG);
  uint64_t v;
  ASSERT_FALSE(mmu_.Load(0x40000000, 8, &v));
  ASSERT_FALSE(mmu_.Load(0x40001000, 8, &v));
  mmu_.FlushAsid(4);  // another address space: nothing to drop
  EXPECT_EQ(walker_.walks, 2u);
  ASSERT_FALSE(mmu_.Load(0x40000000, 8, &v));
  EXPECT_EQ(walker_.walks, 2u);
  mmu_.FlushAsid(3);
  ASSERT_FALSE(mmu_.Load(0x40001000, 8, &v));
  EXPECT_EQ(walker_.walks, 2u) << "global entry kept";
  ASSERT_FALSE(mmu_.Load(0x40000000, 8, &v));
  EXPECT_EQ(walker_.walks, 3u) << "non-global entry dropped";
  mmu_.FlushPageAsid(0x40001000, 3);
  ASSERT_FALSE(mmu_.Load(0x40001000, 8, &v));
  EXPECT_EQ(walker_.walks, 3u) << "sfence.vma with an ASID leaves global mappings";
  mmu_.FlushPage(0x40001000);
  ASSERT_FALSE(mmu_.Load(0x40001000, 8, &v));
  EXPECT_EQ(walker_.walks, 4u);
}

TEST_F(SoftMmuTest, FlushInsideASuperpageDropsAllItsPages) {
  // A 2 MiB page at va 0x40200000 -> pa kRamBase + 0x200000.
  Slot(kRoot + 8 * 1) = Pte(kL1, kPteV);
  Slot(kL1 + 8 * 1) = Pte(kRamBase + 0x200000, kRW);
  uint64_t v;
  ASSERT_FALSE(mmu_.Load(0x40200000, 8, &v));
  ASSERT_FALSE(mmu_.Load(0x40345000, 8, &v));
  EXPECT_EQ(walker_.walks, 2u);
  mmu_.FlushPage(0x40210000);  // a page of the superpage not cached itself
  ASSERT_FALSE(mmu_.Load(0x40345000, 8, &v));
  EXPECT_EQ(walker_.walks, 3u);
}

TEST_F(SoftMmuTest, ContextsHaveTheirOwnEntries) {
  Map4K(0x40000000, kRamBase + 0x8000, kRW);  // a supervisor page
  uint64_t v;
  ASSERT_FALSE(mmu_.Load(0x40000000, 8, &v));
  mmu_.SelectContexts(1, 1);  // user
  MmuFault fault = mmu_.Load(0x40000000, 8, &v);
  EXPECT_EQ(fault.kind, WalkFault::kPageFault);
  mmu_.SelectContexts(0, 0);
  EXPECT_FALSE(mmu_.Load(0x40000000, 8, &v));
}

TEST_F(SoftMmuTest, AtomicsNeedStorePermissionAndRam) {
  Map4K(0x40000000, kRamBase + 0x8000, kPteV | kPteR | kPteA);
  Map4K(0x40001000, kMmioBase, kRW);  // (one leaf table: distinct vpn0)
  MmuFault fault;
  EXPECT_EQ(mmu_.AtomicPointer(0x40000008, 8, MemAccess::kWrite, &fault), nullptr);
  EXPECT_EQ(fault.kind, WalkFault::kPageFault);
  EXPECT_EQ(mmu_.AtomicPointer(0x40000008, 8, MemAccess::kRead, &fault), Host(kRamBase + 0x8008));
  fault = {};
  EXPECT_EQ(mmu_.AtomicPointer(0x40001000, 4, MemAccess::kWrite, &fault), nullptr);
  EXPECT_EQ(fault.kind, WalkFault::kAccessFault);
}

TEST_F(SoftMmuTest, WritesToCodePagesAreSlowAndReported) {
  CodePages code;
  code.code_page = kRamBase + 0x8000;
  mmu_.set_code_tracker(&code);
  Map4K(0x40000000, kRamBase + 0x8000, kRW | kPteX);
  MmuFault fault;
  const TlbEntry* e = mmu_.Refill(0x40000000, MemAccess::kWrite, &fault);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->tag & kTlbCodeWrite, kTlbCodeWrite);
  ASSERT_FALSE(mmu_.Store(0x40000040, 4, 0x13));
  EXPECT_EQ(code.last, kRamBase + 0x8040);
  EXPECT_EQ(code.last_size, 4u);
  uint8_t insn[4];
  EXPECT_EQ(mmu_.Fetch(0x40000040, insn, 4, &fault), 4u);
  EXPECT_EQ(insn[0], 0x13);
  uint64_t pa = 0;
  ASSERT_TRUE(mmu_.FetchPhysical(0x40000040, &pa, &fault));
  EXPECT_EQ(pa, kRamBase + 0x8040);
}

TEST_F(SoftMmuTest, FetchStopsAtTheFirstUnfetchableByte) {
  Map4K(0x40000000, kRamBase + 0x8000, kRW | kPteX);
  uint8_t buf[8];
  MmuFault fault;
  EXPECT_EQ(mmu_.Fetch(0x40000ffe, buf, 8, &fault), 2u);
  EXPECT_EQ(fault.kind, WalkFault::kPageFault);
  EXPECT_EQ(fault.vaddr, 0x40001000u);
}

}  // namespace
}  // namespace polyvm::mem
