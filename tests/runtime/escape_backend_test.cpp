// The console escape (QEMU's keys): Ctrl-A x stops, Ctrl-A Ctrl-A is one Ctrl-A, anything else
// passes through unchanged, and the escape is seen even when the guest reads nothing.
#include "polyvm/runtime/escape_backend.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "polyvm/device/memory_char_backend.h"

namespace polyvm::runtime {
namespace {

std::string ReadAll(device::CharBackend& b) {
  std::string s;
  uint8_t buf[7];
  for (size_t n; (n = b.Read({buf, sizeof buf})) != 0;) s.append(reinterpret_cast<char*>(buf), n);
  return s;
}

TEST(EscapeBackend, PassesOrdinaryInputAndOutput) {
  device::MemoryCharBackend term;
  int escapes = 0;
  EscapeBackend e(term, [&] { ++escapes; });
  int notified = 0;
  e.SetInputNotifier([&] { ++notified; });
  term.PushInput("hello\r\n");
  EXPECT_GT(notified, 0);
  EXPECT_EQ(ReadAll(e), "hello\r\n");
  const uint8_t out[] = {'o', 'k'};
  e.Write(out);
  EXPECT_EQ(term.TakeOutput(), "ok");
  EXPECT_EQ(escapes, 0);
}

TEST(EscapeBackend, CtrlAXStopsWithoutTheGuestReading) {
  device::MemoryCharBackend term;
  std::atomic<int> escapes{0};
  EscapeBackend e(term, [&] { ++escapes; });
  term.PushInput("ab\x01");
  EXPECT_EQ(escapes.load(), 0);
  term.PushInput("x");
  EXPECT_EQ(escapes.load(), 1);
  EXPECT_EQ(ReadAll(e), "ab");  // the escape sequence never reaches the guest
}

TEST(EscapeBackend, CtrlACtrlASendsOneCtrlAAndOtherKeysPassBoth) {
  device::MemoryCharBackend term;
  int escapes = 0;
  EscapeBackend e(term, [&] { ++escapes; });
  term.PushInput(
      "\x01\x01"
      "c\x01"
      "d");
  EXPECT_EQ(ReadAll(e),
            "\x01"
            "c\x01"
            "d");
  EXPECT_EQ(escapes, 0);
}

}  // namespace
}  // namespace polyvm::runtime
