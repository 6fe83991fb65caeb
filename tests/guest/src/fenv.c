/* Guest test: <fenv.h>: every rounding mode applied to operations whose result depends on it, and
 * the five exception flags raised (or not) by arithmetic, conversions, comparisons and libm. Built
 * with -frounding-math so the compiler neither folds nor moves FP work across fesetround. Values
 * that C leaves unspecified (lrint out of range) are not printed, only the flags they raise. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fputil.h"

static void PrintFlags(const char* what) {
  int f = fetestexcept(FE_ALL_EXCEPT);
  printf("%-28s flags %c%c%c%c%c\n", what, f & FE_INVALID ? 'I' : '-', f & FE_DIVBYZERO ? 'Z' : '-',
         f & FE_OVERFLOW ? 'O' : '-', f & FE_UNDERFLOW ? 'U' : '-', f & FE_INEXACT ? 'X' : '-');
}

static volatile double sink;
static volatile float fsink;
static volatile long lsink;
static volatile int isink;

static void Exceptions(void) {
  printf("-- exception flags\n");
  volatile double zero = 0.0, one = 1.0, three = 3.0, m1 = -1.0, big = DBL_MAX, small = DBL_MIN;
  volatile double inf = INFINITY, qnan = NAN, huge_val = 1e30, denorm_exact = 0x1p-1060;
#define CASE(label, expr)         \
  do {                            \
    feclearexcept(FE_ALL_EXCEPT); \
    expr;                         \
    PrintFlags(label);            \
  } while (0)
  CASE("1+1", sink = one + one);
  CASE("0/0", sink = zero / zero);
  CASE("sqrt(-1)", sink = sqrt(m1));
  CASE("inf-inf", sink = inf - inf);
  CASE("0*inf", sink = zero * inf);
  CASE("1/0", sink = one / zero);
  CASE("-1/0", sink = m1 / zero);
  CASE("log(0)", sink = log(zero));
  CASE("max*2", sink = big * 2.0);
  CASE("min*min", sink = small * small);
  CASE("min/3", sink = small / three);
  CASE("exact denormal 2^-1060*2^-10", sink = denorm_exact * 0x1p-10);
  CASE("1/3", sink = one / three);
  CASE("(float)1e300", fsink = (float)big);
  CASE("(float)0.1", fsink = (float)(one / 10.0));
  CASE("(float)1.0", fsink = (float)one);
  CASE("(float)2^-1060", fsink = (float)denorm_exact);
  CASE("(double)16777217 int", sink = (double)(isink = 16777217));
  CASE("(float)16777217 int", fsink = (float)(isink = 16777217));
  CASE("(int)2.5 trunc", isink = (int)(one * 2.5));
  CASE("lrint(2.5)", lsink = lrint(one * 2.5));
  CASE("lrint(2.0)", lsink = lrint(one * 2.0));
  CASE("lrint(1e30) [value unspec.]", lsink = lrint(huge_val));
  CASE("lrint(nan) [value unspec.]", lsink = lrint(qnan));
  CASE("rint(2.5)", sink = rint(one * 2.5));
  CASE("nearbyint(2.5)", sink = nearbyint(one * 2.5));
  CASE("1 < nan", isink = one < qnan);
  CASE("1 == nan", isink = one == qnan);
  CASE("isless(1,nan)", isink = isless(one, qnan));
  CASE("nan+1", sink = qnan + one);
  CASE("fma(inf,0,1)", sink = fma(inf, zero, one));
  CASE("sqrt(2)", sink = sqrt(one + one));
  CASE("sqrt(4)", sink = sqrt(one * 4.0));
#undef CASE

  printf("-- raise/save/restore\n");
  feclearexcept(FE_ALL_EXCEPT);
  feraiseexcept(FE_OVERFLOW | FE_INEXACT);
  PrintFlags("raised O|X");
  fexcept_t saved;
  fegetexceptflag(&saved, FE_ALL_EXCEPT);
  feclearexcept(FE_INEXACT);
  PrintFlags("cleared X");
  fesetexceptflag(&saved, FE_ALL_EXCEPT);
  PrintFlags("restored");
  fenv_t env;
  feholdexcept(&env);
  PrintFlags("after feholdexcept");
  sink = zero / zero;
  PrintFlags("0/0 while held");
  feupdateenv(&env);
  PrintFlags("after feupdateenv");
  feclearexcept(FE_ALL_EXCEPT);
}

static void Rounding(void) {
  static const struct {
    int mode;
    const char* name;
  } kModes[] = {{FE_TONEAREST, "nearest"},
                {FE_UPWARD, "upward"},
                {FE_DOWNWARD, "downward"},
                {FE_TOWARDZERO, "toward-zero"}};
  volatile double one = 1.0, three = 3.0, m1 = -1.0, two = 2.0, big = DBL_MAX, tiny = 0x1p-1074;
  volatile double halfs[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.7, -2.7};
  volatile int64_t i64 = 9007199254740993LL; /* 2^53 + 1: not representable */
  for (unsigned m = 0; m < sizeof kModes / sizeof kModes[0]; ++m) {
    if (fesetround(kModes[m].mode) != 0) {
      printf("fesetround(%s) failed\n", kModes[m].name);
      continue;
    }
    printf("-- rounding %s (fegetround matches: %d)\n", kModes[m].name,
           fegetround() == kModes[m].mode);
    PrintD("1/3", one / three);
    PrintD("-1/3", m1 / three);
    PrintD("2/3", two / three);
    PrintD("1+2^-53", one + 0x1p-53);
    PrintD("-1-2^-53", m1 - 0x1p-53);
    PrintD("sqrt(2)", sqrt(two));
    PrintD("sqrt(3)", sqrt(three));
    PrintD("fma(1/3,3,-1)", fma(one / three, three, m1));
    PrintD("max*2", big * two);
    PrintD("-max*2", -big * two);
    PrintD("tiny/2", tiny / two);
    PrintD("-tiny/2", -tiny / two);
    PrintD("(double)(2^53+1)", (double)i64);
    PrintF("(float)(1/3)", (float)(one / three));
    PrintF("(float)-0.1", (float)(m1 / 10.0));
    PrintF("1.0f/3.0f", (float)one / (float)three);
    PrintD("1-1 (sign of zero)", one - one);
    for (unsigned i = 0; i < sizeof halfs / sizeof halfs[0]; ++i) {
      double x = halfs[i];
      printf("  %.1f: rint %a nearbyint %a lrint %ld llrint %lld round %a (int) %d\n", x, rint(x),
             nearbyint(x), lrint(x), llrint(x), round(x), (int)x);
    }
    printf("  printf %%.0f of 0.5 1.5 2.5: %.0f %.0f %.0f; %%.3f of 1/3: %.3f\n", halfs[0],
           halfs[1], halfs[2], one / three);
    PrintD("  strtod(\"0.1\")", strtod("0.1", NULL));
    PrintD("  strtod(\"1e400\")", strtod("1e400", NULL));
  }
  fesetround(FE_TONEAREST);
}

int main(void) {
  Exceptions();
  Rounding();
  return 0;
}
