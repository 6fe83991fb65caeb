// 16550A behaviour as the PC16550D data sheet specifies it (register reset values, IIR priority
// codes, LSR/MSR bits, loopback wiring), driven through the register window.
#include "polyvm/device/uart16550.h"

#include <gtest/gtest.h>

#include "polyvm/device/memory_char_backend.h"
#include "test_irq.h"

namespace polyvm::device {
namespace {

enum : uint64_t {
  kRbr = 0,
  kThr = 0,
  kDll = 0,
  kIer = 1,
  kDlm = 1,
  kIir = 2,
  kFcr = 2,
  kLcr = 3,
  kMcr = 4,
  kLsr = 5,
  kMsr = 6,
  kScr = 7
};

class UartTest : public ::testing::Test {
 protected:
  uint8_t R(uint64_t reg) { return static_cast<uint8_t>(uart.Read(reg, 1)); }
  void W(uint64_t reg, uint8_t v) { uart.Write(reg, 1, v); }

  MemoryCharBackend backend;
  testing::TestIrq irq;
  Uart16550 uart{backend, irq};
};

TEST_F(UartTest, ResetValues) {
  EXPECT_EQ(R(kIir), 0x01);  // no interrupt pending, FIFOs off
  EXPECT_EQ(R(kLsr), 0x60);  // THRE | TEMT
  EXPECT_EQ(R(kIer), 0x00);
  EXPECT_FALSE(irq.level());
}

TEST_F(UartTest, TransmitGoesToBackend) {
  for (char c : std::string("hello\n")) W(kThr, static_cast<uint8_t>(c));
  EXPECT_EQ(backend.TakeOutput(), "hello\n");
  EXPECT_EQ(R(kLsr) & 0x60, 0x60);
}

TEST_F(UartTest, DivisorLatch) {
  W(kLcr, 0x83);  // DLAB, 8N1
  W(kDll, 0x0c);
  W(kDlm, 0x01);
  EXPECT_EQ(R(kDll), 0x0c);
  EXPECT_EQ(R(kDlm), 0x01);
  W(kLcr, 0x03);
  EXPECT_EQ(R(kIer), 0x00);  // offset 1 is IER again
  W(kThr, 'x');              // and offset 0 is THR
  EXPECT_EQ(backend.TakeOutput(), "x");
  EXPECT_EQ(R(kLcr), 0x03);
}

TEST_F(UartTest, ScratchRegister) {
  W(kScr, 0x5a);
  EXPECT_EQ(R(kScr), 0x5a);
}

TEST_F(UartTest, LoopbackReceivesTransmittedBytes) {
  W(kMcr, 0x10);
  W(kThr, 'A');
  EXPECT_EQ(backend.TakeOutput(), "");  // the line is disconnected in loopback
  EXPECT_EQ(R(kLsr) & 0x01, 0x01);      // data ready
  EXPECT_EQ(R(kRbr), 'A');
  EXPECT_EQ(R(kLsr) & 0x01, 0x00);
}

TEST_F(UartTest, LoopbackModemLines) {
  W(kMcr, 0x1f);                    // loop + DTR RTS OUT1 OUT2
  EXPECT_EQ(R(kMsr) & 0xf0, 0xf0);  // CTS DSR RI DCD follow RTS DTR OUT1 OUT2
  W(kMcr, 0x10);
  const uint8_t msr = R(kMsr);
  EXPECT_EQ(msr & 0xf0, 0x00);
  EXPECT_EQ(msr & 0x0f, 0x0f);      // delta CTS, delta DSR, trailing edge RI, delta DCD
  EXPECT_EQ(R(kMsr) & 0x0f, 0x00);  // deltas clear on read
}

TEST_F(UartTest, OverrunWithoutFifo) {
  W(kMcr, 0x10);
  W(kIer, 0x04);  // line status interrupt
  W(kThr, '1');
  W(kThr, '2');  // the one-byte holding register is full: overrun
  EXPECT_EQ(R(kIir), 0x06);
  EXPECT_TRUE(irq.level());
  EXPECT_EQ(R(kLsr) & 0x03, 0x03);  // DR | OE
  EXPECT_EQ(R(kLsr) & 0x02, 0x00);  // OE clears on read
  EXPECT_EQ(R(kIir), 0x01);
  EXPECT_FALSE(irq.level());
  EXPECT_EQ(R(kRbr), '1');
}

TEST_F(UartTest, ReceiveInterruptFromBackend) {
  W(kIer, 0x01);
  EXPECT_FALSE(irq.level());
  backend.PushInput("hi");
  EXPECT_TRUE(irq.level());
  EXPECT_EQ(R(kIir), 0x04);
  EXPECT_EQ(R(kRbr), 'h');
  EXPECT_TRUE(irq.level());  // next byte refilled from the backend
  EXPECT_EQ(R(kRbr), 'i');
  EXPECT_FALSE(irq.level());
  EXPECT_EQ(R(kIir), 0x01);
  EXPECT_EQ(R(kLsr) & 0x01, 0x00);
}

TEST_F(UartTest, FifoTriggerLevelAndTimeout) {
  W(kFcr, 0xc7);  // enable + clear both, trigger 14
  W(kIer, 0x01);
  EXPECT_EQ(R(kIir) & 0xc0, 0xc0);  // FIFOs enabled
  backend.PushInput("abc");
  EXPECT_EQ(R(kIir), 0xcc);                 // below trigger level: character timeout
  backend.PushInput("defghijklmnopqrstu");  // 21 bytes: the FIFO holds 16
  EXPECT_EQ(R(kIir), 0xc4);                 // at or above 14: received data available
  std::string got;
  while (R(kLsr) & 0x01) got.push_back(static_cast<char>(R(kRbr)));
  EXPECT_EQ(got, "abcdefghijklmnopqrstu");  // nothing lost: refilled from the backend
  EXPECT_EQ(R(kIir), 0xc1);
}

TEST_F(UartTest, ThreInterrupt) {
  W(kIer, 0x02);  // enabling it with THR empty raises it
  EXPECT_TRUE(irq.level());
  EXPECT_EQ(R(kIir), 0x02);
  EXPECT_FALSE(irq.level());  // reading IIR cleared it
  EXPECT_EQ(R(kIir), 0x01);
  W(kThr, 'z');  // transmitted at once: THR empty again
  EXPECT_TRUE(irq.level());
  W(kIer, 0x00);
  EXPECT_FALSE(irq.level());
}

TEST_F(UartTest, InterruptPriorityReceiveBeforeThre) {
  W(kIer, 0x03);
  backend.PushInput("q");
  EXPECT_EQ(R(kIir), 0x04);
  EXPECT_EQ(R(kRbr), 'q');
  EXPECT_EQ(R(kIir), 0x02);
}

TEST_F(UartTest, BadAccessesAreHarmless) {
  EXPECT_EQ(uart.Read(8, 1), 0u);
  EXPECT_EQ(uart.Read(0, 4), 0u);
  uart.Write(0, 8, 0x41);
  uart.Write(0xff, 1, 0x41);
  EXPECT_EQ(backend.TakeOutput(), "");
}

}  // namespace
}  // namespace polyvm::device
