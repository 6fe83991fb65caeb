// A vCPU's software TLB for one translation context: a direct-mapped array per access kind (read,
// write, fetch) of virtual page -> host address offset, laid out so translated code can inline the
// hit test (docs/system-mode.md, "The engine interface"):
//
//   const TlbEntry& e = tlb.entries[kind][(vaddr >> kTlbPageBits) & (kTlbEntries - 1)];
//   hit  <=>  e.tag == (vaddr & kTlbPageMask)  &&  (vaddr & ~kTlbPageMask) + size <= kTlbPageSize
//   host address = vaddr + e.addend
//
// Entries that must not be hit inline (MMIO, pages holding translated code for writes) carry flag
// bits in the low bits of `tag`, so the compare fails and the access takes the slow path.
#pragma once

#include <cstdint>

namespace polyvm::mem {

inline constexpr unsigned kTlbPageBits = 12;
inline constexpr uint64_t kTlbPageSize = uint64_t{1} << kTlbPageBits;
inline constexpr uint64_t kTlbPageMask = ~(kTlbPageSize - 1);
inline constexpr unsigned kTlbEntries = 1024;

// Low bits of TlbEntry::tag.
inline constexpr uint64_t kTlbMmio = 1;       // the page is a device window: dispatch, never inline
inline constexpr uint64_t kTlbCodeWrite = 2;  // writes must tell the code cache (translated code)
inline constexpr uint64_t kTlbCheckEach = 4;  // physical protection splits the page: check each
inline constexpr uint64_t kTlbInvalid = ~uint64_t{0};  // an empty entry (never equals a page)

// Index of an access kind in TlbSet::entries (the order of core::MemAccess).
inline constexpr unsigned kTlbRead = 0, kTlbWrite = 1, kTlbFetch = 2, kTlbKinds = 3;

struct TlbEntry {
  uint64_t tag = kTlbInvalid;  // virtual page | flag bits
  uint64_t addend = 0;         // host address - virtual address (RAM pages)
  uint64_t paddr = 0;          // physical address of the page (MMIO dispatch, code keys)
  uint32_t asid = 0;           // address space of a non-global mapping
  uint32_t global = 0;         // 1: valid in every address space
};
static_assert(sizeof(TlbEntry) == 32);

struct TlbSet {
  TlbEntry entries[kTlbKinds][kTlbEntries];
  // Virtual range covered by superpage mappings cached here (a flush by address inside it must
  // drop the whole set, since a superpage is cached as many 4 KiB entries).
  uint64_t large_begin = ~uint64_t{0};
  uint64_t large_end = 0;

  static unsigned Index(uint64_t vaddr) { return (vaddr >> kTlbPageBits) & (kTlbEntries - 1); }
  void FlushAll();
  // Drops entries translating the page of vaddr (whatever their ASID, if asid < 0).
  void FlushPage(uint64_t vaddr, int64_t asid);
  // Drops the non-global entries of one address space.
  void FlushAsid(uint32_t asid);
};

}  // namespace polyvm::mem
