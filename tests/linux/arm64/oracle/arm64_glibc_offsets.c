/* Like arm64_kernel_offsets.c, for the layouts glibc's aarch64 headers give a program: ucontext_t
 * (which Linux fills from its rt_sigframe), siginfo_t, stack_t, struct sigaction as the kernel
 * takes it (through sa_flags values), statfs, epoll_event and the open flags. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/statfs.h>
#include <ucontext.h>

#define OFFSET(name, value) __asm__ volatile("\n->OFF " #name " %0" : : "i"(value))

void glibc_offsets(void) {
  OFFSET(kUcFlags, offsetof(ucontext_t, uc_flags));
  OFFSET(kUcLink, offsetof(ucontext_t, uc_link));
  OFFSET(kUcStack, offsetof(ucontext_t, uc_stack));
  OFFSET(kUcSigmask, offsetof(ucontext_t, uc_sigmask));
  OFFSET(kUcMcontext, offsetof(ucontext_t, uc_mcontext));
  OFFSET(kUcontextAlign, _Alignof(ucontext_t));
  OFFSET(kMcFaultAddress, offsetof(mcontext_t, fault_address));
  OFFSET(kMcRegs, offsetof(mcontext_t, regs));
  OFFSET(kMcSp, offsetof(mcontext_t, sp));
  OFFSET(kMcPc, offsetof(mcontext_t, pc));
  OFFSET(kMcPstate, offsetof(mcontext_t, pstate));
  OFFSET(kMcReserved, offsetof(mcontext_t, __reserved));
  OFFSET(kStackSp, offsetof(stack_t, ss_sp));
  OFFSET(kStackFlags, offsetof(stack_t, ss_flags));
  OFFSET(kStackSize, offsetof(stack_t, ss_size));
  OFFSET(kSiginfoSize, sizeof(siginfo_t));
  OFFSET(kSiginfoSigno, offsetof(siginfo_t, si_signo));
  OFFSET(kSiginfoCode, offsetof(siginfo_t, si_code));
  OFFSET(kSiginfoAddr, offsetof(siginfo_t, si_addr));
  OFFSET(kSsOnstack, SS_ONSTACK);
  OFFSET(kSsDisable, SS_DISABLE);
  OFFSET(kSaSiginfo, SA_SIGINFO);
  OFFSET(kSaRestart, SA_RESTART);
  OFFSET(kSaOnstack, SA_ONSTACK);
  OFFSET(kSaNodefer, SA_NODEFER);
  OFFSET(kSaResethand, SA_RESETHAND);
  /* structures polyvm passes through unchanged: their size must be the host's */
  OFFSET(kStatfsSize, sizeof(struct statfs));
  OFFSET(kStatfsBlocks, offsetof(struct statfs, f_blocks));
  OFFSET(kStatfsFlags, offsetof(struct statfs, f_flags));
  OFFSET(kEpollEventSize, sizeof(struct epoll_event));
  OFFSET(kEpollEventData, offsetof(struct epoll_event, data));
  /* open flags as the aarch64 guest passes them */
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
  OFFSET(kOAsync, O_ASYNC);
}
