// The polyvm side of the AArch64 differential tests: a fresh engine per case, guest memory a
// reserved host range with only the code and data pages accessible.
#include <fmt/format.h>
#include <sys/mman.h>

#include <cstring>
#include <stdexcept>

#include "arm64_runners.h"
#include "polyvm/ir/printer.h"

namespace polyvm::diff {
namespace {

using frontend::arm64::Arm64State;

class WordsReader final : public ir::CodeReader {
 public:
  explicit WordsReader(const std::vector<uint32_t>& words) : words_(words) {}
  size_t Fetch(uint64_t pc, void* out, size_t size) const override {
    uint64_t bytes = words_.size() * 4;
    if (pc < kCodeBase || pc - kCodeBase >= bytes) return 0;
    size_t n = std::min<size_t>(size, bytes - (pc - kCodeBase));
    std::memcpy(out, reinterpret_cast<const uint8_t*>(words_.data()) + (pc - kCodeBase), n);
    return n;
  }

 private:
  const std::vector<uint32_t>& words_;
};

}  // namespace

A64PolyvmRunner::A64PolyvmRunner(EngineFactory factory) : factory_(std::move(factory)) {
  mem_size_ = kDataBase + kDataSize + 0x10000;
  void* p = mmap(nullptr, mem_size_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot reserve guest memory");
  mem_ = static_cast<uint8_t*>(p);
  if (mprotect(mem_ + kCodeBase, kCodeMax, PROT_READ | PROT_WRITE) != 0 ||
      mprotect(mem_ + kDataBase, kDataSize, PROT_READ | PROT_WRITE) != 0) {
    throw std::runtime_error("cannot map the guest code and data pages");
  }
}

A64PolyvmRunner::~A64PolyvmRunner() { munmap(mem_, mem_size_); }

A64Outcome A64PolyvmRunner::Run(const A64Case& c) {
  A64Outcome o;
  WordsReader code(c.words);
  std::memset(mem_ + kCodeBase, 0, kCodeMax);
  std::memcpy(mem_ + kCodeBase, c.words.data(), c.words.size() * 4);
  std::memcpy(mem_ + kDataBase, c.data.data(), kDataSize);

  auto st = std::make_unique<Arm64State>();
  std::copy(c.init.x.begin(), c.init.x.end(), st->x);
  st->sp = c.init.sp;
  frontend::arm64::SetNzcv(*st, c.init.nzcv);
  for (unsigned r = 0; r < 32; ++r) std::memcpy(st->q[r], c.init.q[r].data(), 16);
  frontend::arm64::SetFpcr(*st, c.init.fpcr);
  frontend::arm64::SetFpsr(*st, c.init.fpsr);
  st->tpidr_el0 = c.init.tpidr;
  st->hdr.pc = kCodeBase;
  st->hdr.mem_base = mem_;
  st->hdr.mem_limit = mem_size_;

  lifter_.AssumeFpcr(c.init.fpcr);  // FZ/DN as the translations must assume them
  std::unique_ptr<core::ExecutionEngine> engine = factory_(lifter_, code);
  core::Vcpu vcpu;
  vcpu.state = &st->hdr;
  core::ExitInfo e = engine->Run(vcpu);

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
    default: o.stop = Stop::kError; break;
  }
  std::copy(st->x, st->x + 31, o.regs.x.begin());
  o.regs.sp = st->sp;
  o.regs.nzcv = static_cast<uint32_t>(frontend::arm64::GetNzcv(*st));
  for (unsigned r = 0; r < 32; ++r) std::memcpy(o.regs.q[r].data(), st->q[r], 16);
  o.regs.fpcr = st->fpcr;
  o.regs.fpsr = frontend::arm64::GetFpsr(*st);
  o.regs.tpidr = st->tpidr_el0;
  o.data.assign(mem_ + kDataBase, mem_ + kDataBase + kDataSize);
  return o;
}

std::string A64PolyvmRunner::Listing(const A64Case& c) const {
  WordsReader code(c.words);
  std::string out = "guest code:\n";
  for (size_t k = 0; k < c.words.size(); ++k) {
    std::string text;
    uint64_t pc = kCodeBase + 4 * k;
    lifter_.Disassemble(pc, code, text);
    out += fmt::format("  {:#x}: {:08x}  {}\n", pc, c.words[k], text);
  }
  ir::Block block;
  lifter_.Lift(kCodeBase, code, ir::LiftOptions{}, block);
  out += fmt::format("IR of the first block:\n{}", ir::Print(block, lifter_));
  return out;
}

}  // namespace polyvm::diff
