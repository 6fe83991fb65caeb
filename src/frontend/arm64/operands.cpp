// The operand tokens of the A64 tables (operands.def, operands_simd.def): the bit-layout parser,
// and the value, check and print functions of the integer and memory tokens. Field layouts,
// unallocated values and the bitmask-immediate decoding follow the Arm ARM (DDI 0487, C4 and
// the DecodeBitMasks pseudocode); printing follows GNU objdump -M no-aliases.
#include "operands.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bitmask.h"
#include "sysregs.h"

namespace polyvm::frontend::arm64 {
namespace {

using enum Slot;

constexpr OperandDef kDefs[] = {
#define OPERAND(name, bits, is_signed, slot, value, check, show) \
  {name, bits, is_signed, slot, value, check, show},
#define OPERAND_FN_VALUE(fn)
#define OPERAND_FN_CHECK(fn)
#define OPERAND_FN_SHOW(fn)
#include "operands.def"
#include "operands_simd.def"
#undef OPERAND
#undef OPERAND_FN_VALUE
#undef OPERAND_FN_CHECK
#undef OPERAND_FN_SHOW
};

bool ReadNumber(std::string_view s, size_t& pos, unsigned& out) {
  size_t start = pos;
  out = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') out = out * 10 + (s[pos++] - '0');
  return pos > start && out < 64;
}

bool ReadRange(std::string_view s, size_t& pos, unsigned& hi, unsigned& lo) {
  if (!ReadNumber(s, pos, hi)) return false;
  lo = hi;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!ReadNumber(s, pos, lo)) return false;
  }
  return hi >= lo;
}

std::vector<Operand> ParseAll() {
  std::vector<Operand> out;
  for (const OperandDef& def : kDefs) {
    Operand op;
    op.def = &def;
    std::string error;
    if (!ParseBits(def.bits, op, &error)) {
      std::fprintf(stderr, "arm64 operand %.*s: %s\n", static_cast<int>(def.name.size()),
                   def.name.data(), error.c_str());
      std::abort();
    }
    out.push_back(op);
  }
  return out;
}

bool Sf(uint32_t raw) { return Bit(raw, 31); }

constexpr std::string_view kCondNames[16] = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                                             "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};
constexpr std::string_view kExtendNames[8] = {"uxtb", "uxth", "uxtw", "uxtx",
                                              "sxtb", "sxth", "sxtw", "sxtx"};
constexpr std::string_view kShiftNames[4] = {"lsl", "lsr", "asr", "ror"};

std::string Reg(unsigned r, bool x, bool sp) { return std::string(GprName(r, x, sp)); }

}  // namespace

bool ParseBits(std::string_view bits, Operand& out, std::string* error) {
  auto fail = [&](const char* why) {
    if (error) *error = std::string(why) + " in \"" + std::string(bits) + "\"";
    return false;
  };
  out.num_runs = 0;
  out.sign_bit = 0;
  size_t pos = 0;
  while (pos < bits.size()) {
    if (bits[pos] == ' ') {
      ++pos;
      continue;
    }
    unsigned hi, lo;
    if (bits[pos++] != '[' || !ReadRange(bits, pos, hi, lo) || hi > 31) return fail("bad [hi:lo]");
    if (pos + 1 >= bits.size() || bits[pos] != ']' || bits[pos + 1] != '=')
      return fail("missing ]=");
    pos += 2;
    int next = static_cast<int>(hi);  // next instruction bit to assign, downwards
    for (;;) {
      unsigned a, b;
      if (!ReadRange(bits, pos, a, b)) return fail("bad field range");
      unsigned width = a - b + 1;
      if (next - static_cast<int>(width) + 1 < static_cast<int>(lo))
        return fail("more field bits than instruction bits");
      if (out.num_runs == std::size(out.runs)) return fail("too many runs");
      out.runs[out.num_runs++] = {static_cast<uint8_t>(next - width + 1),
                                  static_cast<uint8_t>(width), static_cast<uint8_t>(b)};
      if (a > out.sign_bit) out.sign_bit = static_cast<uint8_t>(a);
      next -= static_cast<int>(width);
      if (pos < bits.size() && bits[pos] == '|') {
        ++pos;
        continue;
      }
      break;
    }
    if (next != static_cast<int>(lo) - 1) return fail("fewer field bits than instruction bits");
  }
  return true;
}

int64_t Operand::Field(uint32_t raw) const {
  uint64_t v = 0;
  for (unsigned i = 0; i < num_runs; ++i) {
    const BitRun& r = runs[i];
    v |= uint64_t{(raw >> r.src_lo) & ((1u << r.width) - 1)} << r.dst_lo;
  }
  if (def->is_signed && num_runs != 0) {
    unsigned shift = 63 - sign_bit;
    v = static_cast<uint64_t>(static_cast<int64_t>(v << shift) >> shift);
  }
  return static_cast<int64_t>(v);
}

int64_t Operand::Value(uint32_t raw) const {
  int64_t f = Field(raw);
  return def->value ? def->value(raw, f) : f;
}

bool Operand::Valid(uint32_t raw, int64_t value) const {
  return def->check ? def->check(raw, value) : true;
}

std::span<const Operand> Operands() {
  static const std::vector<Operand> kAll = ParseAll();
  return kAll;
}

const Operand* FindOperand(std::string_view name) {
  for (const Operand& op : Operands()) {
    if (op.def->name == name) return &op;
  }
  return nullptr;
}

std::string_view GprName(unsigned r, bool x, bool sp) {
  static constexpr std::string_view kX[32] = {
      "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
      "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
      "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", "xzr"};
  static constexpr std::string_view kW[32] = {
      "w0",  "w1",  "w2",  "w3",  "w4",  "w5",  "w6",  "w7",  "w8",  "w9",  "w10",
      "w11", "w12", "w13", "w14", "w15", "w16", "w17", "w18", "w19", "w20", "w21",
      "w22", "w23", "w24", "w25", "w26", "w27", "w28", "w29", "w30", "wzr"};
  if (r >= 32) return {};
  if (r == 31 && sp) return x ? "sp" : "wsp";
  return x ? kX[r] : kW[r];
}

std::string HexImm(uint64_t v) { return fmt::format("#0x{:x}", v); }
std::string DecImm(int64_t v) { return fmt::format("#{}", v); }

// ---- value functions ----

int64_t ValueBitmask(uint32_t raw, int64_t field) {
  uint64_t v = 0;
  DecodeBitmask(static_cast<uint32_t>(field), Sf(raw) ? 64 : 32, v);
  return static_cast<int64_t>(v);
}
int64_t ValueHw(uint32_t, int64_t field) { return field * 16; }
int64_t ValueMemShift0(uint32_t, int64_t) { return 0; }
int64_t ValueMemShift1(uint32_t, int64_t s) { return s ? 1 : 0; }
int64_t ValueMemShift2(uint32_t, int64_t s) { return s ? 2 : 0; }
int64_t ValueMemShift3(uint32_t, int64_t s) { return s ? 3 : 0; }
int64_t ValueMemShift4(uint32_t, int64_t s) { return s ? 4 : 0; }

// ---- check functions (false: unallocated, the encoding is UNDEFINED) ----

bool CheckBitmask(uint32_t raw, int64_t) {
  uint64_t v;
  return DecodeBitmask(Bits(raw, 22, 10), Sf(raw) ? 64 : 32, v);
}
bool CheckHw(uint32_t raw, int64_t shift) { return Sf(raw) || shift < 32; }
bool CheckBitfield(uint32_t raw, int64_t immr) {
  if (Bit(raw, 22) != Sf(raw)) return false;  // N must equal sf
  return Sf(raw) || (immr < 32 && Bits(raw, 15, 10) < 32);
}
bool CheckExtr(uint32_t raw, int64_t lsb) {
  if (Bit(raw, 22) != Sf(raw)) return false;
  return Sf(raw) || lsb < 32;
}
bool CheckShiftArith(uint32_t raw, int64_t amount) {
  if (Bits(raw, 23, 22) == 3) return false;  // ROR is reserved for add/sub
  return Sf(raw) || amount < 32;
}
bool CheckShiftLogic(uint32_t raw, int64_t amount) { return Sf(raw) || amount < 32; }
bool CheckExtend(uint32_t, int64_t amount) { return amount <= 4; }
bool CheckMemExtend(uint32_t raw, int64_t) { return Bit(raw, 14); }  // option<1> = 0: reserved
bool CheckEven(uint32_t, int64_t r) { return (r & 1) == 0; }

// ---- show functions ----

std::string ShowX(const Insn&, int64_t v, uint64_t, std::string&) { return Reg(v, true, false); }
std::string ShowXSp(const Insn&, int64_t v, uint64_t, std::string&) { return Reg(v, true, true); }
std::string ShowW(const Insn&, int64_t v, uint64_t, std::string&) { return Reg(v, false, false); }
std::string ShowWSp(const Insn&, int64_t v, uint64_t, std::string&) { return Reg(v, false, true); }
std::string ShowR(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Reg(v, Sf(i.raw), false);
}
std::string ShowRSp(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Reg(v, Sf(i.raw), true);
}
std::string ShowR30(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Reg(v, Bit(i.raw, 30), false);
}
std::string ShowRSize(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Reg(v, Bits(i.raw, 31, 30) == 3, false);
}
std::string ShowRNext30(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Reg((v + 1) & 31, Bit(i.raw, 30), false);
}
std::string ShowRmExt(const Insn& i, int64_t v, uint64_t, std::string&) {
  // A 64-bit form takes an X register only for UXTX/SXTX (option<1:0> = 11).
  return Reg(v, Sf(i.raw) && Bits(i.raw, 14, 13) == 3, false);
}
std::string ShowRetReg(const Insn&, int64_t v, uint64_t, std::string&) {
  return v == 30 ? std::string() : Reg(v, true, false);  // "ret" alone returns through x30
}
std::string ShowRmMem(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Reg(v, Bit(i.raw, 13), false);  // option<0>: LSL/SXTX take X, UXTW/SXTW take W
}
std::string ShowHex(const Insn&, int64_t v, uint64_t, std::string&) {
  return HexImm(static_cast<uint64_t>(v));
}
std::string ShowDec(const Insn&, int64_t v, uint64_t, std::string&) { return DecImm(v); }
std::string ShowOptDec(const Insn&, int64_t v, uint64_t, std::string&) {
  return v == 0 ? std::string() : DecImm(v);
}
std::string ShowTarget(const Insn&, int64_t v, uint64_t pc, std::string&) {
  return fmt::format("{:x}", pc + static_cast<uint64_t>(v));
}
std::string ShowPage(const Insn&, int64_t v, uint64_t pc, std::string&) {
  return fmt::format("{:x}", (pc & ~uint64_t{0xfff}) + static_cast<uint64_t>(v));
}
std::string ShowCond(const Insn&, int64_t v, uint64_t, std::string&) {
  return std::string(kCondNames[v & 15]);
}
std::string ShowCondSuffix(const Insn&, int64_t v, uint64_t, std::string& mnemonic) {
  mnemonic += '.';
  mnemonic += kCondNames[v & 15];
  return {};
}
std::string ShowLsl12(const Insn&, int64_t v, uint64_t, std::string&) { return v ? "lsl #12" : ""; }
std::string ShowHw(const Insn&, int64_t v, uint64_t, std::string&) {
  return v ? fmt::format("lsl #{}", v) : "";
}
std::string ShowShift(const Insn& i, int64_t v, uint64_t, std::string&) {
  unsigned type = Bits(i.raw, 23, 22);
  if (type == 0 && v == 0) return {};
  return fmt::format("{} #{}", kShiftNames[type], v);
}
std::string ShowExtend(const Insn& i, int64_t v, uint64_t, std::string&) {
  unsigned option = Bits(i.raw, 15, 13);
  bool sets_flags = Bit(i.raw, 29);
  bool sp_involved = Bits(i.raw, 9, 5) == 31 || (!sets_flags && Bits(i.raw, 4, 0) == 31);
  // With SP as Rd or Rn, UXTW (32-bit forms) / UXTX (64-bit forms) is printed as LSL.
  if (sp_involved && option == (Sf(i.raw) ? 3u : 2u)) {
    return v == 0 ? std::string() : fmt::format("lsl #{}", v);
  }
  std::string s(kExtendNames[option]);
  if (v != 0) s += fmt::format(" #{}", v);
  return s;
}
std::string ShowMemExtend(const Insn& i, int64_t v, uint64_t, std::string&) {
  unsigned option = Bits(i.raw, 15, 13);
  bool s = Bit(i.raw, 12);
  if (option == 3) return s ? fmt::format("lsl #{}", v) : std::string();
  std::string out(kExtendNames[option]);
  if (s) out += fmt::format(" #{}", v);
  return out;
}
std::string ShowBarrier(const Insn&, int64_t v, uint64_t, std::string&) {
  static constexpr std::string_view kNames[16] = {
      "", "oshld", "oshst", "osh", "", "nshld", "nshst", "nsh",
      "", "ishld", "ishst", "ish", "", "ld",    "st",    "sy"};
  std::string_view name = kNames[v & 15];
  return name.empty() ? fmt::format("#0x{:02x}", v) : std::string(name);
}
std::string ShowOptCrm(const Insn&, int64_t v, uint64_t, std::string&) {
  return v == 15 ? std::string() : HexImm(static_cast<uint64_t>(v));
}
std::string ShowSysReg(const Insn&, int64_t v, uint64_t, std::string&) {
  uint32_t enc = static_cast<uint32_t>(v);
  if (const SysRegInfo* info = FindSysReg(enc)) return std::string(info->name);
  return fmt::format("s{}_{}_c{}_c{}_{}", 2 + ((enc >> 14) & 1), (enc >> 11) & 7, (enc >> 7) & 15,
                     (enc >> 3) & 15, enc & 7);
}
std::string ShowCReg(const Insn&, int64_t v, uint64_t, std::string&) {
  return fmt::format("C{}", v);
}
std::string ShowPrfop(const Insn&, int64_t v, uint64_t, std::string&) {
  static constexpr std::string_view kType[4] = {"pld", "pli", "pst", ""};
  static constexpr std::string_view kTarget[4] = {"l1", "l2", "l3", ""};
  unsigned type = (v >> 3) & 3, target = (v >> 1) & 3;
  if (kType[type].empty() || kTarget[target].empty()) return HexImm(static_cast<uint64_t>(v));
  return fmt::format("{}{}{}", kType[type], kTarget[target], (v & 1) ? "strm" : "keep");
}
std::string ShowOrderSuffix(const Insn&, int64_t v, uint64_t, std::string& mnemonic) {
  static constexpr std::string_view kSuffix[4] = {"", "l", "a", "al"};
  mnemonic += kSuffix[v & 3];
  return {};
}
std::string ShowSizeSuffix(const Insn&, int64_t v, uint64_t, std::string& mnemonic) {
  mnemonic += v == 0 ? "b" : v == 1 ? "h" : "";
  return {};
}
std::string ShowNothing(const Insn&, int64_t, uint64_t, std::string&) { return {}; }
std::string ShowB(const Insn&, int64_t v, uint64_t, std::string&) { return fmt::format("b{}", v); }
std::string ShowH(const Insn&, int64_t v, uint64_t, std::string&) { return fmt::format("h{}", v); }
std::string ShowS(const Insn&, int64_t v, uint64_t, std::string&) { return fmt::format("s{}", v); }
std::string ShowD(const Insn&, int64_t v, uint64_t, std::string&) { return fmt::format("d{}", v); }
std::string ShowQ(const Insn&, int64_t v, uint64_t, std::string&) { return fmt::format("q{}", v); }
std::string ShowV(const Insn&, int64_t v, uint64_t, std::string&) { return fmt::format("v{}", v); }

}  // namespace polyvm::frontend::arm64
