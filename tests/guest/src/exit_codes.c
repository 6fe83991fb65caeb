/* Guest test: how a process ends: exit(n) runs atexit handlers and flushes stdio, returning from
 * main does the same, _exit(n) does neither (buffered output is lost, on purpose), and the status
 * is truncated to 8 bits. The mode comes from argv[1]; the harness checks the status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void AtExitFirst(void) { printf("atexit handler registered first runs last\n"); }
static void AtExitSecond(void) { printf("atexit handler registered second runs first\n"); }

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: exit_codes exit|return|_exit|quick N\n");
    return 2;
  }
  int code = atoi(argv[2]);
  atexit(AtExitFirst);
  atexit(AtExitSecond);
  printf("mode %s code %d\n", argv[1], code); /* stdout is a pipe: fully buffered */
  fprintf(stderr, "stderr is unbuffered\n");
  if (strcmp(argv[1], "exit") == 0) exit(code);
  if (strcmp(argv[1], "_exit") == 0) _exit(code); /* loses the buffered stdout line */
  if (strcmp(argv[1], "flushed_exit") == 0) {
    fflush(stdout);
    _exit(code);
  }
  if (strcmp(argv[1], "return") == 0) return code;
  fprintf(stderr, "unknown mode %s\n", argv[1]);
  return 3;
}
