// The host side of the FP semantics: MXCSR access, the mapping between MXCSR flag bits and
// ir::FpFlags, rounding-mode selection, and one `asm volatile` wrapper per SSE/FMA instruction.
//
// Why asm: the compiler must neither move a host FP instruction across an MXCSR write nor delete
// one whose only visible effect is a flag. Every wrapper below is `asm volatile`; GCC treats a
// volatile asm as a scheduling barrier for other volatile asms and LLVM gives it unmodelled side
// effects, so their order is kept; the MXCSR accesses also clobber "memory".
#pragma once

#include <cstdint>
#include <type_traits>

#include "fp_bits.h"
#include "polyvm/ir/opcode.h"

namespace polyvm::ir::sem {

// ---- MXCSR ----
inline constexpr uint32_t kMxFlags = 0x3F;  // IE DE ZE OE UE PE
inline constexpr uint32_t kMxIE = 0x01, kMxDE = 0x02, kMxZE = 0x04, kMxOE = 0x08, kMxUE = 0x10,
                          kMxPE = 0x20;
inline constexpr uint32_t kMxMaskAll = 0x1F80;  // every exception masked
inline constexpr uint32_t kMxRcShift = 13;
inline constexpr uint32_t kMxRc = 3u << kMxRcShift;

inline uint32_t ReadMxcsr() {
  uint32_t m;
  asm volatile("stmxcsr %0" : "=m"(m) : : "memory");
  return m;
}
inline void WriteMxcsr(uint32_t m) { asm volatile("ldmxcsr %0" : : "m"(m) : "memory"); }

// ir::FpFlags <-> MXCSR flag bits (both six bits wide): pairs {ir bit, MXCSR bit}.
inline constexpr uint32_t kFlagPairs[6][2] = {{kFpInvalid, kMxIE},  {kFpDivByZero, kMxZE},
                                              {kFpOverflow, kMxOE}, {kFpUnderflow, kMxUE},
                                              {kFpInexact, kMxPE},  {kFpDenormalInput, kMxDE}};
constexpr uint32_t IrToMx(uint32_t ir) {
  uint32_t mx = 0;
  for (const auto& p : kFlagPairs) mx |= (ir & p[0]) ? p[1] : 0;
  return mx;
}
constexpr uint32_t MxToIr(uint32_t mx) {
  uint32_t ir = 0;
  for (const auto& p : kFlagPairs) ir |= (mx & p[1]) ? p[0] : 0;
  return ir;
}

// ORs IR flags into the accumulated flags. Slow paths only. The two most frequent sets are
// raised by an SSE instruction that raises exactly them (1 + 2^-60 is inexact and nothing else in
// every rounding mode; sqrt(-1) is invalid and nothing else), which is much cheaper than an MXCSR
// write on some hosts.
inline void RaiseFlags(uint32_t ir) {
  if (ir == 0) return;
  if (ir == kFpInexact) {
    double one = 1.0, tiny = 0x1p-60;
    asm volatile("addsd %1, %0" : "+x"(one) : "x"(tiny));
  } else if (ir == kFpInvalid) {
    double minus_one = -1.0;
    asm volatile("sqrtsd %0, %0" : "+x"(minus_one));
  } else {
    WriteMxcsr(ReadMxcsr() | IrToMx(ir));
  }
}

// ---- rounding modes ----
// The mode an op rounds with. Reserved encodings (5, 6, and 7 in `dyn`) cannot reach here from a
// correct frontend (RISC-V raises illegal instruction); they are treated as RNE so the result is
// still deterministic.
inline uint32_t EffectiveRm(uint32_t aux, RoundingMode dyn) {
  uint32_t rm = aux & 7;
  if (rm == 7) rm = static_cast<uint32_t>(dyn);
  return rm <= kRmm ? rm : kRne;
}
// The mode MXCSR.RC holds while `dyn` is the dynamic mode (RMM has no x86 encoding: RNE).
inline uint32_t HostRm(uint32_t dyn) { return dyn < kRmm ? dyn : kRne; }
inline uint32_t RcBits(uint32_t host_rm) {
  // RNE=00, RDN=01, RUP=10, RTZ=11 in MXCSR order.
  constexpr uint32_t kRc[4] = {0, 3, 1, 2};
  return kRc[host_rm & 3] << kMxRcShift;
}
// The common case, tested before anything else: the op uses the dynamic mode and MXCSR holds it.
inline bool DynamicInHost(uint32_t aux, RoundingMode dyn) {
  return (aux & 7) == 7 && static_cast<uint32_t>(dyn) < kRmm;
}

// Runs `fn` (host FP instructions) with MXCSR.RC = host_rm, then restores RC; flags raised by
// `fn` stay.
template <class Fn>
inline auto WithRounding(uint32_t host_rm, Fn fn) {
  uint32_t saved = ReadMxcsr();
  WriteMxcsr((saved & ~kMxRc) | RcBits(host_rm));
  auto r = fn();
  uint32_t now = ReadMxcsr();
  WriteMxcsr((now & ~kMxRc) | (saved & kMxRc));
  return r;
}

// ---- host CPU features (detected once; tests may force the software fallbacks) ----
struct HostCaps {
  bool fma = false;    // VFMADD*: else FMulAdd runs in software
  bool sse41 = false;  // ROUNDSS/ROUNDSD: else FRound runs in software and a static-mode
                       // float-to-int conversion switches MXCSR.RC
};
// Zero-initialised before dynamic initialisation, so a caller that runs before detection gets the
// (correct, slower) software paths.
extern HostCaps g_host_caps;
HostCaps DetectHostCaps();

// ---- instruction wrappers ----
#define POLYVM_SSE_BINOP(Name, ss, sd)                \
  template <class F>                                  \
  inline F Name(F a, F b) {                           \
    if constexpr (std::is_same_v<F, float>) {         \
      asm volatile(#ss " %1, %0" : "+x"(a) : "x"(b)); \
    } else {                                          \
      asm volatile(#sd " %1, %0" : "+x"(a) : "x"(b)); \
    }                                                 \
    return a;                                         \
  }
POLYVM_SSE_BINOP(HostAdd, addss, addsd)
POLYVM_SSE_BINOP(HostSub, subss, subsd)
POLYVM_SSE_BINOP(HostMul, mulss, mulsd)
POLYVM_SSE_BINOP(HostDiv, divss, divsd)
POLYVM_SSE_BINOP(HostMin, minss, minsd)  // a < b ? a : b
POLYVM_SSE_BINOP(HostMax, maxss, maxsd)  // a > b ? a : b
#undef POLYVM_SSE_BINOP

template <class F>
inline F HostSqrt(F a) {
  F r;
  if constexpr (std::is_same_v<F, float>) {
    asm volatile("sqrtss %1, %0" : "=x"(r) : "x"(a));
  } else {
    asm volatile("sqrtsd %1, %0" : "=x"(r) : "x"(a));
  }
  return r;
}

// a * b + c, one rounding. The 231 form computes src2 * src3 + dst, and x86 picks the NaN result
// in the order src2, src3, dst: here a, b, c.
template <class F>
inline F HostFma(F a, F b, F c) {
  if constexpr (std::is_same_v<F, float>) {
    asm volatile("vfmadd231ss %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
  } else {
    asm volatile("vfmadd231sd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
  }
  return c;
}

// ROUNDSS/ROUNDSD with an immediate: bits 1:0 the mode (RNE, RDN, RUP, RTZ), bit 3 suppresses
// the inexact flag.
template <class F, int kImm>
inline F HostRoundImm(F a) {
  F r;
  if constexpr (std::is_same_v<F, float>) {
    asm volatile("roundss %2, %1, %0" : "=x"(r) : "x"(a), "i"(kImm));
  } else {
    asm volatile("roundsd %2, %1, %0" : "=x"(r) : "x"(a), "i"(kImm));
  }
  return r;
}

// Ordered compares setting EFLAGS like a - b; UCOMIS* is quiet (invalid on sNaN only), COMIS*
// signals invalid on any NaN. Results: above (a > b), above-or-equal (a >= b), equal, unordered.
struct HostCmp {
  bool above, above_eq, zero, parity;
};
template <class F, bool kSignaling>
inline HostCmp HostCompare(F a, F b) {
  HostCmp c;
  if constexpr (std::is_same_v<F, float>) {
    if constexpr (kSignaling) {
      asm volatile("comiss %5, %4"
                   : "=@cca"(c.above), "=@ccae"(c.above_eq), "=@ccz"(c.zero), "=@ccp"(c.parity)
                   : "x"(a), "x"(b));
    } else {
      asm volatile("ucomiss %5, %4"
                   : "=@cca"(c.above), "=@ccae"(c.above_eq), "=@ccz"(c.zero), "=@ccp"(c.parity)
                   : "x"(a), "x"(b));
    }
  } else {
    if constexpr (kSignaling) {
      asm volatile("comisd %5, %4"
                   : "=@cca"(c.above), "=@ccae"(c.above_eq), "=@ccz"(c.zero), "=@ccp"(c.parity)
                   : "x"(a), "x"(b));
    } else {
      asm volatile("ucomisd %5, %4"
                   : "=@cca"(c.above), "=@ccae"(c.above_eq), "=@ccz"(c.zero), "=@ccp"(c.parity)
                   : "x"(a), "x"(b));
    }
  }
  return c;
}

// Float -> signed integer of width I (int32_t/int64_t), rounding by MXCSR.RC, or truncating.
template <class I, class F>
inline I HostCvt(F a) {
  I r;
  if constexpr (std::is_same_v<F, float>) {
    asm volatile("cvtss2si %1, %0" : "=r"(r) : "x"(a));
  } else {
    asm volatile("cvtsd2si %1, %0" : "=r"(r) : "x"(a));
  }
  return r;
}
template <class I, class F>
inline I HostCvtTrunc(F a) {
  I r;
  if constexpr (std::is_same_v<F, float>) {
    asm volatile("cvttss2si %1, %0" : "=r"(r) : "x"(a));
  } else {
    asm volatile("cvttsd2si %1, %0" : "=r"(r) : "x"(a));
  }
  return r;
}

// Signed integer -> F, rounding by MXCSR.RC. The destination is zeroed first: CVTSI2S* merges
// into it, and a stale register would add a false dependency.
template <class F, class I>
inline F HostCvtFromInt(I a) {
  F r;
  if constexpr (std::is_same_v<F, float>) {
    if constexpr (sizeof(I) == 4) {
      asm volatile("xorps %0, %0\n\tcvtsi2ssl %1, %0" : "=&x"(r) : "r"(a));
    } else {
      asm volatile("xorps %0, %0\n\tcvtsi2ssq %1, %0" : "=&x"(r) : "r"(a));
    }
  } else {
    if constexpr (sizeof(I) == 4) {
      asm volatile("xorps %0, %0\n\tcvtsi2sdl %1, %0" : "=&x"(r) : "r"(a));
    } else {
      asm volatile("xorps %0, %0\n\tcvtsi2sdq %1, %0" : "=&x"(r) : "r"(a));
    }
  }
  return r;
}

inline float HostNarrow(double a) {
  float r;
  asm volatile("cvtsd2ss %1, %0" : "=x"(r) : "x"(a));
  return r;
}
inline double HostWiden(float a) {
  double r;
  asm volatile("cvtss2sd %1, %0" : "=x"(r) : "x"(a));
  return r;
}

}  // namespace polyvm::ir::sem
