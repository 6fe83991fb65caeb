/* libc-heavy benchmark: formatted I/O and string functions. Each record is formatted with
 * snprintf (integers, hex, a double, a string), parsed back with sscanf and strtod, searched with
 * strstr/strchr/strlen and compared with strcmp/memcmp; every batch of records is sorted with qsort.
 * size = records. */
#include "bench.h"

enum { kBatch = 512, kRecordBytes = 96 };

static const char* const kNames[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
                                     "golf", "hotel", "india", "juliet", "kilo", "lima"};

static int CompareRecords(const void* a, const void* b) {
  return strcmp((const char*)a, (const char*)b);
}

int main(int argc, char** argv) {
  uint64_t records = BenchSize(argc, argv);
  char (*batch)[kRecordBytes] = BenchAlloc(sizeof(char[kBatch][kRecordBytes]));
  uint64_t seed = 17, checksum = 0;
  size_t filled = 0;
  for (uint64_t r = 0; r < records; ++r) {
    uint64_t x = SplitMix64(&seed);
    const char* name = kNames[x % (sizeof kNames / sizeof kNames[0])];
    int id = (int)(x >> 40) - (1 << 23);
    double value = (double)(int64_t)(x >> 20) / 4096.0 - 1e8;
    char* line = batch[filled];
    int len = snprintf(line, kRecordBytes, "%s id=%d hex=%08x val=%.6f tail=%s", name, id,
                       (unsigned)(x & 0xffffffffu), value, name + (x >> 4) % 3);
    if (len <= 0 || len >= kRecordBytes) return 4;

    char parsed_name[32];
    int parsed_id = 0;
    unsigned parsed_hex = 0;
    if (sscanf(line, "%31s id=%d hex=%x", parsed_name, &parsed_id, &parsed_hex) != 3) return 5;
    const char* val = strstr(line, "val=");
    double parsed_value = val ? strtod(val + 4, NULL) : 0.0;
    checksum = Mix64(checksum, (uint64_t)(int64_t)parsed_id ^ parsed_hex);
    checksum = Mix64(checksum, DoubleBits(parsed_value));
    checksum = Mix64(checksum, strlen(line) + (uint64_t)(strchr(line, '=') - line) +
                                   (uint64_t)(strcmp(parsed_name, name) == 0) +
                                   (uint64_t)(memcmp(line, name, strlen(name)) == 0));
    if (++filled == kBatch) {
      qsort(batch, kBatch, kRecordBytes, CompareRecords);
      for (size_t i = 0; i < kBatch; i += 37) checksum = Mix64(checksum, (uint64_t)batch[i][6] + strlen(batch[i]));
      filled = 0;
    }
  }
  free(batch);
  BenchReport("strfmt", records, checksum);
  return 0;
}
