// Blocking host system calls that a guest signal can interrupt without a race: if the signal
// arrives before the call has entered the kernel, the call is not made and kRestartSys comes back;
// if it arrives while the call blocks, the host kernel returns -EINTR or (with SA_RESTART on the
// host handler) rewinds to the syscall instruction, which the handler turns into kRestartSys too.
// The idea is QEMU's safe_syscall; the code is polyvm's.
#pragma once

#include <cstdint>

namespace polyvm::linux {

class Thread;

// Raw host syscall: returns the kernel's result (-errno on error), or kRestartSys if `t` has a
// pending signal when the call is about to be made.
int64_t SafeSyscall(Thread& t, long nr, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0,
                    long a5 = 0, long a6 = 0);

// Called from the host signal handler: if the interrupted host pc is inside a SafeSyscall before or
// at its syscall instruction, moves it to the "interrupted" exit. ucontext is the handler's third
// argument.
void RewindSafeSyscall(void* ucontext);

}  // namespace polyvm::linux
