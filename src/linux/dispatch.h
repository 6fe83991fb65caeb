// The per-thread dispatch loop: run the engine, handle its exit (syscall, fault, trap), deliver
// pending signals, repeat.
#pragma once

namespace polyvm::linux {

class Thread;

// Runs t on the calling host thread until it exits (SYS_exit). exit_group and fatal signals end
// the process from inside and never return here.
void RunThread(Thread& t);

}  // namespace polyvm::linux
