/* Compiled (not run) by the riscv64 cross compiler with -S: each OFFSET line ends up in the
 * assembly as "->OFF name value", which tests/linux turns into a header (the kernel's own
 * asm-offsets technique). Values from the riscv64 kernel uapi headers, not from polyvm. */
#include <asm/hwcap.h>
#include <asm/sigcontext.h>
#include <asm/stat.h>
#include <stddef.h>

#define OFFSET(name, value) __asm__ volatile("\n->OFF " #name " %0" : : "i"(value))

void kernel_offsets(void) {
  /* struct sigcontext: user_regs_struct then the FP state union */
  OFFSET(kScRegs, offsetof(struct sigcontext, sc_regs));
  OFFSET(kScRegsPc, offsetof(struct sigcontext, sc_regs.pc));
  OFFSET(kScRegsRa, offsetof(struct sigcontext, sc_regs.ra));
  OFFSET(kScRegsSp, offsetof(struct sigcontext, sc_regs.sp));
  OFFSET(kScRegsA0, offsetof(struct sigcontext, sc_regs.a0));
  OFFSET(kScRegsT6, offsetof(struct sigcontext, sc_regs.t6));
  OFFSET(kScFpregs, offsetof(struct sigcontext, sc_fpregs));
  OFFSET(kScFpD, offsetof(struct sigcontext, sc_fpregs.d.f));
  OFFSET(kScFcsr, offsetof(struct sigcontext, sc_fpregs.d.fcsr));
  OFFSET(kSigcontextSize, sizeof(struct sigcontext));
  OFFSET(kSigcontextAlign, _Alignof(struct sigcontext));
  /* AT_HWCAP bits of the single-letter extensions */
  OFFSET(kHwcapI, COMPAT_HWCAP_ISA_I);
  OFFSET(kHwcapM, COMPAT_HWCAP_ISA_M);
  OFFSET(kHwcapA, COMPAT_HWCAP_ISA_A);
  OFFSET(kHwcapF, COMPAT_HWCAP_ISA_F);
  OFFSET(kHwcapD, COMPAT_HWCAP_ISA_D);
  OFFSET(kHwcapC, COMPAT_HWCAP_ISA_C);
  /* struct stat of asm-generic/stat.h (riscv's asm/stat.h includes it) */
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
