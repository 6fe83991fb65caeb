// RISC-V privileged-architecture constants (privileged spec 1.12): privilege levels, mstatus
// fields, interrupt and exception cause numbers. Numbers only; the behaviour is in hart.h.
#pragma once

#include <cstdint>

namespace polyvm::machine::riscv64 {

enum class Priv : uint8_t { kUser = 0, kSupervisor = 1, kMachine = 3 };

// mstatus (RV64) fields.
namespace mstatus {
inline constexpr uint64_t kSie = 1ull << 1, kMie = 1ull << 3, kSpie = 1ull << 5, kUbe = 1ull << 6,
                          kMpie = 1ull << 7, kSpp = 1ull << 8;
inline constexpr unsigned kMppShift = 11, kFsShift = 13;
inline constexpr uint64_t kMpp = 3ull << kMppShift, kFs = 3ull << kFsShift, kVs = 3ull << 9,
                          kXs = 3ull << 15;
inline constexpr uint64_t kMprv = 1ull << 17, kSum = 1ull << 18, kMxr = 1ull << 19,
                          kTvm = 1ull << 20, kTw = 1ull << 21, kTsr = 1ull << 22;
inline constexpr uint64_t kUxl64 = 2ull << 32, kSxl64 = 2ull << 34;
inline constexpr uint64_t kSbe = 1ull << 36, kMbe = 1ull << 37, kSd = 1ull << 63;
// The bits sstatus shows of mstatus.
inline constexpr uint64_t kSstatusMask =
    kSie | kSpie | kUbe | kSpp | kVs | kFs | kXs | kSum | kMxr | (3ull << 32) | kSd;
}  // namespace mstatus

// Interrupt numbers (bit positions in mip/mie, cause values with the interrupt bit set).
inline constexpr unsigned kIrqSsi = 1, kIrqMsi = 3, kIrqSti = 5, kIrqMti = 7, kIrqSei = 9,
                          kIrqMei = 11;
inline constexpr uint64_t kMipSsip = 1ull << kIrqSsi, kMipMsip = 1ull << kIrqMsi,
                          kMipStip = 1ull << kIrqSti, kMipMtip = 1ull << kIrqMti,
                          kMipSeip = 1ull << kIrqSei, kMipMeip = 1ull << kIrqMei;
inline constexpr uint64_t kSupervisorInterrupts = kMipSsip | kMipStip | kMipSeip;
inline constexpr uint64_t kAllInterrupts = kSupervisorInterrupts | kMipMsip | kMipMtip | kMipMeip;
inline constexpr uint64_t kCauseInterrupt = 1ull << 63;

// Synchronous exception causes.
namespace cause {
inline constexpr uint64_t kFetchMisaligned = 0, kFetchAccess = 1, kIllegalInstruction = 2,
                          kBreakpoint = 3, kLoadMisaligned = 4, kLoadAccess = 5,
                          kStoreMisaligned = 6, kStoreAccess = 7, kEcallU = 8, kEcallS = 9,
                          kEcallM = 11, kFetchPageFault = 12, kLoadPageFault = 13,
                          kStorePageFault = 15;
}  // namespace cause

// menvcfg / senvcfg.
inline constexpr uint64_t kEnvcfgFiom = 1, kMenvcfgStce = 1ull << 63;
// mcounteren / scounteren.
inline constexpr uint64_t kCounterCy = 1, kCounterTm = 2, kCounterIr = 4;

}  // namespace polyvm::machine::riscv64
