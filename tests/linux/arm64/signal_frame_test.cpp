// The arm64 rt_sigframe built by Arm64Abi() read back at the offsets of the arm64 kernel and glibc
// headers (arm64_offsets.h): siginfo, ucontext, sigcontext, the fpsimd_context record and its
// terminator, esr_context after a fault, the frame record x29 points to; the ESR_EL1 values of
// memory faults; handler registers as setup_rt_frame() sets them;
// rt_sigreturn restoring (and honouring a handler's edits) and refusing malformed frames.
#include <errno.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstring>
#include <memory>

#include "arm64_offsets.h"
#include "polyvm/frontend/arm64/state.h"
#include "polyvm/linux/abi.h"
#include "polyvm/linux/signals.h"
#include "polyvm/mem/address_space.h"
#include "polyvm/mem/guest_access.h"

namespace polyvm::linux {
namespace {

using frontend::arm64::Arm64State;

constexpr uint64_t kTop = uint64_t{1} << 32;

// The guest state holds atomics (CpuHeader): copied field by field.
std::unique_ptr<Arm64State> Copy(const Arm64State& s) {
  auto c = std::make_unique<Arm64State>();
  std::memcpy(c->x, s.x, sizeof c->x);
  c->sp = s.sp;
  c->n = s.n, c->z = s.z, c->c = s.c, c->v = s.v;
  c->fpcr = s.fpcr;
  c->fpsr_rest = s.fpsr_rest;
  c->tpidr_el0 = s.tpidr_el0;
  std::memcpy(c->q, s.q, sizeof c->q);
  c->hdr.pc = s.hdr.pc;
  c->hdr.fp_round = s.hdr.fp_round;
  c->hdr.fp_flags = s.hdr.fp_flags;
  return c;
}
constexpr uint64_t kStack = 1 << 20;

class Arm64SignalFrame : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    mem::Layout l;
    l.size = kTop;
    as_ = mem::AddressSpace::Create(l, &err);
    ASSERT_TRUE(as_) << err;
    mem::MapRequest r;
    r.addr = kTop - kStack;
    r.length = kStack;
    r.prot = mem::kProtRead | mem::kProtWrite;
    r.flags = mem::kMapAnonymous | mem::kMapFixed;
    ASSERT_EQ(as_->Map(r), static_cast<int64_t>(kTop - kStack));
    s_ = std::make_unique<Arm64State>();
    for (int i = 0; i < 31; ++i) s_->x[i] = 0x1111000000000000 + uint64_t(i) * 0x0101;
    s_->sp = kTop - 0x1008;  // deliberately not 16-byte aligned
    s_->hdr.pc = 0x400abc;
    s_->n = 1;
    s_->v = 1;
    frontend::arm64::SetFpcr(*s_, 0x03c00000);  // DN, FZ, RMode = RZ
    frontend::arm64::SetFpsr(*s_, 0x08000015);  // QC, IXC, OFC, IOC
    for (int r = 0; r < 32; ++r) {
      for (int b = 0; b < 16; ++b) s_->q[r][b] = static_cast<uint8_t>(r * 16 + b);
    }
    s_->tpidr_el0 = 0x7777;
    info_.signo = SIGSEGV;
    info_.code = 1;  // SEGV_MAPERR
    info_.u.fault.addr = 0xdead0000;
  }

  SignalFrameRequest Request(bool siginfo) {
    SignalFrameRequest req;
    req.signo = SIGSEGV;
    req.info = &info_;
    req.handler = 0x401000;
    req.restorer = 0x402000;
    req.siginfo = siginfo;
    req.frame_sp = s_->sp;
    req.saved_mask = 0x8000000000000201;
    req.altstack = {0x10000, kSsDisable, 0};
    return req;
  }
  uint64_t U64(uint64_t addr) {
    uint64_t v = 0;
    EXPECT_EQ(mem::ReadGuest(*as_, addr, v), 0);
    return v;
  }
  uint32_t U32(uint64_t addr) {
    uint32_t v = 0;
    EXPECT_EQ(mem::ReadGuest(*as_, addr, v), 0);
    return v;
  }

  std::unique_ptr<mem::AddressSpace> as_;
  std::unique_ptr<Arm64State> s_;
  GuestSigInfo info_;
};

TEST_F(Arm64SignalFrame, LayoutMatchesKernelAndGlibcHeaders) {
  // glibc's ucontext_t is the kernel's struct ucontext, and mcontext_t its sigcontext.
  EXPECT_EQ(oracle::kUcMcontext, oracle::kKUcMcontext);
  EXPECT_EQ(oracle::kUcSigmask, oracle::kKUcSigmask);
  EXPECT_EQ(oracle::kMcRegs, oracle::kScRegs);
  EXPECT_EQ(oracle::kMcReserved, oracle::kScReserved);

  const auto saved = Copy(*s_);
  const Arm64State& before = *saved;
  const uint64_t old_sp = s_->sp;
  ASSERT_EQ(Arm64Abi().SetupSignalFrame(*as_, &s_->hdr, Request(true)), 0);
  const uint64_t frame = s_->sp;
  EXPECT_EQ(frame % 16, 0u);
  // The frame (siginfo + ucontext), then the 16-byte frame record, below the old sp.
  const uint64_t frame_size = static_cast<uint64_t>(oracle::kSiginfoSize + oracle::kKUcontextSize);
  EXPECT_EQ(s_->x[29], frame + frame_size);
  EXPECT_LE(frame + frame_size + 16, old_sp);
  EXPECT_GT(frame + frame_size + 32, old_sp);
  EXPECT_EQ(U64(s_->x[29]), before.x[29]);      // frame_record.fp
  EXPECT_EQ(U64(s_->x[29] + 8), before.x[30]);  // frame_record.lr

  // Handler registers (setup_return).
  EXPECT_EQ(s_->hdr.pc, 0x401000u);
  EXPECT_EQ(s_->x[30], 0x402000u);
  EXPECT_EQ(s_->x[0], static_cast<uint64_t>(SIGSEGV));
  EXPECT_EQ(s_->x[1], frame);
  EXPECT_EQ(s_->x[2], frame + static_cast<uint64_t>(oracle::kSiginfoSize));
  EXPECT_EQ(s_->x[3], before.x[3]);

  // siginfo
  EXPECT_EQ(U32(frame + oracle::kSiginfoSigno), static_cast<uint32_t>(SIGSEGV));
  EXPECT_EQ(U32(frame + oracle::kSiginfoCode), 1u);
  EXPECT_EQ(U64(frame + oracle::kSiginfoAddr), 0xdead0000u);
  // ucontext
  const uint64_t uc = frame + oracle::kSiginfoSize;
  EXPECT_EQ(U64(uc + oracle::kUcFlags), 0u);
  EXPECT_EQ(U64(uc + oracle::kUcLink), 0u);
  EXPECT_EQ(U64(uc + oracle::kUcStack + oracle::kStackSp), 0x10000u);
  EXPECT_EQ(U32(uc + oracle::kUcStack + oracle::kStackFlags), static_cast<uint32_t>(kSsDisable));
  EXPECT_EQ(U64(uc + oracle::kUcStack + oracle::kStackSize), 0u);
  EXPECT_EQ(U64(uc + oracle::kUcSigmask), 0x8000000000000201u);
  // sigcontext
  const uint64_t sc = uc + oracle::kUcMcontext;
  EXPECT_EQ(U64(sc + oracle::kScFaultAddress), 0xdead0000u);
  for (int i = 0; i < 31; ++i) EXPECT_EQ(U64(sc + oracle::kScRegs + 8 * i), before.x[i]) << i;
  EXPECT_EQ(U64(sc + oracle::kScSp), old_sp);
  EXPECT_EQ(U64(sc + oracle::kScPc), 0x400abcu);
  EXPECT_EQ(U64(sc + oracle::kScPstate), 0x90000000u);  // N and V, EL0t
  // The fpsimd_context record first in __reserved, then the {0, 0} terminator.
  const uint64_t fp = sc + oracle::kScReserved;
  EXPECT_EQ(U32(fp + oracle::kCtxMagic), static_cast<uint32_t>(oracle::kFpsimdMagic));
  EXPECT_EQ(U32(fp + oracle::kCtxSize), static_cast<uint32_t>(oracle::kFpsimdSize));
  EXPECT_EQ(U32(fp + oracle::kFpsimdFpsr), 0x08000015u);
  EXPECT_EQ(U32(fp + oracle::kFpsimdFpcr), 0x03c00000u);
  for (int r = 0; r < 32; ++r) {
    uint8_t v[16];
    ASSERT_EQ(mem::CopyFromGuest(*as_, v, fp + oracle::kFpsimdVregs + 16 * r, 16), 0);
    EXPECT_EQ(std::memcmp(v, before.q[r], 16), 0) << "v" << r;
  }
  const uint64_t end = fp + oracle::kFpsimdSize;
  EXPECT_EQ(U32(end + oracle::kCtxMagic), 0u);
  EXPECT_EQ(U32(end + oracle::kCtxSize), 0u);
}

TEST_F(Arm64SignalFrame, AFaultCodeAddsAnEsrRecordAfterFpsimd) {
  SignalFrameRequest req = Request(true);
  req.fault_code = 0x92000047;
  ASSERT_EQ(Arm64Abi().SetupSignalFrame(*as_, &s_->hdr, req), 0);
  const uint64_t rsv = s_->sp + oracle::kSiginfoSize + oracle::kUcMcontext + oracle::kScReserved;
  // setup_sigframe_layout(): fpsimd_context, then esr_context, then the terminator.
  const uint64_t esr = rsv + oracle::kFpsimdSize;
  EXPECT_EQ(U32(esr + oracle::kCtxMagic), static_cast<uint32_t>(oracle::kEsrMagic));
  EXPECT_EQ(U32(esr + oracle::kCtxSize), static_cast<uint32_t>(oracle::kEsrContextSize));
  EXPECT_EQ(U64(esr + 8), 0x92000047u);
  const uint64_t end = esr + oracle::kEsrContextSize;
  EXPECT_EQ(U32(end + oracle::kCtxMagic), 0u);
  EXPECT_EQ(U32(end + oracle::kCtxSize), 0u);
  // And sigreturn takes such a frame back.
  uint64_t mask;
  AltStack alt;
  EXPECT_EQ(Arm64Abi().RestoreSignalFrame(*as_, &s_->hdr, &mask, &alt), 0);
}

// ESR_EL1 values worked out from the Arm ARM (DDI 0487, ESR_EL1; ISS encodings for Data and
// Instruction Aborts): EC 0x24 / 0x20 (abort from a lower EL) in bits 31:26, IL (bit 25) = 1, ISV
// = 0, WnR (bit 6), and the fault status 0b000111 (translation, level 3) or 0b001111
// (permission, level 3). 0x92000047 is the value the arm64 kernel prints for a user write to an
// unmapped page ("esr 0x92000047"), 0x9200000f a read denied by permissions.
TEST(Arm64FaultSyndrome, DataAndInstructionAbortsAsEsrEl1) {
  const GuestAbi& abi = Arm64Abi();
  using core::MemAccess;
  EXPECT_EQ(abi.FaultSyndrome({MemAccess::kRead, false, 0x1000}), 0x92000007u);
  EXPECT_EQ(abi.FaultSyndrome({MemAccess::kWrite, false, 0x1000}), 0x92000047u);
  EXPECT_EQ(abi.FaultSyndrome({MemAccess::kRead, true, 0x1000}), 0x9200000fu);
  EXPECT_EQ(abi.FaultSyndrome({MemAccess::kWrite, true, 0x1000}), 0x9200004fu);
  EXPECT_EQ(abi.FaultSyndrome({MemAccess::kFetch, true, 0x1000}), 0x8200000fu);
  EXPECT_EQ(abi.FaultSyndrome({MemAccess::kFetch, false, 0x1000}), 0x82000007u);
  // Above the user range Linux's set_thread_esr() hides the fault status (ESR_ELx_FSC_FAULT).
  EXPECT_EQ(abi.FaultSyndrome({MemAccess::kWrite, false, 0xffff000000001000}), 0x92000044u);
  EXPECT_EQ(abi.FaultSyndrome({MemAccess::kFetch, true, 0xffff000000001000}), 0x82000004u);
  // riscv64 has no syndrome record.
  EXPECT_EQ(Riscv64Abi().FaultSyndrome({MemAccess::kWrite, false, 0x1000}), 0u);
}

TEST_F(Arm64SignalFrame, WithoutSaSiginfoX1AndX2AreLeftAlone) {
  const uint64_t x1 = s_->x[1], x2 = s_->x[2];
  info_.signo = SIGUSR1;
  info_.code = SI_USER;
  SignalFrameRequest req = Request(false);
  req.signo = SIGUSR1;
  ASSERT_EQ(Arm64Abi().SetupSignalFrame(*as_, &s_->hdr, req), 0);
  EXPECT_EQ(s_->x[0], static_cast<uint64_t>(SIGUSR1));
  EXPECT_EQ(s_->x[1], x1);
  EXPECT_EQ(s_->x[2], x2);
  // Not a fault: no fault address.
  EXPECT_EQ(U64(s_->sp + oracle::kSiginfoSize + oracle::kUcMcontext + oracle::kScFaultAddress), 0u);
}

TEST_F(Arm64SignalFrame, SigreturnRestoresEverythingAndHonoursTheHandlersEdits) {
  const auto saved = Copy(*s_);
  const Arm64State& before = *saved;
  ASSERT_EQ(Arm64Abi().SetupSignalFrame(*as_, &s_->hdr, Request(true)), 0);
  const uint64_t frame = s_->sp;
  const uint64_t sc = frame + oracle::kSiginfoSize + oracle::kUcMcontext;
  // The handler clobbers registers, then edits the saved context (as a SIGSEGV handler that
  // skips the faulting instruction would).
  for (int i = 0; i < 31; ++i) s_->x[i] = 0;
  frontend::arm64::SetFpcr(*s_, 0);
  std::memset(s_->q, 0xee, sizeof s_->q);
  ASSERT_EQ(mem::WriteGuest(*as_, sc + oracle::kScPc, uint64_t{0x400ac0}), 0);
  ASSERT_EQ(mem::WriteGuest(*as_, sc + oracle::kScRegs + 8 * 5, uint64_t{55}), 0);
  ASSERT_EQ(mem::WriteGuest(*as_, sc + oracle::kScPstate, uint64_t{0x60000000}), 0);  // Z, C
  ASSERT_EQ(mem::WriteGuest(*as_, sc + oracle::kScReserved + oracle::kFpsimdFpcr,
                            uint32_t{0x00800000}),  // RMode = RM
            0);
  s_->sp = frame;  // as at the trampoline's svc

  uint64_t mask = 0;
  AltStack alt;
  ASSERT_EQ(Arm64Abi().RestoreSignalFrame(*as_, &s_->hdr, &mask, &alt), 0);
  EXPECT_EQ(mask, 0x8000000000000201u);
  EXPECT_EQ(alt.sp, 0x10000u);
  EXPECT_EQ(alt.flags, kSsDisable);
  EXPECT_EQ(s_->hdr.pc, 0x400ac0u);
  for (int i = 0; i < 31; ++i) EXPECT_EQ(s_->x[i], i == 5 ? 55u : before.x[i]) << i;
  EXPECT_EQ(s_->sp, before.sp);
  EXPECT_EQ(frontend::arm64::GetNzcv(*s_), 0x60000000u);
  EXPECT_EQ(s_->fpcr, 0x00800000u);
  EXPECT_EQ(s_->hdr.fp_round, frontend::arm64::RoundingFromFpcr(0x00800000));
  EXPECT_EQ(frontend::arm64::GetFpsr(*s_), 0x08000015u);
  EXPECT_EQ(std::memcmp(s_->q, before.q, sizeof s_->q), 0);
  EXPECT_EQ(s_->tpidr_el0, 0x7777u);  // not part of the frame
}

TEST_F(Arm64SignalFrame, SigreturnAcceptsAnEsrRecordAndRefusesMalformedFrames) {
  ASSERT_EQ(Arm64Abi().SetupSignalFrame(*as_, &s_->hdr, Request(true)), 0);
  const uint64_t frame = s_->sp;
  const uint64_t rsv = frame + oracle::kSiginfoSize + oracle::kUcMcontext + oracle::kScReserved;
  const uint64_t after_fp = rsv + oracle::kFpsimdSize;
  std::vector<uint8_t> good(4096);
  ASSERT_EQ(mem::CopyFromGuest(*as_, good.data(), rsv, good.size()), 0);
  auto restore = [&]() {
    auto t = Copy(*s_);
    t->sp = frame;
    uint64_t mask;
    AltStack alt;
    return Arm64Abi().RestoreSignalFrame(*as_, &t->hdr, &mask, &alt);
  };
  auto reset = [&]() { ASSERT_EQ(mem::CopyToGuest(*as_, rsv, good.data(), good.size()), 0); };

  EXPECT_EQ(restore(), 0);
  // An esr_context (which Linux adds for faults) before the terminator is skipped.
  ASSERT_EQ(mem::WriteGuest(*as_, after_fp, uint32_t(oracle::kEsrMagic)), 0);
  ASSERT_EQ(mem::WriteGuest(*as_, after_fp + 4, uint32_t(oracle::kEsrContextSize)), 0);
  ASSERT_EQ(mem::WriteGuest(*as_, after_fp + 8, uint64_t{0x92000046}), 0);
  EXPECT_EQ(restore(), 0);
  reset();
  // Unknown (SVE) record: refused, as polyvm never wrote one.
  ASSERT_EQ(mem::WriteGuest(*as_, after_fp, uint32_t(oracle::kSveMagic)), 0);
  ASSERT_EQ(mem::WriteGuest(*as_, after_fp + 4, uint32_t{16}), 0);
  EXPECT_EQ(restore(), -EFAULT);
  reset();
  // No fpsimd record.
  ASSERT_EQ(mem::WriteGuest(*as_, rsv, uint64_t{0}), 0);
  EXPECT_EQ(restore(), -EFAULT);
  reset();
  // A record whose size runs past __reserved.
  ASSERT_EQ(mem::WriteGuest(*as_, after_fp, uint32_t(oracle::kEsrMagic)), 0);
  ASSERT_EQ(mem::WriteGuest(*as_, after_fp + 4, uint32_t{8192}), 0);
  EXPECT_EQ(restore(), -EFAULT);
  reset();
  // A wrong fpsimd size.
  ASSERT_EQ(mem::WriteGuest(*as_, rsv + 4, uint32_t{512}), 0);
  EXPECT_EQ(restore(), -EFAULT);
  reset();
  EXPECT_EQ(restore(), 0);
  // A misaligned sp is not a frame.
  auto t = Copy(*s_);
  t->sp = frame + 8;
  uint64_t mask;
  AltStack alt;
  EXPECT_EQ(Arm64Abi().RestoreSignalFrame(*as_, &t->hdr, &mask, &alt), -EFAULT);
}

TEST_F(Arm64SignalFrame, UnwritableStackIsEFAULT) {
  s_->sp = kTop - kStack + 64;  // the frame would go below the mapping
  SignalFrameRequest req = Request(true);
  req.frame_sp = s_->sp;
  EXPECT_EQ(Arm64Abi().SetupSignalFrame(*as_, &s_->hdr, req), -EFAULT);
}

}  // namespace
}  // namespace polyvm::linux
