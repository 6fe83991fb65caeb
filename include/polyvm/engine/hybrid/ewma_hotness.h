// The hybrid engine's hotness policy: an exponentially weighted moving average of each block's
// execution counts over periods of the engine's execution clock (docs/engines.md, "The hybrid
// engine"). Pure bookkeeping, driven by explicit counts and clock values so tests can replay it.
#pragma once

#include <cstdint>
#include <map>
#include <shared_mutex>

namespace polyvm::engine::hybrid {

struct HotnessOptions {
  // A block is hot when alpha * (its count in the current period) + (1 - alpha) * (its EWMA over
  // the completed periods) reaches `threshold`.
  double threshold = 64;
  double alpha = 0.5;  // weight of the newest period, in (0, 1]
  // Length of a period in clock units (interpreted block runs, counted by every vCPU together).
  uint64_t period = 16384;
};

// Thread-safe: reports (once per countdown, not per block run) lock it exclusively, IsHot shared.
class EwmaHotness {
 public:
  explicit EwmaHotness(HotnessOptions options);

  struct Verdict {
    bool hot = false;
    bool became_hot = false;   // this report made it hot
    uint32_t next_report = 0;  // runs until the estimate can next reach the threshold (>= 1)
    double estimate = 0;       // alpha * count + (1 - alpha) * ewma, after this report
  };
  // `runs` more runs of the block at `pc` reported when the clock reads `now` (clock values never
  // go back). Once a block is hot it stays hot until Forget.
  Verdict Report(uint64_t pc, uint32_t runs, uint64_t now);
  bool IsHot(uint64_t pc) const;
  // Drops what is known of blocks starting in [addr, addr + size) (their code changed).
  void Forget(uint64_t addr, uint64_t size);
  size_t HotCount() const;
  const HotnessOptions& options() const { return options_; }

 private:
  struct Entry {
    double ewma = 0;      // over the periods before `period`
    uint64_t period = 0;  // the open period
    uint64_t count = 0;   // runs reported in it
    bool hot = false;
  };
  const HotnessOptions options_;
  mutable std::shared_mutex mu_;
  std::map<uint64_t, Entry> blocks_;
  size_t hot_count_ = 0;
};

}  // namespace polyvm::engine::hybrid
