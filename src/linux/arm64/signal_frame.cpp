// Building and restoring the arm64 rt_sigframe (setup_rt_frame / sys_rt_sigreturn of
// arch/arm64/kernel/signal.c), without SVE, SME or the extra_context spill area.
#include "signal_frame.h"

#include <errno.h>
#include <signal.h>

#include <cstring>
#include <memory>

#include "polyvm/frontend/arm64/state.h"
#include "polyvm/mem/guest_access.h"

namespace polyvm::linux::arm64 {

using frontend::arm64::Arm64State;

namespace {

constexpr unsigned kFp = 29, kLr = 30;

// Where the kernel keeps the fault address: set by data aborts (SIGSEGV, SIGBUS), 0 otherwise
// (the kernel leaves the previous value of a thread's last fault there; 0 is what a fresh
// thread shows).
uint64_t FaultAddress(const SignalFrameRequest& req) {
  if (req.info == nullptr || req.info->code <= 0) return 0;
  if (req.signo != SIGSEGV && req.signo != SIGBUS) return 0;
  return req.info->u.fault.addr;
}

// ESR_EL1 fields (Arm ARM; the names of arch/arm64/include/asm/esr.h).
constexpr uint64_t kEcShift = 26;
constexpr uint64_t kEcDataAbortLowerEl = 0x24;
constexpr uint64_t kEcInsnAbortLowerEl = 0x20;
constexpr uint64_t kIl = uint64_t{1} << 25;
constexpr uint64_t kWnR = uint64_t{1} << 6;
constexpr uint64_t kFscTranslationL3 = 0x07;
constexpr uint64_t kFscPermissionL3 = 0x0f;
constexpr uint64_t kFscFault = 0x04;  // ESR_ELx_FSC_FAULT, for sanitised reports
constexpr uint64_t kUserAddressLimit = uint64_t{1} << 48;  // TASK_SIZE with 48-bit VAs

}  // namespace

uint64_t FaultEsr(const FaultDescription& fault) {
  const bool fetch = fault.access == core::MemAccess::kFetch;
  uint64_t esr = ((fetch ? kEcInsnAbortLowerEl : kEcDataAbortLowerEl) << kEcShift) | kIl;
  if (fault.access == core::MemAccess::kWrite) esr |= kWnR;
  if (fault.addr >= kUserAddressLimit) return esr | kFscFault;  // set_thread_esr()'s sanitising
  return esr | (fault.present ? kFscPermissionL3 : kFscTranslationL3);
}

int SetupFrame(const mem::AddressSpace& as, Arm64State* s, const SignalFrameRequest& req) {
  // get_sigframe(): a frame record below the chosen sp, then the rt_sigframe below it, both
  // 16-byte aligned (sizeof(RtSigFrame) is a multiple of 16).
  const uint64_t record_addr = (req.frame_sp - sizeof(FrameRecord)) & ~uint64_t{15};
  const uint64_t frame_addr = record_addr - sizeof(RtSigFrame);

  // 4.6 KiB: on the heap, value-initialised (all zero: every byte is a field), so no host bytes
  // reach the guest.
  auto f = std::make_unique<RtSigFrame>();
  if (req.info) f->info = *req.info;
  f->uc.ss_sp = req.altstack.sp;
  f->uc.ss_flags = req.altstack.flags;
  f->uc.ss_size = req.altstack.size;
  f->uc.uc_sigmask = req.saved_mask;
  SigContext& sc = f->uc.uc_mcontext;
  sc.fault_address = FaultAddress(req);
  std::memcpy(sc.regs, s->x, sizeof sc.regs);
  sc.sp = s->sp;
  sc.pc = s->hdr.pc;
  sc.pstate = frontend::arm64::GetNzcv(*s);  // EL0t: mode and mask bits are 0

  FpsimdContext fp;
  std::memset(&fp, 0, sizeof fp);
  fp.head = {kFpsimdMagic, sizeof(FpsimdContext)};
  fp.fpsr = frontend::arm64::GetFpsr(*s);
  fp.fpcr = s->fpcr;
  std::memcpy(fp.vregs, s->q, sizeof fp.vregs);
  std::memcpy(sc.reserved, &fp, sizeof fp);
  // setup_sigframe_layout(): esr_context follows fpsimd_context whenever the thread has a fault
  // code (Linux keeps it until the next fault or undefined instruction, so a later signal of
  // another kind records it too).
  if (req.fault_code != 0) {
    const EsrContext esr = {{kEsrMagic, sizeof(EsrContext)}, req.fault_code};
    std::memcpy(sc.reserved + sizeof fp, &esr, sizeof esr);
  }
  // The terminating {0, 0} record follows; the zeroed frame already holds it.

  const FrameRecord record = {s->x[kFp], s->x[kLr]};
  if (mem::CopyToGuest(as, frame_addr, f.get(), sizeof *f) != 0) return -EFAULT;
  if (mem::CopyToGuest(as, record_addr, &record, sizeof record) != 0) return -EFAULT;

  // setup_return(): x0 = signo, sp = frame, x29 = the frame record, lr = the restorer.
  s->x[0] = static_cast<uint64_t>(req.signo);
  if (req.siginfo) {
    s->x[1] = frame_addr + offsetof(RtSigFrame, info);
    s->x[2] = frame_addr + offsetof(RtSigFrame, uc);
  }
  s->sp = frame_addr;
  s->x[kFp] = record_addr;
  s->x[kLr] = req.restorer;
  s->hdr.pc = req.handler;
  return 0;
}

int RestoreFrame(const mem::AddressSpace& as, Arm64State* s, uint64_t* mask, AltStack* altstack) {
  // The frame was stacked on a 16-byte boundary: anything else is not one of ours.
  if (s->sp & 15) return -EFAULT;
  auto f = std::make_unique<RtSigFrame>();
  if (mem::CopyFromGuest(as, f.get(), s->sp, sizeof *f) != 0) return -EFAULT;
  const SigContext& sc = f->uc.uc_mcontext;

  // parse_user_sigframe(): the records must be well formed and hold exactly one fpsimd_context;
  // esr_context is ignored, anything polyvm never writes (SVE, extra_context) is refused.
  const FpsimdContext* fp = nullptr;
  size_t off = 0;
  for (;;) {
    if (off + sizeof(CtxHeader) > sizeof sc.reserved) return -EFAULT;
    CtxHeader head;
    std::memcpy(&head, sc.reserved + off, sizeof head);
    if (head.magic == 0) {
      if (head.size != 0) return -EFAULT;
      break;
    }
    if (head.size < sizeof head || head.size % 16 != 0 || head.size > sizeof sc.reserved - off) {
      return -EFAULT;
    }
    if (head.magic == kFpsimdMagic) {
      if (fp != nullptr || head.size != sizeof(FpsimdContext)) return -EFAULT;
      fp = reinterpret_cast<const FpsimdContext*>(sc.reserved + off);
    } else if (head.magic != kEsrMagic) {
      return -EFAULT;
    }
    off += head.size;
  }
  if (fp == nullptr) return -EFAULT;

  std::memcpy(s->x, sc.regs, sizeof s->x);
  s->sp = sc.sp;
  s->hdr.pc = sc.pc;
  frontend::arm64::SetNzcv(*s, sc.pstate);
  uint32_t fpsr, fpcr;
  std::memcpy(&fpsr, &fp->fpsr, sizeof fpsr);
  std::memcpy(&fpcr, &fp->fpcr, sizeof fpcr);
  frontend::arm64::SetFpsr(*s, fpsr);
  frontend::arm64::SetFpcr(*s, fpcr);
  std::memcpy(s->q, fp->vregs, sizeof s->q);
  *mask = f->uc.uc_sigmask;
  altstack->sp = f->uc.ss_sp;
  altstack->flags = f->uc.ss_flags;
  altstack->size = f->uc.ss_size;
  return 0;
}

}  // namespace polyvm::linux::arm64
