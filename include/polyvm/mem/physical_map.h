// The guest physical address space of a system-mode machine: RAM regions (host memory) and MMIO
// windows (core::MmioDevice), each a disjoint range. The soft MMU resolves every physical address
// through it; an address in neither is an access fault.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "polyvm/core/guest_ram.h"
#include "polyvm/core/mmio.h"

namespace polyvm::mem {

struct PhysicalRegion {
  uint64_t base = 0;
  uint64_t size = 0;
  uint8_t* host = nullptr;             // RAM: host address of `base`; null for MMIO
  core::MmioDevice* device = nullptr;  // MMIO: the device; null for RAM
  bool IsRam() const { return host != nullptr; }
  bool Contains(uint64_t pa) const { return pa >= base && pa - base < size; }
};

class PhysicalMap {
 public:
  // Adds a region; false (and `error` set) if it is empty, wraps around or overlaps another.
  // Regions are added while the machine is built, before any vCPU runs.
  bool AddRam(uint64_t base, uint8_t* host, uint64_t size, std::string* error);
  bool AddMmio(uint64_t base, uint64_t size, core::MmioDevice* device, std::string* error);

  // The region holding physical address pa, or null.
  const PhysicalRegion* Find(uint64_t pa) const;
  // Host pointer to [pa, pa + len) if it lies wholly inside one RAM region, else null.
  uint8_t* RamPointer(uint64_t pa, uint64_t len) const;
  // The first RAM region as a DMA view for devices (virt machines have one RAM bank).
  core::GuestRam MainRam() const;

  const std::vector<PhysicalRegion>& regions() const { return regions_; }

 private:
  bool Add(const PhysicalRegion& region, std::string* error);
  std::vector<PhysicalRegion> regions_;  // sorted by base
};

}  // namespace polyvm::mem
