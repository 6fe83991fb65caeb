/* Memory-bound benchmark: sieve of Eratosthenes over a byte array (strided stores across a
 * buffer far larger than L2), then a sequential scan. size = sieve limit (bytes of the array). */
#include "bench.h"

int main(int argc, char** argv) {
  uint64_t limit = BenchSize(argc, argv);
  uint8_t* composite = BenchAlloc(limit + 1);
  memset(composite, 0, limit + 1);
  for (uint64_t p = 2; p * p <= limit; ++p) {
    if (composite[p]) continue;
    for (uint64_t m = p * p; m <= limit; m += p) composite[m] = 1;
  }
  uint64_t count = 0, checksum = 0;
  for (uint64_t i = 2; i <= limit; ++i) {
    if (!composite[i]) {
      ++count;
      checksum += i * count;
    }
  }
  BenchReport("sieve", limit, Mix64(checksum, count));
  free(composite);
  return 0;
}
