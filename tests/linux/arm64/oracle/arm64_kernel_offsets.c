/* Compiled (not run) by the aarch64 cross compiler with -S: each OFFSET line ends up in the
 * assembly as "->OFF name value", which tests/linux/arm64 turns into a header (the kernel's own
 * asm-offsets technique). Values from the arm64 kernel uapi headers (Debian's
 * linux-libc-dev-arm64-cross), not from polyvm. */
#include <asm/hwcap.h>
#include <asm/sigcontext.h>
#include <asm/signal.h>
#include <asm/stat.h>
#include <asm/ucontext.h>
#include <stddef.h>

#define OFFSET(name, value) __asm__ volatile("\n->OFF " #name " %0" : : "i"(value))

void kernel_offsets(void) {
  /* struct ucontext (asm/ucontext.h), which the rt_sigframe holds after siginfo */
  OFFSET(kKUcFlags, offsetof(struct ucontext, uc_flags));
  OFFSET(kKUcLink, offsetof(struct ucontext, uc_link));
  OFFSET(kKUcStack, offsetof(struct ucontext, uc_stack));
  OFFSET(kKUcSigmask, offsetof(struct ucontext, uc_sigmask));
  OFFSET(kKUcMcontext, offsetof(struct ucontext, uc_mcontext));
  OFFSET(kKUcontextSize, sizeof(struct ucontext));
  /* struct sigcontext */
  OFFSET(kScFaultAddress, offsetof(struct sigcontext, fault_address));
  OFFSET(kScRegs, offsetof(struct sigcontext, regs));
  OFFSET(kScSp, offsetof(struct sigcontext, sp));
  OFFSET(kScPc, offsetof(struct sigcontext, pc));
  OFFSET(kScPstate, offsetof(struct sigcontext, pstate));
  OFFSET(kScReserved, offsetof(struct sigcontext, __reserved));
  OFFSET(kScReservedSize, sizeof(((struct sigcontext*)0)->__reserved));
  OFFSET(kSigcontextSize, sizeof(struct sigcontext));
  OFFSET(kSigcontextAlign, _Alignof(struct sigcontext));
  /* the context records */
  OFFSET(kCtxMagic, offsetof(struct _aarch64_ctx, magic));
  OFFSET(kCtxSize, offsetof(struct _aarch64_ctx, size));
  OFFSET(kCtxHeaderSize, sizeof(struct _aarch64_ctx));
  OFFSET(kFpsimdMagic, FPSIMD_MAGIC);
  OFFSET(kEsrMagic, ESR_MAGIC);
  OFFSET(kExtraMagic, EXTRA_MAGIC);
  OFFSET(kSveMagic, SVE_MAGIC);
  OFFSET(kFpsimdFpsr, offsetof(struct fpsimd_context, fpsr));
  OFFSET(kFpsimdFpcr, offsetof(struct fpsimd_context, fpcr));
  OFFSET(kFpsimdVregs, offsetof(struct fpsimd_context, vregs));
  OFFSET(kFpsimdSize, sizeof(struct fpsimd_context));
  OFFSET(kEsrContextSize, sizeof(struct esr_context));
  /* AT_HWCAP bits */
  OFFSET(kHwcapFp, HWCAP_FP);
  OFFSET(kHwcapAsimd, HWCAP_ASIMD);
  OFFSET(kHwcapEvtstrm, HWCAP_EVTSTRM);
  OFFSET(kHwcapCrc32, HWCAP_CRC32);
  OFFSET(kHwcapAtomics, HWCAP_ATOMICS);
  OFFSET(kHwcapCpuid, HWCAP_CPUID);
  OFFSET(kHwcapLrcpc, HWCAP_LRCPC);
  /* signal constants */
  OFFSET(kMinSigStkSz, MINSIGSTKSZ);
  OFFSET(kSigStkSz, SIGSTKSZ);
  OFFSET(kSaRestorer, SA_RESTORER);
  /* struct stat (asm-generic/stat.h, which arm64's asm/stat.h includes) */
  OFFSET(kStatDev, offsetof(struct stat, st_dev));
  OFFSET(kStatIno, offsetof(struct stat, st_ino));
  OFFSET(kStatMode, offsetof(struct stat, st_mode));
  OFFSET(kStatNlink, offsetof(struct stat, st_nlink));
  OFFSET(kStatUid, offsetof(struct stat, st_uid));
  OFFSET(kStatGid, offsetof(struct stat, st_gid));
  OFFSET(kStatRdev, offsetof(struct stat, st_rdev));
  OFFSET(kStatSize, offsetof(struct stat, st_size));
  OFFSET(kStatBlksize, offsetof(struct stat, st_blksize));
  OFFSET(kStatBlocks, offsetof(struct stat, st_blocks));
  OFFSET(kStatAtime, offsetof(struct stat, st_atime));
  OFFSET(kStatAtimeNsec, offsetof(struct stat, st_atime_nsec));
  OFFSET(kStatMtime, offsetof(struct stat, st_mtime));
  OFFSET(kStatMtimeNsec, offsetof(struct stat, st_mtime_nsec));
  OFFSET(kStatCtime, offsetof(struct stat, st_ctime));
  OFFSET(kStatCtimeNsec, offsetof(struct stat, st_ctime_nsec));
  OFFSET(kStatStructSize, sizeof(struct stat));
}
