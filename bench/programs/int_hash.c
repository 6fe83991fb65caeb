/* Integer benchmark: table-driven CRC-32, xorshift/multiply mixing and rotate-xor hashing over a
 * 64 KiB buffer that stays in L2. Exercises loads, shifts, multiplies and 32/64-bit arithmetic.
 * size = passes over the buffer. */
#include "bench.h"

enum { kBufferBytes = 64 * 1024 };

static uint32_t crc_table[256];

static void BuildCrcTable(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t Crc32(const uint8_t* data, size_t n, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

/* xorshift64* style mixing of each word with a running state. */
static uint64_t XorshiftMix(const uint64_t* words, size_t n, uint64_t state) {
  for (size_t i = 0; i < n; ++i) {
    state ^= words[i];
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    state *= 0x2545f4914f6cdd1dull;
  }
  return state;
}

/* 32-bit murmur-like hashing: rotates and 32-bit multiplies (exercises W-form ops on RV64). */
static uint32_t Murmur32(const uint32_t* words, size_t n, uint32_t h) {
  for (size_t i = 0; i < n; ++i) {
    uint32_t k = words[i] * 0xcc9e2d51u;
    k = (k << 15) | (k >> 17);
    k *= 0x1b873593u;
    h ^= k;
    h = (h << 13) | (h >> 19);
    h = h * 5 + 0xe6546b64u;
  }
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return h;
}

int main(int argc, char** argv) {
  uint64_t passes = BenchSize(argc, argv);
  BuildCrcTable();
  uint64_t* words = BenchAlloc(kBufferBytes);
  uint64_t seed = 42;
  for (size_t i = 0; i < kBufferBytes / 8; ++i) words[i] = SplitMix64(&seed);

  uint64_t checksum = 0;
  uint32_t crc = 0;
  uint64_t state = 0x1234567;
  for (uint64_t pass = 0; pass < passes; ++pass) {
    crc = Crc32((const uint8_t*)words, kBufferBytes, crc);
    state = XorshiftMix(words, kBufferBytes / 8, state ^ crc);
    uint32_t m = Murmur32((const uint32_t*)words, kBufferBytes / 4, (uint32_t)state);
    /* Perturb one word per pass so no pass repeats the previous one's input. */
    words[pass % (kBufferBytes / 8)] ^= state + m;
    checksum = Mix64(checksum, ((uint64_t)crc << 32) ^ m ^ state);
  }
  BenchReport("int_hash", passes, checksum);
  free(words);
  return 0;
}
