// Runs a case in Unicorn 2 (UC_ARCH_RISCV, UC_MODE_RISCV64): code and data mapped at the case's
// addresses, x/f registers and fcsr set, emulation until the case's end pc. With adapters on, a
// per-instruction hook applies the manual's rule where unicorn_quirks.h says Unicorn deviates, and
// counts each time one changed something.
#pragma once

#include <array>
#include <cstdint>

#include "case.h"
#include "unicorn_quirks.h"

struct uc_struct;
struct uc_context;

namespace polyvm::diff {

class UnicornRunner {
 public:
  explicit UnicornRunner(bool adapt = true);
  ~UnicornRunner();
  UnicornRunner(const UnicornRunner&) = delete;
  UnicornRunner& operator=(const UnicornRunner&) = delete;

  Outcome Run(const Case& c);

  // How often each adapter changed Unicorn's state, over all runs.
  const std::array<uint64_t, static_cast<size_t>(QuirkId::kCount)>& adapted() const {
    return adapted_;
  }

 private:
  friend struct UnicornHooks;  // the C callbacks
  void OnCode(uint64_t pc);
  void Before(const InsnInfo& insn);
  void After(bool completed);
  uint64_t F(unsigned r);
  uint64_t X(unsigned r);
  void SetF(unsigned r, uint64_t v);
  void Count(QuirkId id) { ++adapted_[static_cast<size_t>(id)]; }

  bool adapt_;
  uc_struct* uc_ = nullptr;
  uc_context* reset_ = nullptr;
  std::array<uint64_t, static_cast<size_t>(QuirkId::kCount)> adapted_{};

  // Per run.
  const Case* case_ = nullptr;
  uint64_t last_pc_ = 0;
  int intno_ = -1;
  uint64_t intr_pc_ = 0;
  bool unmapped_ = false;
  uint64_t fault_addr_ = 0;
  bool unknown_pc_ = false;
  struct PendingState {
    const InsnInfo* insn = nullptr;
    unsigned restore_count = 0;
    std::array<std::pair<unsigned, uint64_t>, 3> restore{};
    bool box_rd = false;
    bool force_rd = false;
    uint64_t forced = 0;
    bool set_nv = false;
    bool amo_fix = false;
    uint64_t amo_addr = 0;
    uint32_t amo_value = 0;
  } pending_;
};

}  // namespace polyvm::diff
