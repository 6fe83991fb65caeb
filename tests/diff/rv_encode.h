// RISC-V instruction encoders for the differential tests, written from the ISA manual's format
// figures (unprivileged spec 20191213, ch. 2.2-2.3 for the base formats, ch. 16.2 for RVC) and
// deliberately independent of the frontend's decode table, so that a wrong table cannot hide.
#pragma once

#include <cstdint>

namespace polyvm::diff::rv {

// Major opcodes (spec table 24.1).
inline constexpr uint32_t kOpLoad = 0x03, kOpLoadFp = 0x07, kOpMiscMem = 0x0f, kOpImm = 0x13,
                          kOpAuipc = 0x17, kOpImm32 = 0x1b, kOpStore = 0x23, kOpStoreFp = 0x27,
                          kOpAmo = 0x2f, kOpReg = 0x33, kOpLui = 0x37, kOpReg32 = 0x3b,
                          kOpMadd = 0x43, kOpMsub = 0x47, kOpNmsub = 0x4b, kOpNmadd = 0x4f,
                          kOpFp = 0x53, kOpBranch = 0x63, kOpJalr = 0x67, kOpJal = 0x6f,
                          kOpSystem = 0x73;

inline constexpr uint32_t kEbreak = 0x00100073;
inline constexpr uint32_t kEcall = 0x00000073;
inline constexpr uint16_t kCEbreak = 0x9002;

// Bits [hi:lo] of v, placed at bit `at`.
constexpr uint32_t Bits(uint64_t v, unsigned hi, unsigned lo, unsigned at) {
  return static_cast<uint32_t>(((v >> lo) & ((uint64_t{1} << (hi - lo + 1)) - 1)) << at);
}

// ---- 32-bit formats ----
constexpr uint32_t R(uint32_t op, uint32_t f3, uint32_t f7, unsigned rd, unsigned rs1,
                     unsigned rs2) {
  return op | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
}
constexpr uint32_t I(uint32_t op, uint32_t f3, unsigned rd, unsigned rs1, int32_t imm) {
  return op | rd << 7 | f3 << 12 | rs1 << 15 | Bits(static_cast<uint32_t>(imm), 11, 0, 20);
}
constexpr uint32_t S(uint32_t op, uint32_t f3, unsigned rs1, unsigned rs2, int32_t imm) {
  auto u = static_cast<uint32_t>(imm);
  return op | Bits(u, 4, 0, 7) | f3 << 12 | rs1 << 15 | rs2 << 20 | Bits(u, 11, 5, 25);
}
constexpr uint32_t B(uint32_t f3, unsigned rs1, unsigned rs2, int32_t off) {
  auto u = static_cast<uint32_t>(off);
  return kOpBranch | Bits(u, 11, 11, 7) | Bits(u, 4, 1, 8) | f3 << 12 | rs1 << 15 | rs2 << 20 |
         Bits(u, 10, 5, 25) | Bits(u, 12, 12, 31);
}
constexpr uint32_t U(uint32_t op, unsigned rd, uint32_t imm20) {
  return op | rd << 7 | (imm20 & 0xfffff) << 12;
}
constexpr uint32_t J(unsigned rd, int32_t off) {
  auto u = static_cast<uint32_t>(off);
  return kOpJal | rd << 7 | Bits(u, 19, 12, 12) | Bits(u, 11, 11, 20) | Bits(u, 10, 1, 21) |
         Bits(u, 20, 20, 31);
}
// R4 (fused multiply-add): fmt 0 = S, 1 = D.
constexpr uint32_t R4(uint32_t op, uint32_t fmt, uint32_t rm, unsigned rd, unsigned rs1,
                      unsigned rs2, unsigned rs3) {
  return op | rd << 7 | rm << 12 | rs1 << 15 | rs2 << 20 | fmt << 25 | rs3 << 27;
}
constexpr uint32_t Amo(uint32_t funct5, bool aq, bool rl, uint32_t f3, unsigned rd, unsigned rs1,
                       unsigned rs2) {
  return kOpAmo | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | uint32_t{rl} << 25 |
         uint32_t{aq} << 26 | funct5 << 27;
}

// ---- compressed formats (spec 16.2; rd'/rs' are x8..x15, given here as full numbers) ----
constexpr uint16_t C3(unsigned r) { return static_cast<uint16_t>(r - 8); }
constexpr uint16_t CR(uint32_t f4, unsigned rd_rs1, unsigned rs2, uint32_t op) {
  return static_cast<uint16_t>(f4 << 12 | rd_rs1 << 7 | rs2 << 2 | op);
}
// CI with a 6-bit immediate split as imm[5] at 12 and imm[4:0] at 6:2.
constexpr uint16_t CI6(uint32_t f3, unsigned rd, int32_t imm, uint32_t op) {
  auto u = static_cast<uint32_t>(imm);
  return static_cast<uint16_t>(f3 << 13 | Bits(u, 5, 5, 12) | rd << 7 | Bits(u, 4, 0, 2) | op);
}
constexpr uint16_t CAddi4spn(unsigned rdp, uint32_t nzuimm) {
  // nzuimm[5:4|9:6|2|3] at 12:5
  return static_cast<uint16_t>(Bits(nzuimm, 5, 4, 11) | Bits(nzuimm, 9, 6, 7) |
                               Bits(nzuimm, 2, 2, 6) | Bits(nzuimm, 3, 3, 5) | C3(rdp) << 2);
}
// c.lw/c.sw (word offsets, uimm[5:3] at 12:10, uimm[2|6] at 6:5).
constexpr uint16_t CLsw(uint32_t f3, unsigned rs1p, unsigned rp, uint32_t uimm) {
  return static_cast<uint16_t>(f3 << 13 | Bits(uimm, 5, 3, 10) | C3(rs1p) << 7 |
                               Bits(uimm, 2, 2, 6) | Bits(uimm, 6, 6, 5) | C3(rp) << 2);
}
// c.ld/c.sd/c.fld/c.fsd (uimm[5:3] at 12:10, uimm[7:6] at 6:5).
constexpr uint16_t CLsd(uint32_t f3, unsigned rs1p, unsigned rp, uint32_t uimm) {
  return static_cast<uint16_t>(f3 << 13 | Bits(uimm, 5, 3, 10) | C3(rs1p) << 7 |
                               Bits(uimm, 7, 6, 5) | C3(rp) << 2);
}
constexpr uint16_t CAddi16sp(int32_t nzimm) {
  auto u = static_cast<uint32_t>(nzimm);
  // nzimm[9] at 12, nzimm[4|6|8:7|5] at 6:2
  return static_cast<uint16_t>(3u << 13 | Bits(u, 9, 9, 12) | 2u << 7 | Bits(u, 4, 4, 6) |
                               Bits(u, 6, 6, 5) | Bits(u, 8, 7, 3) | Bits(u, 5, 5, 2) | 1u);
}
constexpr uint16_t CLui(unsigned rd, int32_t nzimm17_12) { return CI6(3, rd, nzimm17_12, 1); }
// c.srli / c.srai / c.andi: funct2 at 11:10 selects.
constexpr uint16_t CBImm(uint32_t f2, unsigned rdp, int32_t imm) {
  auto u = static_cast<uint32_t>(imm);
  return static_cast<uint16_t>(4u << 13 | Bits(u, 5, 5, 12) | f2 << 10 | C3(rdp) << 7 |
                               Bits(u, 4, 0, 2) | 1u);
}
// c.sub/xor/or/and (w = 0) and c.subw/addw (w = 1).
constexpr uint16_t CA(bool w, uint32_t f2, unsigned rdp, unsigned rs2p) {
  return static_cast<uint16_t>(4u << 13 | uint32_t{w} << 12 | 3u << 10 | C3(rdp) << 7 | f2 << 5 |
                               C3(rs2p) << 2 | 1u);
}
constexpr uint16_t CJ(uint32_t f3, int32_t off) {
  auto u = static_cast<uint32_t>(off);
  // offset[11|4|9:8|10|6|7|3:1|5] at 12:2
  return static_cast<uint16_t>(f3 << 13 | Bits(u, 11, 11, 12) | Bits(u, 4, 4, 11) |
                               Bits(u, 9, 8, 9) | Bits(u, 10, 10, 8) | Bits(u, 6, 6, 7) |
                               Bits(u, 7, 7, 6) | Bits(u, 3, 1, 3) | Bits(u, 5, 5, 2) | 1u);
}
constexpr uint16_t CBranch(uint32_t f3, unsigned rs1p, int32_t off) {
  auto u = static_cast<uint32_t>(off);
  // offset[8|4:3] at 12:10, offset[7:6|2:1|5] at 6:2
  return static_cast<uint16_t>(f3 << 13 | Bits(u, 8, 8, 12) | Bits(u, 4, 3, 10) | C3(rs1p) << 7 |
                               Bits(u, 7, 6, 5) | Bits(u, 2, 1, 3) | Bits(u, 5, 5, 2) | 1u);
}
// c.lwsp (uimm[5] at 12, uimm[4:2|7:6] at 6:2), c.ldsp/c.fldsp (uimm[5] at 12, uimm[4:3|8:6]).
constexpr uint16_t CLwsp(unsigned rd, uint32_t uimm) {
  return static_cast<uint16_t>(2u << 13 | Bits(uimm, 5, 5, 12) | rd << 7 | Bits(uimm, 4, 2, 4) |
                               Bits(uimm, 7, 6, 2) | 2u);
}
constexpr uint16_t CLdsp(uint32_t f3, unsigned rd, uint32_t uimm) {
  return static_cast<uint16_t>(f3 << 13 | Bits(uimm, 5, 5, 12) | rd << 7 | Bits(uimm, 4, 3, 5) |
                               Bits(uimm, 8, 6, 2) | 2u);
}
// c.swsp (uimm[5:2|7:6] at 12:7), c.sdsp/c.fsdsp (uimm[5:3|8:6] at 12:7).
constexpr uint16_t CSwsp(unsigned rs2, uint32_t uimm) {
  return static_cast<uint16_t>(6u << 13 | Bits(uimm, 5, 2, 9) | Bits(uimm, 7, 6, 7) | rs2 << 2 |
                               2u);
}
constexpr uint16_t CSdsp(uint32_t f3, unsigned rs2, uint32_t uimm) {
  return static_cast<uint16_t>(f3 << 13 | Bits(uimm, 5, 3, 10) | Bits(uimm, 8, 6, 7) | rs2 << 2 |
                               2u);
}

}  // namespace polyvm::diff::rv
