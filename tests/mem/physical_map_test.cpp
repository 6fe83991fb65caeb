// Physical regions: lookups at the edges, overlaps and wrap-around refused, RAM pointers that
// never reach past a region.
#include "polyvm/mem/physical_map.h"

#include <gtest/gtest.h>

#include <vector>

namespace polyvm::mem {
namespace {

class NullDevice final : public core::MmioDevice {
 public:
  uint64_t Read(uint64_t, unsigned) override { return 0; }
  void Write(uint64_t, unsigned, uint64_t) override {}
  std::string_view Name() const override { return "null"; }
};

TEST(PhysicalMap, FindsRegionsAtTheirEdges) {
  std::vector<uint8_t> ram(0x2000);
  NullDevice dev;
  PhysicalMap map;
  std::string error;
  ASSERT_TRUE(map.AddRam(0x80000000, ram.data(), ram.size(), &error)) << error;
  ASSERT_TRUE(map.AddMmio(0x10000000, 0x100, &dev, &error)) << error;
  EXPECT_EQ(map.Find(0x0fffffff), nullptr);
  EXPECT_EQ(map.Find(0x10000000)->device, &dev);
  EXPECT_EQ(map.Find(0x100000ff)->device, &dev);
  EXPECT_EQ(map.Find(0x10000100), nullptr);
  EXPECT_TRUE(map.Find(0x80001fff)->IsRam());
  EXPECT_EQ(map.Find(0x80002000), nullptr);
  EXPECT_EQ(map.RamPointer(0x80001ff8, 8), ram.data() + 0x1ff8);
  EXPECT_EQ(map.RamPointer(0x80001ff9, 8), nullptr);
  EXPECT_EQ(map.RamPointer(0x10000000, 1), nullptr);
  EXPECT_EQ(map.MainRam().base(), 0x80000000u);
}

TEST(PhysicalMap, RefusesOverlapsEmptyAndWrappingRegions) {
  std::vector<uint8_t> ram(0x1000);
  NullDevice dev;
  PhysicalMap map;
  std::string error;
  ASSERT_TRUE(map.AddMmio(0x1000, 0x1000, &dev, &error));
  EXPECT_FALSE(map.AddMmio(0x1fff, 0x10, &dev, &error));
  EXPECT_FALSE(map.AddRam(0x0, ram.data(), 0x1001, &error));
  EXPECT_FALSE(map.AddMmio(0x5000, 0, &dev, &error));
  EXPECT_FALSE(map.AddMmio(0xfffffffffffff000, 0x2000, &dev, &error));
  EXPECT_TRUE(map.AddMmio(0xfffffffffffff000, 0x1000, &dev, &error)) << error;
  EXPECT_EQ(map.Find(0xffffffffffffffff)->device, &dev);
}

}  // namespace
}  // namespace polyvm::mem
