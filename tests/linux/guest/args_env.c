/* Prints argc, argv and the variables named on the command line (or "(unset)"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "env:", 4) == 0) {
      const char* v = getenv(argv[i] + 4);
      printf("%s=%s\n", argv[i] + 4, v ? v : "(unset)");
    }
  }
  return 0;
}
