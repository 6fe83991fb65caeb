/* A RISC-V64 Linux program that runs differential test cases under qemu-riscv64 (user mode), so
 * that QEMU 7.2 can serve as a second, independent reference. It reads cases from stdin (the
 * record layout of qemu_runner.cpp), maps code and data at the cases' addresses, and for each case
 * executes an ebreak whose SIGTRAP handler swaps in the case's registers (x1-x31, f0-f31, fcsr)
 * and resumes at the case's first instruction. The case's final ebreak, or any fault, lands in the
 * same handler, which records the signal, pc and registers and swaps the program's own registers
 * back. The handler runs on an alternate stack and touches only globals (the program is linked
 * without relaxation, so no gp-relative access), because the case leaves sp, gp and tp arbitrary.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define CODE_BASE 0x40000000ul
#define CODE_MAX 0x1000ul
#define DATA_BASE 0x40008000ul
#define DATA_SIZE 0x1000ul
#define MAGIC 0x46464944u /* "DIFF" */

struct CaseIn {
  uint32_t magic;
  uint32_t code_size;
  uint64_t x[32];
  uint64_t f[32];
  uint32_t fcsr;
  uint32_t pad;
};

struct CaseOut {
  uint32_t magic;
  int32_t signo;
  int32_t si_code;
  uint32_t fcsr;
  uint64_t pc;
  uint64_t addr;
  uint64_t x[32];
  uint64_t f[32];
};

static struct CaseIn in;
static struct CaseOut out;
static volatile int launching;
static unsigned long saved_gregs[32];
static struct __riscv_mc_d_ext_state saved_fp;
static char alt_stack[1 << 16];

static void Handler(int signo, siginfo_t* info, void* uctx) {
  mcontext_t* mc = &((ucontext_t*)uctx)->uc_mcontext;
  if (launching) {
    launching = 0;
    for (int i = 0; i < 32; ++i) saved_gregs[i] = mc->__gregs[i];
    saved_fp = mc->__fpregs.__d;
    mc->__gregs[0] = CODE_BASE;
    for (int i = 1; i < 32; ++i) mc->__gregs[i] = in.x[i];
    for (int i = 0; i < 32; ++i) mc->__fpregs.__d.__f[i] = in.f[i];
    mc->__fpregs.__d.__fcsr = in.fcsr;
    return;
  }
  out.magic = MAGIC;
  out.signo = signo;
  out.si_code = info->si_code;
  out.addr = (uint64_t)info->si_addr;
  out.pc = mc->__gregs[0];
  out.x[0] = 0;
  for (int i = 1; i < 32; ++i) out.x[i] = mc->__gregs[i];
  for (int i = 0; i < 32; ++i) out.f[i] = mc->__fpregs.__d.__f[i];
  out.fcsr = mc->__fpregs.__d.__fcsr;
  for (int i = 0; i < 32; ++i) mc->__gregs[i] = saved_gregs[i];
  mc->__gregs[0] += 4; /* past the launching ebreak */
  mc->__fpregs.__d = saved_fp;
}

static int ReadAll(void* p, size_t n) {
  char* c = p;
  while (n > 0) {
    ssize_t r = read(0, c, n);
    if (r <= 0) return 0;
    c += r;
    n -= (size_t)r;
  }
  return 1;
}

static int WriteAll(const void* p, size_t n) {
  const char* c = p;
  while (n > 0) {
    ssize_t r = write(1, c, n);
    if (r <= 0) return 0;
    c += r;
    n -= (size_t)r;
  }
  return 1;
}

static void __attribute__((noinline)) Launch(void) {
  launching = 1;
  __asm__ volatile(".4byte 0x00100073" ::: "memory"); /* ebreak, never compressed */
}

int main(void) {
  stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
  if (sigaltstack(&ss, 0) != 0) return 2;
  struct sigaction sa = {0};
  sa.sa_sigaction = Handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  int sigs[] = {SIGTRAP, SIGILL, SIGSEGV, SIGBUS, SIGFPE};
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; ++i) {
    if (sigaction(sigs[i], &sa, 0) != 0) return 3;
  }
  unsigned char* code = mmap((void*)CODE_BASE, CODE_MAX, PROT_READ | PROT_WRITE | PROT_EXEC,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  unsigned char* data = mmap((void*)DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (code != (void*)CODE_BASE || data != (void*)DATA_BASE) return 4;
  while (ReadAll(&in, sizeof in)) {
    if (in.magic != MAGIC || in.code_size > CODE_MAX) return 5;
    for (unsigned long i = 0; i < CODE_MAX; ++i) code[i] = 0;
    if (!ReadAll(code, in.code_size) || !ReadAll(data, DATA_SIZE)) return 6;
    __builtin___clear_cache((char*)code, (char*)code + CODE_MAX);
    Launch();
    if (!WriteAll(&out, sizeof out) || !WriteAll(data, DATA_SIZE)) return 7;
  }
  return 0;
}
