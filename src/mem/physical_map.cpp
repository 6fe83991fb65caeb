// Physical regions kept sorted by base; lookups by binary search (few regions, rare calls: only
// TLB refills and device accesses get here).
#include "polyvm/mem/physical_map.h"

#include <fmt/format.h>

#include <algorithm>

namespace polyvm::mem {

bool PhysicalMap::Add(const PhysicalRegion& region, std::string* error) {
  if (region.size == 0 || region.base + region.size - 1 < region.base) {
    *error = fmt::format("physical region {:#x}+{:#x} is empty or wraps", region.base, region.size);
    return false;
  }
  for (const PhysicalRegion& r : regions_) {
    bool disjoint = region.base + region.size - 1 < r.base || r.base + r.size - 1 < region.base;
    if (!disjoint) {
      *error = fmt::format("physical region {:#x}+{:#x} overlaps {:#x}+{:#x}", region.base,
                           region.size, r.base, r.size);
      return false;
    }
  }
  auto at = std::upper_bound(regions_.begin(), regions_.end(), region.base,
                             [](uint64_t base, const PhysicalRegion& r) { return base < r.base; });
  regions_.insert(at, region);
  return true;
}

bool PhysicalMap::AddRam(uint64_t base, uint8_t* host, uint64_t size, std::string* error) {
  if (host == nullptr) {
    *error = "RAM region without host memory";
    return false;
  }
  return Add({base, size, host, nullptr}, error);
}

bool PhysicalMap::AddMmio(uint64_t base, uint64_t size, core::MmioDevice* device,
                          std::string* error) {
  if (device == nullptr) {
    *error = "MMIO region without a device";
    return false;
  }
  return Add({base, size, nullptr, device}, error);
}

const PhysicalRegion* PhysicalMap::Find(uint64_t pa) const {
  auto after = std::upper_bound(regions_.begin(), regions_.end(), pa,
                                [](uint64_t a, const PhysicalRegion& r) { return a < r.base; });
  if (after == regions_.begin()) return nullptr;
  const PhysicalRegion& r = *(after - 1);
  return r.Contains(pa) ? &r : nullptr;
}

uint8_t* PhysicalMap::RamPointer(uint64_t pa, uint64_t len) const {
  const PhysicalRegion* r = Find(pa);
  if (r == nullptr || !r->IsRam()) return nullptr;
  uint64_t offset = pa - r->base;
  if (len > r->size - offset) return nullptr;
  return r->host + offset;
}

core::GuestRam PhysicalMap::MainRam() const {
  for (const PhysicalRegion& r : regions_) {
    if (r.IsRam()) return core::GuestRam(r.base, r.host, r.size);
  }
  return {};
}

}  // namespace polyvm::mem
