/* Guest test: signal delivery to guest handlers: SA_SIGINFO fields for raise/sigqueue, a SIGSEGV
 * handler that recovers with siglongjmp (si_addr and si_code for unmapped and read-only pages), a
 * SIGBUS from a truncated file mapping, blocked signals left pending until unblocked, handlers on
 * an alternate stack, SA_RESETHAND, a signal arriving during a handler, and a timer signal. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t last_signo, last_code, count, nested_seen;
static volatile int last_value;
static void* volatile last_addr;
static sigjmp_buf recover;

static void InfoHandler(int sig, siginfo_t* info, void* uctx) {
  (void)uctx;
  last_signo = sig;
  last_code = info->si_code;
  last_value = info->si_value.sival_int;
  ++count;
}

/* Every queued instance of a real-time signal, in delivery order. */
static volatile int rt_values[8], rt_codes[8];
static volatile sig_atomic_t rt_count;

static void RtHandler(int sig, siginfo_t* info, void* uctx) {
  (void)sig;
  (void)uctx;
  if (rt_count < 8) {
    rt_values[rt_count] = info->si_value.sival_int;
    rt_codes[rt_count] = info->si_code;
  }
  ++rt_count;
}

static void FaultHandler(int sig, siginfo_t* info, void* uctx) {
  (void)uctx;
  last_signo = sig;
  last_code = info->si_code;
  last_addr = info->si_addr;
  siglongjmp(recover, 1);
}

static void Install(int sig, void (*fn)(int, siginfo_t*, void*), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, NULL) != 0) printf("sigaction(%d) failed: %s\n", sig, strerror(errno));
}

static const char* CodeName(int sig, int code) {
  if (sig == SIGBUS) return code == BUS_ADRERR ? "BUS_ADRERR" : "BUS_other";
  if (sig == SIGSEGV)
    return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "SEGV_other";
  switch (code) {
    case SI_USER: return "SI_USER";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    default: return "other";
  }
}

static void Info(void) {
  printf("-- SA_SIGINFO\n");
  Install(SIGUSR1, InfoHandler, 0);
  raise(SIGUSR1);
  printf("raise: signo %d code %s count %d\n", (int)last_signo, CodeName(last_signo, last_code),
         (int)count);
  kill(getpid(), SIGUSR1);
  printf("kill: signo %d code %s count %d\n", (int)last_signo, CodeName(last_signo, last_code),
         (int)count);
  union sigval v = {.sival_int = 4242};
  sigqueue(getpid(), SIGUSR1, v);
  printf("sigqueue: code %s value %d count %d\n", CodeName(last_signo, last_code), last_value,
         (int)count);
}

static void Faults(void) {
  printf("-- SIGSEGV/SIGBUS handlers with siglongjmp\n");
  Install(SIGSEGV, FaultHandler, SA_NODEFER);
  Install(SIGBUS, FaultHandler, SA_NODEFER);
  long page = sysconf(_SC_PAGESIZE);
  char* p =
      mmap(NULL, 3 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(p + page, (size_t)page);
  mprotect(p + 2 * page, (size_t)page, PROT_READ);
  char* volatile targets[] = {p + page + 123, p + 2 * page + 8, NULL};
  const char* names[] = {"unmapped", "read-only", "null"};
  for (volatile int i = 0; i < 3; ++i) {
    last_signo = 0;
    if (sigsetjmp(recover, 1) == 0) {
      *targets[i] = 'x';
      printf("%s: no fault\n", names[i]);
    } else {
      printf("%s: signo %d code %s addr matches %d\n", names[i], (int)last_signo,
             CodeName(last_signo, last_code), last_addr == (void*)targets[i]);
    }
  }
  /* Reads fault too, and the handler can run again and again. */
  volatile int faults = 0; /* modified between sigsetjmp and siglongjmp */
  for (volatile int i = 0; i < 50; ++i)
    if (sigsetjmp(recover, 1) != 0)
      ++faults;
    else
      (void)*(volatile char*)(p + page + i * 8);
  printf("repeated read faults %d\n", faults);
  mprotect(p + 2 * page, (size_t)page, PROT_READ | PROT_WRITE);
  p[2 * page] = 'w';
  printf("after mprotect RW the write works: %c\n", p[2 * page]);

  /* SIGBUS: a shared mapping of a file truncated under it. */
  int fd = open("mapped.bin", O_CREAT | O_RDWR | O_TRUNC, 0600);
  ftruncate(fd, 2 * page);
  char* m = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  m[0] = 'a';
  ftruncate(fd, page);
  if (sigsetjmp(recover, 1) == 0) {
    m[page + 5] = 'b';
    printf("beyond EOF: no fault\n");
  } else {
    printf("beyond EOF: signo %d code %s addr matches %d\n", (int)last_signo,
           CodeName(last_signo, last_code), last_addr == (void*)(m + page + 5));
  }
  munmap(m, 2 * (size_t)page);
  close(fd);
  unlink("mapped.bin");
  signal(SIGSEGV, SIG_DFL);
  signal(SIGBUS, SIG_DFL);
}

static void Pending(void) {
  printf("-- blocked and pending\n");
  count = 0;
  sigset_t block, old, pending;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  raise(SIGUSR1);
  raise(SIGUSR1); /* standard signals do not queue: one delivery */
  sigpending(&pending);
  printf("while blocked: count %d pending %d\n", (int)count, sigismember(&pending, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);
  sigpending(&pending);
  printf("after unblock: count %d pending %d\n", (int)count, sigismember(&pending, SIGUSR1));
  /* kill() of a blocked signal: left pending, si_code SI_USER (not tgkill's SI_TKILL). */
  sigemptyset(&block);
  sigaddset(&block, SIGUSR2);
  sigprocmask(SIG_BLOCK, &block, &old);
  kill(getpid(), SIGUSR2);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  struct timespec zero = {0, 0};
  int got = sigtimedwait(&block, &si, &zero);
  printf("kill while blocked: sigtimedwait %d code %s pid matches %d\n", got,
         CodeName(si.si_signo, si.si_code), si.si_pid == getpid());
  sigprocmask(SIG_SETMASK, &old, NULL);
  /* Real-time signals do queue: each instance delivered once, in order, with its value. */
  Install(SIGRTMIN, RtHandler, 0);
  sigemptyset(&block);
  sigaddset(&block, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &block, &old);
  rt_count = 0;
  for (int i = 1; i <= 3; ++i) {
    union sigval v = {.sival_int = i * 11};
    sigqueue(getpid(), SIGRTMIN, v);
  }
  kill(getpid(), SIGRTMIN); /* a fourth instance, from kill() */
  sigpending(&pending);
  printf("rt while blocked: delivered %d pending %d\n", (int)rt_count,
         sigismember(&pending, SIGRTMIN));
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("rt signals delivered %d:", (int)rt_count);
  for (int i = 0; i < rt_count && i < 8; ++i)
    printf(" %s/%d", CodeName(SIGRTMIN, rt_codes[i]), rt_codes[i] == SI_QUEUE ? rt_values[i] : 0);
  printf("\n");
}

static char* volatile alt_base;
static volatile int on_alt_stack;

static void AltHandler(int sig) {
  char local;
  on_alt_stack = &local > alt_base && &local < alt_base + SIGSTKSZ * 4;
  stack_t now;
  sigaltstack(NULL, &now);
  nested_seen = (now.ss_flags & SS_ONSTACK) != 0;
  last_signo = sig;
}

static void NestedHandler(int sig) {
  ++count;
  if (count == 1) raise(sig == SIGUSR2 ? SIGUSR1 : SIGUSR2);
}

static void Handlers(void) {
  printf("-- alternate stack, SA_RESETHAND, nesting, timer\n");
  stack_t ss;
  alt_base = malloc(SIGSTKSZ * 4);
  ss.ss_sp = alt_base;
  ss.ss_size = SIGSTKSZ * 4;
  ss.ss_flags = 0;
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = AltHandler;
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR2);
  struct sigaction now;
  sigaction(SIGUSR2, NULL, &now);
  printf("on alt stack %d SS_ONSTACK %d handler reset to default %d\n", on_alt_stack,
         (int)nested_seen, now.sa_handler == SIG_DFL);
  sa.sa_handler = NestedHandler;
  sa.sa_flags = 0;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  count = 0;
  raise(SIGUSR2);
  printf("nested handlers ran %d\n", (int)count);
  signal(SIGALRM, NestedHandler);
  count = 5;
  struct itimerval it = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  sigset_t none;
  sigemptyset(&none);
  while (count == 5) sigsuspend(&none);
  printf("timer signal arrived: %d\n", count == 6);
  printf("ignored SIGUSR1: ");
  signal(SIGUSR1, SIG_IGN);
  raise(SIGUSR1);
  printf("still running\n");
}

int main(void) {
  Info();
  Faults();
  Pending();
  Handlers();
  return 0;
}
