/* Guest test: 32/64/128-bit integer arithmetic edge cases, shifts, rotations and overflow builtins.
 * Operands go through volatile variables so -O2 cannot fold them at compile time: the point is to
 * run the guest's div/rem/mulh/shift instructions, not the compiler's constant folder. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t v64[] = {0,
                                 1,
                                 -1,
                                 2,
                                 -2,
                                 3,
                                 -3,
                                 7,
                                 -7,
                                 1000000007,
                                 -1000000007,
                                 INT32_MAX,
                                 INT32_MIN,
                                 (int64_t)UINT32_MAX,
                                 INT64_MAX,
                                 INT64_MIN,
                                 INT64_MAX - 1,
                                 INT64_MIN + 1,
                                 0x5555555555555555,
                                 (int64_t)0xaaaaaaaaaaaaaaaaULL,
                                 0x123456789abcdefLL};
static volatile int32_t v32[] = {0,
                                 1,
                                 -1,
                                 2,
                                 -2,
                                 3,
                                 -3,
                                 7,
                                 -7,
                                 65537,
                                 -65537,
                                 INT32_MAX,
                                 INT32_MIN,
                                 INT32_MAX - 1,
                                 INT32_MIN + 1,
                                 0x55555555,
                                 (int32_t)0xaaaaaaaau,
                                 123456789};
#define N64 (int)(sizeof v64 / sizeof v64[0])
#define N32 (int)(sizeof v32 / sizeof v32[0])

static uint64_t hash = 1469598103934665603ULL;
static void Mix(uint64_t x) {
  for (int i = 0; i < 8; ++i) {
    hash ^= (x >> (8 * i)) & 0xff;
    hash *= 1099511628211ULL;
  }
}

static void Div64(void) {
  printf("-- div64\n");
  for (int i = 0; i < N64; ++i) {
    for (int j = 0; j < N64; ++j) {
      int64_t a = v64[i], b = v64[j];
      if (b == 0) continue; /* C leaves x/0 undefined (riscv gives -1, x86 traps) */
      if (a == INT64_MIN && b == -1) continue; /* overflow: undefined in C */
      int64_t q = a / b, r = a % b;
      uint64_t uq = (uint64_t)a / (uint64_t)b, ur = (uint64_t)a % (uint64_t)b;
      Mix((uint64_t)q);
      Mix((uint64_t)r);
      Mix(uq);
      Mix(ur);
      if (i % 4 == 0 && j % 3 == 0)
        printf("%" PRId64 " / %" PRId64 " = %" PRId64 " r %" PRId64 "; u: %" PRIu64 " r %" PRIu64
               "\n",
               a, b, q, r, uq, ur);
    }
  }
  /* INT64_MIN / -1 computed the defined way: in unsigned arithmetic. */
  uint64_t m = (uint64_t)v64[15];
  printf("INT64_MIN/-1 via unsigned negate: %" PRIu64 "\n", (uint64_t)0 - m);
  printf("hash %016" PRIx64 "\n", hash);
}

static void Div32(void) {
  printf("-- div32\n");
  for (int i = 0; i < N32; ++i) {
    for (int j = 0; j < N32; ++j) {
      int32_t a = v32[i], b = v32[j];
      if (b == 0 || (a == INT32_MIN && b == -1)) continue;
      int32_t q = a / b, r = a % b;
      uint32_t uq = (uint32_t)a / (uint32_t)b, ur = (uint32_t)a % (uint32_t)b;
      Mix((uint32_t)q);
      Mix((uint32_t)r);
      Mix(uq);
      Mix(ur);
      if (i % 3 == 0 && j % 4 == 1) printf("%d / %d = %d r %d; u: %u r %u\n", a, b, q, r, uq, ur);
    }
  }
  printf("hash %016" PRIx64 "\n", hash);
}

static void AddSubMul(void) {
  printf("-- add/sub/mul (wrapping, via unsigned)\n");
  for (int i = 0; i < N64; i += 2) {
    for (int j = 1; j < N64; j += 3) {
      uint64_t a = (uint64_t)v64[i], b = (uint64_t)v64[j];
      printf("%016" PRIx64 " %016" PRIx64 ": + %016" PRIx64 " - %016" PRIx64 " * %016" PRIx64 "\n",
             a, b, a + b, a - b, a * b);
    }
  }
  for (int i = 0; i < N32; i += 3) {
    uint32_t a = (uint32_t)v32[i], b = (uint32_t)v32[(i + 5) % N32];
    /* 32-bit results sign-extended to 64 bits, as riscv's addw/mulw produce them. */
    int64_t s = (int32_t)(a * b), t = (int32_t)(a + b), u = (int32_t)(a - b);
    printf("w %08x %08x: mul %" PRId64 " add %" PRId64 " sub %" PRId64 "\n", a, b, s, t, u);
  }
}

static void MulHigh(void) {
  printf("-- mulh via __int128\n");
  for (int i = 0; i < N64; ++i) {
    for (int j = i; j < N64; j += 2) {
      __int128 p = (__int128)v64[i] * v64[j];
      unsigned __int128 up = (unsigned __int128)(uint64_t)v64[i] * (uint64_t)v64[j];
      __int128 su = (__int128)v64[i] * (__int128)(uint64_t)v64[j];
      Mix((uint64_t)(p >> 64));
      Mix((uint64_t)(up >> 64));
      Mix((uint64_t)(su >> 64));
      if ((i + j) % 5 == 0)
        printf("mulh %016" PRIx64 " mulhu %016" PRIx64 " mulhsu %016" PRIx64 " lo %016" PRIx64 "\n",
               (uint64_t)(p >> 64), (uint64_t)(up >> 64), (uint64_t)(su >> 64), (uint64_t)p);
    }
  }
  printf("hash %016" PRIx64 "\n", hash);
}

static void Print128(const char* label, unsigned __int128 x) {
  char buf[64];
  int n = 0;
  do {
    buf[n++] = (char)('0' + (int)(x % 10));
    x /= 10;
  } while (x != 0);
  printf("%s ", label);
  while (n > 0) putchar(buf[--n]);
  putchar('\n');
}

static void Int128(void) {
  printf("-- __int128\n");
  volatile unsigned __int128 a =
      ((unsigned __int128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
  volatile unsigned __int128 b = 0xffffffffffffffffULL;
  volatile __int128 c = -((__int128)1 << 100) + 12345;
  Print128("a", a);
  Print128("a*b", a * b);
  Print128("a/b", a / b);
  Print128("a%b", a % b);
  Print128("a/7", a / 7);
  Print128("a>>67", a >> 67);
  Print128("a<<13", a << 13);
  Print128("-c", (unsigned __int128)(-c));
  Print128("c/-3 (neg)", (unsigned __int128)(-(c / -3)));
  Print128("c%1000 (neg)", (unsigned __int128)(-(c % 1000)));
  printf("c<0 %d  a>b %d  c>>120 %" PRId64 "\n", c<0, a> b, (int64_t)(c >> 120));
}

static volatile int shift_counts[] = {0, 1, 7, 31, 32, 33, 63};

static void Shifts(void) {
  printf("-- shifts and rotations\n");
  for (int i = 0; i < N64; i += 3) {
    for (unsigned k = 0; k < sizeof shift_counts / sizeof shift_counts[0]; ++k) {
      int s = shift_counts[k];
      uint64_t u = (uint64_t)v64[i];
      int64_t sra = v64[i] >> s; /* gcc defines >> of negatives as arithmetic */
      uint64_t rol = s ? (u << s) | (u >> (64 - s)) : u;
      uint64_t ror = s ? (u >> s) | (u << (64 - s)) : u;
      printf("%016" PRIx64 " s%-2d shl %016" PRIx64 " shr %016" PRIx64 " sra %016" PRIx64
             " rol %016" PRIx64 " ror %016" PRIx64 "\n",
             u, s, u << s, u >> s, (uint64_t)sra, rol, ror);
      if (s < 32) {
        uint32_t w = (uint32_t)v32[i % N32];
        int32_t sw = v32[i % N32] >> s;
        uint32_t rolw = s ? (w << s) | (w >> (32 - s)) : w;
        printf("  w %08x shl %08x shr %08x sra %08x rol %08x\n", w, w << s, w >> s, (uint32_t)sw,
               rolw);
      }
    }
  }
}

static void Overflow(void) {
  printf("-- overflow builtins\n");
  for (int i = 0; i < N64; i += 2) {
    for (int j = 0; j < N64; j += 3) {
      int64_t r1, r2, r3;
      int o1 = __builtin_add_overflow(v64[i], v64[j], &r1);
      int o2 = __builtin_sub_overflow(v64[i], v64[j], &r2);
      int o3 = __builtin_mul_overflow(v64[i], v64[j], &r3);
      uint64_t ur;
      int o4 = __builtin_add_overflow((uint64_t)v64[i], (uint64_t)v64[j], &ur);
      int32_t w;
      int o5 = __builtin_mul_overflow(v64[i], v64[j], &w);
      printf("%d%d%d%d%d %" PRId64 " %" PRId64 " %" PRId64 " %" PRIu64 " %d\n", o1, o2, o3, o4, o5,
             r1, r2, r3, ur, w);
    }
  }
}

static void Conversions(void) {
  printf("-- widening and narrowing\n");
  for (int i = 0; i < N64; ++i) {
    int64_t x = v64[i];
    printf("%" PRId64 ": i8 %d u8 %u i16 %d u16 %u i32 %d u32 %u\n", x, (int8_t)x, (uint8_t)x,
           (int16_t)x, (uint16_t)x, (int32_t)x, (uint32_t)x);
  }
  volatile signed char sc = -5;
  volatile unsigned char uc = 250;
  volatile short ss = -30000;
  printf("sc %d uc %d ss %d sc+uc %d sc*ss %d\n", sc, uc, ss, sc + uc, sc * ss);
}

int main(void) {
  Div64();
  Div32();
  AddSubMul();
  MulHigh();
  Int128();
  Shifts();
  Overflow();
  Conversions();
  printf("final hash %016" PRIx64 "\n", hash);
  return 0;
}
