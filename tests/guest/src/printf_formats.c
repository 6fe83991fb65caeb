/* Guest test: printf's integer, string and character conversions with every flag, width, precision
 * and length modifier, positional arguments, %n, %m, and the return values of the printf family
 * (printf, fprintf, dprintf, vsnprintf, asprintf) — the va_list ABI of the guest in action. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static int Wrapped(char* buf, size_t cap, const char* fmt, ...) {
  va_list ap, copy;
  va_start(ap, fmt);
  va_copy(copy, ap);
  int n = vsnprintf(buf, cap, fmt, ap);
  int again = vsnprintf(NULL, 0, fmt, copy); /* a va_list copy replays the same arguments */
  va_end(copy);
  va_end(ap);
  return n == again ? n : -1000;
}

/* Many mixed integer and double arguments: past the eight argument registers of each kind. */
static long ManyArgs(int count, ...) {
  va_list ap;
  va_start(ap, count);
  long sum = 0;
  for (int i = 0; i < count; ++i) {
    if (i % 3 == 2)
      sum += (long)(va_arg(ap, double) * 4);
    else if (i % 3 == 1)
      sum += va_arg(ap, long long) % 1000;
    else
      sum += va_arg(ap, int);
  }
  va_end(ap);
  return sum;
}

int main(void) {
  const long long ints[] = {0, 1, -1, 42, -42, 255, 65535, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN};
  const char* fmts[] = {"%d", "%5d", "%-5d|", "%05d", "%+d",  "% d",  "%.3d", "%8.3d", "%x", "%#x",
                        "%X", "%#o", "%o",    "%u",   "%hhd", "%hhu", "%hd",  "%hu",   "%c"};
  for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; ++i) {
    int v = (int)ints[i];
    printf("%lld:", ints[i]);
    for (unsigned k = 0; k < sizeof fmts / sizeof fmts[0]; ++k) {
      if (strcmp(fmts[k], "%c") == 0 && (v < 32 || v > 126)) continue;
      printf(" [");
      printf(fmts[k], v);
      printf("]");
    }
    printf(" ll[%lld %llx %#llo %20lld %-20lli| %+.25lld]\n", ints[i], ints[i], ints[i], ints[i],
           ints[i], ints[i]);
  }
  printf("sizes: [%zu] [%zd] [%td] [%jd] [%ju] [%" PRIu64 "] [%" PRIx32 "] [%" PRId8 "]\n",
         (size_t)SIZE_MAX, (ssize_t)-5, (ptrdiff_t)-77, (intmax_t)INTMAX_MIN,
         (uintmax_t)UINTMAX_MAX, UINT64_MAX, (uint32_t)0xdeadbeef, (int8_t)-128);
  printf("strings: [%s] [%10s] [%-10s] [%.2s] [%10.3s] [%-*s] [%.*s] [%%] [%c%c%c]\n", "abc", "abc",
         "abc", "abc", "abcdef", 6, "xy", 3, "truncated", 'o', 'k', '!');
  const char* volatile null_string = NULL; /* glibc prints "(null)"; hidden from -Wformat */
  printf("null %%s: [%s]\n", null_string);
  printf("pointers: [%p] [%p]\n", (void*)0, (void*)0x1234);
  printf("wide: [%ls] [%lc] [%5ls]\n", L"wide", (wint_t)L'W', L"ab");
  printf("positional: %3$s %1$s %2$s %1$s\n", "one", "two", "three");
  printf("positional widths: [%1$*2$d] [%1$-*2$d]\n", 42, 6);
  int pos1 = 0, pos2 = 0;
  printf("count%n chars then%n\n", &pos1, &pos2);
  printf("%%n recorded %d and %d\n", pos1, pos2);
  errno = ENOENT;
  printf("%%m: %m\n");
  char buf[64];
  for (size_t cap = 0; cap <= 16; cap += 4) {
    memset(buf, '#', sizeof buf);
    int n = Wrapped(buf, cap, "%s=%05d;%c", "key", 123, 'z');
    printf("vsnprintf cap %zu -> %d [%s]\n", cap, n, cap ? buf : "");
  }
  char* dyn = NULL;
  int dn = asprintf(&dyn, "%s-%d-%.2f", "asprintf", 99, 0.125);
  printf("asprintf %d [%s]\n", dn, dyn);
  free(dyn);
  printf("many args sum %ld\n",
         ManyArgs(20, 1, 2000LL, 0.5, 3, 4001LL, 1.25, 5, 6002LL, 2.0, 7, 8003LL, 2.5, 9, 10004LL,
                  3.75, 11, 12005LL, 0.25, 13, 14006LL));
  printf("printf returns %d\n", printf("%s %d %c\n", "ret", -123, 'x'));
  fflush(stdout);
  int dp = dprintf(STDOUT_FILENO, "dprintf straight to fd %d\n", 1);
  printf("dprintf returned %d\n", dp);
  fprintf(stderr, "stderr: %08.3f %-6s|\n", -3.14159, "err");
  return 0;
}
