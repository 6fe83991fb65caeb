/* Guest test: byte-crunching kernels: CRC-32 (table-driven), Adler-32, an LZ77 compressor with a
 * hash chain and its decompressor (round trip checked), SHA-256, and run-length coding, over
 * generated text and binary data. Loads and stores of every width, shifts and rotates. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t crc_table[256];
static void CrcInit(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}
static uint32_t Crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; ++i) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}
static uint32_t Adler32(const uint8_t* p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; ++i) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

/* LZ77: tokens are literal runs (0x00 len, bytes) or matches (0x01, len, offset16). */
enum { kWindow = 65535, kMinMatch = 4, kMaxMatch = 255, kHashBits = 14 };
static size_t Compress(const uint8_t* in, size_t n, uint8_t* out) {
  static int32_t head[1 << kHashBits];
  static int32_t prev[1 << 20];
  memset(head, -1, sizeof head);
  size_t o = 0, lit_start = 0, i = 0;
  while (i < n) {
    size_t best_len = 0, best_off = 0;
    if (i + kMinMatch <= n) {
      uint32_t h = ((uint32_t)in[i] << 16 ^ (uint32_t)in[i + 1] << 8 ^ in[i + 2] ^
                    (uint32_t)in[i + 3] << 4) *
                       2654435761u >>
                   (32 - kHashBits);
      int chain = 0;
      for (int32_t j = head[h]; j >= 0 && i - (size_t)j <= kWindow && chain < 32;
           j = prev[j], ++chain) {
        size_t len = 0;
        while (len < kMaxMatch && i + len < n && in[j + len] == in[i + len]) ++len;
        if (len > best_len) {
          best_len = len;
          best_off = i - (size_t)j;
        }
      }
      prev[i] = head[h];
      head[h] = (int32_t)i;
    }
    if (best_len >= kMinMatch) {
      while (lit_start < i) {
        size_t run = i - lit_start > 255 ? 255 : i - lit_start;
        out[o++] = 0;
        out[o++] = (uint8_t)run;
        memcpy(out + o, in + lit_start, run);
        o += run;
        lit_start += run;
      }
      out[o++] = 1;
      out[o++] = (uint8_t)best_len;
      out[o++] = (uint8_t)(best_off & 0xff);
      out[o++] = (uint8_t)(best_off >> 8);
      i += best_len;
      lit_start = i;
    } else {
      ++i;
    }
  }
  while (lit_start < n) {
    size_t run = n - lit_start > 255 ? 255 : n - lit_start;
    out[o++] = 0;
    out[o++] = (uint8_t)run;
    memcpy(out + o, in + lit_start, run);
    o += run;
    lit_start += run;
  }
  return o;
}
static size_t Decompress(const uint8_t* in, size_t n, uint8_t* out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    if (in[i] == 0) {
      size_t run = in[i + 1];
      memcpy(out + o, in + i + 2, run);
      o += run;
      i += 2 + run;
    } else {
      size_t len = in[i + 1], off = in[i + 2] | (size_t)in[i + 3] << 8;
      for (size_t k = 0; k < len; ++k, ++o) out[o] = out[o - off]; /* may overlap */
      i += 4;
    }
  }
  return o;
}

static const uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
#define ROR(x, n) ((x) >> (n) | (x) << (32 - (n)))
static void Sha256(const uint8_t* msg, size_t n, uint8_t digest[32]) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  size_t total = ((n + 9 + 63) / 64) * 64;
  uint8_t* buf = calloc(total, 1);
  memcpy(buf, msg, n);
  buf[n] = 0x80;
  uint64_t bits = (uint64_t)n * 8;
  for (int i = 0; i < 8; ++i) buf[total - 1 - i] = (uint8_t)(bits >> (8 * i));
  for (size_t blk = 0; blk < total; blk += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = (uint32_t)buf[blk + 4 * i] << 24 | (uint32_t)buf[blk + 4 * i + 1] << 16 |
             (uint32_t)buf[blk + 4 * i + 2] << 8 | buf[blk + 4 * i + 3];
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t t1 =
          hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + kK[i] + w[i];
      uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  free(buf);
  for (int i = 0; i < 8; ++i)
    for (int k = 0; k < 4; ++k) digest[4 * i + k] = (uint8_t)(h[i] >> (24 - 8 * k));
}

static void Report(const char* name, const uint8_t* data, size_t n) {
  uint8_t* packed = malloc(n * 2 + 16);
  uint8_t* unpacked = malloc(n + 16);
  size_t c = Compress(data, n, packed);
  size_t d = Decompress(packed, c, unpacked);
  uint8_t digest[32];
  Sha256(data, n, digest);
  printf("%s: %zu bytes crc32 %08x adler32 %08x lz %zu -> %zu round-trip %s\n  sha256 ", name, n,
         Crc32(data, n), Adler32(data, n), n, c,
         d == n && memcmp(data, unpacked, n) == 0 ? "ok" : "MISMATCH");
  for (int i = 0; i < 32; ++i) printf("%02x", digest[i]);
  printf("  packed-crc %08x\n", Crc32(packed, c));
  free(packed);
  free(unpacked);
}

int main(void) {
  CrcInit();
  Report("empty", (const uint8_t*)"", 0);
  Report("abc", (const uint8_t*)"abc", 3); /* sha256 ba7816bf... (FIPS 180-2 example) */
  const char* words[] = {"lorem",      "ipsum", "dolor", "sit", "amet",    "consectetur",
                         "adipiscing", "elit",  "sed",   "do",  "eiusmod", "tempor"};
  size_t n = 200000;
  uint8_t* text = malloc(n);
  uint32_t x = 1;
  for (size_t i = 0; i < n;) {
    x = x * 1664525u + 1013904223u;
    const char* w = words[(x >> 16) % 12];
    while (*w && i < n) text[i++] = (uint8_t)*w++;
    if (i < n) text[i++] = (x >> 8) % 9 ? ' ' : '\n';
  }
  Report("text", text, n);
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    text[i] = (uint8_t)(x >> 24);
  }
  Report("random", text, n);
  for (size_t i = 0; i < n; ++i) text[i] = (uint8_t)(i / 1000 + (i % 7 == 0));
  Report("runs", text, n);
  free(text);
  return 0;
}
