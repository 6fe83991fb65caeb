// PMP matching (privileged spec 3.7.1): TOR (pmpaddr[i-1] <= a < pmpaddr[i], 0 below entry 0),
// NA4 (4 bytes) and NAPOT (2^(3 + trailing ones of pmpaddr) bytes), addresses in pmpaddr being
// bits 55:2; a grain of 4 bytes.
#include "polyvm/machine/riscv64/pmp.h"

#include <algorithm>
#include <bit>

namespace polyvm::machine::riscv64 {

void PmpRange(const HartCsrs& csr, unsigned i, uint64_t* begin, uint64_t* end) {
  const uint64_t addr = csr.pmpaddr[i];
  *begin = *end = 0;
  switch (csr.pmpcfg[i] & kPmpA) {
    case kPmpTor:
      *begin = i == 0 ? 0 : csr.pmpaddr[i - 1] << 2;
      *end = addr << 2;
      if (*begin >= *end) *begin = *end = 0;  // matches nothing
      break;
    case kPmpNa4:
      *begin = addr << 2;
      *end = *begin + 4;
      break;
    case kPmpNapot: {
      // pmpaddr holds 54 bits: at most 54 trailing ones, a region of 2^57 bytes from 0.
      const unsigned ones = std::min(static_cast<unsigned>(std::countr_one(addr)), 54u);
      *begin = (addr & ~((uint64_t{1} << ones) - 1)) << 2;
      *end = *begin + (uint64_t{1} << (ones + 3));
      break;
    }
    default: break;  // off
  }
}

PmpResult PmpCheck(const HartCsrs& csr, Priv priv, uint64_t paddr, uint64_t size,
                   core::MemAccess access) {
  const uint64_t last = paddr + (size - 1);  // inclusive, so that a range at the top cannot wrap
  bool any_active = false;
  for (unsigned i = 0; i < kPmpEntries; ++i) {
    const uint8_t cfg = csr.pmpcfg[i];
    if ((cfg & kPmpA) == kPmpOff) continue;
    any_active = true;
    uint64_t begin, end;
    PmpRange(csr, i, &begin, &end);
    if (begin == end || last < begin || paddr >= end) continue;  // no byte matches
    if (paddr < begin || last >= end) return PmpResult::kSplit;
    if (priv == Priv::kMachine && !(cfg & kPmpL)) return PmpResult::kAllow;
    const uint8_t needed = access == core::MemAccess::kFetch  ? kPmpX
                           : access == core::MemAccess::kRead ? kPmpR
                                                              : kPmpW;
    return (cfg & needed) ? PmpResult::kAllow : PmpResult::kDeny;
  }
  return priv == Priv::kMachine || !any_active ? PmpResult::kAllow : PmpResult::kDeny;
}

}  // namespace polyvm::machine::riscv64
