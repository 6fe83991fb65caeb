// A small virt-like machine for engine tests in system mode: RAM at 0x80000000 holding a flat
// program, a test device at 0x10000000, VirtHarts, and one engine (by name) running them on the
// test's thread with every exit handed to HandleExit, until every hart waits in wfi. With several
// harts, one runs at a time and an ecall switches to the next (a deterministic interleaving).
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "polyvm/core/engine.h"
#include "polyvm/core/mmio.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/machine/riscv64/hart.h"
#include "polyvm/machine/riscv64/virt_hart.h"
#include "polyvm/mem/physical_map.h"

namespace polyvm::machine::riscv64::testing {

// Registers a guest can write and read back; remembers every access.
class ScratchDevice final : public core::MmioDevice {
 public:
  struct Access {
    bool write;
    uint64_t offset;
    unsigned size;
    uint64_t value;
  };
  uint64_t Read(uint64_t offset, unsigned size) override {
    uint64_t v = offset < sizeof(regs_) / 8 * 8 ? Get(offset, size) : 0;
    log.push_back({false, offset, size, v});
    return v;
  }
  void Write(uint64_t offset, unsigned size, uint64_t value) override {
    log.push_back({true, offset, size, value});
    if (offset + size <= sizeof(regs_))
      std::memcpy(reinterpret_cast<uint8_t*>(regs_) + offset, &value, size);
  }
  std::string_view Name() const override { return "scratch"; }
  std::vector<Access> log;

 private:
  uint64_t Get(uint64_t offset, unsigned size) const {
    uint64_t v = 0;
    if (offset + size <= sizeof(regs_))
      std::memcpy(&v, reinterpret_cast<const uint8_t*>(regs_) + offset, size);
    return v;
  }
  uint64_t regs_[8] = {};
};

// Which engine runs the machine: "interp" or "jit" (as `polyvm boot` runs them), "interp_opt" or
// "jit_opt" (with the IR optimiser).
std::unique_ptr<core::ExecutionEngine> MakeSystemEngine(const std::string& name,
                                                        const ir::Lifter& lifter,
                                                        const ir::CodeReader& unused_code);

class SysMachine {
 public:
  static constexpr uint64_t kRamBase = 0x80000000;
  static constexpr uint64_t kRamSize = 4 << 20;
  static constexpr uint64_t kDeviceBase = 0x10000000;

  explicit SysMachine(const std::string& program_path, unsigned harts = 1);
  ~SysMachine();

  bool loaded() const { return loaded_; }
  // Runs until every hart is in wfi; false (and *message) if the machine stopped or ran too long.
  bool Run(const std::string& engine, std::string* message, unsigned max_exits = 100000);

  uint8_t* Ram(uint64_t pa) { return ram_ + (pa - kRamBase); }
  uint64_t Load64(uint64_t pa) {
    uint64_t v;
    std::memcpy(&v, Ram(pa), 8);
    return v;
  }
  HartState& hart(unsigned i = 0) { return harts_[i]->state(); }
  ScratchDevice& device() { return device_; }
  core::ExecutionEngine& engine() { return *engine_; }

 private:
  uint8_t* ram_ = nullptr;
  bool loaded_ = false;
  mem::PhysicalMap phys_;
  ScratchDevice device_;
  MachineClock clock_;
  std::vector<std::unique_ptr<VirtHart>> harts_;
  frontend::riscv64::Riscv64Lifter lifter_{frontend::riscv64::SystemHooks{PrivilegedHelper()}};
  std::unique_ptr<core::ExecutionEngine> engine_;
};

}  // namespace polyvm::machine::riscv64::testing
