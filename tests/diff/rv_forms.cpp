// The form table (see rv_forms.h), written from the opcode maps of the unprivileged ISA manual
// (20191213): ch. 24 "RV32/64G Instruction Set Listings" for the 32-bit forms and ch. 16.8
// "RVC Instruction Set Listings" for the compressed ones; Zba/Zbb/Zbs from "RISC-V
// Bit-Manipulation ISA-extensions" 1.0.0, ch. 2 (the encoding of each instruction's page).
#include "rv_forms.h"

#include "rv_encode.h"

namespace polyvm::diff {
namespace {

using namespace rv;  // NOLINT: opcode names

constexpr uint32_t F3(uint32_t f3) { return f3 << 12; }
constexpr uint32_t F7(uint32_t f7) { return f7 << 25; }
constexpr uint32_t Rs2(uint32_t r) { return r << 20; }
constexpr uint32_t Amo5(uint32_t f5, uint32_t f3) { return kOpAmo | F3(f3) | f5 << 27; }
// FP R-type: funct7 = funct5 << 2 | fmt (0 = S, 1 = D).
constexpr uint32_t Fp(uint32_t f5, uint32_t fmt) { return kOpFp | F7(f5 << 2 | fmt); }
// Compressed: quadrant and funct3.
constexpr uint32_t Cq(uint32_t f3, uint32_t q) { return f3 << 13 | q; }

constexpr Rc X = Rc::kX, F = Rc::kF, N = Rc::kNone;
constexpr uint32_t kS = kSrcS | kDstS;

// One row per line, like the manual's listings.
// clang-format off
const Form kForms[] = {
    // ---- RV64I ----
    {"lui", Ext::kI, Fmt::kU, kOpLui, X, N, N, N, 0, 0},
    {"auipc", Ext::kI, Fmt::kU, kOpAuipc, X, N, N, N, 0, 0},
    {"addi", Ext::kI, Fmt::kImm, kOpImm | F3(0), X, X, N, N, 0, 0},
    {"slti", Ext::kI, Fmt::kImm, kOpImm | F3(2), X, X, N, N, 0, 0},
    {"sltiu", Ext::kI, Fmt::kImm, kOpImm | F3(3), X, X, N, N, 0, 0},
    {"xori", Ext::kI, Fmt::kImm, kOpImm | F3(4), X, X, N, N, 0, 0},
    {"ori", Ext::kI, Fmt::kImm, kOpImm | F3(6), X, X, N, N, 0, 0},
    {"andi", Ext::kI, Fmt::kImm, kOpImm | F3(7), X, X, N, N, 0, 0},
    {"slli", Ext::kI, Fmt::kShift6, kOpImm | F3(1), X, X, N, N, 0, 0},
    {"srli", Ext::kI, Fmt::kShift6, kOpImm | F3(5), X, X, N, N, 0, 0},
    {"srai", Ext::kI, Fmt::kShift6, kOpImm | F3(5) | F7(0x20), X, X, N, N, 0, 0},
    {"add", Ext::kI, Fmt::kR, kOpReg | F3(0), X, X, X, N, 0, 0},
    {"sub", Ext::kI, Fmt::kR, kOpReg | F3(0) | F7(0x20), X, X, X, N, 0, 0},
    {"sll", Ext::kI, Fmt::kR, kOpReg | F3(1), X, X, X, N, 0, 0},
    {"slt", Ext::kI, Fmt::kR, kOpReg | F3(2), X, X, X, N, 0, 0},
    {"sltu", Ext::kI, Fmt::kR, kOpReg | F3(3), X, X, X, N, 0, 0},
    {"xor", Ext::kI, Fmt::kR, kOpReg | F3(4), X, X, X, N, 0, 0},
    {"srl", Ext::kI, Fmt::kR, kOpReg | F3(5), X, X, X, N, 0, 0},
    {"sra", Ext::kI, Fmt::kR, kOpReg | F3(5) | F7(0x20), X, X, X, N, 0, 0},
    {"or", Ext::kI, Fmt::kR, kOpReg | F3(6), X, X, X, N, 0, 0},
    {"and", Ext::kI, Fmt::kR, kOpReg | F3(7), X, X, X, N, 0, 0},
    {"addiw", Ext::kI, Fmt::kImm, kOpImm32 | F3(0), X, X, N, N, 0, 0},
    {"slliw", Ext::kI, Fmt::kShift5, kOpImm32 | F3(1), X, X, N, N, 0, 0},
    {"srliw", Ext::kI, Fmt::kShift5, kOpImm32 | F3(5), X, X, N, N, 0, 0},
    {"sraiw", Ext::kI, Fmt::kShift5, kOpImm32 | F3(5) | F7(0x20), X, X, N, N, 0, 0},
    {"addw", Ext::kI, Fmt::kR, kOpReg32 | F3(0), X, X, X, N, 0, 0},
    {"subw", Ext::kI, Fmt::kR, kOpReg32 | F3(0) | F7(0x20), X, X, X, N, 0, 0},
    {"sllw", Ext::kI, Fmt::kR, kOpReg32 | F3(1), X, X, X, N, 0, 0},
    {"srlw", Ext::kI, Fmt::kR, kOpReg32 | F3(5), X, X, X, N, 0, 0},
    {"sraw", Ext::kI, Fmt::kR, kOpReg32 | F3(5) | F7(0x20), X, X, X, N, 0, 0},
    {"lb", Ext::kI, Fmt::kLoad, kOpLoad | F3(0), X, N, N, N, 1, 0},
    {"lh", Ext::kI, Fmt::kLoad, kOpLoad | F3(1), X, N, N, N, 2, 0},
    {"lw", Ext::kI, Fmt::kLoad, kOpLoad | F3(2), X, N, N, N, 4, 0},
    {"ld", Ext::kI, Fmt::kLoad, kOpLoad | F3(3), X, N, N, N, 8, 0},
    {"lbu", Ext::kI, Fmt::kLoad, kOpLoad | F3(4), X, N, N, N, 1, 0},
    {"lhu", Ext::kI, Fmt::kLoad, kOpLoad | F3(5), X, N, N, N, 2, 0},
    {"lwu", Ext::kI, Fmt::kLoad, kOpLoad | F3(6), X, N, N, N, 4, 0},
    {"sb", Ext::kI, Fmt::kStore, kOpStore | F3(0), N, N, X, N, 1, 0},
    {"sh", Ext::kI, Fmt::kStore, kOpStore | F3(1), N, N, X, N, 2, 0},
    {"sw", Ext::kI, Fmt::kStore, kOpStore | F3(2), N, N, X, N, 4, 0},
    {"sd", Ext::kI, Fmt::kStore, kOpStore | F3(3), N, N, X, N, 8, 0},
    {"fence", Ext::kI, Fmt::kFence, kOpMiscMem | F3(0), N, N, N, N, 0, 0},
    {"fence.i", Ext::kZifencei, Fmt::kFenceI, kOpMiscMem | F3(1), N, N, N, N, 0, 0},

    // ---- M ----
    {"mul", Ext::kM, Fmt::kR, kOpReg | F3(0) | F7(1), X, X, X, N, 0, 0},
    {"mulh", Ext::kM, Fmt::kR, kOpReg | F3(1) | F7(1), X, X, X, N, 0, 0},
    {"mulhsu", Ext::kM, Fmt::kR, kOpReg | F3(2) | F7(1), X, X, X, N, 0, 0},
    {"mulhu", Ext::kM, Fmt::kR, kOpReg | F3(3) | F7(1), X, X, X, N, 0, 0},
    {"div", Ext::kM, Fmt::kR, kOpReg | F3(4) | F7(1), X, X, X, N, 0, 0},
    {"divu", Ext::kM, Fmt::kR, kOpReg | F3(5) | F7(1), X, X, X, N, 0, 0},
    {"rem", Ext::kM, Fmt::kR, kOpReg | F3(6) | F7(1), X, X, X, N, 0, 0},
    {"remu", Ext::kM, Fmt::kR, kOpReg | F3(7) | F7(1), X, X, X, N, 0, 0},
    {"mulw", Ext::kM, Fmt::kR, kOpReg32 | F3(0) | F7(1), X, X, X, N, 0, 0},
    {"divw", Ext::kM, Fmt::kR, kOpReg32 | F3(4) | F7(1), X, X, X, N, 0, 0},
    {"divuw", Ext::kM, Fmt::kR, kOpReg32 | F3(5) | F7(1), X, X, X, N, 0, 0},
    {"remw", Ext::kM, Fmt::kR, kOpReg32 | F3(6) | F7(1), X, X, X, N, 0, 0},
    {"remuw", Ext::kM, Fmt::kR, kOpReg32 | F3(7) | F7(1), X, X, X, N, 0, 0},

    // ---- A ----
    {"lr.w", Ext::kA, Fmt::kLr, Amo5(0x02, 2), X, N, N, N, 4, kAtomic},
    {"sc.w", Ext::kA, Fmt::kAmo, Amo5(0x03, 2), X, N, X, N, 4, kAtomic},
    {"amoswap.w", Ext::kA, Fmt::kAmo, Amo5(0x01, 2), X, N, X, N, 4, kAtomic},
    {"amoadd.w", Ext::kA, Fmt::kAmo, Amo5(0x00, 2), X, N, X, N, 4, kAtomic},
    {"amoxor.w", Ext::kA, Fmt::kAmo, Amo5(0x04, 2), X, N, X, N, 4, kAtomic},
    {"amoand.w", Ext::kA, Fmt::kAmo, Amo5(0x0c, 2), X, N, X, N, 4, kAtomic},
    {"amoor.w", Ext::kA, Fmt::kAmo, Amo5(0x08, 2), X, N, X, N, 4, kAtomic},
    {"amomin.w", Ext::kA, Fmt::kAmo, Amo5(0x10, 2), X, N, X, N, 4, kAtomic | kAmoMinMaxW},
    {"amomax.w", Ext::kA, Fmt::kAmo, Amo5(0x14, 2), X, N, X, N, 4, kAtomic | kAmoMinMaxW},
    {"amominu.w", Ext::kA, Fmt::kAmo, Amo5(0x18, 2), X, N, X, N, 4, kAtomic | kAmoMinMaxW},
    {"amomaxu.w", Ext::kA, Fmt::kAmo, Amo5(0x1c, 2), X, N, X, N, 4, kAtomic | kAmoMinMaxW},
    {"lr.d", Ext::kA, Fmt::kLr, Amo5(0x02, 3), X, N, N, N, 8, kAtomic},
    {"sc.d", Ext::kA, Fmt::kAmo, Amo5(0x03, 3), X, N, X, N, 8, kAtomic},
    {"amoswap.d", Ext::kA, Fmt::kAmo, Amo5(0x01, 3), X, N, X, N, 8, kAtomic},
    {"amoadd.d", Ext::kA, Fmt::kAmo, Amo5(0x00, 3), X, N, X, N, 8, kAtomic},
    {"amoxor.d", Ext::kA, Fmt::kAmo, Amo5(0x04, 3), X, N, X, N, 8, kAtomic},
    {"amoand.d", Ext::kA, Fmt::kAmo, Amo5(0x0c, 3), X, N, X, N, 8, kAtomic},
    {"amoor.d", Ext::kA, Fmt::kAmo, Amo5(0x08, 3), X, N, X, N, 8, kAtomic},
    {"amomin.d", Ext::kA, Fmt::kAmo, Amo5(0x10, 3), X, N, X, N, 8, kAtomic},
    {"amomax.d", Ext::kA, Fmt::kAmo, Amo5(0x14, 3), X, N, X, N, 8, kAtomic},
    {"amominu.d", Ext::kA, Fmt::kAmo, Amo5(0x18, 3), X, N, X, N, 8, kAtomic},
    {"amomaxu.d", Ext::kA, Fmt::kAmo, Amo5(0x1c, 3), X, N, X, N, 8, kAtomic},

    // ---- F ----
    {"flw", Ext::kF, Fmt::kLoad, kOpLoadFp | F3(2), F, N, N, N, 4, kDstS},
    {"fsw", Ext::kF, Fmt::kStore, kOpStoreFp | F3(2), N, N, F, N, 4, 0},
    {"fmadd.s", Ext::kF, Fmt::kFma, kOpMadd, F, F, F, F, 0, kRm | kS | kFmaOp},
    {"fmsub.s", Ext::kF, Fmt::kFma, kOpMsub, F, F, F, F, 0, kRm | kS | kFmaOp},
    {"fnmsub.s", Ext::kF, Fmt::kFma, kOpNmsub, F, F, F, F, 0, kRm | kS | kFmaOp},
    {"fnmadd.s", Ext::kF, Fmt::kFma, kOpNmadd, F, F, F, F, 0, kRm | kS | kFmaOp},
    {"fadd.s", Ext::kF, Fmt::kFp, Fp(0x00, 0), F, F, F, N, 0, kRm | kS},
    {"fsub.s", Ext::kF, Fmt::kFp, Fp(0x01, 0), F, F, F, N, 0, kRm | kS},
    {"fmul.s", Ext::kF, Fmt::kFp, Fp(0x02, 0), F, F, F, N, 0, kRm | kS},
    {"fdiv.s", Ext::kF, Fmt::kFp, Fp(0x03, 0), F, F, F, N, 0, kRm | kS},
    {"fsqrt.s", Ext::kF, Fmt::kFp, Fp(0x0b, 0), F, F, N, N, 0, kRm | kS},
    {"fsgnj.s", Ext::kF, Fmt::kFp, Fp(0x04, 0) | F3(0), F, F, F, N, 0, kS},
    {"fsgnjn.s", Ext::kF, Fmt::kFp, Fp(0x04, 0) | F3(1), F, F, F, N, 0, kS},
    {"fsgnjx.s", Ext::kF, Fmt::kFp, Fp(0x04, 0) | F3(2), F, F, F, N, 0, kS},
    {"fmin.s", Ext::kF, Fmt::kFp, Fp(0x05, 0) | F3(0), F, F, F, N, 0, kS | kMinMax},
    {"fmax.s", Ext::kF, Fmt::kFp, Fp(0x05, 0) | F3(1), F, F, F, N, 0, kS | kMinMax},
    {"fcvt.w.s", Ext::kF, Fmt::kFp, Fp(0x18, 0) | Rs2(0), X, F, N, N, 0, kRm | kSrcS},
    {"fcvt.wu.s", Ext::kF, Fmt::kFp, Fp(0x18, 0) | Rs2(1), X, F, N, N, 0, kRm | kSrcS},
    {"fcvt.l.s", Ext::kF, Fmt::kFp, Fp(0x18, 0) | Rs2(2), X, F, N, N, 0, kRm | kSrcS},
    {"fcvt.lu.s", Ext::kF, Fmt::kFp, Fp(0x18, 0) | Rs2(3), X, F, N, N, 0, kRm | kSrcS},
    {"fmv.x.w", Ext::kF, Fmt::kFp, Fp(0x1c, 0) | F3(0), X, F, N, N, 0, 0},
    {"feq.s", Ext::kF, Fmt::kFp, Fp(0x14, 0) | F3(2), X, F, F, N, 0, kSrcS},
    {"flt.s", Ext::kF, Fmt::kFp, Fp(0x14, 0) | F3(1), X, F, F, N, 0, kSrcS},
    {"fle.s", Ext::kF, Fmt::kFp, Fp(0x14, 0) | F3(0), X, F, F, N, 0, kSrcS},
    {"fclass.s", Ext::kF, Fmt::kFp, Fp(0x1c, 0) | F3(1), X, F, N, N, 0, kSrcS},
    {"fcvt.s.w", Ext::kF, Fmt::kFp, Fp(0x1a, 0) | Rs2(0), F, X, N, N, 0, kRm | kDstS},
    {"fcvt.s.wu", Ext::kF, Fmt::kFp, Fp(0x1a, 0) | Rs2(1), F, X, N, N, 0, kRm | kDstS},
    {"fcvt.s.l", Ext::kF, Fmt::kFp, Fp(0x1a, 0) | Rs2(2), F, X, N, N, 0, kRm | kDstS},
    {"fcvt.s.lu", Ext::kF, Fmt::kFp, Fp(0x1a, 0) | Rs2(3), F, X, N, N, 0, kRm | kDstS},
    {"fmv.w.x", Ext::kF, Fmt::kFp, Fp(0x1e, 0) | F3(0), F, X, N, N, 0, kDstS},

    // ---- D ----
    {"fld", Ext::kD, Fmt::kLoad, kOpLoadFp | F3(3), F, N, N, N, 8, 0},
    {"fsd", Ext::kD, Fmt::kStore, kOpStoreFp | F3(3), N, N, F, N, 8, 0},
    {"fmadd.d", Ext::kD, Fmt::kFma, kOpMadd | F7(1), F, F, F, F, 0, kRm | kFmaOp},
    {"fmsub.d", Ext::kD, Fmt::kFma, kOpMsub | F7(1), F, F, F, F, 0, kRm | kFmaOp},
    {"fnmsub.d", Ext::kD, Fmt::kFma, kOpNmsub | F7(1), F, F, F, F, 0, kRm | kFmaOp},
    {"fnmadd.d", Ext::kD, Fmt::kFma, kOpNmadd | F7(1), F, F, F, F, 0, kRm | kFmaOp},
    {"fadd.d", Ext::kD, Fmt::kFp, Fp(0x00, 1), F, F, F, N, 0, kRm},
    {"fsub.d", Ext::kD, Fmt::kFp, Fp(0x01, 1), F, F, F, N, 0, kRm},
    {"fmul.d", Ext::kD, Fmt::kFp, Fp(0x02, 1), F, F, F, N, 0, kRm},
    {"fdiv.d", Ext::kD, Fmt::kFp, Fp(0x03, 1), F, F, F, N, 0, kRm},
    {"fsqrt.d", Ext::kD, Fmt::kFp, Fp(0x0b, 1), F, F, N, N, 0, kRm},
    {"fsgnj.d", Ext::kD, Fmt::kFp, Fp(0x04, 1) | F3(0), F, F, F, N, 0, 0},
    {"fsgnjn.d", Ext::kD, Fmt::kFp, Fp(0x04, 1) | F3(1), F, F, F, N, 0, 0},
    {"fsgnjx.d", Ext::kD, Fmt::kFp, Fp(0x04, 1) | F3(2), F, F, F, N, 0, 0},
    {"fmin.d", Ext::kD, Fmt::kFp, Fp(0x05, 1) | F3(0), F, F, F, N, 0, kMinMax},
    {"fmax.d", Ext::kD, Fmt::kFp, Fp(0x05, 1) | F3(1), F, F, F, N, 0, kMinMax},
    {"fcvt.s.d", Ext::kD, Fmt::kFp, Fp(0x08, 0) | Rs2(1), F, F, N, N, 0, kRm | kDstS},
    {"fcvt.d.s", Ext::kD, Fmt::kFp, Fp(0x08, 1) | Rs2(0), F, F, N, N, 0, kRm | kSrcS},
    {"feq.d", Ext::kD, Fmt::kFp, Fp(0x14, 1) | F3(2), X, F, F, N, 0, 0},
    {"flt.d", Ext::kD, Fmt::kFp, Fp(0x14, 1) | F3(1), X, F, F, N, 0, 0},
    {"fle.d", Ext::kD, Fmt::kFp, Fp(0x14, 1) | F3(0), X, F, F, N, 0, 0},
    {"fclass.d", Ext::kD, Fmt::kFp, Fp(0x1c, 1) | F3(1), X, F, N, N, 0, 0},
    {"fcvt.w.d", Ext::kD, Fmt::kFp, Fp(0x18, 1) | Rs2(0), X, F, N, N, 0, kRm},
    {"fcvt.wu.d", Ext::kD, Fmt::kFp, Fp(0x18, 1) | Rs2(1), X, F, N, N, 0, kRm},
    {"fcvt.l.d", Ext::kD, Fmt::kFp, Fp(0x18, 1) | Rs2(2), X, F, N, N, 0, kRm},
    {"fcvt.lu.d", Ext::kD, Fmt::kFp, Fp(0x18, 1) | Rs2(3), X, F, N, N, 0, kRm},
    {"fcvt.d.w", Ext::kD, Fmt::kFp, Fp(0x1a, 1) | Rs2(0), F, X, N, N, 0, kRm},
    {"fcvt.d.wu", Ext::kD, Fmt::kFp, Fp(0x1a, 1) | Rs2(1), F, X, N, N, 0, kRm},
    {"fcvt.d.l", Ext::kD, Fmt::kFp, Fp(0x1a, 1) | Rs2(2), F, X, N, N, 0, kRm},
    {"fcvt.d.lu", Ext::kD, Fmt::kFp, Fp(0x1a, 1) | Rs2(3), F, X, N, N, 0, kRm},
    {"fmv.x.d", Ext::kD, Fmt::kFp, Fp(0x1c, 1) | F3(0), X, F, N, N, 0, 0},
    {"fmv.d.x", Ext::kD, Fmt::kFp, Fp(0x1e, 1) | F3(0), F, X, N, N, 0, 0},

    // ---- Zicsr (the FP CSRs only: the counters are not deterministic) ----
    {"csrrw", Ext::kZicsr, Fmt::kCsr, kOpSystem | F3(1), X, X, N, N, 0, kFpCsr},
    {"csrrs", Ext::kZicsr, Fmt::kCsr, kOpSystem | F3(2), X, X, N, N, 0, kFpCsr},
    {"csrrc", Ext::kZicsr, Fmt::kCsr, kOpSystem | F3(3), X, X, N, N, 0, kFpCsr},
    {"csrrwi", Ext::kZicsr, Fmt::kCsrI, kOpSystem | F3(5), X, N, N, N, 0, kFpCsr},
    {"csrrsi", Ext::kZicsr, Fmt::kCsrI, kOpSystem | F3(6), X, N, N, N, 0, kFpCsr},
    {"csrrci", Ext::kZicsr, Fmt::kCsrI, kOpSystem | F3(7), X, N, N, N, 0, kFpCsr},

    // ---- Zba ----
    {"add.uw", Ext::kB, Fmt::kR, kOpReg32 | F3(0) | F7(0x04), X, X, X, N, 0, 0},
    {"sh1add", Ext::kB, Fmt::kR, kOpReg | F3(2) | F7(0x10), X, X, X, N, 0, 0},
    {"sh2add", Ext::kB, Fmt::kR, kOpReg | F3(4) | F7(0x10), X, X, X, N, 0, 0},
    {"sh3add", Ext::kB, Fmt::kR, kOpReg | F3(6) | F7(0x10), X, X, X, N, 0, 0},
    {"sh1add.uw", Ext::kB, Fmt::kR, kOpReg32 | F3(2) | F7(0x10), X, X, X, N, 0, 0},
    {"sh2add.uw", Ext::kB, Fmt::kR, kOpReg32 | F3(4) | F7(0x10), X, X, X, N, 0, 0},
    {"sh3add.uw", Ext::kB, Fmt::kR, kOpReg32 | F3(6) | F7(0x10), X, X, X, N, 0, 0},
    {"slli.uw", Ext::kB, Fmt::kShift6, kOpImm32 | F3(1) | 0x08000000, X, X, N, N, 0, 0},
    // ---- Zbb ----
    {"andn", Ext::kB, Fmt::kR, kOpReg | F3(7) | F7(0x20), X, X, X, N, 0, 0},
    {"orn", Ext::kB, Fmt::kR, kOpReg | F3(6) | F7(0x20), X, X, X, N, 0, 0},
    {"xnor", Ext::kB, Fmt::kR, kOpReg | F3(4) | F7(0x20), X, X, X, N, 0, 0},
    {"clz", Ext::kB, Fmt::kR, kOpImm | F3(1) | F7(0x30) | Rs2(0), X, X, N, N, 0, 0},
    {"ctz", Ext::kB, Fmt::kR, kOpImm | F3(1) | F7(0x30) | Rs2(1), X, X, N, N, 0, 0},
    {"cpop", Ext::kB, Fmt::kR, kOpImm | F3(1) | F7(0x30) | Rs2(2), X, X, N, N, 0, 0},
    {"clzw", Ext::kB, Fmt::kR, kOpImm32 | F3(1) | F7(0x30) | Rs2(0), X, X, N, N, 0, 0},
    {"ctzw", Ext::kB, Fmt::kR, kOpImm32 | F3(1) | F7(0x30) | Rs2(1), X, X, N, N, 0, 0},
    {"cpopw", Ext::kB, Fmt::kR, kOpImm32 | F3(1) | F7(0x30) | Rs2(2), X, X, N, N, 0, 0},
    {"max", Ext::kB, Fmt::kR, kOpReg | F3(6) | F7(0x05), X, X, X, N, 0, 0},
    {"maxu", Ext::kB, Fmt::kR, kOpReg | F3(7) | F7(0x05), X, X, X, N, 0, 0},
    {"min", Ext::kB, Fmt::kR, kOpReg | F3(4) | F7(0x05), X, X, X, N, 0, 0},
    {"minu", Ext::kB, Fmt::kR, kOpReg | F3(5) | F7(0x05), X, X, X, N, 0, 0},
    {"sext.b", Ext::kB, Fmt::kR, kOpImm | F3(1) | F7(0x30) | Rs2(4), X, X, N, N, 0, 0},
    {"sext.h", Ext::kB, Fmt::kR, kOpImm | F3(1) | F7(0x30) | Rs2(5), X, X, N, N, 0, 0},
    {"zext.h", Ext::kB, Fmt::kR, kOpReg32 | F3(4) | F7(0x04) | Rs2(0), X, X, N, N, 0, 0},
    {"rol", Ext::kB, Fmt::kR, kOpReg | F3(1) | F7(0x30), X, X, X, N, 0, 0},
    {"ror", Ext::kB, Fmt::kR, kOpReg | F3(5) | F7(0x30), X, X, X, N, 0, 0},
    {"rolw", Ext::kB, Fmt::kR, kOpReg32 | F3(1) | F7(0x30), X, X, X, N, 0, 0},
    {"rorw", Ext::kB, Fmt::kR, kOpReg32 | F3(5) | F7(0x30), X, X, X, N, 0, 0},
    {"rori", Ext::kB, Fmt::kShift6, kOpImm | F3(5) | 0x60000000, X, X, N, N, 0, 0},
    {"roriw", Ext::kB, Fmt::kShift5, kOpImm32 | F3(5) | F7(0x30), X, X, N, N, 0, 0},
    {"orc.b", Ext::kB, Fmt::kR, kOpImm | F3(5) | F7(0x14) | Rs2(7), X, X, N, N, 0, 0},
    {"rev8", Ext::kB, Fmt::kR, kOpImm | F3(5) | F7(0x35) | Rs2(0x18), X, X, N, N, 0, 0},
    // ---- Zbs ----
    {"bclr", Ext::kB, Fmt::kR, kOpReg | F3(1) | F7(0x24), X, X, X, N, 0, 0},
    {"bclri", Ext::kB, Fmt::kShift6, kOpImm | F3(1) | 0x48000000, X, X, N, N, 0, 0},
    {"bext", Ext::kB, Fmt::kR, kOpReg | F3(5) | F7(0x24), X, X, X, N, 0, 0},
    {"bexti", Ext::kB, Fmt::kShift6, kOpImm | F3(5) | 0x48000000, X, X, N, N, 0, 0},
    {"binv", Ext::kB, Fmt::kR, kOpReg | F3(1) | F7(0x34), X, X, X, N, 0, 0},
    {"binvi", Ext::kB, Fmt::kShift6, kOpImm | F3(1) | 0x68000000, X, X, N, N, 0, 0},
    {"bset", Ext::kB, Fmt::kR, kOpReg | F3(1) | F7(0x14), X, X, X, N, 0, 0},
    {"bseti", Ext::kB, Fmt::kShift6, kOpImm | F3(1) | 0x28000000, X, X, N, N, 0, 0},

    // ---- C (RV64C), quadrant 0 ----
    {"c.addi4spn", Ext::kC, Fmt::kCAddi4spn, Cq(0, 0), X, N, N, N, 0, kReadsSp},
    {"c.fld", Ext::kC, Fmt::kCLoad, Cq(1, 0), F, N, N, N, 8, 0},
    {"c.lw", Ext::kC, Fmt::kCLoad, Cq(2, 0), X, N, N, N, 4, 0},
    {"c.ld", Ext::kC, Fmt::kCLoad, Cq(3, 0), X, N, N, N, 8, 0},
    {"c.fsd", Ext::kC, Fmt::kCStore, Cq(5, 0), N, N, F, N, 8, 0},
    {"c.sw", Ext::kC, Fmt::kCStore, Cq(6, 0), N, N, X, N, 4, 0},
    {"c.sd", Ext::kC, Fmt::kCStore, Cq(7, 0), N, N, X, N, 8, 0},
    // quadrant 1
    {"c.addi", Ext::kC, Fmt::kCAddi, Cq(0, 1), X, N, N, N, 0, 0},
    {"c.addiw", Ext::kC, Fmt::kCAddiw, Cq(1, 1), X, N, N, N, 0, 0},
    {"c.li", Ext::kC, Fmt::kCLi, Cq(2, 1), X, N, N, N, 0, 0},
    {"c.addi16sp", Ext::kC, Fmt::kCAddi16sp, Cq(3, 1) | 2u << 7, N, N, N, N, 0, kWritesSp},
    {"c.lui", Ext::kC, Fmt::kCLui, Cq(3, 1), X, N, N, N, 0, 0},
    {"c.srli", Ext::kC, Fmt::kCShiftR, Cq(4, 1), X, N, N, N, 0, 0},
    {"c.srai", Ext::kC, Fmt::kCShiftR, Cq(4, 1) | 1u << 10, X, N, N, N, 0, 0},
    {"c.andi", Ext::kC, Fmt::kCAndi, Cq(4, 1) | 2u << 10, X, N, N, N, 0, 0},
    {"c.sub", Ext::kC, Fmt::kCArith, 0x8c01, X, N, X, N, 0, 0},
    {"c.xor", Ext::kC, Fmt::kCArith, 0x8c21, X, N, X, N, 0, 0},
    {"c.or", Ext::kC, Fmt::kCArith, 0x8c41, X, N, X, N, 0, 0},
    {"c.and", Ext::kC, Fmt::kCArith, 0x8c61, X, N, X, N, 0, 0},
    {"c.subw", Ext::kC, Fmt::kCArith, 0x9c01, X, N, X, N, 0, 0},
    {"c.addw", Ext::kC, Fmt::kCArith, 0x9c21, X, N, X, N, 0, 0},
    // quadrant 2
    {"c.slli", Ext::kC, Fmt::kCSlli, Cq(0, 2), X, N, N, N, 0, 0},
    {"c.fldsp", Ext::kC, Fmt::kCLoadSp, Cq(1, 2), F, N, N, N, 8, kReadsSp},
    {"c.lwsp", Ext::kC, Fmt::kCLoadSp, Cq(2, 2), X, N, N, N, 4, kReadsSp},
    {"c.ldsp", Ext::kC, Fmt::kCLoadSp, Cq(3, 2), X, N, N, N, 8, kReadsSp},
    {"c.mv", Ext::kC, Fmt::kCMv, 0x8002, X, N, X, N, 0, 0},
    {"c.add", Ext::kC, Fmt::kCAdd, 0x9002, X, N, X, N, 0, 0},
    {"c.fsdsp", Ext::kC, Fmt::kCStoreSp, Cq(5, 2), N, N, F, N, 8, kReadsSp},
    {"c.swsp", Ext::kC, Fmt::kCStoreSp, Cq(6, 2), N, N, X, N, 4, kReadsSp},
    {"c.sdsp", Ext::kC, Fmt::kCStoreSp, Cq(7, 2), N, N, X, N, 8, kReadsSp},
};
// clang-format on

// The bits a form fixes, by layout (the rest are operands).
uint32_t FixedBits(const Form& f) {
  switch (f.fmt) {
    case Fmt::kR: return 0xfe00707f | (f.rs2 == Rc::kNone ? 0x01f00000 : 0);
    case Fmt::kShift5: return 0xfe00707f;
    case Fmt::kImm:
    case Fmt::kLoad:
    case Fmt::kStore:
    case Fmt::kCsr:
    case Fmt::kCsrI:
    case Fmt::kFence:
    case Fmt::kFenceI: return 0x0000707f;
    case Fmt::kShift6: return 0xfc00707f;
    case Fmt::kU: return 0x7f;
    case Fmt::kLr: return 0xf9f0707f;
    case Fmt::kAmo: return 0xf800707f;
    case Fmt::kFp:
      return 0xfe00007f | (f.Has(kRm) ? 0 : 0x7000) | (f.rs2 == Rc::kNone ? 0x01f00000 : 0);
    case Fmt::kFma: return 0x0600007f;
    case Fmt::kCAddi16sp: return 0xef83;
    case Fmt::kCShiftR:
    case Fmt::kCAndi: return 0xec03;
    case Fmt::kCArith: return 0xfc63;
    case Fmt::kCMv:
    case Fmt::kCAdd: return 0xf003;
    default: return 0xe003;
  }
}

}  // namespace

Identified Identify(uint32_t word) {
  Identified id;
  bool compressed = (word & 3) != 3;
  for (const Form& f : kForms) {
    if ((f.ext == Ext::kC) != compressed || (word & FixedBits(f)) != f.match) continue;
    // c.addi16sp (rd = 2) is listed before c.lui; c.mv/c.add need rs2 != 0.
    if ((f.fmt == Fmt::kCMv || f.fmt == Fmt::kCAdd) && ((word >> 2) & 31) == 0) continue;
    id.form = &f;
    break;
  }
  if (id.form != nullptr && !compressed) {
    id.rd = (word >> 7) & 31, id.rs1 = (word >> 15) & 31, id.rs2 = (word >> 20) & 31,
    id.rs3 = word >> 27;
  }
  return id;
}

std::span<const Form> AllForms() { return kForms; }

const Form* FindForm(std::string_view name) {
  for (const Form& f : kForms) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace polyvm::diff
