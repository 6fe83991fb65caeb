// One differential test case (guest code, initial registers, a data page) and the outcome of
// running it on one emulator. Every runner maps code and data at the same guest addresses, so a
// case means the same thing to polyvm, Unicorn and qemu-user.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "rv_forms.h"

namespace polyvm::diff {

// Guest layout. The pages around the data page stay unmapped, so accesses just outside it fault in
// every runner. High enough to stay clear of the qemu-user oracle program's own image and heap.
inline constexpr uint64_t kCodeBase = 0x40000000;
inline constexpr uint64_t kCodeMax = 0x1000;
inline constexpr uint64_t kDataBase = 0x40008000;
inline constexpr uint64_t kDataSize = 0x1000;

struct RvRegs {
  std::array<uint64_t, 32> x{};  // x[0] is always 0
  std::array<uint64_t, 32> f{};
  uint32_t fcsr = 0;  // frm << 5 | fflags

  bool operator==(const RvRegs&) const = default;
};

// One guest instruction of a case, as the generator built it.
struct InsnInfo {
  uint32_t offset = 0;  // from kCodeBase
  uint8_t len = 4;
  uint32_t word = 0;
  const Form* form = nullptr;  // null for control transfers, traps and the end marker
  uint8_t rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
  bool end = false;  // the ebreak that ends the case
};

struct Case {
  std::string name;
  std::vector<uint8_t> code;      // at kCodeBase
  std::vector<InsnInfo> insns;    // in address order
  uint64_t end_pc = 0;            // address of the final ebreak: reaching it ends the case
  std::vector<uint32_t> targets;  // offsets that control transfers jump to (block starts)
  RvRegs init;
  std::vector<uint8_t> data = std::vector<uint8_t>(kDataSize);  // at kDataBase

  const InsnInfo* InsnAt(uint64_t pc) const {
    for (const InsnInfo& i : insns) {
      if (kCodeBase + i.offset == pc) return &i;
    }
    return nullptr;
  }
};

// How a run stopped. A case normally ends at end_pc; a trap or fault before it is compared like
// any other result (same kind, same pc, same registers as of the faulting instruction).
enum class Stop : uint8_t {
  kEnd,         // reached end_pc
  kBreakpoint,  // an ebreak before end_pc
  kIllegal,     // illegal instruction (undecodable, reserved, bad rounding mode)
  kMisaligned,  // misaligned atomic
  kMemFault,    // access to an unmapped address
  kTimeout,     // did not stop (a bug: cases have no backward branches)
  kError,       // the runner failed (detail says why)
};

const char* StopName(Stop s);

struct Outcome {
  Stop stop = Stop::kError;
  uint64_t pc = 0;  // where it stopped
  RvRegs regs;
  std::vector<uint8_t> data;
  std::string detail;  // runner-specific text (exit reason, error)
};

}  // namespace polyvm::diff
