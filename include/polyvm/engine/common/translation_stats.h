// What every engine reports about its translations (--stats): how many, how long each took
// (total, mean, nearest-rank 99th percentile) and how many IR instructions the optimiser kept.
// Not locked: the engine keeps it under its own statistics mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "polyvm/core/stats.h"

namespace polyvm::engine::common {

class TranslationStats {
 public:
  using Clock = std::chrono::steady_clock;

  // One translation that started at t0 and lifted `before` IR instructions, `after` kept.
  void Record(Clock::time_point t0, uint32_t before, uint32_t after);

  uint64_t blocks() const { return blocks_; }

  // <prefix>.blocks_translated, .translate_time, .translate_time_mean, .translate_time_p99,
  // .ir_insts_lifted, .ir_insts_optimized.
  void Collect(std::string_view prefix, core::Stats& out) const;

 private:
  uint64_t blocks_ = 0, ns_ = 0, ir_before_ = 0, ir_after_ = 0;
  std::vector<uint32_t> samples_;  // ns per translation, saturated at 2^32-1 (4.3 s)
};

}  // namespace polyvm::engine::common
