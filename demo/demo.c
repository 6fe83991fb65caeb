/* The bundled demo: a small riscv64 program that exercises integer, floating-point, memory and
 * libc code, so `polyvm run --stats` has something real to report. Its output is deterministic. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static unsigned CountPrimes(unsigned limit) {
  unsigned char* composite = calloc(limit + 1, 1);
  unsigned count = 0;
  for (unsigned i = 2; i <= limit; ++i) {
    if (composite[i]) continue;
    ++count;
    for (unsigned long j = (unsigned long)i * i; j <= limit; j += i) composite[j] = 1;
  }
  free(composite);
  return count;
}

static void Mandelbrot(void) {
  const char* shades = " .:-=+*#%@";
  for (int y = -10; y <= 10; ++y) {
    char line[81];
    for (int x = 0; x < 64; ++x) {
      double cr = -2.2 + x * (3.0 / 64), ci = y * (1.2 / 10);
      double zr = 0, zi = 0;
      int it = 0;
      while (it < 90 && zr * zr + zi * zi < 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        ++it;
      }
      line[x] = shades[it * 9 / 90];
    }
    line[64] = 0;
    puts(line);
  }
}

static int CompareWords(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

int main(int argc, char** argv) {
  struct utsname u;
  uname(&u);
  printf("Hello from a %s guest (argc=%d, argv[0]=%s)\n", u.machine, argc, argv[0]);

  Mandelbrot();

  unsigned limit = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 2000000;
  printf("primes below %u: %u\n", limit, CountPrimes(limit));

  double sum = 0;
  for (int k = 1; k <= 1000000; ++k) sum += 1.0 / ((double)k * k);
  printf("pi from the Basel series: %.10f (libm: %.10f)\n", sqrt(6 * sum), M_PI);

  const char* words[] = {"riscv64", "interpreter", "jit", "ir", "polyvm", "guest", "host"};
  size_t n = sizeof words / sizeof words[0];
  qsort(words, n, sizeof words[0], CompareWords);
  printf("sorted:");
  for (size_t i = 0; i < n; ++i) printf(" %s", words[i]);
  printf("\n");
  return 0;
}
