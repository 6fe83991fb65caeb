// The riscv64 Linux ABI: ELF identity, HWCAP, syscall registers (a7, a0..a5), the initial thread
// state, the rt_sigframe and the sigreturn trampoline (riscv has no SA_RESTORER: Linux returns
// through the vDSO; polyvm maps a page holding `li a7, 139; ecall`).
#include <elf.h>
#include <errno.h>
#include <signal.h>

#include <cstring>

#include "polyvm/frontend/riscv64/state.h"
#include "polyvm/linux/abi.h"
#include "polyvm/linux/guest_structs.h"
#include "polyvm/linux/syscall_table.h"
#include "polyvm/mem/guest_access.h"
#include "signal_frame.h"

namespace polyvm::linux {

namespace {

using frontend::riscv64::Riscv64State;

constexpr unsigned kSp = 2, kTp = 4, kA0 = 10, kA7 = 17, kRa = 1;

// COMPAT_HWCAP_ISA_* of arch/riscv/include/asm/hwcap.h: one bit per single-letter extension.
constexpr uint64_t IsaBit(char c) { return uint64_t{1} << (c - 'A'); }
constexpr uint64_t kHwCap =
    IsaBit('I') | IsaBit('M') | IsaBit('A') | IsaBit('F') | IsaBit('D') | IsaBit('C');

// li a7, 139 (addi a7, zero, __NR_rt_sigreturn); ecall
constexpr uint8_t kTrampoline[] = {0x93, 0x08, 0xb0, 0x08, 0x73, 0x00, 0x00, 0x00};

// RISC-V fflags (NV DZ OF UF NX, bit 4..0) <-> ir::FpFlags (Invalid..Inexact, bit 0..4).
uint32_t ReverseFiveBits(uint32_t v) {
  uint32_t r = 0;
  for (int i = 0; i < 5; ++i) {
    if (v & (1u << i)) r |= 1u << (4 - i);
  }
  return r;
}

Riscv64State* S(core::CpuHeader* h) { return reinterpret_cast<Riscv64State*>(h); }
const Riscv64State* S(const core::CpuHeader* h) { return reinterpret_cast<const Riscv64State*>(h); }

constexpr char kCpuInfo[] =
    "processor\t: 0\n"
    "hart\t\t: 0\n"
    "isa\t\t: rv64imafdc_zicsr_zifencei_zba_zbb_zbs\n"
    "mmu\t\t: sv39\n"
    "uarch\t\t: polyvm\n"
    "\n";

class Riscv64AbiImpl final : public GuestAbi {
 public:
  std::string_view Name() const override { return "riscv64"; }
  uint16_t ElfMachine() const override { return EM_RISCV; }
  std::string_view ElfMachineName() const override { return "riscv64 (EM_RISCV)"; }
  const char* RejectElfFlags(uint32_t e_flags) const override {
    if (e_flags & EF_RISCV_RVE) return "an RV32E/RV64E (embedded) program: polyvm runs RV64G";
    if ((e_flags & EF_RISCV_FLOAT_ABI) == EF_RISCV_FLOAT_ABI_QUAD) {
      return "a quad-float ABI program: polyvm implements F and D, not Q";
    }
    return nullptr;
  }
  uint64_t HwCap() const override { return kHwCap; }
  std::string_view CpuInfo() const override { return {kCpuInfo, sizeof kCpuInfo - 1}; }

  size_t StateSize() const override { return sizeof(Riscv64State); }
  void InitProcessState(core::CpuHeader* h, uint64_t entry, uint64_t sp) const override {
    Riscv64State* s = S(h);
    std::memset(s->x, 0, sizeof s->x);
    std::memset(s->f, 0, sizeof s->f);
    s->frm = 0;
    h->fp_round = 0;
    h->fp_flags = 0;
    h->pc = entry;
    s->x[kSp] = sp;
  }
  uint64_t GetSp(const core::CpuHeader* h) const override { return S(h)->x[kSp]; }
  void SetSp(core::CpuHeader* h, uint64_t sp) const override { S(h)->x[kSp] = sp; }
  void SetTp(core::CpuHeader* h, uint64_t tp) const override { S(h)->x[kTp] = tp; }
  void CopyState(core::CpuHeader* dst, const core::CpuHeader* src) const override {
    Riscv64State* d = S(dst);
    const Riscv64State* s = S(src);
    std::memcpy(d->x, s->x, sizeof d->x);
    std::memcpy(d->f, s->f, sizeof d->f);
    d->frm = s->frm;
    dst->pc = src->pc;
    dst->fp_round = src->fp_round;
    dst->fp_flags = src->fp_flags;
  }

  const SyscallTable& Syscalls() const override { return Riscv64SyscallTable(); }
  SyscallArgs GetSyscall(const core::CpuHeader* h) const override {
    const Riscv64State* s = S(h);
    SyscallArgs a;
    a.nr = s->x[kA7];
    for (int i = 0; i < 6; ++i) a.arg[i] = s->x[kA0 + i];
    return a;
  }
  void SetSyscallResult(core::CpuHeader* h, int64_t result) const override {
    S(h)->x[kA0] = static_cast<uint64_t>(result);
  }
  uint32_t SyscallInsnLength() const override { return 4; }
  bool CloneTlsBeforeCtid() const override { return true; }
  std::span<const FlagPair> OpenFlags() const override { return GenericOpenFlags(); }

  std::span<const uint8_t> SigreturnTrampoline() const override { return kTrampoline; }
  bool HasSaRestorer() const override { return false; }
  uint64_t MinSigStackSize() const override { return 2048; }

  int SetupSignalFrame(const mem::AddressSpace& as, core::CpuHeader* h,
                       const SignalFrameRequest& req) const override {
    Riscv64State* s = S(h);
    // get_sigframe(): below the chosen stack pointer, 16-byte aligned (riscv has no red zone).
    const uint64_t frame_addr = (req.frame_sp - sizeof(riscv64::RtSigFrame)) & ~uint64_t{15};
    riscv64::RtSigFrame f{};  // every byte is a field: no padding to leak host data through
    if (req.info) f.info = *req.info;
    f.uc.ss_sp = req.altstack.sp;
    f.uc.ss_flags = req.altstack.flags;
    f.uc.ss_size = req.altstack.size;
    f.uc.uc_sigmask = req.saved_mask;
    riscv64::SigContext& sc = f.uc.uc_mcontext;
    sc.regs[0] = h->pc;
    for (int i = 1; i < 32; ++i) sc.regs[i] = s->x[i];
    std::memcpy(sc.fpregs, s->f, sizeof sc.fpregs);
    sc.fcsr = (s->frm & 7) << 5 | ReverseFiveBits(h->fp_flags & 31);
    if (mem::CopyToGuest(as, frame_addr, &f, sizeof f) != 0) return -EFAULT;
    h->pc = req.handler;
    s->x[kRa] = req.restorer;
    s->x[kSp] = frame_addr;
    s->x[kA0] = static_cast<uint64_t>(req.signo);
    s->x[kA0 + 1] = frame_addr + offsetof(riscv64::RtSigFrame, info);
    s->x[kA0 + 2] = frame_addr + offsetof(riscv64::RtSigFrame, uc);
    return 0;
  }

  int RestoreSignalFrame(const mem::AddressSpace& as, core::CpuHeader* h, uint64_t* mask,
                         AltStack* altstack) const override {
    Riscv64State* s = S(h);
    riscv64::RtSigFrame f;
    if (mem::CopyFromGuest(as, &f, s->x[kSp], sizeof f) != 0) return -EFAULT;
    const riscv64::SigContext& sc = f.uc.uc_mcontext;
    h->pc = sc.regs[0];
    for (int i = 1; i < 32; ++i) s->x[i] = sc.regs[i];
    std::memcpy(s->f, sc.fpregs, sizeof s->f);
    s->frm = (sc.fcsr >> 5) & 7;
    h->fp_round = s->frm <= 4 ? s->frm : 0;
    h->fp_flags = ReverseFiveBits(sc.fcsr & 31);
    *mask = f.uc.uc_sigmask;
    altstack->sp = f.uc.ss_sp;
    altstack->flags = f.uc.ss_flags;
    altstack->size = f.uc.ss_size;
    return 0;
  }
};

}  // namespace

const GuestAbi& Riscv64Abi() {
  static const Riscv64AbiImpl abi;
  return abi;
}

}  // namespace polyvm::linux
