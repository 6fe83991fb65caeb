// The interface every guest frontend implements: guest machine code in, IR blocks out.
// Engines and the user-mode runtime see a guest only through this and its state struct.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "polyvm/ir/block.h"

namespace polyvm::ir {

// Where a frontend reads guest code from.
class CodeReader {
 public:
  virtual ~CodeReader() = default;
  // Copies up to `size` bytes of guest code at `pc` into `out` and returns how many could be
  // fetched (mapped and executable). A short count means a fetch fault after that many bytes.
  virtual size_t Fetch(uint64_t pc, void* out, size_t size) const = 0;
};

struct LiftOptions {
  uint32_t max_insns = 64;  // end the block after this many guest instructions
};

class Lifter {
 public:
  virtual ~Lifter() = default;

  virtual std::string_view ArchName() const = 0;
  // sizeof the guest state struct (which starts with a core::CpuHeader).
  virtual size_t StateSize() const = 0;

  // Lifts guest code starting at pc into `out` (which it resets). Never fails: an instruction that
  // cannot be fetched or decoded ends the block with a kTrap exit (kFetchFault,
  // kIllegalInstruction) at that instruction, after the ones before it.
  virtual void Lift(uint64_t pc, const CodeReader& code, const LiftOptions& options,
                    Block& out) const = 0;

  // Disassembles one instruction into `text`; returns its length in bytes, 0 if unfetchable.
  virtual unsigned Disassemble(uint64_t pc, const CodeReader& code, std::string& text) const = 0;

  // Name of the guest register at a state offset ("a0", "f3", "fcsr"), for IR printing;
  // empty if the offset does not start a named register.
  virtual std::string RegName(uint32_t offset) const = 0;

  // True when the guest's dynamic rounding mode (CpuHeader::fp_round, set by FpSetRound, signal
  // returns and the initial state) is never kNearestMaxMag: engines that run ops of dynamic mode
  // in the host's own rounding modes then need no check per op. AArch64's FPCR.RMode has only
  // the four IEEE modes; RISC-V's frm has RMM.
  virtual bool DynamicRoundingIsIeee() const { return false; }
};

}  // namespace polyvm::ir
