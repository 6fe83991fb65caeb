// Build-time generator of assembly for the exhaustive decoder checks (encodings_test.cpp):
//   compressed.s  every 16-bit encoding (bits 1:0 != 11) as `.insn 2`
//   wide.s        for every 32-bit row of the decode table, pseudo-random fillings of its free
//                 bits, plus pseudo-random 32-bit words, as `.insn 4`
//   csrs.s        csrrs a0, N, zero for every CSR number N
// The GNU assembler and objdump then say what each encoding is; the test compares.
#include <cstdint>
#include <cstdio>
#include <string>

#include "decoder.h"

namespace {

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

FILE* Open(const std::string& dir, const char* name) {
  std::string path = dir + "/" + name;
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) std::perror(path.c_str());
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <output-dir>\n", argv[0]);
    return 2;
  }
  using polyvm::frontend::riscv64::InsnSpecs;
  FILE* c = Open(argv[1], "compressed.s");
  FILE* w = Open(argv[1], "wide.s");
  FILE* r = Open(argv[1], "csrs.s");
  if (!c || !w || !r) return 1;

  std::fprintf(c, "\t.option rvc\n");
  for (uint32_t v = 0; v < 0x10000; ++v) {
    if ((v & 3) != 3) std::fprintf(c, "\t.insn 2, 0x%04x\n", v);
  }

  // A CSR instruction makes gas record its privileged-spec attribute, which decides the CSR names
  // objdump prints for the random words (see csrs.def).
  std::fprintf(w, "\t.option norvc\n\tcsrrs a0, fflags, zero\n");
  uint64_t seed = 0x5eed;
  for (const auto& spec : InsnSpecs()) {
    uint32_t mask = 0, match = 0;
    unsigned bits = 0;
    for (char ch : spec.pattern) {
      if (ch == ' ') continue;
      mask = mask << 1 | (ch != '.');
      match = match << 1 | (ch == '1');
      ++bits;
    }
    if (bits != 32) continue;
    for (int i = 0; i < 48; ++i) {
      uint32_t v = match | (static_cast<uint32_t>(SplitMix(seed)) & ~mask);
      std::fprintf(w, "\t.insn 4, 0x%08x\n", v);
    }
  }
  for (int i = 0; i < 20000; ++i) {
    uint32_t v = static_cast<uint32_t>(SplitMix(seed)) | 3;
    if ((v & 0x1f) == 0x1f) continue;  // longer than 32 bits: not a 4-byte .insn
    std::fprintf(w, "\t.insn 4, 0x%08x\n", v);
  }

  std::fprintf(r, "\t.option norvc\n");
  for (unsigned n = 0; n < 4096; ++n) std::fprintf(r, "\tcsrrs a0, %u, zero\n", n);
  return std::fclose(c) | std::fclose(w) | std::fclose(r);
}
