/* Guest test: programs that must die of a signal, chosen by argv[1]. Output written before the
 * fault must arrive (stdout is flushed first); the harness expects status 128+signo and, under
 * polyvm, its report line on stderr. Pointers go through volatile so the compiler cannot see the
 * null and replace the store by a trap instruction (SIGILL on x86-64, SIGTRAP on riscv64). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int* volatile null_pointer;
static char* volatile target; /* its value is opaque to the compiler */

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  printf("about to die: %s\n", mode);
  fflush(stdout);
  if (strcmp(mode, "null-write") == 0) {
    *null_pointer = 1;
  } else if (strcmp(mode, "null-read") == 0) {
    printf("%d\n", *null_pointer);
  } else if (strcmp(mode, "unmapped") == 0) {
    long page = sysconf(_SC_PAGESIZE);
    char* p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 1;
    munmap(p, (size_t)page);
    target = p;
    *target = 2;
  } else if (strcmp(mode, "readonly") == 0) {
    static const char kConst[] = "read-only data";
    target = (char*)(uintptr_t)kConst;
    *target = 'R';
  } else if (strcmp(mode, "abort") == 0) {
    abort();
  } else if (strcmp(mode, "raise-term") == 0) {
    raise(SIGTERM);
  } else if (strcmp(mode, "kill-usr1") == 0) {
    kill(getpid(), SIGUSR1);
  } else {
    fprintf(stderr, "unknown mode '%s'\n", mode);
    return 2;
  }
  printf("still alive: wrong\n");
  return 1;
}
