// The process's initial stack as Linux lays it out: argc, argv, envp, auxv, then the strings, the
// AT_RANDOM bytes and AT_EXECFN at the top; and the auxiliary vector polyvm gives a guest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "polyvm/linux/abi.h"
#include "polyvm/linux/elf.h"

namespace polyvm::mem {
class AddressSpace;
}

namespace polyvm::linux {

struct AuxEntry {
  uint64_t type = 0;
  uint64_t value = 0;
};

struct StackContents {
  std::vector<std::string> argv;
  std::vector<std::string> envp;
  std::string execfn;             // AT_EXECFN: the path as given to execve
  std::string platform;           // AT_PLATFORM string; empty: no AT_PLATFORM
  uint8_t random[16] = {};        // AT_RANDOM bytes
  // Entries in the order they appear, without AT_NULL. The values of AT_RANDOM, AT_EXECFN and
  // AT_PLATFORM are filled in with the addresses of their data on the stack.
  std::vector<AuxEntry> auxv;
};

struct StackLayout {
  uint64_t sp = 0;  // where argc is (16-byte aligned): the initial stack pointer
  uint64_t argv = 0;
  uint64_t envp = 0;
  uint64_t auxv = 0;
  std::vector<AuxEntry> auxv_entries;  // as written, including the final AT_NULL
};

// Writes the stack below stack_top (which must be mapped writable for `max_bytes` below it).
// Returns 0, -E2BIG if it does not fit in max_bytes, or -EFAULT.
int BuildInitialStack(const mem::AddressSpace& as, uint64_t stack_top, uint64_t max_bytes,
                      const StackContents& contents, StackLayout* out);

// The auxiliary vector Linux gives a program loaded as `image` (in the kernel's order).
std::vector<AuxEntry> MakeAuxv(const GuestAbi& abi, const ProgramImage& image);

}  // namespace polyvm::linux
