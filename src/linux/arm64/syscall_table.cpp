// The arm64 syscall numbering: the asm-generic rows plus arm64's own (syscalls_arm64.def).
#include "polyvm/linux/syscall_table.h"

#include "../handlers.h"

namespace polyvm::linux {

namespace {

constexpr SyscallTable::Row kGenericRows[] = {
#define SYSCALL(nr, name, handler, args) {nr, #name, Sys##handler, args},
#include "polyvm/linux/syscalls_generic.def"
#undef SYSCALL
};

constexpr SyscallTable::Row kArm64Rows[] = {
#define SYSCALL(nr, name, handler, args) {nr, #name, Sys##handler, args},
#include "polyvm/linux/syscalls_arm64.def"
#undef SYSCALL
};

}  // namespace

const SyscallTable& Arm64SyscallTable() {
  static const SyscallTable table({std::span<const SyscallTable::Row>(kGenericRows),
                                   std::span<const SyscallTable::Row>(kArm64Rows)});
  return table;
}

}  // namespace polyvm::linux
