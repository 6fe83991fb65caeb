// StdioCharBackend on pipes: bytes written to the input fd reach a UART's receiver (through the
// reader thread and the notifier), and transmitted bytes appear on the output fd.
#include "polyvm/device/stdio_char_backend.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "polyvm/device/uart16550.h"
#include "test_irq.h"

namespace polyvm::device {
namespace {

TEST(StdioCharBackendTest, PipesThroughUart) {
  int in[2], out[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  {
    StdioCharBackend backend(in[0], out[1]);
    testing::TestIrq irq;
    Uart16550 uart(backend, irq);
    uart.Write(1, 1, 0x01);  // IER: received data available
    ASSERT_EQ(write(in[1], "ok", 2), 2);
    ASSERT_TRUE(irq.WaitRises(0));  // the reader thread delivered input
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (got.size() < 2 && std::chrono::steady_clock::now() < deadline) {
      if (uart.Read(5, 1) & 0x01) {
        got.push_back(static_cast<char>(uart.Read(0, 1)));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    EXPECT_EQ(got, "ok");
    for (char c : std::string("out\n")) uart.Write(0, 1, static_cast<uint8_t>(c));
    char buf[8] = {};
    pollfd p{out[0], POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 30000), 1);
    EXPECT_EQ(read(out[0], buf, sizeof(buf)), 4);
    EXPECT_EQ(std::string(buf, 4), "out\n");
  }  // the backend's reader thread stops although the input pipe is still open
  for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
}

TEST(StdioCharBackendTest, EndOfInputIsQuiet) {
  int in[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  close(in[1]);
  {
    StdioCharBackend backend(in[0], -1);
    uint8_t b;
    EXPECT_EQ(backend.Read({&b, 1}), 0u);
  }
  close(in[0]);
}

}  // namespace
}  // namespace polyvm::device
