/* Guest test: bit manipulation: popcount/clz/ctz/parity/bswap builtins, bit-field structs (layout
 * and sign extension), masks and the bit tricks compilers turn into single instructions. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile uint64_t vals[] = {1,
                                   2,
                                   3,
                                   0x80,
                                   0xff,
                                   0x100,
                                   0x8000,
                                   0xffff,
                                   0x10000,
                                   0x7fffffff,
                                   0x80000000,
                                   0xffffffff,
                                   0x100000000ULL,
                                   0x8000000000000000ULL,
                                   0xffffffffffffffffULL,
                                   0x0123456789abcdefULL,
                                   0xf0f0f0f00f0f0f0fULL,
                                   0x00000000deadbeefULL,
                                   0x0000100000000000ULL,
                                   0x5555555555555555ULL};
#define NV (int)(sizeof vals / sizeof vals[0])

static void Builtins(void) {
  printf("-- builtins\n");
  for (int i = 0; i < NV; ++i) {
    uint64_t x = vals[i];
    uint32_t w = (uint32_t)x;
    printf("%016" PRIx64 ": pop %2d clz %2d ctz %2d par %d bswap %016" PRIx64 " ffs %2d clrsb %2d",
           x, __builtin_popcountll(x), __builtin_clzll(x), __builtin_ctzll(x),
           __builtin_parityll(x), __builtin_bswap64(x), __builtin_ffsll((long long)x),
           __builtin_clrsbll((long long)x));
    if (w != 0)
      printf(" | w pop %2d clz %2d ctz %2d bswap %08x bswap16 %04x", __builtin_popcount(w),
             __builtin_clz(w), __builtin_ctz(w), __builtin_bswap32(w),
             __builtin_bswap16((uint16_t)w));
    printf("\n");
  }
}

/* Portable reference loops, compared with the builtins so a wrong instruction shows as "BAD". */
static int RefPop(uint64_t x) {
  int n = 0;
  while (x) {
    n += (int)(x & 1);
    x >>= 1;
  }
  return n;
}
static int RefClz(uint64_t x) {
  int n = 0;
  while (!(x & 0x8000000000000000ULL)) {
    ++n;
    x <<= 1;
  }
  return n;
}

static void CrossCheck(void) {
  printf("-- cross-check against loops\n");
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  int bad = 0;
  for (int i = 0; i < 2000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    uint64_t y = x >> (i % 64);
    if (y == 0) continue;
    if (__builtin_popcountll(y) != RefPop(y) || __builtin_clzll(y) != RefClz(y)) ++bad;
    if ((y & (0 - y)) != (1ULL << __builtin_ctzll(y))) ++bad;
  }
  printf("mismatches %d (%s)\n", bad, bad ? "BAD" : "ok");
}

struct Packed {
  unsigned a : 3;
  signed b : 5;
  unsigned c : 12;
  signed d : 20;
  unsigned long long e : 40;
  signed long long f : 23;
  unsigned g : 1;
};

struct Flags {
  unsigned char ready : 1;
  unsigned char mode : 3;
  unsigned char level : 4;
  unsigned short id : 10;
};

static void BitFields(void) {
  printf("-- bit-fields\n");
  printf("sizeof Packed %zu Flags %zu\n", sizeof(struct Packed), sizeof(struct Flags));
  volatile int inputs[] = {0, 1, -1, 5, -16, 15, 16, 1000, -1000, 123456, -524288, 524287};
  for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; ++i) {
    struct Packed p;
    memset(&p, 0, sizeof p);
    int v = inputs[i];
    p.a = (unsigned)v;           /* unsigned fields truncate modulo 2^width */
    p.b = (signed)(v & 0xf) - 8; /* stays in range: signed overflow on store is impl-defined */
    p.c = (unsigned)v;
    p.d = v;
    p.e = (unsigned long long)(int64_t)v * 0x10001ULL;
    p.f = v % 4000000;
    p.g = (unsigned)v;
    unsigned char raw[sizeof p];
    memcpy(raw, &p, sizeof p);
    printf("%7d: a %u b %d c %u d %d e %" PRIu64 " f %lld g %u raw", v, p.a, p.b, p.c, p.d,
           (uint64_t)p.e, (long long)p.f, p.g);
    for (unsigned k = 0; k < sizeof raw; ++k) printf(" %02x", raw[k]);
    printf("\n");
  }
  struct Flags f = {0};
  for (int i = 0; i < 40; i += 3) {
    f.ready ^= 1;
    f.mode = (unsigned char)(f.mode + 3);
    f.level = (unsigned char)(f.level * 3 + 1);
    f.id = (unsigned short)(f.id * 7 + (unsigned)i);
    unsigned char raw[sizeof f];
    memcpy(raw, &f, sizeof f);
    printf("flags %u %u %u %u raw %02x %02x %02x %02x\n", f.ready, f.mode, f.level, f.id, raw[0],
           raw[1], raw[2], raw[3]);
  }
}

static void Masks(void) {
  printf("-- masks\n");
  for (int i = 0; i < NV; ++i) {
    uint64_t x = vals[i];
    printf("%016" PRIx64 ": lowest %016" PRIx64 " clear-lowest %016" PRIx64
           " fill-right %016" PRIx64 " next-pow2 %016" PRIx64 " rev-nibbles %016" PRIx64 "\n",
           x, x & (0 - x), x & (x - 1), x | (x - 1),
           (uint64_t)(x > (1ULL << 63) ? 0 : (x <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(x - 1)))),
           (uint64_t)(((x & 0x0f0f0f0f0f0f0f0fULL) << 4) | ((x >> 4) & 0x0f0f0f0f0f0f0f0fULL)));
  }
  for (int lo = 0; lo < 64; lo += 9) {
    for (int width = 1; lo + width <= 64; width += 13) {
      uint64_t mask = width == 64 ? ~0ULL : ((1ULL << width) - 1) << lo;
      uint64_t x = vals[(lo + width) % NV];
      printf("extract[%d,%d] of %016" PRIx64 " = %" PRIx64 "  insert -> %016" PRIx64 "\n", lo,
             width, x, (x & mask) >> lo, (uint64_t)((x & ~mask) | (0x123456789ULL << lo & mask)));
    }
  }
}

int main(void) {
  Builtins();
  CrossCheck();
  BitFields();
  Masks();
  return 0;
}
