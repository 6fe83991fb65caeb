// The translation statistics every engine reports (see the header).
#include "polyvm/engine/common/translation_stats.h"

#include <algorithm>
#include <limits>
#include <string>

namespace polyvm::engine::common {

void TranslationStats::Record(Clock::time_point t0, uint32_t before, uint32_t after) {
  const int64_t ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
  ++blocks_;
  ns_ += static_cast<uint64_t>(ns);
  samples_.push_back(
      static_cast<uint32_t>(std::min<int64_t>(ns, std::numeric_limits<uint32_t>::max())));
  ir_before_ += before;
  ir_after_ += after;
}

void TranslationStats::Collect(std::string_view prefix, core::Stats& out) const {
  double p99 = 0;
  if (!samples_.empty()) {
    std::vector<uint32_t> samples = samples_;
    const size_t k = (samples.size() * 99 + 99) / 100 - 1;  // nearest rank
    std::nth_element(samples.begin(), samples.begin() + static_cast<ptrdiff_t>(k), samples.end());
    p99 = samples[k];
  }
  const std::string p(prefix);
  auto d = [](uint64_t v) { return static_cast<double>(v); };
  out.Add(p + ".blocks_translated", d(blocks_));
  out.Add(p + ".translate_time", d(ns_), "ns");
  out.Add(p + ".translate_time_mean", blocks_ ? d(ns_) / d(blocks_) : 0, "ns");
  out.Add(p + ".translate_time_p99", p99, "ns");
  out.Add(p + ".ir_insts_lifted", d(ir_before_));
  out.Add(p + ".ir_insts_optimized", d(ir_after_));
}

}  // namespace polyvm::engine::common
