// The A extension. Every access is aligned=true (a misaligned LR/SC/AMO raises kMisaligned in the
// engine, as the manual allows); aq/rl become the access's memory order, both bits meaning
// sequentially consistent. 32-bit results are sign-extended.
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::MemFlags;
using ir::MemOrder;
using ir::Opcode;
using ir::RmwOp;
using ir::Type;
using ir::Value;

MemFlags Flags(const Insn& i, RmwOp rmw = RmwOp::kAdd) {
  MemFlags f;
  f.order = i.aqrl == 3   ? MemOrder::kSeqCst
            : i.aqrl == 2 ? MemOrder::kAcquire
            : i.aqrl == 1 ? MemOrder::kRelease
                          : MemOrder::kPlain;
  f.aligned = true;
  f.rmw = rmw;
  return f;
}

Value Source(LiftContext& c, unsigned r, Type t) { return t == Type::kI32 ? c.X32(r) : c.X(r); }

LiftStatus LoadReserved(LiftContext& c, const Insn& i, Type t) {
  Value v = c.b().Emit(Opcode::kLoadLinked, t, c.X(i.rs1), {}, {}, 0, Flags(i).Encode());
  c.SetXSext(i.rd, v);
  return LiftStatus::kNext;
}

LiftStatus StoreConditional(LiftContext& c, const Insn& i, Type t) {
  Value addr = c.X(i.rs1);
  Value v = Source(c, i.rs2, t);
  Value ok = c.b().Op(Opcode::kStoreCond, addr, v, {}, Flags(i).Encode());
  // rd = 0 on success, 1 on failure.
  Value zero = c.I64(0);
  c.SetX(i.rd, c.b().Select(ok, zero, c.I64(1)));
  return LiftStatus::kNext;
}

LiftStatus Amo(LiftContext& c, const Insn& i, Type t, RmwOp op) {
  Value addr = c.X(i.rs1);
  Value v = Source(c, i.rs2, t);
  Value old = c.b().Op(Opcode::kAtomicRmw, addr, v, {}, Flags(i, op).Encode());
  c.SetXSext(i.rd, old);
  return LiftStatus::kNext;
}

}  // namespace

LiftStatus LiftLrW(LiftContext& c, const Insn& i) { return LoadReserved(c, i, Type::kI32); }
LiftStatus LiftScW(LiftContext& c, const Insn& i) { return StoreConditional(c, i, Type::kI32); }
LiftStatus LiftAmoswapW(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI32, RmwOp::kSwap);
}
LiftStatus LiftAmoaddW(LiftContext& c, const Insn& i) { return Amo(c, i, Type::kI32, RmwOp::kAdd); }
LiftStatus LiftAmoxorW(LiftContext& c, const Insn& i) { return Amo(c, i, Type::kI32, RmwOp::kXor); }
LiftStatus LiftAmoandW(LiftContext& c, const Insn& i) { return Amo(c, i, Type::kI32, RmwOp::kAnd); }
LiftStatus LiftAmoorW(LiftContext& c, const Insn& i) { return Amo(c, i, Type::kI32, RmwOp::kOr); }
LiftStatus LiftAmominW(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI32, RmwOp::kMinS);
}
LiftStatus LiftAmomaxW(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI32, RmwOp::kMaxS);
}
LiftStatus LiftAmominuW(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI32, RmwOp::kMinU);
}
LiftStatus LiftAmomaxuW(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI32, RmwOp::kMaxU);
}
LiftStatus LiftLrD(LiftContext& c, const Insn& i) { return LoadReserved(c, i, Type::kI64); }
LiftStatus LiftScD(LiftContext& c, const Insn& i) { return StoreConditional(c, i, Type::kI64); }
LiftStatus LiftAmoswapD(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI64, RmwOp::kSwap);
}
LiftStatus LiftAmoaddD(LiftContext& c, const Insn& i) { return Amo(c, i, Type::kI64, RmwOp::kAdd); }
LiftStatus LiftAmoxorD(LiftContext& c, const Insn& i) { return Amo(c, i, Type::kI64, RmwOp::kXor); }
LiftStatus LiftAmoandD(LiftContext& c, const Insn& i) { return Amo(c, i, Type::kI64, RmwOp::kAnd); }
LiftStatus LiftAmoorD(LiftContext& c, const Insn& i) { return Amo(c, i, Type::kI64, RmwOp::kOr); }
LiftStatus LiftAmominD(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI64, RmwOp::kMinS);
}
LiftStatus LiftAmomaxD(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI64, RmwOp::kMaxS);
}
LiftStatus LiftAmominuD(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI64, RmwOp::kMinU);
}
LiftStatus LiftAmomaxuD(LiftContext& c, const Insn& i) {
  return Amo(c, i, Type::kI64, RmwOp::kMaxU);
}

}  // namespace polyvm::frontend::riscv64
