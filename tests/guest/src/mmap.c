/* Guest test: the address-space system calls: anonymous and file mappings (private and shared),
 * MAP_FIXED over an existing mapping, mprotect, mremap growing and moving, munmap of a middle
 * page, madvise(MADV_DONTNEED) zeroing, msync, brk/sbrk, and mincore. Addresses are never printed,
 * only contents and relations between them. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  printf("page size %zu\n", page);

  char* anon = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int zero = 1;
  for (size_t i = 0; i < 8 * page; ++i) zero &= anon[i] == 0;
  printf("anonymous mapping is zeroed: %d, page aligned: %d\n", zero,
         ((uintptr_t)anon % page) == 0);
  for (size_t p = 0; p < 8; ++p) memset(anon + p * page, 'a' + (int)p, page);
  char* fixed = mmap(anon + 2 * page, 2 * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  printf("MAP_FIXED at requested address: %d, replaced bytes %d %d, neighbours kept: %c %c\n",
         fixed == anon + 2 * page, anon[2 * page], anon[4 * page - 1], anon[page], anon[4 * page]);
  munmap(anon + 5 * page, page);
  unsigned char vec[8];
  int mc = mincore(anon, 8 * page, vec);
  printf("mincore over a hole fails: %d\n", mc != 0);
  char* grown = mremap(anon + 6 * page, 2 * page, 16 * page, MREMAP_MAYMOVE);
  printf("mremap grown: old contents %c %c, new tail byte %d\n", grown[0], grown[page],
         grown[15 * page]);
  char* moved = mremap(anon, 2 * page, 2 * page, MREMAP_MAYMOVE | MREMAP_FIXED, grown + 20 * page);
  printf("mremap fixed: at target %d contents %c %c\n", moved == grown + 20 * page, moved[0],
         moved[page]);
  madvise(moved, page, MADV_DONTNEED);
  printf("MADV_DONTNEED zeroes private anonymous: %d, next page kept %c\n", moved[0] == 0,
         moved[page]);
  mprotect(moved, 2 * page, PROT_READ);
  printf("read after PROT_READ: %c\n", moved[page]);
  munmap(moved, 2 * page);
  munmap(grown, 16 * page);
  munmap(anon + 2 * page, 3 * page);
  munmap(anon + 7 * page, page);

  int fd = open("mapped.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
  for (int i = 0; i < 3; ++i) {
    char block[4096];
    memset(block, '0' + i, sizeof block);
    write(fd, block, sizeof block);
  }
  char* shared = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char* priv = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  char* offset = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 2 * 4096);
  printf("file maps: %c %c %c offset %c\n", shared[0], shared[4096], priv[2 * 4096], offset[0]);
  memcpy(shared + 10, "SHARED", 6);
  memcpy(priv + 20, "PRIVATE", 7);
  msync(shared, 3 * 4096, MS_SYNC);
  char back[32];
  pread(fd, back, 30, 0);
  printf("file sees shared write, not private: %.30s\n", back);
  pwrite(fd, "written-by-pwrite", 17, 2 * 4096);
  printf("mapping sees pwrite: %.17s / %.17s\n", offset, shared + 2 * 4096);
  printf("private copy keeps its own data: %.7s, shared view %.7s\n", priv + 20, shared + 20);
  munmap(shared, 3 * 4096);
  munmap(priv, 3 * 4096);
  munmap(offset, 4096);
  close(fd);
  unlink("mapped.dat");

  char* start = sbrk(0);
  char* more = sbrk(3 * (intptr_t)page);
  memset(more, 'b', 3 * page);
  char* end = sbrk(0);
  printf("sbrk grew by %ld, old break returned %d\n", (long)(end - start), more == start);
  sbrk(-(intptr_t)page);
  printf("sbrk shrank by %ld\n", (long)(end - (char*)sbrk(0)));
  void* fail = mmap(NULL, page, PROT_READ, MAP_PRIVATE, -1, 0);
  printf("mmap without MAP_ANONYMOUS and fd -1 fails: %d\n", fail == MAP_FAILED);
  return 0;
}
