// The operand tokens of insns.def: field layouts copied from the manual's instruction formats
// (RV32/64G chapter 2 and the RVC chapter), the reserved values it states, objdump's printing.
#include "operands.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace polyvm::frontend::riscv64 {
namespace {

using enum Slot;
using enum Show;
using enum Check;

constexpr int8_t kNoRd = -1;

// clang-format off
constexpr OperandDef kDefs[] = {
  // name               bits                                     signed add slot   slot2  show        check      implied
  // ---- 32-bit formats ----
  {"rd",               "[11:7]=4:0",                             false, 0, kRd,   kNone, kXReg,     kAny,      kNoRd},
  {"rs1",              "[19:15]=4:0",                            false, 0, kRs1,  kNone, kXReg,     kAny,      kNoRd},
  {"rs2",              "[24:20]=4:0",                            false, 0, kRs2,  kNone, kXReg,     kAny,      kNoRd},
  {"frd",              "[11:7]=4:0",                             false, 0, kRd,   kNone, kFReg,     kAny,      kNoRd},
  {"frs1",             "[19:15]=4:0",                            false, 0, kRs1,  kNone, kFReg,     kAny,      kNoRd},
  {"frs2",             "[24:20]=4:0",                            false, 0, kRs2,  kNone, kFReg,     kAny,      kNoRd},
  {"frs3",             "[31:27]=4:0",                            false, 0, kRs3,  kNone, kFReg,     kAny,      kNoRd},
  {"imm_i",            "[31:20]=11:0",                           true,  0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"imm_s",            "[31:25]=11:5 [11:7]=4:0",                true,  0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"imm_b",            "[31:25]=12|10:5 [11:7]=4:1|11",          true,  0, kImm,  kNone, kTarget,   kAny,      kNoRd},
  {"imm_u",            "[31:12]=31:12",                          true,  0, kImm,  kNone, kHi20,     kAny,      kNoRd},
  {"imm_j",            "[31:12]=20|10:1|11|19:12",               true,  0, kImm,  kNone, kTarget,   kAny,      kNoRd},
  {"shamt6",           "[25:20]=5:0",                            false, 0, kImm,  kNone, kHex,      kAny,      kNoRd},
  {"shamt5",           "[24:20]=4:0",                            false, 0, kImm,  kNone, kHex,      kAny,      kNoRd},
  {"csr",              "[31:20]=11:0",                           false, 0, kCsr,  kNone, kCsrName,  kAny,      kNoRd},
  {"uimm5",            "[19:15]=4:0",                            false, 0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"rm",               "[14:12]=2:0",                            false, 0, kRm,   kNone, kRmName,   kValidRm,  kNoRd},
  {"rm_exact",         "[14:12]=2:0",                            false, 0, kRm,   kNone, kHidden,   kValidRm,  kNoRd},
  {"aqrl",             "[26:25]=1:0",                            false, 0, kAqRl, kNone, kAqRlSuffix, kAny,      kNoRd},
  {"pred",             "[27:24]=3:0",                            false, 0, kPred, kNone, kFenceSet, kAny,      kNoRd},
  {"succ",             "[23:20]=3:0",                            false, 0, kSucc, kNone, kFenceSet, kAny,      kNoRd},
  // ---- compressed registers: full (x0..x31) at 11:7 / 6:2, or x8..x15 at 9:7 / 4:2 ----
  {"c_rd",             "[11:7]=4:0",                             false, 0, kRd,   kNone, kXReg,     kAny,      kNoRd},
  {"c_rd_nz",          "[11:7]=4:0",                             false, 0, kRd,   kNone, kXReg,     kNonZero,  kNoRd},
  {"c_rd_rs1",         "[11:7]=4:0",                             false, 0, kRd,   kRs1,  kXReg,     kAny,      kNoRd},
  {"c_rd_rs1_nz",      "[11:7]=4:0",                             false, 0, kRd,   kRs1,  kXReg,     kNonZero,  kNoRd},
  {"c_rs1_nz",         "[11:7]=4:0",                             false, 0, kRs1,  kNone, kXReg,     kNonZero,  kNoRd},
  {"c_rs1_link",       "[11:7]=4:0",                             false, 0, kRs1,  kNone, kXReg,     kAny,      1},
  {"c_rs2",            "[6:2]=4:0",                              false, 0, kRs2,  kNone, kXReg,     kAny,      kNoRd},
  {"c_frd",            "[11:7]=4:0",                             false, 0, kRd,   kNone, kFReg,     kAny,      kNoRd},
  {"c_frs2",           "[6:2]=4:0",                              false, 0, kRs2,  kNone, kFReg,     kAny,      kNoRd},
  {"c_rdp",            "[4:2]=2:0",                              false, 8, kRd,   kNone, kXReg,     kAny,      kNoRd},
  {"c_frdp",           "[4:2]=2:0",                              false, 8, kRd,   kNone, kFReg,     kAny,      kNoRd},
  {"c_rs1p",           "[9:7]=2:0",                              false, 8, kRs1,  kNone, kXReg,     kAny,      kNoRd},
  {"c_rs2p",           "[4:2]=2:0",                              false, 8, kRs2,  kNone, kXReg,     kAny,      kNoRd},
  {"c_frs2p",          "[4:2]=2:0",                              false, 8, kRs2,  kNone, kFReg,     kAny,      kNoRd},
  {"c_rdp_rs1p",       "[9:7]=2:0",                              false, 8, kRd,   kRs1,  kXReg,     kAny,      kNoRd},
  {"sp",               "",                                       false, 2, kRs1,  kNone, kXReg,     kAny,      kNoRd},
  // ---- compressed immediates ----
  {"c_imm6",           "[12]=5 [6:2]=4:0",                       true,  0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"c_shamt",          "[12]=5 [6:2]=4:0",                       false, 0, kImm,  kNone, kHex,      kAny,      kNoRd},
  {"c_nzimm_lui",      "[12]=17 [6:2]=16:12",                    true,  0, kImm,  kNone, kHi20,     kNonZero,  kNoRd},
  {"c_nzimm_addi16sp", "[12]=9 [6:2]=4|6|8:7|5",                 true,  0, kImm,  kNone, kDec,      kNonZero,  kNoRd},
  {"c_nzuimm_addi4spn","[12:5]=5:4|9:6|2|3",                     false, 0, kImm,  kNone, kDec,      kNonZero,  kNoRd},
  {"c_lw_off",         "[12:10]=5:3 [6:5]=2|6",                  false, 0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"c_ld_off",         "[12:10]=5:3 [6:5]=7:6",                  false, 0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"c_lwsp_off",       "[12]=5 [6:2]=4:2|7:6",                   false, 0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"c_ldsp_off",       "[12]=5 [6:2]=4:3|8:6",                   false, 0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"c_swsp_off",       "[12:7]=5:2|7:6",                         false, 0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"c_sdsp_off",       "[12:7]=5:3|8:6",                         false, 0, kImm,  kNone, kDec,      kAny,      kNoRd},
  {"c_b_off",          "[12:10]=8|4:3 [6:2]=7:6|2:1|5",          true,  0, kImm,  kNone, kTarget,   kAny,      kNoRd},
  {"c_j_off",          "[12:2]=11|4|9:8|10|6|7|3:1|5",           true,  0, kImm,  kNone, kTarget,   kAny,      kNoRd},
};
// clang-format on

// Reads a decimal number at s[pos]; false if there is none.
bool ReadNumber(std::string_view s, size_t& pos, unsigned& out) {
  size_t start = pos;
  out = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') out = out * 10 + (s[pos++] - '0');
  return pos > start && out < 64;
}

// "a" or "a:b" (a >= b).
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
      std::fprintf(stderr, "riscv64 operand %.*s: %s\n", static_cast<int>(def.name.size()),
                   def.name.data(), error.c_str());
      std::abort();
    }
    out.push_back(op);
  }
  return out;
}

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

int64_t Operand::Extract(uint32_t raw) const {
  uint64_t v = 0;
  for (unsigned i = 0; i < num_runs; ++i) {
    const BitRun& r = runs[i];
    v |= uint64_t{(raw >> r.src_lo) & ((1u << r.width) - 1)} << r.dst_lo;
  }
  if (def->is_signed && num_runs != 0) {
    unsigned shift = 63 - sign_bit;
    v = static_cast<uint64_t>(static_cast<int64_t>(v << shift) >> shift);
  }
  return static_cast<int64_t>(v) + def->add;
}

bool Operand::Valid(int64_t value) const {
  switch (def->check) {
    case Check::kAny: return true;
    case Check::kNonZero: return value != 0;
    case Check::kValidRm: return value != 5 && value != 6;
  }
  return false;
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

}  // namespace polyvm::frontend::riscv64
