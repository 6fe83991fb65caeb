// Scalars written into 128-bit guest registers. AArch64 writes every scalar FP or SIMD result
// (a D or S register) as the whole V register with its upper bits zero, which the lifter spells
// SetReg(q, Bitcast(v128, ZExt(i128, x))) with x of at most 64 bits. Done literally that is three
// trips through 16-byte frame slots per instruction; instead the SetReg stores x and a zero
// quadword, the ZExt and the Bitcast are not emitted when nothing else reads them, and a later
// GetReg of the low scalar (as an integer or as the FP value x was cast from) reads x itself.
#include "compiler.h"

namespace polyvm::engine::jit::detail {

// x when v is Bitcast(v128, ZExt(i128, x)) with x an integer of at most 64 bits, else kNoValue.
ValueId Compiler::ZeroWidenedScalar(ValueId v) const {
  const ValueId cast = R(v);
  const ir::Inst& c = b_.insts[cast];
  if (c.op != Opcode::kBitcast || c.type != ir::Type::kV128) return ir::kNoValue;
  const ValueId ext = R(c.args[0]);
  const ir::Inst& z = b_.insts[ext];
  if (z.op != Opcode::kZExt || z.type != ir::Type::kI128) return ir::kNoValue;
  const ValueId x = R(z.args[0]);
  return IsSmallInt(TypeOf(x)) ? x : ir::kNoValue;
}

// The FP value whose bits x is (x = Bitcast(f)), else kNoValue. Scalar FP values live in pool
// registers and slots as their bits, zero-extended, so f can be stored in x's place.
ValueId Compiler::FpBitsSource(ValueId x) const {
  const ir::Inst& xi = b_.insts[R(x)];
  if (xi.op != Opcode::kBitcast) return ir::kNoValue;
  const ValueId f = R(xi.args[0]);
  const ir::Type t = TypeOf(f);
  return t == ir::Type::kF32 || t == ir::Type::kF64 ? f : ir::kNoValue;
}

// What a SetReg of the zero-widened v stores: the FP value x was cast from, or x.
ValueId Compiler::WidenedStoreSource(ValueId v) const {
  const ValueId x = ZeroWidenedScalar(v);
  if (x == ir::kNoValue) return x;
  const ValueId f = FpBitsSource(x);
  return f != ir::kNoValue ? f : x;
}

// ForwardGuestRegisters: after a SetReg of the whole register at `off`, its low scalar is known
// too, as the integer x and, if x is the bits of an FP value, as that value.
void Compiler::NoteWidenedScalar(uint32_t off, ValueId v128) {
  const ValueId x = ZeroWidenedScalar(v128);
  if (x == ir::kNoValue) return;
  end_known_.push_back({off, ir::ByteSize(TypeOf(x)), TypeOf(x), x});
  const ValueId f = FpBitsSource(x);
  if (f != ir::kNoValue) end_known_.push_back({off, ir::ByteSize(TypeOf(f)), TypeOf(f), f});
}

// Analyze, after the uses are counted: a SetReg of a zero-widened scalar reads what it stores
// instead of the v128; the Bitcast, the ZExt and x's own Bitcast from FP are not emitted once
// nothing else reads them (each link of the chain is read only by the next).
void Compiler::FoldWidenedSetRegs() {
  for (ValueId s = 0; s < b_.insts.size(); ++s) {
    const ir::Inst& inst = b_.insts[s];
    if (alias_[s] != s || inst.op != Opcode::kSetReg) continue;
    const ValueId x = ZeroWidenedScalar(inst.args[0]);
    if (x == ir::kNoValue) continue;
    const ValueId src = WidenedStoreSource(inst.args[0]);
    const ValueId cast = R(inst.args[0]);
    const ValueId ext = R(b_.insts[cast].args[0]);
    std::array<ValueId, 3> chain = {cast, ext, x};
    const size_t links = src == x ? 2 : 3;
    ++uses_[src];
    for (size_t k = 0; k < links; ++k) {
      const ValueId l = chain[k];
      if (--uses_[l] != 0) break;
      fused_[l] = 1;
      fused_at_[l] = static_cast<int>(s);
      if (k + 1 == links) --uses_[src];
    }
  }
}

// EmitSetReg of a zero-widened scalar: two quadword stores.
bool Compiler::EmitWidenedSetReg(int off, ValueId v) {
  const ValueId src = WidenedStoreSource(v);
  if (src == ir::kNoValue) return false;
  Reg64 r = rax;
  if (InReg(src)) {
    r = RegOf(src);  // zero-extended to 64 bits, as every pool register value is
  } else {
    Load(rax, src);
  }
  mov(qword[rbx + off], r);
  mov(qword[rbx + off + 8], 0);
  return true;
}

}  // namespace polyvm::engine::jit::detail
