// engine::CodePages: counting translations per physical page, the generation that tells vCPUs to
// re-mark their write TLBs, and the marking itself on a real SoftMmu (identity walker).
#include "polyvm/engine/common/code_pages.h"

#include <gtest/gtest.h>

#include <vector>

#include "polyvm/mem/physical_map.h"
#include "polyvm/mem/soft_mmu.h"

namespace polyvm::engine {
namespace {

constexpr uint64_t kRam = 0x80000000;

class IdentityWalker final : public mem::PageWalker {
 public:
  mem::WalkResult Walk(uint64_t vaddr, core::MemAccess, unsigned) override {
    return {mem::WalkFault::kNone, vaddr, mem::kTlbPageSize, false, 0};
  }
};

TEST(CodePages, CountsTranslationsPerPage) {
  CodePages pages;
  uint64_t g0 = pages.generation();
  EXPECT_TRUE(pages.Add(kRam));
  uint64_t g1 = pages.generation();
  EXPECT_NE(g1, g0) << "a page getting its first translation moves the generation";
  EXPECT_FALSE(pages.Add(kRam));
  EXPECT_EQ(pages.generation(), g1) << "a second translation of the same page does not";
  EXPECT_TRUE(pages.Contains(kRam + 0x123)) << "any address in the page";
  pages.Remove(kRam);
  EXPECT_TRUE(pages.Contains(kRam));
  pages.Remove(kRam);
  EXPECT_FALSE(pages.Contains(kRam));
}

TEST(CodePages, OverlapsByRange) {
  CodePages pages;
  pages.Add(kRam + 0x2000);
  EXPECT_FALSE(pages.Overlaps(kRam, 0x2000));
  EXPECT_TRUE(pages.Overlaps(kRam + 0x1ffe, 4)) << "an access crossing into the code page";
  EXPECT_TRUE(pages.Overlaps(kRam, 0x10000));
  EXPECT_FALSE(pages.Overlaps(kRam + 0x2000, 0));
  pages.Clear();
  EXPECT_FALSE(pages.Overlaps(kRam, 0x10000));
}

TEST(CodePages, MarksOnlyWriteEntriesOfCodePages) {
  std::vector<uint8_t> ram(0x4000);
  mem::PhysicalMap phys;
  std::string error;
  ASSERT_TRUE(phys.AddRam(kRam, ram.data(), ram.size(), &error)) << error;
  IdentityWalker walker;
  mem::SoftMmu mmu(phys, walker);
  mem::MmuFault fault;
  const mem::TlbEntry* code_w = mmu.Refill(kRam, core::MemAccess::kWrite, &fault);
  const mem::TlbEntry* data_w = mmu.Refill(kRam + 0x1000, core::MemAccess::kWrite, &fault);
  const mem::TlbEntry* code_r = mmu.Refill(kRam, core::MemAccess::kRead, &fault);
  ASSERT_TRUE(code_w && data_w && code_r);
  ASSERT_EQ(code_w->tag, kRam) << "filled before the page held code: no flag";

  CodePages pages;
  pages.Add(kRam);
  pages.MarkWriteTlbs(mmu);
  EXPECT_EQ(code_w->tag, kRam | mem::kTlbCodeWrite);
  EXPECT_EQ(data_w->tag, kRam + 0x1000);
  EXPECT_EQ(code_r->tag, kRam) << "reads of code pages stay inline";
}

}  // namespace
}  // namespace polyvm::engine
