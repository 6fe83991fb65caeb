// Guest signal machinery: the host signal handler, thread masks mirrored onto host masks, queueing,
// delivery into guest handlers (signal frames), and death by a signal's default action.
#pragma once

#include <signal.h>

#include <cstdint>
#include <string>

#include "polyvm/linux/signals.h"

namespace polyvm::linux {

class Process;
class Thread;

// Startup: the guest inherits the host's ignored signals and blocked mask; polyvm's handler is
// installed where the guest disposition needs it.
void InitSignals(Process& proc, Thread& main);
// Re-derives the host disposition of one guest signal after rt_sigaction changed it.
void UpdateHostAction(Process& proc, int guest_sig);

// Sets a thread's guest mask (SIGKILL/SIGSTOP dropped) and the host mask that mirrors it. Only
// for the calling thread.
void SetThreadMask(Thread& t, uint64_t mask);
// The host sigset for a guest mask (synchronous faults never blocked).
void HostSigset(uint64_t guest_mask, sigset_t* out);
uint64_t GuestMaskFromHost(const sigset_t& set);

// Puts a signal in the calling thread's queue (for signals that have no host counterpart, and
// for the host handler).
void QueueSignal(Thread& t, int sig, const GuestSigInfo& info);
// Signals queued for t and not blocked by its mask.
uint64_t DeliverableSignals(const Thread& t);
// Queued or host-pending signals of t (rt_sigpending).
uint64_t PendingSignalsOf(const Thread& t);
// Takes one queued signal (any in `set`), if there is one; returns its number or 0.
int DequeueSignal(Thread& t, uint64_t set, GuestSigInfo* info);

// Delivers every deliverable queued signal of the calling thread: sets up frames for handled
// ones, ignores or kills for the others. Also resolves a pending syscall restart.
void DeliverPendingSignals(Thread& t);

// A synchronous fault the guest caused (memory fault, illegal instruction, ...): goes to the
// guest's handler if it has one and does not block the signal; otherwise polyvm prints `report`
// and dies of the signal.
void RaiseSynchronous(Thread& t, int sig, const GuestSigInfo& info, const std::string& report);

// rt_sigreturn.
int64_t SignalReturn(Thread& t);

// The death of the process by guest signal `sig` whose action is the default one, when the guest
// sent it to itself (raise, abort) or it was queued: prints the report (naming the guest pc) and
// dies of the signal.
[[noreturn]] void DieOfGuestSignal(Thread& t, int sig, const char* how, uint64_t pc);

}  // namespace polyvm::linux
