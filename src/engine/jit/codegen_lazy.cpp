// Lazy state writes: guest register writes the state does not need at once.
//
// Generated code is write-through by default (EmitSetReg stores at once), so the state is exact
// wherever a block may stop. Two kinds of SetReg are left out instead, and their values recorded as
// "lazy ranges": between two ops of the block, the field's value is a known IR value rather than
// what the state holds.
// - Elided writes: a SetReg that a later SetReg of the same field overwrites, with memory
//   accesses, side exits or out-of-line ops in between. The common case is an address computed
//   into the register a load then writes (`add a5, a5, s1; ld a5, 0(a5)`). Those with nothing in
//   between are dropped outright, in every block (DropQuietSetRegs; in user mode the optimiser's
//   dead-write pass has already removed most).
// - Self-loop write-back: the one SetReg of each field a self-loop carries (codegen_loop.cpp),
//   and the back edge's store of the retired count. Before the SetReg in an iteration the field's
//   value is the loop's entry read (`get`); after it, the value written (`next`).
// - Self-loop flags (codegen_loop_flags.cpp): i1 fields the loop writes from a compare of values
//   the state holds are not written in the loop at all; the places below rebuild them from a
//   recipe instead of copying a value.
// Every place that may stop in a lazy range makes the state exact first:
// - an exit or side exit stores the values on its way out (and the back edge's way out to Run
//   when a signal or attention is pending);
// - an op run out of line stores them before its call;
// - a memory access's out-of-line bound and alignment failure paths store them, and its SiteRec
//   is followed by StateFix records naming where each value is at the access (host register,
//   frame slot or constant): a host fault in the access leaves through the signal handler, and Run
//   copies them from the fault's registers (ApplyStateFixes, jit_engine.cpp);
// - in system mode, an access's soft-MMU slow path stores them before its call (a miss, MMIO or
//   a guest fault; a TLB hit cannot fault on the host), and so does its alignment failure path.
// Blocks with ops that read or write the state behind SetReg's back (helpers, FpSetRound,
// atomics, LL/SC) keep write-through, but for the quietly overwritten SetRegs.
#include "compiler.h"

namespace polyvm::engine::jit::detail {

namespace {

bool KeepsWriteThrough(const ir::Inst& inst) {
  if (inst.op == Opcode::kGetReg || inst.op == Opcode::kSetReg) return false;
  const uint32_t props = ir::Info(inst.op).props;
  // The FP environment (CpuHeader::fp_round, MXCSR's flags) is not a field SetReg writes, and an
  // FP op run out of line stores the lazy values before its call like any other: FP ops do not
  // need the state exact. FpSetRound stays write-through (it runs out of line with the state).
  return (props & (ir::kReadsState | ir::kWritesState)) != 0 ||
         (props & ir::kMemAtomic) == ir::kMemAtomic || inst.op == Opcode::kLoadLinked ||
         inst.op == Opcode::kStoreCond || inst.op == Opcode::kFpSetRound;
}

}  // namespace

bool Compiler::ComputeLazyWritesAllowed() const {
  return std::none_of(b_.insts.begin(), b_.insts.end(), KeepsWriteThrough);
}

// An op at which the state may have to be exact: one that may leave the block (an access, a side
// exit) or that the JIT may run out of line. Conservative: all but the integer ops that
// codegen_ops.cpp always emits inline (LazyFixes checks the promise at every place it is asked).
bool Compiler::MaySync(const ir::Inst& inst) const {
  switch (inst.op) {
    case Opcode::kConst:
    case Opcode::kGuestInsn:
    case Opcode::kGetReg:
    case Opcode::kSetReg: return false;
    case Opcode::kShl:
    case Opcode::kLShr:
    case Opcode::kAShr:  // EmitShift: 32 and 64 bits
      if (inst.type != ir::Type::kI32 && inst.type != ir::Type::kI64) return true;
      break;
    case Opcode::kCmpEq:
    case Opcode::kCmpNe:
    case Opcode::kCmpLtS:
    case Opcode::kCmpLtU:
    case Opcode::kCmpLeS:
    case Opcode::kCmpLeU:
      if (!CmpInline(inst)) return true;
      break;
    case Opcode::kAdd:
    case Opcode::kSub:
    case Opcode::kAnd:
    case Opcode::kOr:
    case Opcode::kXor:
    case Opcode::kNot:
    case Opcode::kNeg:
    case Opcode::kZExt:
    case Opcode::kSExt:
    case Opcode::kTrunc:
    case Opcode::kSelect: break;
    default:
      // The carry, overflow and parity ops EmitCarryOp runs inline: operands of 8 to 64 bits.
      if (!HasCarryRow(inst.op) || TypeOf(inst.args[0]) == ir::Type::kI1) return true;
      break;
  }
  if (!IsSmallInt(inst.type)) return true;
  for (unsigned k = 0; k < inst.NumArgs(); ++k) {
    if (!IsSmallInt(TypeOf(inst.args[k]))) return true;
  }
  return false;
}

bool Compiler::OverlapsField(const ir::Inst& inst, uint32_t off, uint32_t size) const {
  const auto o = static_cast<uint32_t>(inst.imm);
  const uint32_t sz = ir::ByteSize(inst.op == Opcode::kSetReg ? TypeOf(inst.args[0]) : inst.type);
  return o < off + size && off < o + sz;
}

// The field at off holds v between ops from and to (exclusive): v stays where it is up to the last
// op in between that may need it.
void Compiler::AddLazyRange(uint32_t off, uint32_t size, ValueId v, int from, int to) {
  lazy_.push_back({off, static_cast<uint8_t>(size), v, from, to});
  if (IsConst(v)) return;
  const int hi = std::min(to, static_cast<int>(b_.insts.size()));
  for (int i = hi - 1; i > from && i > last_use_[R(v)]; --i) {
    if (MaySync(b_.insts[i])) {
      last_use_[R(v)] = i;
      break;
    }
  }
}

// One backward walk: for each state byte, the nearest later op touching it (a SetReg, or a
// GetReg that reads the state); and the nearest later op that MaySync. `overwritten(i, j, quiet)`
// is called for each scalar SetReg i whose field's next toucher is a SetReg j of the same field (a
// GetReg reading the state, or a partial write, would see the state); quiet: no op in between
// MaySync, so nothing can look at the state before j writes it.
template <typename F>
void Compiler::ForEachOverwrittenSetReg(F overwritten) {
  const int n = static_cast<int>(b_.insts.size());
  auto field_size = [&](const ir::Inst& inst) {
    return ir::ByteSize(inst.op == Opcode::kSetReg ? TypeOf(inst.args[0]) : inst.type);
  };
  uint32_t state_bytes = 0;
  for (const ir::Inst& inst : b_.insts) {
    if (inst.op == Opcode::kGetReg || inst.op == Opcode::kSetReg) {
      state_bytes = std::max(state_bytes, static_cast<uint32_t>(inst.imm) + field_size(inst));
    }
  }
  std::vector<int>& next = next_touch_;
  next.assign(state_bytes, n);
  int next_sync = n;
  for (int i = n - 1; i >= 0; --i) {
    const ir::Inst& inst = b_.insts[i];
    const bool reads = inst.op == Opcode::kGetReg && alias_[i] == static_cast<ValueId>(i);
    if (inst.op == Opcode::kSetReg || reads) {
      const auto off = static_cast<uint32_t>(inst.imm);
      const uint32_t size = field_size(inst);
      if (inst.op == Opcode::kSetReg) {
        int j = n;
        for (uint32_t b = off; b < off + size; ++b) j = std::min(j, next[b]);
        if (j < n && IsScalar64(TypeOf(inst.args[0])) && b_.insts[j].op == Opcode::kSetReg &&
            static_cast<uint32_t>(b_.insts[j].imm) == off && field_size(b_.insts[j]) == size) {
          overwritten(i, j, next_sync > j);
        }
      }
      for (uint32_t b = off; b < off + size; ++b) next[b] = i;
    }
    if (MaySync(inst)) next_sync = i;
  }
}

// Before the fusions: a SetReg overwritten before anything could look at the state is not
// emitted and its value loses that use, so that a value read only by such writes besides one
// reader still fuses into it (`slli a4,a4,2; add a4,a4,a0` is one lea though a4 is written
// twice; system-mode blocks, which the IR optimiser does not see, are full of these). The others
// are noted for PlanElidedSetRegs (one walk for both).
void Compiler::DropQuietSetRegs() {
  overwritten_.clear();
  ForEachOverwrittenSetReg([&](int i, int j, bool quiet) {
    if (quiet) {
      elided_[i] = 1;
      --uses_[R(b_.insts[i].args[0])];
    } else if (LazyWritesAllowed()) {
      overwritten_.push_back({i, j});
    }
  });
}

// After the fusions, with lazy writes allowed (not in blocks with helpers, the FP environment,
// atomics): a SetReg overwritten with accesses, side exits or out-of-line ops in between is not
// emitted either; its value is filed as what the field holds up to the overwrite (AddLazyRange),
// for the places that may need the state exact.
void Compiler::PlanElidedSetRegs() {
  for (auto [i, j] : overwritten_) {
    const ir::Inst& set = b_.insts[i];
    const ValueId v = R(set.args[0]);
    // A fused value is never materialised; a flag's setcc may write the state itself.
    if (fused_[v] || flag_store_off_[v] >= 0) continue;
    elided_[i] = 1;
    AddLazyRange(static_cast<uint32_t>(set.imm), ir::ByteSize(TypeOf(v)), v, i, j);
  }
}

// Self-loops (called by PlanSelfLoop once carried_ is known).
void Compiler::PlanLazyWriteBack() {
  if (!LazyWritesAllowed()) return;
  lazy_retired_ = retired_reg_ >= 0;
  const int n = static_cast<int>(b_.insts.size());
  for (const Carried& c : carried_) {
    if (c.next == c.get || fused_[R(c.next)]) continue;  // read only: nothing to write
    const ir::Inst& get = b_.insts[c.get];
    const auto off = static_cast<uint32_t>(get.imm);
    const uint32_t size = ir::ByteSize(get.type);
    // One SetReg of the field that is stored, of `next`, and no read of it that forwarding did
    // not answer. Elided SetRegs of the field before it (PlanElidedSetRegs, whose ranges say
    // what the field holds after each) are fine: the entry value's range ends at the first.
    int first = -1, set = -1;
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
      const ir::Inst& inst = b_.insts[i];
      const bool same_field = static_cast<uint32_t>(inst.imm) == off &&
                              inst.op == Opcode::kSetReg &&
                              ir::ByteSize(TypeOf(inst.args[0])) == size;
      if (inst.op == Opcode::kSetReg && OverlapsField(inst, off, size)) {
        if (first < 0) first = i;
        if (elided_[i]) {
          ok = same_field;
          continue;
        }
        ok = set < 0 && same_field && R(inst.args[0]) == c.next;
        set = i;
      } else if (inst.op == Opcode::kGetReg && alias_[i] == static_cast<ValueId>(i) &&
                 static_cast<ValueId>(i) != c.get && OverlapsField(inst, off, size)) {
        ok = false;
      }
    }
    if (!ok || set < 0) continue;
    elided_[set] = 1;
    AddLazyRange(off, size, c.get, -1, first);
    AddLazyRange(off, size, c.next, set, n + 1);  // to the end, exits included
  }
}

// Where each lazily written value is at the op being emitted (cur_).
std::vector<StateFix> Compiler::LazyFixes() const {
  std::vector<StateFix> out;
  const int at = static_cast<int>(cur_);
  for (const LazyRange& r : lazy_) {
    if (at <= r.from || at >= r.to) continue;
    const ValueId v = R(r.value);
    // AddLazyRange kept v live up to every op MaySync names; a register given up before a place
    // that needs it would hold another value.
    if (!IsConst(v) && last_use_[v] < at) throw Xbyak::Error(Xbyak::ERR_INTERNAL);
    StateFix x{r.off, r.size, StateFix::kSlot, 0, 0};
    if (IsConst(v)) {
      x.where = StateFix::kConst;
      x.value = b_.insts[v].imm;
    } else if (reg_of_[v] >= 0) {
      x.where = StateFix::kReg;
      x.reg = static_cast<uint8_t>(PoolReg(reg_of_[v]).getIdx());
    } else {
      x.value = static_cast<uint64_t>(kFrameOff + 16 * static_cast<int>(v));
    }
    out.push_back(x);
  }
  AppendLoopFlagFixes(at, &out);  // codegen_loop_flags.cpp: after the fields they read
  if (lazy_retired_) {
    out.push_back({static_cast<uint32_t>(kStRetired), 8, StateFix::kReg,
                   static_cast<uint8_t>(PoolReg(retired_reg_).getIdx()), 0});
  }
  return out;
}

// Makes the state exact from `fixes` (taken where the code branched off, so valid wherever it
// is emitted). Uses rdx and, for a self-loop's deferred flags, the host flags.
void Compiler::EmitLazyStores(const std::vector<StateFix>& fixes) {
  Label skip;
  size_t skip_to = fixes.size() + 1;   // where a kGuard's skip lands
  const StateFix* flags_of = nullptr;  // the flag record whose result the host flags hold
  for (size_t k = 0; k < fixes.size(); ++k) {
    if (k == skip_to) {
      L(skip);
      flags_of = nullptr;
    }
    const StateFix& x = fixes[k];
    if (x.where == StateFix::kGuard) {
      flags_of = nullptr;
      cmp(Reg64(x.reg), qword[rbx + kStRetired]);
      je(skip, T_NEAR);
      skip_to = k + 1 + x.value;
      continue;
    }
    if (x.where == StateFix::kFlag) {
      EmitFlagFix(&x, flags_of);
      flags_of = &x;
      k += 3;  // its operands
      continue;
    }
    flags_of = nullptr;  // MovImm may zero rdx with an xor, which changes the host flags
    Reg64 r = rdx;
    if (x.where == StateFix::kReg) {
      r = Reg64(x.reg);
    } else if (x.where == StateFix::kConst) {
      MovImm(rdx, x.value);
    } else {
      mov(rdx, qword[r13 + static_cast<int>(x.value)]);
    }
    StoreField(static_cast<int>(x.off), x.size, r);
  }
  if (skip_to == fixes.size()) L(skip);
}

}  // namespace polyvm::engine::jit::detail
