// A one-off translation of one instruction: how a store into the page its own translated code
// comes from runs (docs/linux-user.md, "Self-modifying code"), as qemu-user does it. Such a store
// faults for code protection; the retry translates the store again, which protects the page again,
// and it would fault forever. Armed for that retry, the next fetch of the store's pc on this guest
// thread reads the instruction without protecting its page and drops the translation being made
// (through the code-change hook), so no engine keeps it; any other fetch after it fails, so the
// translation is that one instruction, ending in a fetch fault at the next one. Per guest thread
// (each runs on its own host thread); GuestCodeReader::Fetch consults it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "polyvm/core/exit.h"
#include "polyvm/mem/address_space.h"

namespace polyvm::linux {

// For the next Run of this thread: the instruction at pc is fetched as described above.
void ArmOneOffFetch(uint64_t pc);

// Disarms (call after every Run). True if `e` is the fetch fault that ended the one-off
// translation (a kFetch memory fault or a kFetchFault trap at the next instruction), i.e. the one
// instruction ran and the guest continues at e.pc.
bool EndOneOffFetch(const core::ExitInfo& e);

// For GuestCodeReader::Fetch: handles the fetch if a one-off translation is armed (*handled =
// true; returns the byte count), else leaves it to the ordinary path.
size_t OneOffFetch(const mem::AddressSpace& as, uint64_t pc, void* out, size_t size, bool* handled);

}  // namespace polyvm::linux
