/* Guest test: floating-point text conversion both ways: printf with %a %e %f %g and their
 * precision, width and flag variants, and strtod/strtof/sscanf on tricky strings (denormals,
 * overflow, hex floats, halfway cases, nan/inf spellings), with errno and the end pointer. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile double vals[] = {0.0,
                                 -0.0,
                                 1.0,
                                 -1.5,
                                 0.1,
                                 123.456,
                                 1e21,
                                 1e-7,
                                 5e-324,
                                 2.2250738585072014e-308,
                                 1.7976931348623157e308,
                                 0.5,
                                 2.5,
                                 1e15,
                                 9.999999999999999e22,
                                 3.14159265358979,
                                 0.000123456789,
                                 INFINITY,
                                 -INFINITY};
static const char* formats[] = {
    "%a",    "%A",   "%.0a", "%.3a",  "%.20a",    "%e",      "%E",    "%.0e",    "%.3e",  "%.17e",
    "%f",    "%.0f", "%.1f", "%.10f", "%g",       "%G",      "%.0g",  "%.3g",    "%.17g", "%#g",
    "%#.0f", "%#x",  "%+e",  "% f",   "%-14.4g|", "%014.4f", "%+.3a", "%12.5e|", "%-12g|"};

static void Printf(void) {
  printf("-- printf\n");
  for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; ++i) {
    for (unsigned k = 0; k < sizeof formats / sizeof formats[0]; ++k) {
      if (strcmp(formats[k], "%#x") == 0) continue; /* only a placeholder for the int case below */
      char buf[512];
      int n = snprintf(buf, sizeof buf, formats[k], vals[i]);
      printf("[%s] %s -> %s (%d)\n", formats[k], i < 2 ? (i ? "-0" : "0") : "", buf, n);
    }
  }
  /* Rounding of the decimal output: exact halfway decimal cases round to even in glibc. */
  printf("%.0f %.0f %.0f %.0f %.1f %.1f %.2f\n", 0.5, 1.5, 2.5, -0.5, 0.25, 0.35, 1.005);
  printf("%.3f %.20f %.30e\n", 1e-10, 0.1, 1.0 / 3.0);
  printf("%.60f\n", 5e-324);
  printf("%.0f\n", 1.7976931348623157e308);
  printf("float: %a %.9g %e\n", (double)0.1f, (double)3.4028235e38f, (double)1.17549435e-38f);
  printf("star: [%*.*f] [%-*.*e]\n", 12, 3, 3.14159, 14, 2, -271.828);
  /* NaN's sign is host-specific; the magnitude text is not. */
  char buf[64];
  snprintf(buf, sizeof buf, "%f|%e|%g|%a", fabs(NAN), fabs(NAN), fabs(NAN), fabs(NAN));
  printf("nan: %s\n", buf);
}

static const char* inputs[] = {"0",
                               "-0",
                               "1",
                               "  +1.5e3xyz",
                               "0.1",
                               "1e-400",
                               "-1e-400",
                               "4.9406564584124654e-324",
                               "2.4703282292062327e-324",
                               "2.4703282292062328e-324",
                               "2.2250738585072011e-308",
                               "1.7976931348623157e308",
                               "1.7976931348623159e308",
                               "1e309",
                               "-1e309",
                               "0x1p-1074",
                               "0x1.fffffffffffffp1023",
                               "0x1.fffffffffffff8p1023",
                               "0X1.8P+1",
                               "0x.8p1",
                               "0x1p",
                               "nan",
                               "-NaN",
                               "nan(123)",
                               "inf",
                               "-Infinity",
                               "infinit",
                               "9007199254740993",
                               "9007199254740992.9999999999999999999",
                               "1.00000000000000011102230246251565404236316680908203125",
                               "1.00000000000000011102230246251565404236316680908203124",
                               ".5",
                               "5.",
                               ".",
                               "e5",
                               "-",
                               "123456789012345678901234567890e-40",
                               "0.000000000000000000000000000000000001e36",
                               "1e23",
                               "8.98846567431158e307",
                               "3.4028235677973366e38",
                               "1.40129846e-45",
                               "7.0064923216240854e-46",
                               "1e-46"};

static void Strto(void) {
  printf("-- strtod / strtof\n");
  for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; ++i) {
    char* end;
    errno = 0;
    double d = strtod(inputs[i], &end);
    int e1 = errno;
    long dend = end - inputs[i];
    errno = 0;
    float f = strtof(inputs[i], &end);
    int e2 = errno;
    long fend = end - inputs[i];
    printf("\"%s\": d ", inputs[i]);
    if (isnan(d))
      printf("nan");
    else
      printf("%a", d);
    printf(" end %ld %s; f ", dend, e1 == ERANGE ? "ERANGE" : e1 ? "errno?" : "ok");
    if (isnan(f))
      printf("nan");
    else
      printf("%a", (double)f);
    printf(" end %ld %s\n", fend, e2 == ERANGE ? "ERANGE" : e2 ? "errno?" : "ok");
  }
  printf("-- strtod round trip of %%.17g\n");
  unsigned bad = 0;
  double x = 1.0;
  for (int i = 0; i < 3000; ++i) {
    x = x * 1.618033988749895 + 0.0001;
    if (x > 1e300) x = 1e-300 * (double)(i + 1);
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", x);
    if (strtod(buf, NULL) != x) ++bad;
  }
  printf("round trip failures: %u\n", bad);
}

static void Scanf(void) {
  printf("-- sscanf\n");
  double a = 0, b = 0;
  float c = 0;
  int n = 0;
  int r = sscanf("3.25e2 -0x1.8p-3 1e-40 tail", "%lf %lf %f %n", &a, &b, &c, &n);
  printf("r %d a %a b %a c %a n %d\n", r, a, b, (double)c, n);
  r = sscanf("inf nan", "%lf %lf", &a, &b);
  printf("r %d a %a isnan(b) %d\n", r, a, isnan(b));
  r = sscanf("12.5abc", "%4lf%n", &a, &n);
  printf("r %d a %a n %d\n", r, a, n);
}

int main(void) {
  Printf();
  Strto();
  Scanf();
  return 0;
}
