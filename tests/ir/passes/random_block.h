// Seeded generator of random well-formed IR blocks for the pass equivalence tests. Blocks use the
// guest-state layout of ref_eval.h (registers at [kRegBase, kStateSize)) and its small memory.
#pragma once

#include <cstdint>
#include <vector>

#include "polyvm/ir/block.h"

namespace polyvm::ir::testing {

// A small deterministic PRNG (splitmix64), the same on every compiler and library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
  bool Chance(unsigned percent) { return Below(100) < percent; }

 private:
  uint64_t s_;
};

struct RandomBlockOptions {
  // Also emit ops the reference evaluator does not run: FP arithmetic, fences, counters, helpers,
  // atomics, monitor and FP-environment ops (for the "passes never delete effects" checks).
  bool effects = false;
  unsigned max_steps = 48;
};

Block RandomBlock(uint64_t seed, const RandomBlockOptions& options = {});

// Random initial guest state (header zero) and memory for ref_eval's Evaluate.
std::vector<uint8_t> RandomState(Rng& rng);
std::vector<uint8_t> RandomMemory(Rng& rng);

}  // namespace polyvm::ir::testing
