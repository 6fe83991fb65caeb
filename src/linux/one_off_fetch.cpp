// One-off single-instruction translations for stores into their own code page (one_off_fetch.h).
#include "one_off_fetch.h"

#include "polyvm/mem/guest_access.h"

namespace polyvm::linux {

namespace {

struct OneOff {
  bool armed = false;
  uint64_t pc = 0;
  bool fetched = false;  // the instruction at pc was read (the translation is under way)
  bool ended = false;    // a later fetch failed here: where the one-off translation stops
  uint64_t end_pc = 0;
};
thread_local OneOff t_one_off;

}  // namespace

void ArmOneOffFetch(uint64_t pc) { t_one_off = OneOff{true, pc}; }

bool EndOneOffFetch(const core::ExitInfo& e) {
  const OneOff o = t_one_off;
  t_one_off = OneOff{};
  // Engines report a fetch fault as a kFetch memory fault (engine/common/exit_record.h), or as a
  // kFetchFault trap.
  const bool fetch_fault =
      (e.reason == core::ExitReason::kMemoryFault && e.access == core::MemAccess::kFetch) ||
      (e.reason == core::ExitReason::kTrap && e.trap == core::TrapCode::kFetchFault);
  return o.armed && o.ended && fetch_fault && e.pc == o.end_pc;
}

size_t OneOffFetch(const mem::AddressSpace& as, uint64_t pc, void* out, size_t size,
                   bool* handled) {
  OneOff& o = t_one_off;
  *handled = false;
  if (!o.armed) return 0;
  if (pc != o.pc) {
    if (!o.fetched) return 0;  // code before the instruction (a signal handler, say): as usual
    *handled = true;
    if (!o.ended) {
      o.ended = true;
      o.end_pc = pc;
    }
    return 0;
  }
  *handled = true;
  const uint64_t n = as.AccessibleBytes(pc, size, mem::kProtExec);
  if (n == 0) return 0;
  auto* dst = static_cast<uint8_t*>(out);
  size_t got = 0;
  while (got < n && mem::CopyFromGuest(as, dst + got, pc + got, 1) == 0) ++got;
  o.fetched = true;
  // After the read: the engine translating this now sees an invalidation newer than its start,
  // runs the translation once and does not keep it.
  as.DropTranslations(pc, got == 0 ? 1 : got);
  return got;
}

}  // namespace polyvm::linux
