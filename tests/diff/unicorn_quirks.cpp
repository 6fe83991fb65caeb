// The Unicorn deviation table (see unicorn_quirks.h). Section numbers are those of "The RISC-V
// Instruction Set Manual, Volume I: Unprivileged ISA", document version 20191213 (F 2.2, D 2.2,
// A 2.1, C 2.0), unless another document is named.
#include "unicorn_quirks.h"

#include "rv_encode.h"
#include "values.h"

namespace polyvm::diff {
namespace {

using rv::kOpFp;

// fadd.s / fmin.d / fmadd.d encodings for the examples (rm = 0, RNE).
constexpr uint32_t kFaddS_1_2_3 = rv::R(kOpFp, 0, 0x00, 1, 2, 3);
constexpr uint32_t kFminD_1_2_3 = rv::R(kOpFp, 0, 0x15, 1, 2, 3);
constexpr uint32_t kFmaddD_1_2_3_4 = rv::R4(rv::kOpMadd, 1, 0, 1, 2, 3, 4);
// amomin.w a0, a2, (a5) (00100 aq rl rs2 rs1 010 rd 0101111 with funct5 10000); lw a3, 0(a5).
constexpr uint32_t kAmominW = rv::Amo(0x10, false, false, 2, 10, 15, 12);
constexpr uint32_t kLwA3A5 = rv::I(rv::kOpLoad, 2, 13, 15, 0);
constexpr uint64_t kWord = 0x40008000;  // kDataBase (case.h)
// sc.d a1, a2, (a5).
constexpr uint32_t kScdA1A2A5 = rv::Amo(0x03, false, false, 3, 11, 15, 12);
// ctzw a0, a1 (Zbb: 0110000 00001 rs1 001 rd 0011011).
constexpr uint32_t kCtzwA0A1 = rv::R(rv::kOpImm32, 1, 0x30, 10, 11, 1);
// sh1add a0, a1, a2 (Zba: 0010000 rs2 rs1 010 rd 0110011).
constexpr uint32_t kSh1addA0A1A2 = rv::R(rv::kOpReg, 2, 0x10, 10, 11, 12);

const Quirk kQuirks[] = {
    {QuirkId::kNanBoxResult,
     "nan-box-result",
     "any instruction writing a single-precision value to an f register (F arithmetic, fsgnj*.s, "
     "fmin/fmax.s, fcvt.s.*, fmv.w.x)",
     "writes the 32-bit result zero-extended (fpu_helper.c returns float32 in a uint64_t; "
     "fmv.w.x copies all 64 bits of rs1; fsgnjn.s/fsgnjx.s compute the upper half from the "
     "operands): NaN boxing arrived in QEMU 5.2",
     "12.2 \"NaN Boxing of Narrower Values\": an n-bit result written to an FLEN-bit register "
     "has its upper FLEN-n bits set to 1; fmv.w.x (11.7) writes a NaN-boxed value",
     QuirkHandling::kAdapt,
     {{kFaddS_1_2_3},
      {{2, Box(f32::kOne)}, {3, Box(f32::kOne)}},
      {},
      0,
      {},
      true,
      1,
      Box(0x40000000),
      0}},
    {QuirkId::kNanBoxInput,
     "nan-box-input",
     "a single-precision operand (not of a transfer: flw/fsw/fmv.x.w/fmv.w.x) whose upper 32 bits "
     "are not all ones",
     "uses the low 32 bits as the operand (no check before QEMU 5.2)",
     "12.2: such an operand \"is treated as if it were the canonical NaN\" (0x7fc00000); "
     "fsgnj*.s and fclass.s included",
     QuirkHandling::kAdapt,
     {{kFaddS_1_2_3},
      {{2, f32::kOne}, {3, Box(f32::kOne)}},
      {},
      0,
      {},
      true,
      1,
      Box(f32::kQNaN),
      0}},
    {QuirkId::kFminFmaxSnan,
     "fmin-fmax-snan",
     "fmin/fmax.{s,d} with one signalling NaN operand and one non-NaN operand",
     "returns the canonical NaN (float*_minnum/maxnum: IEEE 754-2008 minNum/maxNum, as in F 2.0)",
     "11.6 (F 2.2): fmin/fmax implement IEEE 754-2019 minimumNumber/maximumNumber: \"If only one "
     "operand is a NaN, the result is the non-NaN operand. Signaling NaN inputs set the invalid "
     "operation exception flag, even when the result is not NaN\"",
     QuirkHandling::kAdapt,
     {{kFminD_1_2_3}, {{2, f64::kSNaN}, {3, f64::kOne}}, {}, 0, {}, true, 1, f64::kOne, 0x10}},
    {QuirkId::kFmaInfZeroQnan,
     "fma-inf-zero-qnan",
     "fmadd/fmsub/fnmadd/fnmsub with multiplicands infinity and zero and a quiet NaN addend",
     "does not raise invalid (softfloat's pickNaNMulAdd has no RISC-V case in QEMU 5.0)",
     "11.6: \"The fused multiply-add instructions must set the invalid operation exception flag "
     "when the multiplicands are infinity and zero, even when the addend is a quiet NaN\"",
     QuirkHandling::kAdapt,
     {{kFmaddD_1_2_3_4},
      {{2, f64::kInf}, {3, f64::kPosZero}, {4, f64::kQNaN}},
      {},
      0,
      {},
      true,
      1,
      f64::kQNaN,
      0x10}},
    {QuirkId::kAmoMinMaxW,
     "amo-minmax-w",
     "amomin.w/amomax.w/amominu.w/amomaxu.w where comparing the 64-bit zero-extended memory word "
     "with all 64 bits of rs2 orders them differently from comparing the two 32-bit values",
     "compares exactly that: tcg/tcg-op.c do_nonatomic_op_i64 (Unicorn runs single-threaded, so "
     "the non-atomic path) loads with `memop & ~MO_SIGN` and does not extend rs2; fixed in QEMU "
     "5.1 (\"tcg: Fix do_nonatomic_op_* vs signed operations\")",
     "8.4: the .W AMOs operate on 32-bit words; AMOMIN/AMOMAX compare as signed, "
     "AMOMINU/AMOMAXU as unsigned 32-bit integers",
     QuirkHandling::kAdapt,
     {{kAmominW, kLwA3A5},
      {},
      {{15, kWord}, {12, 1}},
      0,
      {{kWord, 0x80000000}},
      false,
      13,
      0xffffffff80000000,
      0}},
    {QuirkId::kCount,
     "sc-misaligned",
     "sc.w/sc.d to a misaligned address when the reservation is not for that address",
     "fails the SC (rd = 1) without an exception: gen_sc compares the address with load_res "
     "before any memory access (trans_rva.inc.c); QEMU 7.2 does the same",
     "8.2: \"For LR and SC, the A extension requires that the address held in rs1 be naturally "
     "aligned to the size of the operand ... If the address is not naturally aligned, an "
     "address-misaligned exception or an access-fault exception will be generated\"",
     QuirkHandling::kNotGenerated,
     {{kScdA1A2A5}, {}, {{15, kWord + 4}, {12, 7}}, 0, {}, false, 11, 0, 0, true, false}},
    {QuirkId::kCount,
     "zba-zbb-zbs",
     "any Zba, Zbb or Zbs instruction (polyvm implements them)",
     "illegal instruction: QEMU 5.0 predates the bit-manipulation extensions (ratified 2021)",
     "\"RISC-V Bit-Manipulation ISA-extensions\" 1.0.0, ch. 2 (e.g. sh1add: rd = rs2 + (rs1 << "
     "1)); compared against qemu-riscv64 7.2 instead (qemu_user_test.cpp)",
     QuirkHandling::kNotGenerated,
     {{kSh1addA0A1A2}, {}, {{11, 1}, {12, 2}}, 0, {}, false, 10, 4, 0}},
    {QuirkId::kCount,
     "user-mode-only",
     "CSRs other than fflags/frm/fcsr; counters cycle/time/instret; wfi, mret, sret, sfence.vma",
     "runs the guest in machine mode, where these are legal; the counters are not deterministic",
     "polyvm is a user-mode VM: privileged CSRs and instructions are illegal in U-mode "
     "(privileged spec 20211203, 2.1 and 3.3); counters depend on time",
     QuirkHandling::kNotGenerated,
     {}},
    {QuirkId::kCount,
     "lr-sc-implementation-defined",
     "an SC whose size differs from its LR's at the same address, or that targets another address "
     "in the same 64-byte granule",
     "compares only the address (QEMU) -- one valid choice",
     "8.2: success of such an SC is implementation-defined (the reservation set is "
     "implementation-defined; \"LR/SC pairs with different sizes\" are outside the constrained "
     "LR/SC loop rules)",
     QuirkHandling::kNotGenerated,
     {}},
};

const Quirk kQemuQuirks[] = {
    {QuirkId::kCount,
     "qemu-ctzw",
     "ctzw with the low 32 bits of rs1 zero",
     "QEMU 7.2 counts the trailing zeros of all 64 bits (e.g. 63 for 0x8000000000000000)",
     "\"RISC-V Bit-Manipulation ISA-extensions\" 1.0.0, ctzw: counts the trailing zeros of the "
     "least-significant word of rs1; \"if the input is 0, the output is 32\"",
     QuirkHandling::kNotGenerated,
     {{kCtzwA0A1}, {}, {{11, 0x8000000000000000}}, 0, {}, false, 10, 32, 0}},
};

}  // namespace

std::span<const Quirk> UnicornQuirks() { return kQuirks; }
std::span<const Quirk> QemuUserQuirks() { return kQemuQuirks; }

const Quirk& QuirkInfo(QuirkId id) {
  for (const Quirk& q : kQuirks) {
    if (q.id == id) return q;
  }
  return kQuirks[0];
}

}  // namespace polyvm::diff
