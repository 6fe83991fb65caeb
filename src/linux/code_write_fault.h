// Guest stores into pages write-protected because they hold translated code (self-modifying and
// run-time-generated code; docs/linux-user.md, "Self-modifying code").
#pragma once

#include "polyvm/core/exit.h"

namespace polyvm::linux {

class Thread;

// Called for every kMemoryFault exit. If the fault is a store into a guest-writable page (which
// faults on the host only because polyvm write-protected it for translated code), drops the
// page's translations and protection, leaves the guest pc on the store and returns true: the
// caller resumes the guest, which retries the store. Otherwise returns false (a real fault).
bool ResolveCodeWriteFault(Thread& t, const core::ExitInfo& e);

}  // namespace polyvm::linux
