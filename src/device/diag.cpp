#include "diag.h"

#include <atomic>
#include <cstdio>

namespace polyvm::device {

namespace {
constexpr int kMaxReports = 64;
std::atomic<int> g_reports{0};
}  // namespace

void ReportGuestError(std::string_view device, std::string_view message) {
  const int n = g_reports.fetch_add(1, std::memory_order_relaxed);
  if (n >= kMaxReports) return;
  std::fprintf(stderr, "polyvm: %.*s: %.*s%s\n", static_cast<int>(device.size()), device.data(),
               static_cast<int>(message.size()), message.data(),
               n + 1 == kMaxReports ? " (further device errors not shown)" : "");
}

}  // namespace polyvm::device
