/* Guest test: IEEE 754 arithmetic in float and double (correctly rounded, so printed exactly),
 * comparisons with NaN and signed zeros, denormals, and conversions between integers, float and
 * double. Operands come from volatile arrays so the guest's FP instructions do the work. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "fputil.h"

static volatile double dv[] = {0.0,
                               -0.0,
                               1.0,
                               -1.0,
                               0.1,
                               1.0 / 3.0,
                               2.5,
                               -7.75,
                               1e300,
                               -1e300,
                               1e-300,
                               4.9406564584124654e-324,
                               2.2250738585072014e-308,
                               1.7976931348623157e308,
                               0x1.fffffffffffffp-1,
                               3.0e15 + 0.5,
                               INFINITY,
                               -INFINITY,
                               NAN};
static volatile float fv[] = {
    0.0f,           -0.0f,       1.0f,     -1.0f,     0.1f,     1.0f / 3.0f,     2.5f,
    -7.75f,         1e30f,       -1e30f,   1e-30f,    1.4e-45f, 1.17549435e-38f, 3.40282347e38f,
    0x1.fffffep-1f, 16777217.0f, INFINITY, -INFINITY, NAN};
#define ND (int)(sizeof dv / sizeof dv[0])
#define NF (int)(sizeof fv / sizeof fv[0])

static void DoubleOps(void) {
  printf("-- double + - * / sqrt\n");
  char label[64];
  for (int i = 0; i < ND; ++i) {
    for (int j = 0; j < ND; j += 2) {
      double a = dv[i], b = dv[j];
      snprintf(label, sizeof label, "d[%d]+d[%d]", i, j);
      PrintD(label, a + b);
      snprintf(label, sizeof label, "d[%d]-d[%d]", i, j);
      PrintD(label, a - b);
      snprintf(label, sizeof label, "d[%d]*d[%d]", i, j);
      PrintD(label, a * b);
      snprintf(label, sizeof label, "d[%d]/d[%d]", i, j);
      PrintD(label, a / b);
    }
    snprintf(label, sizeof label, "sqrt d[%d]", i);
    PrintD(label, sqrt(dv[i]));
  }
}

static void FloatOps(void) {
  printf("-- float + - * / sqrt, mixed with double\n");
  char label[64];
  for (int i = 0; i < NF; ++i) {
    for (int j = 1; j < NF; j += 2) {
      float a = fv[i], b = fv[j];
      snprintf(label, sizeof label, "f[%d]+f[%d]", i, j);
      PrintF(label, a + b);
      snprintf(label, sizeof label, "f[%d]*f[%d]", i, j);
      PrintF(label, a * b);
      snprintf(label, sizeof label, "f[%d]/f[%d]", i, j);
      PrintF(label, a / b);
      snprintf(label, sizeof label, "f[%d]*d[%d]", i, j);
      PrintD(label, (double)a * dv[j]);
    }
    snprintf(label, sizeof label, "sqrtf f[%d]", i);
    PrintF(label, sqrtf(fv[i]));
  }
  /* Sum that rounds differently in float and double. */
  float fs = 0.0f;
  double ds = 0.0;
  for (int i = 1; i <= 10000; ++i) {
    fs += 1.0f / (float)i;
    ds += 1.0 / (double)i;
  }
  PrintF("harmonic float", fs);
  PrintD("harmonic double", ds);
}

static void Compare(void) {
  printf("-- comparisons (== < <= > >= != isless isunordered)\n");
  for (int i = 0; i < ND; i += 1) {
    for (int j = 0; j < ND; j += 3) {
      double a = dv[i], b = dv[j];
      printf("d[%d] d[%d]: %d%d%d%d%d%d %d%d\n", i, j, a == b, a<b, a <= b, a> b, a >= b, a != b,
             isless(a, b), isunordered(a, b));
    }
  }
  for (int i = 0; i < NF; i += 2) {
    float a = fv[i], b = fv[(i + 7) % NF];
    printf("f[%d] f[%d]: %d%d%d %d\n", i, (i + 7) % NF, a == b, a < b, a <= b, isunordered(a, b));
  }
  volatile double z = 0.0, nz = -0.0;
  printf("0 == -0: %d  signbit(-0) %d  1/-0 < 0: %d  copysign %a %a  fabs(-0) signbit %d\n",
         z == nz, signbit(nz) != 0, 1.0 / nz < 0, copysign(3.0, nz), copysign(3.0, z),
         signbit(fabs(nz)) != 0);
  printf("neg: -(0.0) signbit %d, -(-0.0) signbit %d, 0.0-0.0 signbit %d, -0.0-0.0 signbit %d\n",
         signbit(-z) != 0, signbit(-nz) != 0, signbit(z - z) != 0, signbit(nz - z) != 0);
  printf("classify:");
  for (int i = 0; i < ND; ++i) printf(" %d", fpclassify(dv[i]));
  printf("\n");
}

static volatile int64_t iv[] = {0,
                                1,
                                -1,
                                3,
                                -3,
                                16777217,
                                -16777217,
                                9007199254740993LL,
                                -9007199254740993LL,
                                INT64_MAX,
                                INT64_MIN,
                                4611686018427387903LL,
                                (int64_t)INT32_MAX,
                                (int64_t)INT32_MIN};
static volatile uint64_t uv[] = {0,
                                 1,
                                 0x8000000000000000ULL,
                                 0xffffffffffffffffULL,
                                 0x7fffffffffffffffULL,
                                 0xfffffffffffff800ULL,
                                 0x20000000000001ULL,
                                 0x1000000000000001ULL,
                                 UINT32_MAX};

static void Conversions(void) {
  printf("-- int -> fp (rounding)\n");
  for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; ++i) {
    int64_t x = iv[i];
    printf("%" PRId64 ": d %a f %a  (int32 %d -> d %a f %a)\n", x, (double)x, (double)(float)x,
           (int32_t)x, (double)(int32_t)x, (double)(float)(int32_t)x);
  }
  for (unsigned i = 0; i < sizeof uv / sizeof uv[0]; ++i) {
    uint64_t x = uv[i];
    printf("%" PRIu64 "u: d %a f %a (u32 -> d %a f %a)\n", x, (double)x, (double)(float)x,
           (double)(uint32_t)x, (double)(float)(uint32_t)x);
  }
  printf("-- fp -> int (truncation, in range only: out of range is undefined in C)\n");
  static volatile double in_range[] = {0.0,
                                       -0.0,
                                       0.5,
                                       -0.5,
                                       0.9999999999999999,
                                       -1.5,
                                       2.5,
                                       2147483647.9,
                                       -2147483648.9,
                                       4294967295.5,
                                       9.2233720368547748e18,
                                       -9.2233720368547758e18,
                                       1.8446744073709550e19,
                                       123456789.987654321};
  for (unsigned i = 0; i < sizeof in_range / sizeof in_range[0]; ++i) {
    double d = in_range[i];
    printf("%.17g:", d);
    if (d > -2147483649.0 && d < 2147483648.0) printf(" i32 %d", (int32_t)d);
    if (d > -1.0 && d < 4294967296.0) printf(" u32 %u", (uint32_t)d);
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
      printf(" i64 %" PRId64, (int64_t)d);
    if (d > -1.0 && d < 18446744073709551616.0) printf(" u64 %" PRIu64, (uint64_t)d);
    float f = (float)d;
    if (f > -2147483649.0f && f < 2147483648.0f) printf(" f->i32 %d", (int32_t)f);
    if (f >= -9223372036854775808.0f && f < 9223372036854775808.0f)
      printf(" f->i64 %" PRId64, (int64_t)f);
    printf("\n");
  }
  printf("-- double <-> float\n");
  for (int i = 0; i < ND; ++i) {
    char label[48];
    snprintf(label, sizeof label, "(float)d[%d]", i);
    PrintF(label, (float)dv[i]);
  }
  for (int i = 0; i < NF; ++i) {
    char label[48];
    snprintf(label, sizeof label, "(double)f[%d]", i);
    PrintD(label, (double)fv[i]);
  }
  volatile double tie = 1.0 + 0x1p-24; /* halfway between two floats: ties to even */
  PrintF("tie to even", (float)tie);
  PrintF("tie to even 2", (float)(1.0 + 3 * 0x1p-24));
  PrintF("double denormal to float", (float)(double)0x1p-140);
  PrintF("below float range", (float)(double)0x1p-160);
}

static void Denormals(void) {
  printf("-- denormals\n");
  volatile double d = DBL_MIN;
  for (int i = 0; i < 6; ++i) {
    d /= 3.0;
    PrintD("DBL_MIN/3^k", d);
  }
  volatile double tiny = 0x1p-1074;
  PrintD("tiny*0.5", tiny * 0.5);
  PrintD("tiny*1.5", tiny * 1.5);
  PrintD("tiny*2.5", tiny * 2.5);
  PrintD("min-normal - tiny", DBL_MIN - tiny);
  volatile float f = FLT_MIN;
  for (int i = 0; i < 4; ++i) {
    f *= 0.3f;
    PrintF("FLT_MIN*0.3^k", f);
  }
  PrintD("huge*huge", DBL_MAX * 2.0);
  PrintD("-huge*huge", -DBL_MAX * 2.0);
  PrintF("float overflow", fv[13] * 2.0f);
}

int main(void) {
  DoubleOps();
  FloatOps();
  Compare();
  Conversions();
  Denormals();
  return 0;
}
