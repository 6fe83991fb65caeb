// virtio-console with one port (virtio 1.x section 5.3): transmitq output reaches the backend,
// backend input fills receiveq buffers, in order and without loss.
#include "polyvm/device/virtio/virtio_console.h"

#include <gtest/gtest.h>

#include "polyvm/device/memory_char_backend.h"
#include "polyvm/device/virtio/virtio_mmio.h"
#include "virtio_test_driver.h"

namespace polyvm::device::virtio {
namespace {

using namespace testing;  // NOLINT

class VirtioConsoleTest : public ::testing::Test {
 protected:
  MemoryCharBackend backend;
  TestMemory mem;
  TestIrq irq;
  VirtioMmio dev{MakeVirtioConsole(backend), mem.ram(), irq};
  TestDriver driver{dev, mem};
};

TEST_F(VirtioConsoleTest, Identity) {
  EXPECT_EQ(driver.Reg(reg::kDeviceId), 3u);
  EXPECT_EQ(dev.Read(reg::kConfig + 4, 4), 0u);  // max_nr_ports: not meaningful without MULTIPORT
}

TEST_F(VirtioConsoleTest, Transmit) {
  auto q = driver.Start(kFeatureVersion1, 2);
  const uint64_t a = mem.Alloc(6), b = mem.Alloc(6);
  mem.PutBytes(a, "hello ");
  mem.PutBytes(b, "world\n");
  driver.Submit(q[1], {{a, 6, false}, {b, 6, false}});
  UsedElem used;
  ASSERT_TRUE(driver.WaitUsed(q[1], &used));
  EXPECT_EQ(used.len, 0u);
  EXPECT_EQ(backend.TakeOutput(), "hello world\n");
}

TEST_F(VirtioConsoleTest, ReceiveIntoPostedBuffers) {
  auto q = driver.Start(kFeatureVersion1, 2);
  const uint64_t r = mem.Alloc(4);
  driver.Submit(q[0], {{r, 4, true}});
  backend.PushInput("abcdef");  // 4 fit in the first buffer, 2 wait for the next one
  UsedElem used;
  ASSERT_TRUE(driver.WaitUsed(q[0], &used));
  EXPECT_EQ(used.len, 4u);
  EXPECT_EQ(mem.GetBytes(r, 4), "abcd");
  EXPECT_TRUE(irq.level());
  driver.AckInterrupts();
  const uint64_t r2 = mem.Alloc(16);
  driver.Submit(q[0], {{r2, 16, true}});
  ASSERT_TRUE(driver.WaitUsed(q[0], &used));
  EXPECT_EQ(used.len, 2u);
  EXPECT_EQ(mem.GetBytes(r2, 2), "ef");
}

TEST_F(VirtioConsoleTest, InputBeforeDriverIsKept) {
  backend.PushInput("early");
  auto q = driver.Start(kFeatureVersion1, 2);
  const uint64_t r = mem.Alloc(16);
  driver.Submit(q[0], {{r, 16, true}});
  UsedElem used;
  ASSERT_TRUE(driver.WaitUsed(q[0], &used));
  EXPECT_EQ(mem.GetBytes(r, used.len), "early");
}

TEST_F(VirtioConsoleTest, ResetDropsHeldBuffer) {
  auto q = driver.Start(kFeatureVersion1, 2);
  driver.Submit(q[0], {{mem.Alloc(8), 8, true}});  // held: no input yet
  driver.SetReg(reg::kStatus, 0);
  backend.PushInput("x");  // must not touch the old queue
  UsedElem used;
  EXPECT_FALSE(driver.PollUsed(q[0], &used));
  EXPECT_EQ(backend.pending_input(), 1u);
}

}  // namespace
}  // namespace polyvm::device::virtio
