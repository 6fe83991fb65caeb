// Instruction text in the style of `objdump -d -M no-aliases`: the row's mnemonic, then its operand
// tokens printed as binutils prints them (ABI register names, shift amounts and lui immediates in
// hex, other immediates in decimal, pc-relative targets as absolute addresses).
#include <fmt/format.h>

#include "csr.h"
#include "decoder.h"

namespace polyvm::frontend::riscv64 {
namespace {

constexpr std::string_view kXNames[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
                                          "s0",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
                                          "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
                                          "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
constexpr std::string_view kFNames[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4",  "ft5",  "ft6", "ft7", "fs0",  "fs1", "fa0",
    "fa1", "fa2", "fa3", "fa4", "fa5",  "fa6",  "fa7", "fs2", "fs3",  "fs4", "fs5",
    "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};
constexpr std::string_view kRmNames[8] = {"rne", "rtz", "rdn", "rup", "rmm", "", "", ""};

std::string FenceSet(unsigned set) {
  if (set == 0) return "unknown";  // binutils has no name for the empty set
  std::string s;
  if (set & 8) s += 'i';
  if (set & 4) s += 'o';
  if (set & 2) s += 'r';
  if (set & 1) s += 'w';
  return s;
}

// The operand's text; appends to the mnemonic instead for suffix tokens.
std::string ShowOperand(const Operand& op, int64_t v, uint64_t pc, std::string& mnemonic) {
  switch (op.def->show) {
    case Show::kXReg: return std::string(XRegName(static_cast<unsigned>(v)));
    case Show::kFReg: return std::string(FRegName(static_cast<unsigned>(v)));
    case Show::kDec: return fmt::format("{}", v);
    case Show::kHex: return fmt::format("0x{:x}", v);
    case Show::kHi20: return fmt::format("0x{:x}", (static_cast<uint64_t>(v) >> 12) & 0xfffff);
    case Show::kTarget: return fmt::format("{:x}", pc + static_cast<uint64_t>(v));
    case Show::kCsrName: {
      std::string_view name = CsrName(static_cast<uint16_t>(v));
      return name.empty() ? fmt::format("0x{:x}", v) : std::string(name);
    }
    case Show::kRmName: return std::string(kRmNames[v & 7]);
    case Show::kHidden: return {};
    case Show::kAqRlSuffix:
      mnemonic += v == 3 ? ".aqrl" : v == 2 ? ".aq" : v == 1 ? ".rl" : "";
      return {};
    case Show::kFenceSet: return FenceSet(static_cast<unsigned>(v));
  }
  return {};
}

}  // namespace

std::string_view XRegName(unsigned r) { return r < 32 ? kXNames[r] : std::string_view{}; }
std::string_view FRegName(unsigned r) { return r < 32 ? kFNames[r] : std::string_view{}; }

std::string DecodeTable::Format(const Insn& insn, uint64_t pc) const {
  const Row& row = rows_[insn.row];
  std::string mnemonic(row.spec->mnemonic);
  std::string ops;
  for (const Piece& piece : row.pieces) {
    ops += piece.literal;
    if (!piece.op) continue;
    std::string text = ShowOperand(*piece.op, piece.op->Extract(insn.raw), pc, mnemonic);
    // An operand that prints nothing (dyn rounding, aq/rl) takes its separator with it.
    if (text.empty() && !ops.empty() && ops.back() == ',') ops.pop_back();
    ops += text;
  }
  return ops.empty() ? mnemonic : mnemonic + ' ' + ops;
}

}  // namespace polyvm::frontend::riscv64
