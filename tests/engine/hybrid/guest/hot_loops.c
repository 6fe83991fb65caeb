// A program with a few hot loops (integer, memory, calls through a function pointer) and cold
// start-up code, for the hybrid engine's command-line tests: its output is compared with the same
// source built natively.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 29;
  return x;
}

static uint64_t Add(uint64_t a, uint64_t b) { return a + b; }
static uint64_t Xor(uint64_t a, uint64_t b) { return a ^ Mix(b); }

__attribute__((noinline)) uint64_t SumLoop(uint64_t n) {
  uint64_t s = 0;
  for (uint64_t i = 1; i <= n; ++i) s += i * i;
  return s;
}

__attribute__((noinline)) unsigned Sieve(unsigned n) {
  unsigned char* composite = calloc(n, 1);
  unsigned primes = 0;
  for (unsigned i = 2; i < n; ++i) {
    if (composite[i]) continue;
    ++primes;
    for (unsigned j = i * 2; j < n; j += i) composite[j] = 1;
  }
  free(composite);
  return primes;
}

__attribute__((noinline)) uint64_t Dispatch(unsigned n) {
  uint64_t (*ops[2])(uint64_t, uint64_t) = {Add, Xor};
  uint64_t acc = 1;
  for (unsigned i = 0; i < n; ++i) acc = ops[(acc >> 7) & 1](acc, i);
  return acc;
}

int main(int argc, char** argv) {
  unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
  printf("sum %llu\n", (unsigned long long)SumLoop(200000ull * scale));
  printf("primes %u\n", Sieve(100000 * scale));
  printf("dispatch %llu\n", (unsigned long long)Dispatch(100000 * scale));
  return 0;
}
