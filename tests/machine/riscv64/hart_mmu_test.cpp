// The hart's privileged state selects TLB contexts (privilege, MPRV/MPP, SUM), and the walker
// uses satp and MXR: checked through loads on a real Sv39 table in a host buffer.
#include "polyvm/machine/riscv64/hart_mmu.h"

#include <gtest/gtest.h>

#include <vector>

#include "polyvm/mem/riscv_page_walk.h"
#include "test_hart.h"

namespace polyvm::machine::riscv64 {
namespace {

namespace ms = mstatus;
constexpr uint64_t kRam = 0x80000000, kRoot = kRam + 0x10000, kL1 = kRam + 0x11000,
                   kL0 = kRam + 0x12000;

class HartMmuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ram_.assign(1 << 20, 0);
    std::string error;
    ASSERT_TRUE(phys_.AddRam(kRam, ram_.data(), ram_.size(), &error));
    // va 0x40000000 -> pa kRam + 0x20000, a U page; va 0x40001000 -> kRam + 0x21000, S, X only.
    Slot(kRoot + 8) = Pte(kL1, mem::kPteV);
    Slot(kL1) = Pte(kL0, mem::kPteV);
    Slot(kL0) = Pte(kRam + 0x20000,
                    mem::kPteV | mem::kPteR | mem::kPteW | mem::kPteU | mem::kPteA | mem::kPteD);
    Slot(kL0 + 8) = Pte(kRam + 0x21000, mem::kPteV | mem::kPteX | mem::kPteA);
    Slot(kRam + 0x20000) = 0x1111;
    Slot(kRam + 0x21000) = 0x2222;
    h_->csr.satp = 8ull << 60 | (kRoot >> 12);
    mmu_.Sync(true);
  }
  uint64_t& Slot(uint64_t pa) { return *reinterpret_cast<uint64_t*>(&ram_[pa - kRam]); }
  static uint64_t Pte(uint64_t pa, uint64_t f) { return (pa >> 12) << 10 | f; }
  mem::MmuFault Load(uint64_t va, uint64_t* v) { return mmu_.mmu().Load(va, 8, v); }

  std::vector<uint8_t> ram_;
  mem::PhysicalMap phys_;
  testing::TestHart h_;
  HartMmu mmu_{*h_, phys_};
};

TEST_F(HartMmuTest, MachineModeIsPhysicalAndMprvTranslates) {
  uint64_t v = 0;
  ASSERT_FALSE(Load(kRam + 0x20000, &v));
  EXPECT_EQ(v, 0x1111u);
  // MPRV with MPP = U: loads and stores translate as U (fetches stay physical).
  h_->csr.mstatus |= ms::kMprv;
  mmu_.Sync(false);
  ASSERT_FALSE(Load(0x40000000, &v));
  EXPECT_EQ(v, 0x1111u);
  EXPECT_EQ(mmu_.mmu().fetch_context(), kCtxMachine);
}

TEST_F(HartMmuTest, SupervisorNeedsSumForUserPagesAndMxrForExecuteOnly) {
  h_->priv = Priv::kSupervisor;
  mmu_.Sync(false);
  uint64_t v = 0;
  EXPECT_EQ(Load(0x40000000, &v).kind, mem::WalkFault::kPageFault);
  EXPECT_EQ(mmu_.Classify(0x40000000, core::MemAccess::kRead), mem::WalkFault::kPageFault);
  h_->csr.mstatus |= ms::kSum;
  mmu_.Sync(false);
  ASSERT_FALSE(Load(0x40000000, &v));
  EXPECT_EQ(v, 0x1111u);
  EXPECT_EQ(Load(0x40001000, &v).kind, mem::WalkFault::kPageFault);
  h_->csr.mstatus |= ms::kMxr;
  mmu_.Sync(true);  // what a write of MXR through WriteCsr asks for
  ASSERT_FALSE(Load(0x40001000, &v));
  EXPECT_EQ(v, 0x2222u);
}

TEST_F(HartMmuTest, FenceVmaDropsTheTranslation) {
  h_->priv = Priv::kUser;
  mmu_.Sync(false);
  uint64_t v = 0;
  ASSERT_FALSE(Load(0x40000000, &v));
  Slot(kL0) = Pte(kRam + 0x21000, mem::kPteV | mem::kPteR | mem::kPteU | mem::kPteA);
  ASSERT_FALSE(Load(0x40000000, &v));
  EXPECT_EQ(v, 0x1111u);  // cached
  mmu_.Fence(true, 0x40000000, false, 0);
  ASSERT_FALSE(Load(0x40000000, &v));
  EXPECT_EQ(v, 0x2222u);
}

}  // namespace
}  // namespace polyvm::machine::riscv64
