// A self-loop's deferred flags: the i1 guest fields (AArch64's N, Z, C and V) a self-loop writes
// once per iteration are not stored in the loop at all when each is a compare of values the
// state itself holds at every place the block may stop.
//
// `subs x2, x2, #1; b.ne` or `cmp x1, x19; b.ls` write all four flags every iteration, and the
// next iteration overwrites them before anything reads them: their four setcc stores were a
// third of the sieve's inner loop. The flags cannot simply be dropped, though: wherever the block
// may stop (a fault in the next iteration's `strb`, a side exit, an op run out of line, the way
// out to Run at the back edge) the state must hold the last iteration's flags. They can be
// recomputed there instead: N is `r < 0` for r = x1 - x19, and x1 and x19 still hold those values
// in the state at every such place (made exact by the other lazy fixes first) as long as the loop
// writes them only between the last place that may stop before the flag writes and the first one
// after. So each flag is filed as a recipe, `test(P, Q)` with P a state field or constant
// adjusted by another (`x1 - x19`; `x2 + 1` for the x2 the subs read) and Q one, and every
// place that may stop rebuilds the flags from it (EmitFlagFix inline, EvalFlagFix for a host
// fault, the records in records.h).
//
// Before the flag writes of an iteration, the flags to rebuild are the previous iteration's: in
// the loop's first iteration those are not the recipe's but the block's incoming flags, which the
// state still holds. The retired count tells them apart: the loop keeps it in a register and only
// the places that stop store it, so the register differs from the state's count exactly when a
// back edge was taken since the state was last made exact (the kGuard record).
#include "compiler.h"

namespace polyvm::engine::jit {

namespace {

uint64_t ReadOperand(const StateFix& o, const uint8_t* state) {
  if (o.size == 0) return o.value;
  uint64_t v = 0;
  std::memcpy(&v, state + o.off, o.size);  // little-endian low bytes
  return v;
}

}  // namespace

bool EvalFlagFix(const StateFix* f, const uint8_t* state) {
  const unsigned bits = 8 * f->size;
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  const uint64_t sign = uint64_t{1} << (bits - 1);
  uint64_t p = ReadOperand(f[1], state);
  const uint64_t adj = ReadOperand(f[2], state);
  switch (f[2].reg) {
    case StateFix::kAdd: p += adj; break;
    case StateFix::kSub: p -= adj; break;
    case StateFix::kAnd: p &= adj; break;
    default: break;
  }
  p &= mask;
  const uint64_t q = ReadOperand(f[3], state) & mask;
  // Signed order: flip the sign bits and compare unsigned.
  const uint64_t ps = p ^ sign, qs = q ^ sign;
  switch (static_cast<StateFix::FlagTest>(f->reg)) {
    case StateFix::kLtS: return ps < qs;
    case StateFix::kLeS: return ps <= qs;
    case StateFix::kLtU: return p < q;
    case StateFix::kLeU: return p <= q;
    case StateFix::kEq: return p == q;
    case StateFix::kNe: return p != q;
    case StateFix::kGtS: return ps > qs;
    case StateFix::kGeS: return ps >= qs;
    case StateFix::kGtU: return p > q;
    case StateFix::kGeU: return p >= q;
    case StateFix::kSubOv: return (((p ^ q) & (p ^ (p - q))) & sign) != 0;
    case StateFix::kAddOv: return ((~(p ^ q) & (p ^ (p + q))) & sign) != 0;
  }
  return false;
}

namespace detail {

namespace {

using FlagTest = StateFix::FlagTest;

bool TestOf(Opcode op, FlagTest* t) {
  switch (op) {
    case Opcode::kCmpLtS: *t = StateFix::kLtS; return true;
    case Opcode::kCmpLeS: *t = StateFix::kLeS; return true;
    case Opcode::kCmpLtU: *t = StateFix::kLtU; return true;
    case Opcode::kCmpLeU: *t = StateFix::kLeU; return true;
    case Opcode::kCmpEq: *t = StateFix::kEq; return true;
    case Opcode::kCmpNe: *t = StateFix::kNe; return true;
    case Opcode::kSubOverflow: *t = StateFix::kSubOv; return true;
    case Opcode::kAddOverflow: *t = StateFix::kAddOv; return true;
    default: return false;
  }
}

// test(a, b) as test'(b, a); false for the one test without a mirror (SubOv).
bool Mirrored(FlagTest t, FlagTest* out) {
  switch (t) {
    case StateFix::kLtS: *out = StateFix::kGtS; return true;
    case StateFix::kLeS: *out = StateFix::kGeS; return true;
    case StateFix::kLtU: *out = StateFix::kGtU; return true;
    case StateFix::kLeU: *out = StateFix::kGeU; return true;
    case StateFix::kEq:
    case StateFix::kNe:
    case StateFix::kAddOv: *out = t; return true;
    default: return false;
  }
}

// A test of P against zero that the flags of P's own add, sub or and answer (sign, zero).
bool ShortForm(const StateFix* f) {
  return f[2].reg != StateFix::kNone && f[3].size == 0 && f[3].value == 0 &&
         (f->reg == StateFix::kLtS || f->reg == StateFix::kEq || f->reg == StateFix::kNe);
}

// The same field or constant (how it combines is the caller's to compare).
bool SameOperand(const StateFix& x, const StateFix& y) {
  return x.size == y.size && (x.size == 0 ? x.value == y.value : x.off == y.off);
}

// The host operation whose flags a flag record's code tests: one of P's base with an operand (a
// sub or a cmp, both kSub here; an add; an and), or, for a P with an adjustment that is then
// compared, the whole recipe (last != kNone).
struct HostOp {
  uint8_t size;
  const StateFix *base, *operand, *then = nullptr;
  uint8_t op, last = StateFix::kNone;
};

HostOp HostOpOf(const StateFix* f) {
  const uint8_t final_op = f->reg == StateFix::kAddOv ? StateFix::kAdd : StateFix::kSub;
  if (ShortForm(f)) return {f->size, &f[1], &f[2], nullptr, f[2].reg};
  if (f[2].reg == StateFix::kNone) return {f->size, &f[1], &f[3], nullptr, final_op};
  return {f->size, &f[1], &f[2], &f[3], f[2].reg, final_op};
}

// Flags f's code leaves in the host flags are those g's would compute (N and Z of a sub, C and V
// of the cmp of the same operands): g needs only its setcc.
bool SameHostFlags(const StateFix* f, const StateFix* g) {
  const HostOp x = HostOpOf(f), y = HostOpOf(g);
  return x.size == y.size && x.op == y.op && x.last == y.last && SameOperand(*x.base, *y.base) &&
         SameOperand(*x.operand, *y.operand) &&
         (x.then == nullptr || SameOperand(*x.then, *y.then));
}

// The x86 condition code of a compare test (cmp P, Q; setcc).
Xbyak::Operand::Code CondOf(FlagTest t) {
  static constexpr uint8_t kCond[] = {0xC, 0xE, 0x2, 0x6, 0x4, 0x5, 0xF, 0xD, 0x7, 0x3, 0x0, 0x0};
  static_assert(std::size(kCond) == StateFix::kAddOv + 1, "one per FlagTest, in its order");
  return static_cast<Xbyak::Operand::Code>(kCond[t]);
}

// A constant the emitted code can take as the immediate of a `width`-byte operation.
bool FitsImm(uint8_t size, uint64_t value, unsigned width) {
  return size != 0 || width == 4 || Fits32(static_cast<int64_t>(value));
}

}  // namespace

// A value the state holds at the end of the loop's iteration: a constant, a field's value, or
// the low half of one (a 32-bit value its 64-bit field holds extended, or a truncated field).
bool Compiler::FlagLeaf(ValueId v, FlagOperand* out) const {
  v = R(v);
  const ir::Type t = TypeOf(v);
  if (t != ir::Type::kI32 && t != ir::Type::kI64) return false;
  if (IsConst(v)) {
    *out = {0, 0, ConstBits(v)};
    return true;
  }
  for (const KnownField& k : end_known_) {
    if (k.type == t && R(k.v) == v) {
      *out = {k.off, static_cast<uint8_t>(ir::ByteSize(t)), 0};
      return true;
    }
    const ir::Inst& ext = b_.insts[R(k.v)];
    if (t == ir::Type::kI32 && k.type == ir::Type::kI64 &&
        (ext.op == Opcode::kZExt || ext.op == Opcode::kSExt) && R(ext.args[0]) == v) {
      *out = {k.off, 4, 0};
      return true;
    }
  }
  const ir::Inst& inst = b_.insts[v];
  FlagOperand wide;
  if (t == ir::Type::kI32 && inst.op == Opcode::kTrunc && TypeOf(inst.args[0]) == ir::Type::kI64 &&
      FlagLeaf(inst.args[0], &wide) && wide.size == 8) {
    *out = {wide.off, 4, 0};
    return true;
  }
  return false;
}

// f's P: a leaf, an Add/Sub/And of two, or a value the loop went on to add to or subtract from
// (`subs x2, x2, #1` compares the x2 it read, which the state no longer holds: it is r + 1).
bool Compiler::FlagTerm(ValueId v, LoopFlag* f) const {
  f->adjust = StateFix::kNone;
  f->adj = {};
  if (FlagLeaf(v, &f->base)) return true;
  v = R(v);
  auto adjusted = [&](ValueId base, ValueId adj, StateFix::FlagAdjust how) {
    if (!FlagLeaf(base, &f->base) || !FlagLeaf(adj, &f->adj) ||
        !FitsImm(f->adj.size, f->adj.value, f->width)) {
      return false;
    }
    f->adjust = how;
    return true;
  };
  const ir::Inst& inst = b_.insts[v];
  const ValueId a = inst.NumArgs() == 2 ? inst.args[0] : 0,
                b = inst.NumArgs() == 2 ? inst.args[1] : 0;
  switch (inst.op) {
    case Opcode::kAdd:
      if (adjusted(a, b, StateFix::kAdd) || adjusted(b, a, StateFix::kAdd)) return true;
      break;
    case Opcode::kSub:
      if (adjusted(a, b, StateFix::kSub)) return true;
      break;
    case Opcode::kAnd:
      if (adjusted(a, b, StateFix::kAnd) || adjusted(b, a, StateFix::kAnd)) return true;
      break;
    default: break;
  }
  for (ValueId r = 0; r < b_.insts.size(); ++r) {
    const ir::Inst& u = b_.insts[r];
    if (alias_[r] != r || u.type != inst.type) continue;
    if (u.op == Opcode::kSub && R(u.args[0]) == v && adjusted(r, u.args[1], StateFix::kAdd)) {
      return true;  // r = v - x: v = r + x
    }
    if (u.op == Opcode::kAdd) {
      for (unsigned k = 0; k < 2; ++k) {
        if (R(u.args[k]) == v && adjusted(r, u.args[1 - k], StateFix::kSub)) return true;
      }
    }
  }
  return false;
}

// The recipe of flag value f, written to the field at off.
bool Compiler::PlanLoopFlag(ValueId f, uint32_t off, LoopFlag* out) const {
  f = R(f);
  *out = LoopFlag{};
  out->off = off;
  if (IsConst(f)) {
    out->is_const = true;
    out->const_value = ConstBits(f) & 1;
    return true;
  }
  const ir::Inst& inst = b_.insts[f];
  FlagTest test;
  if (!TestOf(inst.op, &test)) return false;
  const ir::Type t = TypeOf(inst.args[0]);
  if (t != ir::Type::kI32 && t != ir::Type::kI64) return false;
  out->width = static_cast<uint8_t>(ir::ByteSize(t));
  out->test = test;
  if (FlagTerm(inst.args[0], out) && FlagLeaf(inst.args[1], &out->q) &&
      FitsImm(out->q.size, out->q.value, out->width)) {
    return true;
  }
  FlagTest mirrored;
  if (!Mirrored(test, &mirrored)) return false;
  out->test = mirrored;
  return FlagTerm(inst.args[1], out) && FlagLeaf(inst.args[0], &out->q) &&
         FitsImm(out->q.size, out->q.value, out->width);
}

void Compiler::PlanLoopFlags() {
  loop_flags_.clear();
  // Self-loops only (their back edge is the one way to the next iteration, and their retired
  // count is in a register), with lazy writes (no op reads the state behind GetReg's back).
  if (!IsSelfLoop(b_) || !LazyWritesAllowed()) return;
  const int n = static_cast<int>(b_.insts.size());
  std::vector<int> sets;
  for (int j = 0; j < n; ++j) {
    const ir::Inst& inst = b_.insts[j];
    if (inst.op == Opcode::kSetReg && !elided_[j] && TypeOf(inst.args[0]) == ir::Type::kI1) {
      sets.push_back(j);
    }
  }
  if (sets.empty()) return;
  const int first = sets.front(), last = sets.back();
  // Nothing else reads the fields from the state or stores to them.
  for (int i = 0; i < n; ++i) {
    const ir::Inst& inst = b_.insts[i];
    const bool reads = inst.op == Opcode::kGetReg && alias_[i] == static_cast<ValueId>(i);
    const bool stores = inst.op == Opcode::kSetReg && !elided_[i];
    if (!reads && !stores) continue;
    for (int j : sets) {
      if (i != j && OverlapsField(inst, static_cast<uint32_t>(b_.insts[j].imm), 1)) return;
    }
  }
  // Nothing between the writes may stop; lo and hi: the last op before them that may, and the
  // first one after them (the exits, at n, if none).
  int lo = -1, hi = n;
  for (int i = 0; i < n; ++i) {
    if (!MaySync(b_.insts[i])) continue;
    if (i > first && i < last) return;
    if (i < first) lo = i;
    if (i > last && hi == n) hi = i;
  }
  std::vector<LoopFlag> flags;
  for (int j : sets) {
    LoopFlag f;
    if (!PlanLoopFlag(b_.insts[j].args[0], static_cast<uint32_t>(b_.insts[j].imm), &f)) return;
    flags.push_back(f);
  }
  // A compare of two plain operands turned to the order of an overflow test of the same two (an
  // AArch64 C beside its V): one host cmp serves both (EmitFlagFix).
  for (LoopFlag& f : flags) {
    FlagTest mirrored;
    if (f.is_const || f.adjust != StateFix::kNone || !Mirrored(f.test, &mirrored) ||
        f.test == StateFix::kAddOv) {
      continue;
    }
    for (const LoopFlag& g : flags) {
      if (!g.is_const && g.test == StateFix::kSubOv && g.adjust == StateFix::kNone &&
          g.width == f.width && g.base == f.q && g.q == f.base) {
        std::swap(f.base, f.q);
        f.test = mirrored;
        break;
      }
    }
  }
  // The fields the recipes read hold their end-of-iteration values wherever the block may stop:
  // the loop writes them only between lo and hi.
  for (const LoopFlag& f : flags) {
    for (const FlagOperand* o : {&f.base, &f.adj, &f.q}) {
      if (f.is_const || o->size == 0) continue;
      for (int i = 0; i < n; ++i) {
        if (b_.insts[i].op == Opcode::kSetReg && (i <= lo || i >= hi) &&
            OverlapsField(b_.insts[i], o->off, o->size)) {
          return;
        }
      }
    }
  }
  for (int j : sets) {
    elided_[j] = 1;
    --uses_[R(b_.insts[j].args[0])];
  }
  loop_flags_ = std::move(flags);
  loop_flags_first_ = first;
  loop_flags_last_ = last;
}

// The records that rebuild the flags at op `at` (LazyFixes; before the retired count's own).
void Compiler::AppendLoopFlagFixes(int at, std::vector<StateFix>* out) const {
  if (loop_flags_.empty()) return;
  // No op between the writes may stop (PlanLoopFlags), and the guard needs the count's register.
  if ((at >= loop_flags_first_ && at <= loop_flags_last_) || !lazy_retired_) {
    throw Xbyak::Error(Xbyak::ERR_INTERNAL);
  }
  const size_t guard = out->size();
  const bool guarded = at < loop_flags_first_;
  if (guarded) {
    out->push_back(
        {0, 0, StateFix::kGuard, static_cast<uint8_t>(PoolReg(retired_reg_).getIdx()), 0});
  }
  auto operand = [&](const FlagOperand& o, StateFix::FlagAdjust how) {
    out->push_back({o.off, o.size, StateFix::kOperand, how, o.value});
  };
  for (const LoopFlag& f : loop_flags_) {
    if (f.is_const) {
      out->push_back({f.off, 1, StateFix::kConst, 0, f.const_value});
      continue;
    }
    out->push_back({f.off, f.width, StateFix::kFlag, f.test, 0});
    operand(f.base, StateFix::kNone);
    operand(f.adj, f.adjust);
    operand(f.q, StateFix::kNone);
  }
  if (guarded) (*out)[guard].value = out->size() - guard - 1;
}

// EvalFlagFix's code: the flag byte from its recipe, through rdx. `prev`: the flag record whose
// code ran just before, if the host flags still hold its result (EmitLazyStores).
void Compiler::EmitFlagFix(const StateFix* f, const StateFix* prev) {
  const auto test = static_cast<FlagTest>(f->reg);
  // The sign and zero tests of a short form read the flags of P's own operation.
  Xbyak::Operand::Code cond = CondOf(test);
  if (ShortForm(f)) {
    cond = static_cast<Xbyak::Operand::Code>(test == StateFix::kLtS  ? 0x8  // s
                                             : test == StateFix::kEq ? 0x4
                                                                     : 0x5);
  }
  const Xbyak::Address flag = byte[rbx + static_cast<int>(f->off)];
  if (prev != nullptr && SameHostFlags(prev, f)) {
    SetCC(cond, flag);
    return;
  }
  const bool w64 = f->size == 8;
  const Xbyak::Reg& d =
      w64 ? static_cast<const Xbyak::Reg&>(rdx) : static_cast<const Xbyak::Reg&>(edx);
  auto mem = [&](const StateFix& o) -> Xbyak::Address {
    return w64 ? qword[rbx + static_cast<int>(o.off)] : dword[rbx + static_cast<int>(o.off)];
  };
  // op(d, o): a field operand or the constant as an immediate (PlanLoopFlag checked it fits).
  auto apply = [&](const StateFix& o, auto op) {
    if (o.size == 0) {
      op(d, static_cast<uint32_t>(o.value));
    } else {
      op(d, mem(o));
    }
  };
  const StateFix& base = f[1];
  if (base.size == 0) {
    MovImm(rdx, base.value);
  } else {
    mov(d, mem(base));
  }
  switch (f[2].reg) {
    case StateFix::kAdd: apply(f[2], [&](const auto& x, const auto& y) { add(x, y); }); break;
    case StateFix::kSub: apply(f[2], [&](const auto& x, const auto& y) { sub(x, y); }); break;
    case StateFix::kAnd: apply(f[2], [&](const auto& x, const auto& y) { and_(x, y); }); break;
    default: break;
  }
  if (!ShortForm(f)) {
    if (test == StateFix::kAddOv) {
      apply(f[3], [&](const auto& x, const auto& y) { add(x, y); });
    } else {
      apply(f[3], [&](const auto& x, const auto& y) { cmp(x, y); });
    }
  }
  SetCC(cond, flag);
}

}  // namespace detail
}  // namespace polyvm::engine::jit
