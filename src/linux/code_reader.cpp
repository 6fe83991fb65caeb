// GuestCodeReader: instruction fetch limited to executable guest mappings.
#include "polyvm/linux/code_reader.h"

#include "one_off_fetch.h"
#include "polyvm/mem/guest_access.h"

namespace polyvm::linux {

size_t GuestCodeReader::Fetch(uint64_t pc, void* out, size_t size) const {
  bool one_off = false;
  const size_t n_one_off = OneOffFetch(as_, pc, out, size, &one_off);
  if (one_off) return n_one_off;  // a store into its own code page (one_off_fetch.h)
  const uint64_t n = as_.AccessibleBytes(pc, size, mem::kProtExec);
  if (n == 0) return 0;
  // Before the copy: a store after it must fault, so that it drops what is translated from these
  // bytes (docs/linux-user.md, "Self-modifying code").
  as_.ProtectCodePages(pc, n);
  if (mem::CopyFromGuest(as_, out, pc, n) == 0) return static_cast<size_t>(n);
  // Unmapped between the check and the copy: fetch what is still there, byte by byte.
  auto* dst = static_cast<uint8_t*>(out);
  size_t got = 0;
  while (got < n && mem::CopyFromGuest(as_, dst + got, pc + got, 1) == 0) ++got;
  return got;
}

}  // namespace polyvm::linux
