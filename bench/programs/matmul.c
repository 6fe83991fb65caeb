/* Floating-point benchmark: repeated dense double-precision matrix products A <- A * B with a
 * row-stochastic B, so values stay bounded. 96x96 matrices (216 KiB) keep the work in cache:
 * this measures FP arithmetic and FP loads/stores, not DRAM. size = matrix products. */
#include "bench.h"

enum { kN = 96 };

int main(int argc, char** argv) {
  uint64_t reps = BenchSize(argc, argv);
  double* a = BenchAlloc(sizeof(double) * kN * kN);
  double* b = BenchAlloc(sizeof(double) * kN * kN);
  double* c = BenchAlloc(sizeof(double) * kN * kN);
  uint64_t seed = 3;
  for (int i = 0; i < kN * kN; ++i) {
    a[i] = (double)(SplitMix64(&seed) >> 11) * 0x1.0p-53;
    b[i] = (double)(SplitMix64(&seed) >> 11) * 0x1.0p-53;
  }
  /* Rows of B sum to 1, so A * B preserves A's row sums and nothing overflows. */
  for (int k = 0; k < kN; ++k) {
    double sum = 0.0;
    for (int j = 0; j < kN; ++j) sum += b[k * kN + j];
    for (int j = 0; j < kN; ++j) b[k * kN + j] /= sum;
  }
  uint64_t checksum = 0;
  for (uint64_t r = 0; r < reps; ++r) {
    for (int i = 0; i < kN; ++i) {
      double* ci = c + i * kN;
      for (int j = 0; j < kN; ++j) ci[j] = 0.0;
      for (int k = 0; k < kN; ++k) {
        double aik = a[i * kN + k];
        const double* bk = b + k * kN;
        for (int j = 0; j < kN; ++j) ci[j] += aik * bk[j];
      }
    }
    double* t = a;
    a = c;
    c = t;
    /* Re-add a small term so the values do not collapse to a fixed point. */
    a[r % (kN * kN)] += 0.5;
    checksum = Mix64(checksum, DoubleBits(a[(r * 7919) % (kN * kN)]));
  }
  BenchReport("matmul", reps, checksum);
  free(a);
  free(b);
  free(c);
  return 0;
}
