// The run loop. A vCPU thread runs the engine, hands each exit to the board and, when the board
// says wait (wfi), sleeps on its interrupt_request word: whoever raises one of its interrupt lines
// (a device, the CLINT, the timer thread, another hart's IPI) stores 1 there and notifies it. The
// timer thread asks the board to raise what is due and sleeps until the next deadline or until a
// vCPU re-arms a timer. Stopping sets a flag and requests an interrupt on every vCPU, so each one
// leaves the engine at its next block boundary. A guest reset, with RunOptions::reboot, stops
// the threads the same way, resets the board and starts them again.
#include "polyvm/core/os/wake_word.h"
#include "polyvm/runtime/runtime.h"

#include <chrono>
#include <thread>

namespace polyvm::runtime {

std::string_view StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kPowerOff: return "power-off";
    case StopReason::kReset: return "reset";
    case StopReason::kTimeout: return "timeout";
    case StopReason::kEscape: return "escape";
    case StopReason::kUnsupported: return "unsupported";
    case StopReason::kPanic: return "panic";
  }
  return "?";
}

Runtime::Runtime(Board& board, core::ExecutionEngine& engine) : board_(board), engine_(engine) {}

Runtime::~Runtime() = default;

void Runtime::RequestStop(StopReason reason, std::string message) {
  {
    std::lock_guard lock(stop_mu_);
    // The first request wins, except that the user's escape or the timeout ends a run whose
    // reset (a reboot) is still being carried out.
    const bool outer = reason == StopReason::kEscape || reason == StopReason::kTimeout;
    if (stopping_.load() && !(outer && result_.reason == StopReason::kReset)) return;
    result_.reason = reason;
    result_.message = std::move(message);
    if (reason == StopReason::kPowerOff) result_.exit_code = board_.power_exit_code();
    stopping_.store(true);
  }
  stop_cv_.notify_all();
  KickVcpus();
  KickTimer();
}

void Runtime::KickVcpus() {
  for (unsigned i = 0; i < board_.NumVcpus(); ++i) {
    auto& request = board_.VcpuState(i).interrupt_request;
    request.store(1, std::memory_order_release);
    core::os::WakeWordAll(request);
  }
}

void Runtime::KickTimer() {
  {
    std::lock_guard lock(timer_mu_);
    timer_kicked_ = true;
  }
  timer_cv_.notify_one();
}

void Runtime::OnBoardEvent() {
  switch (board_.power_request()) {
    case PowerRequest::kPowerOff: RequestStop(StopReason::kPowerOff); return;
    case PowerRequest::kReset: RequestStop(StopReason::kReset); return;
    case PowerRequest::kPanic: RequestStop(StopReason::kPanic); return;
    case PowerRequest::kNone: break;
  }
  KickTimer();
}

void Runtime::VcpuLoop(unsigned i) {
  core::Vcpu vcpu;
  vcpu.state = &board_.VcpuState(i);
  vcpu.mmu = &board_.VcpuMmu(i);
  auto& request = vcpu.state->interrupt_request;
  std::string message;
  while (!stopping_.load(std::memory_order_acquire)) {
    core::ExitInfo exit = engine_.Run(vcpu);
    exits_.fetch_add(1, std::memory_order_relaxed);
    for (;;) {
      if (stopping_.load(std::memory_order_acquire)) break;
      VcpuAction action = board_.HandleExit(i, exit, &message);
      if (action == VcpuAction::kContinue) break;
      if (action == VcpuAction::kStop) {
        RequestStop(StopReason::kUnsupported, message);
        break;
      }
      // wfi: sleep until something requests an interrupt check, then let the board look.
      waits_.fetch_add(1, std::memory_order_relaxed);
      while (!stopping_.load(std::memory_order_acquire) &&
             request.load(std::memory_order_acquire) == 0) {
        core::os::WaitWord(request, 0, 100 * 1000 * 1000);  // 100 ms: a safety net only
      }
      exit = core::ExitInfo{};
      exit.reason = core::ExitReason::kInterrupt;
      exit.pc = vcpu.state->pc;
    }
  }
  running_vcpus_.fetch_sub(1);
}

void Runtime::TimerLoop() {
  std::unique_lock lock(timer_mu_);
  while (!stopping_.load()) {
    timer_kicked_ = false;
    const uint64_t next_ns = board_.PollTimers();
    timer_wakeups_.fetch_add(1, std::memory_order_relaxed);
    auto woken = [this] { return timer_kicked_ || stopping_.load(); };
    if (next_ns == ~uint64_t{0}) {
      timer_cv_.wait(lock, woken);
    } else {
      const std::chrono::steady_clock::time_point deadline{
          std::chrono::nanoseconds(static_cast<int64_t>(next_ns))};
      timer_cv_.wait_until(lock, deadline, woken);
    }
  }
}

RunResult Runtime::Run(const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(options.timeout_seconds));
  // Events come only from vCPU threads (MMIO, CSR writes), so they end with Run. DMA writes come
  // from device I/O threads until the machine is destroyed: that listener holds the engine only,
  // which its owner keeps alive longer than the machine.
  board_.SetListeners(
      [this] { OnBoardEvent(); },
      [&engine = engine_](uint64_t gpa, uint64_t len) { engine.InvalidatePhysical(gpa, len); });
  // A request made before the run (none today) is honoured at once.
  OnBoardEvent();

  for (;;) {
    RunUntilStop(options, deadline);
    {
      std::lock_guard lock(stop_mu_);
      if (!options.reboot || result_.reason != StopReason::kReset) break;
    }
    // Every thread has stopped: the board can be put back to power-on (it reports all of RAM as
    // rewritten, so the engine forgets every translation).
    std::string error;
    const bool reset = board_.Reset(&error);
    std::lock_guard lock(stop_mu_);
    if (result_.reason != StopReason::kReset) break;  // escape or timeout meanwhile
    if (!reset) {
      result_.reason = StopReason::kUnsupported;
      result_.message = "machine reset failed: " + error;
      break;
    }
    reboots_.fetch_add(1, std::memory_order_relaxed);
    result_ = RunResult{};
    stopping_.store(false);
  }
  wall_ns_ = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
  std::lock_guard lock(stop_mu_);
  return result_;
}

void Runtime::RunUntilStop(const RunOptions& options,
                           std::chrono::steady_clock::time_point deadline) {
  std::thread timer([this] { TimerLoop(); });
  std::vector<std::thread> vcpus;
  running_vcpus_.store(board_.NumVcpus());
  for (unsigned i = 0; i < board_.NumVcpus(); ++i) {
    vcpus.emplace_back([this, i] { VcpuLoop(i); });
  }

  {
    std::unique_lock lock(stop_mu_);
    auto stopped = [this] { return stopping_.load(); };
    if (options.timeout_seconds > 0) {
      if (!stop_cv_.wait_until(lock, deadline, stopped)) {
        lock.unlock();
        RequestStop(StopReason::kTimeout, "no power-off within the timeout");
      }
    } else {
      stop_cv_.wait(lock, stopped);
    }
  }
  // Every vCPU leaves the engine at its next block boundary; repeat the kick in case one cleared
  // its request just before the stop flag became visible to it.
  while (running_vcpus_.load() != 0) {
    KickVcpus();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (std::thread& t : vcpus) t.join();
  KickTimer();
  timer.join();
}

void Runtime::CollectStats(core::Stats& out) const {
  out.Add("runtime.vcpus", board_.NumVcpus());
  out.Add("runtime.engine_exits", static_cast<double>(exits_.load()));
  out.Add("runtime.wfi_waits", static_cast<double>(waits_.load()));
  out.Add("runtime.timer_wakeups", static_cast<double>(timer_wakeups_.load()));
  out.Add("runtime.reboots", static_cast<double>(reboots_.load()));
  out.Add("runtime.wall_time", wall_ns_, "ns");
}

}  // namespace polyvm::runtime
