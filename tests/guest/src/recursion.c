/* Guest test: deep and varied recursion: a deep call chain with large frames (the guest stack must
 * be as big as a native one: 8 MiB by default), Ackermann, mutual recursion, recursion through
 * function pointers, and a recursive-descent parser. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static __attribute__((noinline)) uint64_t Deep(int n, uint64_t acc) {
  volatile unsigned char frame[200]; /* unsigned: plain char is unsigned on riscv64 only */
  frame[n % 200] = (unsigned char)n;
  if (n == 0) return acc;
  uint64_t r = Deep(n - 1, acc * 6364136223846793005ULL + (uint64_t)n);
  return r + (uint64_t)frame[n % 200];
}

static unsigned long ackermann_calls;
static unsigned long Ackermann(unsigned long m, unsigned long n) {
  ++ackermann_calls;
  if (m == 0) return n + 1;
  if (n == 0) return Ackermann(m - 1, 1);
  return Ackermann(m - 1, Ackermann(m, n - 1));
}

static int IsOdd(unsigned n);
static __attribute__((noinline)) int IsEven(unsigned n) { return n == 0 ? 1 : IsOdd(n - 1); }
static __attribute__((noinline)) int IsOdd(unsigned n) { return n == 0 ? 0 : IsEven(n - 1); }

typedef long (*Op)(long, int);
static long Tree(long x, int depth);
static long Leaf(long x, int depth) { return x * 3 + depth; }
static const Op kOps[2] = {Leaf, Tree};
static long Tree(long x, int depth) {
  if (depth == 0) return x;
  return kOps[depth % 2](x + 1, depth - 1) - kOps[1](x, depth - 1) / 2;
}

/* expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*; factor := num | '(' expr ')'
 * | '-' factor */
static const char* cursor;
static long Expr(void);
static long Factor(void) {
  if (*cursor == '(') {
    ++cursor;
    long v = Expr();
    ++cursor; /* ')' */
    return v;
  }
  if (*cursor == '-') {
    ++cursor;
    return -Factor();
  }
  long v = 0;
  while (*cursor >= '0' && *cursor <= '9') v = v * 10 + (*cursor++ - '0');
  return v;
}
static long Term(void) {
  long v = Factor();
  while (*cursor == '*' || *cursor == '/') {
    char op = *cursor++;
    long r = Factor();
    v = op == '*' ? v * r : (r ? v / r : 0);
  }
  return v;
}
static long Expr(void) {
  long v = Term();
  while (*cursor == '+' || *cursor == '-') {
    char op = *cursor++;
    long r = Term();
    v = op == '+' ? v + r : v - r;
  }
  return v;
}

int main(void) {
  printf("deep(20000) %016llx\n", (unsigned long long)Deep(20000, 1));
  for (unsigned long m = 0; m <= 3; ++m) {
    ackermann_calls = 0;
    unsigned long a = Ackermann(m, 6);
    printf("ackermann(%lu,6) = %lu in %lu calls\n", m, a, ackermann_calls);
  }
  printf("even(100001) %d odd(77777) %d\n", IsEven(100001), IsOdd(77777));
  printf("tree(1,22) %ld\n", Tree(1, 22));
  const char* exprs[] = {"1+2*3", "(1+2)*3", "-(4-10)*(3+-2)/2", "2*(3*(4*(5*(6+7))))-1000",
                         "((((((((((1))))))))))+((((2))))*3"};
  for (unsigned i = 0; i < sizeof exprs / sizeof exprs[0]; ++i) {
    cursor = exprs[i];
    printf("%s = %ld\n", exprs[i], Expr());
  }
  /* A deeply nested expression: recursion depth ~3 frames per parenthesis. */
  static char nested[40000];
  size_t n = 0;
  for (int i = 0; i < 5000; ++i) nested[n++] = '(';
  nested[n++] = '7';
  for (int i = 0; i < 5000; ++i) {
    nested[n++] = '+';
    nested[n++] = '1';
    nested[n++] = ')';
  }
  nested[n] = '\0';
  cursor = nested;
  printf("nested(5000) = %ld\n", Expr());
  return 0;
}
