// Reuse of the host's flags between ops. One x86 `cmp a, b` (or `sub`) leaves SF, ZF, CF and OF,
// from which every compare of a and b, SubBorrow and SubOverflow of them, and the sign and zero
// tests of their difference follow. Guest flag computations ask for several of these in a row:
// AArch64's CMP writes N (difference < 0), Z (difference == 0), C (b <= a unsigned) and V
// (SubOverflow), and its B.cond compares a and b again. Each op that can use the flags left by
// the op just before it emits a setcc or jcc alone.
//
// What the flags hold is tracked conservatively: the block loop forgets them before every op
// (flags_in_ keeps what the op before left, for the ops listed in PreservesHostFlags), and only
// the emitters that leave known flags say so (NoteHostFlags). Out-of-line code never reuses.
#include "compiler.h"

namespace polyvm::engine::jit::detail {
namespace {

using Cond = Xbyak::Operand::Code;

Cond Code(int c) { return static_cast<Cond>(c); }

}  // namespace

// The condition of Cmp(op, b, a) read from the flags of cmp a, b.
Cond Compiler::SwappedCondOf(Opcode op) {
  switch (op) {
    case Opcode::kCmpEq: return Code(0x4);   // e
    case Opcode::kCmpNe: return Code(0x5);   // ne
    case Opcode::kCmpLtS: return Code(0xF);  // b < a signed: g
    case Opcode::kCmpLtU: return Code(0x7);  // b < a unsigned: a
    case Opcode::kCmpLeS: return Code(0xD);  // ge
    default: return Code(0x3);               // kCmpLeU: ae
  }
}

// Ops that emit no flag-changing instruction: constants (nothing; read as immediates) and
// scalar SetRegs (a mov to the state).
bool Compiler::LeavesHostFlags(const ir::Inst& inst) const {
  if (inst.op == Opcode::kSetReg) return ir::ByteSize(TypeOf(inst.args[0])) <= 8;
  return inst.op == Opcode::kConst;
}

// Ops whose emitters may look at the flags the op before left, and those that leave them.
bool Compiler::PreservesHostFlags(const ir::Inst& inst) const {
  return LeavesHostFlags(inst) || ir::IsIntCompare(inst.op) || inst.op == Opcode::kSubOverflow ||
         inst.op == Opcode::kSubBorrow;
}

void Compiler::NoteHostFlags(ValueId a, ValueId b, unsigned width) {
  host_flags_ = {true, R(a), R(b), width};
}

bool Compiler::SameValue(ValueId x, ValueId y) const {
  if (R(x) == R(y)) return true;
  return IsConst(x) && IsConst(y) && TypeOf(x) == TypeOf(y) && ConstBits(x) == ConstBits(y);
}

// The flags of cmp a, b at `width` bits that inst's operands need, as flags_in_ has them.
bool Compiler::FlagsMatch(ValueId a, ValueId b) const {
  if (deferred_mode_ || !flags_in_.valid) return false;
  const unsigned width = ir::BitWidth(TypeOf(a));
  return width == flags_in_.width && SameValue(a, flags_in_.a) && SameValue(b, flags_in_.b);
}

// Analyze, after the fusions: a Sub whose every reader is a sign or zero test of it (CmpLtS,
// CmpEq, CmpNe with 0) that reads the flags the Sub leaves is a `cmp`, with no register and no
// copy of its first operand (AArch64's CMP was `mov r, a; sub r, b`). The tests are sure to find
// the flags when every op emitted between the Sub and the place each test is emitted (a fused
// test: its ExitIf, or the branch exit at the block's end) leaves them as ReuseHostFlags needs:
// constants, scalar SetRegs, compares of the same two values at the same width (SubOverflow and
// SubBorrow in the Sub's own order), the tests themselves. Slot() throws if that promise breaks.
void Compiler::MarkFlagOnlySubs() {
  const auto n = static_cast<ValueId>(b_.insts.size());
  flags_only_.assign(n, 0);
  if (deferred_mode_) return;
  for (ValueId s = 0; s < n; ++s) {
    const ir::Inst& sub = b_.insts[s];
    if (sub.op != Opcode::kSub || alias_[s] != s || fused_[s] || Unread(s) || uses_[s] == 0 ||
        (sub.type != ir::Type::kI32 && sub.type != ir::Type::kI64) || IsConst(sub.args[0])) {
      continue;  // (a constant first operand: EmitCmpFlags would swap the two)
    }
    const ValueId a = R(sub.args[0]), b = R(sub.args[1]);
    const unsigned width = ir::BitWidth(sub.type);
    auto is_test = [&](const ir::Inst& c) {
      return (c.op == Opcode::kCmpLtS || c.op == Opcode::kCmpEq || c.op == Opcode::kCmpNe) &&
             R(c.args[0]) == s && IsConst(c.args[1]) && ConstBits(c.args[1]) == 0;
    };
    auto keeps_flags = [&](const ir::Inst& c) {
      if (c.op == Opcode::kConst) return true;
      if (c.op == Opcode::kSetReg) return ir::ByteSize(TypeOf(c.args[0])) <= 8;
      if (c.NumArgs() != 2 || ir::BitWidth(TypeOf(c.args[0])) != width) return false;
      const ValueId x = R(c.args[0]), y = R(c.args[1]);
      if (ir::IsIntCompare(c.op)) return (x == a && y == b) || (x == b && y == a);
      return (c.op == Opcode::kSubOverflow || c.op == Opcode::kSubBorrow) && x == a && y == b;
    };
    // Where the last test is emitted, and whether every reader is a test.
    int until = static_cast<int>(s);
    uint32_t readers = 0;
    bool ok = true;
    for (ValueId k = s + 1; k < n && ok && readers < uses_[s]; ++k) {  // (translation time)
      const ir::Inst& c = b_.insts[k];
      if (alias_[k] != k || Unread(k)) continue;
      bool reads = false;
      for (unsigned j = 0; j < c.NumArgs(); ++j) reads |= R(c.args[j]) == s;
      if (!reads) continue;
      ok = is_test(c);
      ++readers;
      until = std::max(until, fused_[k] ? fused_at_[k] : static_cast<int>(k));
    }
    if (!ok || readers != uses_[s]) continue;  // (an exit reading s itself is a reader too)
    for (int k = static_cast<int>(s) + 1; k < until && ok; ++k) {
      const ir::Inst& c = b_.insts[k];
      // Ops not emitted here leave the flags alone (a fused one is emitted by its reader).
      if (alias_[k] != static_cast<ValueId>(k) || fused_[k] || redundant_[k] || Unread(k)) continue;
      ok = keeps_flags(c) || is_test(c);
    }
    if (ok) flags_only_[s] = 1;
  }
}

bool Compiler::ReuseHostFlags(const ir::Inst& inst, Cond* cond) {
  if (deferred_mode_ || !flags_in_.valid) return false;
  const ValueId x = inst.args[0], y = inst.args[1];
  bool ok = false;
  if (ir::IsIntCompare(inst.op)) {
    if (FlagsMatch(x, y)) {
      *cond = CmpCond(inst.op);
      ok = true;
    } else if (FlagsMatch(y, x)) {
      *cond = SwappedCondOf(inst.op);
      ok = true;
    } else if (IsConst(y) && ConstBits(y) == 0 && !IsConst(x)) {
      // The sign or zero test of a - b, the Sub whose flags these are.
      const ir::Inst& s = b_.insts[R(x)];
      const bool diff = s.op == Opcode::kSub && FlagsMatch(s.args[0], s.args[1]) &&
                        ir::BitWidth(s.type) == flags_in_.width;
      if (diff && inst.op == Opcode::kCmpLtS) {
        *cond = Code(0x8);  // s
        ok = true;
      } else if (diff && (inst.op == Opcode::kCmpEq || inst.op == Opcode::kCmpNe)) {
        *cond = CmpCond(inst.op);
        ok = true;
      }
    }
  } else if ((inst.op == Opcode::kSubOverflow || inst.op == Opcode::kSubBorrow) &&
             FlagsMatch(x, y)) {
    *cond = Code(inst.op == Opcode::kSubOverflow ? 0x0 : 0x2);  // o, b
    ok = true;
  }
  if (ok) host_flags_ = flags_in_;  // a setcc or jcc leaves them
  return ok;
}

void Compiler::SetCC(Cond cond, const Xbyak::Operand& r) {
  switch (static_cast<int>(cond)) {
    case 0x0: seto(r); break;
    case 0x1: setno(r); break;
    case 0x2: setb(r); break;
    case 0x3: setae(r); break;
    case 0x4: sete(r); break;
    case 0x5: setne(r); break;
    case 0x6: setbe(r); break;
    case 0x7: seta(r); break;
    case 0x8: sets(r); break;
    case 0x9: setns(r); break;
    case 0xA: setp(r); break;
    case 0xB: setnp(r); break;
    case 0xC: setl(r); break;
    case 0xD: setge(r); break;
    case 0xE: setle(r); break;
    default: setg(r); break;
  }
}

void Compiler::PutCondition(ValueId i, Cond cond) {
  if (flag_store_off_[i] >= 0) {
    SetCC(cond, byte[rbx + flag_store_off_[i]]);
    flag_stored_[i] = 1;  // its SetReg has nothing left to do
    return;
  }
  const Reg64 d = Def(i);
  SetCC(cond, d.cvt8());
  movzx(d.cvt32(), d.cvt8());
  Put(i, d);
}

void Compiler::JCC(Cond cond, const Label& to) {
  switch (static_cast<int>(cond)) {
    case 0x0: jo(to, T_NEAR); break;
    case 0x1: jno(to, T_NEAR); break;
    case 0x2: jb(to, T_NEAR); break;
    case 0x3: jae(to, T_NEAR); break;
    case 0x4: je(to, T_NEAR); break;
    case 0x5: jne(to, T_NEAR); break;
    case 0x6: jbe(to, T_NEAR); break;
    case 0x7: ja(to, T_NEAR); break;
    case 0x8: js(to, T_NEAR); break;
    case 0x9: jns(to, T_NEAR); break;
    case 0xA: jp(to, T_NEAR); break;
    case 0xB: jnp(to, T_NEAR); break;
    case 0xC: jl(to, T_NEAR); break;
    case 0xD: jge(to, T_NEAR); break;
    case 0xE: jle(to, T_NEAR); break;
    default: jg(to, T_NEAR); break;
  }
}

}  // namespace polyvm::engine::jit::detail
