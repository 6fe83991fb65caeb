// The arm64 Linux ABI: ELF identity, HWCAP, syscall registers (x8, x0..x5), the initial thread
// state, TPIDR_EL0 as the thread pointer, open flags, and the rt_sigframe (signal_frame.cpp).
// Linux returns from handlers through the vDSO's __kernel_rt_sigreturn; polyvm maps a page
// holding the same two instructions (`mov x8, #139; svc #0`, which unwinders recognise).
#include "polyvm/linux/abi.h"

#include <elf.h>
#include <fcntl.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "polyvm/frontend/arm64/state.h"
#include "polyvm/linux/guest_structs.h"
#include "polyvm/linux/syscall_table.h"
#include "signal_frame.h"

namespace polyvm::linux {

namespace {

using frontend::arm64::Arm64State;

// What AT_HWCAP advertises, with the names /proc/cpuinfo's "Features" line gives them
// (arch/arm64/include/uapi/asm/hwcap.h, arch/arm64/kernel/cpuinfo.c). Only what the arm64
// frontend implements and its ID registers report (src/frontend/arm64/sysregs.def,
// docs/arm64.md); glibc and libgcc pick LSE atomics, CRC32, LDAPR or ID-register reads only when
// these bits say so. No half precision, no crypto, no SVE, no event stream.
struct HwCapRow {
  uint64_t bit;
  const char* name;
};
constexpr HwCapRow kHwCaps[] = {
    {uint64_t{1} << 0, "fp"},       // HWCAP_FP
    {uint64_t{1} << 1, "asimd"},    // HWCAP_ASIMD
    {uint64_t{1} << 7, "crc32"},    // HWCAP_CRC32: ID_AA64ISAR0_EL1.CRC32 = 1
    {uint64_t{1} << 8, "atomics"},  // HWCAP_ATOMICS (LSE): ID_AA64ISAR0_EL1.Atomic = 2
    {uint64_t{1} << 11, "cpuid"},   // HWCAP_CPUID: MRS of MIDR_EL1 and the ID_AA64* registers
    {uint64_t{1} << 15, "lrcpc"},   // HWCAP_LRCPC (LDAPR): ID_AA64ISAR1_EL1.LRCPC = 1
};

constexpr uint64_t HwCapBits() {
  uint64_t v = 0;
  for (const HwCapRow& r : kHwCaps) v |= r.bit;
  return v;
}

// MIDR_EL1 as the frontend's MRS reads it (src/frontend/arm64/sysregs.def): Neoverse N1 r3p1.
constexpr uint32_t kMidr = 0x413fd0c1;

// Linux's MINSIGSTKSZ for arm64 (uapi asm/signal.h): sigaltstack refuses smaller stacks.
constexpr uint64_t kMinSigStkSz = 5120;
// AT_MINSIGSTKSZ as arch/arm64/kernel/signal.c computes it for a CPU without SVE/SME: the frame,
// its frame record and the worst-case alignment padding.
constexpr uint64_t kAuxMinSigStkSz = sizeof(arm64::RtSigFrame) + sizeof(arm64::FrameRecord) + 16;

// mov x8, #139 (__NR_rt_sigreturn); svc #0 -- little-endian words 0xd2801168, 0xd4000001.
constexpr uint8_t kTrampoline[] = {0x68, 0x11, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4};

// open/fcntl flags: arm64's asm/fcntl.h moves four of them; the rest are asm-generic's.
// Host values are the x86-64 kernel's (glibc hides O_LARGEFILE's, 0100000).
constexpr uint32_t kHostOSync = 04000000;      // __O_SYNC
constexpr uint32_t kHostOTmpfile = 020000000;  // __O_TMPFILE
constexpr uint32_t kHostOLargefile = 0100000;
constexpr FlagPair kArm64OpenFlags[] = {
    {01, O_WRONLY},
    {02, O_RDWR},
    {0100, O_CREAT},
    {0200, O_EXCL},
    {0400, O_NOCTTY},
    {01000, O_TRUNC},
    {02000, O_APPEND},
    {04000, O_NONBLOCK},
    {010000, O_DSYNC},
    {020000, FASYNC},
    {040000, O_DIRECTORY},
    {0100000, O_NOFOLLOW},
    {0200000, O_DIRECT},
    {0400000, kHostOLargefile},
    {01000000, O_NOATIME},
    {02000000, O_CLOEXEC},
    {04000000, kHostOSync},
    {010000000, O_PATH},
    {020000000, kHostOTmpfile},
};

std::string MakeCpuInfo() {
  std::string features;
  for (const HwCapRow& r : kHwCaps) {
    if (!features.empty()) features += ' ';
    features += r.name;
  }
  // The fields of the MIDR_EL1 the frontend reports (sysregs.def), as cpuinfo.c prints them.
  char midr[160];
  std::snprintf(midr, sizeof midr,
                "CPU implementer\t: 0x%02x\nCPU architecture: 8\nCPU variant\t: 0x%x\n"
                "CPU part\t: 0x%03x\nCPU revision\t: %u\n",
                (kMidr >> 24) & 0xff, (kMidr >> 20) & 0xf, (kMidr >> 4) & 0xfff, kMidr & 0xf);
  return "processor\t: 0\n"
         "BogoMIPS\t: 50.00\n"
         "Features\t: " +
         features + "\n" + midr + "\n";
}

Arm64State* S(core::CpuHeader* h) { return reinterpret_cast<Arm64State*>(h); }
const Arm64State* S(const core::CpuHeader* h) { return reinterpret_cast<const Arm64State*>(h); }

class Arm64AbiImpl final : public GuestAbi {
 public:
  std::string_view Name() const override { return "aarch64"; }
  uint16_t ElfMachine() const override { return EM_AARCH64; }
  std::string_view ElfMachineName() const override { return "aarch64 (EM_AARCH64)"; }
  const char* RejectElfFlags(uint32_t) const override { return nullptr; }  // arm64 defines none
  uint64_t HwCap() const override { return HwCapBits(); }
  const char* Platform() const override { return "aarch64"; }  // ELF_PLATFORM
  std::string_view CpuInfo() const override {
    static const std::string text = MakeCpuInfo();
    return text;
  }
  uint64_t AuxMinSigStackSize() const override { return kAuxMinSigStkSz; }

  size_t StateSize() const override { return sizeof(Arm64State); }
  void InitProcessState(core::CpuHeader* h, uint64_t entry, uint64_t sp) const override {
    // start_thread(): every register 0 (ELF_PLAT_INIT clears x0), EL0t, FPCR and FPSR 0.
    Arm64State* s = S(h);
    std::memset(s->x, 0, sizeof s->x);
    std::memset(s->q, 0, sizeof s->q);
    s->n = s->z = s->c = s->v = 0;
    frontend::arm64::SetFpcr(*s, 0);
    frontend::arm64::SetFpsr(*s, 0);
    s->tpidr_el0 = 0;
    s->tpidrro_el0 = 0;
    s->sp = sp;
    h->pc = entry;
  }
  uint64_t GetSp(const core::CpuHeader* h) const override { return S(h)->sp; }
  void SetSp(core::CpuHeader* h, uint64_t sp) const override { S(h)->sp = sp; }
  void SetTp(core::CpuHeader* h, uint64_t tp) const override { S(h)->tpidr_el0 = tp; }
  void CopyState(core::CpuHeader* dst, const core::CpuHeader* src) const override {
    Arm64State* d = S(dst);
    const Arm64State* s = S(src);
    std::memcpy(d->x, s->x, sizeof d->x);
    d->sp = s->sp;
    d->n = s->n, d->z = s->z, d->c = s->c, d->v = s->v;
    d->fpcr = s->fpcr;
    d->fpsr_rest = s->fpsr_rest;
    d->tpidr_el0 = s->tpidr_el0;
    d->tpidrro_el0 = s->tpidrro_el0;
    std::memcpy(d->q, s->q, sizeof d->q);
    dst->pc = src->pc;
    dst->fp_round = src->fp_round;
    dst->fp_flags = src->fp_flags;
  }

  const SyscallTable& Syscalls() const override { return Arm64SyscallTable(); }
  SyscallArgs GetSyscall(const core::CpuHeader* h) const override {
    const Arm64State* s = S(h);
    SyscallArgs a;
    a.nr = s->x[8];
    for (int i = 0; i < 6; ++i) a.arg[i] = s->x[i];
    return a;
  }
  void SetSyscallResult(core::CpuHeader* h, int64_t result) const override {
    S(h)->x[0] = static_cast<uint64_t>(result);
  }
  uint32_t SyscallInsnLength() const override { return 4; }  // svc #0
  bool CloneTlsBeforeCtid() const override { return true; }  // (flags, stack, ptid, tls, ctid)
  std::span<const FlagPair> OpenFlags() const override { return kArm64OpenFlags; }

  std::span<const uint8_t> SigreturnTrampoline() const override { return kTrampoline; }
  bool HasSaRestorer() const override { return true; }  // arm64 defines SA_RESTORER
  uint64_t MinSigStackSize() const override { return kMinSigStkSz; }

  int SetupSignalFrame(const mem::AddressSpace& as, core::CpuHeader* h,
                       const SignalFrameRequest& req) const override {
    return arm64::SetupFrame(as, S(h), req);
  }
  int RestoreSignalFrame(const mem::AddressSpace& as, core::CpuHeader* h, uint64_t* mask,
                         AltStack* altstack) const override {
    return arm64::RestoreFrame(as, S(h), mask, altstack);
  }
  uint64_t FaultSyndrome(const FaultDescription& fault) const override {
    return arm64::FaultEsr(fault);
  }
};

}  // namespace

const GuestAbi& Arm64Abi() {
  static const Arm64AbiImpl abi;
  return abi;
}

}  // namespace polyvm::linux
