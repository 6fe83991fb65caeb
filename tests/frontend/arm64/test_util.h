// Helpers for the AArch64 frontend tests: guest code held in a byte buffer, and the GNU objdump
// listing of all_insns.s that the build produces.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "polyvm/ir/lifter.h"

namespace polyvm::frontend::arm64::test {

// Guest code at `base`: bytes outside [base, base + size) cannot be fetched.
class BufferReader : public ir::CodeReader {
 public:
  BufferReader(uint64_t base, std::vector<uint8_t> bytes) : base_(base), bytes_(std::move(bytes)) {}

  size_t Fetch(uint64_t pc, void* out, size_t size) const override {
    if (pc < base_ || pc - base_ >= bytes_.size()) return 0;
    size_t n = std::min<size_t>(size, bytes_.size() - (pc - base_));
    std::memcpy(out, bytes_.data() + (pc - base_), n);
    return n;
  }

 private:
  uint64_t base_;
  std::vector<uint8_t> bytes_;
};

// Little-endian bytes of a sequence of instruction words.
inline std::vector<uint8_t> Code(std::initializer_list<uint32_t> insns) {
  std::vector<uint8_t> out;
  for (uint32_t insn : insns) {
    for (unsigned i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(insn >> (8 * i)));
  }
  return out;
}

// One instruction line of `objdump -d -M no-aliases`.
struct DumpLine {
  uint64_t addr = 0;
  uint32_t raw = 0;
  std::string text;  // "mnemonic operands", objdump's tab as one space, symbol and comment removed
};

inline std::vector<DumpLine> ReadDump(const std::string& path) {
  std::vector<DumpLine> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    // "  4a4:\t91003020 \tadd\tx0, x1, #0xc"
    size_t colon = line.find(":\t");
    if (colon == std::string::npos) continue;
    size_t start = line.find_first_not_of(' ');
    if (start >= colon || line.find_first_not_of("0123456789abcdef", start) != colon) continue;
    size_t hex_start = colon + 2;
    size_t hex_end = line.find(' ', hex_start);
    size_t text_start = line.find('\t', hex_end);
    if (hex_end == std::string::npos || text_start == std::string::npos) continue;
    DumpLine d;
    d.addr = std::stoull(line.substr(start, colon - start), nullptr, 16);
    d.raw =
        static_cast<uint32_t>(std::stoul(line.substr(hex_start, hex_end - hex_start), nullptr, 16));
    std::string text = line.substr(text_start + 1);
    if (size_t c = text.find("\t//"); c != std::string::npos) text.resize(c);  // objdump's notes
    if (size_t c = text.find("  //"); c != std::string::npos) text.resize(c);
    if (size_t s = text.find(" <"); s != std::string::npos) text.resize(s);  // target symbol
    if (size_t t = text.find('\t'); t != std::string::npos) text[t] = ' ';
    while (!text.empty() && text.back() == ' ') text.pop_back();
    d.text = text;
    lines.push_back(d);
  }
  return lines;
}

inline std::vector<uint8_t> BytesOf(const DumpLine& d) { return Code({d.raw}); }

}  // namespace polyvm::frontend::arm64::test
