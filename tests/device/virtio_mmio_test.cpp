// The virtio-mmio transport driven as Linux's virtio_mmio driver does (virtio 1.x sections 3.1,
// 4.2), with virtio-rng as the device: identification, feature negotiation, the status state
// machine, queue setup, interrupts, reset, and a hostile driver.
#include "polyvm/device/virtio/virtio_mmio.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "polyvm/device/virtio/virtio_rng.h"
#include "virtio_test_driver.h"

namespace polyvm::device::virtio {
namespace {

using namespace testing;  // NOLINT: the test driver's register names

class VirtioMmioTest : public ::testing::Test {
 protected:
  TestMemory mem;
  TestIrq irq;
  VirtioMmio dev{MakeVirtioRng(), mem.ram(), irq};
  TestDriver driver{dev, mem};
};

TEST_F(VirtioMmioTest, Identification) {
  EXPECT_EQ(driver.Reg(reg::kMagic), 0x74726976u);  // "virt"
  EXPECT_EQ(driver.Reg(reg::kVersion), 2u);
  EXPECT_EQ(driver.Reg(reg::kDeviceId), 4u);  // entropy source
  EXPECT_NE(driver.Reg(reg::kVendorId), 0u);
  EXPECT_EQ(dev.Name(), "virtio-rng");
}

TEST_F(VirtioMmioTest, OffersTransportFeatures) {
  const uint64_t f = driver.DeviceFeatures();
  EXPECT_TRUE(f & kFeatureVersion1);
  EXPECT_TRUE(f & kFeatureIndirectDesc);
  EXPECT_TRUE(f & kFeatureEventIdx);
}

TEST_F(VirtioMmioTest, RefusesLegacyDriver) {
  EXPECT_FALSE(driver.Negotiate(0));  // no VIRTIO_F_VERSION_1
  EXPECT_EQ(driver.Status() & VirtioMmio::kStatusFeaturesOk, 0u);
}

TEST_F(VirtioMmioTest, RefusesFeaturesNotOffered) {
  EXPECT_FALSE(driver.Negotiate(kFeatureVersion1 | (uint64_t{1} << 40)));
}

TEST_F(VirtioMmioTest, QueueSizeLimits) {
  ASSERT_TRUE(driver.Negotiate(kFeatureVersion1));
  driver.SetReg(reg::kQueueSel, 0);
  EXPECT_EQ(driver.Reg(reg::kQueueNumMax), 256u);
  driver.SetReg(reg::kQueueSel, 1);  // rng has one queue
  EXPECT_EQ(driver.Reg(reg::kQueueNumMax), 0u);
}

TEST_F(VirtioMmioTest, ServesEntropy) {
  auto q = driver.Start(kFeatureVersion1, 1);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(driver.Status(), 0xfu);
  const uint64_t buf = mem.Alloc(64);
  driver.Submit(q[0], {{buf, 64, true}});
  UsedElem used;
  ASSERT_TRUE(driver.WaitUsed(q[0], &used));
  EXPECT_EQ(used.id, 0u);
  EXPECT_EQ(used.len, 64u);
  const std::string bytes = mem.GetBytes(buf, 64);
  // 64 random bytes are all zero with probability 2^-512.
  EXPECT_TRUE(std::any_of(bytes.begin(), bytes.end(), [](char c) { return c != 0; }));
  EXPECT_TRUE(irq.level());
  EXPECT_EQ(driver.Reg(reg::kInterruptStatus), 1u);  // used buffer notification
  driver.AckInterrupts();
  EXPECT_FALSE(irq.level());
}

TEST_F(VirtioMmioTest, IndirectAndEventIdx) {
  auto q = driver.Start(kFeatureVersion1 | kFeatureIndirectDesc | kFeatureEventIdx, 1);
  ASSERT_EQ(q.size(), 1u);
  const uint64_t a = mem.Alloc(10), b = mem.Alloc(20);
  mem.Put<uint16_t>(q[0].avail + 4 + 2 * q[0].size, 0);  // used_event: interrupt after entry 0
  driver.SubmitIndirect(q[0], {{a, 10, true}, {b, 20, true}});
  UsedElem used;
  ASSERT_TRUE(driver.WaitUsed(q[0], &used));
  EXPECT_EQ(used.len, 30u);
  EXPECT_EQ(irq.rises(), 1);
  // The device asked to be kicked when avail idx reaches 1 (avail_event).
  EXPECT_EQ(mem.Get<uint16_t>(q[0].used + 4 + 8 * q[0].size), 1);
  driver.AckInterrupts();
  // used_event still 0: the next completion moves used idx from 1 to 2, not past 0: no interrupt.
  driver.Submit(q[0], {{a, 10, true}});
  ASSERT_TRUE(driver.WaitUsed(q[0], &used));
  EXPECT_EQ(irq.rises(), 1);
  EXPECT_FALSE(irq.level());
}

TEST_F(VirtioMmioTest, NoInterruptFlagSuppresses) {
  auto q = driver.Start(kFeatureVersion1, 1);
  mem.Put<uint16_t>(q[0].avail, 1);  // VIRTQ_AVAIL_F_NO_INTERRUPT
  driver.Submit(q[0], {{mem.Alloc(8), 8, true}});
  UsedElem used;
  ASSERT_TRUE(driver.WaitUsed(q[0], &used));
  EXPECT_FALSE(irq.level());
}

TEST_F(VirtioMmioTest, MaliciousChainNeedsReset) {
  auto q = driver.Start(kFeatureVersion1, 1);
  // Descriptor 0 points past the end of RAM.
  const uint64_t d = q[0].desc;
  mem.Put<uint64_t>(d, TestMemory::kBase + (4 << 20) - 4);
  mem.Put<uint32_t>(d + 8, 64);
  mem.Put<uint16_t>(d + 12, kDescWrite);
  driver.Publish(q[0], 0);
  EXPECT_TRUE(driver.Status() & VirtioMmio::kStatusNeedsReset);
  EXPECT_EQ(driver.Reg(reg::kInterruptStatus), 2u);  // configuration change notification
  EXPECT_TRUE(irq.level());
  EXPECT_NE(dev.last_error().find("outside guest RAM"), std::string::npos);
  UsedElem used;
  EXPECT_FALSE(driver.PollUsed(q[0], &used));
  // Further kicks are ignored until the driver resets the device.
  driver.Kick(q[0]);
  // Reset and start again: works.
  driver.SetReg(reg::kStatus, 0);
  EXPECT_EQ(driver.Status(), 0u);
  EXPECT_FALSE(irq.level());
  auto q2 = driver.Start(kFeatureVersion1, 1);
  driver.Submit(q2[0], {{mem.Alloc(8), 8, true}});
  ASSERT_TRUE(driver.WaitUsed(q2[0], &used));
  EXPECT_EQ(used.len, 8u);
}

TEST_F(VirtioMmioTest, DriverOkWithoutFeaturesOkNeedsReset) {
  driver.SetReg(reg::kStatus, VirtioMmio::kStatusAcknowledge);
  driver.SetReg(reg::kStatus, VirtioMmio::kStatusAcknowledge | VirtioMmio::kStatusDriver |
                                  VirtioMmio::kStatusDriverOk);
  EXPECT_TRUE(driver.Status() & VirtioMmio::kStatusNeedsReset);
  EXPECT_FALSE(driver.Status() & VirtioMmio::kStatusDriverOk);
}

TEST_F(VirtioMmioTest, QueueReadyBeforeFeaturesOkNeedsReset) {
  driver.SetReg(reg::kStatus, VirtioMmio::kStatusAcknowledge | VirtioMmio::kStatusDriver);
  driver.SetupQueue(0, 8);
  EXPECT_TRUE(driver.Status() & VirtioMmio::kStatusNeedsReset);
  EXPECT_EQ(driver.Reg(reg::kQueueReady), 0u);
}

TEST_F(VirtioMmioTest, QueueOutsideRamNeedsReset) {
  ASSERT_TRUE(driver.Negotiate(kFeatureVersion1));
  driver.SetReg(reg::kQueueSel, 0);
  driver.SetReg(reg::kQueueNum, 8);
  driver.SetReg(reg::kQueueDescLow, 0x1000);  // below RAM
  driver.SetReg(reg::kQueueReady, 1);
  EXPECT_TRUE(driver.Status() & VirtioMmio::kStatusNeedsReset);
}

TEST_F(VirtioMmioTest, QueueSizeAboveMaxNeedsReset) {
  ASSERT_TRUE(driver.Negotiate(kFeatureVersion1));
  driver.SetupQueue(0, 512);
  EXPECT_TRUE(driver.Status() & VirtioMmio::kStatusNeedsReset);
}

TEST_F(VirtioMmioTest, ClearingStatusBitsNeedsReset) {
  ASSERT_TRUE(driver.Negotiate(kFeatureVersion1));
  driver.SetReg(reg::kStatus, VirtioMmio::kStatusAcknowledge);
  EXPECT_TRUE(driver.Status() & VirtioMmio::kStatusNeedsReset);
}

TEST_F(VirtioMmioTest, BadRegisterAccessesAreHarmless) {
  EXPECT_EQ(dev.Read(reg::kMagic, 1), 0u);
  EXPECT_EQ(dev.Read(reg::kMagic + 2, 4), 0u);
  EXPECT_EQ(dev.Read(reg::kQueueNotify, 4), 0u);  // write-only
  EXPECT_EQ(dev.Read(reg::kConfig, 4), 0u);       // rng has no config space
  EXPECT_EQ(dev.Read(0xfffff000, 4), 0u);
  dev.Write(reg::kMagic, 4, 0);
  dev.Write(reg::kQueueNotify, 4, 7);  // no such queue, not started
  dev.Write(reg::kConfig + 4, 8, 1);
  EXPECT_EQ(driver.Reg(reg::kMagic), 0x74726976u);
  EXPECT_EQ(driver.Status(), 0u);
}

}  // namespace
}  // namespace polyvm::device::virtio
