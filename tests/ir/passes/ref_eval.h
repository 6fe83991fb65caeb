// A test-only reference evaluator for IR blocks made of integer ops, GetReg/SetReg, Select,
// width changes, Load/Store and ExitIf, over a byte-array guest state and a small guest memory.
// Passes are checked against it: a pass must not change what a block does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "polyvm/ir/block.h"

namespace polyvm::ir::testing {

inline constexpr size_t kStateSize =
    192;  // CpuHeader (128 bytes, untouched) + 64 bytes of registers
inline constexpr uint32_t kRegBase = 128;
inline constexpr size_t kMemSize = 256;  // guest addresses [0, 256); anything else faults

// How and where a block left, with everything it changed.
struct Outcome {
  enum class How { kExit, kSideExit, kFault, kUnsupported } how = How::kExit;
  uint64_t side_exit = 0;  // kSideExit: its number
  uint64_t fault_addr = 0;
  uint64_t guest_pc = 0;    // pc of the last GuestInsn marker passed (0 if none)
  Exit exit;                // kExit/kSideExit: the exit taken (its `value` field is not compared)
  uint64_t exit_value = 0;  // the exit's value, if its kind has one
  std::vector<uint8_t> state;
  std::vector<uint8_t> memory;
  std::string unsupported;  // kUnsupported: which op

  bool operator==(const Outcome& o) const;
  std::string Describe() const;
};

Outcome Evaluate(const Block& block, std::vector<uint8_t> state, std::vector<uint8_t> memory);

}  // namespace polyvm::ir::testing
