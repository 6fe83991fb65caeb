// The CSR table, and how the user-mode CSRs are read and written. fflags lives in the FP
// environment (FpGetFlags/FpSetFlags) in the IR's flag order; frm lives in Riscv64State::frm and,
// when valid, in the environment's dynamic rounding mode; fcsr is the two together. The counters
// read host counters (time: a 10 MHz timebase, as QEMU's virt machine reports in its device tree).
#include "csr.h"

#include <array>

#include "lift_context.h"
#include "polyvm/frontend/riscv64/state.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

// RISC-V fflags is NV DZ OF UF NX from bit 4 down to bit 0; the IR's FpFlags has Invalid..Inexact
// from bit 0 up. The conversion reverses the five bits, in either direction.
Value ReverseFlags(LiftContext& c, Value v32) {
  ir::Builder& b = c.b();
  Value five = b.And(v32, b.I32(31));
  Value reversed = b.Op(Opcode::kBitReverse, five);
  return b.LShr(reversed, b.I32(27));
}

Value ReadFflags(LiftContext& c) {
  Value env = c.b().Emit(Opcode::kFpGetFlags, Type::kI32);
  return c.b().ZExt(Type::kI64, ReverseFlags(c, env));
}

void WriteFflags(LiftContext& c, Value v) {
  Value flags = ReverseFlags(c, c.b().Trunc(Type::kI32, v));
  c.b().Emit(Opcode::kFpSetFlags, Type::kVoid, flags);
}

Value ReadFrm(LiftContext& c) {
  return c.b().ZExt(Type::kI64, c.b().GetReg(Type::kI32, kFrmOffset));
}

void WriteFrm(LiftContext& c, Value v) {
  ir::Builder& b = c.b();
  Value low = b.Trunc(Type::kI32, v);
  Value frm = b.And(low, b.I32(7));
  b.SetReg(kFrmOffset, frm);
  // The environment only ever holds a valid mode; a reserved frm is caught by the frm check
  // before any dynamic-rm op can use it.
  Value valid = b.Cmp(Opcode::kCmpLeU, frm, b.I32(4));
  Value rne = b.I32(0);
  b.Emit(Opcode::kFpSetRound, Type::kVoid, b.Select(valid, frm, rne));
  c.FrmWritten();
}

Value ReadFcsr(LiftContext& c) {
  Value frm = ReadFrm(c);
  Value flags = ReadFflags(c);
  return c.b().Or(c.b().Shl(frm, c.I64(5)), flags);
}

void WriteFcsr(LiftContext& c, Value v) {
  WriteFflags(c, v);
  WriteFrm(c, c.b().LShr(v, c.I64(5)));
}

Value ReadCounter(LiftContext& c, ir::Counter counter) {
  return c.b().Emit(Opcode::kReadCounter, Type::kI64, {}, {}, {}, 0,
                    static_cast<uint32_t>(counter));
}

Value ReadCycle(LiftContext& c) { return ReadCounter(c, ir::Counter::kCycles); }

Value ReadTime(LiftContext& c) {
  Value nanos = ReadCounter(c, ir::Counter::kNanos);
  return c.b().Op(Opcode::kDivU, nanos, c.I64(100));  // 100 ns ticks: 10 MHz
}

// The retired count is brought up to date at block exits, so the instructions of this block that
// completed before this one are added here.
Value ReadInstret(LiftContext& c) {
  Value retired = ReadCounter(c, ir::Counter::kRetired);
  return c.b().Add(retired, c.I64(c.completed()));
}

constexpr CsrDef kCsrs[] = {
#define CSR(number, name, read, write) {number, name, read, write},
#include "csrs.def"
#undef CSR
};

// Row index by number (-1: none), built from the table once.
const std::array<int16_t, 4096>& Index() {
  static const std::array<int16_t, 4096> kIndex = [] {
    std::array<int16_t, 4096> index;
    index.fill(-1);
    for (size_t i = 0; i < std::size(kCsrs); ++i) index[kCsrs[i].number] = static_cast<int16_t>(i);
    return index;
  }();
  return kIndex;
}

}  // namespace

std::span<const CsrDef> Csrs() { return kCsrs; }

const CsrDef* FindCsr(uint16_t number) {
  if (number >= 4096) return nullptr;
  int16_t i = Index()[number];
  return i < 0 ? nullptr : &kCsrs[i];
}

std::string_view CsrName(uint16_t number) {
  const CsrDef* csr = FindCsr(number);
  return csr ? csr->name : std::string_view{};
}

}  // namespace polyvm::frontend::riscv64
