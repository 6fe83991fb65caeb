/* Guest test helper: prints floating-point values so the text does not depend on the host. The sign
 * and payload of a NaN are implementation-specific (x86-64 produces negative default NaNs, riscv64
 * positive canonical ones), so every NaN prints as "nan"; everything else prints exactly. */
#ifndef POLYVM_GUEST_FPUTIL_H
#define POLYVM_GUEST_FPUTIL_H

#include <math.h>
#include <stdio.h>

/* Exact: hex float plus a readable form. */
static inline void PrintD(const char* label, double x) {
  if (isnan(x))
    printf("%s nan\n", label);
  else
    printf("%s %a (%.17g)\n", label, x, x);
}

static inline void PrintF(const char* label, float x) {
  if (isnan(x))
    printf("%s nan\n", label);
  else
    printf("%s %a (%.9g)\n", label, (double)x, (double)x);
}

/* For libm functions that glibc does not promise to round correctly (exp, log, pow, sin, ...): the
 * x86-64 build may pick FMA-based variants at run time, so the last bit can differ from riscv64.
 * 15 significant digits are well inside their documented error bounds. */
static inline void PrintApprox(const char* label, double x) {
  if (isnan(x))
    printf("%s nan\n", label);
  else
    printf("%s %.15g\n", label, x);
}

#endif
