// EWMA hotness: folding a block's closed periods lazily, when it next reports, gives the same
// value as decaying every block at every period boundary, without touching cold blocks.
#include "polyvm/engine/hybrid/ewma_hotness.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

namespace polyvm::engine::hybrid {

EwmaHotness::EwmaHotness(HotnessOptions options) : options_(options) {}

EwmaHotness::Verdict EwmaHotness::Report(uint64_t pc, uint32_t runs, uint64_t now) {
  const double a = options_.alpha;
  const uint64_t period = now / std::max<uint64_t>(options_.period, 1);
  std::lock_guard lock(mu_);
  auto [it, fresh] = blocks_.try_emplace(pc);
  Entry& e = it->second;
  if (fresh) e.period = period;
  if (period > e.period) {
    // Close the open period, then decay across the periods without runs.
    e.ewma = a * static_cast<double>(e.count) + (1 - a) * e.ewma;
    e.ewma *= std::pow(1 - a, static_cast<double>(period - e.period - 1));
    e.count = 0;
    e.period = period;
  }
  e.count += runs;
  Verdict v;
  v.estimate = a * static_cast<double>(e.count) + (1 - a) * e.ewma;
  if (!e.hot && v.estimate >= options_.threshold) {
    e.hot = true;
    v.became_hot = true;
    ++hot_count_;
  }
  v.hot = e.hot;
  if (!v.hot) {
    double more = std::ceil((options_.threshold - v.estimate) / a);
    v.next_report = static_cast<uint32_t>(
        std::clamp(more, 1.0, static_cast<double>(std::numeric_limits<int32_t>::max())));
  }
  return v;
}

bool EwmaHotness::IsHot(uint64_t pc) const {
  std::shared_lock lock(mu_);
  auto it = blocks_.find(pc);
  return it != blocks_.end() && it->second.hot;
}

void EwmaHotness::Forget(uint64_t addr, uint64_t size) {
  std::lock_guard lock(mu_);
  uint64_t end = addr + size < addr ? std::numeric_limits<uint64_t>::max() : addr + size;
  for (auto it = blocks_.lower_bound(addr); it != blocks_.end() && it->first < end;) {
    if (it->second.hot) --hot_count_;
    it = blocks_.erase(it);
  }
}

size_t EwmaHotness::HotCount() const {
  std::shared_lock lock(mu_);
  return hot_count_;
}

}  // namespace polyvm::engine::hybrid
