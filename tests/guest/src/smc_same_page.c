/* Guest test: code that patches an instruction in the page it runs from. A function in an RWX page
 * stores a new "return K" instruction over one of its own later instructions (with the cache
 * maintenance each architecture asks for), then runs it and returns K. Under polyvm the page is
 * write-protected while translated code comes from it, and the store's own translation reads that
 * page: polyvm runs the store from a one-off translation that neither protects the page nor stays
 * cached, as qemu-user does (docs/linux-user.md, "Self-modifying code"). Machine code for riscv64,
 * aarch64 and, for the native build, x86-64: the output is the same on each. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* f(slot, word): stores `word` at `slot` (inside f itself), then runs the instruction there, which
 * sets the return value. */
typedef long (*PatchFn)(void* slot, uint32_t word);
typedef long (*PlainFn)(void);

#if defined(__riscv)
static const uint32_t kPatcher[] = {
    0x00b52023u, /* sw a1, 0(a0) */
    0x0000100fu, /* fence.i */
    0x00100513u, /* slot: li a0, 1 */
    0x00008067u, /* ret */
};
enum { kSlotOffset = 8, kSlotInsn = 8 };
static uint32_t ReturnK(int k) { return ((uint32_t)k << 20) | 0x00000513u; } /* li a0, k */
static const uint32_t kPlain[] = {0x02a00513u, 0x00008067u};                 /* li a0, 42; ret */
#elif defined(__aarch64__)
static const uint32_t kPatcher[] = {
    0xb9000001u, /* str w1, [x0] */
    0xd50b7b20u, /* dc cvau, x0 */
    0xd5033b9fu, /* dsb ish */
    0xd50b7520u, /* ic ivau, x0 */
    0xd5033b9fu, /* dsb ish */
    0xd5033fdfu, /* isb */
    0x52800020u, /* slot: mov w0, #1 */
    0xd65f03c0u, /* ret */
};
enum { kSlotOffset = 0x18, kSlotInsn = 0x18 };
static uint32_t ReturnK(int k) { return 0x52800000u | ((uint32_t)k << 5); } /* mov w0, #k */
static const uint32_t kPlain[] = {0x52800540u, 0xd65f03c0u};                /* mov w0, #42; ret */
#elif defined(__x86_64__)
/* mov [rdi], esi; slot+1: mov eax, imm32; ret. The word is the immediate (x86 keeps instruction
 * fetch coherent with stores by itself). */
static const unsigned char kPatcher[] = {0x89, 0x37, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xc3};
enum { kSlotOffset = 3, kSlotInsn = 2 }; /* the immediate; the mov */
static uint32_t ReturnK(int k) { return (uint32_t)k; }
static const unsigned char kPlain[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3}; /* mov eax, 42; ret */
#else
#error "smc_same_page.c needs machine code for this architecture"
#endif

enum { kPlainOffset = 256 }; /* an unpatched function in the same page */

int main(void) {
  const size_t pagesize = (size_t)sysconf(_SC_PAGESIZE);
  unsigned char* page =
      mmap(NULL, pagesize, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    perror("mmap RWX");
    return 1;
  }
  memcpy(page, kPatcher, sizeof kPatcher);
  memcpy(page + kPlainOffset, kPlain, sizeof kPlain);
  __builtin___clear_cache((char*)page, (char*)page + pagesize);
  PatchFn patch = (PatchFn)(uintptr_t)page;
  PlainFn plain = (PlainFn)(uintptr_t)(page + kPlainOffset);

  printf("unpatched function in the page: %ld\n", plain());
  long sum = 0;
  int wrong = 0;
  for (int round = 0; round < 40; ++round) {
    /* New values, then the same value again (the instruction stored is the one already there). */
    const int k = round % 4 == 3 ? (round - 1) * 41 % 2000 : round * 41 % 2000;
    const long got = patch(page + kSlotOffset, ReturnK(k));
    if (got != k) ++wrong;
    sum += got;
    if (round % 8 == 0) printf("  round %d: patched to return %d, returned %ld\n", round, k, got);
    if (round % 10 == 0) printf("  unpatched function: %ld\n", plain());
  }
  printf("40 rounds: %d wrong, sum %ld\n", wrong, sum);
  /* The last instruction stored stays: a plain call of the slot's own code returns it. */
  printf("slot now returns: %ld\n", ((PlainFn)(uintptr_t)(page + kSlotInsn))());
  munmap(page, pagesize);
  return wrong != 0;
}
