// A translated block as the engine's bookkeeping sees it (the code and the records it uses live
// in the code arena; this lives on the heap until its arena is freed).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "records.h"

namespace polyvm::engine::jit {

struct JBlock {
  uint64_t pc = 0;
  uint32_t size = 0;  // guest bytes covered (the first part's, if it continues through jumps)
  // User mode: the block continues through direct jumps (JitState::Compile); the guest code of
  // all its parts is filed with the superblocks', for invalidation, though it is not one.
  bool through_jumps = false;
  const uint8_t* entry = nullptr;
  const uint8_t* body_end = nullptr;  // end of the straight-line body (before out-of-line stubs)
  uint32_t code_bytes = 0;            // everything the block took in the arena
  std::vector<ExitRec*> exits;
  // Inline guest memory accesses: the host instruction and its site, so a host fault is mapped to
  // its guest instruction from the faulting host pc (no store on the fast path).
  std::vector<std::pair<const uint8_t*, const SiteRec*>> access_sites;
  // Exits of other blocks chained into this one (under the chain lock).
  std::vector<std::pair<ExitRec*, unsigned>> incoming;

  // System mode (docs/jit.md, "System mode"): compiled for the soft MMU and filed by
  // (physical pc, virtual pc, fetch context); page2 is the physical page of the second page the
  // block reaches into (engine::kNoSecondPage if none).
  bool system = false;
  // The guest's dynamic rounding mode is always one MXCSR has (ir::Lifter::DynamicRoundingIsIeee):
  // FP ops of dynamic mode run inline without checking it.
  bool ieee_rounding = false;
  // Compiled to run while fp_round is a mode MXCSR lacks (RISC-V's RMM): no check at entry, a
  // check per FP op (which then runs out of line). Never published or chained
  // (JitState::RoundingVariant).
  bool rounding_variant = false;
  bool count_accesses = false;    // system mode: adds its accesses to mmu_accesses (each run)
  bool fetch_fault = false;       // the lifted block ends in a fetch fault (never published)
  bool pages_registered = false;  // counted in the engine's code pages (map lock)
  uint32_t ctx = 0;
  uint64_t ppc = 0;
  uint64_t page2 = ~uint64_t{0};
};

}  // namespace polyvm::engine::jit
