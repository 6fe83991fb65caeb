/* Guest test (aarch64; built natively on x86-64 for the reference): the fault syndrome a SIGSEGV
 * handler finds in its ucontext. arm64 Linux adds an esr_context record (ESR_EL1) to the frame;
 * x86-64 Linux gives the page-fault error code (REG_ERR) and trap number. Both are reduced to the
 * same facts (a user-mode abort with no other syndrome bits; write, page present, instruction
 * fetch), so the native kernel's values are the expected ones. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf recover;
static volatile int got_signo, got_code;
static void* volatile got_addr;
static char syndrome[160];

#if defined(__aarch64__)
/* struct _aarch64_ctx / esr_context of <asm/sigcontext.h>, spelled out so no kernel header is
 * needed. */
struct CtxHead {
  uint32_t magic, size;
};
#define ESR_MAGIC_VALUE 0x45535201u

static void Describe(const ucontext_t* uc) {
  const uint8_t* p = (const uint8_t*)uc->uc_mcontext.__reserved;
  const uint8_t* end = p + sizeof uc->uc_mcontext.__reserved;
  while (p + sizeof(struct CtxHead) <= end) {
    struct CtxHead h;
    memcpy(&h, p, sizeof h);
    if (h.magic == 0 || h.size < sizeof h) break;
    if (h.magic == ESR_MAGIC_VALUE) {
      uint64_t esr;
      memcpy(&esr, p + 8, sizeof esr);
      const unsigned ec = (unsigned)(esr >> 26) & 0x3f;
      const unsigned fsc = (unsigned)esr & 0x3f;
      const int fetch = ec == 0x20;
      const int write = (int)(esr >> 6) & 1;
      /* EC: an abort from EL0; IL = 1; ISV and every ISS bit other than WnR and the status 0. */
      const int abort = (ec == 0x20 || ec == 0x24) && ((esr >> 25) & 1) &&
                        (esr & 0x1ffffffu & ~0x7fu) == 0 && !(fetch && write);
      const char* kind = (fsc & 0x3c) == 0x04 ? "translation" : (fsc & 0x3c) == 0x0c ? "permission"
                                                                                    : "other";
      snprintf(syndrome, sizeof syndrome, "user-abort=%d write=%d present=%d fetch=%d", abort,
               write, kind[0] == 'p', fetch);
      if (kind[0] == 'o') snprintf(syndrome, sizeof syndrome, "unexpected fault status %#x", fsc);
      return;
    }
    p += h.size;
  }
  snprintf(syndrome, sizeof syndrome, "no esr_context record");
}
#elif defined(__x86_64__)
static void Describe(const ucontext_t* uc) {
  const long long err = uc->uc_mcontext.gregs[REG_ERR];
  const long long trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
  /* A page fault (14) from user mode (U/S = 4), no reserved-bit, protection-key or other bits. */
  const int abort = trapno == 14 && (err & 4) && (err & ~0x17LL) == 0;
  snprintf(syndrome, sizeof syndrome, "user-abort=%d write=%d present=%d fetch=%d", abort,
           (int)(err >> 1) & 1, (int)err & 1, (int)(err >> 4) & 1);
}
#else
#error "fault_syndrome.c knows the aarch64 and x86-64 signal frames only"
#endif

static void OnSegv(int sig, siginfo_t* info, void* uctx) {
  got_signo = sig;
  got_code = info->si_code;
  got_addr = info->si_addr;
  Describe((const ucontext_t*)uctx);
  siglongjmp(recover, 1);
}

typedef void (*Action)(volatile uint8_t* page);

static void Read(volatile uint8_t* page) { (void)page[16]; }
static void Write(volatile uint8_t* page) { page[16] = 1; }
static void Call(volatile uint8_t* page) { ((void (*)(void))(uintptr_t)page)(); }

static void Try(const char* what, Action action, volatile uint8_t* page, void* expect_addr) {
  got_signo = 0;
  syndrome[0] = 0;
  if (sigsetjmp(recover, 1) == 0) {
    action(page);
    printf("%-28s no fault\n", what);
    return;
  }
  printf("%-28s signal=%d code=%d addr=%s %s\n", what, got_signo, got_code,
         got_addr == expect_addr ? "ok" : "WRONG", syndrome);
}

int main(void) {
  const long ps = sysconf(_SC_PAGESIZE);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = OnSegv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);

  /* An unmapped page: a hole left by unmapping the middle of three. */
  uint8_t* three = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (three == MAP_FAILED) return 1;
  uint8_t* hole = three + ps;
  munmap(hole, ps);
  Try("read unmapped", Read, hole, hole + 16);
  Try("write unmapped", Write, hole, hole + 16);

  /* A read-only page, populated by a read first (so the native kernels report a permission
   * fault, not a missing translation). */
  uint8_t* ro = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (ro == MAP_FAILED) return 1;
  Read(ro);
  Try("write read-only (populated)", Write, ro, ro + 16);

  /* PROT_NONE: both architectures keep such pages without a valid translation. */
  uint8_t* none = mmap(NULL, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (none == MAP_FAILED) return 1;
  Try("read PROT_NONE", Read, none, none + 16);
  Try("write PROT_NONE", Write, none, none + 16);

  /* Executing a populated, writable, non-executable page. */
  uint8_t* data = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) return 1;
  memset(data, 0, (size_t)ps);
  Try("call non-executable page", Call, data, data);

  /* The handler can still run normally afterwards. */
  Try("read mapped", Read, data, NULL);
  return 0;
}
