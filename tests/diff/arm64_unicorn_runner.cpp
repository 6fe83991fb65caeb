// The Unicorn side of the AArch64 differential tests. Unicorn runs the code at EL1 with the "max"
// CPU; the forms stay clear of what differs from EL0 under Linux (ID and timer registers, PAC and
// WFI hints).
#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <cstring>
#include <stdexcept>

#include "arm64_runners.h"

namespace polyvm::diff {
namespace {

// QEMU's exception numbers (target/arm/cpu.h) as Unicorn reports them to the interrupt hook.
constexpr uint32_t kExcpUdef = 1;
constexpr uint32_t kExcpDataAbort = 4;
constexpr uint32_t kExcpBkpt = 7;

struct RunState {
  int intno = -1;
};

void OnInterrupt(uc_engine* uc, uint32_t intno, void* user) {
  static_cast<RunState*>(user)->intno = static_cast<int>(intno);
  uc_emu_stop(uc);
}

void Check(uc_err e, const char* what) {
  if (e != UC_ERR_OK) throw std::runtime_error(fmt::format("unicorn {}: {}", what, uc_strerror(e)));
}

// One Unicorn instance per case. Restoring a saved context is not enough: an exception taken in
// one case leaves state outside the saved CPU context (the exception level's SPSR/ELR/vector
// state, translation flags cached with the code, FP traps) that leaks into the next case and
// made later cases of a profile fail or pass depending on what ran before them.
class UnicornInstance {
 public:
  UnicornInstance() {
    Check(uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc_), "open");
    Check(uc_ctl_set_cpu_model(uc_, UC_CPU_ARM64_MAX), "cpu model");
    Check(uc_mem_map(uc_, kCodeBase, kCodeMax, UC_PROT_ALL), "map code");
    Check(uc_mem_map(uc_, kDataBase, kDataSize, UC_PROT_READ | UC_PROT_WRITE), "map data");
  }
  ~UnicornInstance() { uc_close(uc_); }
  UnicornInstance(const UnicornInstance&) = delete;
  UnicornInstance& operator=(const UnicornInstance&) = delete;
  uc_engine* get() const { return uc_; }

 private:
  uc_engine* uc_ = nullptr;
};

}  // namespace

A64Outcome A64UnicornRunner::Run(const A64Case& c) {
  A64Outcome o;
  UnicornInstance instance;
  uc_engine* uc = instance.get();
  std::vector<uint8_t> code(kCodeMax, 0);
  std::memcpy(code.data(), c.words.data(), c.words.size() * 4);
  Check(uc_mem_write(uc, kCodeBase, code.data(), code.size()), "write code");
  Check(uc_mem_write(uc, kDataBase, c.data.data(), kDataSize), "write data");
  for (int r = 0; r < 29; ++r) uc_reg_write(uc, UC_ARM64_REG_X0 + r, &c.init.x[r]);
  uc_reg_write(uc, UC_ARM64_REG_X29, &c.init.x[29]);
  uc_reg_write(uc, UC_ARM64_REG_X30, &c.init.x[30]);
  uc_reg_write(uc, UC_ARM64_REG_SP, &c.init.sp);
  uint64_t v = c.init.nzcv;
  uc_reg_write(uc, UC_ARM64_REG_NZCV, &v);
  for (int r = 0; r < 32; ++r) uc_reg_write(uc, UC_ARM64_REG_Q0 + r, c.init.q[r].data());
  v = c.init.fpcr;
  uc_reg_write(uc, UC_ARM64_REG_FPCR, &v);
  v = c.init.fpsr;
  uc_reg_write(uc, UC_ARM64_REG_FPSR, &v);
  uc_reg_write(uc, UC_ARM64_REG_TPIDR_EL0, &c.init.tpidr);

  RunState rs;
  uc_hook hook;
  uc_hook_add(uc, &hook, UC_HOOK_INTR, reinterpret_cast<void*>(&OnInterrupt), &rs, 1, 0);
  uc_err err = uc_emu_start(uc, kCodeBase, c.end_pc, 0, 100000);
  uc_hook_del(uc, hook);

  uint64_t pc = 0;
  uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
  o.pc = pc;
  if (rs.intno >= 0) {
    // The exception hook runs with pc already at the vector or past the instruction: the pc of
    // the instruction that raised it is what polyvm reports, so the caller compares stops only.
    o.stop = rs.intno == static_cast<int>(kExcpBkpt)        ? Stop::kBreakpoint
             : rs.intno == static_cast<int>(kExcpUdef)      ? Stop::kIllegal
             : rs.intno == static_cast<int>(kExcpDataAbort) ? Stop::kMisaligned
                                                            : Stop::kError;
    o.detail = fmt::format("exception {}", rs.intno);
  } else if (err == UC_ERR_OK) {
    o.stop = pc == c.end_pc ? Stop::kEnd : Stop::kTimeout;
  } else if (err == UC_ERR_INSN_INVALID) {
    o.stop = Stop::kIllegal;
  } else if (err == UC_ERR_READ_UNMAPPED || err == UC_ERR_WRITE_UNMAPPED ||
             err == UC_ERR_READ_PROT || err == UC_ERR_WRITE_PROT) {
    o.stop = Stop::kMemFault;
  } else {
    o.stop = Stop::kError;
    o.detail = uc_strerror(err);
  }

  for (int r = 0; r < 29; ++r) uc_reg_read(uc, UC_ARM64_REG_X0 + r, &o.regs.x[r]);
  uc_reg_read(uc, UC_ARM64_REG_X29, &o.regs.x[29]);
  uc_reg_read(uc, UC_ARM64_REG_X30, &o.regs.x[30]);
  uc_reg_read(uc, UC_ARM64_REG_SP, &o.regs.sp);
  uc_reg_read(uc, UC_ARM64_REG_NZCV, &v);
  o.regs.nzcv = static_cast<uint32_t>(v) & 0xf0000000;
  for (int r = 0; r < 32; ++r) uc_reg_read(uc, UC_ARM64_REG_Q0 + r, o.regs.q[r].data());
  v = 0;
  uc_reg_read(uc, UC_ARM64_REG_FPCR, &v);
  o.regs.fpcr = static_cast<uint32_t>(v);
  v = 0;
  uc_reg_read(uc, UC_ARM64_REG_FPSR, &v);
  o.regs.fpsr = static_cast<uint32_t>(v);
  uc_reg_read(uc, UC_ARM64_REG_TPIDR_EL0, &o.regs.tpidr);
  o.data.resize(kDataSize);
  uc_mem_read(uc, kDataBase, o.data.data(), kDataSize);
  return o;
}

}  // namespace polyvm::diff
