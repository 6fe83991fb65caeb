// One guest thread: its vCPU and guest state, signal mask and queue, and the bookkeeping of the
// syscall in flight (for restarts). Each runs on its own host thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "polyvm/core/engine.h"
#include "polyvm/linux/abi.h"
#include "polyvm/linux/signals.h"

namespace polyvm::linux {

class Process;

// Signals the host handler has taken for this thread and not yet delivered. Written only by the
// host handler running on this thread (with all signals blocked), read by the thread itself with
// host signals blocked, so no lock is needed.
// Standard signals coalesce (one siginfo each); real-time ones queue in arrival order, as in Linux.
struct PendingSignals {
  static constexpr int kRtQueueSize = 64;
  std::atomic<uint64_t> bits{0};  // a bit per signal with at least one instance pending
  GuestSigInfo info[kGuestNsig + 1];
  GuestSigInfo rt_queue[kRtQueueSize];
  int rt_count = 0;
};

class Thread {
 public:
  explicit Thread(Process& proc);
  ~Thread();
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  Process& proc;
  core::CpuHeader* state = nullptr;  // the guest state struct (abi.StateSize() bytes, 64-aligned)
  core::Vcpu vcpu;
  int tid = 0;

  uint64_t clear_child_tid = 0;  // CLONE_CHILD_CLEARTID / set_tid_address
  uint64_t robust_list = 0;
  uint64_t robust_len = 0;

  // Signals. The host thread's signal mask mirrors `sigmask` (except the synchronous faults, which
  // polyvm must always see), so the host kernel picks the receiving thread as Linux would for the
  // guest and keeps blocked signals pending.
  uint64_t sigmask = 0;
  AltStack altstack{0, kSsDisable, 0};
  PendingSignals pending;
  // rt_sigsuspend, ppoll, pselect6 with a mask: the mask to put back once a handler has been set up
  // (it goes into the frame) or, if none runs, when the call returns.
  bool restore_mask = false;
  uint64_t saved_mask = 0;
  // The syndrome of the last memory fault (Linux arm64: thread.fault_code), recorded in every
  // later signal frame as Linux does; an undefined-instruction SIGILL clears it.
  uint64_t fault_code = 0;

  // The syscall being handled: where it is (for restarts and reports).
  uint64_t syscall_pc = 0;
  bool restart_pending = false;  // the handler returned kRestartSys; pc was rewound to the ecall

  bool exiting = false;  // SYS_exit: leave the dispatch loop
  int exit_status = 0;

  // Counters for --stats: written by this thread only, read by whoever collects stats.
  std::atomic<uint64_t> engine_ns{0};
  std::atomic<uint64_t> syscall_ns{0};
  std::atomic<uint64_t> syscalls{0};

 private:
  std::unique_ptr<uint8_t[]> storage_;
};

// The guest thread running on the calling host thread (null on other host threads).
Thread* CurrentThread();
void SetCurrentThread(Thread* t);

}  // namespace polyvm::linux
