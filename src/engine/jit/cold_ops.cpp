// The out-of-line op evaluator (see cold_ops.h). Slots hold values zero-extended to 64 bits (128
// for i128/v128); results are written the same way.
#include "cold_ops.h"

#include <time.h>
#include <x86intrin.h>

#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <string>

#include "polyvm/engine/common/host_atomics.h"
#include "polyvm/ir/semantics/fp.h"
#include "polyvm/ir/semantics/int.h"
#include "polyvm/ir/semantics/vec.h"

namespace polyvm::engine::jit {
namespace {

using ir::Opcode;
using ir::Type;
using ir::sem::U128;
using ir::sem::V128;

U128 Read(const uint8_t* frame, uint32_t off, Type t) {
  U128 v = 0;
  std::memcpy(&v, frame + off, ir::ByteSize(t) == 0 ? 0 : ir::ByteSize(t));
  if (t == Type::kI1) v &= 1;
  return v;
}

void Write(uint8_t* frame, uint32_t off, U128 v, Type t) {
  unsigned bits = ir::BitWidth(t);
  if (bits < 128) v &= (U128{1} << bits) - 1;
  std::memcpy(frame + off, &v, bits > 64 ? 16 : 8);
}

V128 Vec(U128 v) { return {static_cast<uint64_t>(v), static_cast<uint64_t>(v >> 64)}; }
U128 Bits(V128 v) { return static_cast<U128>(v.lo) | (static_cast<U128>(v.hi) << 64); }

template <class F>
F AsF(U128 v) {
  if constexpr (sizeof(F) == 4) {
    return std::bit_cast<float>(static_cast<uint32_t>(v));
  } else {
    return std::bit_cast<double>(static_cast<uint64_t>(v));
  }
}
template <class F>
U128 FBits(F f) {
  if constexpr (sizeof(F) == 4) {
    return std::bit_cast<uint32_t>(f);
  } else {
    return std::bit_cast<uint64_t>(f);
  }
}

U128 SignExtend128(U128 v, unsigned bits) {
  if (bits >= 128) return v;
  auto s = static_cast<int64_t>(ir::sem::SignExtend(static_cast<uint64_t>(v), bits));
  return static_cast<U128>(static_cast<ir::sem::S128>(s));
}

// Integer ops at one width; false if the op is not an integer op.
template <ir::sem::UnsignedInt U>
bool IntAt(Opcode op, U128 a128, U128 b128, U128 c128, U128* out) {
  namespace sem = ir::sem;
  const U a = static_cast<U>(a128), b = static_cast<U>(b128);
  const bool c = (c128 & 1) != 0;
  const uint64_t n = static_cast<uint64_t>(b128);
  switch (op) {
    case Opcode::kAdd: *out = sem::Add(a, b); return true;
    case Opcode::kSub: *out = sem::Sub(a, b); return true;
    case Opcode::kMul: *out = sem::Mul(a, b); return true;
    case Opcode::kMulHiS: *out = sem::MulHiS(a, b); return true;
    case Opcode::kMulHiU: *out = sem::MulHiU(a, b); return true;
    case Opcode::kMulHiSU: *out = sem::MulHiSU(a, b); return true;
    case Opcode::kDivS: *out = sem::DivS(a, b); return true;
    case Opcode::kDivU: *out = sem::DivU(a, b); return true;
    case Opcode::kRemS: *out = sem::RemS(a, b); return true;
    case Opcode::kRemU: *out = sem::RemU(a, b); return true;
    case Opcode::kNeg: *out = sem::Neg(a); return true;
    case Opcode::kShl: *out = sem::Shl(a, n); return true;
    case Opcode::kLShr: *out = sem::LShr(a, n); return true;
    case Opcode::kAShr: *out = sem::AShr(a, n); return true;
    case Opcode::kRotl: *out = sem::Rotl(a, n); return true;
    case Opcode::kRotr: *out = sem::Rotr(a, n); return true;
    case Opcode::kClz: *out = sem::Clz(a); return true;
    case Opcode::kCtz: *out = sem::Ctz(a); return true;
    case Opcode::kPopcount: *out = sem::Popcount(a); return true;
    case Opcode::kBswap: *out = sem::Bswap(a); return true;
    case Opcode::kBitReverse: *out = sem::BitReverse(a); return true;
    case Opcode::kCmpLtS: *out = sem::LtS(a, b); return true;
    case Opcode::kCmpLtU: *out = a < b; return true;
    case Opcode::kCmpLeS: *out = sem::LeS(a, b); return true;
    case Opcode::kCmpLeU: *out = a <= b; return true;
    case Opcode::kAddCarry: *out = sem::AddCarry(a, b); return true;
    case Opcode::kAddOverflow: *out = sem::AddOverflow(a, b); return true;
    case Opcode::kSubBorrow: *out = sem::SubBorrow(a, b); return true;
    case Opcode::kSubOverflow: *out = sem::SubOverflow(a, b); return true;
    case Opcode::kAdc: *out = sem::Adc(a, b, c); return true;
    case Opcode::kAdcCarry: *out = sem::AdcCarry(a, b, c); return true;
    case Opcode::kAdcOverflow: *out = sem::AdcOverflow(a, b, c); return true;
    case Opcode::kSbb: *out = sem::Sbb(a, b, c); return true;
    case Opcode::kSbbBorrow: *out = sem::SbbBorrow(a, b, c); return true;
    case Opcode::kSbbOverflow: *out = sem::SbbOverflow(a, b, c); return true;
    case Opcode::kParity: *out = sem::Parity(a); return true;
    default: return false;
  }
}

bool IntOp(Opcode op, unsigned width, const U128 v[3], U128* out) {
  switch (width) {
    case 8: return IntAt<uint8_t>(op, v[0], v[1], v[2], out);
    case 16: return IntAt<uint16_t>(op, v[0], v[1], v[2], out);
    case 32: return IntAt<uint32_t>(op, v[0], v[1], v[2], out);
    case 64: return IntAt<uint64_t>(op, v[0], v[1], v[2], out);
    case 128: return IntAt<U128>(op, v[0], v[1], v[2], out);
    default: return false;
  }
}

// Scalar FP ops on F; false if not one.
template <class F>
bool FpAt(const ColdRec& r, const U128 v[3], ir::RoundingMode dyn, U128* out) {
  namespace sem = ir::sem;
  const F a = AsF<F>(v[0]), b = AsF<F>(v[1]), c = AsF<F>(v[2]);
  switch (r.op) {
    case Opcode::kFAdd: *out = FBits(sem::FAdd<F>(a, b, r.aux, dyn)); return true;
    case Opcode::kFSub: *out = FBits(sem::FSub<F>(a, b, r.aux, dyn)); return true;
    case Opcode::kFMul: *out = FBits(sem::FMul<F>(a, b, r.aux, dyn)); return true;
    case Opcode::kFDiv: *out = FBits(sem::FDiv<F>(a, b, r.aux, dyn)); return true;
    case Opcode::kFSqrt: *out = FBits(sem::FSqrt<F>(a, r.aux, dyn)); return true;
    case Opcode::kFMulAdd: *out = FBits(sem::FMulAdd<F>(a, b, c, r.aux, dyn)); return true;
    case Opcode::kFMin: *out = FBits(sem::FMin<F>(a, b, r.aux)); return true;
    case Opcode::kFMax: *out = FBits(sem::FMax<F>(a, b, r.aux)); return true;
    case Opcode::kFRound: *out = FBits(sem::FRound<F>(a, r.aux, dyn)); return true;
    default: return false;
  }
}

template <class F>
bool FCmpAt(const ColdRec& r, const U128 v[3], U128* out) {
  namespace sem = ir::sem;
  const F a = AsF<F>(v[0]), b = AsF<F>(v[1]);
  switch (r.op) {
    case Opcode::kFCmpEq: *out = sem::FCmpEq<F>(a, b, r.aux); return true;
    case Opcode::kFCmpLt: *out = sem::FCmpLt<F>(a, b, r.aux); return true;
    case Opcode::kFCmpLe: *out = sem::FCmpLe<F>(a, b, r.aux); return true;
    case Opcode::kFCmpUn: *out = sem::FCmpUn<F>(a, b, r.aux); return true;
    default: return false;
  }
}

template <class F>
bool FToIntAt(const ColdRec& r, U128 a128, ir::RoundingMode dyn, U128* out) {
  namespace sem = ir::sem;
  const F a = AsF<F>(a128);
  bool s = r.op == Opcode::kFToSInt;
  switch (r.type) {
    case Type::kI32:
      *out = s ? static_cast<uint32_t>(sem::FToSInt<int32_t, F>(a, r.aux, dyn))
               : sem::FToUInt<uint32_t, F>(a, r.aux, dyn);
      return true;
    case Type::kI64:
      *out = s ? static_cast<uint64_t>(sem::FToSInt<int64_t, F>(a, r.aux, dyn))
               : sem::FToUInt<uint64_t, F>(a, r.aux, dyn);
      return true;
    default: return false;
  }
}

template <class F>
bool IntToFAt(const ColdRec& r, U128 a128, ir::RoundingMode dyn, U128* out) {
  namespace sem = ir::sem;
  bool s = r.op == Opcode::kSIntToF;
  switch (r.arg_type[0]) {
    case Type::kI32: {
      auto a = static_cast<uint32_t>(a128);
      *out = FBits(s ? sem::SIntToF<F, int32_t>(static_cast<int32_t>(a), r.aux, dyn)
                     : sem::UIntToF<F, uint32_t>(a, r.aux, dyn));
      return true;
    }
    case Type::kI64: {
      auto a = static_cast<uint64_t>(a128);
      *out = FBits(s ? sem::SIntToF<F, int64_t>(static_cast<int64_t>(a), r.aux, dyn)
                     : sem::UIntToF<F, uint64_t>(a, r.aux, dyn));
      return true;
    }
    default: return false;
  }
}

bool VecOp(const ColdRec& r, const U128 v[3], ir::RoundingMode dyn, U128* out) {
  namespace sem = ir::sem;
  const V128 a = Vec(v[0]), b = Vec(v[1]), c = Vec(v[2]);
  const unsigned l = r.lane;
  V128 res;
  switch (r.op) {
    case Opcode::kVAdd: res = sem::VAdd(a, b, l); break;
    case Opcode::kVSub: res = sem::VSub(a, b, l); break;
    case Opcode::kVMul: res = sem::VMul(a, b, l); break;
    case Opcode::kVNeg: res = sem::VNeg(a, l); break;
    case Opcode::kVAbs: res = sem::VAbs(a, l); break;
    case Opcode::kVMinS: res = sem::VMinS(a, b, l); break;
    case Opcode::kVMinU: res = sem::VMinU(a, b, l); break;
    case Opcode::kVMaxS: res = sem::VMaxS(a, b, l); break;
    case Opcode::kVMaxU: res = sem::VMaxU(a, b, l); break;
    case Opcode::kVAddSatS: res = sem::VAddSatS(a, b, l); break;
    case Opcode::kVAddSatU: res = sem::VAddSatU(a, b, l); break;
    case Opcode::kVSubSatS: res = sem::VSubSatS(a, b, l); break;
    case Opcode::kVSubSatU: res = sem::VSubSatU(a, b, l); break;
    case Opcode::kVShlI: res = sem::VShlI(a, l, r.imm); break;
    case Opcode::kVLShrI: res = sem::VLShrI(a, l, r.imm); break;
    case Opcode::kVAShrI: res = sem::VAShrI(a, l, r.imm); break;
    case Opcode::kVCmpEq: res = sem::VCmpEq(a, b, l); break;
    case Opcode::kVCmpGtS: res = sem::VCmpGtS(a, b, l); break;
    case Opcode::kVCmpGtU: res = sem::VCmpGtU(a, b, l); break;
    case Opcode::kVCmpGeS: res = sem::VCmpGeS(a, b, l); break;
    case Opcode::kVCmpGeU: res = sem::VCmpGeU(a, b, l); break;
    case Opcode::kVDup: res = sem::VDup(static_cast<uint64_t>(v[0]), l); break;
    case Opcode::kVExtract: *out = sem::VExtract(a, l, r.imm); return true;
    case Opcode::kVInsert: res = sem::VInsert(a, static_cast<uint64_t>(v[1]), l, r.imm); break;
    case Opcode::kVTbl: res = sem::VTbl(a, b); break;
    case Opcode::kVZipLo: res = sem::VZipLo(a, b, l); break;
    case Opcode::kVZipHi: res = sem::VZipHi(a, b, l); break;
    case Opcode::kVUzpEven: res = sem::VUzpEven(a, b, l); break;
    case Opcode::kVUzpOdd: res = sem::VUzpOdd(a, b, l); break;
    case Opcode::kVNarrow: res = sem::VNarrow(a, l); break;
    case Opcode::kVWidenLoS: res = sem::VWidenLoS(a, l); break;
    case Opcode::kVWidenLoU: res = sem::VWidenLoU(a, l); break;
    case Opcode::kVWidenHiS: res = sem::VWidenHiS(a, l); break;
    case Opcode::kVWidenHiU: res = sem::VWidenHiU(a, l); break;
    case Opcode::kVPopcount: res = sem::VPopcount(a, l); break;
    case Opcode::kVPairAdd: res = sem::VPairAdd(a, b, l); break;
    case Opcode::kVReduceAdd: *out = sem::VReduceAdd(a, l); return true;
    case Opcode::kVReduceMinS: *out = sem::VReduceMinS(a, l); return true;
    case Opcode::kVReduceMinU: *out = sem::VReduceMinU(a, l); return true;
    case Opcode::kVReduceMaxS: *out = sem::VReduceMaxS(a, l); return true;
    case Opcode::kVReduceMaxU: *out = sem::VReduceMaxU(a, l); return true;
    case Opcode::kVMoveMask: *out = sem::VMoveMask(a, l); return true;
    case Opcode::kVFAdd: res = sem::VFAdd(a, b, l, r.aux, dyn); break;
    case Opcode::kVFSub: res = sem::VFSub(a, b, l, r.aux, dyn); break;
    case Opcode::kVFMul: res = sem::VFMul(a, b, l, r.aux, dyn); break;
    case Opcode::kVFDiv: res = sem::VFDiv(a, b, l, r.aux, dyn); break;
    case Opcode::kVFSqrt: res = sem::VFSqrt(a, l, r.aux, dyn); break;
    case Opcode::kVFMulAdd: res = sem::VFMulAdd(a, b, c, l, r.aux, dyn); break;
    case Opcode::kVFMin: res = sem::VFMin(a, b, l, r.aux); break;
    case Opcode::kVFMax: res = sem::VFMax(a, b, l, r.aux); break;
    case Opcode::kVFCmpEq: res = sem::VFCmpEq(a, b, l, r.aux); break;
    case Opcode::kVFCmpLt: res = sem::VFCmpLt(a, b, l, r.aux); break;
    case Opcode::kVFCmpLe: res = sem::VFCmpLe(a, b, l, r.aux); break;
    case Opcode::kVFCmpUn: res = sem::VFCmpUn(a, b, l, r.aux); break;
    case Opcode::kVFToSInt: res = sem::VFToSInt(a, l, r.aux, dyn); break;
    case Opcode::kVFToUInt: res = sem::VFToUInt(a, l, r.aux, dyn); break;
    case Opcode::kVSIntToF: res = sem::VSIntToF(a, l, r.aux, dyn); break;
    case Opcode::kVUIntToF: res = sem::VUIntToF(a, l, r.aux, dyn); break;
    default: return false;
  }
  *out = Bits(res);
  return true;
}

template <class U>
bool AtomicAt(const ColdRec& r, const U128 v[3], core::CpuHeader* st, U128* out) {
  uint64_t addr = static_cast<uint64_t>(v[0]);
  void* p = st->mem_base + addr;
  switch (r.op) {
    case Opcode::kAtomicRmw:
      *out = HostRmw<U>(p, static_cast<U>(v[1]), ir::MemFlags::Decode(r.aux).rmw);
      return true;
    case Opcode::kAtomicCas: {
      U expected = static_cast<U>(v[1]);
      HostCas<U>(p, expected, static_cast<U>(v[2]));
      *out = expected;
      return true;
    }
    case Opcode::kLoadLinked: {
      U val;
      std::memcpy(&val, p, sizeof(U));
      st->excl_addr = addr;
      st->excl_size = sizeof(U);
      st->excl_value[0] = static_cast<uint64_t>(val);
      st->excl_value[1] = sizeof(U) == 16 ? static_cast<uint64_t>(static_cast<U128>(val) >> 64) : 0;
      *out = val;
      return true;
    }
    case Opcode::kStoreCond: {
      // CheckAtomicAccess has disarmed the monitor and found it armed for this address and size.
      U expected = static_cast<U>(static_cast<U128>(st->excl_value[0]) |
                                  (static_cast<U128>(st->excl_value[1]) << 64));
      *out = HostCas<U>(p, expected, static_cast<U>(v[1])) ? 1 : 0;
      return true;
    }
    default: return false;
  }
}

bool Atomic(const ColdRec& r, const U128 v[3], core::CpuHeader* st, U128* out) {
  Type t = r.op == Opcode::kStoreCond ? r.arg_type[1] : r.type;
  switch (t) {
    case Type::kI8: return AtomicAt<uint8_t>(r, v, st, out);
    case Type::kI16: return AtomicAt<uint16_t>(r, v, st, out);
    case Type::kI32: return AtomicAt<uint32_t>(r, v, st, out);
    case Type::kI64: return AtomicAt<uint64_t>(r, v, st, out);
    case Type::kI128: return AtomicAt<U128>(r, v, st, out);
    default: return false;
  }
}

bool Evaluate(const ColdRec& r, const U128 v[3], core::CpuHeader* st, U128* out) {
  const auto dyn = static_cast<ir::RoundingMode>(st->fp_round);
  const Type t = r.type, a0 = r.arg_type[0];
  switch (r.op) {
    case Opcode::kAnd: *out = v[0] & v[1]; return true;
    case Opcode::kOr: *out = v[0] | v[1]; return true;
    case Opcode::kXor: *out = v[0] ^ v[1]; return true;
    case Opcode::kNot: *out = ~v[0]; return true;
    case Opcode::kCmpEq: *out = v[0] == v[1]; return true;
    case Opcode::kCmpNe: *out = v[0] != v[1]; return true;
    case Opcode::kSelect: *out = (v[0] & 1) ? v[1] : v[2]; return true;
    case Opcode::kZExt:
    case Opcode::kTrunc:
    case Opcode::kBitcast: *out = v[0]; return true;
    case Opcode::kSExt: *out = SignExtend128(v[0], ir::BitWidth(a0)); return true;
    case Opcode::kConcat:
      if (ir::BitWidth(a0) >= 128) return false;
      *out = v[0] | v[1] << ir::BitWidth(a0);
      return true;
    case Opcode::kExtract:
      if (r.imm + ir::BitWidth(t) > ir::BitWidth(a0)) return false;
      *out = v[0] >> r.imm;
      return true;
    case Opcode::kFAdd:
    case Opcode::kFSub:
    case Opcode::kFMul:
    case Opcode::kFDiv:
    case Opcode::kFSqrt:
    case Opcode::kFMulAdd:
    case Opcode::kFMin:
    case Opcode::kFMax:
    case Opcode::kFRound:
      return t == Type::kF32 ? FpAt<float>(r, v, dyn, out) : FpAt<double>(r, v, dyn, out);
    case Opcode::kFNeg:
      *out = v[0] ^ (t == Type::kF32 ? U128{1} << 31 : U128{1} << 63);
      return true;
    case Opcode::kFAbs:
      *out = v[0] & ~(t == Type::kF32 ? U128{1} << 31 : U128{1} << 63);
      return true;
    case Opcode::kFCmpEq:
    case Opcode::kFCmpLt:
    case Opcode::kFCmpLe:
    case Opcode::kFCmpUn:
      return a0 == Type::kF32 ? FCmpAt<float>(r, v, out) : FCmpAt<double>(r, v, out);
    case Opcode::kFToSInt:
    case Opcode::kFToUInt:
      return a0 == Type::kF32 ? FToIntAt<float>(r, v[0], dyn, out)
                              : FToIntAt<double>(r, v[0], dyn, out);
    case Opcode::kSIntToF:
    case Opcode::kUIntToF:
      return t == Type::kF32 ? IntToFAt<float>(r, v[0], dyn, out)
                             : IntToFAt<double>(r, v[0], dyn, out);
    case Opcode::kFConvert:
      if (t == Type::kF32 && a0 == Type::kF64) {
        *out = FBits(ir::sem::FConvert<float, double>(AsF<double>(v[0]), r.aux, dyn));
      } else if (t == Type::kF64 && a0 == Type::kF32) {
        *out = FBits(ir::sem::FConvert<double, float>(AsF<float>(v[0]), r.aux, dyn));
      } else {
        *out = v[0];  // same type: a copy
      }
      return true;
    case Opcode::kFpGetFlags: *out = ir::sem::GetFpFlags(); return true;
    case Opcode::kFpSetFlags: ir::sem::SetFpFlags(static_cast<uint32_t>(v[0])); return true;
    case Opcode::kFpSetRound: ir::sem::SetFpRound(*st, static_cast<uint32_t>(v[0])); return true;
    case Opcode::kReadCounter: *out = ReadHostCounter(r.aux, st); return true;
    case Opcode::kCallHelper: {
      const auto* h = reinterpret_cast<const ir::HelperInfo*>(r.imm);
      *out = h->fn(st, static_cast<uint64_t>(v[0]), static_cast<uint64_t>(v[1]),
                   static_cast<uint64_t>(v[2]));
      return true;
    }
    case Opcode::kAtomicRmw:
    case Opcode::kAtomicCas:
    case Opcode::kLoadLinked:
    case Opcode::kStoreCond: return Atomic(r, v, st, out);
    default: break;
  }
  if (ir::IsVector(t) || ir::IsVector(a0)) return VecOp(r, v, dyn, out);
  unsigned width = ir::BitWidth(ir::Info(r.op).result == ir::TypeClass::I1 ? a0 : t);
  return IntOp(r.op, width, v, out);
}

// Calls per op, for --stats. A relaxed load and store rather than an atomic increment: no locked
// instruction on the cold path, at the price of a lost count when two threads race.
std::array<std::atomic<uint64_t>, ir::kOpcodeCount> g_cold_calls{};

void CountCall(Opcode op) {
  std::atomic<uint64_t>& c = g_cold_calls[static_cast<unsigned>(op)];
  c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

constexpr uint32_t kDisarmedStoreCond = 100;

// The checks before an atomic access, in the interpreter's order: a StoreCond disarms the monitor
// first (and fails without touching memory unless it was armed for this address and size), then
// alignment (required for 16 bytes and MemFlags::aligned), then the bounds. Returns 0 to go on.
uint32_t CheckAtomicAccess(const ColdRec& r, const U128 v[3], JitHot* hot, core::CpuHeader* st) {
  if (r.op != Opcode::kAtomicRmw && r.op != Opcode::kAtomicCas && r.op != Opcode::kLoadLinked &&
      r.op != Opcode::kStoreCond) {
    return 0;
  }
  Type t = r.op == Opcode::kStoreCond ? r.arg_type[1] : r.type;
  unsigned size = ir::ByteSize(t);
  uint64_t addr = static_cast<uint64_t>(v[0]);
  bool armed = true;
  if (r.op == Opcode::kStoreCond) {
    armed = st->excl_addr == addr && st->excl_size == size;
    st->excl_addr = core::kNoReservation;
    st->excl_size = 0;
  }
  if ((size == 16 || ir::MemFlags::Decode(r.aux).aligned) && (addr & (size - 1)) != 0) {
    hot->fault_addr = addr;
    return static_cast<uint32_t>(Status::kMisaligned);
  }
  if (!armed) return kDisarmedStoreCond;
  unsigned log2 = static_cast<unsigned>(std::countr_zero(size));
  if (size == 0 || log2 > 4 || addr >= hot->lim[log2]) {
    hot->fault_addr = addr;
    return static_cast<uint32_t>(Status::kOutOfRange);
  }
  return 0;
}

}  // namespace

uint64_t ReadHostCounter(uint32_t which, const core::CpuHeader* st) {
  auto counter = static_cast<ir::Counter>(which);
  if (counter == ir::Counter::kRetired) return st->retired;
  if (counter == ir::Counter::kCycles) return __rdtsc();
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

void CollectColdOpStats(core::Stats& out) {
  for (unsigned k = 0; k < ir::kOpcodeCount; ++k) {
    const uint64_t n = g_cold_calls[k].load(std::memory_order_relaxed);
    if (n == 0) continue;
    out.Add("jit.cold_ops." + std::string(ir::OpName(static_cast<Opcode>(k))),
            static_cast<double>(n));
  }
}

namespace {
// The System V ABI lets a call clobber every XMM register. Builds with assertions do so on the
// way back from ColdOp, so generated code that wrongly expects one to survive the call (the FP
// result cache in xmm4-xmm15, codegen_fp_env.cpp) fails its tests instead of working by luck.
void PoisonCallerSavedXmm() {
#ifndef NDEBUG
  // Zeros, not all ones: a NaN would send the op reading it to its slow path, which recomputes
  // from the general registers and hides the stale value.
  asm volatile(
      "xorps %%xmm4, %%xmm4\n\txorps %%xmm5, %%xmm5\n\txorps %%xmm6, %%xmm6\n\t"
      "xorps %%xmm7, %%xmm7\n\txorps %%xmm8, %%xmm8\n\txorps %%xmm9, %%xmm9\n\t"
      "xorps %%xmm10, %%xmm10\n\txorps %%xmm11, %%xmm11\n\txorps %%xmm12, %%xmm12\n\t"
      "xorps %%xmm13, %%xmm13\n\txorps %%xmm14, %%xmm14\n\txorps %%xmm15, %%xmm15" ::
          : "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
            "xmm14", "xmm15");
#endif
}
}  // namespace

uint32_t ColdOp(const ColdRec* rec, JitHot* hot, core::CpuHeader* st) {
  const ColdRec& r = *rec;
  CountCall(r.op);
  uint8_t* frame = hot->frame;
  U128 v[3] = {0, 0, 0};
  for (unsigned k = 0; k < r.nargs; ++k) v[k] = Read(frame, r.arg[k], r.arg_type[k]);
  if (uint32_t s = CheckAtomicAccess(r, v, hot, st); s != 0) {
    if (s == kDisarmedStoreCond) {
      Write(frame, r.dst, 0, r.type);
      return 0;
    }
    return s;
  }
  U128 out = 0;
  if (!Evaluate(r, v, st, &out)) return static_cast<uint32_t>(Status::kUnsupported);
  if (r.type != Type::kVoid) Write(frame, r.dst, out, r.type);
  PoisonCallerSavedXmm();
  return 0;
}

}  // namespace polyvm::engine::jit
