/* One fault or signal behaviour per mode (argv[1]):
 *   segv       store to address 0, no handler        -> SIGSEGV death
 *   ill        an all-zero (illegal) instruction     -> SIGILL death
 *   abort      abort()                               -> SIGABRT death
 *   recover    SIGSEGV handler with SA_SIGINFO leaves through siglongjmp; prints si_code/si_addr
 *   usr1       SIGUSR1 handler run by raise() and by kill(getpid())
 *   efault     write() from a bad pointer returns -1/EFAULT
 *   ucontext   a handler reads the interrupted pc and a register from its ucontext */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf jump;
/* Bad addresses the compiler cannot see through. */
static void* volatile null_page = (void*)0;
static void* volatile low_address = (void*)24;
static void* volatile bad_buffer = (void*)16;
static volatile sig_atomic_t usr1_count;

static void OnSegv(int sig, siginfo_t* si, void* uc) {
  (void)uc;
  printf("handler: sig=%d code=%s addr=%p\n", sig,
         si->si_code == SEGV_MAPERR ? "SEGV_MAPERR" : si->si_code == SEGV_ACCERR ? "SEGV_ACCERR" : "?",
         si->si_addr);
  siglongjmp(jump, 1);
}

static void OnUsr1(int sig) { usr1_count += sig == SIGUSR1; }

extern char __executable_start[], __etext[];  /* from the GNU linker */
static volatile unsigned long seen_pc, seen_a0;
static void OnUsr2(int sig, siginfo_t* si, void* ucv) {
  (void)sig;
  (void)si;
  ucontext_t* uc = ucv;
  seen_pc = uc->uc_mcontext.__gregs[REG_PC];
  seen_a0 = uc->uc_mcontext.__gregs[REG_A0];
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "segv") == 0) *(volatile int*)null_page = 1;
  if (strcmp(mode, "ill") == 0) __asm__ volatile(".4byte 0");
  if (strcmp(mode, "abort") == 0) abort();
  if (strcmp(mode, "recover") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = OnSegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jump, 1) == 0) *(volatile int*)low_address = 1;
    if (sigsetjmp(jump, 1) == 0) *(volatile char*)(void*)main = 1;  /* text is read-only */
    puts("recovered twice");
    return 0;
  }
  if (strcmp(mode, "usr1") == 0) {
    signal(SIGUSR1, OnUsr1);
    raise(SIGUSR1);
    kill(getpid(), SIGUSR1);
    printf("usr1 handled %d times\n", (int)usr1_count);
    return 0;
  }
  if (strcmp(mode, "efault") == 0) {
    errno = 0;
    ssize_t r = write(1, bad_buffer, 8);
    printf("write returned %zd errno=%s\n", r, errno == EFAULT ? "EFAULT" : strerror(errno));
    return 0;
  }
  if (strcmp(mode, "ucontext") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = OnUsr2;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    /* raise() ends in the tgkill ecall: a0 held its first argument (the pid) going in, and
     * a0 = the syscall's result (0) when the handler runs. */
    printf("pc in text: %d a0=%lu\n",
           seen_pc >= (unsigned long)__executable_start && seen_pc < (unsigned long)__etext, seen_a0);
    return 0;
  }
  return 3;
}
