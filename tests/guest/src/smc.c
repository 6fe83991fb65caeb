/* Guest test: self-modifying and run-time-generated code. Small functions are written as machine
 * code (riscv64 for the guest, x86-64 for the native build: the same results either way) into an
 * RWX page, called, overwritten, called again; appended to a page that already runs code; read(2)
 * into a code page from a pipe; written in an RW page made RX, back to RW, rewritten, RX again;
 * and rewritten in an RWX page without any cache flush (riscv64 asks for fence.i; qemu-user and
 * real Linux systems run such programs anyway, and polyvm catches the store by page protection).
 * Threads: one thread rewrites a function that another thread then calls. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef long (*Fn)(long);

enum { kSlot = 64 }; /* bytes reserved per generated function */

/* Writes "return x + k" (k fits in 12 signed bits) at p; returns the code's length. */
static size_t EmitAdd(unsigned char* p, int k) {
#if defined(__riscv)
  uint32_t insn[2] = {
      ((uint32_t)(k & 0xfff) << 20) | (10u << 15) | (10u << 7) | 0x13u, /* addi a0, a0, k */
      0x00008067u,                                                      /* ret */
  };
  memcpy(p, insn, sizeof insn);
  return sizeof insn;
#elif defined(__x86_64__)
  unsigned char code[8] = {0x48, 0x8d, 0x87, 0, 0, 0, 0, 0xc3}; /* lea rax, [rdi + k]; ret */
  int32_t d = k;
  memcpy(code + 3, &d, 4);
  memcpy(p, code, sizeof code);
  return sizeof code;
#else
#error "smc.c needs machine code for this architecture"
#endif
}

/* Writes "return x * 2 - k" at p (a different shape: two arithmetic instructions). */
static size_t EmitDoubleSub(unsigned char* p, int k) {
#if defined(__riscv)
  uint32_t insn[3] = {
      (10u << 20) | (10u << 15) | (10u << 7) | 0x33u,                    /* add a0, a0, a0 */
      ((uint32_t)(-k & 0xfff) << 20) | (10u << 15) | (10u << 7) | 0x13u, /* addi a0, a0, -k */
      0x00008067u,                                                       /* ret */
  };
  memcpy(p, insn, sizeof insn);
  return sizeof insn;
#elif defined(__x86_64__)
  unsigned char code[11] = {0x48, 0x8d, 0x04, 0x3f,       /* lea rax, [rdi + rdi] */
                            0x48, 0x2d, 0,    0,    0, 0, /* sub rax, imm32 */
                            0xc3};
  int32_t d = k;
  memcpy(code + 6, &d, 4);
  memcpy(p, code, sizeof code);
  return sizeof code;
#endif
}

static void Flush(unsigned char* p, size_t n) { __builtin___clear_cache((char*)p, (char*)p + n); }

static long Call(unsigned char* p, long x) { return ((Fn)(uintptr_t)p)(x); }

/* Calls many times, so the engine has translated (and chained) the code before it changes. */
static long CallMany(unsigned char* p, long x, int times) {
  long sum = 0;
  for (int i = 0; i < times; ++i) sum += Call(p, x + i);
  return sum;
}

static void RwxRewrite(unsigned char* page, int flush) {
  printf("RWX page, rewrite %s cache flush\n", flush ? "with" : "without");
  for (int round = 0; round < 6; ++round) {
    size_t n = round % 2 ? EmitDoubleSub(page, round * 7) : EmitAdd(page, round * 100 - 250);
    if (flush || round == 0) Flush(page, n);
    printf("  round %d: f(5) = %ld, sum f(0..999) = %ld\n", round, Call(page, 5),
           CallMany(page, 0, 1000));
  }
}

static void AppendInOnePage(unsigned char* page) {
  printf("functions appended to a page that runs code\n");
  for (int i = 0; i < 8; ++i) {
    Flush(page + i * kSlot, EmitAdd(page + i * kSlot, i * 11));
    long total = 0;
    for (int j = 0; j <= i; ++j) total += CallMany(page + j * kSlot, j, 10);
    printf("  %d functions: total %ld\n", i + 1, total);
  }
}

static void ReadIntoCode(unsigned char* page) {
  printf("read(2) into a code page\n");
  Flush(page, EmitAdd(page, 1));
  printf("  before: f(10) = %ld\n", CallMany(page, 10, 3));
  unsigned char code[kSlot];
  size_t n = EmitDoubleSub(code, 3);
  int fds[2];
  if (pipe(fds) != 0 || write(fds[1], code, n) != (ssize_t)n) {
    perror("pipe");
    return;
  }
  ssize_t got = read(fds[0], page, n);
  printf("  read returned the whole code: %d\n", got == (ssize_t)n);
  Flush(page, n);
  printf("  after: f(10) = %ld\n", CallMany(page, 10, 3));
  close(fds[0]);
  close(fds[1]);
}

static void ProtectCycle(size_t pagesize) {
  printf("RW -> RX -> RW -> RX\n");
  unsigned char* p =
      mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    return;
  }
  for (int round = 0; round < 4; ++round) {
    if (round > 0) printf("  mprotect RW: %d\n", mprotect(p, pagesize, PROT_READ | PROT_WRITE));
    size_t n = round % 2 ? EmitAdd(p, -round) : EmitDoubleSub(p, round + 40);
    Flush(p, n);
    printf("  mprotect RX: %d\n", mprotect(p, pagesize, PROT_READ | PROT_EXEC));
    printf("  round %d: f(21) = %ld, sum %ld\n", round, Call(p, 21), CallMany(p, 1, 100));
  }
  munmap(p, pagesize);
}

struct ThreadJob {
  unsigned char* fn;
  long result;
};

static void* CallInThread(void* arg) {
  struct ThreadJob* job = arg;
  job->result = CallMany(job->fn, 100, 50);
  return NULL;
}

static void OtherThreadCalls(unsigned char* page) {
  printf("rewritten here, called by another thread\n");
  for (int round = 0; round < 4; ++round) {
    Flush(page, EmitAdd(page, round * 1000 - 1500));
    struct ThreadJob job = {page, 0};
    pthread_t th;
    if (pthread_create(&th, NULL, CallInThread, &job) != 0) return;
    pthread_join(th, NULL);
    printf("  round %d: thread sum %ld, here f(0) = %ld\n", round, job.result, Call(page, 0));
  }
}

int main(void) {
  const size_t pagesize = (size_t)sysconf(_SC_PAGESIZE);
  unsigned char* rwx = mmap(NULL, 4 * pagesize, PROT_READ | PROT_WRITE | PROT_EXEC,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (rwx == MAP_FAILED) {
    perror("mmap RWX");
    return 1;
  }
  RwxRewrite(rwx, 1);
  RwxRewrite(rwx, 0);
  AppendInOnePage(rwx + pagesize);
  ReadIntoCode(rwx + 2 * pagesize);
  ProtectCycle(pagesize);
  OtherThreadCalls(rwx + 3 * pagesize);
  munmap(rwx, 4 * pagesize);
  return 0;
}
