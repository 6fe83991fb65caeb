// Writes random words of the FP/AdvSIMD encoding space (data processing op0 = x111, structure
// loads/stores 0x0c/0x0d) as `.inst` lines of an assembler file, for simd_objdump_test.cpp's
// comparison with objdump: a fixed seed, so the file (and the test) are the same on every build.
// With `scalar` as a second argument: words of the AdvSIMD scalar groups alone (01 U 1111x ...).
#include <cstdint>
#include <cstdio>
#include <random>

int main(int argc, char** argv) {
  const bool scalar = argc == 3 && argv[2][0] == 's';
  if (argc != 2 && !scalar) {
    std::fprintf(stderr, "usage: %s OUTPUT.s [scalar]\n", argv[0]);
    return 2;
  }
  std::FILE* out = std::fopen(argv[1], "w");
  if (!out) return 1;
  std::mt19937_64 rng(scalar ? 0x5ca1a : 0xa64f95);
  std::fprintf(out, "\t.text\n");
  for (unsigned n = 0; n < 40000;) {
    uint32_t w = static_cast<uint32_t>(rng());
    if (scalar) w = (w & 0x21ffffff) | 0x5e000000;  // bits 31:30 = 01, 28:25 = 1111
    bool data_processing = ((w >> 25) & 7) == 7;
    bool structures = (w & 0xbe000000) == 0x0c000000;
    if (!data_processing && !structures) continue;
    std::fprintf(out, "\t.inst 0x%08x\n", w);
    ++n;
  }
  return std::fclose(out) == 0 ? 0 : 1;
}
