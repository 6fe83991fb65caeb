// Helpers for the FP semantics tests: bit views, FpMode encoding, running a semantics function
// inside a guest FP environment, and computing reference results on the host FPU through the C
// library (fesetround/fetestexcept), which is outside polyvm.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cfenv>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>

#include "polyvm/core/cpu_header.h"
#include "polyvm/ir/opcode.h"
#include "polyvm/ir/semantics/fp.h"

namespace polyvm::ir::sem::testing {

inline constexpr uint32_t kNV = kFpInvalid, kDZ = kFpDivByZero, kOF = kFpOverflow,
                          kUF = kFpUnderflow, kNX = kFpInexact, kDE = kFpDenormalInput;

inline constexpr RoundingMode kRNE = RoundingMode::kNearestEven, kRTZ = RoundingMode::kTowardZero,
                              kRDN = RoundingMode::kDown, kRUP = RoundingMode::kUp,
                              kRMM = RoundingMode::kNearestMaxMag, kDYN = RoundingMode::kDynamic;
inline constexpr RoundingMode kHostModes[4] = {kRNE, kRTZ, kRDN, kRUP};

inline float F32(uint32_t b) { return std::bit_cast<float>(b); }
inline double F64(uint64_t b) { return std::bit_cast<double>(b); }
inline uint32_t Bits(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t Bits(double d) { return std::bit_cast<uint64_t>(d); }

template <class F>
using BitsT = std::conditional_t<std::is_same_v<F, float>, uint32_t, uint64_t>;
template <class F>
F FromBitsT(BitsT<F> b) {
  return std::bit_cast<F>(b);
}

inline uint32_t Aux(RoundingMode rm, NanRule nan = NanRule::kCanonical, uint8_t rule = 0,
                    bool signaling = false, bool exact = false) {
  FpMode m;
  m.rm = rm;
  m.nan = nan;
  m.rule = rule;
  m.signaling = signaling;
  m.exact = exact;
  return m.Encode();
}

// Runs fn() as guest code: dynamic mode `dyn`, no flags set on entry; *flags gets the flags after.
template <class Fn>
auto Guest(RoundingMode dyn, uint32_t* flags, Fn&& fn) {
  core::CpuHeader cpu;
  cpu.fp_round = static_cast<uint32_t>(dyn);
  cpu.fp_flags = 0;
  EnterGuestFp(cpu);
  auto r = fn();
  LeaveGuestFp(cpu);
  *flags = cpu.fp_flags;
  return r;
}

// ---- host reference ----

inline int FeMode(RoundingMode rm) {
  switch (rm) {
    case RoundingMode::kTowardZero: return FE_TOWARDZERO;
    case RoundingMode::kDown: return FE_DOWNWARD;
    case RoundingMode::kUp: return FE_UPWARD;
    default: return FE_TONEAREST;
  }
}

inline uint32_t TestReadMxcsr() {
  uint32_t m;
  asm volatile("stmxcsr %0" : "=m"(m) : : "memory");
  return m;
}
inline void TestWriteMxcsr(uint32_t m) { asm volatile("ldmxcsr %0" : : "m"(m) : "memory"); }

// The host's accumulated flags (SSE and x87, through the C library; DE straight from MXCSR).
inline uint32_t HostFlags() {
  int fe = fetestexcept(FE_ALL_EXCEPT);
  uint32_t f = 0;
  if (fe & FE_INVALID) f |= kNV;
  if (fe & FE_DIVBYZERO) f |= kDZ;
  if (fe & FE_OVERFLOW) f |= kOF;
  if (fe & FE_UNDERFLOW) f |= kUF;
  if (fe & FE_INEXACT) f |= kNX;
  if (TestReadMxcsr() & 0x02) f |= kDE;
  return f;
}
inline void ClearHostFlags() {
  feclearexcept(FE_ALL_EXCEPT);
  TestWriteMxcsr(TestReadMxcsr() & ~0x3Fu);
}

// Runs fn() on the host in rounding mode rm (one of the four IEEE directed/nearest modes) with
// clear flags. fn must read its operands from volatile objects so the C++ FP operations it
// performs happen after fesetround.
template <class Fn>
auto Host(RoundingMode rm, uint32_t* flags, Fn&& fn) {
  fesetround(FeMode(rm));
  ClearHostFlags();
  auto r = fn();
  *flags = HostFlags();
  fesetround(FE_TONEAREST);
  ClearHostFlags();
  return r;
}

inline std::string Hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}
inline std::string Hex(float f) { return Hex(uint64_t{Bits(f)}); }
inline std::string Hex(double d) { return Hex(Bits(d)); }
inline std::string Hex(bool b) { return b ? "true" : "false"; }
inline std::string Hex(int32_t v) { return Hex(static_cast<uint64_t>(static_cast<uint32_t>(v))); }
inline std::string Hex(int64_t v) { return Hex(static_cast<uint64_t>(v)); }
inline std::string Hex(uint32_t v) { return Hex(uint64_t{v}); }

// Non-x86 rules do not define the x86 denormal-operand flag.
inline uint32_t NoDE(uint32_t flags) { return flags & ~kDE; }

}  // namespace polyvm::ir::sem::testing
