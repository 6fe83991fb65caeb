// Devices wired as a machine wires them: the UART's and a virtio device's interrupt lines are PLIC
// sources, and a PLIC context output is what a hart would see as its external interrupt.
#include <gtest/gtest.h>

#include "polyvm/device/memory_char_backend.h"
#include "polyvm/device/plic.h"
#include "polyvm/device/uart16550.h"
#include "polyvm/device/virtio/virtio_mmio.h"
#include "polyvm/device/virtio/virtio_rng.h"
#include "virtio_test_driver.h"

namespace polyvm::device {
namespace {

constexpr uint32_t kUartIrq = 10, kRngIrq = 1;
constexpr uint64_t kEnable0 = 0x2000, kClaim0 = 0x200004;

TEST(WiringTest, UartAndVirtioThroughPlic) {
  testing::TestIrq hart_seip;
  Plic plic(32, {&hart_seip});
  MemoryCharBackend backend;
  Uart16550 uart(backend, plic.Source(kUartIrq));
  testing::TestMemory mem;
  virtio::VirtioMmio rng(virtio::MakeVirtioRng(), mem.ram(), plic.Source(kRngIrq));
  testing::TestDriver driver(rng, mem);

  plic.Write(4 * kUartIrq, 4, 1);
  plic.Write(4 * kRngIrq, 4, 2);
  plic.Write(kEnable0, 4, (1u << kUartIrq) | (1u << kRngIrq));
  uart.Write(1, 1, 0x01);  // IER: received data
  backend.PushInput("k");
  EXPECT_TRUE(hart_seip.level());

  auto q = driver.Start(virtio::kFeatureVersion1, 1);
  driver.Submit(q[0], {{mem.Alloc(16), 16, true}});
  testing::UsedElem used;
  ASSERT_TRUE(driver.WaitUsed(q[0], &used));

  // The handler loop a kernel runs: claim, service the device, complete.
  EXPECT_EQ(plic.Read(kClaim0, 4), kRngIrq);  // higher priority first
  driver.AckInterrupts();
  plic.Write(kClaim0, 4, kRngIrq);
  EXPECT_TRUE(hart_seip.level());  // the UART is still pending
  EXPECT_EQ(plic.Read(kClaim0, 4), kUartIrq);
  EXPECT_EQ(uart.Read(0, 1), 'k');  // reading RBR drops the UART's line
  plic.Write(kClaim0, 4, kUartIrq);
  EXPECT_FALSE(hart_seip.level());
  EXPECT_EQ(plic.Read(kClaim0, 4), 0u);
}

}  // namespace
}  // namespace polyvm::device
