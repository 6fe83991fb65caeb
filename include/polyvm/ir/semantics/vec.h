// Reference semantics of the v128 IR ops: one function per op, named after it. `lane` is the
// op's lane field (log2 of the element size in bytes). Integer ops are portable C++; FP lane ops
// apply the scalar functions of fp.h to each lane (lane 2 = f32, 3 = f64). For VNarrow and
// VWiden* `lane` is the source element size. A lane (or VExtract/VInsert index) the op does not
// define is an IR verifier error: the function prints the op and aborts.
#pragma once

#include <cstdint>

#include "polyvm/ir/opcode.h"
#include "polyvm/ir/semantics/v128.h"

namespace polyvm::ir::sem {

V128 VAdd(V128 a, V128 b, unsigned lane);
V128 VSub(V128 a, V128 b, unsigned lane);
V128 VMul(V128 a, V128 b, unsigned lane);
V128 VNeg(V128 a, unsigned lane);
V128 VAbs(V128 a, unsigned lane);
V128 VMinS(V128 a, V128 b, unsigned lane);
V128 VMinU(V128 a, V128 b, unsigned lane);
V128 VMaxS(V128 a, V128 b, unsigned lane);
V128 VMaxU(V128 a, V128 b, unsigned lane);
V128 VAddSatS(V128 a, V128 b, unsigned lane);
V128 VAddSatU(V128 a, V128 b, unsigned lane);
V128 VSubSatS(V128 a, V128 b, unsigned lane);
V128 VSubSatU(V128 a, V128 b, unsigned lane);
V128 VShlI(V128 a, unsigned lane, uint64_t imm);
V128 VLShrI(V128 a, unsigned lane, uint64_t imm);
V128 VAShrI(V128 a, unsigned lane, uint64_t imm);
V128 VCmpEq(V128 a, V128 b, unsigned lane);
V128 VCmpGtS(V128 a, V128 b, unsigned lane);
V128 VCmpGtU(V128 a, V128 b, unsigned lane);
V128 VCmpGeS(V128 a, V128 b, unsigned lane);
V128 VCmpGeU(V128 a, V128 b, unsigned lane);
V128 VDup(uint64_t a, unsigned lane);
uint64_t VExtract(V128 a, unsigned lane, uint64_t imm);
V128 VInsert(V128 a, uint64_t b, unsigned lane, uint64_t imm);
V128 VTbl(V128 a, V128 b);
V128 VZipLo(V128 a, V128 b, unsigned lane);
V128 VZipHi(V128 a, V128 b, unsigned lane);
V128 VUzpEven(V128 a, V128 b, unsigned lane);
V128 VUzpOdd(V128 a, V128 b, unsigned lane);
V128 VNarrow(V128 a, unsigned lane);
V128 VWidenLoS(V128 a, unsigned lane);
V128 VWidenLoU(V128 a, unsigned lane);
V128 VWidenHiS(V128 a, unsigned lane);
V128 VWidenHiU(V128 a, unsigned lane);
V128 VPopcount(V128 a, unsigned lane);
V128 VPairAdd(V128 a, V128 b, unsigned lane);
uint64_t VReduceAdd(V128 a, unsigned lane);
uint64_t VReduceMinS(V128 a, unsigned lane);
uint64_t VReduceMinU(V128 a, unsigned lane);
uint64_t VReduceMaxS(V128 a, unsigned lane);
uint64_t VReduceMaxU(V128 a, unsigned lane);
uint32_t VMoveMask(V128 a, unsigned lane);

V128 VFAdd(V128 a, V128 b, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VFSub(V128 a, V128 b, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VFMul(V128 a, V128 b, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VFDiv(V128 a, V128 b, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VFSqrt(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VFMulAdd(V128 a, V128 b, V128 c, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VFMin(V128 a, V128 b, unsigned lane, uint32_t aux);
V128 VFMax(V128 a, V128 b, unsigned lane, uint32_t aux);
V128 VFCmpEq(V128 a, V128 b, unsigned lane, uint32_t aux);
V128 VFCmpLt(V128 a, V128 b, unsigned lane, uint32_t aux);
V128 VFCmpLe(V128 a, V128 b, unsigned lane, uint32_t aux);
V128 VFCmpUn(V128 a, V128 b, unsigned lane, uint32_t aux);
V128 VFToSInt(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VFToUInt(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VSIntToF(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn);
V128 VUIntToF(V128 a, unsigned lane, uint32_t aux, RoundingMode dyn);

}  // namespace polyvm::ir::sem
