/* Helpers shared by the polyvm benchmark programs: the size argument, a PRNG and the one output line.
 * Each program prints exactly one line "<name> size=<n> checksum=<hex>" on stdout, so bench/run.py
 * can compare a guest run with the native run of the same source and reject a wrong result. */
#ifndef POLYVM_BENCH_H
#define POLYVM_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default size comes from bench/benchmarks.txt through the build (-DBENCH_DEFAULT_SIZE=N). */
#ifndef BENCH_DEFAULT_SIZE
#error "build with -DBENCH_DEFAULT_SIZE=<n> (bench/CMakeLists.txt passes the value from benchmarks.txt)"
#endif

/* argv[1] is the work size (roughly linear in run time; each program says what it counts). */
static inline uint64_t BenchSize(int argc, char** argv) {
  if (argc < 2) return (uint64_t)(BENCH_DEFAULT_SIZE);
  char* end = NULL;
  unsigned long long value = strtoull(argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || value == 0) {
    fprintf(stderr, "usage: %s [size>0]\n", argv[0]);
    exit(2);
  }
  return (uint64_t)value;
}

/* SplitMix64: a small, well-mixed generator whose sequence is identical on every host. */
static inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Order-sensitive checksum combine, so a swapped or missing value changes the result. */
static inline uint64_t Mix64(uint64_t hash, uint64_t value) {
  hash ^= value + 0x9e3779b97f4a7c15ull + (hash << 6) + (hash >> 2);
  return hash * 0x100000001b3ull;
}

/* Doubles enter checksums by their bits: guest and host must agree to the last bit. */
static inline uint64_t DoubleBits(double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof bits);
  return bits;
}

static inline void BenchReport(const char* name, uint64_t size, uint64_t checksum) {
  printf("%s size=%llu checksum=%016llx\n", name, (unsigned long long)size,
         (unsigned long long)checksum);
}

static inline void* BenchAlloc(size_t bytes) {
  void* p = malloc(bytes);
  if (p == NULL) {
    fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
    exit(3);
  }
  return p;
}

#endif
