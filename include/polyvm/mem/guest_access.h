// polyvm's own reads and writes of guest memory (syscall arguments, signal frames, the initial
// stack). Each is range-checked against the guest limit, then done under a FaultScope, so a bad
// guest pointer gives -EFAULT and never a polyvm crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "polyvm/mem/address_space.h"

namespace polyvm::mem {

// 0 or -EFAULT. A zero size always succeeds.
int CopyFromGuest(const AddressSpace& as, void* dst, uint64_t src, size_t size);
int CopyToGuest(const AddressSpace& as, uint64_t dst, const void* src, size_t size);
int FillGuest(const AddressSpace& as, uint64_t dst, uint8_t byte, size_t size);

// Reads a NUL-terminated string of at most max_len bytes (without the NUL): 0, -EFAULT, or
// -ENAMETOOLONG if no NUL was found within max_len + 1 bytes.
int ReadGuestString(const AddressSpace& as, uint64_t addr, std::string& out, size_t max_len);

template <typename T>
int ReadGuest(const AddressSpace& as, uint64_t addr, T& out) {
  static_assert(std::is_trivially_copyable_v<T>);
  return CopyFromGuest(as, &out, addr, sizeof(T));
}

template <typename T>
int WriteGuest(const AddressSpace& as, uint64_t addr, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  return CopyToGuest(as, addr, &value, sizeof(T));
}

// The host pointer for a guest buffer handed to a host system call, or null if [addr, addr + size)
// leaves the guest range. The host kernel then reports -EFAULT itself for unmapped pages inside
// the range, which are PROT_NONE. An empty buffer is never bad (as for the kernel).
// The host kernel may write the buffer, and would fail with EFAULT on a page write-protected because
// it holds translated code: such pages are released (made writable, their code dropped) first.
inline void* GuestBuffer(const AddressSpace& as, uint64_t addr, uint64_t size) {
  if (size == 0) return as.base();
  if (!as.Contains(addr, size)) return nullptr;
  as.ReleaseCodePages(addr, size);
  return as.ToHost(addr);
}

}  // namespace polyvm::mem
