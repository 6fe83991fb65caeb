/* Guest test: details of the Linux ABI that differ between guest architectures, checked by what
 * they do: open flags arm64 numbers differently (O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE)
 * and F_GETFL reading them back, rename() (renameat on arm64), the pc a fault handler finds in its
 * ucontext, and the FP environment (rounding mode, flags) that sigreturn restores after a handler
 * changed it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

static const char* Err(int e) {
  switch (e) {
    case 0: return "ok";
    case ENOTDIR: return "ENOTDIR";
    case ELOOP: return "ELOOP";
    case ENOENT: return "ENOENT";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    default: return "other";
  }
}

static void OpenFlags(void) {
  printf("-- open flags\n");
  mkdir("dir", 0755);
  int fd = open("file", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  (void)!write(fd, "data\n", 5);
  close(fd);
  (void)!symlink("file", "link");
  errno = 0;
  fd = open("dir", O_RDONLY | O_DIRECTORY);
  printf("O_DIRECTORY on a directory: %s\n", fd >= 0 ? "ok" : Err(errno));
  if (fd >= 0) close(fd);
  errno = 0;
  fd = open("file", O_RDONLY | O_DIRECTORY);
  printf("O_DIRECTORY on a file: %s\n", fd >= 0 ? "opened" : Err(errno));
  errno = 0;
  fd = open("link", O_RDONLY | O_NOFOLLOW);
  printf("O_NOFOLLOW on a symlink: %s\n", fd >= 0 ? "opened" : Err(errno));
  errno = 0;
  fd = open("file", O_RDONLY | O_NOFOLLOW);
  printf("O_NOFOLLOW on a file: %s\n", fd >= 0 ? "ok" : Err(errno));
  if (fd >= 0) close(fd);
  fd = open("file", O_RDWR | O_APPEND | O_NONBLOCK | O_CLOEXEC);
  int fl = fcntl(fd, F_GETFL);
  printf("F_GETFL: rdwr %d append %d nonblock %d directory %d nofollow %d direct %d\n",
         (fl & O_ACCMODE) == O_RDWR, !!(fl & O_APPEND), !!(fl & O_NONBLOCK), !!(fl & O_DIRECTORY),
         !!(fl & O_NOFOLLOW), !!(fl & O_DIRECT));
  fcntl(fd, F_SETFL, fl & ~O_APPEND);
  fl = fcntl(fd, F_GETFL);
  printf("after F_SETFL: append %d nonblock %d cloexec %d\n", !!(fl & O_APPEND),
         !!(fl & O_NONBLOCK), fcntl(fd, F_GETFD) == FD_CLOEXEC);
  close(fd);
  fd = openat(AT_FDCWD, "dir", O_PATH | O_DIRECTORY);
  int sub = openat(fd, "inner", O_CREAT | O_WRONLY | O_EXCL, 0600);
  printf("openat under an O_PATH directory: %s\n", sub >= 0 ? "ok" : Err(errno));
  close(sub);
  close(fd);
  printf("rename: %s\n", rename("file", "dir/moved") == 0 ? "ok" : Err(errno));
  struct stat st;
  printf("moved file size %ld, old name %s\n",
         stat("dir/moved", &st) == 0 ? (long)st.st_size : -1L,
         stat("file", &st) == 0 ? "exists" : Err(errno));
  mkdir("empty", 0755);
  printf("rename a file onto a directory: %s\n",
         rename("dir/moved", "empty") == 0 ? "ok" : Err(errno));
  rmdir("empty");
  unlink("link");
  unlink("dir/moved");
  unlink("dir/inner");
  rmdir("dir");
}

static sigjmp_buf recover;
static volatile uintptr_t handler_pc, handler_addr;

static uintptr_t PcOf(const ucontext_t* uc) {
#if defined(__aarch64__)
  return uc->uc_mcontext.pc;
#elif defined(__riscv)
  return uc->uc_mcontext.__gregs[REG_PC];
#elif defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
#error "unknown architecture"
#endif
}

static void FetchFault(int sig, siginfo_t* info, void* uctx) {
  (void)sig;
  handler_pc = PcOf((const ucontext_t*)uctx);
  handler_addr = (uintptr_t)info->si_addr;
  siglongjmp(recover, 1);
}

static void FaultPc(void) {
  printf("-- the pc in a fault handler's ucontext\n");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = FetchFault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  /* A call to an address below mmap_min_addr (never mapped) faults on the fetch: pc and si_addr
   * are that address. */
  void (*volatile target)(void) = (void (*)(void))(uintptr_t)0x1000;
  if (sigsetjmp(recover, 1) == 0) {
    target();
    printf("no fault\n");
  } else {
    printf("fetch fault: pc is the target %d, si_addr is the target %d\n",
           handler_pc == (uintptr_t)0x1000, handler_addr == (uintptr_t)0x1000);
  }
  signal(SIGSEGV, SIG_DFL);
}

static volatile int seen_round;
static volatile double sink;

static void ChangeFpEnv(int sig) {
  (void)sig;
  fesetround(FE_UPWARD);
  seen_round = fegetround() == FE_UPWARD;
  volatile double x = 1.0, y = 3.0;
  sink = x / y; /* inexact */
  volatile double z = 0.0;
  sink = x / z; /* divide by zero */
}

static void FpEnvRestored(void) {
  printf("-- the FP environment across a handler\n");
  signal(SIGUSR1, ChangeFpEnv);
  fesetround(FE_TOWARDZERO);
  feclearexcept(FE_ALL_EXCEPT);
  raise(SIGUSR1);
  printf("handler ran in upward mode %d; after it: towardzero %d, divbyzero %d, inexact %d\n",
         seen_round, fegetround() == FE_TOWARDZERO, !!fetestexcept(FE_DIVBYZERO),
         !!fetestexcept(FE_INEXACT));
  volatile double one = 1.0, three = 3.0;
  printf("1/3 rounded toward zero: %a\n", one / three);
  fesetround(FE_TONEAREST);
}

int main(void) {
  OpenFlags();
  FaultPc();
  FpEnvRestored();
  return 0;
}
