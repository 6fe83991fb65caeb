// Fault-guarded copies between polyvm and guest memory.
#include "polyvm/mem/guest_access.h"

#include <errno.h>
#include <string.h>

#include "polyvm/core/os/fault_guard.h"

namespace polyvm::mem {

namespace {

uintptr_t Lo(const AddressSpace& as) { return reinterpret_cast<uintptr_t>(as.base()); }
uintptr_t Hi(const AddressSpace& as) { return Lo(as) + as.limit(); }

}  // namespace

int CopyFromGuest(const AddressSpace& as, void* dst, uint64_t src, size_t size) {
  if (size == 0) return 0;
  if (!as.Contains(src, size)) return -EFAULT;
  core::os::InstallFaultHandler();
  core::os::FaultScope scope(Lo(as), Hi(as));
  if (POLYVM_FAULT_SCOPE_ENTER(scope)) return -EFAULT;
  memcpy(dst, as.ToHost(src), size);
  return 0;
}

int CopyToGuest(const AddressSpace& as, uint64_t dst, const void* src, size_t size) {
  if (size == 0) return 0;
  if (!as.Contains(dst, size)) return -EFAULT;
  as.ReleaseCodePages(dst, size);  // translated code there is write-protected: drop it first
  core::os::InstallFaultHandler();
  core::os::FaultScope scope(Lo(as), Hi(as));
  if (POLYVM_FAULT_SCOPE_ENTER(scope)) return -EFAULT;
  memcpy(as.ToHost(dst), src, size);
  return 0;
}

int FillGuest(const AddressSpace& as, uint64_t dst, uint8_t byte, size_t size) {
  if (size == 0) return 0;
  if (!as.Contains(dst, size)) return -EFAULT;
  as.ReleaseCodePages(dst, size);  // translated code there is write-protected: drop it first
  core::os::InstallFaultHandler();
  core::os::FaultScope scope(Lo(as), Hi(as));
  if (POLYVM_FAULT_SCOPE_ENTER(scope)) return -EFAULT;
  memset(as.ToHost(dst), byte, size);
  return 0;
}

int ReadGuestString(const AddressSpace& as, uint64_t addr, std::string& out, size_t max_len) {
  out.clear();
  // Copy in pieces that never cross a page boundary, so that no page after the one holding the
  // terminating NUL is touched (it may be unmapped).
  constexpr size_t kChunk = 256;
  char chunk[kChunk];
  uint64_t at = addr;
  for (;;) {
    size_t n = static_cast<size_t>(kPageSize - at % kPageSize);
    if (n > kChunk) n = kChunk;
    if (int err = CopyFromGuest(as, chunk, at, n); err != 0) return err;
    const void* nul = memchr(chunk, 0, n);
    size_t take = nul ? static_cast<size_t>(static_cast<const char*>(nul) - chunk) : n;
    if (out.size() + take > max_len) return -ENAMETOOLONG;
    out.append(chunk, take);
    if (nul) return 0;
    at += n;
  }
}

}  // namespace polyvm::mem
