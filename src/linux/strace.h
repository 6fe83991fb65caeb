// --strace output: one line per guest syscall on stderr, in the manner of qemu-user's -strace.
#pragma once

#include <cstdint>
#include <string>

#include "polyvm/linux/syscall_table.h"

namespace polyvm::mem {
class AddressSpace;
}

namespace polyvm::linux {

class Thread;

// "write(1,\"hello\\n\",6)" and " = 6" / " = -1 EBADF (Bad file descriptor)".
std::string FormatSyscallCall(const mem::AddressSpace& as, const SyscallEntry& e,
                              const SyscallArgs& a);
std::string FormatSyscallResult(const SyscallEntry& e, int64_t result);

// Printed before and after the handler runs (a blocking call shows its arguments while it blocks).
void StraceCall(Thread& t, const SyscallEntry& e, const SyscallArgs& a);
void StraceResult(Thread& t, const SyscallEntry& e, const SyscallArgs& a, int64_t result);

}  // namespace polyvm::linux
