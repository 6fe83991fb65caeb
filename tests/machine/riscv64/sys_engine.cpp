// The test machine of sys_engine.h.
#include "sys_engine.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/engine/jit/jit_engine.h"

namespace polyvm::machine::riscv64::testing {

namespace {

// The system-mode engines fetch through the soft MMU; their CodeReader must not be used.
class NoCode final : public ir::CodeReader {
 public:
  size_t Fetch(uint64_t, void*, size_t) const override { return 0; }
};
const NoCode kNoCode;

}  // namespace

std::unique_ptr<core::ExecutionEngine> MakeSystemEngine(const std::string& name,
                                                        const ir::Lifter& lifter,
                                                        const ir::CodeReader& unused_code) {
  // "interp" and "jit" are configured as `polyvm boot` configures them (src/cli/boot_command.cpp:
  // no IR optimiser); the "_opt" variants run the optimiser too.
  const bool optimize = name.size() > 4 && name.compare(name.size() - 4, 4, "_opt") == 0;
  const std::string base = optimize ? name.substr(0, name.size() - 4) : name;
  if (base == "interp") {
    engine::interp::Options o;
    o.system_mode = true;
    o.optimize = optimize;
    return std::make_unique<engine::interp::Interpreter>(lifter, unused_code, o);
  }
  if (base == "jit") {
    engine::jit::Options o;
    o.system_mode = true;
    o.optimize = optimize;
    return std::make_unique<engine::jit::JitEngine>(lifter, unused_code, o);
  }
  return nullptr;
}

SysMachine::SysMachine(const std::string& program_path, unsigned harts) {
  void* p = mmap(nullptr, kRamSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return;
  ram_ = static_cast<uint8_t*>(p);
  std::ifstream in(program_path, std::ios::binary);
  if (!in) return;
  std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (bytes.empty() || bytes.size() > kRamSize) return;
  std::memcpy(ram_, bytes.data(), bytes.size());
  std::string error;
  if (!phys_.AddRam(kRamBase, ram_, kRamSize, &error)) return;
  if (!phys_.AddMmio(kDeviceBase, 0x1000, &device_, &error)) return;
  for (unsigned i = 0; i < harts; ++i)
    harts_.push_back(std::make_unique<VirtHart>(i, phys_, clock_));
  loaded_ = true;
}

SysMachine::~SysMachine() {
  engine_.reset();
  if (ram_ != nullptr) munmap(ram_, kRamSize);
}

bool SysMachine::Run(const std::string& engine_name, std::string* message, unsigned max_exits) {
  engine_ = MakeSystemEngine(engine_name, lifter_, kNoCode);
  if (engine_ == nullptr) {
    *message = "no engine " + engine_name;
    return false;
  }
  std::vector<core::Vcpu> vcpus(harts_.size());
  std::vector<bool> waiting(harts_.size(), false);
  for (size_t i = 0; i < harts_.size(); ++i) {
    vcpus[i].state = &harts_[i]->state().cpu.hdr;
    vcpus[i].mmu = &harts_[i]->mmu().mmu();
  }
  auto next_runnable = [&](size_t from) {
    for (size_t k = 1; k <= harts_.size(); ++k) {
      size_t j = (from + k) % harts_.size();
      if (!waiting[j]) return j;
    }
    return harts_.size();
  };
  size_t cur = 0;
  for (unsigned exits = 0; exits < max_exits; ++exits) {
    core::ExitInfo e = engine_->Run(vcpus[cur]);
    bool yield = harts_.size() > 1 && e.reason == core::ExitReason::kSyscall;
    ExitAction action = HandleExit(harts_[cur]->state(), e, message);
    if (action == ExitAction::kStop) return false;
    if (action == ExitAction::kWait) {
      waiting[cur] = true;
      yield = true;
    }
    if (yield) {
      cur = next_runnable(cur);
      if (cur == harts_.size()) return true;
    }
  }
  *message = fmt::format("no wfi after {} exits; hart 0 pc {:#x}", max_exits,
                         harts_[0]->state().cpu.hdr.pc);
  return false;
}

}  // namespace polyvm::machine::riscv64::testing
