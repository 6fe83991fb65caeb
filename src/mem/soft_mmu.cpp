// The soft MMU's slow paths. Everything here runs on a TLB miss or for an access the inline test
// cannot do (MMIO, crossing a page, a write to a page with translated code), so clarity wins over
// speed; the hit path lives in the engines.
#include "polyvm/mem/soft_mmu.h"

#include <algorithm>
#include <cstring>

namespace polyvm::mem {
namespace {

unsigned KindIndex(core::MemAccess access) { return static_cast<unsigned>(access); }

constexpr core::MemAccess kFetchAccess = core::MemAccess::kFetch;

bool Hits(const TlbEntry& e, uint64_t vaddr) {
  return e.tag != kTlbInvalid && (e.tag & kTlbPageMask) == (vaddr & kTlbPageMask);
}

}  // namespace

void SoftMmu::SelectContexts(unsigned data_ctx, unsigned fetch_ctx) {
  data_ctx_ = data_ctx < kMaxContexts ? data_ctx : 0;
  fetch_ctx_ = fetch_ctx < kMaxContexts ? fetch_ctx : 0;
}

const TlbEntry* SoftMmu::Refill(uint64_t vaddr, core::MemAccess access, MmuFault* fault) {
  unsigned ctx = access == core::MemAccess::kFetch ? fetch_ctx_ : data_ctx_;
  WalkResult walk = walker_.Walk(vaddr, access, ctx);
  if (walk.fault != WalkFault::kNone) {
    ++stats_.faults;
    *fault = {walk.fault, access, vaddr};
    return nullptr;
  }
  uint64_t ppage = walk.paddr & kTlbPageMask;
  const PhysicalRegion* region = phys_.Find(walk.paddr);
  if (region == nullptr || (access == core::MemAccess::kFetch && !region->IsRam())) {
    ++stats_.faults;
    *fault = {WalkFault::kAccessFault, access, vaddr};
    return nullptr;
  }
  ++stats_.refills;

  TlbSet& set = tlbs_[ctx];
  TlbEntry& e = set.entries[KindIndex(access)][TlbSet::Index(vaddr)];
  uint64_t vpage = vaddr & kTlbPageMask;
  e.tag = vpage;
  e.paddr = ppage;
  e.asid = walk.asid;
  e.global = walk.global ? 1 : 0;
  e.addend = 0;
  if (walk.check_each) e.tag |= kTlbCheckEach;  // never hit inline: AccessPage checks each access
  uint8_t* host = phys_.RamPointer(ppage, kTlbPageSize);
  if (host == nullptr) {
    e.tag |= kTlbMmio;  // a device window (or a RAM bank edge not covering the whole page)
  } else {
    e.addend = reinterpret_cast<uintptr_t>(host) - vpage;
    if (access == core::MemAccess::kWrite && code_ != nullptr && code_->HasCode(ppage)) {
      e.tag |= kTlbCodeWrite;
    }
  }
  if (walk.page_size > kTlbPageSize) {
    uint64_t begin = vaddr & ~(walk.page_size - 1);
    if (begin < set.large_begin) set.large_begin = begin;
    if (begin + walk.page_size > set.large_end) set.large_end = begin + walk.page_size;
  }
  return &e;
}

MmuFault SoftMmu::CheckEach(const TlbEntry& e, uint64_t vaddr, uint64_t size,
                            core::MemAccess access) {
  if (!(e.tag & kTlbCheckEach)) return {};
  const unsigned ctx = access == core::MemAccess::kFetch ? fetch_ctx_ : data_ctx_;
  const uint64_t paddr = e.paddr | (vaddr & ~kTlbPageMask);
  if (walker_.CheckPhysical(paddr, size, access, ctx) == WalkFault::kNone) return {};
  return {WalkFault::kAccessFault, access, vaddr};
}

const TlbEntry* SoftMmu::Lookup(uint64_t vaddr, core::MemAccess access, MmuFault* fault) {
  TlbSet& set = access == core::MemAccess::kFetch ? fetch_tlb() : data_tlb();
  const TlbEntry& e = set.entries[KindIndex(access)][TlbSet::Index(vaddr)];
  if (Hits(e, vaddr)) return &e;
  return Refill(vaddr, access, fault);
}

// One access that does not cross a page. Reads and writes *value (little-endian, like every guest
// polyvm supports and the x86-64 host).
MmuFault SoftMmu::AccessPage(uint64_t vaddr, unsigned size, core::MemAccess access,
                             uint64_t* value) {
  MmuFault fault;
  const TlbEntry* e = Lookup(vaddr, access, &fault);
  if (e == nullptr) return fault;
  if ((fault = CheckEach(*e, vaddr, size, access))) return fault;
  uint64_t paddr = e->paddr | (vaddr & ~kTlbPageMask);
  uint8_t* host = nullptr;
  if (e->tag & kTlbMmio) {
    const PhysicalRegion* region = phys_.Find(paddr);
    if (region != nullptr && region->device != nullptr) {
      ++stats_.mmio;
      if (access == core::MemAccess::kWrite) {
        region->device->Write(paddr - region->base, size, *value);
      } else {
        *value = region->device->Read(paddr - region->base, size);
      }
      return {};
    }
    host = phys_.RamPointer(paddr, size);
    if (host == nullptr) return {WalkFault::kAccessFault, access, vaddr};
  } else {
    host = reinterpret_cast<uint8_t*>(vaddr + e->addend);
  }
  if (access == core::MemAccess::kWrite) {
    std::memcpy(host, value, size);
    if ((e->tag & kTlbCodeWrite) && code_ != nullptr) code_->OnCodeWrite(paddr, size);
  } else {
    *value = 0;
    std::memcpy(value, host, size);
  }
  return {};
}

MmuFault SoftMmu::Load(uint64_t vaddr, unsigned size, uint64_t* value) {
  ++stats_.slow_loads;
  if ((vaddr & ~kTlbPageMask) + size <= kTlbPageSize) {
    return AccessPage(vaddr, size, core::MemAccess::kRead, value);
  }
  // Crossing a page: both pages must translate before any byte is read (a device read may have
  // side effects).
  MmuFault fault = CheckBothPages(vaddr, size, core::MemAccess::kRead);
  if (fault) return fault;
  uint64_t out = 0;
  for (unsigned i = 0; i < size; ++i) {
    uint64_t byte = 0;
    fault = AccessPage(vaddr + i, 1, core::MemAccess::kRead, &byte);
    if (fault) return fault;
    out |= byte << (8 * i);
  }
  *value = out;
  return {};
}

MmuFault SoftMmu::CheckBothPages(uint64_t vaddr, unsigned size, core::MemAccess access) {
  const uint64_t second = (vaddr & kTlbPageMask) + kTlbPageSize;
  MmuFault fault;
  const TlbEntry* e = Lookup(vaddr, access, &fault);
  if (e == nullptr || (fault = CheckEach(*e, vaddr, second - vaddr, access))) return fault;
  e = Lookup(second, access, &fault);
  if (e == nullptr) return fault;
  return CheckEach(*e, second, vaddr + size - second, access);
}

MmuFault SoftMmu::Store(uint64_t vaddr, unsigned size, uint64_t value) {
  ++stats_.slow_stores;
  if ((vaddr & ~kTlbPageMask) + size <= kTlbPageSize) {
    return AccessPage(vaddr, size, core::MemAccess::kWrite, &value);
  }
  MmuFault fault = CheckBothPages(vaddr, size, core::MemAccess::kWrite);
  if (fault) return fault;
  for (unsigned i = 0; i < size; ++i) {
    uint64_t byte = (value >> (8 * i)) & 0xff;
    fault = AccessPage(vaddr + i, 1, core::MemAccess::kWrite, &byte);
    if (fault) return fault;
  }
  return {};
}

uint8_t* SoftMmu::AtomicPointer(uint64_t vaddr, unsigned size, core::MemAccess access,
                                MmuFault* fault) {
  const TlbEntry* e = Lookup(vaddr, access, fault);
  if (e == nullptr) return nullptr;
  if ((*fault = CheckEach(*e, vaddr, size, access))) return nullptr;
  uint64_t paddr = e->paddr | (vaddr & ~kTlbPageMask);
  // Devices do not support atomics: the PMA check fails (an access fault, as on hardware whose
  // I/O regions lack the AMO attribute).
  uint8_t* host = phys_.RamPointer(paddr, size);
  if (host == nullptr || (vaddr & ~kTlbPageMask) + size > kTlbPageSize) {
    *fault = {WalkFault::kAccessFault, access, vaddr};
    return nullptr;
  }
  if (access == core::MemAccess::kWrite && (e->tag & kTlbCodeWrite) && code_ != nullptr) {
    code_->OnCodeWrite(paddr, size);
  }
  return host;
}

size_t SoftMmu::Fetch(uint64_t vaddr, void* out, size_t size, MmuFault* fault) {
  auto* dst = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < size) {
    uint64_t at = vaddr + done;
    const TlbEntry* e = Lookup(at, core::MemAccess::kFetch, fault);
    if (e == nullptr) return done;
    size_t chunk = std::min<size_t>(size - done, kTlbPageSize - (at & ~kTlbPageMask));
    MmuFault denied;
    if (e->tag & kTlbCheckEach) {
      // Only the part the protection allows, in 2-byte steps (the smallest instruction).
      size_t allowed = 0;
      while (allowed < chunk) {
        const uint64_t step = std::min<size_t>(2, chunk - allowed);
        if ((denied = CheckEach(*e, at + allowed, step, kFetchAccess))) break;
        allowed += step;
      }
      chunk = allowed;
      if (chunk == 0) {
        *fault = denied;
        return done;
      }
    }
    uint64_t paddr = e->paddr | (at & ~kTlbPageMask);
    const uint8_t* src = phys_.RamPointer(paddr, chunk);
    if (src == nullptr) {
      *fault = {WalkFault::kAccessFault, core::MemAccess::kFetch, at};
      return done;
    }
    std::memcpy(dst + done, src, chunk);
    done += chunk;
    if (denied) {
      *fault = denied;
      return done;
    }
  }
  return done;
}

bool SoftMmu::FetchPhysical(uint64_t vaddr, uint64_t* paddr, MmuFault* fault) {
  const TlbEntry* e = Lookup(vaddr, core::MemAccess::kFetch, fault);
  if (e == nullptr || (*fault = CheckEach(*e, vaddr, 2, kFetchAccess))) return false;
  *paddr = e->paddr | (vaddr & ~kTlbPageMask);
  return true;
}

void SoftMmu::FlushAll() {
  for (TlbSet& set : tlbs_) set.FlushAll();
}

void SoftMmu::FlushPage(uint64_t vaddr) {
  for (TlbSet& set : tlbs_) set.FlushPage(vaddr, -1);
}

void SoftMmu::FlushPageAsid(uint64_t vaddr, uint32_t asid) {
  for (TlbSet& set : tlbs_) set.FlushPage(vaddr, asid);
}

void SoftMmu::FlushAsid(uint32_t asid) {
  for (TlbSet& set : tlbs_) set.FlushAsid(asid);
}

}  // namespace polyvm::mem
