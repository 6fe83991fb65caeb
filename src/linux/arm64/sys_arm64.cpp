// Handlers of the system calls only arm64 has (syscalls_arm64.def).
#include "../handlers.h"

namespace polyvm::linux {

// renameat(olddirfd, oldpath, newdirfd, newpath) is renameat2 without flags.
int64_t SysRenameat(SyscallContext& ctx, const SyscallArgs& a) {
  SyscallArgs with_flags = a;
  with_flags.arg[4] = 0;
  return SysRenameat2(ctx, with_flags);
}

}  // namespace polyvm::linux
