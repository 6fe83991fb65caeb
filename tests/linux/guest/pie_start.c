/* A static-pie without a C library (Debian's riscv64 glibc cannot link -static-pie: no rcrt1.o):
 * _start writes a line and exits with the status in its first argument, using raw ecalls. It has
 * no relocations to process, so it runs wherever the loader puts it. */
static long Syscall3(long nr, long a0, long a1, long a2) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a7 __asm__("a7") = nr;
  __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
  return r_a0;
}

static const char kMessage[] = "static-pie says hi\n";

void _start(void) {
  /* The address of kMessage is pc-relative here: it is right at any load address. */
  Syscall3(64 /* write */, 1, (long)kMessage, sizeof kMessage - 1);
  Syscall3(94 /* exit_group */, 42, 0, 0);
  for (;;) {
  }
}
