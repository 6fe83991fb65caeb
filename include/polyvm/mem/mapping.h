// One guest mapping (the kernel's VMA) and the permission and flag bits it carries.
// These are polyvm's own values; the Linux layer translates a guest's mmap flags to them.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace polyvm::mem {

inline constexpr uint64_t kPageSize = 4096;  // guest page size of every user-mode guest so far
inline constexpr uint64_t PageDown(uint64_t a) { return a & ~(kPageSize - 1); }
// Rounds up; callers check for wrap-around (PageUp(x) < x) where x may be near 2^64.
inline constexpr uint64_t PageUp(uint64_t a) { return (a + kPageSize - 1) & ~(kPageSize - 1); }

// Guest permissions. Exec is tracked for instruction fetch; the host never gets PROT_EXEC.
enum Prot : uint32_t { kProtNone = 0, kProtRead = 1, kProtWrite = 2, kProtExec = 4 };

enum MapFlags : uint32_t {
  kMapPrivate = 0,
  kMapShared = 1u << 0,
  kMapAnonymous = 1u << 1,
  kMapFixed = 1u << 2,
  kMapFixedNoReplace = 1u << 3,
  kMapNoReserve = 1u << 4,
  kMapGrowsDown = 1u << 5,
  kMapPopulate = 1u << 6,
};

struct Mapping {
  uint64_t start = 0;  // page-aligned guest addresses, [start, end)
  uint64_t end = 0;
  uint32_t prot = kProtNone;
  uint32_t flags = 0;   // kMapShared, kMapAnonymous, kMapGrowsDown as mapped
  uint64_t offset = 0;  // file offset of `start`
  uint64_t dev = 0;
  uint64_t inode = 0;
  std::string name;  // path, "[heap]", "[stack]", "[vdso]" or empty

  uint64_t size() const { return end - start; }
};

// Mappings keyed by start address; they never overlap.
using MappingTable = std::map<uint64_t, Mapping>;

}  // namespace polyvm::mem
