// Resolving guest stores into code pages (see code_write_fault.h). Ordering with other threads:
// the page is made writable before its translations are dropped, so a translation another thread
// makes in between either protects the page again (the store faults again and comes back here)
// or is dropped by this invalidation; the engines do not publish a translation whose bytes were
// read before an invalidation that overlaps them.
#include "code_write_fault.h"

#include <signal.h>

#include <cstdint>
#include <cstdio>

#include "one_off_fetch.h"
#include "polyvm/linux/process.h"
#include "signal_delivery.h"
#include "thread.h"

namespace polyvm::linux {

namespace {

// A store whose own translation reads the page it writes would fault forever: each retry
// translates the store again, which protects the page again. Such a store does not retire any
// instruction between two faults; from the second fault in a row it runs from a one-off
// translation (one_off_fetch.h) that leaves the page writable. Should even that not get it past
// (another thread protecting the page again each time), polyvm stops loudly after this many.
constexpr int kMaxFaultsWithoutProgress = 64;

struct LastCodeFault {
  uint64_t pc = ~uint64_t{0};
  uint64_t retired = 0;
  int repeats = 0;
};
// One guest thread per host thread, so this is per guest thread.
thread_local LastCodeFault t_last;

[[noreturn]] void DieOfSelfWrite(Thread& t, const core::ExitInfo& e) {
  char how[200];
  snprintf(how, sizeof how,
           "(store to 0x%llx, in a page its own translated code comes from: it faulted again "
           "and again, even from a one-off translation)",
           static_cast<unsigned long long>(e.addr));
  DieOfGuestSignal(t, SIGSEGV, how, e.pc);
}

}  // namespace

bool ResolveCodeWriteFault(Thread& t, const core::ExitInfo& e) {
  if (e.bus_error || e.access == core::MemAccess::kFetch) return false;
  mem::AddressSpace& as = t.proc.as();
  if (!as.Contains(e.addr, 1)) return false;
  const uint64_t page = mem::PageDown(e.addr);
  const uint64_t released = as.ReleaseCodePages(page, mem::kPageSize);
  if (released == 0) {
    // Not protected (any more): a store into a guest-writable page still faulted because another
    // thread released the page between the fault and now; retry it. Any other fault is real.
    auto m = as.Find(e.addr);
    if (!m || !(m->prot & mem::kProtWrite)) return false;
  } else {
    t.proc.code_write_faults.fetch_add(1, std::memory_order_relaxed);
  }
  const uint64_t retired = t.state->retired;
  if (e.pc == t_last.pc && retired == t_last.retired) {
    if (++t_last.repeats >= kMaxFaultsWithoutProgress) DieOfSelfWrite(t, e);
    ArmOneOffFetch(e.pc);
  } else {
    t_last = LastCodeFault{e.pc, retired, 0};
  }
  t.state->pc = e.pc;
  return true;
}

}  // namespace polyvm::linux
