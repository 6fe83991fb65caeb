// Physical memory protection (privileged spec 3.7): which privilege may read, write or execute
// which physical bytes, from the hart's pmpcfg/pmpaddr CSRs. The soft MMU asks once per TLB fill
// for the whole 4 KiB page; only a page that PMP splits is checked access by access
// (docs/system-mode.md, "PMP").
#pragma once

#include <cstdint>

#include "polyvm/core/exit.h"
#include "polyvm/machine/riscv64/hart_state.h"

namespace polyvm::machine::riscv64 {

// pmpcfg fields.
inline constexpr uint8_t kPmpR = 0x01, kPmpW = 0x02, kPmpX = 0x04, kPmpA = 0x18, kPmpL = 0x80;
inline constexpr uint8_t kPmpOff = 0x00, kPmpTor = 0x08, kPmpNa4 = 0x10, kPmpNapot = 0x18;

enum class PmpResult : uint8_t {
  kAllow,  // every byte of the range may be accessed
  kDeny,   // no byte may
  kSplit,  // the lowest-numbered entry touching the range does not cover all of it: an access
           // over the range fails (spec: a partial match fails), a page must be checked per access
};

// The answer for `access` by privilege `priv` to the bytes [paddr, paddr + size), size >= 1:
// the lowest-numbered active entry that matches any byte decides (its R/W/X; for M-mode only if
// it is locked, else M may); with no match, M may and S/U may only if no entry is active (the
// reading of "no PMP implemented" that lets software which never configures PMP run, as QEMU).
PmpResult PmpCheck(const HartCsrs& csr, Priv priv, uint64_t paddr, uint64_t size,
                   core::MemAccess access);

// The byte range [*begin, *end) entry i covers (empty when off or an empty TOR range).
void PmpRange(const HartCsrs& csr, unsigned i, uint64_t* begin, uint64_t* end);

}  // namespace polyvm::machine::riscv64
