// Helpers of the AdvSIMD lift functions: the control fields of the encodings (Q, size, U), the
// 64-bit (Q = 0) write rule, vector constants, byte permutations built from VTbl, lane-by-lane
// composition for the operations the IR has no vector op for, and FPSR.QC for saturation.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "lift_context.h"

namespace polyvm::frontend::arm64 {

inline bool SimdQ(const Insn& i) { return Bit(i.raw, 30); }
inline bool SimdU(const Insn& i) { return Bit(i.raw, 29); }
inline unsigned SimdSize(const Insn& i) { return Bits(i.raw, 23, 22); }
// Lanes of `size` (log2 bytes) in a register of 8 (Q = 0) or 16 bytes.
inline unsigned LaneCount(bool q, unsigned size) { return (q ? 16u : 8u) >> size; }

// A v128 constant from two 64-bit halves.
ir::Value VConst(ir::Builder& b, uint64_t lo, uint64_t hi = 0);
// A v128 constant with `v` in every lane of `size`.
ir::Value VSplat(ir::Builder& b, unsigned size, uint64_t v);
// The low 64 bits of v, the upper half zeroed.
ir::Value VLow64(ir::Builder& b, ir::Value v);
// Writes a vector result: all 128 bits when q, else the low 64 with the upper half zeroed.
void SetVec(LiftContext& c, unsigned r, ir::Value v, bool q);

// The scalar AdvSIMD forms (bit 28 set: 01 U 11110/11111 ...) compute on lane 0 alone.
inline bool SimdScalar(const Insn& i) { return Bit(i.raw, 28); }
// v with every lane but lane 0 of `size` zeroed (scalar operands: the other lanes then neither
// compute nor saturate).
ir::Value Lane0(ir::Builder& b, ir::Value v, unsigned size);
// The by-element operand Vm.Ts[index] (size 1: Rm is 4 bits, index H:L:M; 2: H:L; 3: H) in every
// lane of its size.
ir::Value ElemDup(LiftContext& c, const Insn& i);

// A byte permutation: byte k of the result is byte map[k].byte of sources[map[k].src], or 0 when
// map[k].src < 0. One VTbl per source that contributes, ORed.
struct ByteSel {
  int8_t src;
  uint8_t byte;
};
ir::Value Permute(ir::Builder& b, const std::vector<ir::Value>& sources,
                  const std::array<ByteSel, 16>& map);

// Applies `fn` to each lane (i64 lane values, zero-extended) of a and b, building the result with
// VInsert. For the operations without a vector op (per-lane variable shifts, ...).
using LaneFn = std::function<ir::Value(ir::Value a, ir::Value b)>;
ir::Value PerLane(ir::Builder& b, ir::Value va, ir::Value vb, unsigned size, unsigned lanes,
                  const LaneFn& fn);
// The integer type of a lane of `size` (i8 .. i64).
ir::Type LaneType(unsigned size);

// FPSR.QC |= saturated (an i1): the saturating instructions' cumulative flag (bit 27).
void OrQc(LiftContext& c, ir::Value saturated);
// 1 when two vectors differ in any bit.
ir::Value VDiffers(ir::Builder& b, ir::Value x, ir::Value y);

}  // namespace polyvm::frontend::arm64
