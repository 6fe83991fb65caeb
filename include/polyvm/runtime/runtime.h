// The system-mode run loop: one host thread per vCPU running the engine and handing every exit to
// the board, a timer thread that sleeps until the board's next timer deadline, and an orderly stop
// of all of them when the guest powers off or resets, a vCPU hits something unimplemented, the
// timeout expires or the user presses the escape key. docs/system-mode.md ("Running a machine").
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "polyvm/core/engine.h"
#include "polyvm/core/stats.h"
#include "polyvm/runtime/board.h"

namespace polyvm::runtime {

enum class StopReason : uint8_t {
  kPowerOff,     // the guest powered off (exit_code: its failure code, 0 = success)
  kReset,        // the guest asked for a reset and RunOptions::reboot is off (Linux with panic=-1
                 // does this on a panic)
  kTimeout,      // RunOptions::timeout_seconds passed
  kEscape,       // the user's escape key (RequestStop from the console)
  kUnsupported,  // a vCPU met something polyvm does not implement (message: hart, pc, bits)
  kPanic,        // the guest kernel reported a panic (pvpanic)
};

std::string_view StopReasonName(StopReason reason);

struct RunOptions {
  double timeout_seconds = 0;  // 0: none, else for the whole run, reboots included
  // A guest reset restarts the machine (Board::Reset) and the run goes on, as QEMU does by
  // default; off, a reset ends the run (StopReason::kReset), as QEMU's -no-reboot.
  bool reboot = false;
};

struct RunResult {
  StopReason reason = StopReason::kPowerOff;
  uint32_t exit_code = 0;
  std::string message;
};

class Runtime {
 public:
  // board and engine must outlive the runtime; the engine must be in system mode.
  Runtime(Board& board, core::ExecutionEngine& engine);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs every vCPU from its current state until the machine stops (a guest reset with
  // options.reboot resets the board and runs it again); returns why. Call once.
  RunResult Run(const RunOptions& options);

  // Stops the machine (from any thread, e.g. the console's escape key). The first request wins.
  void RequestStop(StopReason reason, std::string message = {});

  // Run-loop counters: exits by reason, waits, timer wake-ups, reboots, wall time.
  void CollectStats(core::Stats& out) const;

 private:
  // Starts the vCPU and timer threads, waits until a stop is requested (or `deadline`, if any,
  // passes) and joins them.
  void RunUntilStop(const RunOptions& options, std::chrono::steady_clock::time_point deadline);
  void VcpuLoop(unsigned vcpu);
  void TimerLoop();
  void KickTimer();
  void KickVcpus();
  void OnBoardEvent();

  Board& board_;
  core::ExecutionEngine& engine_;

  std::atomic<bool> stopping_{false};
  std::mutex stop_mu_;  // result_, stop_cv_
  std::condition_variable stop_cv_;
  RunResult result_;

  std::mutex timer_mu_;  // timer_kicked_, timer_cv_
  std::condition_variable timer_cv_;
  bool timer_kicked_ = false;

  std::atomic<uint64_t> exits_{0}, waits_{0}, timer_wakeups_{0}, reboots_{0};
  std::atomic<unsigned> running_vcpus_{0};
  double wall_ns_ = 0;
};

}  // namespace polyvm::runtime
