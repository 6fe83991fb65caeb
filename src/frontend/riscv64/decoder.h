// The RISC-V64 decoder: the rows of insns.def turned into a lookup structure (checked for ambiguous
// overlaps when built), the decoded-instruction record the lifter consumes, and objdump-style
// printing driven by each row's operand tokens.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "operands.h"

namespace polyvm::frontend::riscv64 {

enum class InsnId : uint16_t {
#define INSN(id, mnemonic, pattern, operands, lift) k##id,
#include "insns.def"
#undef INSN
  kCount
};

inline constexpr unsigned kInsnCount = static_cast<unsigned>(InsnId::kCount);

// One row of the table as written.
struct InsnSpec {
  InsnId id;
  std::string_view mnemonic;
  std::string_view pattern;
  std::string_view operands;
};

// The rows of insns.def, in table order (the row of id k is at index k).
std::span<const InsnSpec> InsnSpecs();

// A decoded instruction: the fields its operand tokens filled; others are zero.
struct Insn {
  InsnId id = InsnId::kCount;
  uint8_t len = 0;  // 2 or 4 bytes
  uint8_t rd = 0;
  uint8_t rs1 = 0;
  uint8_t rs2 = 0;
  uint8_t rs3 = 0;
  uint8_t rm = 0;    // FP rounding mode field
  uint8_t aqrl = 0;  // bit 1 aq, bit 0 rl
  uint8_t pred = 0;  // fence: i=8 o=4 r=2 w=1
  uint8_t succ = 0;
  uint16_t csr = 0;
  uint16_t row = 0;  // index of the row in the table that decoded it
  int64_t imm = 0;
  uint32_t raw = 0;  // the instruction bits (16-bit forms zero-extended)
};

// Length in bytes of the instruction whose first halfword is `lo16`: 2 (compressed) or 4. Longer
// encodings (bits 4:2 = 111) are reported as 4 and decode as illegal.
constexpr unsigned InsnLength(uint16_t lo16) { return (lo16 & 3) == 3 ? 4 : 2; }

class DecodeTable {
 public:
  // Builds the table, or returns nullopt and says why in *error: a malformed pattern or operand
  // list, a row that does not fix its dispatch bits, or two rows that match a common encoding
  // without one having strictly more fixed bits than the other.
  static std::optional<DecodeTable> Build(std::span<const InsnSpec> rows, std::string* error);

  // Decodes `raw` (its length from the low bits); false if no row matches or an operand holds a
  // value the manual reserves.
  bool Decode(uint32_t raw, Insn& out) const;

  // The row that matches raw, ignoring operand constraints; -1 if none.
  int Match(uint32_t raw) const;

  // objdump -M no-aliases text ("addi a0,a1,-2048"); `pc` resolves pc-relative targets.
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
    uint8_t len;
    std::vector<Piece> pieces;
  };

  static constexpr unsigned kBuckets32 = 32;  // by bits 6:2 (bits 1:0 are 11)
  static constexpr unsigned kBuckets16 = 24;  // by quadrant (bits 1:0) and funct3 (bits 15:13)
  static unsigned Bucket(uint32_t raw, unsigned len);

  std::vector<Row> rows_;
  // Row indices per bucket, most fixed bits first, so the first match is the most specific.
  std::array<std::vector<uint16_t>, kBuckets32 + kBuckets16> buckets_;
};

// The table of insns.def; built on first use (aborts with the reason if it is malformed, which the
// unit tests check cannot happen).
const DecodeTable& Riscv64Table();

// ABI register names.
std::string_view XRegName(unsigned r);
std::string_view FRegName(unsigned r);

}  // namespace polyvm::frontend::riscv64
