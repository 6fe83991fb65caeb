/* Like riscv64_kernel_offsets.c, for the layouts glibc's riscv64 headers give a signal handler:
 * ucontext_t (which Linux fills from its rt_sigframe), siginfo_t and stack_t. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <ucontext.h>

#define OFFSET(name, value) __asm__ volatile("\n->OFF " #name " %0" : : "i"(value))

void glibc_offsets(void) {
  OFFSET(kUcFlags, offsetof(ucontext_t, __uc_flags));
  OFFSET(kUcLink, offsetof(ucontext_t, uc_link));
  OFFSET(kUcStack, offsetof(ucontext_t, uc_stack));
  OFFSET(kUcSigmask, offsetof(ucontext_t, uc_sigmask));
  OFFSET(kUcMcontext, offsetof(ucontext_t, uc_mcontext));
  OFFSET(kUcontextAlign, _Alignof(ucontext_t));
  OFFSET(kMcGregs, offsetof(mcontext_t, __gregs));
  OFFSET(kMcFpregs, offsetof(mcontext_t, __fpregs));
  OFFSET(kStackSp, offsetof(stack_t, ss_sp));
  OFFSET(kStackFlags, offsetof(stack_t, ss_flags));
  OFFSET(kStackSize, offsetof(stack_t, ss_size));
  OFFSET(kSiginfoSize, sizeof(siginfo_t));
  OFFSET(kSiginfoSigno, offsetof(siginfo_t, si_signo));
  OFFSET(kSiginfoCode, offsetof(siginfo_t, si_code));
  OFFSET(kSiginfoAddr, offsetof(siginfo_t, si_addr));
  OFFSET(kSiginfoPid, offsetof(siginfo_t, si_pid));
  OFFSET(kSiginfoUid, offsetof(siginfo_t, si_uid));
  OFFSET(kSsOnstack, SS_ONSTACK);
  OFFSET(kSsDisable, SS_DISABLE);
  OFFSET(kSaSiginfo, SA_SIGINFO);
  OFFSET(kSaRestart, SA_RESTART);
  OFFSET(kSaOnstack, SA_ONSTACK);
  OFFSET(kSaNodefer, SA_NODEFER);
  OFFSET(kSaResethand, SA_RESETHAND);
  /* open flags as the riscv64 guest passes them */
  OFFSET(kOWronly, O_WRONLY);
  OFFSET(kORdwr, O_RDWR);
  OFFSET(kOCreat, O_CREAT);
  OFFSET(kOExcl, O_EXCL);
  OFFSET(kONoctty, O_NOCTTY);
  OFFSET(kOTrunc, O_TRUNC);
  OFFSET(kOAppend, O_APPEND);
  OFFSET(kONonblock, O_NONBLOCK);
  OFFSET(kODsync, O_DSYNC);
  OFFSET(kODirect, O_DIRECT);
  OFFSET(kODirectory, O_DIRECTORY);
  OFFSET(kONofollow, O_NOFOLLOW);
  OFFSET(kONoatime, O_NOATIME);
  OFFSET(kOCloexec, O_CLOEXEC);
  OFFSET(kOSync, O_SYNC);
  OFFSET(kOPath, O_PATH);
  OFFSET(kOTmpfile, O_TMPFILE);
}
