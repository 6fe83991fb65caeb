// Where the engine fetches guest instructions from in user mode: only mapped, executable guest
// pages, copied under a fault guard (a page unmapped concurrently yields a short fetch). Writable
// pages read here are write-protected on the host, so stores into translated code can be caught.
#pragma once

#include "polyvm/ir/lifter.h"
#include "polyvm/mem/address_space.h"

namespace polyvm::linux {

class GuestCodeReader final : public ir::CodeReader {
 public:
  explicit GuestCodeReader(const mem::AddressSpace& as) : as_(as) {}
  size_t Fetch(uint64_t pc, void* out, size_t size) const override;

 private:
  const mem::AddressSpace& as_;
};

}  // namespace polyvm::linux
