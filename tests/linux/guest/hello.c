/* The smallest end-to-end check: one line on stdout, status 0. Also the ELF the loader tests map. */
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
