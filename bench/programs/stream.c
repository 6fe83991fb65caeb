/* Memory-bound benchmark: streaming over three 8 MiB arrays (24 MiB, beyond L2): libc memcpy and
 * memset, a STREAM-style integer triad and a reduction. size = passes over the arrays. */
#include "bench.h"

enum { kWords = 1 << 20 };

int main(int argc, char** argv) {
  uint64_t passes = BenchSize(argc, argv);
  uint64_t* a = BenchAlloc(kWords * sizeof *a);
  uint64_t* b = BenchAlloc(kWords * sizeof *b);
  uint64_t* c = BenchAlloc(kWords * sizeof *c);
  uint64_t seed = 5;
  for (size_t i = 0; i < kWords; ++i) a[i] = SplitMix64(&seed);
  memset(c, 0, kWords * sizeof *c);

  uint64_t checksum = 0;
  for (uint64_t pass = 0; pass < passes; ++pass) {
    memcpy(b, a, kWords * sizeof *a);
    for (size_t i = 0; i < kWords; ++i) c[i] = b[i] + 3 * c[i] + pass; /* triad */
    uint64_t sum = 0;
    for (size_t i = 0; i < kWords; ++i) sum += c[i] ^ (c[i] >> 7);
    checksum = Mix64(checksum, sum);
    memset(b, (int)(pass & 0xff), kWords * sizeof *b);
    a[pass % kWords] ^= sum + b[kWords - 1];
  }
  BenchReport("stream", passes, checksum);
  free(a);
  free(b);
  free(c);
  return 0;
}
