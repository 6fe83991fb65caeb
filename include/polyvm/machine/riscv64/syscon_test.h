// The SiFive "test" device (compatible "sifive,test0", also a syscon for Linux's syscon-poweroff
// and syscon-reboot drivers, and OpenSBI's reset driver): a 16- or 32-bit write of 0x5555 powers
// off, 0x3333 | code << 16 powers off with a failure code, 0x7777 resets. Other writes are
// ignored; reads return 0.
#pragma once

#include <atomic>
#include <cstdint>

#include "polyvm/core/mmio.h"

namespace polyvm::machine::riscv64 {

class SysconTest final : public core::MmioDevice {
 public:
  static constexpr uint64_t kWindowSize = 0x1000;
  static constexpr uint32_t kPass = 0x5555, kFail = 0x3333, kReset = 0x7777;

  enum class Request : uint8_t { kNone, kPowerOff, kReset };

  uint64_t Read(uint64_t offset, unsigned size) override;
  void Write(uint64_t offset, unsigned size, uint64_t value) override;
  std::string_view Name() const override { return "sifive-test"; }

  // What the guest asked for (the machine's run loop polls it) and its exit code.
  Request request() const { return request_.load(std::memory_order_acquire); }
  uint32_t exit_code() const { return exit_code_.load(std::memory_order_acquire); }
  // Forgets the request (a machine reset being carried out).
  void Reset() {
    exit_code_.store(0, std::memory_order_release);
    request_.store(Request::kNone, std::memory_order_release);
  }

 private:
  std::atomic<Request> request_{Request::kNone};
  std::atomic<uint32_t> exit_code_{0};
};

}  // namespace polyvm::machine::riscv64
