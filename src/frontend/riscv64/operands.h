// Operand tokens of the decode table (insns.def's operand column): where each field's bits sit in
// the instruction word (in the manual's imm[...] notation), which Insn field it fills, which values
// the manual reserves, and how objdump prints it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace polyvm::frontend::riscv64 {

// The Insn field(s) a token fills.
enum class Slot : uint8_t { kNone, kRd, kRs1, kRs2, kRs3, kImm, kRm, kAqRl, kPred, kSucc, kCsr };

// How objdump prints a token.
enum class Show : uint8_t {
  kXReg,        // ABI name of an integer register
  kFReg,        // ABI name of an FP register
  kDec,         // signed decimal
  kHex,         // 0x%x (shift amounts)
  kHi20,        // lui/c.lui: 0x%x of bits 31:12 of the value
  kTarget,      // pc-relative: the absolute target address, %x without 0x
  kCsrName,     // CSR name, or 0x%x when it has none
  kRmName,      // rounding mode name; nothing for dyn
  kHidden,      // decoded and validated but never printed
  kAqRlSuffix,  // ".aq", ".rl", ".aqrl" appended to the mnemonic
  kFenceSet,    // iorw letters; "unknown" for the empty set
};

// Values the manual reserves for a field (an instruction using them is illegal).
enum class Check : uint8_t { kAny, kNonZero, kValidRm };

// One contiguous run of instruction bits copied into the field value.
struct BitRun {
  uint8_t src_lo;
  uint8_t width;
  uint8_t dst_lo;
};

struct OperandDef {
  std::string_view name;
  // "[hi:lo]=a:b|c|..." groups as in the manual: instruction bits hi..lo hold field bits a..b then
  // c, ... (most significant first). Empty for tokens with no bits (the implied sp).
  std::string_view bits;
  bool is_signed;
  uint8_t add;  // added to the field: 8 for the x8..x15 registers of compressed forms, 2 for sp
  Slot slot;
  Slot slot2;  // a second field given the same value (c.add: rd and rs1), or kNone
  Show show;
  Check check;
  int8_t implied_rd;  // c.jalr writes ra although no field says so; -1 otherwise
};

// A parsed token: its definition and bit runs.
struct Operand {
  const OperandDef* def = nullptr;
  BitRun runs[12] = {};
  uint8_t num_runs = 0;
  uint8_t sign_bit = 0;  // highest field bit, for sign extension

  int64_t Extract(uint32_t raw) const;
  bool Valid(int64_t value) const;
};

// All tokens; parsed once. Aborts with a message if a definition is malformed (a build bug that
// the unit tests catch).
std::span<const Operand> Operands();
const Operand* FindOperand(std::string_view name);

// Parses a bit-layout string; returns false with a reason if it is malformed.
bool ParseBits(std::string_view bits, Operand& out, std::string* error);

}  // namespace polyvm::frontend::riscv64
