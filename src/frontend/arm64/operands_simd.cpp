// Value, check and print functions of the FP and AdvSIMD operand tokens (operands_simd.def).
// Register shapes follow the Arm ARM's operand tables (DDI 0487, C7.2: <T> from Q:size, <Ts> from
// imm5, <Vb>/<Va> of the long and narrow forms, immh for shifts); printing follows GNU objdump
// -M no-aliases (binutils 2.40).
#include <fmt/format.h>

#include <bit>
#include <cstring>

#include "operands.h"
#include "simd_imm.h"

namespace polyvm::frontend::arm64 {
namespace {

constexpr const char* kArr[8] = {"8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d"};
constexpr char kSizeChar[5] = {'b', 'h', 's', 'd', 'q'};

unsigned Q(uint32_t raw) { return Bit(raw, 30); }
unsigned Size(uint32_t raw) { return Bits(raw, 23, 22); }
unsigned Ftype(uint32_t raw) { return Bits(raw, 23, 22); }
unsigned Immh(uint32_t raw) { return Bits(raw, 22, 19); }
unsigned Imm5(uint32_t raw) { return Bits(raw, 20, 16); }

// log2 of the element size in bytes for immh (highest set bit) and imm5 (lowest set bit).
unsigned IshSize(uint32_t raw) { return Immh(raw) == 0 ? 0 : 31 - std::countl_zero(Immh(raw)); }
unsigned I5Size(uint32_t raw) { return std::countr_zero(Imm5(raw) | 0x20u); }

std::string VReg(int64_t r, const char* arr) { return fmt::format("v{}.{}", r, arr); }
std::string Arr(int64_t r, unsigned size, unsigned q) { return VReg(r, kArr[size * 2 + q]); }

// "%.18e" as objdump prints FP immediates.
std::string FpText(uint64_t bits, bool is_double) {
  double d;
  if (is_double) {
    std::memcpy(&d, &bits, 8);
  } else {
    float f;
    uint32_t b32 = static_cast<uint32_t>(bits);
    std::memcpy(&f, &b32, 4);
    d = f;
  }
  return fmt::format("#{:.18e}", d);
}

// Registers of a register list: "{v0.4s, v1.4s}" or, for three or more without wrapping,
// "{v0.4s-v2.4s}" (objdump's choice).
std::string RegList(int64_t first, unsigned count, const std::string& suffix) {
  if (count >= 3 && first + count - 1 <= 31) {
    return fmt::format("{{v{}{}-v{}{}}}", first, suffix, first + count - 1, suffix);
  }
  std::string out = "{";
  for (unsigned k = 0; k < count; ++k) {
    if (k) out += ", ";
    out += fmt::format("v{}{}", (first + k) & 31, suffix);
  }
  return out + "}";
}

// Registers per structure of a load/store multiple (opcode bits 15:12): {count, 0 if unallocated}.
unsigned ListCount(uint32_t raw) {
  switch (Bits(raw, 15, 12)) {
    case 0b0000: return 4;  // ld4/st4
    case 0b0010: return 4;  // ld1/st1, 4 registers
    case 0b0100: return 3;  // ld3/st3
    case 0b0110: return 3;  // ld1/st1, 3 registers
    case 0b0111: return 1;  // ld1/st1, 1 register
    case 0b1000: return 2;  // ld2/st2
    case 0b1010: return 2;  // ld1/st1, 2 registers
    default: return 0;
  }
}

// Single-structure forms: element log2 size by opcode<2:1> (bits 15:14) and size (bits 11:10).
unsigned LaneSize(uint32_t raw) {
  unsigned opc = Bits(raw, 15, 14);
  if (opc < 2) return opc;
  return Bit(raw, 10) ? 3 : 2;
}
// Structures (1..4) of a single-structure form: opcode<0> (bit 13) and R (bit 21).
unsigned LaneCount(uint32_t raw) { return (Bit(raw, 13) << 1 | Bit(raw, 21)) + 1; }
unsigned LaneIndex(uint32_t raw) {
  unsigned qss = Q(raw) << 3 | Bit(raw, 12) << 2 | Bits(raw, 11, 10);
  return qss >> LaneSize(raw);
}

}  // namespace

// ---- values ----

int64_t ValueFbits(uint32_t, int64_t scale) { return 64 - scale; }
int64_t ValueShr(uint32_t raw, int64_t field) {
  return (int64_t{16} << IshSize(raw)) - field;  // 2 * esize - immh:immb
}
int64_t ValueShl(uint32_t raw, int64_t field) { return field - (int64_t{8} << IshSize(raw)); }

// ---- checks ----

bool CheckFtype(uint32_t raw, int64_t) { return Ftype(raw) <= 1; }
bool CheckFcvt(uint32_t raw, int64_t) {
  unsigned from = Ftype(raw), to = Bits(raw, 16, 15);
  return from != 2 && to != 2 && from != to;
}
bool CheckFbits(uint32_t raw, int64_t fbits) { return Bit(raw, 31) || fbits <= 32; }
bool CheckNot1d(uint32_t raw, int64_t) { return !(Size(raw) == 3 && !Q(raw)); }
bool CheckSizeNot3(uint32_t raw, int64_t) { return Size(raw) != 3; }
bool CheckSizeHs(uint32_t raw, int64_t) { return Size(raw) == 1 || Size(raw) == 2; }
bool CheckSizeD(uint32_t raw, int64_t) { return Size(raw) == 3; }
bool CheckFpVec(uint32_t raw, int64_t) { return !(Bit(raw, 22) && !Q(raw)); }
bool CheckIsh(uint32_t raw, int64_t) { return Immh(raw) != 0 && !(Immh(raw) >= 8 && !Q(raw)); }
bool CheckIshL(uint32_t raw, int64_t) { return Immh(raw) != 0 && Immh(raw) < 8; }
bool CheckIshD(uint32_t raw, int64_t) { return Immh(raw) >= 8; }
bool CheckIshAny(uint32_t raw, int64_t) { return Immh(raw) != 0; }
bool CheckIshFp(uint32_t raw, int64_t) {
  // FP fixed-point forms: immh 01xx (s) or 1xxx (d); 1xxx with Q = 0 only for the scalar forms.
  if (Immh(raw) < 4) return false;
  return Bit(raw, 28) || !(Immh(raw) >= 8 && !Q(raw));
}
bool CheckI5(uint32_t raw, int64_t) { return (Imm5(raw) & 15) != 0; }
bool CheckI5Dup(uint32_t raw, int64_t) {
  // DUP: imm5 = x1000 (64-bit lanes) needs Q = 1.
  return (Imm5(raw) & 15) != 0 && !(I5Size(raw) == 3 && !Q(raw));
}
bool CheckUmov(uint32_t raw, int64_t) {
  // UMOV Wd takes b/h/s lanes, UMOV Xd only d lanes.
  if ((Imm5(raw) & 15) == 0) return false;
  return Q(raw) ? I5Size(raw) == 3 : I5Size(raw) <= 2;
}
bool CheckSmov(uint32_t raw, int64_t) {
  // SMOV Wd takes b/h lanes, SMOV Xd b/h/s lanes.
  if ((Imm5(raw) & 15) == 0) return false;
  return Q(raw) ? I5Size(raw) <= 2 : I5Size(raw) <= 1;
}
bool CheckElemIdx(uint32_t raw, int64_t) {
  unsigned size = Size(raw);
  if (size == 0) return false;
  if (size == 3) return !Bit(raw, 21) && Q(raw);  // d: index H only, and a 2d vector
  return true;
}
bool CheckExtIdx(uint32_t raw, int64_t idx) { return Q(raw) || idx < 8; }
bool CheckList(uint32_t raw, int64_t) {
  unsigned count = ListCount(raw);
  if (count == 0) return false;
  // 1d lanes exist only for the ld1/st1 forms (one register per structure: count 1 opcodes).
  unsigned opcode = Bits(raw, 15, 12);
  bool ld1 = opcode == 0b0010 || opcode == 0b0110 || opcode == 0b0111 || opcode == 0b1010;
  return ld1 || !(Bits(raw, 11, 10) == 3 && !Q(raw));
}
bool CheckLane(uint32_t raw, int64_t) {
  switch (Bits(raw, 15, 14)) {
    case 1: return !Bit(raw, 10);                                     // h: size<0> = 0
    case 2: return !Bit(raw, 11) && !(Bit(raw, 10) && Bit(raw, 12));  // s: size 00; d: size 01, S 0
    case 3: return false;  // opcode 11x: only the replicating loads (their own rows), no stores
    default: return true;
  }
}
bool CheckFcvtWide(uint32_t, int64_t) { return true; }
bool CheckAcross(uint32_t raw, int64_t) { return Size(raw) < 2 || (Size(raw) == 2 && Q(raw)); }

// ---- shows ----

std::string ShowFtype(const Insn& i, int64_t v, uint64_t, std::string&) {
  constexpr char kType[4] = {'s', 'd', '?', 'h'};
  return fmt::format("{}{}", kType[Ftype(i.raw)], v);
}
std::string ShowFcvtDest(const Insn& i, int64_t v, uint64_t, std::string&) {
  constexpr char kType[4] = {'s', 'd', '?', 'h'};
  return fmt::format("{}{}", kType[Bits(i.raw, 16, 15)], v);
}
std::string ShowFpImm(const Insn& i, int64_t v, uint64_t, std::string&) {
  bool dbl = Ftype(i.raw) == 1;
  return FpText(VfpExpandImm(static_cast<uint32_t>(v), dbl ? 64 : 32), dbl);
}
std::string ShowFZero(const Insn&, int64_t, uint64_t, std::string&) { return "#0.0"; }
std::string ShowVD1(const Insn&, int64_t v, uint64_t, std::string&) {
  return fmt::format("v{}.d[1]", v);
}
std::string ShowVT(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, Size(i.raw), Q(i.raw));
}
std::string ShowVB(const Insn& i, int64_t v, uint64_t, std::string&) { return Arr(v, 0, Q(i.raw)); }
std::string ShowVF(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, 2 + Bit(i.raw, 22), Q(i.raw));
}
std::string ShowVL(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, Size(i.raw) + 1, 1);
}
std::string ShowVFcvtWide(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, 2 + Bit(i.raw, 22), 1);
}
std::string ShowVFcvtNarrow(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, 1 + Bit(i.raw, 22), Q(i.raw));
}
std::string ShowVIsh(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, IshSize(i.raw), Q(i.raw));
}
std::string ShowVIshL(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, IshSize(i.raw) + 1, 1);
}
std::string ShowVI5(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, I5Size(i.raw), Q(i.raw));
}
std::string ShowElem5(const Insn& i, int64_t v, uint64_t, std::string&) {
  unsigned size = I5Size(i.raw);
  return fmt::format("v{}.{}[{}]", v, kSizeChar[size], Imm5(i.raw) >> (size + 1));
}
std::string ShowElem4(const Insn& i, int64_t v, uint64_t, std::string&) {
  unsigned size = I5Size(i.raw);
  return fmt::format("v{}.{}[{}]", v, kSizeChar[size], Bits(i.raw, 14, 11) >> size);
}
std::string ShowElemIdx(const Insn& i, int64_t v, uint64_t, std::string&) {
  unsigned size = Size(i.raw);
  unsigned h = Bit(i.raw, 11), l = Bit(i.raw, 21), m = Bit(i.raw, 20);
  if (size == 1) return fmt::format("v{}.h[{}]", v & 15, h << 2 | l << 1 | m);
  if (size == 2) return fmt::format("v{}.s[{}]", v, h << 1 | l);
  return fmt::format("v{}.d[{}]", v, h);
}
std::string ShowScalarSize(const Insn& i, int64_t v, uint64_t, std::string&) {
  return fmt::format("{}{}", kSizeChar[Size(i.raw)], v);
}
std::string ShowScalarSizeL(const Insn& i, int64_t v, uint64_t, std::string&) {
  return fmt::format("{}{}", kSizeChar[Size(i.raw) + 1], v);
}
std::string ShowScalarSz(const Insn& i, int64_t v, uint64_t, std::string&) {
  return fmt::format("{}{}", Bit(i.raw, 22) ? 'd' : 's', v);
}
std::string ShowScalarIsh(const Insn& i, int64_t v, uint64_t, std::string&) {
  return fmt::format("{}{}", kSizeChar[IshSize(i.raw)], v);
}
std::string ShowScalarIshL(const Insn& i, int64_t v, uint64_t, std::string&) {
  return fmt::format("{}{}", kSizeChar[IshSize(i.raw) + 1], v);
}
std::string ShowScalarI5(const Insn& i, int64_t v, uint64_t, std::string&) {
  return fmt::format("{}{}", kSizeChar[I5Size(i.raw)], v);
}
std::string ShowRI5(const Insn& i, int64_t v, uint64_t, std::string&) {
  return std::string(GprName(static_cast<unsigned>(v), I5Size(i.raw) == 3, false));
}
std::string ShowR30Fp(const Insn& i, int64_t v, uint64_t, std::string&) {
  return std::string(GprName(static_cast<unsigned>(v), Q(i.raw), false));
}
std::string ShowQ2(const Insn& i, int64_t, uint64_t, std::string& mnemonic) {
  if (Q(i.raw)) mnemonic += '2';
  return {};
}
std::string ShowList(const Insn& i, int64_t v, uint64_t, std::string&) {
  return RegList(v, ListCount(i.raw), std::string(".") + kArr[Bits(i.raw, 11, 10) * 2 + Q(i.raw)]);
}
std::string ShowLaneList(const Insn& i, int64_t v, uint64_t, std::string&) {
  std::string suffix = std::string(".") + kSizeChar[LaneSize(i.raw)];
  return RegList(v, LaneCount(i.raw), suffix) + fmt::format("[{}]", LaneIndex(i.raw));
}
std::string ShowRepList(const Insn& i, int64_t v, uint64_t, std::string&) {
  return RegList(v, LaneCount(i.raw), std::string(".") + kArr[Bits(i.raw, 11, 10) * 2 + Q(i.raw)]);
}
std::string ShowTblList(const Insn& i, int64_t v, uint64_t, std::string&) {
  return RegList(v, Bits(i.raw, 14, 13) + 1, ".16b");
}
std::string ShowPostIndex(const Insn& i, int64_t v, uint64_t, std::string&) {
  if (v != 31) return std::string(GprName(static_cast<unsigned>(v), true, false));
  unsigned bytes;
  if (!Bit(i.raw, 24)) {
    bytes = ListCount(i.raw) * (Q(i.raw) ? 16 : 8);
  } else if (Bits(i.raw, 15, 14) == 3) {
    bytes = LaneCount(i.raw) << Bits(i.raw, 11, 10);  // replicating: one element per register
  } else {
    bytes = LaneCount(i.raw) << LaneSize(i.raw);
  }
  return DecImm(bytes);
}
std::string ShowModImm(const Insn&, int64_t v, uint64_t, std::string&) {
  return HexImm(static_cast<uint64_t>(v));
}
std::string ShowModShift(const Insn&, int64_t cmode, uint64_t, std::string&) {
  if (cmode < 8) return cmode & 6 ? fmt::format("lsl #{}", (cmode >> 1) * 8) : std::string();
  if (cmode < 12) return cmode & 2 ? "lsl #8" : std::string();
  if (cmode < 14) return fmt::format("msl #{}", cmode & 1 ? 16 : 8);
  return {};
}
std::string ShowModImm64(const Insn&, int64_t v, uint64_t, std::string&) {
  return HexImm(AdvSimdExpandImm(1, 14, static_cast<uint32_t>(v)));
}
std::string ShowModFpImm(const Insn& i, int64_t v, uint64_t, std::string&) {
  bool dbl = Bit(i.raw, 29);
  return FpText(VfpExpandImm(static_cast<uint32_t>(v), dbl ? 64 : 32), dbl);
}
std::string ShowIZero(const Insn&, int64_t, uint64_t, std::string&) { return "#0"; }
std::string ShowVFPair(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Bit(i.raw, 22) ? Arr(v, 3, 1) : Arr(v, 2, 0);
}
std::string ShowVLQ(const Insn& i, int64_t v, uint64_t, std::string&) {
  return Arr(v, Size(i.raw) + 1, Q(i.raw));
}
std::string ShowShllShift(const Insn& i, int64_t, uint64_t, std::string&) {
  return DecImm(8 << Size(i.raw));
}
std::string ShowVMod(const Insn& i, int64_t v, uint64_t, std::string&) {
  unsigned cmode = Bits(i.raw, 15, 12), op = Bit(i.raw, 29), q = Q(i.raw);
  if (cmode < 8 || (cmode & 14) == 12) return Arr(v, 2, q);
  if (cmode < 12) return Arr(v, 1, q);
  if (cmode == 14 && op == 0) return Arr(v, 0, q);
  if (cmode == 14) return q ? Arr(v, 3, 1) : fmt::format("d{}", v);
  return op ? Arr(v, 3, 1) : Arr(v, 2, q);
}

}  // namespace polyvm::frontend::arm64
