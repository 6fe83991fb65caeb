// Built with -Ofast (and linked with -ffast-math): the C runtime's crtfastmath.o turns on
// flush-to-zero before main (AArch64 FPCR.FZ; x86-64 MXCSR FTZ and DAZ, the native reference).
// Part 1 computes only with values whose every intermediate result is exact and normal, so the
// output does not depend on FTZ, on the vector width gcc picks, or on the reassociation -Ofast
// allows. Part 2 prints what the flush does to subnormal inputs and tiny results; the values
// agree with the Arm ARM's FPUnpackBase/FPRoundBase under FPCR.FZ = 1 (a subnormal operand reads
// as zero, a result below 2^-126 / 2^-1022 becomes zero) as with x86's DAZ/FTZ for these inputs.
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N 1024

static float xs[N], ys[N];
static double xd[N], yd[N];

static unsigned FloatBits(float f) {
  unsigned u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static void Exact(void) {
  for (int i = 0; i < N; ++i) {
    xs[i] = (float)(i % 64) * 0.5f;
    ys[i] = (float)(i % 17) - 8.0f;
    xd[i] = (double)i * 0.25;
    yd[i] = (double)(i % 31);
  }
  float dot = 0.0f, mx = -1e30f, mn = 1e30f;
  for (int i = 0; i < N; ++i) {  // vectorised: fmla/fmax/fmin on v registers
    dot += xs[i] * ys[i];
    mx = fmaxf(mx, xs[i] - ys[i]);
    mn = fminf(mn, xs[i] * ys[i]);
  }
  double sum = 0.0, sq = 0.0;
  for (int i = 0; i < N; ++i) {
    sum += xd[i] * yd[i] + 1.0;
    sq += sqrt(yd[i] * yd[i]);
  }
  long conv = 0;
  for (int i = 0; i < N; ++i) conv += (long)(xd[i] * 4.0) - (int)ys[i];
  printf("dot %.1f max %.1f min %.1f\n", dot, mx, mn);
  printf("sum %.2f sq %.1f conv %ld\n", sum, sq, conv);
  printf("div %.6f %.6f\n", 1.0f / 8.0f, 355.0 / 113.0);
}

static volatile float v_tiny = 1e-30f, v_small = 1e-15f, v_big = 1e30f;
static volatile float v_sub = 1e-40f;  // subnormal in binary32
static volatile double v_dtiny = 1e-300, v_dsmall = 1e-20;

static void Flush(void) {
  float product = v_tiny * v_small;  // 1e-45: a binary32 subnormal without FZ
  printf("tiny product %a (bits %08x)\n", (double)product, FloatBits(product));
  float scaled = v_sub * v_big;  // 1e-10 if the subnormal input were kept
  printf("subnormal input * 1e30 = %g\n", (double)scaled);
  printf("subnormal input == 0: %d\n", v_sub == 0.0f);
  double dproduct = v_dtiny * v_dsmall;  // 1e-320: a binary64 subnormal without FZ
  printf("double tiny product %a\n", dproduct);
  feclearexcept(FE_ALL_EXCEPT);
  volatile float again = v_tiny * v_small;
  (void)again;
  printf("underflow raised: %d\n", fetestexcept(FE_UNDERFLOW) != 0);
}

int main(void) {
  Exact();
  Flush();
  return 0;
}
