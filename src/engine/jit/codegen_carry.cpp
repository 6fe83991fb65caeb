// The carry/overflow family and Concat inline. The IR's carry ops are x86's own flags: AddCarry
// is the CF of `add`, SubBorrow the CF of `sub`, Adc/Sbb with their carry and overflow are
// `adc`/`sbb` with CF loaded from the carry-in (`bt`), the *Overflow ops are OF, Parity is PF of
// the low byte. AArch64's ADCS/SBCS and long-double arithmetic (soft-fp's 128-bit adds) use them.
// Concat packs two halves: a shift and an `or` up to 64 bits, two `movq` and a `punpcklqdq` for
// an i128 (the AArch64 lifter's v128 constants with a non-zero high half).
#include "compiler.h"

namespace polyvm::engine::jit::detail {
namespace {

enum class FlagOut : uint8_t { kValue, kCarry, kOverflow, kParity };

struct CarryRow {
  Opcode op;
  enum Insn : uint8_t { kAdd, kSub, kAdc, kSbb, kTest } insn;
  FlagOut out;
};

// clang-format off
constexpr CarryRow kCarryRows[] = {
    {Opcode::kAddCarry, CarryRow::kAdd, FlagOut::kCarry},
    {Opcode::kAddOverflow, CarryRow::kAdd, FlagOut::kOverflow},
    {Opcode::kSubBorrow, CarryRow::kSub, FlagOut::kCarry},
    {Opcode::kSubOverflow, CarryRow::kSub, FlagOut::kOverflow},
    {Opcode::kAdc, CarryRow::kAdc, FlagOut::kValue},
    {Opcode::kAdcCarry, CarryRow::kAdc, FlagOut::kCarry},
    {Opcode::kAdcOverflow, CarryRow::kAdc, FlagOut::kOverflow},
    {Opcode::kSbb, CarryRow::kSbb, FlagOut::kValue},
    {Opcode::kSbbBorrow, CarryRow::kSbb, FlagOut::kCarry},
    {Opcode::kSbbOverflow, CarryRow::kSbb, FlagOut::kOverflow},
    {Opcode::kParity, CarryRow::kTest, FlagOut::kParity},
};
// clang-format on

const CarryRow* FindCarry(Opcode op) {
  for (const CarryRow& r : kCarryRows) {
    if (r.op == op) return &r;
  }
  return nullptr;
}

}  // namespace

// Operands in rax, rcx (and the carry-in in rdx, moved into CF by `bt` after every load, since
// loading a constant may clobber the flags), the op at the operands' width, then the result
// register or the flag.
bool Compiler::HasCarryRow(Opcode op) { return FindCarry(op) != nullptr; }

bool Compiler::EmitCarryOp(ValueId i, const ir::Inst& inst) {
  const CarryRow* row = FindCarry(inst.op);
  if (row == nullptr) return false;
  const unsigned width = ir::BitWidth(TypeOf(inst.args[0]));
  if (width != 8 && width != 16 && width != 32 && width != 64) return false;
  Xbyak::Operand::Code reused;
  if (ReuseHostFlags(inst, &reused)) {  // SubBorrow, SubOverflow after a cmp or sub of a, b
    PutCondition(i, reused);
    return true;
  }
  Load(rax, inst.args[0]);
  const bool with_carry_in = row->insn == CarryRow::kAdc || row->insn == CarryRow::kSbb;
  // The second operand from its register, unless a carry-in follows (its load may clobber CF).
  Reg64 b = rcx;
  if (row->insn != CarryRow::kTest) {
    if (InReg(inst.args[1]) && !with_carry_in) {
      b = RegOf(inst.args[1]);
    } else {
      Load(rcx, inst.args[1]);
    }
  }
  if (with_carry_in) {
    Load(rdx, inst.args[2]);
    bt(edx, 0);
  }
  auto arith = [&](const Xbyak::Reg& a, const Xbyak::Reg& b) {
    switch (row->insn) {
      case CarryRow::kAdd: add(a, b); break;
      case CarryRow::kSub: sub(a, b); break;
      case CarryRow::kAdc: adc(a, b); break;
      case CarryRow::kSbb: sbb(a, b); break;
      case CarryRow::kTest: test(al, al); break;  // PF: even parity of the low byte
    }
  };
  switch (width) {
    case 8: arith(al, b.cvt8()); break;
    case 16: arith(ax, b.cvt16()); break;
    case 32: arith(eax, b.cvt32()); break;
    default: arith(rax, b); break;
  }
  if (row->insn == CarryRow::kSub && width >= 32) NoteHostFlags(inst.args[0], inst.args[1], width);
  if (row->out == FlagOut::kValue) {
    // A 32-bit adc/sbb zero-extends already; 8, 16 bits need a mask.
    if (width == 32) {
      Put(i, rax);
    } else {
      Store(i, rax);
    }
    return true;
  }
  // The flag straight into the result's register (the operands have been read).
  switch (row->out) {
    case FlagOut::kCarry: PutCondition(i, Xbyak::Operand::Code(0x2)); break;     // setc
    case FlagOut::kOverflow: PutCondition(i, Xbyak::Operand::Code(0x0)); break;  // seto
    default: PutCondition(i, Xbyak::Operand::Code(0xA)); break;                  // setp
  }
  return true;
}

bool Compiler::EmitConcat(ValueId i, const ir::Inst& inst) {
  const ValueId lo = inst.args[0], hi = inst.args[1];
  const unsigned width = ir::BitWidth(TypeOf(lo));
  if (width == 64 && inst.type == ir::Type::kI128) {
    if (IsConst(lo) && IsConst(hi)) {
      LoadVConst(xmm0, ConstBits(lo), ConstBits(hi));
    } else {
      Load(rax, lo);
      Load(rcx, hi);
      movq(xmm0, rax);
      movq(xmm1, rcx);
      punpcklqdq(xmm0, xmm1);
    }
    StoreV(i, xmm0);
    return true;
  }
  if (width != 8 && width != 16 && width != 32) return false;
  if (IsConst(lo) && IsConst(hi)) {
    MovImm(rax, ConstBits(lo) | ConstBits(hi) << width);
  } else {
    Load(rax, hi);
    shl(rax, static_cast<int>(width));
    Load(rcx, lo);
    or_(rax, rcx);
  }
  Put(i, rax);
  return true;
}

}  // namespace polyvm::engine::jit::detail
