// The Unicorn runner (see unicorn_runner.h). Unicorn runs the guest in machine mode with the FPU
// off; the constructor turns the FPU on (mstatus.FS) and saves that CPU state, which every run
// restores first (this also clears the LR reservation left by the previous case).
#include "unicorn_runner.h"

#include <unicorn/unicorn.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "values.h"

namespace polyvm::diff {

namespace {

constexpr uint64_t kOnes = 0xffffffff00000000ull;
constexpr uint64_t kMstatusFs = 3ull << 13;
constexpr uint64_t kFflagsNv = 0x10;

// RISC-V exception causes (privileged spec, table 3.6) as Unicorn's interrupt hook reports them.
constexpr uint32_t kCauseIllegal = 2, kCauseBreakpoint = 3, kCauseLoadMisaligned = 4,
                   kCauseLoadFault = 5, kCauseStoreMisaligned = 6, kCauseStoreFault = 7;

void Check(uc_err e, const char* what) {
  if (e != UC_ERR_OK) throw std::runtime_error(std::string(what) + ": " + uc_strerror(e));
}

struct Fp {
  uint64_t bits;
  bool single;
  bool IsNaN() const {
    return single ? (bits & 0x7f800000) == 0x7f800000 && (bits & 0x007fffff) != 0
                  : (bits & 0x7ff0000000000000) == 0x7ff0000000000000 &&
                        (bits & 0x000fffffffffffff) != 0;
  }
  bool IsSNaN() const {
    return IsNaN() && (bits & (single ? 0x00400000 : 0x0008000000000000)) == 0;
  }
  bool IsQNaN() const { return IsNaN() && !IsSNaN(); }
  bool IsInf() const {
    return single ? (bits & 0x7fffffff) == 0x7f800000 : (bits & ~f64::kNegZero) == f64::kInf;
  }
  bool IsZero() const { return single ? (bits & 0x7fffffff) == 0 : (bits & ~f64::kNegZero) == 0; }
};

}  // namespace

struct UnicornHooks {
  static void Code(uc_engine*, uint64_t address, uint32_t, void* self) {
    static_cast<UnicornRunner*>(self)->OnCode(address);
  }
  static void Interrupt(uc_engine* uc, uint32_t intno, void* self) {
    auto* r = static_cast<UnicornRunner*>(self);
    r->intno_ = static_cast<int>(intno);
    uc_reg_read(uc, UC_RISCV_REG_PC, &r->intr_pc_);
    uc_emu_stop(uc);
  }
  static bool Unmapped(uc_engine*, uc_mem_type, uint64_t address, int, int64_t, void* self) {
    auto* r = static_cast<UnicornRunner*>(self);
    r->unmapped_ = true;
    r->fault_addr_ = address;
    return false;
  }
};

UnicornRunner::UnicornRunner(bool adapt) : adapt_(adapt) {
  Check(uc_open(UC_ARCH_RISCV, UC_MODE_RISCV64, &uc_), "uc_open");
  Check(uc_mem_map(uc_, kCodeBase, kCodeMax, UC_PROT_ALL), "map code");
  Check(uc_mem_map(uc_, kDataBase, kDataSize, UC_PROT_READ | UC_PROT_WRITE), "map data");
  uint64_t mstatus = 0;
  Check(uc_reg_read(uc_, UC_RISCV_REG_MSTATUS, &mstatus), "read mstatus");
  mstatus |= kMstatusFs;
  Check(uc_reg_write(uc_, UC_RISCV_REG_MSTATUS, &mstatus), "enable the FPU");
  uc_hook h;
  Check(uc_hook_add(uc_, &h, UC_HOOK_CODE, reinterpret_cast<void*>(&UnicornHooks::Code), this,
                    kCodeBase, kCodeBase + kCodeMax - 1),
        "code hook");
  Check(uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&UnicornHooks::Interrupt), this,
                    1, 0),
        "interrupt hook");
  Check(uc_hook_add(uc_, &h, UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(&UnicornHooks::Unmapped),
                    this, 1, 0),
        "unmapped hook");
  Check(uc_context_alloc(uc_, &reset_), "context alloc");
  Check(uc_context_save(uc_, reset_), "context save");
}

UnicornRunner::~UnicornRunner() {
  if (reset_ != nullptr) uc_context_free(reset_);
  if (uc_ != nullptr) uc_close(uc_);
}

uint64_t UnicornRunner::F(unsigned r) {
  uint64_t v = 0;
  uc_reg_read(uc_, UC_RISCV_REG_F0 + static_cast<int>(r), &v);
  return v;
}

uint64_t UnicornRunner::X(unsigned r) {
  uint64_t v = 0;
  uc_reg_read(uc_, UC_RISCV_REG_X0 + static_cast<int>(r), &v);
  return v;
}

void UnicornRunner::SetF(unsigned r, uint64_t v) {
  uc_reg_write(uc_, UC_RISCV_REG_F0 + static_cast<int>(r), &v);
}

void UnicornRunner::OnCode(uint64_t pc) {
  After(true);
  last_pc_ = pc;
  if (pc == case_->end_pc) return;
  const InsnInfo* insn = case_->InsnAt(pc);
  if (insn == nullptr) {
    unknown_pc_ = true;
    uc_emu_stop(uc_);
    return;
  }
  Before(*insn);
}

void UnicornRunner::Before(const InsnInfo& insn) {
  pending_ = PendingState{};
  pending_.insn = &insn;
  if (!adapt_ || insn.form == nullptr) return;
  const Form& f = *insn.form;
  unsigned srcs[3];
  unsigned n = 0;
  if (f.rs1 == Rc::kF) srcs[n++] = insn.rs1;
  if (f.rs2 == Rc::kF) srcs[n++] = insn.rs2;
  if (f.rs3 == Rc::kF) srcs[n++] = insn.rs3;
  bool single = f.Has(kSrcS);
  if (single) {
    for (unsigned k = 0; k < n; ++k) {
      unsigned r = srcs[k];
      uint64_t v = F(r);
      if ((v & kOnes) == kOnes) continue;  // boxed (or already replaced: same register twice)
      pending_.restore[pending_.restore_count++] = {r, v};
      SetF(r, Box(f32::kQNaN));
      Count(QuirkId::kNanBoxInput);
    }
  }
  pending_.box_rd = f.Has(kDstS) && f.rd == Rc::kF;
  auto operand = [&](unsigned k) {
    uint64_t v = F(srcs[k]);
    return Fp{single ? v & 0xffffffff : v, single};
  };
  if (f.Has(kMinMax)) {
    Fp a = operand(0), b = operand(1);
    if (a.IsSNaN() != b.IsSNaN() && !(a.IsNaN() && b.IsNaN())) {
      uint64_t other = a.IsSNaN() ? b.bits : a.bits;
      pending_.force_rd = true;
      pending_.forced = single ? Box(static_cast<uint32_t>(other)) : other;
    }
  }
  if (f.Has(kAmoMinMaxW)) {
    // The manual's 32-bit comparison; the runner replaces the word Unicorn stores if it differs.
    uint64_t addr = X(insn.rs1);
    uint32_t old = 0;
    if (addr % 4 == 0 && uc_mem_read(uc_, addr, &old, 4) == UC_ERR_OK) {
      auto b = static_cast<uint32_t>(X(insn.rs2));
      auto sa = static_cast<int32_t>(old), sb = static_cast<int32_t>(b);
      uint32_t v = 0;
      if (f.name == "amomin.w") v = static_cast<uint32_t>(std::min(sa, sb));
      if (f.name == "amomax.w") v = static_cast<uint32_t>(std::max(sa, sb));
      if (f.name == "amominu.w") v = std::min(old, b);
      if (f.name == "amomaxu.w") v = std::max(old, b);
      pending_.amo_fix = true;
      pending_.amo_addr = addr;
      pending_.amo_value = v;
    }
  }
  if (f.Has(kFmaOp)) {
    Fp a = operand(0), b = operand(1), c = operand(2);
    if (((a.IsInf() && b.IsZero()) || (a.IsZero() && b.IsInf())) && c.IsQNaN())
      pending_.set_nv = true;
  }
}

void UnicornRunner::After(bool completed) {
  const InsnInfo* insn = pending_.insn;
  if (insn == nullptr) return;
  bool writes_f = insn->form != nullptr && insn->form->rd == Rc::kF;
  for (unsigned k = 0; k < pending_.restore_count; ++k) {
    auto [r, v] = pending_.restore[k];
    if (!completed || !writes_f || insn->rd != r) SetF(r, v);
  }
  if (completed) {
    if (pending_.force_rd && F(insn->rd) != pending_.forced) {
      SetF(insn->rd, pending_.forced);
      Count(QuirkId::kFminFmaxSnan);
    }
    if (pending_.box_rd) {
      uint64_t v = F(insn->rd);
      if ((v & kOnes) != kOnes) {
        SetF(insn->rd, v | kOnes);
        Count(QuirkId::kNanBoxResult);
      }
    }
    if (pending_.amo_fix) {
      uint32_t now = 0;
      uc_mem_read(uc_, pending_.amo_addr, &now, 4);
      if (now != pending_.amo_value) {
        uc_mem_write(uc_, pending_.amo_addr, &pending_.amo_value, 4);
        Count(QuirkId::kAmoMinMaxW);
      }
    }
    if (pending_.set_nv) {
      uint64_t fflags = 0;
      uc_reg_read(uc_, UC_RISCV_REG_FFLAGS, &fflags);
      if ((fflags & kFflagsNv) == 0) {
        fflags |= kFflagsNv;
        uc_reg_write(uc_, UC_RISCV_REG_FFLAGS, &fflags);
        Count(QuirkId::kFmaInfZeroQnan);
      }
    }
  }
  pending_ = PendingState{};
}

Outcome UnicornRunner::Run(const Case& c) {
  Outcome o;
  if (c.code.size() > kCodeMax) {
    o.detail = "code larger than the code page";
    return o;
  }
  Check(uc_context_restore(uc_, reset_), "context restore");
  std::vector<uint8_t> page(kCodeMax, 0);
  std::memcpy(page.data(), c.code.data(), c.code.size());
  Check(uc_mem_write(uc_, kCodeBase, page.data(), page.size()), "write code");
  Check(uc_ctl_remove_cache(uc_, kCodeBase, kCodeBase + kCodeMax), "flush translations");
  Check(uc_mem_write(uc_, kDataBase, c.data.data(), kDataSize), "write data");
  for (int i = 1; i < 32; ++i)
    Check(uc_reg_write(uc_, UC_RISCV_REG_X0 + i, &c.init.x[i]), "write x");
  for (int i = 0; i < 32; ++i)
    Check(uc_reg_write(uc_, UC_RISCV_REG_F0 + i, &c.init.f[i]), "write f");
  uint64_t fcsr = c.init.fcsr;
  Check(uc_reg_write(uc_, UC_RISCV_REG_FCSR, &fcsr), "write fcsr");

  case_ = &c;
  last_pc_ = kCodeBase;
  intno_ = -1;
  unmapped_ = false;
  unknown_pc_ = false;
  pending_ = PendingState{};
  // No case has a backward branch: the count and time limits only catch harness bugs.
  uc_err err = uc_emu_start(uc_, kCodeBase, c.end_pc, 5'000'000, 100'000);
  uint64_t pc = 0;
  uc_reg_read(uc_, UC_RISCV_REG_PC, &pc);

  if (unknown_pc_) {
    After(false);
    o.stop = Stop::kError;
    o.pc = last_pc_;
    o.detail = "execution reached an address that is not an instruction of the case";
  } else if (err == UC_ERR_OK && intno_ < 0 && !unmapped_) {
    if (pc == c.end_pc) {
      After(true);
      o.stop = Stop::kEnd;
    } else {
      After(false);
      o.stop = Stop::kTimeout;
    }
    o.pc = pc;
  } else {
    // Where it stopped: Unicorn's RISC-V target adds 4 to pc before calling the interrupt hook
    // (whatever the instruction's length); for ebreak and unmapped accesses pc is the instruction.
    // The code hook does not run for an instruction that fails to decode, so the last hooked
    // instruction completed unless it is the one that stopped.
    o.pc = intno_ >= 0 ? intr_pc_ - 4 : pc;
    After(/*completed=*/last_pc_ != o.pc);
    if (intno_ >= 0) {
      switch (static_cast<uint32_t>(intno_)) {
        case kCauseIllegal: o.stop = Stop::kIllegal; break;
        case kCauseBreakpoint: o.stop = Stop::kBreakpoint; break;
        case kCauseLoadMisaligned:
        case kCauseStoreMisaligned: o.stop = Stop::kMisaligned; break;
        case kCauseLoadFault:
        case kCauseStoreFault: o.stop = Stop::kMemFault; break;
        default: o.stop = Stop::kError; break;
      }
      o.detail = "exception cause " + std::to_string(intno_);
    } else if (unmapped_ || err == UC_ERR_READ_UNMAPPED || err == UC_ERR_WRITE_UNMAPPED) {
      o.stop = Stop::kMemFault;
      o.detail = "unmapped access";
    } else if (err == UC_ERR_INSN_INVALID) {
      o.stop = Stop::kBreakpoint;  // Unicorn's RISC-V target reports ebreak this way
    } else {
      o.stop = Stop::kError;
      o.detail = uc_strerror(err);
    }
  }
  for (int i = 1; i < 32; ++i) uc_reg_read(uc_, UC_RISCV_REG_X0 + i, &o.regs.x[i]);
  for (int i = 0; i < 32; ++i) uc_reg_read(uc_, UC_RISCV_REG_F0 + i, &o.regs.f[i]);
  uint64_t out_fcsr = 0;
  uc_reg_read(uc_, UC_RISCV_REG_FCSR, &out_fcsr);
  o.regs.fcsr = static_cast<uint32_t>(out_fcsr);
  o.data.resize(kDataSize);
  uc_mem_read(uc_, kDataBase, o.data.data(), kDataSize);
  case_ = nullptr;
  return o;
}

}  // namespace polyvm::diff
