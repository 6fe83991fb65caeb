/* Memory-bound benchmark: pointer chasing through one random cycle (Sattolo's shuffle) over
 * 16-byte nodes, so nearly every hop misses the caches. size = nodes; the default 1M nodes make a
 * 16 MiB working set, far beyond L2. The walk makes 2 * size dependent hops. */
#include "bench.h"

typedef struct {
  uint32_t next;
  uint32_t value;
  uint64_t pad; /* 16-byte nodes: one node per access, four per cache line */
} Node;

int main(int argc, char** argv) {
  uint64_t n = BenchSize(argc, argv);
  if (n > UINT32_MAX) {
    fprintf(stderr, "chase: size too large\n");
    return 2;
  }
  Node* nodes = BenchAlloc(n * sizeof *nodes);
  uint32_t* order = BenchAlloc(n * sizeof *order);
  for (uint64_t i = 0; i < n; ++i) order[i] = (uint32_t)i;
  /* Sattolo's algorithm gives a single cycle through all nodes. */
  uint64_t seed = 11;
  for (uint64_t i = n - 1; i > 0; --i) {
    uint64_t j = SplitMix64(&seed) % i;
    uint32_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (uint64_t i = 0; i < n; ++i) {
    nodes[order[i]].next = order[(i + 1) % n];
    nodes[i].value = (uint32_t)(i * 2654435761u);
    nodes[i].pad = i;
  }
  free(order);

  uint64_t checksum = 0;
  uint32_t at = 0;
  for (uint64_t hop = 0; hop < 2 * n; ++hop) {
    checksum += nodes[at].value ^ hop;
    at = nodes[at].next;
  }
  BenchReport("chase", n, Mix64(checksum, at));
  free(nodes);
  return 0;
}
