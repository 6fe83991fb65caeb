// What a load/store row accesses, from its size/V/opc bits, and the load/store of one register:
// shared by the single-register, literal and pair lift functions.
#pragma once

#include "lift_int_util.h"

namespace polyvm::frontend::arm64 {

struct Access {
  ir::Type mem;  // the memory type (i8..i64, v128 for Q)
  bool load = false;
  bool sign = false;  // sign-extend the loaded value
  bool fp = false;    // an FP/SIMD register (B H S D Q)
  bool wide = false;  // integer: the register is X (else W)
  unsigned bytes = 0;
};

// The single-register forms: size(31:30) V(26) opc(23:22).
Access SingleAccess(uint32_t raw);

// Loads `a` at addr; the value to write with WriteTransfer.
ir::Value LoadFor(LiftContext& c, const Access& a, ir::Value addr);
// Writes a loaded value to Rt (extending into W/X, or a scalar FP/SIMD write).
void WriteTransfer(LiftContext& c, const Access& a, unsigned rt, ir::Value loaded);
// The value of Rt to store.
ir::Value ReadTransfer(LiftContext& c, const Access& a, unsigned rt);

}  // namespace polyvm::frontend::arm64
