// Instruction fusions on the integer path; the first two on the dependency chains of table lookups:
// - Add(Shl(x, 1..3), y), the shift read only there: one `lea d, [y + x*scale]` (RISC-V has no
//   scaled addressing, so `slli; add` precedes many loads: CRC tables, array indexing).
// - SExt(Load(a)) to 32 or 64 bits, the load read only there (RISC-V's lw, lh, lb; AArch64's
//   ldrsw): one `movsx`/`movsxd` from memory, in user mode (system-mode loads have a slow path
//   that returns the value in a register).
// - SetReg of an i1 that a host condition gives (compares, carries, overflows), read only there:
//   `setcc byte [state + field]` where the value is computed, when nothing between the two could
//   observe the state (no access, exit or out-of-line op, no read or write of the field): Arm's
//   NZCV bytes, RISC-V's slt results are one instruction each instead of three.
// - Store(a, Trunc(x)), the truncation read only there: the store writes x's low bytes (byte and
//   halfword stores of wider registers: RISC-V sb/sh/sw, AArch64 strb/strh/str w), in user mode.
#include "compiler.h"

namespace polyvm::engine::jit::detail {

// The scale of an lea for Shl(x, c) (2, 4, 8), or 0.
int Compiler::LeaScale(ValueId shl, ir::Type t) const {
  const ir::Inst& s = b_.insts[R(shl)];
  if (s.op != Opcode::kShl || s.type != t || !IsConst(s.args[1]) || IsConst(s.args[0])) return 0;
  const uint64_t c = ConstBits(s.args[1]);
  return c >= 1 && c <= 3 ? 1 << c : 0;
}

// Analyze, after the uses are counted.
void Compiler::FuseIntegerChains() {
  sext_of_load_.assign(b_.insts.size(), ir::kNoValue);
  for (ValueId i = 0; i < b_.insts.size(); ++i) {
    const ir::Inst& inst = b_.insts[i];
    if (alias_[i] != i || Unread(i)) continue;  // an op not emitted cannot take another in
    if (inst.op == Opcode::kAdd && (inst.type == ir::Type::kI64 || inst.type == ir::Type::kI32)) {
      for (unsigned k = 0; k < 2; ++k) {
        const ValueId s = R(inst.args[k]);
        if (uses_[s] != 1 || fused_[s] || LeaScale(s, inst.type) == 0) continue;
        fused_[s] = 1;
        fused_at_[s] = static_cast<int>(i);  // its operand is read by the lea
        break;
      }
    } else if (inst.op == Opcode::kSExt &&
               (inst.type == ir::Type::kI64 || inst.type == ir::Type::kI32)) {
      const ValueId l = R(inst.args[0]);
      const ir::Inst& load = b_.insts[l];
      if (load.op != Opcode::kLoad || uses_[l] != 1 || ir::ByteSize(load.type) > 4) continue;
      // Emitted at the load: the SExt's value is defined there.
      sext_of_load_[l] = i;
      fused_[i] = 1;
      fused_at_[i] = static_cast<int>(l);
    } else if (inst.op == Opcode::kStore && !owner_->system) {
      const ValueId t = R(inst.args[1]);
      const ir::Inst& trunc = b_.insts[t];
      if (trunc.op != Opcode::kTrunc || uses_[t] != 1 || fused_[t] || R(inst.args[0]) == t ||
          !IsSmallInt(trunc.type) || !IsSmallInt(TypeOf(trunc.args[0])) || IsConst(trunc.args[0])) {
        continue;
      }
      fused_[t] = 1;
      fused_at_[t] = static_cast<int>(i);  // its operand is read by the store
    }
  }
}

void Compiler::FuseFlagStores() {
  const int n = static_cast<int>(b_.insts.size());
  flag_store_off_.assign(n, -1);
  flag_stored_.assign(n, 0);
  for (int j = 0; j < n; ++j) {
    const ir::Inst& set = b_.insts[j];
    if (set.op != Opcode::kSetReg || elided_[j]) continue;
    const ValueId v = R(set.args[0]);
    if (b_.insts[v].type != ir::Type::kI1 || uses_[v] != 1 || fused_[v] ||
        static_cast<int>(v) >= j) {
      continue;
    }
    const auto off = static_cast<uint32_t>(set.imm);
    bool quiet = true;
    for (int k = static_cast<int>(v) + 1; k < j && quiet; ++k) {
      const ir::Inst& inst = b_.insts[k];
      const bool field = (inst.op == Opcode::kGetReg || inst.op == Opcode::kSetReg) &&
                         OverlapsField(inst, off, 1);
      quiet = !field && !MaySync(inst);
    }
    if (quiet) flag_store_off_[v] = static_cast<int32_t>(off);
  }
}

// The value whose low bytes a store writes: a fused Trunc's operand, else the value itself.
ValueId Compiler::StoredBits(ValueId v) const {
  const ir::Inst& inst = b_.insts[R(v)];
  return fused_[R(v)] && inst.op == Opcode::kTrunc ? inst.args[0] : v;
}

// EmitIntBinary's Add with a fused Shl operand: lea.
bool Compiler::EmitScaledAdd(ValueId i, const ir::Inst& inst) {
  if (inst.op != Opcode::kAdd) return false;
  for (unsigned k = 0; k < 2; ++k) {
    const ValueId s = R(inst.args[k]);
    if (!fused_[s] || b_.insts[s].op != Opcode::kShl) continue;
    const int scale = LeaScale(s, inst.type);
    const ValueId x = b_.insts[s].args[0], y = inst.args[1 - k];
    Reg64 xr = rcx, yr = rdx;
    if (InReg(x)) {
      xr = RegOf(x);
    } else {
      Load(rcx, x);
    }
    if (InReg(y)) {
      yr = RegOf(y);
    } else {
      Load(rdx, y);
    }
    const Reg64 d = Def(i);
    if (inst.type == ir::Type::kI32) {
      lea(d.cvt32(), ptr[yr + xr * scale]);  // a 32-bit lea zero-extends
    } else {
      lea(d, ptr[yr + xr * scale]);
    }
    Put(i, d);
    return true;
  }
  return false;
}

}  // namespace polyvm::engine::jit::detail
