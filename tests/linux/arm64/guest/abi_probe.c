/* Prints what an arm64 program sees of its Linux ABI, one "key value" line each, for
 * tests/linux/arm64/e2e_test.cpp: uname, auxv entries, sigaltstack's minimum, an open with the
 * flags arm64 numbers differently (visible under --strace), and, from a SIGILL handler, the
 * records of its ucontext, its return address and the code there; the handler steps the saved pc
 * over the faulting instruction, so the program resumes after it. */
#define _GNU_SOURCE
#include <asm/sigcontext.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <ucontext.h>
#include <unistd.h>

static volatile uint32_t rec_magic, rec_size, end_magic, end_size, code0, code1;
static volatile uint64_t fault_pc;
static volatile int handler_ran;

static void OnSigill(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)info;
  ucontext_t* uc = ctx;
  const struct _aarch64_ctx* head = (const struct _aarch64_ctx*)uc->uc_mcontext.__reserved;
  rec_magic = head->magic;
  rec_size = head->size;
  const struct _aarch64_ctx* next = (const struct _aarch64_ctx*)((const char*)head + head->size);
  end_magic = next->magic;
  end_size = next->size;
  const uint32_t* ret = __builtin_return_address(0);
  code0 = ret[0];
  code1 = ret[1];
  fault_pc = uc->uc_mcontext.pc;
  uc->uc_mcontext.pc += 4;  /* skip the udf */
  handler_ran = 1;
}

int main(void) {
  struct utsname u;
  uname(&u);
  printf("machine %s\n", u.machine);
  const char* platform = (const char*)getauxval(AT_PLATFORM);
  printf("platform %s\n", platform ? platform : "(none)");
  printf("minsigstksz %lu\n", getauxval(AT_MINSIGSTKSZ));
  printf("hwcap %#lx\n", getauxval(AT_HWCAP));

  static char stack[8192];
  stack_t ss = {.ss_sp = stack, .ss_flags = 0, .ss_size = 4096};
  int r = sigaltstack(&ss, NULL);
  printf("sigaltstack_4096 %d %s\n", r, r ? (errno == ENOMEM ? "ENOMEM" : "other") : "ok");
  ss.ss_size = 5120;
  r = sigaltstack(&ss, NULL);
  printf("sigaltstack_5120 %d\n", r);

  int fd = open(".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  printf("open directory %s\n", fd >= 0 ? "ok" : "failed");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = OnSigill;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGILL, &sa, NULL);
  uint64_t here;
  __asm__ volatile("adr %0, 1f\n1: udf #0" : "=r"(here));
  printf("resumed %d fault_pc_matches %d\n", handler_ran, fault_pc == here);
  printf("record %#x %u\n", rec_magic, rec_size);
  printf("end %#x %u\n", end_magic, end_size);
  printf("return_code %08x %08x\n", code0, code1);
  return 0;
}
