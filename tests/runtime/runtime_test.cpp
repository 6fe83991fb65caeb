// The run loop against a scripted board and engine: power-off and reset end the run with their
// reason, a vCPU waiting after wfi is woken by the timer thread at the board's deadline, the
// timeout and an external stop end a vCPU that never exits by itself, a kStop exit carries its
// message, DMA writes reach the engine, and a reset with RunOptions::reboot resets the board and
// runs it again.
#include "polyvm/runtime/runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace polyvm::runtime {
namespace {

uint64_t NowNs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

class NullWalker final : public mem::PageWalker {
 public:
  mem::WalkResult Walk(uint64_t, core::MemAccess, unsigned) override { return {}; }
};

// A board whose behaviour each test scripts with functions.
class FakeBoard final : public Board {
 public:
  explicit FakeBoard(unsigned n) : states_(n) {
    for (unsigned i = 0; i < n; ++i)
      mmus_.push_back(std::make_unique<mem::SoftMmu>(phys_, walker_));
  }
  unsigned NumVcpus() const override { return static_cast<unsigned>(states_.size()); }
  core::CpuHeader& VcpuState(unsigned i) override { return states_[i]; }
  mem::SoftMmu& VcpuMmu(unsigned i) override { return *mmus_[i]; }
  VcpuAction HandleExit(unsigned i, const core::ExitInfo& e, std::string* message) override {
    return handle_exit(i, e, message);
  }
  uint64_t PollTimers() override { return poll_timers ? poll_timers() : ~uint64_t{0}; }
  PowerRequest power_request() const override { return power.load(); }
  uint32_t power_exit_code() const override { return exit_code; }
  void SetListeners(std::function<void()> e, std::function<void(uint64_t, uint64_t)> d) override {
    on_event = std::move(e);
    on_dma = std::move(d);
  }

  bool Reset(std::string* error) override { return reset ? reset(error) : Board::Reset(error); }

  void Power(PowerRequest r, uint32_t code = 0) {
    exit_code = code;
    power.store(r);
    on_event();
  }

  std::function<VcpuAction(unsigned, const core::ExitInfo&, std::string*)> handle_exit =
      [](unsigned, const core::ExitInfo&, std::string*) { return VcpuAction::kContinue; };
  std::function<uint64_t()> poll_timers;
  std::function<bool(std::string*)> reset;  // empty: Board's default (refuses)
  std::atomic<PowerRequest> power{PowerRequest::kNone};
  uint32_t exit_code = 0;
  std::function<void()> on_event;
  std::function<void(uint64_t, uint64_t)> on_dma;

 private:
  std::vector<core::CpuHeader> states_;
  mem::PhysicalMap phys_;
  NullWalker walker_;
  std::vector<std::unique_ptr<mem::SoftMmu>> mmus_;
};

// An engine whose Run calls `run`; by default it "executes guest code" until interrupt_request
// is set, as a real engine does at block boundaries.
class FakeEngine final : public core::ExecutionEngine {
 public:
  std::string_view Name() const override { return "fake"; }
  core::ExitInfo Run(core::Vcpu& v) override {
    EXPECT_NE(v.mmu, nullptr);
    if (run) return run(v);
    while (v.state->interrupt_request.load() == 0) std::this_thread::yield();
    core::ExitInfo e;
    e.reason = core::ExitReason::kInterrupt;
    return e;
  }
  void InvalidateCode(uint64_t addr, uint64_t size) override {
    std::lock_guard lock(mu);
    invalidated.push_back({addr, size});
  }
  void CollectStats(core::Stats&) const override {}

  std::function<core::ExitInfo(core::Vcpu&)> run;
  std::mutex mu;
  std::deque<std::pair<uint64_t, uint64_t>> invalidated;
};

core::ExitInfo Halt() {
  core::ExitInfo e;
  e.reason = core::ExitReason::kHalt;
  return e;
}

TEST(Runtime, PowerOffFromAVcpuEndsTheRunWithItsCode) {
  FakeBoard board(2);
  FakeEngine engine;
  std::atomic<bool> done{false};
  engine.run = [&](core::Vcpu& v) {
    if (v.state == &board.VcpuState(1) && !done.exchange(true)) {
      board.Power(PowerRequest::kPowerOff, 7);  // as the finisher's MMIO write does
    }
    while (v.state->interrupt_request.load() == 0) std::this_thread::yield();
    core::ExitInfo e;
    e.reason = core::ExitReason::kInterrupt;
    return e;
  };
  Runtime rt(board, engine);
  RunResult r = rt.Run({});
  EXPECT_EQ(r.reason, StopReason::kPowerOff);
  EXPECT_EQ(r.exit_code, 7u);
}

// Why a one-vCPU run stops when its vCPU makes `request` and then waits.
StopReason StopFor(PowerRequest request, bool reboot) {
  FakeBoard board(1);
  FakeEngine engine;
  engine.run = [&](core::Vcpu&) {
    board.Power(request);
    return Halt();
  };
  board.handle_exit = [](unsigned, const core::ExitInfo&, std::string*) {
    return VcpuAction::kWait;
  };
  Runtime rt(board, engine);
  RunOptions options;
  options.reboot = reboot;
  return rt.Run(options).reason;
}

TEST(Runtime, ResetIsItsOwnReason) {
  EXPECT_EQ(StopFor(PowerRequest::kReset, false), StopReason::kReset);
}

// A panic the guest reports stops the machine even when resets reboot it (Linux with panic=-1
// resets right after its panic notifiers ran).
TEST(Runtime, PanicStopsEvenWithReboot) {
  EXPECT_EQ(StopFor(PowerRequest::kPanic, true), StopReason::kPanic);
}

// With reboot: the first reset stops both vCPUs, the board is reset with no vCPU running, and
// the second run ends with the power-off. The board's report of rewritten RAM reaches the engine.
TEST(Runtime, RebootResetsTheBoardAndRunsAgain) {
  FakeBoard board(2);
  FakeEngine engine;
  std::atomic<int> running{0}, resets{0}, running_at_reset{-1};
  engine.run = [&](core::Vcpu& v) {
    running.fetch_add(1);
    if (v.state == &board.VcpuState(0) && board.power.load() == PowerRequest::kNone) {
      board.Power(resets.load() == 0 ? PowerRequest::kReset : PowerRequest::kPowerOff, 5);
    }
    while (v.state->interrupt_request.load() == 0) std::this_thread::yield();
    running.fetch_sub(1);
    core::ExitInfo e;
    e.reason = core::ExitReason::kInterrupt;
    return e;
  };
  board.handle_exit = [&](unsigned i, const core::ExitInfo&, std::string*) {
    board.VcpuState(i).interrupt_request.store(0);
    return VcpuAction::kContinue;
  };
  board.reset = [&](std::string*) {
    running_at_reset.store(running.load());
    resets.fetch_add(1);
    board.power.store(PowerRequest::kNone);
    board.on_dma(0x80000000, 0x1000000);
    return true;
  };
  Runtime rt(board, engine);
  RunOptions options;
  options.reboot = true;
  options.timeout_seconds = 60;
  RunResult r = rt.Run(options);
  EXPECT_EQ(r.reason, StopReason::kPowerOff);
  EXPECT_EQ(r.exit_code, 5u);
  EXPECT_EQ(resets.load(), 1);
  EXPECT_EQ(running_at_reset.load(), 0) << "the board was reset while a vCPU ran";
  {
    std::lock_guard lock(engine.mu);
    ASSERT_FALSE(engine.invalidated.empty());
    EXPECT_EQ(engine.invalidated.back(), std::make_pair(uint64_t{0x80000000}, uint64_t{0x1000000}));
  }
  core::Stats stats;
  rt.CollectStats(stats);
  bool found = false;
  for (const auto& e : stats.entries) {
    if (e.name == "runtime.reboots") {
      found = true;
      EXPECT_EQ(e.value, 1.0);
    }
  }
  EXPECT_TRUE(found);
}

TEST(Runtime, AResetTheBoardCannotDoEndsTheRun) {
  FakeBoard board(1);  // no reset function: Board's default refuses
  FakeEngine engine;
  engine.run = [&](core::Vcpu&) {
    board.Power(PowerRequest::kReset);
    return Halt();
  };
  board.handle_exit = [](unsigned, const core::ExitInfo&, std::string*) {
    return VcpuAction::kWait;
  };
  Runtime rt(board, engine);
  RunOptions options;
  options.reboot = true;
  RunResult r = rt.Run(options);
  EXPECT_EQ(r.reason, StopReason::kUnsupported);
  EXPECT_NE(r.message.find("cannot reset"), std::string::npos) << r.message;
}

TEST(Runtime, TimerThreadWakesAWaitingVcpuAtTheDeadline) {
  FakeBoard board(1);
  FakeEngine engine;
  engine.run = [](core::Vcpu&) { return Halt(); };  // wfi at once
  const uint64_t start = NowNs();
  const uint64_t deadline = start + 20'000'000;  // 20 ms
  std::atomic<bool> fired{false};
  board.poll_timers = [&]() -> uint64_t {
    if (NowNs() < deadline) return deadline;
    if (!fired.exchange(true)) {
      auto& r = board.VcpuState(0).interrupt_request;
      r.store(1);
      r.notify_all();
    }
    return ~uint64_t{0};
  };
  std::atomic<int> interrupts{0};
  board.handle_exit = [&](unsigned, const core::ExitInfo& e, std::string*) {
    if (e.reason == core::ExitReason::kHalt) return VcpuAction::kWait;
    // The made-up exit after the wake-up: the timer fired, so the guest powers off.
    EXPECT_EQ(e.reason, core::ExitReason::kInterrupt);
    EXPECT_TRUE(fired.load());
    ++interrupts;
    board.Power(PowerRequest::kPowerOff);
    return VcpuAction::kContinue;
  };
  Runtime rt(board, engine);
  RunResult r = rt.Run({.timeout_seconds = 30});
  EXPECT_EQ(r.reason, StopReason::kPowerOff);
  EXPECT_EQ(interrupts.load(), 1);
  EXPECT_GE(NowNs() - start, 20'000'000u) << "woken before the deadline";
}

TEST(Runtime, TimeoutStopsAVcpuThatNeverExits) {
  FakeBoard board(2);
  FakeEngine engine;  // spins until interrupt_request
  board.handle_exit = [](unsigned, const core::ExitInfo&, std::string*) {
    return VcpuAction::kContinue;
  };
  Runtime rt(board, engine);
  const auto t0 = std::chrono::steady_clock::now();
  RunResult r = rt.Run({.timeout_seconds = 0.05});
  EXPECT_EQ(r.reason, StopReason::kTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(50));
}

TEST(Runtime, RequestStopFromAnotherThreadEndsAWaitingMachine) {
  FakeBoard board(1);
  FakeEngine engine;
  engine.run = [](core::Vcpu&) { return Halt(); };
  board.handle_exit = [](unsigned, const core::ExitInfo&, std::string*) {
    return VcpuAction::kWait;  // never woken by the guest
  };
  Runtime rt(board, engine);
  std::thread escape([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    rt.RequestStop(StopReason::kEscape, "Ctrl-A x");
  });
  RunResult r = rt.Run({});
  escape.join();
  EXPECT_EQ(r.reason, StopReason::kEscape);
  EXPECT_EQ(r.message, "Ctrl-A x");
}

TEST(Runtime, UnsupportedExitStopsWithTheBoardsMessage) {
  FakeBoard board(1);
  FakeEngine engine;
  engine.run = [](core::Vcpu&) {
    core::ExitInfo e;
    e.reason = core::ExitReason::kTrap;
    e.trap = core::TrapCode::kUnsupported;
    return e;
  };
  board.handle_exit = [](unsigned, const core::ExitInfo&, std::string* m) {
    *m = "hart 0: unsupported at pc 0x80000000 (bits 0x12345678)";
    return VcpuAction::kStop;
  };
  Runtime rt(board, engine);
  RunResult r = rt.Run({});
  EXPECT_EQ(r.reason, StopReason::kUnsupported);
  EXPECT_EQ(r.message, "hart 0: unsupported at pc 0x80000000 (bits 0x12345678)");
}

TEST(Runtime, DmaWritesReachTheEngine) {
  FakeBoard board(1);
  FakeEngine engine;
  engine.run = [&](core::Vcpu&) {
    board.on_dma(0x80001000, 512);  // a device wrote guest RAM
    board.Power(PowerRequest::kPowerOff);
    return Halt();
  };
  board.handle_exit = [](unsigned, const core::ExitInfo&, std::string*) {
    return VcpuAction::kWait;
  };
  Runtime rt(board, engine);
  rt.Run({});
  ASSERT_EQ(engine.invalidated.size(), 1u);  // InvalidatePhysical defaults to InvalidateCode
  EXPECT_EQ(engine.invalidated[0], std::make_pair(uint64_t{0x80001000}, uint64_t{512}));
}

}  // namespace
}  // namespace polyvm::runtime
