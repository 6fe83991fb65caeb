// The sifive,test0 finisher: 16- and 32-bit writes at offset 0 mean something (as QEMU's
// sifive_test; OpenSBI's reset driver writes 16 bits, Linux's syscon drivers 32).
#include "polyvm/machine/riscv64/syscon_test.h"

namespace polyvm::machine::riscv64 {

uint64_t SysconTest::Read(uint64_t, unsigned) { return 0; }

void SysconTest::Write(uint64_t offset, unsigned size, uint64_t value) {
  if (offset != 0 || (size != 2 && size != 4)) return;
  uint32_t v = static_cast<uint32_t>(value);
  switch (v & 0xffff) {
    case kPass:
      exit_code_.store(0, std::memory_order_release);
      request_.store(Request::kPowerOff, std::memory_order_release);
      break;
    case kFail:
      exit_code_.store(v >> 16, std::memory_order_release);
      request_.store(Request::kPowerOff, std::memory_order_release);
      break;
    case kReset: request_.store(Request::kReset, std::memory_order_release); break;
    default: break;
  }
}

}  // namespace polyvm::machine::riscv64
