// Operand tokens of the A64 decode tables (the operand column of insns*.def): where each field's
// bits sit in the instruction word, which Insn field it fills, which values the manual leaves
// unallocated, and how objdump prints it. The tokens themselves are rows of operands.def (integer
// and memory operands) and operands_simd.def (FP and AdvSIMD operands).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace polyvm::frontend::arm64 {

enum class InsnId : uint16_t;

// A decoded instruction: the fields its operand tokens filled (others zero) and the raw bits, from
// which lift functions read the few control bits no token names (sf, size, opc, option).
struct Insn {
  InsnId id{};
  uint16_t row = 0;  // index of the row in the table that decoded it
  uint32_t raw = 0;
  uint8_t rd = 0;  // Rd or Rt
  uint8_t rn = 0;  // Rn (a base register for memory forms)
  uint8_t rm = 0;  // Rm or Rs
  uint8_t ra = 0;  // Ra or Rt2
  uint8_t cond = 0;
  int64_t imm = 0;   // the main immediate, decoded (bitmask, scaled offset, branch offset, ...)
  int64_t imm2 = 0;  // a second one (shift or extend amount, imms, nzcv, bit number, ...)
};

// Bits hi..lo of an instruction word.
constexpr uint32_t Bits(uint32_t raw, unsigned hi, unsigned lo) {
  return (raw >> lo) & ((hi - lo == 31) ? 0xffffffffu : ((1u << (hi - lo + 1)) - 1));
}
constexpr bool Bit(uint32_t raw, unsigned n) { return (raw >> n) & 1; }

// The Insn field a token fills.
enum class Slot : uint8_t { kNone, kRd, kRn, kRm, kRa, kImm, kImm2, kCond };

// How a token turns its field into the Insn value (nullptr: the field as extracted).
using ValueFn = int64_t (*)(uint32_t raw, int64_t field);
// Whether the value is allocated (nullptr: always). False makes the encoding UNDEFINED.
using CheckFn = bool (*)(uint32_t raw, int64_t value);
// objdump's text for the token. May instead append a suffix to `mnemonic` and return "" (an
// operand that prints nothing drops the ", " before it).
using ShowFn = std::string (*)(const Insn& insn, int64_t value, uint64_t pc, std::string& mnemonic);

struct OperandDef {
  std::string_view name;
  // "[hi:lo]=a:b|c|..." groups: instruction bits hi..lo hold field bits a..b then c, ... (most
  // significant first); several groups are separated by spaces. "[25:0]=27:2" is imm26 scaled by
  // 4. Empty for tokens without bits.
  std::string_view bits;
  bool is_signed;
  Slot slot;
  ValueFn value;
  CheckFn check;
  ShowFn show;
};

// One contiguous run of instruction bits copied into the field value.
struct BitRun {
  uint8_t src_lo;
  uint8_t width;
  uint8_t dst_lo;
};

// A parsed token: its definition and bit runs.
struct Operand {
  const OperandDef* def = nullptr;
  BitRun runs[8] = {};
  uint8_t num_runs = 0;
  uint8_t sign_bit = 0;  // highest field bit, for sign extension

  int64_t Field(uint32_t raw) const;              // the bits, sign-extended if signed
  int64_t Value(uint32_t raw) const;              // after def->value
  bool Valid(uint32_t raw, int64_t value) const;  // def->check
};

// All tokens; parsed once. Aborts with a message if a definition is malformed (a build bug that
// the unit tests catch).
std::span<const Operand> Operands();
const Operand* FindOperand(std::string_view name);

// Parses a bit-layout string; returns false with a reason if it is malformed.
bool ParseBits(std::string_view bits, Operand& out, std::string* error);

// The value, check and show functions named in operands.def and operands_simd.def.
#define OPERAND(name, bits, is_signed, slot, value, check, show)
#define OPERAND_FN_VALUE(fn) int64_t fn(uint32_t raw, int64_t field);
#define OPERAND_FN_CHECK(fn) bool fn(uint32_t raw, int64_t value);
#define OPERAND_FN_SHOW(fn) \
  std::string fn(const Insn& insn, int64_t value, uint64_t pc, std::string& mnemonic);
#include "operands.def"
#include "operands_simd.def"
#undef OPERAND
#undef OPERAND_FN_VALUE
#undef OPERAND_FN_CHECK
#undef OPERAND_FN_SHOW

// Shared printing helpers for show functions.
std::string_view GprName(unsigned r, bool x, bool sp);  // "x3", "w3", "sp", "wsp", "xzr", "wzr"
std::string HexImm(uint64_t v);                         // "#0x1f"
std::string DecImm(int64_t v);                          // "#-8"

}  // namespace polyvm::frontend::arm64
