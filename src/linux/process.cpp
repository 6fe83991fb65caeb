// Process start-up (address-space layout, program, stack, main thread), the thread registry,
// signal dispositions, and the ways a process ends.
#include "polyvm/linux/process.h"

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "dispatch.h"
#include "polyvm/mem/guest_access.h"
#include "signal_delivery.h"
#include "thread.h"

namespace polyvm::linux {

namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

// RLIMIT_STACK as Linux uses it for the main thread; an unlimited stack gets 8 MiB (documented).
uint64_t StackSize() {
  struct rlimit rl;
  if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 8 * kMiB;
  uint64_t size = mem::PageUp(rl.rlim_cur);
  if (size < 128 * 1024) size = 128 * 1024;
  if (size > 1024 * kMiB) size = 1024 * kMiB;
  return size;
}

}  // namespace

Process::Process(mem::AddressSpace& as, const GuestAbi& abi, core::ExecutionEngine& engine,
                 RunOptions options)
    : as_(as), abi_(abi), engine_(engine), options_(std::move(options)) {
  for (auto& h : handlers_) h.store(kSigDfl);
}

Process::~Process() = default;

bool Process::Start(const std::string& path, const std::vector<std::string>& argv,
                    const std::vector<std::string>& envp, std::string* error) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  polyvm_exe_ = n > 0 ? std::string(self, static_cast<size_t>(n)) : "polyvm";
  argv_ = argv;

  // Layout (Linux's, without randomisation): the stack at the top of the guest range, mmap_base
  // below it with the kernel's gap, ET_DYN programs with an interpreter at 2/3 of the range.
  const uint64_t stack_size = StackSize();
  const uint64_t stack_top = as_.limit();
  const uint64_t gap = std::max(stack_size + kMiB, 128 * kMiB);
  if (stack_top < gap + 64 * kMiB) {
    *error = "the guest address space is too small";
    return false;
  }
  as_.SetMmapBase(stack_top - gap);
  const uint64_t dyn_base = mem::PageDown(as_.limit() / 3 * 2);
  if (!LoadProgram(as_, abi_, path, options_.sysroot, dyn_base, &image_, error)) return false;
  as_.InitBrk(image_.exe.end);

  mem::MapRequest stack;
  stack.addr = stack_top - stack_size;
  stack.length = stack_size;
  stack.prot = mem::kProtRead | mem::kProtWrite | (image_.info.exec_stack ? uint32_t{mem::kProtExec} : 0u);
  stack.flags = mem::kMapPrivate | mem::kMapAnonymous | mem::kMapFixed | mem::kMapGrowsDown;
  stack.name = "[stack]";
  if (as_.Map(stack) < 0) {
    *error = "cannot map the guest stack";
    return false;
  }

  // The page handlers return into when the guest gives no sa_restorer (Linux: the vDSO).
  auto tramp = abi_.SigreturnTrampoline();
  mem::MapRequest tr;
  tr.length = mem::kPageSize;
  tr.prot = mem::kProtRead | mem::kProtWrite;
  tr.flags = mem::kMapPrivate | mem::kMapAnonymous;
  tr.name = "[vdso]";
  int64_t at = as_.Map(tr);
  if (at < 0 || mem::CopyToGuest(as_, static_cast<uint64_t>(at), tramp.data(), tramp.size()) != 0 ||
      as_.Protect(static_cast<uint64_t>(at), mem::kPageSize, mem::kProtRead | mem::kProtExec) != 0) {
    *error = "cannot map the signal trampoline";
    return false;
  }
  trampoline_ = static_cast<uint64_t>(at);

  StackContents c;
  c.argv = argv;
  c.envp = envp;
  c.execfn = options_.execfn.empty() ? path : options_.execfn;
  if (abi_.Platform() != nullptr) c.platform = abi_.Platform();
  if (getrandom(c.random, sizeof c.random, 0) != static_cast<ssize_t>(sizeof c.random)) {
    for (auto& b : c.random) b = static_cast<uint8_t>(rand());
  }
  c.auxv = MakeAuxv(abi_, image_);
  StackLayout layout;
  int r = BuildInitialStack(as_, stack_top, stack_size / 4, c, &layout);
  if (r != 0) {
    *error = r == -E2BIG ? "argument list too long for the guest stack" : "cannot write the guest stack";
    return false;
  }
  auxv_ = layout.auxv_entries;

  main_thread_ = std::make_unique<Thread>(*this);
  abi_.InitProcessState(main_thread_->state, image_.entry, layout.sp);
  main_thread_->tid = static_cast<int>(syscall(SYS_gettid));
  AddThread(main_thread_.get());
  InitSignals(*this, *main_thread_);
  as_.SetCodeChangeHook([this](uint64_t a, uint64_t len) { engine_.InvalidateCode(a, len); });
  return true;
}

void Process::Run() {
  Thread* main = main_thread_.get();
  RunThread(*main);
  // The main thread called SYS_exit while others run; the process goes on until the last thread
  // exits (SysExit ends it then). This host thread must not return, nor pthread_exit (whose
  // unwinding would destroy the engine and address space on the caller's stack): it parks with
  // every signal blocked, so process-wide signals go to the live threads.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, nullptr);
  for (;;) pause();
}

void Process::CollectStats(core::Stats& out) const {
  uint64_t calls = syscalls.load(), sys_ns = syscall_ns.load(), eng_ns = engine_ns.load();
  uint64_t retired = retired_by_exited.load();
  {
    auto* self = const_cast<Process*>(this);
    std::lock_guard lock(self->threads_mu_);
    for (const auto& [tid, t] : threads_) {
      calls += t->syscalls.load(std::memory_order_relaxed);
      sys_ns += t->syscall_ns.load(std::memory_order_relaxed);
      eng_ns += t->engine_ns.load(std::memory_order_relaxed);
      // Written by the thread's engine; a relaxed read is enough for a statistic.
      retired += std::atomic_ref<uint64_t>(t->state->retired).load(std::memory_order_relaxed);
    }
  }
  out.Add("guest.instructions_retired", static_cast<double>(retired));
  out.Add("linux.syscalls", static_cast<double>(calls));
  out.Add("linux.syscall_time", static_cast<double>(sys_ns), "ns");
  out.Add("linux.engine_time", static_cast<double>(eng_ns), "ns");
  out.Add("linux.signals_delivered", static_cast<double>(signals_delivered.load()));
  out.Add("linux.threads_created", static_cast<double>(threads_created.load()));
  out.Add("linux.code_page_write_faults", static_cast<double>(code_write_faults.load()));
}

GuestSigaction Process::GetAction(int sig) const {
  std::lock_guard lock(sig_mu_);
  return actions_[sig];
}

void Process::SetAction(int sig, const GuestSigaction& act) {
  std::lock_guard lock(sig_mu_);
  actions_[sig] = act;
  handlers_[sig].store(act.handler, std::memory_order_release);
}

void Process::AddThread(Thread* t) {
  std::lock_guard lock(threads_mu_);
  threads_[t->tid] = t;
}

size_t Process::RemoveThread(Thread* t) {
  std::lock_guard lock(threads_mu_);
  threads_.erase(t->tid);
  syscalls.fetch_add(t->syscalls.exchange(0), std::memory_order_relaxed);
  syscall_ns.fetch_add(t->syscall_ns.exchange(0), std::memory_order_relaxed);
  engine_ns.fetch_add(t->engine_ns.exchange(0), std::memory_order_relaxed);
  retired_by_exited.fetch_add(t->state->retired, std::memory_order_relaxed);
  return threads_.size();
}

Thread* Process::FindThread(int tid) {
  std::lock_guard lock(threads_mu_);
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : it->second;
}

size_t Process::ThreadCount() {
  std::lock_guard lock(threads_mu_);
  return threads_.size();
}

void Process::ResetAfterFork(Thread* self) {
  // Only the forking thread exists in the child; a mutex may have been held by a thread that is
  // gone, so each is rebuilt rather than locked.
  new (&threads_mu_) std::mutex();
  new (&sig_mu_) std::mutex();
  new (&warn_mu_) std::mutex();
  threads_.clear();
  self->tid = static_cast<int>(syscall(SYS_gettid));
  threads_[self->tid] = self;
}

bool Process::FirstUnimplemented(uint64_t nr) {
  std::lock_guard lock(warn_mu_);
  if (nr > 100000) nr = 100000;  // every absurd number shares one warning slot
  if (warned_.size() <= nr) warned_.resize(nr + 1);
  if (warned_[nr]) return false;
  warned_[nr] = true;
  return true;
}

void Process::RunBeforeExit() {
  std::call_once(before_exit_once_, [this] {
    if (options_.before_exit) options_.before_exit();
    std::fflush(stdout);
    std::fflush(stderr);
  });
}

void Process::Exit(int status) {
  RunBeforeExit();
  _exit(status & 0xff);
}

void Process::DieOfSignal(int guest_sig, const std::string& report) {
  std::fprintf(stderr, "%s\n", report.c_str());
  RunBeforeExit();
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  int h = GuestToHostSignal(guest_sig);
  if (h == 0) _exit(128 + guest_sig);
  signal(h, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, h);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), h);
  _exit(128 + guest_sig);
}

}  // namespace polyvm::linux
