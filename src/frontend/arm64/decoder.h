// The AArch64 (A64) decoder: the rows of insns.def, insns_fp.def and insns_simd.def turned into a
// lookup structure (checked for ambiguous overlaps when built), the decoded-instruction record the
// lift functions consume, and objdump-style printing driven by each row's operand tokens.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "operands.h"

namespace polyvm::frontend::arm64 {

enum class InsnId : uint16_t {
#define INSN(id, mnemonic, pattern, operands, lift) k##id,
#include "insns.def"
#include "insns_fp.def"
#include "insns_simd.def"
#undef INSN
  kCount
};

inline constexpr unsigned kInsnCount = static_cast<unsigned>(InsnId::kCount);

// The rows of insns.def come first (ids and rows 0 .. kIntegerInsnCount - 1), then insns_fp.def's
// and insns_simd.def's.
inline constexpr unsigned kIntegerInsnCount = 0
#define INSN(id, mnemonic, pattern, operands, lift) +1
#include "insns.def"
#undef INSN
    ;

// One row of the table as written.
struct InsnSpec {
  InsnId id;
  std::string_view mnemonic;
  std::string_view pattern;
  std::string_view operands;
};

// The rows of the three tables, in order (the row of id k is at index k).
std::span<const InsnSpec> InsnSpecs();

class DecodeTable {
 public:
  // Builds the table, or returns nullopt and says why in *error: a malformed pattern or operand
  // list, or two rows that match a common encoding without one having strictly more fixed bits.
  static std::optional<DecodeTable> Build(std::span<const InsnSpec> rows, std::string* error);

  // Decodes raw; false if no row matches or an operand holds a value the manual leaves
  // unallocated (the instruction is then UNDEFINED).
  bool Decode(uint32_t raw, Insn& out) const;

  // The row that matches raw, ignoring operand constraints; -1 if none.
  int Match(uint32_t raw) const;

  // objdump -M no-aliases text ("add x0, x1, #0xc"); `pc` resolves pc-relative targets.
  std::string Format(const Insn& insn, uint64_t pc) const;

  size_t size() const { return rows_.size(); }
  const InsnSpec& spec(size_t row) const { return *rows_[row].spec; }

 private:
  struct Piece {
    std::string_view literal;     // punctuation printed before the token
    const Operand* op = nullptr;  // nullptr: trailing punctuation only
  };
  struct Row {
    const InsnSpec* spec;
    uint32_t mask;
    uint32_t match;
    std::vector<Piece> pieces;
  };

  // Rows are bucketed by bits 28:25 (the A64 top-level "op0" field) and 31:29.
  static constexpr uint32_t kBucketBits = 0xfe000000;
  static constexpr unsigned kBuckets = 128;
  static unsigned Bucket(uint32_t raw) { return raw >> 25; }

  std::vector<Row> rows_;
  // Row indices per bucket, most fixed bits first, so the first match is the most specific.
  std::array<std::vector<uint16_t>, kBuckets> buckets_;
};

// The table of the three .def files; built on first use (aborts with the reason if it is
// malformed, which the unit tests check cannot happen).
const DecodeTable& Arm64Table();

}  // namespace polyvm::frontend::arm64
