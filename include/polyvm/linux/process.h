// One guest Linux process: its address space, program, signal dispositions and threads, and the
// dispatch loop that runs each thread on an execution engine. The CLI builds one and calls Run.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "polyvm/core/engine.h"
#include "polyvm/core/stats.h"
#include "polyvm/linux/abi.h"
#include "polyvm/linux/elf.h"
#include "polyvm/linux/initial_stack.h"
#include "polyvm/linux/signals.h"
#include "polyvm/mem/address_space.h"

namespace polyvm::linux {

class Thread;

struct RunOptions {
  std::string sysroot;              // -L: absolute guest paths are looked up here first
  bool strace = false;              // --strace
  bool warn_unimplemented = false;  // -W: name each unimplemented syscall once
  // `polyvm run` options to repeat when the guest execs another guest program (-L, --engine, ...).
  std::vector<std::string> reexec_options;
  std::string execfn;  // AT_EXECFN; empty: the program path as given
  // Called once before the process exits for any reason polyvm controls (exit, exit_group, a
  // fatal guest fault); prints --stats and flushes logs. Not called for deaths inside a host
  // signal handler (an external fatal signal).
  std::function<void()> before_exit;
};

class Process {
 public:
  Process(mem::AddressSpace& as, const GuestAbi& abi, core::ExecutionEngine& engine,
          RunOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Loads the program (and its interpreter), builds the stack and the main thread, installs the
  // signal handlers. On failure returns false with a one-line *error.
  bool Start(const std::string& path, const std::vector<std::string>& argv,
             const std::vector<std::string>& envp, std::string* error);

  // Runs the guest on the calling thread until the process ends; never returns: the host process
  // exits with the guest's status or dies of the guest's fatal signal.
  [[noreturn]] void Run();

  // Adds polyvm's own counters (syscalls, time in syscalls and in the engine) to `out`.
  void CollectStats(core::Stats& out) const;

  // ---- used by the syscall handlers, signal code and dispatch loop ----
  mem::AddressSpace& as() { return as_; }
  const mem::AddressSpace& as() const { return as_; }
  const GuestAbi& abi() const { return abi_; }
  core::ExecutionEngine& engine() { return engine_; }
  const RunOptions& options() const { return options_; }
  const ProgramImage& image() const { return image_; }
  const std::vector<AuxEntry>& auxv() const { return auxv_; }
  const std::vector<std::string>& argv() const { return argv_; }
  const std::string& polyvm_exe() const { return polyvm_exe_; }
  uint64_t trampoline() const { return trampoline_; }

  // Signal dispositions (process-wide). Handler values are also readable lock-free from the host
  // signal handler.
  GuestSigaction GetAction(int sig) const;
  void SetAction(int sig, const GuestSigaction& act);
  uint64_t HandlerOf(int sig) const { return handlers_[sig].load(std::memory_order_acquire); }

  // Threads.
  void AddThread(Thread* t);
  // Removes t; returns the number of threads left.
  size_t RemoveThread(Thread* t);
  Thread* FindThread(int tid);
  size_t ThreadCount();
  // After fork in the child: the calling thread is the only one left.
  void ResetAfterFork(Thread* self);

  // Ends the whole process with a status (exit_group), after before_exit.
  [[noreturn]] void Exit(int status);
  // Ends it with a guest signal's default action: prints `report` (one line) on stderr, then dies
  // of the host signal so the parent sees the same status (core dumps disabled first).
  [[noreturn]] void DieOfSignal(int guest_sig, const std::string& report);
  void RunBeforeExit();

  // Counters, updated by each thread when it exits and read for --stats.
  std::atomic<uint64_t> syscalls{0};
  std::atomic<uint64_t> syscall_ns{0};
  std::atomic<uint64_t> engine_ns{0};
  std::atomic<uint64_t> signals_delivered{0};
  std::atomic<uint64_t> threads_created{0};
  std::atomic<uint64_t> code_write_faults{0};  // guest stores into write-protected code pages
  std::atomic<uint64_t> retired_by_exited{0};  // guest instructions of threads that have exited

  // The warning for unimplemented syscalls is given once per number.
  bool FirstUnimplemented(uint64_t nr);

 private:
  mem::AddressSpace& as_;
  const GuestAbi& abi_;
  core::ExecutionEngine& engine_;
  RunOptions options_;
  ProgramImage image_;
  std::vector<AuxEntry> auxv_;
  std::vector<std::string> argv_;
  std::string polyvm_exe_;
  uint64_t trampoline_ = 0;
  std::unique_ptr<Thread> main_thread_;

  mutable std::mutex sig_mu_;
  GuestSigaction actions_[kGuestNsig + 1];
  std::atomic<uint64_t> handlers_[kGuestNsig + 1];

  std::mutex threads_mu_;
  std::map<int, Thread*> threads_;

  std::mutex warn_mu_;
  std::vector<bool> warned_;
  std::once_flag before_exit_once_;
};

}  // namespace polyvm::linux
