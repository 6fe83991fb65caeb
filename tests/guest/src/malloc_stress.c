/* Guest test: the allocator under churn: many sizes from a few bytes to mmap-sized blocks,
 * malloc/calloc/realloc/free in a pseudo-random order, memalign/posix_memalign, with every live
 * block's contents verified by a per-block pattern and the final checksum printed. Exercises brk,
 * mmap/munmap and mremap in the guest's memory layer. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kSlots = 1500, kOps = 60000 };

static uint64_t state = 88172645463325252ULL;
static uint64_t Rand(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

struct Slot {
  unsigned char* p;
  size_t size;
  unsigned char tag;
};
static struct Slot slots[kSlots];
static unsigned long corrupt;

static size_t PickSize(void) {
  uint64_t r = Rand() % 1000;
  if (r < 600) return 1 + Rand() % 64;
  if (r < 900) return 64 + Rand() % 2048;
  if (r < 990) return 2048 + Rand() % 65536;
  return 128 * 1024 + Rand() % (1024 * 1024); /* above the mmap threshold */
}

static void Fill(struct Slot* s) {
  for (size_t i = 0; i < s->size; i += 1 + i / 64) s->p[i] = (unsigned char)(s->tag + i);
}

static void Verify(const struct Slot* s, size_t upto) {
  for (size_t i = 0; i < upto; i += 1 + i / 64)
    if (s->p[i] != (unsigned char)(s->tag + i)) {
      ++corrupt;
      return;
    }
}

int main(void) {
  unsigned long mallocs = 0, callocs = 0, reallocs = 0, frees = 0, aligned = 0, calloc_dirty = 0;
  uint64_t checksum = 0;
  for (int op = 0; op < kOps; ++op) {
    struct Slot* s = &slots[Rand() % kSlots];
    uint64_t kind = Rand() % 10;
    if (s->p == NULL) {
      s->size = PickSize();
      s->tag = (unsigned char)Rand();
      if (kind < 2) {
        s->p = calloc(1, s->size);
        ++callocs;
        for (size_t i = 0; i < s->size; i += 1 + i / 16) calloc_dirty += s->p[i] != 0;
      } else if (kind < 3) {
        size_t align = (size_t)16 << (Rand() % 8);
        void* q = NULL;
        if (posix_memalign(&q, align, s->size) == 0 && ((uintptr_t)q & (align - 1)) == 0) ++aligned;
        s->p = q;
      } else {
        s->p = malloc(s->size);
        ++mallocs;
      }
      Fill(s);
    } else if (kind < 3) {
      size_t new_size = PickSize();
      Verify(s, s->size);
      unsigned char* q = realloc(s->p, new_size);
      ++reallocs;
      s->p = q;
      Verify(s, s->size < new_size ? s->size : new_size); /* the common prefix survives */
      s->size = new_size;
      Fill(s);
    } else {
      Verify(s, s->size);
      for (size_t i = 0; i < s->size; i += 1 + i / 64)
        checksum = checksum * 31 + s->p[i]; /* filled bytes only */
      free(s->p);
      s->p = NULL;
      ++frees;
    }
  }
  for (int i = 0; i < kSlots; ++i) {
    if (slots[i].p) {
      Verify(&slots[i], slots[i].size);
      checksum = checksum * 31 + slots[i].size;
      free(slots[i].p);
    }
  }
  printf("mallocs %lu callocs %lu reallocs %lu frees %lu aligned-ok %lu\n", mallocs, callocs,
         reallocs, frees, aligned);
  printf("corrupt blocks %lu, non-zero calloc bytes %lu, checksum %016llx\n", corrupt, calloc_dirty,
         (unsigned long long)checksum);
  /* A big allocation grown repeatedly: mremap when the kernel allows it. */
  size_t size = 1 << 20;
  unsigned char* big = malloc(size);
  memset(big, 0x5a, size);
  for (int i = 0; i < 6; ++i) {
    size *= 2;
    big = realloc(big, size);
    memset(big + size / 2, 0x5a + i, size / 2);
  }
  uint64_t sum = 0;
  for (size_t i = 0; i < size; i += 4096) sum += big[i];
  free(big);
  printf("grown to %zu bytes, sampled sum %llu\n", size, (unsigned long long)sum);
  return corrupt != 0 || calloc_dirty != 0;
}
