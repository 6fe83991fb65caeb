// The polyvm runner (see polyvm_runner.h). A watchdog thread interrupts a run that takes far longer
// than any case can (cases have no backward branches), so a looping engine fails the case instead
// of hanging the test.
#include "polyvm_runner.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "polyvm/frontend/riscv64/state.h"
#include "polyvm/ir/printer.h"

namespace polyvm::diff {

namespace {

using frontend::riscv64::Riscv64State;

// Interrupts the vCPU of a run that exceeds the limit.
class Watchdog {
 public:
  Watchdog() : thread_([this] { Loop(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      quit_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Arm(core::CpuHeader* hdr) {
    std::lock_guard lock(mu_);
    hdr_ = hdr;
    start_ = std::chrono::steady_clock::now();
  }
  void Disarm() {
    std::lock_guard lock(mu_);
    hdr_ = nullptr;
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    while (!quit_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      if (hdr_ != nullptr && std::chrono::steady_clock::now() - start_ > std::chrono::seconds(10)) {
        hdr_->interrupt_request.store(1);
      }
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  bool quit_ = false;
  core::CpuHeader* hdr_ = nullptr;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
};

Watchdog& TheWatchdog() {
  static Watchdog w;
  return w;
}

}  // namespace

size_t CaseCodeReader::Fetch(uint64_t pc, void* out, size_t size) const {
  if (code_ == nullptr || pc < kCodeBase || pc - kCodeBase >= code_->size()) return 0;
  size_t n = std::min<size_t>(size, code_->size() - (pc - kCodeBase));
  std::memcpy(out, code_->data() + (pc - kCodeBase), n);
  return n;
}

PolyvmRunner::PolyvmRunner(EngineFactory factory) : factory_(std::move(factory)) {
  // Everything up to a page past the data page is guest address space; only two pages are mapped.
  mem_size_ = kDataBase + kDataSize + 0x10000;
  void* p = mmap(nullptr, mem_size_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot reserve guest memory");
  mem_ = static_cast<uint8_t*>(p);
  if (mprotect(mem_ + kCodeBase, kCodeMax, PROT_READ | PROT_WRITE) != 0 ||
      mprotect(mem_ + kDataBase, kDataSize, PROT_READ | PROT_WRITE) != 0) {
    throw std::runtime_error("cannot map the guest code and data pages");
  }
}

PolyvmRunner::~PolyvmRunner() { munmap(mem_, mem_size_); }

Outcome PolyvmRunner::Run(const Case& c) {
  Outcome o;
  code_.Set(&c.code);
  std::memset(mem_ + kCodeBase, 0, kCodeMax);
  std::memcpy(mem_ + kCodeBase, c.code.data(), std::min<size_t>(c.code.size(), kCodeMax));
  std::memcpy(mem_ + kDataBase, c.data.data(), kDataSize);

  auto st = std::make_unique<Riscv64State>();
  std::copy(c.init.x.begin(), c.init.x.end(), st->x);
  st->x[0] = 0;
  std::copy(c.init.f.begin(), c.init.f.end(), st->f);
  frontend::riscv64::SetFcsr(*st, c.init.fcsr);
  st->hdr.pc = kCodeBase;
  st->hdr.mem_base = mem_;
  st->hdr.mem_limit = mem_size_;

  std::unique_ptr<core::ExecutionEngine> engine = factory_(lifter_, code_);
  core::Vcpu vcpu;
  vcpu.state = &st->hdr;
  TheWatchdog().Arm(&st->hdr);
  core::ExitInfo e = engine->Run(vcpu);
  TheWatchdog().Disarm();

  o.pc = e.pc;
  o.detail = fmt::format("{} {}", core::ExitReasonName(e.reason), core::TrapCodeName(e.trap));
  switch (e.reason) {
    case core::ExitReason::kTrap:
      switch (e.trap) {
        case core::TrapCode::kBreakpoint:
          o.stop = e.pc == c.end_pc ? Stop::kEnd : Stop::kBreakpoint;
          break;
        case core::TrapCode::kIllegalInstruction: o.stop = Stop::kIllegal; break;
        case core::TrapCode::kMisaligned: o.stop = Stop::kMisaligned; break;
        default:
          o.stop = Stop::kError;
          o.detail += fmt::format(" info={:#x}", e.info);
          break;
      }
      break;
    case core::ExitReason::kMemoryFault:
      o.stop = e.access == core::MemAccess::kFetch ? Stop::kError : Stop::kMemFault;
      o.detail += fmt::format(" addr={:#x}", e.addr);
      break;
    case core::ExitReason::kInterrupt: o.stop = Stop::kTimeout; break;
    default: o.stop = Stop::kError; break;
  }
  if (o.stop == Stop::kEnd && st->hdr.pc != c.end_pc) {
    o.stop = Stop::kError;
    o.detail += fmt::format(" but state pc={:#x}", st->hdr.pc);
  }
  std::copy(st->x, st->x + 32, o.regs.x.begin());
  std::copy(st->f, st->f + 32, o.regs.f.begin());
  o.regs.fcsr = frontend::riscv64::GetFcsr(*st);
  o.data.assign(mem_ + kDataBase, mem_ + kDataBase + kDataSize);
  code_.Set(nullptr);
  return o;
}

std::string PolyvmRunner::Listing(const Case& c) const {
  CaseCodeReader code;
  code.Set(&c.code);
  std::string out = "guest code:\n";
  for (const InsnInfo& in : c.insns) {
    std::string text;
    uint64_t pc = kCodeBase + in.offset;
    lifter_.Disassemble(pc, code, text);
    out += fmt::format("  {:#x}: {:0{}x}  {}{}\n", pc, in.word, in.len * 2, text,
                       in.end ? "   <- end" : "");
  }
  // Blocks from the entry and from every control-transfer target, as the frontend lifts them.
  std::set<uint64_t> starts = {kCodeBase};
  for (uint32_t t : c.targets) starts.insert(kCodeBase + t);
  std::set<uint64_t> done;
  while (!starts.empty()) {
    uint64_t pc = *starts.begin();
    starts.erase(starts.begin());
    if (pc >= c.end_pc || !done.insert(pc).second) continue;
    ir::Block block;
    lifter_.Lift(pc, code, ir::LiftOptions{}, block);
    out += fmt::format("IR of the block at {:#x}:\n{}", pc, ir::Print(block, lifter_));
    for (const ir::Exit* e : {&block.exit}) {
      if (e->kind == ir::ExitKind::kJump || e->kind == ir::ExitKind::kBranch)
        starts.insert(e->target);
      if (e->kind == ir::ExitKind::kBranch) starts.insert(e->fallthrough);
    }
  }
  return out;
}

}  // namespace polyvm::diff
