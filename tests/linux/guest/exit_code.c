/* Exits with the status given as argv[1] (exit(), so atexit handlers and stdio flushing run). */
#include <stdio.h>
#include <stdlib.h>

static void bye(void) { puts("atexit ran"); }

int main(int argc, char** argv) {
  atexit(bye);
  return argc > 1 ? atoi(argv[1]) : 0;
}
