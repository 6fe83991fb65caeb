/* libc-heavy benchmark: malloc/realloc/free churn over a pool of live blocks with mixed sizes
 * (mostly small, some page-sized, a few large enough for mmap), checking each block's contents
 * before it is freed. size = allocation steps. */
#include "bench.h"

enum { kSlots = 4096 };

typedef struct {
  uint8_t* p;
  size_t size;
  uint8_t tag;
} Slot;

static size_t PickSize(uint64_t r) {
  switch (r % 16) {
    case 0: return 4096 + (r >> 8) % 60000;   /* page-sized */
    case 1: return (r >> 8) % 64 == 0 ? 200000 + (r >> 16) % 100000 : 512; /* rare mmap */
    default: return 8 + (r >> 8) % 248;       /* small */
  }
}

int main(int argc, char** argv) {
  uint64_t steps = BenchSize(argc, argv);
  Slot* slots = BenchAlloc(kSlots * sizeof *slots);
  memset(slots, 0, kSlots * sizeof *slots);
  uint64_t seed = 21, checksum = 0;
  for (uint64_t s = 0; s < steps; ++s) {
    uint64_t r = SplitMix64(&seed);
    Slot* slot = &slots[r % kSlots];
    if (slot->p != NULL) {
      /* Touch both ends: a corrupted heap or a lost write changes the checksum. */
      checksum = Mix64(checksum, slot->p[0] ^ ((uint64_t)slot->p[slot->size - 1] << 8) ^ slot->size);
      if ((r >> 40) % 4 == 0) {
        size_t new_size = PickSize(r >> 3);
        uint8_t* q = realloc(slot->p, new_size);
        if (q == NULL) return 3;
        if (new_size > slot->size) memset(q + slot->size, slot->tag, new_size - slot->size);
        slot->p = q;
        slot->size = new_size;
        q[new_size - 1] = slot->tag;
        continue;
      }
      free(slot->p);
      slot->p = NULL;
    }
    slot->size = PickSize(r >> 13);
    slot->tag = (uint8_t)(r >> 56);
    slot->p = BenchAlloc(slot->size);
    memset(slot->p, slot->tag, slot->size);
  }
  for (int i = 0; i < kSlots; ++i) {
    if (slots[i].p != NULL) checksum = Mix64(checksum, slots[i].p[slots[i].size / 2] + slots[i].size);
    free(slots[i].p);
  }
  free(slots);
  BenchReport("alloc", steps, checksum);
  return 0;
}
