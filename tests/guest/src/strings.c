/* Guest test: glibc's optimised string and memory routines over many lengths and alignments (the
 * page-crossing and word-at-a-time paths are what we want exercised), checked against byte loops,
 * plus strtok, sprintf/snprintf/sscanf, qsort and bsearch. Comparison results print as their sign
 * only: the magnitude is implementation-specific. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static unsigned char* buf_a;
static unsigned char* buf_b;
static uint32_t rng = 12345;
static unsigned Rand(void) {
  rng = rng * 1103515245u + 12345u;
  return (rng >> 8) & 0xffffff;
}
static int Sign(int x) { return (x > 0) - (x < 0); }
static unsigned long failures;

static void Expect(int ok, const char* what, size_t len, size_t align) {
  if (!ok && failures++ < 20) printf("FAIL %s len %zu align %zu\n", what, len, align);
}

static void MemFunctions(void) {
  printf("-- memcpy/memmove/memset/memcmp/memchr\n");
  static const size_t lens[] = {0,  1,  2,  3,   7,   8,   9,   15,   16,   17,   31,   32,   33,
                                63, 64, 65, 127, 255, 256, 257, 1000, 4095, 4096, 4097, 10000};
  unsigned long checksum = 0;
  for (size_t li = 0; li < sizeof lens / sizeof lens[0]; ++li) {
    size_t n = lens[li];
    for (size_t al = 0; al < 16; al += (n > 300 ? 5 : 1)) {
      for (size_t i = 0; i < 20000; ++i) buf_a[i] = (unsigned char)Rand();
      unsigned char* src = buf_a + al;
      unsigned char* dst = buf_b + (al * 3) % 16;
      memset(buf_b, 0xee, 20016);
      memcpy(dst, src, n);
      int ok = 1;
      for (size_t i = 0; i < n; ++i) ok &= dst[i] == src[i];
      ok &= dst[n] == 0xee && (dst == buf_b || dst[-1] == 0xee);
      Expect(ok, "memcpy", n, al);
      Expect(memcmp(dst, src, n) == 0, "memcmp equal", n, al);
      if (n > 0) {
        size_t k = Rand() % n;
        dst[k] ^= 0x80;
        int expect = dst[k] > src[k] ? 1 : -1; /* bytes compare as unsigned char */
        Expect(Sign(memcmp(dst, src, n)) == expect, "memcmp order", n, al);
        Expect(memchr(dst, dst[k], n) == memchr(dst, dst[k], k + 1), "memchr", n, al);
      }
      /* Overlapping moves both ways against a byte-loop reference. */
      unsigned char ref[20100];
      size_t shift = 1 + al;
      memcpy(ref, buf_a, n + 40);
      memmove(buf_a + shift, buf_a, n);
      for (size_t i = n; i-- > 0;) ref[i + shift] = ref[i];
      Expect(memcmp(ref, buf_a, n + 40) == 0, "memmove forward", n, al);
      memmove(buf_a, buf_a + shift, n);
      for (size_t i = 0; i < n; ++i) ref[i] = ref[i + shift];
      Expect(memcmp(ref, buf_a, n + 40) == 0, "memmove backward", n, al);
      memset(buf_a + al, (int)(n & 0xff), n);
      ok = 1;
      for (size_t i = 0; i < n; ++i) ok &= buf_a[al + i] == (unsigned char)n;
      Expect(ok, "memset", n, al);
      for (size_t i = 0; i < n + 40; ++i) checksum = checksum * 31 + buf_a[i];
    }
  }
  printf("checksum %lu\n", checksum);
}

static size_t RefStrlen(const char* s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}

static void StrFunctions(void) {
  printf("-- strlen/strcmp/strncmp/strchr/strrchr/strstr/strncpy/strcpy/strcat\n");
  /* Strings ending right before an inaccessible page: a wrong over-read faults. */
  long page = 4096;
  unsigned char* region =
      mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(region + page, page, PROT_NONE);
  for (size_t n = 0; n < 300; ++n) {
    for (size_t al = 0; al < 8; ++al) {
      char* s = (char*)region + page - n - 1 - (al * 7) % 16;
      for (size_t i = 0; i < n; ++i) s[i] = (char)('a' + (Rand() % 26));
      s[n] = '\0';
      Expect(strlen(s) == n && RefStrlen(s) == n, "strlen", n, al);
      if (n > 0) {
        char c = s[Rand() % n];
        const char* first = strchr(s, c);
        const char* last = strrchr(s, c);
        size_t fi = 0, la = 0;
        while (s[fi] != c) ++fi;
        for (size_t i = 0; i < n; ++i)
          if (s[i] == c) la = i;
        Expect(first == s + fi && last == s + la, "strchr/strrchr", n, al);
        Expect(strchr(s, '\0') == s + n && strchr(s, '#') == NULL, "strchr end", n, al);
        size_t from = Rand() % n, len = 1 + Rand() % (n - from);
        char needle[300];
        memcpy(needle, s + from, len);
        needle[len] = '\0';
        const char* hit = strstr(s, needle);
        Expect(hit != NULL && hit <= s + from && strncmp(hit, needle, len) == 0, "strstr", n, al);
      }
      char copy[320];
      strcpy(copy + al, s);
      Expect(strcmp(copy + al, s) == 0, "strcpy/strcmp", n, al);
      if (n > 0) {
        copy[al + n - 1] = (char)(s[n - 1] + 1);
        Expect(strcmp(copy + al, s) > 0 && strcmp(s, copy + al) < 0, "strcmp order", n, al);
        Expect(strncmp(copy + al, s, n - 1) == 0, "strncmp", n, al);
      }
    }
  }
  munmap(region, 2 * page);
  char d[32];
  memset(d, 'X', sizeof d);
  strncpy(d, "abc", 8);
  printf("strncpy pads: %d %d %d %c\n", d[3], d[7], d[8] == 'X', d[0]);
  const char* volatile digits = "0123456789"; /* volatile: the truncation is the point */
  strncpy(d, digits, 4);
  printf("strncpy truncates: %.8s\n", d);
  char cat[64] = "alpha";
  strcat(cat, "-beta");
  const char* volatile gamma = "-gammadelta";
  strncat(cat, gamma, 6);
  printf("strcat: %s (%zu)\n", cat, strlen(cat));
  printf("strstr: %s | %s | %d\n", strstr("hello world", "o w"), strstr("aaab", "aab"),
         strstr("abc", "abd") == NULL);
  printf("strspn %zu strcspn %zu strpbrk %s\n", strspn("aabbcx", "abc"), strcspn("hello", "lo"),
         strpbrk("key=value", "=:"));
  printf("high bytes compare: %d %d\n", Sign(strcmp("\x80", "\x7f")), Sign(memcmp("\xff", "a", 1)));
}

static void Tokens(void) {
  printf("-- strtok / strtok_r\n");
  char text[] = "  the,quick;;brown fox,,jumps ; over";
  for (char* t = strtok(text, " ,;"); t; t = strtok(NULL, " ,;")) printf("[%s]", t);
  printf("\n");
  char kv[] = "a=1&bb=22&&ccc=333";
  char* save1 = NULL;
  for (char* pair = strtok_r(kv, "&", &save1); pair; pair = strtok_r(NULL, "&", &save1)) {
    char* save2 = NULL;
    char* k = strtok_r(pair, "=", &save2);
    char* v = strtok_r(NULL, "=", &save2);
    printf("%s -> %s; ", k, v ? v : "(none)");
  }
  printf("\n");
}

static void Formatting(void) {
  printf("-- sprintf/snprintf/sscanf\n");
  char b[128];
  int n = sprintf(b, "%d|%5d|%-5d|%05d|%+d|%x|%#o|%s|%.3s|%c", 42, -7, 7, 42, 3, 255u, 8u, "str",
                  "truncate", 'Z');
  printf("%s (%d)\n", b, n);
  for (volatile size_t cap = 0; cap < 12; cap += 3) {
    memset(b, '#', sizeof b);
    n = snprintf(b, cap, "%s-%d", "abcdefgh", 12345);
    printf("cap %zu -> ret %d \"%s\" next %c\n", cap, n, cap ? b : "", b[cap]);
  }
  int x = 0, y = 0;
  unsigned u = 0;
  char word[16] = "", rest[16] = "";
  long l = 0;
  n = sscanf("  -12 0x1F word42 987654321 [rest]", "%d %x %15s %ld [%15[^]]]", &x, &u, word, &l,
             rest);
  printf("sscanf %d: %d %u %s %ld %s\n", n, x, u, word, l, rest);
  n = sscanf("7:8", "%d:%d", &x, &y);
  printf("sscanf %d: %d %d\n", n, x, y);
  n = sscanf("abc", "%d", &x);
  printf("sscanf no match %d\n", n);
}

struct Rec {
  int key;
  char name[12];
};

static int ByKeyThenName(const void* a, const void* b) {
  const struct Rec* x = a;
  const struct Rec* y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return strcmp(x->name, y->name);
}
static int ByIntDesc(const void* a, const void* b) {
  int x = *(const int*)a, y = *(const int*)b;
  return (x < y) - (x > y);
}
static int CmpStr(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

static void Sorting(void) {
  printf("-- qsort/bsearch\n");
  enum { kN = 5000 };
  static int v[kN];
  for (int i = 0; i < kN; ++i) v[i] = (int)(Rand() % 10000) - 5000;
  qsort(v, kN, sizeof v[0], ByIntDesc);
  int sorted = 1;
  long sum = 0;
  for (int i = 0; i < kN; ++i) {
    if (i && v[i - 1] < v[i]) sorted = 0;
    sum += (long)v[i] * (i % 7);
  }
  printf("ints sorted %d first %d last %d weighted %ld\n", sorted, v[0], v[kN - 1], sum);
  static struct Rec recs[300];
  for (int i = 0; i < 300; ++i) {
    recs[i].key = (int)(Rand() % 40);
    snprintf(recs[i].name, sizeof recs[i].name, "n%u", Rand() % 1000);
  }
  qsort(recs, 300, sizeof recs[0], ByKeyThenName);
  for (int i = 0; i < 300; i += 37) printf("rec %d: %d %s\n", i, recs[i].key, recs[i].name);
  int found = 0, missing = 0;
  for (int k = 0; k < 40; ++k) {
    struct Rec probe = {k, ""};
    for (int i = 0; i < 300; ++i)
      if (recs[i].key == k) {
        probe = recs[i];
        break;
      }
    struct Rec* hit = bsearch(&probe, recs, 300, sizeof recs[0], ByKeyThenName);
    if (hit)
      ++found;
    else
      ++missing;
  }
  printf("bsearch found %d missing %d\n", found, missing);
  const char* words[] = {"pear", "apple", "fig", "banana", "cherry",
                         "date", "Apple", "",    "apricot"};
  qsort(words, 9, sizeof words[0], CmpStr);
  for (int i = 0; i < 9; ++i) printf("'%s' ", words[i]);
  printf("\n");
  const char* key = "date";
  const char** hit = bsearch(&key, words, 9, sizeof words[0], CmpStr);
  printf("bsearch date at %ld\n", hit ? (long)(hit - words) : -1L);
}

int main(void) {
  buf_a = malloc(20100);
  buf_b = malloc(20100);
  MemFunctions();
  StrFunctions();
  Tokens();
  Formatting();
  Sorting();
  printf("failures %lu\n", failures);
  free(buf_a);
  free(buf_b);
  return failures != 0;
}
